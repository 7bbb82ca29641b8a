#include "HangingLdapServer.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace pollux::test {

namespace {

// Reads one BER length at `pos`; -1 when incomplete or not supported.
qint64 berLength(const QByteArray &b, qsizetype &pos)
{
    if (pos >= b.size())
        return -1;
    const quint8 first = quint8(b.at(pos++));
    if (first < 0x80)
        return first;
    const int n = first & 0x7f;
    if (n == 0 || n > 4 || pos + n > b.size())
        return -1;
    qint64 length = 0;
    for (int i = 0; i < n; ++i)
        length = (length << 8) | quint8(b.at(pos++));
    return length;
}

// Handles the complete LDAPMessages in `buffer` (removed from it): counts them and
// answers binds in AnswerBind mode.
void handle(QTcpSocket *socket, QByteArray &buffer, HangingLdapServer::Mode mode,
            const HangingLdapServer::Counters &counters)
{
    while (buffer.size() >= 2) {
        qsizetype pos = 1; // after the SEQUENCE tag
        const qint64 length = berLength(buffer, pos);
        if (length < 0 || pos + length > buffer.size())
            return; // incomplete
        const QByteArray message = buffer.mid(pos, length);
        buffer.remove(0, pos + length);
        // messageID INTEGER, then the protocolOp's tag.
        if (message.size() < 3 || quint8(message.at(0)) != 0x02)
            continue;
        const int idLength = quint8(message.at(1));
        if (2 + idLength >= message.size())
            continue;
        const QByteArray idTlv = message.left(2 + idLength);
        const quint8 op = quint8(message.at(2 + idLength));
        if (op == 0x60) { // BindRequest
            counters.binds->fetch_add(1);
            if (mode == HangingLdapServer::Mode::AnswerBind) {
                // BindResponse: resultCode success, matchedDN "", diagnosticMessage "".
                const QByteArray inner = idTlv + QByteArray::fromHex("61070a010004000400");
                QByteArray out;
                out += char(0x30);
                out += char(inner.size());
                out += inner;
                socket->write(out);
            }
        } else if (op == 0x63) { // SearchRequest
            counters.searches->fetch_add(1);
        }
    }
}

} // namespace

HangingLdapServer::HangingLdapServer(Mode mode) : m_mode(mode)
{
    m_thread.setObjectName(QStringLiteral("hanging-ldap"));
}

HangingLdapServer::~HangingLdapServer()
{
    if (m_thread.isRunning()) {
        QObject *core = m_core;
        QMetaObject::invokeMethod(
            core, [core] { delete core; }, Qt::BlockingQueuedConnection); // server, sockets
        m_thread.quit();
        m_thread.wait();
    } else {
        delete m_core;
    }
}

bool HangingLdapServer::start()
{
    m_core = new QObject;
    m_core->moveToThread(&m_thread);
    m_thread.start();
    const Counters counters{&m_connections, &m_binds, &m_searches};
    const Mode mode = m_mode;
    QObject *core = m_core;
    quint16 port = 0;
    QMetaObject::invokeMethod(
        core,
        [core, &port, counters, mode] {
            auto *server = new QTcpServer(core);
            if (!server->listen(QHostAddress::LocalHost, 0))
                return;
            port = server->serverPort();
            QObject::connect(server, &QTcpServer::newConnection, server, [server, counters, mode] {
                while (QTcpSocket *socket = server->nextPendingConnection()) {
                    counters.connections->fetch_add(1);
                    auto buffer = std::make_shared<QByteArray>();
                    QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                     [socket, buffer, counters, mode] {
                                         *buffer += socket->readAll();
                                         handle(socket, *buffer, mode, counters);
                                     });
                }
            });
        },
        Qt::BlockingQueuedConnection);
    m_port = port;
    return port != 0;
}

QString HangingLdapServer::url() const
{
    return QStringLiteral("ldap://127.0.0.1:%1").arg(m_port);
}

bool HangingLdapServer::waitForConnections(int n, int ms) const
{
    const QDeadlineTimer deadline(ms);
    while (m_connections.load() < n) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(10);
    }
    return true;
}

} // namespace pollux::test
