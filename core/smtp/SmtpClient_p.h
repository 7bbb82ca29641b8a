#pragma once

// Private to SmtpClient: its state and the state machine shared by SmtpClient.cpp (the
// public calls) and SmtpSession.cpp (the replies).

#include "smtp/SmtpClient.h"
#include "smtp/SmtpCommands.h"
#include "smtp/SmtpParser.h"

#include "sasl/Sasl.h"

#include <QByteArray>
#include <QList>
#include <QTimer>

namespace pollux::smtp {

namespace detail {

inline constexpr qint64 ChunkSize = 64 * 1024;
// Body bytes queued in the connection before we wait for it to drain.
inline constexpr qint64 HighWater = 256 * 1024;
// Octets per BDAT chunk (two are held: the one going out and the one read ahead).
inline constexpr qint64 BdatChunkSize = 512 * 1024;

enum class State
{
    Idle,          // never opened
    Connecting,    // waiting for the TCP (or implicit TLS) connection
    Greeting,      // waiting for 220
    Ehlo,          // EHLO sent
    Helo,          // EHLO refused, HELO sent
    StartTls,      // STARTTLS sent, waiting for 220
    TlsHandshake,  // waiting for the connection to be encrypted
    Auth,          // AUTH sent: waiting for a 334 challenge or the 235
    Ready,         // open, no message in progress
    Rset,          // RSET sent (maybe with the next transaction pipelined behind it)
    Mail,          // waiting for the MAIL reply
    Rcpt,          // waiting for RCPT replies
    ProbeRset,     // probe: RCPTs answered (or pipelined), waiting for the RSET reply
    Data,          // waiting for 354
    Body,          // streaming the message
    DataEnd,       // message and "." sent, waiting for the final reply
    DataAbandoned, // 354 without an accepted recipient: "." sent, waiting
    Bdat,          // BDAT chunks going out (RFC 3030), their replies read as they come
    BdatEnd,       // the LAST chunk sent, waiting for its reply (and any still outstanding)
    Quit,          // QUIT sent, waiting for 221 or the close
    Closed,
    Failed,
};

inline Reply syntheticReply(int code, const QString &text)
{
    Reply reply;
    reply.code = code;
    reply.text = text;
    reply.synthetic = true;
    return reply;
}

inline bool is2xx(const Reply &reply)
{
    return reply.isSuccess();
}

} // namespace detail

using detail::BdatChunkSize;
using detail::ChunkSize;
using detail::HighWater;
using detail::is2xx;
using detail::State;
using detail::syntheticReply;

class SmtpClient::Private
{
public:
    explicit Private(SmtpClient *client) : q(client) {}

    void onReady();
    void onReadyRead();
    void onReply(const Reply &reply);
    void onConnectionFailed(const Result &error);
    void onConnectionClosed();

    void afterHello();
    void startAuth();
    void onAuthReply(const Reply &reply);
    void becomeReady();
    // Encodes sender and recipients for the wire; false when nothing can be sent (the
    // synthetic refusals are then in `result`).
    bool prepareEnvelope(const QString &sender, const QStringList &recipients);
    // MAIL, the RCPTs and DATA (or, probing, RSET): in one write when pipelining.
    void startTransaction(bool probe);
    void writeRcpt(int wireIndex)
    {
        connection->write(commands::rcptTo(wireMailboxes.at(wireIndex)));
    }
    void onMailReply(const Reply &reply);
    void onRcptReply(const Reply &reply);
    void onDataReply(const Reply &reply);
    void pumpBody();
    void startBdat();
    void pumpBdat();
    void onBdatReply(const Reply &reply);
    // The final-reply wait: once the message's last byte has left, the ordinary inactivity
    // timer gives way to finalTimer (Options::finalReplyTimeoutMs).
    void beginFinalWait();
    void endFinalWait();
    void finishMessage();
    void finishProbe();
    void startQuit();
    // answered: the server did reply (a 3xx where none belongs), so a message whose "."
    // went out was not accepted - deliveryUncertain() stays false.
    void fail(ErrorCode code, const QString &message, bool answered = false);
    void fail(const Result &error, bool answered = false);
    void failForReply(const Reply &reply, ErrorCode permanentCode, const QString &what);
    void failForIntermediate(const Reply &reply, const QString &what);
    void emitSentLater(SendResult result);
    void emitFailedLater(const Result &error);

    SmtpClient *q;
    State state = State::Idle;
    Options options;
    QString greetName;
    net::Connection *connection = nullptr;
    ReplyReader reader;
    Capabilities caps;
    bool tlsDone = false;
    bool needRset = false;          // the last transaction failed: RSET before the next
    bool quitAfterSend = false;     // close() was called during a transaction
    bool deliveryUncertain = false; // failed while waiting for the final reply

    // AUTH in progress.
    std::unique_ptr<sasl::Authenticator> auth;
    QByteArray authShown;         // "AUTH <mechanism>", for errors
    bool initialDeferred = false; // the initial response waits for the first, empty, 334
    QByteArray deferredInitial;

    // The message (or probe) in progress.
    QIODevice *body = nullptr;
    SendResult result;
    bool probing = false;
    QByteArray mailCommand;
    QList<int> wireRecipients;       // indexes into the recipients that went out as RCPT
    QList<QByteArray> wireMailboxes; // their encoded mailboxes, in the same order
    QByteArray senderMailbox;
    bool smtpUtf8 = false; // some address needs the SMTPUTF8 MAIL parameter
    int rcptReplies = 0;
    bool anyAccepted = false;
    bool pipelinedTransaction = false;
    BodyEncoder encoder;
    QByteArray chunk;
    BodyShape shape;
    bool chunking = false;    // this message goes with BDAT
    int bdatOutstanding = 0;  // BDAT chunks sent, their replies not yet read
    bool bdatRefused = false; // a chunk was refused: no more go out
    bool bdatHaveAhead = false;
    QByteArray bdatAhead; // the chunk read ahead (to know which one is the LAST)
    QTimer *finalTimer = nullptr;
    bool finalWaitArmed = false;
};

} // namespace pollux::smtp
