#pragma once

#include "config/Config.h"
#include "routing/Directory.h"

#include <QList>
#include <QSslCertificate>
#include <QString>

#include <memory>

namespace pollux {
class Clock;
}

namespace pollux::routing {

// The secrets a directory may need, read by the caller from the SecretStore beforehand
// (keys "ldap" and "smtp"); empty when none is configured.
struct DirectorySecrets
{
    QString ldapPassword; // for DirectoryConfig::bindDn
    QString smtpPassword; // for SmtpConfig::username (the probe logs in like delivery does)
};

// The directory configured in config.directory, wrapped in a CachedDirectory with
// cacheTtlSecs; nullptr for DirectoryType::None (every local recipient counts as known).
// LDAP trusts config.caFile in addition to the system CAs; the SMTP probe talks to
// config.smtp (host, port, STARTTLS, HELO name, AUTH, timeout) and trusts extraCas.
std::unique_ptr<RecipientDirectory> makeDirectory(const Config &config,
                                                  const DirectorySecrets &secrets,
                                                  const QList<QSslCertificate> &extraCas,
                                                  Clock *clock);

} // namespace pollux::routing
