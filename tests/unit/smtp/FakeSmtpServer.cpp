#include "FakeSmtpServer.h"

#include <QHostAddress>
#include <QTimer>

void SslTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (socket->setSocketDescriptor(descriptor))
        addPendingConnection(socket);
    else
        delete socket;
}

FakeSmtpServer::FakeSmtpServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeSmtpServer::onNewConnection);
}

bool FakeSmtpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void FakeSmtpServer::setTlsIdentity(const QSslCertificate &certificate, const QSslKey &key)
{
    m_certificate = certificate;
    m_key = key;
}

void FakeSmtpServer::setScript(const QStringList &script)
{
    m_script = script;
    m_step = 0;
}

void FakeSmtpServer::onNewConnection()
{
    auto *socket = static_cast<QSslSocket *>(m_server.nextPendingConnection());
    if (m_socket) { // one client at a time
        m_errors << QStringLiteral("second connection");
        socket->abort();
        socket->deleteLater();
        return;
    }
    m_socket = socket;
    socket->setParent(this);
    connect(socket, &QSslSocket::readyRead, this, &FakeSmtpServer::onReadyRead);
    connect(socket, &QSslSocket::disconnected, this, [this] { m_disconnected = true; });
    connect(socket, &QSslSocket::encrypted, this, [this] {
        m_handshaking = false;
        run();
    });
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_errors << QStringLiteral("TLS: ") + e.errorString();
    });
    run();
}

void FakeSmtpServer::onReadyRead()
{
    if (!m_socket)
        return;
    const QByteArray data = m_socket->readAll();
    m_received += data;
    m_buffer.remove(0, m_pos);
    m_pos = 0;
    m_buffer += data;
    run();
}

bool FakeSmtpServer::takeLine(QByteArray &line)
{
    const qsizetype end = m_buffer.indexOf("\r\n", m_pos);
    if (end < 0)
        return false;
    line = m_buffer.mid(m_pos, end - m_pos);
    m_pos = end + 2;
    return true;
}

// Reads message lines up to "."; true once the terminator has arrived.
bool FakeSmtpServer::readBody()
{
    QByteArray line;
    while (takeLine(line)) {
        if (line == ".") {
            m_bodies << m_body;
            m_body.clear();
            return true;
        }
        m_body += line + "\r\n";
        m_bodyBytes += line.size() + 2;
    }
    return false;
}

void FakeSmtpServer::release()
{
    if (!m_holding)
        return;
    m_holding = false;
    run();
}

// Reads BDAT chunks; true once the LAST one has arrived completely.
bool FakeSmtpServer::readBdat()
{
    while (true) {
        if (m_chunkLeft < 0) {
            QByteArray line;
            if (!takeLine(line))
                return false;
            m_lines << line;
            const QList<QByteArray> words = line.split(' ');
            bool ok = false;
            const qint64 size = words.value(1).toLongLong(&ok);
            if (words.value(0) != "BDAT" || !ok || size < 0 || words.size() > 3 ||
                (words.size() == 3 && words.at(2) != "LAST")) {
                m_errors << QStringLiteral("step %1: expected a BDAT chunk, got \"%2\"")
                                .arg(m_step)
                                .arg(QString::fromUtf8(line.left(200)));
                m_broken = true;
                return false;
            }
            m_chunkLeft = size;
            m_chunkLast = words.size() == 3;
        }
        const qint64 n = qMin<qint64>(m_chunkLeft, m_buffer.size() - m_pos);
        m_body += m_buffer.mid(m_pos, n);
        m_bodyBytes += n;
        m_pos += n;
        m_chunkLeft -= n;
        if (m_chunkLeft > 0)
            return false;
        m_chunkLeft = -1;
        if (m_chunkLast) {
            m_bodies << m_body;
            m_body.clear();
            return true;
        }
        m_socket->write("250 2.0.0 chunk ok\r\n");
    }
}

void FakeSmtpServer::run()
{
    while (!m_broken && !m_handshaking && !m_pausing && !m_holding && m_socket &&
           m_step < m_script.size()) {
        const QString step = m_script.at(m_step);
        const QString arg = step.mid(3);
        if (step.startsWith(QLatin1String("S: "))) {
            if (arg == QLatin1String("<STARTTLS>")) {
                m_socket->setLocalCertificate(m_certificate);
                m_socket->setPrivateKey(m_key);
                m_handshaking = true;
                ++m_step;
                m_socket->startServerEncryption();
                return; // on with the script once encrypted
            }
            if (arg.startsWith(QLatin1String("<PAUSE "))) {
                m_pausing = true;
                ++m_step;
                QTimer::singleShot(arg.mid(7, arg.size() - 8).toInt(), this, [this] {
                    m_pausing = false;
                    run();
                });
                return;
            }
            if (arg == QLatin1String("<HOLD>")) {
                m_holding = true;
                ++m_step;
                return;
            }
            if (arg == QLatin1String("<CLOSE>")) {
                m_socket->disconnectFromHost();
                ++m_step;
                continue;
            }
            if (m_strict && m_buffer.indexOf("\r\n", m_pos) >= 0)
                m_errors << QStringLiteral("client sent before reply \"%1\": %2")
                                .arg(arg, QString::fromUtf8(m_buffer.mid(m_pos, 80)));
            m_socket->write(arg.toUtf8() + "\r\n");
            ++m_step;
        } else if (arg == QLatin1String("<DATA>")) {
            if (!readBody())
                return;
            ++m_step;
        } else if (arg == QLatin1String("<BDAT>")) {
            if (!readBdat())
                return;
            ++m_step;
        } else {
            QByteArray line;
            if (!takeLine(line))
                return;
            m_lines << line;
            const QString got = QString::fromUtf8(line);
            const bool match = arg.endsWith(QLatin1Char('*'))
                                   ? got.startsWith(arg.left(arg.size() - 1))
                                   : got == arg;
            if (!match) {
                m_errors << QStringLiteral("step %1: expected \"%2\", got \"%3\"")
                                .arg(m_step)
                                .arg(arg, got);
                m_broken = true;
                return;
            }
            ++m_step;
        }
    }
    if (m_step >= m_script.size() && m_socket && !m_handshaking && !m_pausing && !m_holding) {
        // Whatever else the client sends is recorded, not answered.
        QByteArray line;
        while (takeLine(line))
            m_lines << line;
        emit finished();
    }
}
