#include "SmtpTester.h"

#include "smtp/SmtpClient.h"

namespace pollux::ui {

SmtpTester::SmtpTester(QObject *parent) : QObject(parent) {}

SmtpTester::~SmtpTester()
{
    if (m_client) {
        m_client->abort();
        delete m_client;
    }
}

void SmtpTester::start(const SmtpConfig &smtp, const QString &password,
                       const QList<QSslCertificate> &extraCaCertificates)
{
    if (m_client) {
        m_client->abort();
        m_client->deleteLater();
    }
    smtp::Options options;
    options.endpoint.host = smtp.host;
    options.endpoint.port = smtp.port;
    options.endpoint.tls = smtp.startTls ? net::TlsMode::StartTls : net::TlsMode::None;
    options.endpoint.timeoutMs = smtp.timeoutSecs * 1000;
    options.endpoint.extraCaCertificates = extraCaCertificates;
    options.heloName = smtp.heloName;
    options.username = smtp.username;
    options.password = password;
    options.label = QStringLiteral("smtp-test");
    auto *client = new smtp::SmtpClient(this);
    m_client = client;
    connect(client, &smtp::SmtpClient::opened, this, [client] { client->close(); });
    connect(client, &smtp::SmtpClient::closed, this, [this, client] {
        if (m_client == client)
            done(Result::success());
    });
    connect(client, &smtp::SmtpClient::failed, this, [this, client](const Result &error) {
        if (m_client == client)
            done(error);
    });
    client->open(options);
}

void SmtpTester::done(const Result &result)
{
    if (m_client) {
        m_client->deleteLater();
        m_client = nullptr;
    }
    emit finished(result);
}

} // namespace pollux::ui
