#pragma once

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace pollux::test {

// A private Cyrus IMAP server (Debian's cyrus-imapd and cyrus-pop3d): the third, independent
// server implementation next to Dovecot and GNU Mailutils. Cyrus' master runs as this
// process's child from its own configuration (tests/fixtures/cyrus/*.in, passed with -C and
// -M to every program) with configuration, spool, SASL database and sockets in a temporary
// directory, on free 127.0.0.1 ports: a plain port offering STARTTLS/STLS and an implicit-TLS
// port for IMAP and for POP3, with the TestCa certificate. As root, the services drop to the
// "cyrus" user of cyrus-common.
//
// cyrus-imapd and cyrus-pop3d conflict with Dovecot's and Mailutils' packages (imap-server,
// pop3-server), so deploy/install-deps.sh installs only cyrus-common (master, ctl_cyrusdb and
// the libraries) and unpacks the two server packages into /var/cache/pollux-test/cyrus
// ($POLLUX_CYRUS_ROOT); a system-wide cyrus-imapd is used if present.
//
// Users live in a private sasldb (saslpasswd2 -f) and log in with their plain name; the
// mailbox is the user's INBOX in Cyrus' own store, created at the first login. Messages go in
// with IMAP APPEND (byte for byte, CRLF) and are counted with STATUS, through the plain IMAP
// port as the user: Cyrus keeps its index, and expunged messages stay on disk for a while, so
// the spool files are no measure of what is left.
// The destructor stops the master and its service processes (by PID).
class CyrusServer
{
public:
    CyrusServer();
    ~CyrusServer();
    CyrusServer(const CyrusServer &) = delete;
    CyrusServer &operator=(const CyrusServer &) = delete;

    // Starts the master and waits until all four ports accept connections; retries with new
    // ports if one was taken meanwhile.
    bool start(QString *error);
    bool stop(); // SIGTERM, then SIGKILL after a deadline, to the master and its children
    bool isRunning() const;

    quint16 pop3Port() const { return m_ports.value(QStringLiteral("POP3_PORT")); }
    quint16 pop3sPort() const { return m_ports.value(QStringLiteral("POP3S_PORT")); }
    quint16 imapPort() const { return m_ports.value(QStringLiteral("IMAP_PORT")); }
    quint16 imapsPort() const { return m_ports.value(QStringLiteral("IMAPS_PORT")); }

    static QString loginName(const QString &user) { return user; }

    // Adds a user (letters, digits, '-', '_', '.') to the SASL database; before start() or
    // while running.
    bool addUser(const QString &user, const QString &password);
    // APPENDs one message (CRLF line ends, as Cyrus wants them) to the user's INBOX; needs
    // the server running.
    bool deliver(const QString &user, const QByteArray &message);
    // Messages in the user's INBOX (STATUS MESSAGES); -1 if it cannot be asked.
    int messageCount(const QString &user) const;

    QString logTail() const;

private:
    bool ensureDir(QString *error);
    bool startOnce(QString *error);
    bool writeTemplate(const QString &name, QString *error) const;
    bool changeOwner(const QString &path) const;
    // One IMAP session on the plain port as the user: LOGIN, the command (with an optional
    // literal after it, sent as LITERAL+), LOGOUT. Returns the untagged lines of the command
    // in *untagged; false unless it was answered OK.
    bool imapCommand(const QString &user, const QByteArray &command, const QByteArray &literal,
                     QByteArray *untagged) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_master;
    QMap<QString, quint16> m_ports;
    QMap<QString, QString> m_passwords;
    QString m_runUser; // what the services run as: "cyrus" under root, else ourselves
    uint m_uid = 0;
    uint m_gid = 0;
};

} // namespace pollux::test
