#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

namespace pollux::routing {

// The Accepted Recipient Domains: which recipients are local (ours). Matching is on the
// normalised domain (case-insensitive, IDN in ACE form): exact, or any subdomain as well
// when acceptSubdomains is set. Entries are expected to be valid (Config::validate());
// invalid ones simply never match.
class AcceptedDomains
{
public:
    AcceptedDomains() = default;
    AcceptedDomains(const QStringList &domains, bool acceptSubdomains);

    // `addressOrDomain`: "user@example.com" (the part after the last '@' counts) or
    // "example.com".
    bool isLocal(const QString &addressOrDomain) const;
    bool isEmpty() const { return m_domains.isEmpty(); }

private:
    QSet<QString> m_domains; // normalised
    bool m_subdomains = false;
};

} // namespace pollux::routing
