#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace pollux::test {

// A private GNU Mailutils pop3d and imap4d (Debian's mailutils-pop3d, mailutils-imap4d): the
// second, independent server implementation next to Dovecot. Both run from their own config
// (tests/fixtures/mailutils/server.conf.in, never /etc/mailutils.conf) in a temporary
// directory, on free 127.0.0.1 ports: a plain port offering STLS/STARTTLS and an implicit-TLS
// port each, with the TestCa certificate.
//
// Users are virtual ("virtdomain"): they log in as loginName(user) = user@pollux.test with a
// crypt(3) password; APOP works through a popauth database, and the SASL mechanisms imap4d
// advertises (GNU SASL) find the password in a cram-passwd file. Each mailbox is a Maildir,
// <home>/INBOX. Mailutils' own dialect shows: messages are stored with LF line ends (the
// server sends CRLF), and pop3d writes an "X-UIDL:" header into a message the first time
// it lists its UIDL, and sends it with the message.
// The destructor stops both servers (by PID, with their children).
class MailutilsServer
{
public:
    MailutilsServer();
    ~MailutilsServer();
    MailutilsServer(const MailutilsServer &) = delete;
    MailutilsServer &operator=(const MailutilsServer &) = delete;

    // Starts pop3d and imap4d and waits until all four ports accept connections; retries with
    // new ports if one was taken meanwhile.
    bool start(QString *error);
    // SIGTERM, then SIGKILL after a deadline, to both masters and their session children.
    bool stop();
    bool isRunning() const;

    quint16 pop3Port() const { return m_ports.value(QStringLiteral("pop3")); }
    quint16 pop3sPort() const { return m_ports.value(QStringLiteral("pop3s")); }
    quint16 imapPort() const { return m_ports.value(QStringLiteral("imap")); }
    quint16 imapsPort() const { return m_ports.value(QStringLiteral("imaps")); }

    static QString domain() { return QStringLiteral("pollux.test"); }
    static QString loginName(const QString &user) { return user + QLatin1Char('@') + domain(); }

    // Adds a user (letters, digits, '-', '_', '.') with an empty Maildir; before start() or
    // while running.
    bool addUser(const QString &user, const QString &password);
    // Writes one message (CRLF or LF) into the user's Maildir as a Unix file: LF line ends.
    bool deliver(const QString &user, const QByteArray &message);
    // Messages in cur/ and new/.
    int messageCount(const QString &user) const;
    QString maildir(const QString &user) const;

    QString logTail() const;

private:
    bool ensureDir();
    bool startOnce(QString *error);
    bool writeConfig(const QString &program, QString *error);
    bool writeUserFiles(QString *error);
    bool changeOwner(const QString &path) const;

    struct User
    {
        QString name;
        QString password;
    };

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_pop3d;
    QProcess m_imap4d;
    QMap<QString, quint16> m_ports;
    QList<User> m_users;
    quint64 m_delivered = 0;
    uint m_mailUid = 0; // owner of the Maildirs; never root
    uint m_mailGid = 0;
};

} // namespace pollux::test
