#pragma once

#include "routing/Directory.h"

#include <QString>

namespace pollux::routing {

// Escapes a value for an LDAP search filter (RFC 4515 §3): '*', '(', ')', '\' and NUL
// become \2a, \28, \29, \5c, \00. Everything else (UTF-8 included) stays.
QString escapeFilterValue(const QString &value);

// The configured filter with every "%s" replaced by the escaped address.
QString buildFilter(const QString &filterTemplate, const QString &address);

// Active Directory or OpenLDAP through libldap (synchronous, bounded by timeoutSecs).
// Known: the search under baseDn with the filter finds at least one entry; Unknown: none.
// Unavailable: the server cannot be reached or does not answer in time, TLS fails
// (certificates are verified: the system CAs plus caFile, host name checked), the bind is
// refused (ErrorCode::AuthFailed), the base DN does not exist or the filter is invalid.
//
// Security: a bind password is only sent over TLS (ldaps:// or StartTLS) - or in plain
// text to a loopback host; otherwise every lookup is Unavailable with ErrorCode::Tls.
// The password is never logged; errors name the URL and the bind DN only.
// The connection is opened at the first lookup and kept; a dropped one is reopened once.
class LdapDirectory : public RecipientDirectory
{
public:
    struct Options
    {
        QString url;           // ldap://host:389 or ldaps://host:636
        bool startTls = false; // required when set (never silently skipped)
        QString baseDn;
        QString bindDn; // empty: anonymous
        QString password;
        QString filter = QStringLiteral("(|(mail=%s)(proxyAddresses=smtp:%s))");
        QString caFile; // extra trusted CA certificates (PEM); empty: system CAs only
        int timeoutSecs = 15;
    };

    explicit LdapDirectory(const Options &options);
    ~LdapDirectory() override;
    LdapDirectory(const LdapDirectory &) = delete;
    LdapDirectory &operator=(const LdapDirectory &) = delete;

    DirectoryAnswer lookup(const QString &address) override;

private:
    DirectoryAnswer connectAndBind();
    DirectoryAnswer search(const QString &address, bool &connectionLost);
    void disconnect();

    Options m_options;
    void *m_ld = nullptr; // LDAP*, kept out of the header
};

} // namespace pollux::routing
