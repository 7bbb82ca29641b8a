#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace pollux::test {

// A private Exim 4 (Debian's exim4-daemon-light), the second office MTA beside Postfix, on a
// free 127.0.0.1 port with its own configuration (tests/fixtures/exim/exim.conf.in), spool,
// log and Maildirs in a temporary directory. It accepts mail for one domain: the local parts
// added with addUser() (any text, e.g. "john q. public" for "\"john q. public\"@domain") get
// a Maildir each; any other local part of the domain is answered "550 5.1.1 <...>: User
// unknown" at RCPT, refuseRecipient() chooses another 5xx for one; nothing is relayed.
// STARTTLS is offered with the TestCa certificate.
//
// exim4 conflicts with postfix (mail-transport-agent), so deploy/install-deps.sh unpacks the
// packages into /var/cache/pollux-test/exim ($POLLUX_EXIM_ROOT) instead of installing them; a
// system-wide /usr/sbin/exim4 is used if present. With -C Exim drops root for its compiled-in
// user Debian-exim (which install-deps.sh adds) and delivers as that user.
// The daemon runs in the foreground (-bdf) as this process's child and is stopped by PID
// with its process tree (destructor too).
class EximServer
{
public:
    explicit EximServer(const QString &domain = QStringLiteral("office.test"));
    ~EximServer();
    EximServer(const EximServer &) = delete;
    EximServer &operator=(const EximServer &) = delete;

    // A mailbox for the local part (as Exim sees it: unquoted, compared without case); before
    // start() or while running.
    bool addUser(const QString &localPart);
    // RCPT TO for the local part is answered with reply (a 5xx line with an enhanced status
    // code, e.g. "552 5.2.2 Mailbox full"), whether it has a mailbox or not.
    bool refuseRecipient(const QString &localPart, const QString &reply);

    bool start(QString *error);
    bool stop(); // true if the daemon and all its children are gone
    bool isRunning() const;
    quint16 port() const { return m_port; }
    QString domain() const { return m_domain; }

    // Messages delivered to the local part's Maildir, oldest first, as stored: Exim's
    // Received: line and then the message as it came, CRLF line ends.
    QList<QByteArray> messages(const QString &localPart) const;
    int messageCount(const QString &localPart) const;
    // Waits until nothing is left in Exim's queue (every accepted message was delivered), so
    // a test can check what did NOT arrive.
    bool waitForEmptyQueue(int timeoutMs = 20000) const;
    QString log() const; // the main log
    QString logTail() const;

    // The message as the client sent it: the stored one without Exim's Received: line.
    static QByteArray withoutReceived(const QByteArray &stored);
    // Exim's message id in its Received: line ("id 1abcde-000123-AB").
    static QString messageId(const QByteArray &stored);

private:
    bool prepare(QString *error);
    bool startOnce(QString *error);
    bool writeLookups() const;
    QString maildir(const QString &localPart) const;

    QString m_domain;
    QMap<QString, QString> m_boxes;   // local part (lower case) -> Maildir folder name
    QMap<QString, QString> m_refused; // local part (lower case) -> reply
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_runUser;
    uint m_uid = 0;
    uint m_gid = 0;
};

} // namespace pollux::test
