#pragma once

// The POP3 session behind Pop3Client, shared by Pop3Client.cpp (commands, responses,
// failure) and Pop3Auth.cpp (STLS and login). Private to core/pop3.

#include "Pop3Client.h"
#include "Pop3Parser.h"
#include "net/MailboxSession.h"
#include "sasl/Sasl.h"

#include <QQueue>

#include <memory>

namespace pollux::pop3 {

// Collects the header blocks that "TOP n 0" returns, for fetchIdentities().
class IdentityCollector final : public MessageSink
{
public:
    Result begin(const RemoteMessage &message) override
    {
        current = {message, QByteArray()};
        return Result::success();
    }
    Result write(const char *data, qsizetype size) override
    {
        current.header.append(data, size);
        return Result::success();
    }
    Result end(const RemoteMessage &) override
    {
        identities.append(current);
        return Result::success();
    }
    void abort(const RemoteMessage &) override { current = {}; }

    QList<RemoteIdentity> identities;
    RemoteIdentity current;
};

class Pop3Client::Private : public net::MailboxSession
{
public:
    // The session. enter() sends what a phase starts with; the responses move it on.
    enum class Phase
    {
        Idle,
        Greeting,
        Capa, // before login; again after STLS
        Stls,
        TlsHandshake,
        Login,
        CapaAfterLogin,
        Transaction, // logged in, waiting for the next call
        Listing,
        Retrieving,
        Removing,
        Quitting,
        Closed,
        Failed,
    };
    enum class Command
    {
        Greeting,
        Capa,
        Stls,
        User,
        Pass,
        Apop,
        Auth,
        Uidl,
        List,
        Retr,
        Top, // "TOP n 0": the header only, for fetchIdentities()
        Dele,
        Quit
    };
    enum class Reading
    {
        Status,
        Lines,
        Data
    }; // what the next bytes are
    enum class Progress
    {
        Continue,
        NeedMore,
        Stop
    };
    struct Sent
    {
        Command command;
        int item; // index into `messages` for RETR and DELE
    };

    explicit Private(Pop3Client *client) : q(client) {}

    void enter(Phase next);
    void send(Command command, int item, const QByteArray &line);
    void sendSecret(Command command, const QByteArray &line, const QByteArray &shown);
    void fillWindow();
    void onReadyRead();
    Progress processOne();
    void onStatus(const Status &status);
    void onCapaDone();
    void onStlsAnswer(const Status &status);
    void onTlsReady();
    void login();
    void startAuth(sasl::Mechanism mechanism);
    void onChallenge(const QByteArray &line);
    void onAuthAnswer(const Status &status);
    void settle(); // logged in, nothing outstanding: the connection may wait forever
    void onLine(const QByteArray &line);
    void onLinesEnd();
    void onMessageEnd();
    void onItemDone(const RemoteMessage &message, const Result &outcome);
    void onConnectionFailed(const Result &error);
    void fail(const Result &error);
    void failWhileIdle(const Result &error);
    void failLater(const Result &error);
    bool checkReady(const char *call);

    Pop3Client *q;
    MailboxOptions options;
    Phase phase = Phase::Idle;
    Reading reading = Reading::Status;
    QQueue<Sent> inFlight;
    LineSplitter lines;
    DataDecoder decoder;
    ContentCount count; // of the message being retrieved, for the completeness rule
    Capabilities caps;
    Capabilities newCaps;
    int capaLines = 0; // of the CAPA response being read
    QByteArray timestamp;
    bool pipelining = false;
    std::unique_ptr<sasl::Authenticator> auth;
    QByteArray authCommandShown; // "AUTH SCRAM-SHA-256", for messages
    QByteArray deferredInitial;  // initial response too long for the AUTH line
    bool initialDeferred = false;

    QList<UidlEntry> uids;
    QList<ListEntry> sizes;
    bool listSent = false;

    bool headersOnly = false; // Retrieving for fetchIdentities(): TOP n 0 into `identities`
    IdentityCollector identities;
    int nextToSend = 0;
    int done = 0;
};

} // namespace pollux::pop3
