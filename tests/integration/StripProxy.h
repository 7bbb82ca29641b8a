#pragma once

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace pollux::test {

// A STARTTLS-stripping man-in-the-middle: listens on 127.0.0.1:0, forwards each client to
// 127.0.0.1:upstreamPort, and deletes every "STLS" / "STARTTLS" line (POP3 CAPA) and the
// STARTTLS word from any other line (IMAP: "* CAPABILITY ..." responses and the greeting's
// "* OK [CAPABILITY ...]" code) of what the server says. Records every byte the client sent,
// so a test can prove no credential crossed, and the server lines it changed.
class StripProxy : public QObject
{
public:
    explicit StripProxy(quint16 upstreamPort, QObject *parent = nullptr)
        : QObject(parent), m_upstreamPort(upstreamPort)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &StripProxy::onNewConnection);
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_server.serverPort(); }
    QByteArray clientBytes() const { return m_fromClient; }
    int stripped() const { return m_stripped; }
    // The server's lines as they were before the proxy changed or dropped them.
    QList<QByteArray> strippedLines() const { return m_strippedLines; }
    int connections() const { return m_connections; }

private:
    void onNewConnection()
    {
        QTcpSocket *client = m_server.nextPendingConnection();
        client->setParent(this);
        ++m_connections;
        auto *upstream = new QTcpSocket(this);
        auto buffer = std::make_shared<QByteArray>();
        connect(client, &QTcpSocket::readyRead, this, [this, client, upstream] {
            const QByteArray data = client->readAll();
            m_fromClient += data;
            upstream->write(data);
        });
        connect(upstream, &QTcpSocket::readyRead, this, [this, client, upstream, buffer] {
            *buffer += upstream->readAll();
            qsizetype lf;
            while ((lf = buffer->indexOf('\n')) >= 0) {
                QByteArray line = buffer->left(lf + 1);
                buffer->remove(0, lf + 1);
                const QByteArray word = line.trimmed().toUpper();
                if (word == "STLS" || word == "STARTTLS") {
                    ++m_stripped;
                    m_strippedLines << line;
                    continue;
                }
                if (line.toUpper().contains(" STARTTLS")) {
                    ++m_stripped;
                    m_strippedLines << line;
                    line.replace(" STARTTLS", "").replace(" starttls", "");
                }
                client->write(line);
            }
        });
        connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
        connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
    }

    QTcpServer m_server;
    quint16 m_upstreamPort;
    QByteArray m_fromClient;
    int m_stripped = 0;
    QList<QByteArray> m_strippedLines;
    int m_connections = 0;
};

} // namespace pollux::test
