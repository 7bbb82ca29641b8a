#include "TlsTestServer.h"

#include <QFile>
#include <QSslConfiguration>

namespace pollux::test {

TlsTestServer::TlsTestServer(QObject *parent) : QTcpServer(parent) {}

bool TlsTestServer::setCertificate(const QString &certPath, const QString &keyPath)
{
    QFile cert(certPath);
    QFile key(keyPath);
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read ") + certPath + QStringLiteral(" or ") + keyPath;
        return false;
    }
    m_cert = QSslCertificate(cert.readAll(), QSsl::Pem);
    m_key = QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem);
    if (m_cert.isNull() || m_key.isNull()) {
        m_error = QStringLiteral("cannot parse ") + certPath + QStringLiteral(" or ") + keyPath;
        return false;
    }
    return true;
}

bool TlsTestServer::start()
{
    if (!listen(QHostAddress::LocalHost, 0)) {
        m_error = errorString();
        return false;
    }
    return true;
}

void TlsTestServer::incomingConnection(qintptr handle)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    m_clients.append(socket);
    if (m_mode == Mode::Silent)
        return;
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(m_cert);
    conf.setPrivateKey(m_key);
    conf.setProtocol(m_protocol);
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket->setSslConfiguration(conf);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        ++m_encrypted;
        socket->write("+OK hello\r\n");
    });
    connect(socket, &QSslSocket::errorOccurred, this,
            [this, socket] { m_serverErrors << socket->errorString(); });
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_serverErrors << e.errorString();
    });
    if (m_mode == Mode::Implicit) {
        socket->startServerEncryption();
        return;
    }
    socket->write("+OK plain\r\n");
    connect(socket, &QSslSocket::readyRead, this, [socket] {
        if (socket->isEncrypted() || !socket->canReadLine())
            return;
        if (socket->readLine().trimmed() == "STLS") {
            socket->write("+OK go\r\n");
            socket->flush(); // in plain text, before the handshake starts
            socket->startServerEncryption();
        }
    });
}

} // namespace pollux::test
