#pragma once

#include "net/MailboxClient.h"

#include <memory>

namespace pollux::imap {

// IMAP4rev1 (RFC 3501) as a MailboxClient: greeting (a PREAUTH greeting is refused unless
// the connection is TLS from the first byte), CAPABILITY, STARTTLS when the endpoint asks
// for it (required: not offered -> ErrorCode::Tls, no credential sent), AUTHENTICATE with
// SASL (SASL-IR when offered) or LOGIN as the last resort, SELECT of the folder.
// A message is "<uidvalidity>:<uid>"; list() is UID FETCH 1:* (UID RFC822.SIZE);
// retrieve() runs pipelined UID FETCH (UID BODY.PEEK[]) batches (never sets \Seen) and
// streams each body into the sink; remove() is UID STORE +FLAGS.SILENT (\Deleted) and
// UID EXPUNGE (UIDPLUS), or the guarded plain EXPUNGE described in ImapSession.cpp.
// Also IDLE (RFC 2177) for ImapIdleWatcher.
class ImapClient : public MailboxClient
{
    Q_OBJECT
public:
    explicit ImapClient(QObject *parent = nullptr);
    ~ImapClient() override;

    void open(const MailboxOptions &options) override; // ... SELECT -> opened()
    void list() override;
    void retrieve(const QList<RemoteMessage> &messages, MessageSink *sink) override;
    void remove(const QList<RemoteMessage> &messages) override;
    void close() override;
    void abort() override;
    bool pipelined() const override;
    QString peerFingerprint() const override;
    bool canFetchIdentities() const override { return true; }
    void fetchIdentities(const QList<RemoteMessage> &messages) override;

    // The selected mailbox, after opened().
    qint64 uidValidity() const;
    qint64 uidNext() const;
    qint64 exists() const;
    bool hasCapability(const QByteArray &capability) const; // upper case, e.g. "IDLE"

    // IDLE: after opened(), with hasCapability("IDLE"). -> idling(); mailboxGrew() while
    // idle; stopIdle() sends DONE -> idleStopped().
    void idle();
    void stopIdle();

    // Messages per UID FETCH command while retrieving (the last batch may be smaller).
    static int batchSize(int total);

signals:
    void idling();
    void mailboxGrew(qint64 exists);
    void idleStopped();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pollux::imap
