#include "DirectoryFactory.h"

#include "LdapDirectory.h"
#include "SmtpProbeDirectory.h"

namespace pollux::routing {

std::unique_ptr<RecipientDirectory> makeDirectory(const Config &config,
                                                  const DirectorySecrets &secrets,
                                                  const QList<QSslCertificate> &extraCas,
                                                  Clock *clock, const DirectoryUse &use)
{
    const DirectoryConfig &d = config.directory;
    std::unique_ptr<RecipientDirectory> inner;
    switch (d.type) {
    case DirectoryType::None:
        return nullptr;
    case DirectoryType::Ldap: {
        LdapDirectory::Options o;
        o.url = d.ldapUrl;
        o.startTls = d.ldapStartTls;
        o.baseDn = d.baseDn;
        o.bindDn = d.bindDn;
        o.password = d.bindDn.isEmpty() ? QString() : secrets.ldapPassword;
        o.filter = d.filter;
        o.caFile = config.caFile;
        o.timeoutSecs = d.timeoutSecs;
        o.cancel = use.cancel;
        inner = std::make_unique<LdapDirectory>(o);
        break;
    }
    case DirectoryType::SmtpProbe: {
        SmtpProbeDirectory::Options o;
        o.host = config.smtp.host;
        o.port = config.smtp.port;
        o.startTls = config.smtp.startTls;
        o.heloName = config.smtp.heloName;
        o.username = config.smtp.username;
        o.password = config.smtp.username.isEmpty() ? QString() : secrets.smtpPassword;
        o.extraCaCertificates = extraCas;
        o.timeoutSecs = d.timeoutSecs;
        o.cancel = use.cancel;
        inner = std::make_unique<SmtpProbeDirectory>(o);
        break;
    }
    }
    if (use.breaker)
        inner = std::make_unique<CircuitBreakerDirectory>(std::move(inner),
                                                          config.smtp.retryIntervalSecs, clock);
    return std::make_unique<CachedDirectory>(std::move(inner), d.cacheTtlSecs, clock);
}

} // namespace pollux::routing
