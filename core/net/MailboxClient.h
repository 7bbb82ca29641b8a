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
    // Retrieves the messages in order, pipelined, into the sink -> retrieved()
    virtual void retrieve(const QList<RemoteMessage> &messages, MessageSink *sink) = 0;
    // Marks messages for removal -> removeMarked(); effective at close (POP3 QUIT).
    virtual void remove(const QList<RemoteMessage> &messages) = 0;
    // Logs out -> closed(removalsCommitted). A failure here means removals may not apply.
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
    void retrieved();
    void identitiesFetched(const QList<pollux::RemoteIdentity> &identities);
    void removeMarked();
    void closed(bool removalsCommitted);
    void failed(const pollux::Result &error);
};

} // namespace pollux
