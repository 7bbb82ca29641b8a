#pragma once

#include "config/Config.h"
#include "util/Result.h"

#include <QObject>
#include <QSslCertificate>

namespace pollux::ui {

// "Test" for the re-routing directory (LDAP or SMTP probing): looks one address up in a
// worker thread (the directory clients are synchronous) and reports in the GUI thread.
class DirectoryTester : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // `config`: the directory, smtp and caFile settings as the page shows them.
    void start(const Config &config, const QString &ldapPassword, const QString &smtpPassword,
               const QList<QSslCertificate> &extraCaCertificates, const QString &address);
    bool isRunning() const { return m_running; }

signals:
    // known: the directory knows the address; a failure: it could not be asked.
    void finished(const pollux::Result &result, bool known, const QString &detail);

private:
    bool m_running = false;
};

} // namespace pollux::ui
