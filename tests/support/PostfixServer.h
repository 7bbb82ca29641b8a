#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace pollux::test {

// A private Postfix (the office server most offices run) on a free 127.0.0.1 port, with its
// own config, queue and data directories in a temporary directory
// (tests/fixtures/postfix/*.cf.in). It accepts mail for the users added with addUser() (one
// virtual mailbox domain) and answers "550 5.1.1 ... User unknown" for any other address of
// that domain; it relays nowhere. Mail is delivered into one Maildir per user.
// Needs root (Postfix's master drops to the "postfix" user) and the Debian package postfix.
// The master runs in the foreground (postfix start-fg) as this process's child and is
// stopped by PID with its whole process tree (destructor too).
class PostfixServer
{
public:
    explicit PostfixServer(const QString &domain = QStringLiteral("office.example"));
    ~PostfixServer();
    PostfixServer(const PostfixServer &) = delete;
    PostfixServer &operator=(const PostfixServer &) = delete;

    // Before start(): a known recipient ("alice" or "alice@<domain>"); its Maildir.
    bool addUser(const QString &user);
    void setMessageSizeLimit(qint64 bytes) { m_sizeLimit = bytes; }

    bool start(QString *error);
    bool stop(); // true if the master and all its children are gone
    bool isRunning() const;
    quint16 port() const { return m_port; }
    qint64 pid() const;
    QString domain() const { return m_domain; }

    // Messages delivered to the user's Maildir, oldest first (as delivered: Postfix adds
    // Return-Path, Delivered-To and its Received line; line ends are LF).
    QList<QByteArray> messages(const QString &user) const;
    int messageCount(const QString &user) const;
    // Waits (event loop running) until the user's Maildir holds at least count messages.
    bool waitForMessages(const QString &user, int count, int timeoutMs = 20000) const;
    // Waits until nothing is left in Postfix's queue (everything accepted was delivered), so
    // a test can check what did NOT arrive.
    bool waitForEmptyQueue(int timeoutMs = 20000) const;
    // Postfix's log (maillog_file), e.g. to read "nrcpt=2" for a queue id.
    QString log() const;
    QString logTail() const;
    // The queue id in Postfix's own Received: line of a delivered message ("with ESMTP id X").
    static QString queueId(const QByteArray &message);

private:
    QString localPart(const QString &user) const;
    QString maildir(const QString &user) const;
    QStringList messageFiles(const QString &user) const;
    bool prepare(QString *error);
    bool startOnce(QString *error);
    bool writeTemplate(const QString &name, const QString &target, QString *error) const;

    QString m_domain;
    QStringList m_users;
    qint64 m_sizeLimit = 10 * 1024 * 1024;
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    uint m_uid = 0;
    uint m_gid = 0;
};

} // namespace pollux::test
