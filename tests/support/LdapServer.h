#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace pollux::test {

// A private OpenLDAP slapd on free 127.0.0.1 ports: ldap:// (StartTLS offered) and ldaps://,
// both with the TestCa certificate. The directory (tests/fixtures/ldap/directory.ldif) is
// loaded with slapadd before the start; the schema adds AD's proxyAddresses
// (tests/fixtures/ldap/pollux-ad.schema). Runs in the foreground as this process's child and
// is stopped by PID (destructor too).
//
// Users: alice@office.example (mail), bob@office.example (mail, proxyAddresses
// SMTP:bob@office.example and smtp:robert@office.example), anna@xn--bcher-kva.example,
// "star*(x)@office.example" (filter metacharacters). Service account: bindDn() with
// bindPassword(); anonymous reads are allowed too.
//
// Use 127.0.0.1 in URLs, not "localhost": libldap replaces "localhost" by the reverse
// lookup of the address for the certificate check.
class LdapServer
{
public:
    LdapServer();
    ~LdapServer();
    LdapServer(const LdapServer &) = delete;
    LdapServer &operator=(const LdapServer &) = delete;

    // Writes the configuration, loads the directory, starts slapd and waits until both ports
    // accept connections. Retries with new ports if a port was taken meanwhile.
    bool start(QString *error);
    bool stop(); // true if slapd is gone
    bool isRunning() const;
    qint64 pid() const;

    quint16 port() const { return m_port; }           // ldap:// (StartTLS available)
    quint16 ldapsPort() const { return m_ldapsPort; } // ldaps://
    QString url() const;                              // ldap://127.0.0.1:<port>
    QString ldapsUrl() const;                         // ldaps://127.0.0.1:<ldapsPort>
    QString caFile() const;                           // the CA that signed the certificate

    static QString baseDn() { return QStringLiteral("dc=office,dc=example"); }
    static QString bindDn() { return QStringLiteral("cn=pollux,ou=services,dc=office,dc=example"); }
    static QString bindPassword() { return QStringLiteral("pollux-bind-secret"); }

    QString logTail() const;

private:
    bool prepare(QString *error);
    bool startOnce(QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    quint16 m_ldapsPort = 0;
};

} // namespace pollux::test
