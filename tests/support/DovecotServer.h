#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace pollux::test {

// A private Dovecot (POP3, POP3S, IMAP, IMAPS on free 127.0.0.1 ports) in a temporary
// directory, using the TestCa certificate. Users live in a passwd-file; mail is written
// straight into their Maildirs. As root, mail belongs to Debian's "mail" user (Dovecot
// refuses uid 0); otherwise Dovecot runs rootless as the current user.
// The destructor stops the server, so a failing test never leaves it running.
class DovecotServer
{
public:
    DovecotServer();
    ~DovecotServer();
    DovecotServer(const DovecotServer &) = delete;
    DovecotServer &operator=(const DovecotServer &) = delete;

    // Options, before start(). SASL mechanisms offered (Dovecot's auth_mechanisms), default
    // "plain login"; with the passwd-file's plaintext passwords "cram-md5 scram-sha-1
    // scram-sha-256 apop" work too.
    void setAuthMechanisms(const QString &mechanisms) { m_authMechanisms = mechanisms; }
    // Loopback addresses to listen on (same ports), default 127.0.0.1 only; readiness is
    // checked on 127.0.0.1, which must stay in the list.
    void setListenAddresses(const QStringList &addresses) { m_listen = addresses; }
    // The server certificate and key (PEM), default TestCa's certPath()/keyPath().
    void setCertificate(const QString &certPath, const QString &keyPath)
    {
        m_certPath = certPath;
        m_keyPath = keyPath;
    }
    // Also accepts OAuth2 bearer tokens (XOAUTH2, OAUTHBEARER, added to the mechanisms): an
    // oauth2 passdb validates them locally as HS256 JWTs signed with this shared secret
    // (header kid "default", no azp claim); the token's "sub" claim is the user name. Users
    // of these mechanisms need no passwd-file entry, only a Maildir (deliver() creates it).
    void setOAuth2Key(const QByteArray &secret) { m_oauth2Key = secret; }
    // Instead of a key: the oauth2 passdb asks an authorization server about each token
    // (RFC 7662 introspection, POST, as client `clientId` with HTTP Basic) and takes the
    // user name from the answer's `usernameAttribute`; the answer must say "active": true.
    // For OidcServer: its introspectionEndpoint(), dovecotClient()/dovecotSecret(), "mailbox".
    void setOAuth2Introspection(const QUrl &endpoint, const QString &clientId,
                                const QString &clientSecret,
                                const QString &usernameAttribute = QStringLiteral("mailbox"))
    {
        m_introspection = endpoint;
        m_introspection.setUserName(clientId);
        m_introspection.setPassword(clientSecret);
        m_introspectionUser = usernameAttribute;
    }

    // Starts dovecot and waits until every port accepts connections. Retries with new ports
    // if a port was taken meanwhile.
    bool start(QString *error);
    // SIGTERM, then SIGKILL after a deadline; also waits for auth/login children to go.
    // Returns true if the master and all its children are gone.
    bool stop();
    bool isRunning() const;

    quint16 pop3Port() const { return m_ports.value(QStringLiteral("POP3_PORT")); }
    quint16 pop3sPort() const { return m_ports.value(QStringLiteral("POP3S_PORT")); }
    quint16 imapPort() const { return m_ports.value(QStringLiteral("IMAP_PORT")); }
    quint16 imapsPort() const { return m_ports.value(QStringLiteral("IMAPS_PORT")); }

    // PID of the dovecot master and of its current children (for tests that check cleanup).
    qint64 pid() const;
    QList<qint64> childPids() const;

    // Adds or replaces a user (no '/' or ':' in the name; any password) and creates an
    // empty Maildir. Works before start() and while running.
    bool addUser(const QString &user, const QString &password);
    // Writes one message into the user's Maildir (tmp/, then rename to new/).
    bool deliver(const QString &user, const QByteArray &message);
    // Messages in cur/ and new/.
    int messageCount(const QString &user) const;
    // Their contents, oldest delivery first.
    QList<QByteArray> messages(const QString &user) const;
    QString maildir(const QString &user) const;

    QString logPath() const;
    QString logTail() const;

private:
    bool ensureDir();
    QString instanceTag() const;
    bool startOnce(QString *error);
    bool writeConfig(QString *error);
    bool writeOAuth2Config(QString *config);
    bool writeLocalKey(const QString &ext);
    bool writePasswdFile(const QString &user, const QString &password);
    bool ensureMaildir(const QString &user);
    QStringList messageFiles(const QString &user) const;
    bool changeOwner(const QString &path) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
    QMap<QString, quint16> m_ports;
    quint64 m_delivered = 0;
    uint m_mailUid = 0; // owner of the Maildirs: never root, which Dovecot refuses
    uint m_mailGid = 0;
    QString m_authMechanisms = QStringLiteral("plain login");
    QStringList m_listen{QStringLiteral("127.0.0.1")};
    QString m_certPath;
    QString m_keyPath;
    QByteArray m_oauth2Key;
    QUrl m_introspection;
    QString m_introspectionUser;
};

} // namespace pollux::test
