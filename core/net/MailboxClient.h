#pragma once

#include "net/Connection.h"
#include "util/Result.h"

#include <QList>
#include <QObject>
#include <QString>

namespace pollux {

// A message as the remote mailbox lists it.
struct RemoteMessage
{
    QString uid; // POP3: the UIDL; IMAP: "<uidvalidity>:<uid>"
    qint64 size = 0;
    qint64 index = 0; // POP3: message number; IMAP: the UID
};

// A listed message with its header block (IMAP: BODY.PEEK[HEADER]), used to recognise a
// known message the server renumbered (UIDVALIDITY change).
struct RemoteIdentity
{
    RemoteMessage message;
    QByteArray header; // the header block, empty line included; may be cut short
};

// Receives each retrieved message as it streams in, content exactly as stored on the
// server (transfer encoding such as dot-stuffing already removed).
class MessageSink
{
public:
    virtual ~MessageSink() = default;
    virtual Result begin(const RemoteMessage &message) = 0;
    virtual Result write(const char *data, qsizetype size) = 0;
    virtual Result end(const RemoteMessage &message) = 0; // the message is complete
    virtual void abort(const RemoteMessage &message) = 0; // incomplete: throw it away
};

// The completeness rule (docs/RELIABILITY.md): a retrieved message counts as complete only
// when its end was framed properly (POP3: CRLF "." CRLF; IMAP: a literal or quoted string of
// the whole BODY[]) and its size agrees with the one the listing announced (POP3 LIST, IMAP
// RFC822.SIZE). Two ways of counting are accepted: the octets as received (RFC 1939 and
// RFC 3501 count with CRLF line ends: Dovecot, GNU Mailutils' LIST), or the octets minus one
// for every CRLF received (a server that stores bare LF line ends and counts its file). A
// final CRLF may come on top of either: a POP3 server adds it to a message that does not end
// in a line end, so that the terminator stands on its own line (Dovecot does). A message
// received short of every reading may have been cut by a forged end; one that is longer was
// read whole but is not the announced message. Either way it is refused: not stored, not
// recorded, left on the server. Counted as it streams in.
class ContentCount
{
public:
    void reset() { *this = ContentCount(); }
    void add(const char *data, qsizetype size)
    {
        for (qsizetype i = 0; i < size; ++i) {
            if (data[i] == '\n' && (i > 0 ? data[i - 1] : m_last) == '\r')
                ++m_crlfs;
        }
        if (size >= 2)
            m_endsWithCrlf = data[size - 2] == '\r' && data[size - 1] == '\n';
        else if (size == 1)
            m_endsWithCrlf = m_last == '\r' && data[0] == '\n';
        if (size > 0)
            m_last = data[size - 1];
        m_octets += size;
    }
    qint64 octets() const { return m_octets; }
    // True once no reading can agree with `announced` any more, however the message goes on:
    // every reading only grows as data comes, and the smallest is octets - CRLFs - 1. A
    // server that sends on past that is not sending the announced message: stop reading it
    // (bounded, instead of streaming whatever comes into the spool).
    bool cannotAgree(qint64 announced) const { return m_octets - m_crlfs - 1 > announced; }
    qint64 crlfs() const { return m_crlfs; }
    bool agrees(qint64 announced) const
    {
        if (announced == m_octets || announced == m_octets - m_crlfs)
            return true;
        // Without the final CRLF the server may have added.
        return m_endsWithCrlf &&
               (announced == m_octets - 2 || announced == m_octets - 2 - (m_crlfs - 1));
    }
    // Null when the count agrees with message.size; otherwise why the message is refused.
    Result check(const RemoteMessage &message) const
    {
        if (agrees(message.size))
            return Result::success();
        return Result::failure(
            ErrorCode::Integrity,
            QStringLiteral("message UID %1 is not complete: the server announced %2 bytes, %3 "
                           "arrived (%4 counting bare LF line ends); it stays on the server")
                .arg(message.uid)
                .arg(message.size)
                .arg(m_octets)
                .arg(m_octets - m_crlfs));
    }

private:
    qint64 m_octets = 0;
    qint64 m_crlfs = 0;
    char m_last = 0;
    bool m_endsWithCrlf = false;
};

struct MailboxOptions
{
    net::Endpoint endpoint;
    QString username;
    QString password;
    bool allowApop = true;
    // "auto" or a method name (see AccountConfig::authMethods()).
    QString authMethod = QStringLiteral("auto");
    // Methods that send the password itself only over TLS unless this is set.
    bool allowPlaintextLogin = false;
    QString folder = QStringLiteral("INBOX"); // IMAP
    int pipelineWindow = 32; // commands in flight when the server allows pipelining
    QString label;           // account name, for the transcript
};

// A POP3 or IMAP mailbox, driven step by step by a pass. Asynchronous: each call answers
// with its signal, or with failed() after which the client is unusable (the connection is
// gone; POP3 deletions not committed). Lives in one thread.
class MailboxClient : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void open(const MailboxOptions &options) = 0; // connect, TLS, login -> opened()
    virtual void list() = 0;                              // -> listed()
    // Retrieves the messages in order, pipelined, into the sink -> retrieved(); each one
    // either ends in the sink (messageRetrieved()) or is refused (messageRefused()) or, IMAP,
    // vanished from the server meanwhile.
    virtual void retrieve(const QList<RemoteMessage> &messages, MessageSink *sink) = 0;
    // Marks messages for removal -> removeMarked(); effective at close (POP3 QUIT). A message
    // the server would not mark, or (IMAP) did not confirm gone, is reported by
    // removalRefused() before removeMarked(): it stays on the server, the others go on.
    virtual void remove(const QList<RemoteMessage> &messages) = 0;
    // Logs out -> closed(removalsCommitted): true when every message remove() marked and did
    // not report refused is gone. A failure here means removals may not apply.
    virtual void close() = 0;
    virtual void abort() = 0; // drops the connection at once, emits nothing

    // Whether the session ran pipelined (the server allowed it), for logs and tests.
    virtual bool pipelined() const = 0;

    // The SHA-256 fingerprint (hex with colons) of the certificate the server presented, as
    // Connection::peerFingerprint() reports it; also after failed(ErrorCode::Tls), so the UI
    // can offer "trust this certificate?". Empty when no certificate was seen.
    virtual QString peerFingerprint() const { return QString(); }

    // Whether a pass may use fetchIdentities() to recognise renumbered messages (IMAP, whose
    // UIDVALIDITY can change). POP3 implements fetchIdentities() (TOP) for the routing dry
    // run but answers false here: a POP3 UIDL is never renumbered.
    virtual bool canFetchIdentities() const { return false; }
    // The header blocks of these listed messages -> identitiesFetched(); messages that
    // vanished meanwhile are left out.
    virtual void fetchIdentities(const QList<RemoteMessage> &messages)
    {
        Q_UNUSED(messages);
        QMetaObject::invokeMethod(
            this,
            [this] {
                emit failed(Result::failure(ErrorCode::Protocol,
                                            QStringLiteral("fetchIdentities() not supported")));
            },
            Qt::QueuedConnection);
    }

signals:
    void opened();
    void listed(const QList<pollux::RemoteMessage> &messages);
    void messageRetrieved(const pollux::RemoteMessage &message);
    // retrieve(): this message was refused, not given to the sink as complete; the retrieval
    // goes on with the others. `reason`: ErrorCode::Integrity when the copy is not provably
    // complete (see ContentCount), ErrorCode::ServerError when the server would not return
    // it (POP3 -ERR to RETR; IMAP NO/BAD to a FETCH of it alone, or no body for a UID still
    // in the mailbox), with the server's words.
    void messageRefused(const pollux::RemoteMessage &message, const pollux::Result &reason);
    void retrieved();
    void identitiesFetched(const QList<pollux::RemoteIdentity> &identities);
    void removeMarked();
    // remove(): this message stays on the server (ErrorCode::ServerError, the server's words).
    void removalRefused(const pollux::RemoteMessage &message, const pollux::Result &reason);
    void closed(bool removalsCommitted);
    void failed(const pollux::Result &error);
};

} // namespace pollux
