#pragma once

#include "net/MailboxClient.h"
#include "store/Spool.h"
#include "store/Store.h"

#include <QElapsedTimer>
#include <QList>
#include <QStringList>

#include <functional>
#include <memory>

namespace pollux {

// Streams retrieved messages into the spool and makes them durable in batches: the
// batch's files are written without a flush each, then one flush of them all
// (Spool::makeDurable: syncfs), then one SQLite transaction recording every UID of the
// batch, committed to the disk. Only then does a message count as collected (and may the
// provider delete it). A batch costs two flushes whatever its size.
class SpoolSink final : public MessageSink
{
public:
    struct Limits
    {
        // A batch is made durable after this many messages - the first after `messages`,
        // so that delivery starts soon, each next one after twice as many as the one
        // before, up to `maxMessages` - ...
        int messages = 25;
        int maxMessages = 800;
        qint64 bytes = 64 * 1024 * 1024; // ...or this many bytes...
        int millis = 1000;               // ...or when the oldest waited this long
    };

    SpoolSink(Spool &spool, Store &store, const QString &account, const QStringList &recipients,
              Limits limits);
    SpoolSink(Spool &spool, Store &store, const QString &account, const QStringList &recipients);
    ~SpoolSink() override;

    Result begin(const RemoteMessage &message) override;
    Result write(const char *data, qsizetype size) override;
    Result end(const RemoteMessage &message) override;
    void abort(const RemoteMessage &message) override;

    // Makes whatever is complete durable now (end of the retrieval, or after a failure).
    Result flush();

    int committed() const { return m_committed; }

    // What identifies one copy of a message apart from its UID, to recognise it after the
    // server renumbered the mailbox: "h1:<hex SHA-256 of the header block>|<size>", the size
    // as the server announced it. The header block (up to the empty line, at most
    // HeaderCapture bytes) differs between the copies a provider keeps of one message for
    // each recipient (Delivered-To, Received ... for), where Message-ID and size do not.
    // `head` is the start of the message (its header block and maybe more). Records of
    // older versions hold "<message-id>|<size>" or "sha256:<hex>|<size>": never "h1:...".
    static QString fingerprint(const QByteArray &head, qint64 size);
    static bool isCurrentFingerprint(const QString &fingerprint);
    static constexpr qsizetype HeaderCapture = 64 * 1024;

    // From and Subject of a message for the activity window (recorded with it, schema 9),
    // read from `head` (the start of the message, at most HeaderCapture bytes): the first
    // field of each name, its encoded words decoded (RFC 2047), control and bidirectional
    // formatting characters dropped, white space (CR and LF too) collapsed to one space, at
    // most DisplayLimit characters (a longer text ends in "…").
    // Empty when the head has no such field or nothing printable in it. Never fails: a header
    // that cannot be read only leaves these empty; the message is collected all the same.
    struct Display
    {
        QString from;
        QString subject;
    };
    static Display displayFields(const QByteArray &head);
    static QString displayText(const QByteArray &value);
    static constexpr qsizetype DisplayLimit = 200;
    // Called after every durable batch with the number of messages in it.
    std::function<void(int)> onBatchCommitted;

private:
    Spool &m_spool;
    Store &m_store;
    QString m_account;
    QStringList m_recipients;
    Limits m_limits;
    std::unique_ptr<Spool::Writer> m_writer;
    QByteArray m_head; // the start of the message being written, for its fingerprint
    QList<SpooledMessage> m_batch;
    qint64 m_batchBytes = 0;
    int m_batchLimit = 0; // messages in the current batch before it is made durable
    QElapsedTimer m_batchAge;
    int m_committed = 0;
};

} // namespace pollux
