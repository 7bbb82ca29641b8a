#pragma once

#include "net/Connection.h"
#include "smtp/SmtpAddress.h"
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
    // The wait for the reply to the end of a message (the final "." of DATA, or the LAST
    // BDAT chunk): RFC 5321 §4.5.3.2.6 asks for 10 minutes, the server may be queueing it.
    // Every other wait has endpoint.timeoutMs.
    int finalReplyTimeoutMs = 10 * 60 * 1000;
};

struct Envelope
{
    QString sender;         // MAIL FROM; may be empty (null sender)
    QStringList recipients; // RCPT TO, one each
};

// What became of a message, or of one of its recipients.
enum class Verdict
{
    Accepted,  // 2xx: the server took responsibility for it (RFC 5321 §6.1)
    Transient, // 4xx (a 552 to RCPT too, RFC 5321 §4.5.3.1.10): not delivered, try later
    Permanent, // 5xx, or refused by the client itself: not delivered, never as it stands
};

// The verdict a single reply implies: 2xx Accepted, 4xx Transient, 5xx Permanent; anything
// else (no reply, a 3xx) is not an acceptance and counts as Transient.
Verdict verdictOf(const Reply &reply);

// Reads `device` from its position to its end into a BodyShape, then seeks back (a
// seekable device, e.g. the spool file). False when it cannot be read or sought.
bool scanBody(QIODevice *device, BodyShape &out);

// What the server said about one message, and what it means.
// A reply code of 0 means "not reached". Replies the client makes up itself have
// Reply::synthetic set and say "(not sent)" in their text: 552 in mailReply when the
// message exceeds the server's SIZE limit; 553 for an address that cannot go on the wire
// (control characters, not local-part@domain, over 254 bytes; 553 5.6.7 for a non-ASCII
// address when the server has no SMTPUTF8) - in mailReply for the sender, in that
// recipient's entry otherwise. A synthetic refusal is always Permanent.
//
// Only `verdict` says whether the message was delivered: Accepted exactly when the reply to
// the final "." (with BDAT: to the LAST chunk) was 2xx and at least one RCPT got 2xx.
//
// BDAT (chunked): there is no DATA command and no 354. dataReply is then the refusal of a
// chunk before the LAST one (code 0 when every such chunk got 2xx, or there was just one
// chunk); a refused chunk ends the transaction, its reply decides. finalReply is the reply to
// the LAST chunk, the one that transfers responsibility (RFC 3030 §2), and its wait is the
// final-reply wait (Options::finalReplyTimeoutMs; deliveryUncertain() after a failure there). The
// replies stay for logs. A 3xx never appears here except the 354 in dataReply: a 3xx anywhere else
// ends the session with failed(ErrorCode::Protocol) instead of sent() (see SmtpClient).
struct SendResult
{
    QList<Reply> recipientReplies; // one per envelope recipient, in order
    Reply mailReply;               // reply to MAIL FROM
    Reply dataReply;               // reply to DATA: 354 when the body went out (BDAT: above)
    Reply finalReply;              // reply to the end of DATA (code 0 if DATA not reached)
    bool sizeRefused = false;      // refused as too large (SIZE or a 552 to MAIL or ".")
    bool chunked = false;          // sent with BDAT and BODY=BINARYMIME (RFC 3030)

    // The message: Accepted (delivered to acceptedRecipients()), Transient (nobody got it;
    // retry) or Permanent (nobody got it; it will never go as it stands).
    Verdict verdict = Verdict::Transient;
    // One per envelope recipient. A recipient's own refusal (4xx/5xx to its RCPT, or a
    // synthetic 553) decides for it; a recipient accepted at RCPT, or never asked (MAIL
    // refused), shares the message's verdict. So with verdict Accepted, Transient
    // recipients must be tried again and Permanent ones will never get it.
    QList<Verdict> recipientVerdicts;
    // The reply that decided `verdict` (for the log and the database).
    Reply decisiveReply;

    bool delivered() const { return verdict == Verdict::Accepted; }
    // The recipients whose verdict is Accepted (none unless the message is).
    QStringList acceptedRecipients(const Envelope &envelope) const;
    // Fills verdict, recipientVerdicts and decisiveReply from the replies (SmtpClient does
    // this before sent(); pure, public for tests).
    void judge();
};

// What the server said to a probe (MAIL + RCPT, then RSET; never DATA).
struct ProbeResult
{
    Reply mailReply;               // code 0 (and a synthetic 553) if the sender is unsendable
    QList<Reply> recipientReplies; // one per recipient; synthetic 553 for an unsendable one
};

// An ESMTP client for delivering to the office server: EHLO (HELO fallback), STARTTLS,
// AUTH (core/sasl), SIZE, 8BITMIME, SMTPUTF8, PIPELINING, one connection reused for many
// messages (RSET between them after a failure). The body is read from a QIODevice in
// chunks, its line endings normalised to CRLF and dot-stuffed on the way out, so no bare
// CR or LF ever reaches the server and memory stays bounded.
//
// A body that DATA cannot carry as it is (BodyShape::needsBinary: a line over 998 octets,
// a NUL, a bare CR or LF) goes with BDAT and MAIL ... BODY=BINARYMIME when the server offers
// CHUNKING and BINARYMIME (RFC 3030; Exchange does): byte for byte, no dot-stuffing, no
// line-ending rewrite, in chunks of BdatChunkSize read as they go out (pipelined when the
// server offers PIPELINING, else one reply awaited per chunk). Without them it goes over
// DATA as above: long lines unchanged (many servers take them; Postfix does), bare CR/LF
// made CRLF. The message is never folded or otherwise rewritten.
//
// The reply to the end of the message has its own bound, Options::finalReplyTimeoutMs
// (10 minutes), armed once the last byte has left; awaitingFinalReply() is true meanwhile.
//
// Addresses: see encodeMailbox() (SmtpAddress.h). A quoted local part
// ("john q. public"@example.test) goes out as an RFC 5321 Quoted-string. A non-ASCII
// address goes out only when the server offers SMTPUTF8, and then MAIL carries the SMTPUTF8
// parameter; otherwise that address gets the synthetic 553 5.6.7.
//
// Security: with TlsMode::StartTls, STARTTLS is required - if the server does not offer it
// the client fails with ErrorCode::Tls before any AUTH. AUTH happens only when a username is
// set, and only over TLS - or in plain text to a loopback host (127.0.0.0/8, ::1,
// "localhost"); otherwise failed(Tls) and no credentials are sent. The mechanism is the
// strongest offered of SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN (sasl::choose
// "auto"); SCRAM's server signature is verified. A username with none of them on offer is
// failed(AuthFailed). Credentials appear in the transcript as "<redacted>"; the password is
// forgotten once authenticated.
//
// Errors: failed() comes once, for a dropped connection, a timeout, TLS trouble, garbage
// from the server, a 421 (ErrorCode::TemporaryFailure) or a refused greeting/EHLO/AUTH; the
// client is unusable afterwards (open() again for a new connection). A failure after DATA
// was accepted - while streaming or while waiting for the final reply - comes as failed(),
// never sent(): the caller cannot tell whether the server kept the message.
// A 3xx reply where the protocol has none (to MAIL, RCPT, RSET, the final "."; anything but
// 354 to DATA and 334 during AUTH) is a protocol violation: failed(ErrorCode::Protocol),
// the connection is dropped (the server's state is unknown: it may still be reading a
// message) and deliveryUncertain() is false. A 3xx to the final "." is therefore "not
// delivered, retry later over a new connection": RFC 5321 §6.1 transfers responsibility
// only with a 2xx, so the server has not accepted the message.
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
    // `shape` (see scanBody()) decides between DATA and BDAT; the default shape is DATA.
    void send(const Envelope &envelope, QIODevice *body, qint64 size,
              const BodyShape &shape = BodyShape());
    // Asks whether the server would take mail from `sender` for each recipient: MAIL FROM,
    // one RCPT each (pipelined when offered), then RSET - never DATA, so nothing is
    // delivered -> probed(result), only after opened(), sent() or probed(). Unsendable
    // addresses get synthetic 553s and are not asked. A broken connection -> failed().
    void probe(const QString &sender, const QStringList &recipients);
    // QUIT, then closed() on 221, on the server's close or after the timeout. During a
    // send(), the QUIT follows that message's sent(). Before opened(): aborts, closed().
    void close();
    void abort(); // drops the connection at once; no signal

    // After failed(): true when the message's final "." had been sent but its reply never
    // came, so the server may have accepted it (RFC 5321 §6.1 duplicates hazard). False when
    // the failure came earlier: the message was certainly not delivered.
    bool deliveryUncertain() const;

    // The message is out (the final ".", or the LAST BDAT chunk) and its reply not yet in:
    // the one wait a stop lets run to its end (see DeliveryWorker::stopAfterReply()).
    bool awaitingFinalReply() const;
    // The server offers CHUNKING and BINARYMIME: a body needing it goes with BDAT.
    bool binaryMime() const;

    bool pipelining() const; // the server advertised PIPELINING
    qint64 maxSize() const;  // the server's SIZE limit, 0 if none

signals:
    void opened();
    void sent(const pollux::smtp::SendResult &result);
    void probed(const pollux::smtp::ProbeResult &result);
    void closed();
    void failed(const pollux::Result &error);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pollux::smtp

Q_DECLARE_METATYPE(pollux::smtp::SendResult)
Q_DECLARE_METATYPE(pollux::smtp::ProbeResult)
