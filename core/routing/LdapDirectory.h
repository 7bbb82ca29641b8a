#pragma once

#include "routing/Directory.h"

#include <QDeadlineTimer>
#include <QString>

namespace pollux::routing {

// Escapes a value for an LDAP search filter (RFC 4515 §3): '*', '(', ')', '\' and NUL
// become \2a, \28, \29, \5c, \00. Everything else (UTF-8 included) stays.
QString escapeFilterValue(const QString &value);

// The configured filter with every "%s" replaced by the escaped address.
QString buildFilter(const QString &filterTemplate, const QString &address);

// Active Directory or OpenLDAP through libldap (synchronous for the caller, bounded by
// timeoutSecs for one whole lookupAll()).
// Known: the search under baseDn with the filter finds at least one entry; Unknown: none.
// Unavailable: the server cannot be reached or does not answer in time, TLS fails
// (certificates are verified: the system CAs plus caFile, host name checked), the bind is
// refused (ErrorCode::AuthFailed), the base DN does not exist or the filter is invalid.
//
// Security: a bind password is only sent over TLS (ldaps:// or StartTLS) - or in plain
// text to a loopback host; otherwise every lookup is Unavailable with ErrorCode::Tls.
// The password is never logged; errors name the URL and the bind DN only.
//
// Time: every lookupAll() has one deadline, timeoutSecs from its start, for the connection,
// TLS, the bind and every search. The operations are sent asynchronously and their results
// polled in slices of at most 100 ms, so a server that accepts and never answers costs one
// budget per message (not one per address), and `cancel` ends a lookup within a slice. The
// TCP connect and the TLS handshake are libldap's own blocking calls, bounded by the time
// left. When the connection fails, the bind is refused or the time is up, the addresses not
// answered yet are Unavailable at once - never a reconnect per address.
// The connection is opened at the first lookupAll() and kept; a kept connection found
// dropped is reopened once (within the same deadline).
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
        QString caFile;       // extra trusted CA certificates (PEM); empty: system CAs only
        int timeoutSecs = 15; // for one whole lookupAll()
        CancelFlag cancel;    // optional: set -> lookups end (Unavailable, Cancelled)
    };

    explicit LdapDirectory(const Options &options);
    ~LdapDirectory() override;
    LdapDirectory(const LdapDirectory &) = delete;
    LdapDirectory &operator=(const LdapDirectory &) = delete;

    DirectoryAnswer lookup(const QString &address) override;
    QList<DirectoryAnswer> lookupAll(const QStringList &addresses) override;

private:
    DirectoryAnswer connectAndBind(const QDeadlineTimer &deadline);
    DirectoryAnswer search(const QString &address, const QDeadlineTimer &deadline,
                           bool &connectionLost);
    // Waits for the result of `msgid` until the deadline or the cancel flag; returns
    // LDAP_SUCCESS with *result set, or a libldap error code (LDAP_TIMEOUT when the time
    // is up, kCancelled when cancelled).
    int await(int msgid, const QDeadlineTimer &deadline, void **result);
    DirectoryAnswer failure(int rc, const QString &what) const;
    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }
    void setNetworkTimeout(const QDeadlineTimer &deadline);
    void disconnect();

    Options m_options;
    void *m_ld = nullptr; // LDAP*, kept out of the header
};

} // namespace pollux::routing
