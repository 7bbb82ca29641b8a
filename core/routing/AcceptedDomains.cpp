#include "AcceptedDomains.h"

#include "Address.h"

namespace pollux::routing {

AcceptedDomains::AcceptedDomains(const QStringList &domains, bool acceptSubdomains)
    : m_subdomains(acceptSubdomains)
{
    for (const QString &d : domains) {
        const QString n = normaliseDomain(d);
        if (!n.isEmpty())
            m_domains.insert(n);
    }
}

bool AcceptedDomains::isLocal(const QString &addressOrDomain) const
{
    const qsizetype at = addressOrDomain.lastIndexOf(QLatin1Char('@'));
    const QString domain = normaliseDomain(at < 0 ? addressOrDomain : addressOrDomain.mid(at + 1));
    if (domain.isEmpty())
        return false;
    if (m_domains.contains(domain))
        return true;
    if (!m_subdomains)
        return false;
    // "a.b.example.com": try "b.example.com", then "example.com", ...
    qsizetype dot = domain.indexOf(QLatin1Char('.'));
    while (dot >= 0) {
        if (m_domains.contains(domain.mid(dot + 1)))
            return true;
        dot = domain.indexOf(QLatin1Char('.'), dot + 1);
    }
    return false;
}

} // namespace pollux::routing
