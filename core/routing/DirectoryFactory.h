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

// How the directory is used: the delivery worker's is cancellable and behind a circuit
// breaker; a test from the settings dialog or a dry run always asks.
struct DirectoryUse
{
    CancelFlag cancel;    // see CancelFlag; empty: not cancellable
    bool breaker = false; // wrap in a CircuitBreakerDirectory (open for smtp.retryIntervalSecs)
};

// The directory configured in config.directory, wrapped in a CachedDirectory with
// cacheTtlSecs; nullptr for DirectoryType::None (every local recipient counts as known).
// Both kinds get directory.timeoutSecs for all the lookups of one message. LDAP trusts
// config.caFile in addition to the system CAs; the SMTP probe talks to config.smtp (host,
// port, STARTTLS, HELO name, AUTH) and trusts extraCas. With use.breaker the chain is
// cache -> breaker -> directory: remembered answers still count while the breaker is open.
std::unique_ptr<RecipientDirectory> makeDirectory(const Config &config,
                                                  const DirectorySecrets &secrets,
                                                  const QList<QSslCertificate> &extraCas,
                                                  Clock *clock, const DirectoryUse &use = {});

} // namespace pollux::routing
