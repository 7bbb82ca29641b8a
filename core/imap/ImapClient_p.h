#pragma once

#include "ImapClient.h"
#include "ImapParser.h"
#include "net/MailboxSession.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMap>
#include <QPointer>
#include <QSet>

#include <memory>

namespace pollux::sasl {
class Authenticator;
}

namespace pollux::imap {

Q_DECLARE_LOGGING_CATEGORY(lcImap)

class ImapClient::Private : public net::MailboxSession
{
public:
    // The session. enter() sends what a phase starts with; tagged responses move it on.
    enum class Phase
    {
        Idle,
        Greeting,
        Capability,
        StartTls,
        TlsHandshake,
        Authenticating,
        CapabilityAfterLogin,
        Selecting,
        Selected, // waiting for the next call
        Listing,
        Retrieving,
        Identifying,
        Storing,
        Searching,
        Expunging,
        Idling,
        LoggingOut,
        Closed,
        Failed,
    };
    enum class Command
    {
        Capability,
        StartTls,
        Login,
        Authenticate,
        Select,
        ListFetch,
        BodyFetch,
        HeaderFetch,
        Store,
        SearchDeleted,
        Expunge,
        Idle,
        Logout
    };
    struct Sent
    {
        QByteArray tag;
        Command command;
        int batch = -1;          // BodyFetch / HeaderFetch; Store of one message: its item
        QList<QByteArray> parts; // still to send, each after a continuation (literals)
        QByteArray shownParts;   // what the transcript shows for them
    };
    struct Batch
    {
        QList<int> items; // indexes into `messages`
        bool sent = false;
        bool done = false;
    };

    explicit Private(ImapClient *client);
    ~Private();

    // ImapSession.cpp: sending and the tagged responses.
    void enter(Phase next);
    QByteArray send(Command command, const QByteArray &arguments, int batch = -1);
    void sendLogin();
    void startAuthentication();
    void onTagged(const Response &r);
    void onContinuation(const Response &r);
    void afterCapabilities();
    void onSelected(const Response &r);
    void onBatchDone(const Sent &sent, const Response &r);
    void onStored(const Response &r);
    void onSingleStored(const Sent &sent, const Response &r);
    void afterStoring();
    void afterExpunge(const Response &r);
    void fillWindow();
    void settle();

    // ImapClient.cpp: receiving, untagged data, failure.
    void onReady();
    void onReadyRead();
    bool processEvent(ResponseReader::Event event);
    void onResponse(const Response &r);
    void onGreeting(const Response &r);
    void onUntagged(const Response &r);
    void onFetch(const Response &r);
    bool onBodyBegin();
    void onBody(const Response &r); // a FETCH with a message body, while retrieving
    void onExpunge(qint64 sequence);
    void onConnectionFailed(const Result &error);
    void fail(const Result &error);
    void failWhileIdle(const Result &error);
    void failLater(const Result &error);
    bool checkReady(const char *call);
    void finishClose();
    Result statusError(ErrorCode code, const QString &what, const Response &r) const;
    // The error, naming the server it concerns (unless it already names one).
    Result naming(const Result &error) const;

    ImapClient *q;
    MailboxOptions options;
    Phase phase = Phase::Idle;
    ResponseReader reader;
    QList<Sent> inFlight;
    int tagCounter = 0;
    Capabilities caps;
    bool capsKnown = false;
    bool preauth = false;
    bool pipelining = false;
    QByteArray byeText;
    Result authError; // a SASL exchange we cancelled
    std::unique_ptr<sasl::Authenticator> authenticator;
    bool initialSent = false;

    // The selected mailbox.
    qint64 uidValidity = 0;
    qint64 uidNext = 0;
    qint64 exists = 0;
    // Untagged responses since the last tagged one that carry no message data (status
    // lines, unknown keywords): a server that never stops sending them is refused.
    int chatter = 0;
    QMap<qint64, qint64> sequenceToUid; // from list(); kept up to date on EXPUNGE

    QMap<qint64, qint64> listedSizes; // uid -> size, while listing

    // retrieve() / fetchIdentities() / remove()
    QHash<qint64, int> itemOfUid;
    QList<bool> itemDone;
    ContentCount count; // of the body being retrieved, for the completeness rule
    QList<Batch> batches;
    int batchesDone = 0;
    QList<RemoteIdentity> identities;
    QList<qint64> foreignDeleted;
    // remove(): what the server flagged \Deleted (all of `messages` unless a STORE was
    // refused), the single STOREs still unanswered after a refused one for several, and the
    // UIDs the server confirmed gone (untagged EXPUNGE).
    QList<RemoteMessage> flagged;
    int singleStores = 0;
    QSet<qint64> expungedUids;
    bool expunged = false;
    bool idleConfirmed = false; // the server answered IDLE with "+"
    bool idleStopWanted = false;
    bool closeEmitted = false;
};

} // namespace pollux::imap
