#include "ScriptedServer.h"

#include <QEventLoop>
#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

namespace pollux::test {

// Hands out QSslSocket (a QTcpSocket that can start TLS later) for every connection.
class ScriptedServer::Listener : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QSslSocket(this);
        if (socket->setSocketDescriptor(handle))
            addPendingConnection(socket);
        else
            delete socket;
    }
};

bool ScriptedServer::isAnswer(const QByteArray &line) const
{
    if (m_dialect == Dialect::Imap)
        return !line.isEmpty() && line.at(0) != '*' && line.at(0) != '+';
    const QByteArray upper = line.toUpper();
    return upper.startsWith("+OK") || upper.startsWith("-ERR");
}

ScriptedServer::ScriptedServer(Dialect dialect, QObject *parent)
    : QObject(parent), m_listener(new Listener(this)), m_server(*m_listener), m_dialect(dialect)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ScriptedServer::onNewConnection);
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        m_error = QStringLiteral("cannot listen: ") + m_server.errorString();
}

void ScriptedServer::onNewConnection()
{
    QTcpSocket *socket = m_server.nextPendingConnection();
    ++m_connections;
    if (m_socket) { // one client at a time
        socket->abort();
        socket->deleteLater();
        return;
    }
    m_socket = socket;
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &ScriptedServer::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_clientGone = true;
        emit clientDisconnected();
    });
    run();
}

bool ScriptedServer::waitForClientGone(int ms)
{
    if (m_clientGone)
        return true;
    QEventLoop loop;
    connect(this, &ScriptedServer::clientDisconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
    return m_clientGone;
}

void ScriptedServer::onReadyRead()
{
    m_inBuffer += m_socket->readAll();
    qsizetype lf;
    while ((lf = m_inBuffer.indexOf('\n')) >= 0) {
        QByteArray line = m_inBuffer.left(lf);
        m_inBuffer.remove(0, lf + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        m_received.append(line);
        ++m_commands;
        const int greeting = m_dialect == Dialect::Pop3 ? 1 : 0; // counted as an answer
        m_maxOutstanding = qMax(m_maxOutstanding, m_commands - (m_answers - greeting));
        m_pendingLines.append(line);
    }
    run();
}

void ScriptedServer::run()
{
    while (m_socket && !m_draining && !m_handshaking && m_step < m_script.size()) {
        const QByteArray step = m_script.at(m_step);
        const QByteArray kind = step.left(2);
        const QByteArray arg = step.mid(3);
        if (kind == "S:") {
            ++m_step;
            if (isAnswer(arg))
                ++m_answers;
            sendBytes(arg + "\r\n");
        } else if (kind == "R:") {
            ++m_step;
            sendBytes(arg);
        } else if (kind == "C:") {
            if (m_pendingLines.isEmpty())
                return; // wait for the client
            const QByteArray line = m_pendingLines.takeFirst();
            ++m_step;
            const bool matches = arg.endsWith('*') ? line.startsWith(arg.chopped(1)) : line == arg;
            if (!matches) {
                if (m_error.isEmpty())
                    m_error = QStringLiteral("step %1: expected \"%2\", client sent \"%3\"")
                                  .arg(m_step)
                                  .arg(QString::fromLatin1(arg), QString::fromLatin1(line));
                m_socket->abort();
                return;
            }
        } else if (kind == "T:") {
            ++m_step;
            startTls();
            return;
        } else if (kind == "X:") {
            ++m_step;
            m_socket->flush();
            m_socket->disconnectFromHost();
            return;
        } else {
            m_error = QStringLiteral("bad script step: ") + QString::fromLatin1(step);
            return;
        }
    }
}

void ScriptedServer::sendBytes(const QByteArray &bytes)
{
    if (!m_oneByte) {
        m_socket->write(bytes);
        return;
    }
    m_outQueue += bytes;
    m_draining = true;
    QTimer::singleShot(0, this, &ScriptedServer::drainOneByte);
}

void ScriptedServer::drainOneByte()
{
    if (!m_socket)
        return;
    if (m_outQueue.isEmpty()) {
        m_draining = false;
        run();
        return;
    }
    m_socket->write(m_outQueue.left(1));
    m_socket->flush();
    m_outQueue.remove(0, 1);
    QTimer::singleShot(0, this, &ScriptedServer::drainOneByte);
}

bool ScriptedServer::setTlsCertificate(const QString &certPath, const QString &keyPath)
{
    QFile cert(certPath);
    QFile key(keyPath);
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
        return false;
    m_certPem = cert.readAll();
    m_keyPem = key.readAll();
    return true;
}

void ScriptedServer::startTls()
{
    auto *socket = qobject_cast<QSslSocket *>(m_socket.data());
    if (!socket)
        return;
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(QSslCertificate(m_certPem, QSsl::Pem));
    conf.setPrivateKey(QSslKey(m_keyPem, QSsl::Ec, QSsl::Pem));
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket->setSslConfiguration(conf);
    m_handshaking = true;
    connect(socket, &QSslSocket::encrypted, this, [this] {
        m_handshaking = false;
        m_encrypted = true;
        run();
    });
    socket->flush(); // the last plain-text answer goes out before the handshake
    socket->startServerEncryption();
}

} // namespace pollux::test
