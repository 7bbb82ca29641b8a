#pragma once

#include "config/Config.h"
#include "smtp/SmtpClient.h"
#include "util/Result.h"

#include <QObject>
#include <QPointer>
#include <QSslCertificate>

namespace pollux::ui {

// "Test" for the office mail server: connect, EHLO, STARTTLS and AUTH as configured, then
// QUIT. Asynchronous; finished() comes once per start().
class SmtpTester : public QObject
{
    Q_OBJECT
public:
    explicit SmtpTester(QObject *parent = nullptr);
    ~SmtpTester() override;

    void start(const SmtpConfig &smtp, const QString &password,
               const QList<QSslCertificate> &extraCaCertificates);
    bool isRunning() const { return m_client != nullptr; }

signals:
    void finished(const pollux::Result &result);

private:
    void done(const Result &result);
    QPointer<smtp::SmtpClient> m_client;
};

} // namespace pollux::ui
