#pragma once

#include <QList>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>

namespace pollux::test {

// A TLS server on 127.0.0.1, port 0, for Connection tests. Each accepted client gets a
// server-side QSslSocket with the configured certificate and key.
class TlsTestServer : public QTcpServer
{
    Q_OBJECT
public:
    enum class Mode
    {
        Implicit, // TLS from the first byte, then "+OK hello"
        StartTls, // "+OK plain"; on "STLS" answers "+OK go" and starts TLS, then "+OK hello"
        Silent,   // accepts TCP and never says anything (no TLS either)
    };

    explicit TlsTestServer(QObject *parent = nullptr);

    // Loads PEM files; false (and error()) when they cannot be read.
    bool setCertificate(const QString &certPath, const QString &keyPath);
    void setMode(Mode mode) { m_mode = mode; }
    void setProtocol(QSsl::SslProtocol protocol) { m_protocol = protocol; }
    bool start(); // listen on 127.0.0.1:0

    QSslCertificate certificate() const { return m_cert; }
    QString error() const { return m_error; }
    int handshakesCompleted() const { return m_encrypted; }
    QStringList serverSideErrors() const { return m_serverErrors; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    QSslCertificate m_cert;
    QSslKey m_key;
    Mode m_mode = Mode::Implicit;
    QSsl::SslProtocol m_protocol = QSsl::TlsV1_2OrLater;
    QList<QPointer<QSslSocket>> m_clients;
    QString m_error;
    QStringList m_serverErrors;
    int m_encrypted = 0;
};

} // namespace pollux::test
