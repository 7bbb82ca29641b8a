#include "support/FreePort.h"

#include <QHostAddress>
#include <QTcpServer>

namespace pollux::test {

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace pollux::test
