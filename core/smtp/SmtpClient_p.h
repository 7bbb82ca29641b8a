#pragma once

// Private to SmtpClient: its state and the state machine shared by SmtpClient.cpp (the
// public calls) and SmtpSession.cpp (the replies).

#include "smtp/SmtpClient.h"
#include "smtp/SmtpCommands.h"
#include "smtp/SmtpParser.h"

#include <QByteArray>
#include <QList>

namespace pollux::smtp {

namespace detail {

inline constexpr qint64 ChunkSize = 64 * 1024;
// Body bytes queued in the connection before we wait for it to drain.
inline constexpr qint64 HighWater = 256 * 1024;

enum class State
{
    Idle,              // never opened
    Connecting,        // waiting for the TCP (or implicit TLS) connection
    Greeting,          // waiting for 220
    Ehlo,              // EHLO sent
    Helo,              // EHLO refused, HELO sent
    StartTls,          // STARTTLS sent, waiting for 220
    TlsHandshake,      // waiting for the connection to be encrypted
    AuthPlain,         // AUTH PLAIN sent, waiting for 235
    AuthLoginUser,     // AUTH LOGIN sent, waiting for the username prompt
    AuthLoginPassword, // username sent, waiting for the password prompt
    AuthLoginDone,     // password sent, waiting for 235
    Ready,             // open, no message in progress
    Rset,              // RSET sent (maybe with the next transaction pipelined behind it)
    Mail,              // waiting for the MAIL reply
    Rcpt,              // waiting for RCPT replies
    Data,              // waiting for 354
    Body,              // streaming the message
    DataEnd,           // message and "." sent, waiting for the final reply
    DataAbandoned,     // 354 without an accepted recipient: "." sent, waiting
    Quit,              // QUIT sent, waiting for 221 or the close
    Closed,
    Failed,
};

inline Reply syntheticReply(int code, const QString &text)
{
    Reply reply;
    reply.code = code;
    reply.text = text;
    return reply;
}

inline bool is2xx(const Reply &reply)
{
    return reply.code >= 200 && reply.code < 300;
}

} // namespace detail

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
    void becomeReady();
    void writeRcpt(int wireIndex) { connection->write(commands::rcptTo(recipientAt(wireIndex))); }
    const QString &recipientAt(int wireIndex) const
    {
        return envelope.recipients.at(wireRecipients.at(wireIndex));
    }
    void onRcptReply(const Reply &reply);
    void pumpBody();
    void finishMessage();
    void startQuit();
    void fail(ErrorCode code, const QString &message);
    void failForReply(const Reply &reply, ErrorCode permanentCode, const QString &what);
    void emitSentLater(const SendResult &result);
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

    // The message in progress.
    Envelope envelope;
    QIODevice *body = nullptr;
    SendResult result;
    QByteArray mailCommand;
    QList<int> wireRecipients; // indexes into envelope.recipients that went out as RCPT
    int rcptReplies = 0;
    bool anyAccepted = false;
    bool pipelinedTransaction = false;
    BodyEncoder encoder;
    QByteArray chunk;
};

} // namespace pollux::smtp
