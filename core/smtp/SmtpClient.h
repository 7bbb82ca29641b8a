#pragma once

#include "net/Connection.h"
#include "smtp/SmtpParser.h"
#include "util/Result.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QIODevice;

namespace pollux::smtp {

struct Options
{
    net::Endpoint endpoint; // TlsMode::StartTls: STARTTLS required, never skipped
    QString heloName;       // empty: the local host name
    QString username;       // empty: no AUTH
    QString password;
    QString label; // for the transcript
};

struct Envelope
{
    QString sender;         // MAIL FROM; may be empty (null sender)
    QStringList recipients; // RCPT TO, one each
};

// What the server said about one message.
// A code of 0 means "not reached". Replies the client makes up itself (the message was not
// sent at all) say "(not sent)" in their text: 552 in mailReply when the message exceeds
// the server's SIZE limit; 553 for an address that cannot go on the wire (CR, LF, <, >,
// space, over 254 bytes) - in mailReply for the sender, in that recipient's entry otherwise.
// finalReply stays 0 when DATA was refused, or when no recipient was accepted (then the
// body is never sent).
struct SendResult
{
    QList<Reply> recipientReplies; // one per envelope recipient, in order
    Reply mailReply;               // reply to MAIL FROM
    Reply finalReply;              // reply to the end of DATA (code 0 if DATA not reached)
    bool sizeRefused = false;      // refused as too large (SIZE or 552)
    // Accepted recipients, i.e. those whose RCPT got 2xx, when finalReply is 2xx.
    QStringList acceptedRecipients(const Envelope &envelope) const;
};

// An ESMTP client for delivering to the office server: EHLO (HELO fallback), STARTTLS,
// AUTH PLAIN/LOGIN, SIZE, 8BITMIME, PIPELINING, one connection reused for many
// messages (RSET between them after a failure). The body is read from a QIODevice in
// chunks, its line endings normalised to CRLF and dot-stuffed on the way out, so no bare
// CR or LF ever reaches the server and memory stays bounded.
//
// Security: with TlsMode::StartTls, STARTTLS is required - if the server does not offer it
// the client fails with ErrorCode::Tls before any AUTH. AUTH (PLAIN preferred, else LOGIN)
// happens only when a username is set, and only over TLS - or in plain text to a loopback
// host (127.0.0.0/8, ::1, "localhost"); otherwise failed(Tls) and no credentials are sent.
// A username with no PLAIN/LOGIN on offer is failed(AuthFailed). Credentials appear in the
// transcript as "<redacted>"; the password is forgotten once authenticated.
//
// Errors: failed() comes once, for a dropped connection, a timeout, TLS trouble, garbage
// from the server, a 421 (ErrorCode::TemporaryFailure) or a refused greeting/EHLO/AUTH; the
// client is unusable afterwards (open() again for a new connection). A failure after DATA
// was accepted - while streaming or while waiting for the final reply - comes as failed(),
// never sent(): the caller cannot tell whether the server kept the message.
// The connection's inactivity timeout also runs while the client sits open and idle.
// Delete the client with deleteLater() from its own slots.
class SmtpClient : public QObject
{
    Q_OBJECT
public:
    explicit SmtpClient(QObject *parent = nullptr);
    ~SmtpClient() override;

    void open(const Options &options); // connect, EHLO, STARTTLS, AUTH -> opened()
    bool isOpen() const;
    // One message -> sent(result), only after opened() or the previous sent(). `body` must
    // stay valid until sent() or failed(); it is read from its current position to its end
    // (read() returning 0 is the end, so no sequential device still waiting for data).
    // `size` is announced with SIZE= and checked against the server's limit first.
    // A message refused by MAIL/RCPT/DATA replies is a normal sent() with those replies;
    // failed() is only for a broken connection or protocol error (or a body read error:
    // ErrorCode::Storage, and the message is not ended, so not delivered).
    void send(const Envelope &envelope, QIODevice *body, qint64 size);
    // QUIT, then closed() on 221, on the server's close or after the timeout. During a
    // send(), the QUIT follows that message's sent(). Before opened(): aborts, closed().
    void close();
    void abort(); // drops the connection at once; no signal

    // After failed(): true when the message's final "." had been sent but its reply never
    // came, so the server may have accepted it (RFC 5321 §6.1 duplicates hazard). False when
    // the failure came earlier: the message was certainly not delivered.
    bool deliveryUncertain() const;

    bool pipelining() const; // the server advertised PIPELINING
    qint64 maxSize() const;  // the server's SIZE limit, 0 if none

signals:
    void opened();
    void sent(const pollux::smtp::SendResult &result);
    void closed();
    void failed(const pollux::Result &error);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pollux::smtp

Q_DECLARE_METATYPE(pollux::smtp::SendResult)
