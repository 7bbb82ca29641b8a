#pragma once

#include "config/Config.h"
#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

class QSqlDatabase;
class QSqlQuery;

namespace pollux {

class Clock;
class Spool;

// Where a collected message stands.
enum class DeliveryState
{
    Waiting = 0,   // durable in the spool, not yet delivered
    Deferred = 1,  // the office server said 4xx (or was unreachable); retried at next_attempt
    Delivered = 2, // the office server said 250
    Failed = 3,    // permanently refused; the file is in quarantine
    Duplicate = 4, // not delivered again: the same content already went to every recipient
};
// A state as stored; a value this version does not know counts as Failed (never retried).
DeliveryState deliveryStateFromValue(int value);

// What a queued message is: one collected from a mailbox, or one Pollux made from it.
enum class MessageKind
{
    Collected = 0,        // retrieved from the remote mailbox
    PostmasterCopy = 1,   // a copy of a collected message for the postmaster, with the reason
    RefusalNotice = 2,    // a notice to the postmaster: recipients refused
    QuarantineNotice = 3, // a notice to the postmaster: a message quarantined
    Alert = 4,            // an alert by e-mail (engine/AlertTracker): postmaster + extra address
};

// Recipients a message was delivered to, remembered for duplicate suppression: the same
// Message-ID with the same content digest is not delivered to them again in the window.
struct DeliveredCopies
{
    QString messageId; // routing::duplicateKey(); empty: nothing is remembered
    QString digest;    // mail::contentDigest()
    QStringList recipients;
};

// One message as the retrieval stage records it.
struct SpooledMessage
{
    QString uid;
    qint64 size = 0;
    QString spoolPath; // relative to the spool directory
    QStringList recipients;
    // What identifies the message apart from its UID (e.g. "<message-id>|<size>"), used to
    // recognise known messages when a server renumbers them (IMAP UIDVALIDITY change).
    QString fingerprint;
    MessageKind kind = MessageKind::Collected;
    // From and Subject for display (schema 9): decoded, printable, bounded; empty when
    // unknown. Never the body.
    QString from;
    QString subject;
};

// A message waiting for the delivery stage.
struct DeliveryItem
{
    qint64 id = 0;
    QString account;
    QString uid;
    QString spoolPath;
    qint64 size = 0;
    QStringList recipients; // empty: not routed yet
    int attempts = 0;
    MessageKind kind = MessageKind::Collected;
    QString contentDigest; // recorded with the route; empty: no duplicate suppression
};

// A message the server would not return, or returned not provably complete (schema 5).
struct RetrievalRefusal
{
    QString uid;
    int refusals = 0;    // how often, in a row
    QDateTime notBefore; // not asked for again before this
    QDateTime lastRefused;
    QString reason; // the last one, with the server's words
};

// The time keep-days counts (schema 6), as Store::advanceElapsed() read it.
struct ElapsedReading
{
    qint64 elapsedMs = 0;   // the counted time now
    QDateTime wall;         // the wall clock now
    QDateTime previousWall; // at the previous reading; invalid on the first
    qint64 wallMovedMs = 0; // how far the wall clock moved since the previous reading
    qint64 passedMs = 0;    // how much time was counted since then
    // passedMs is monotonic time (same boot, or the same run of a test clock); otherwise the
    // program was restarted after a reboot and passedMs is the wall clock's move, if forward.
    bool sameOrigin = false;
    // How far the wall clock moved beyond the time that passed (negative: it was set back).
    // After a reboot only a clock set back shows (as the negative wallMovedMs).
    qint64 jumpMs() const
    {
        return sameOrigin ? wallMovedMs - passedMs : qMin<qint64>(0, wallMovedMs);
    }
};

// What one account has waiting for the office server (Store::waitingByAccount).
struct WaitingCount
{
    int untried = 0;  // spooled, no delivery attempt made yet (DeliveryState::Waiting)
    int deferred = 0; // the office server said "later" or was unreachable (Deferred)
    int total() const { return untried + deferred; }
};

// Everything known about one message (activity view, tests).
struct MessageRecord
{
    qint64 id = 0;
    QString account;
    QString uid;
    qint64 size = 0;
    QDateTime firstSeen;
    QString spoolPath;
    QStringList recipients;
    DeliveryState state = DeliveryState::Waiting;
    int attempts = 0;
    QDateTime nextAttempt;
    QString lastReply;
    QDateTime deliveredAt;
    QDateTime removedAt; // when it was removed from the remote mailbox; null while there
    MessageKind kind = MessageKind::Collected;
    QString from; // as recorded at collection (schema 9); empty when unknown
    QString subject;
    QDateTime refusedAt; // when it was last refused (quarantined); null if never
};

// The one place that knows what happened to every message. SQLite through QtSql, WAL
// mode, versioned schema with an upgrade ladder. Not thread-safe: each thread opens its
// own Store on the same file (each gets its own connection). Create, open, use and destroy
// a Store in one thread. Times are stored as ms since the epoch (UTC), taken from the Clock.
// Every failure is ErrorCode::Storage with the database path in the message.
struct SignInRecord
{
    bool needed = false;
    QString detail;             // the provider's words when needed
    QDateTime refreshExpiresAt; // invalid: not stated
};

class Store
{
public:
    Store(const QString &path, Clock *clock);
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    // How much of the file open() checks before using it.
    enum class Check
    {
        Full,  // PRAGMA integrity_check: every page, and every index against its table
        Quick, // PRAGMA quick_check: every page, not the index contents (a fraction of the time)
    };
    // Creates or upgrades the schema; checks integrity. A damaged or newer-schema database is
    // reported (ErrorCode::Storage), never recreated. The engine runs the full check once per
    // start (delivery thread, before any pass); the account threads that open the same file
    // after it use the quick one.
    Result open(Check check = Check::Full);
    QString path() const { return m_path; }
    static int schemaVersion(); // the version open() upgrades to

    // --- retrieval stage ---
    // Every UID of the account the store knows (collected before, whatever its state).
    Result knownUids(const QString &account, QSet<QString> &out);
    // One transaction for the whole batch; first_seen = now, first_seen_elapsed = the
    // counted time (schema 6). A UID already recorded for the account (or twice in the
    // batch) fails the whole batch: nothing is committed. Refusal records of these UIDs
    // (schema 5) go in the same transaction.
    Result recordSpooled(const QString &account, const QList<SpooledMessage> &batch);
    // UIDs still on the server (removed_at null) that the retention policy says to delete
    // now: all of them for Delete, none for Keep. KeepDays: those for which keepDays have
    // passed since they were first seen, by the counted time (advanceElapsed) *and* by the
    // wall clock, so that neither a wall clock set forward nor time counted across a
    // restart removes one early; a message whose first_seen lies in the future (the clock
    // was ahead when it came) is aged by the counted time alone. Only UIDs listed in
    // `onServer` are returned.
    Result removalCandidates(const QString &account, Retention retention, int keepDays,
                             const QSet<QString> &onServer, QStringList &out);
    // Keep-days time (schema 6): a count of milliseconds that moves on by the Clock's
    // monotonic time while readings share its origin (one boot), and across a reboot by
    // what the wall clock moved, if it moved forward (a clock set back while the machine
    // was off counts as no time; one set forward counts as time that passed). It never
    // goes back. Records the reading and returns it, with how far the wall clock jumped
    // since the previous one (the caller logs it). Counting starts, on a new or upgraded
    // database, at the wall clock's time.
    Result advanceElapsed(ElapsedReading &out);
    // uid -> recorded size (the stored octets) of the account's collected messages still on
    // the server.
    Result storedSizes(const QString &account, QHash<QString, qint64> &out);
    // The server confirmed these are gone (POP3: after QUIT's +OK).
    Result markRemoved(const QString &account, const QStringList &uids);
    // Known UIDs no longer listed by the server are gone too (another client removed them).
    Result markVanished(const QString &account, const QSet<QString> &onServer);

    Result beginPass(const QString &account, qint64 &passId);
    Result finishPass(qint64 passId, int collected, const Result &outcome);

    // --- messages the provider refuses (schema 5) ---
    // One more refusal of `uid`: counted, and not to be retrieved again before
    // now + refusalDelayMs(refusals, intervalMs). `out` receives the updated record.
    Result recordRefusal(const QString &account, const QString &uid, const QString &reason,
                         qint64 intervalMs, RetrievalRefusal &out);
    // The backoff after the n-th refusal in a row, for passes `intervalMs` apart: the next
    // pass tries again after the first, then every 2nd, 4th, 8th... pass, at most once a
    // day: interval * 2^(n-1), at most 24 h, less half an interval so that a pass a little
    // early is still the one due.
    static qint64 refusalDelayMs(int refusals, qint64 intervalMs);
    // Longer than any refusalDelayMs(): a not_before further ahead than this comes from a
    // wall clock that has since been set back, and counts as due (refusalsWaiting).
    static constexpr qint64 kLongestRefusalDelayMs = qint64(24 + 1) * 3600 * 1000;
    // The account's refused messages still waiting for their next try (not_before > now).
    Result refusalsWaiting(const QString &account, QList<RetrievalRefusal> &out);
    // Every refusal record of the account, oldest UID first (tests, inspection).
    Result refusals(const QString &account, QList<RetrievalRefusal> &out);
    // Drops the records of messages the server no longer lists. (recordSpooled() drops the
    // record of a message it records.)
    Result forgetRefusals(const QString &account, const QSet<QString> &onServer);

    // --- delivery stage ---
    // Longer than any delivery backoff (OutcomeApplier::backoffSeconds: at most 4 h): a
    // next attempt further ahead than this was set by a wall clock that has been set back
    // since, and is due at once - a clock set back never holds mail in the spool.
    static constexpr qint64 kLongestDeferralMs = qint64(4 + 1) * 3600 * 1000;
    // Waiting messages and deferred ones whose next attempt is due (or further ahead than
    // kLongestDeferralMs), oldest first.
    Result dueDeliveries(int limit, QList<DeliveryItem> &out);
    // When the next deferred message becomes due (null if none).
    Result nextDeferredAt(QDateTime &out);
    // The bytes of every message the spool holds for delivery (Waiting and Deferred).
    Result waitingBytes(qint64 &out);
    // Per account, every message the spool holds for delivery, tried or not (StoreWaiting.cpp).
    // Accounts with nothing waiting are absent.
    Result waitingByAccount(QMap<QString, WaitingCount> &out);
    // Each counts an attempt and stores the reply; an unknown id is an error.
    // Delivered keeps spool_path for the record (the caller deletes the file); `copies`
    // are remembered for duplicate suppression in the same transaction.
    Result markDelivered(qint64 id, const QString &reply, const DeliveredCopies &copies = {});
    // `remaining` non-empty: after a partial delivery only these are still to get it (the
    // others, in `copies`, got it), in the same transaction.
    Result markDeferred(qint64 id, const QString &reply, const QDateTime &nextAttempt,
                        const QStringList &remaining = {}, const DeliveredCopies &copies = {});
    // Not delivered again (DeliveryState::Duplicate); the caller deletes the file.
    Result markDuplicate(qint64 id, const QString &reply);
    // The routing decision, made once before the first attempt: who gets it, and the
    // content digest that duplicate suppression compares.
    Result recordRoute(qint64 id, const QStringList &recipients, const QString &contentDigest);
    // The message now lives at quarantinePath (relative to the spool directory); an empty
    // quarantinePath keeps the recorded spool path (the file could not be moved or read).
    // Records the time as refused_at (schema 9), which requeue() keeps: it was refused then.
    Result markFailed(qint64 id, const QString &reply, const QString &quarantinePath);
    // Replaces the recipients still to be delivered (after a partial delivery).
    Result setRecipients(qint64 id, const QStringList &recipients);
    // A refused (Failed) message goes back into the queue, delivered from where it lies
    // (its quarantine file), e.g. after the administrator fixed the cause.
    Result requeue(qint64 id);
    // The administrator gave up on a refused message: the record stays (marked discarded),
    // its file is no longer the store's; spoolPath receives it so the caller can delete it.
    Result discard(qint64 id, QString &spoolPath);

    // --- identity beyond the UID (schema 2) ---
    // fingerprint -> uid of the account's messages still on the server (removed_at null)
    // that have a fingerprint.
    Result knownFingerprints(const QString &account, QHash<QString, QString> &out);
    // The same messages as (fingerprint, uid) pairs, every one: a fingerprint that two
    // records share appears twice (PollPass renames only what matches one to one).
    Result knownFingerprintUids(const QString &account, QMultiHash<QString, QString> &out);
    // The server renumbered a known message: record it under its new UID (same row).
    Result renameUid(const QString &account, const QString &oldUid, const QString &newUid);

    // --- mailbox state (schema 3) ---
    // IMAP: "<uidvalidity>:<uidnext>:<exists>" after the last pass that listed the mailbox
    // and left every listed message known; empty when there is none. A pass that finds the
    // same state knows nothing was added or removed and may skip the listing.
    Result mailboxState(const QString &account, QString &out);
    Result setMailboxState(const QString &account, const QString &state); // empty: forget

    // --- OAuth2 sign-in state (schema 7) ---
    // Of an OAuth2 account: the provider refused the stored sign-in (needed, with its words),
    // and when the stored refresh token expires (invalid: not stated). No token, ever.
    Result signInState(const QString &account, SignInRecord &out);
    Result setSignInNeeded(const QString &account, bool needed, const QString &detail);
    // Invalid `expiresAt`: not stated (forgets an older one).
    Result setRefreshExpiry(const QString &account, const QDateTime &expiresAt);

    // --- duplicate suppression (schema 4) ---
    // The record of the message with this Message-ID and content digest that was delivered
    // to `recipient` at or after `since` (any account); 0 if none.
    Result deliveredCopy(const QString &messageId, const QString &digest, const QString &recipient,
                         const QDateTime &since, qint64 &messageOut);

    // --- durability (docs/RELIABILITY.md, "Power cuts") ---
    // Every commit is in the operating system when it returns: a killed process loses
    // nothing. On the disk (a power cut loses nothing) are: a recordSpooled() batch when it
    // returns, and with it every commit before it of any connection; the others at the next
    // such commit, at a checkpoint, or at syncCommits().
    // Makes every commit so far, of every connection, durable: one flush. Nothing to do when
    // this connection changed no message since its last durable commit.
    Result syncCommits();
    // Messages this connection changed since its last durable commit (0 after syncCommits).
    bool hasUnsyncedChanges() const { return m_unsynced; }

    // At start, before any pass and before the orphan sweep: waiting or deferred messages
    // whose spool file is gone. The order of writes (a file goes only after the durable
    // mark that makes it unneeded) leaves no such message; a file system that kept an
    // unlink and lost the mark before it, or a file removed by hand, does. Each is resolved
    // without a loss and without a permanent failure:
    //  - its file is in quarantine (a move whose record was lost): left alone, the delivery
    //    stage records it (DeliveryWorker: "found in quarantine");
    //  - a collected message still on the server (removed_at null): forgotten, so that the
    //    next pass collects it again (a duplicate at worst); the account's mailbox state is
    //    forgotten with it, so that the pass lists the mailbox;
    //  - any other (removed from the server, or a copy/notice Pollux made): its file can only
    //    have gone after it was delivered: recorded as delivered, with that reason.
    struct Recovery
    {
        int collectAgain = 0;
        int delivered = 0;
        QStringList uids; // "<account> <uid>" of each resolved message, for the log
    };
    Result recoverMissingFiles(const Spool &spool, Recovery &out);

    // --- inspection ---
    // Every message of the account (all accounts when `account` is empty), oldest first.
    Result messages(const QString &account, QList<MessageRecord> &out);
    // Spool paths of every message whose file should still exist (Waiting/Deferred/Failed).
    Result liveSpoolPaths(QSet<QString> &out);

private:
    Result migrate();
    Result ready() const;
    Result prepare(QSqlQuery &query, const QString &sql) const;
    Result exec(QSqlQuery &query, const QString &what) const;
    Result failure(const QString &what, const QString &detail) const;
    Result updateOne(QSqlQuery &query, qint64 id, const QString &what) const;
    Result recordCopies(qint64 id, const DeliveredCopies &copies);
    Result readRefusals(const QString &account, bool waitingOnly, QList<RetrievalRefusal> &out);
    // The counted time now, recorded if `advance`; in a write transaction of the caller's.
    Result readElapsed(bool advance, ElapsedReading &out);
    qint64 nowMs() const;
    // synchronous = FULL (the next commit waits for the disk) or NORMAL (it does not).
    Result setFullSync(bool full);

public:
    // --- alerts by e-mail (schema: alertsMigration(), StoreAlerts.cpp) ---
    // One alert condition ("failing", "sign-in", "spool", "office", "quarantine") of one
    // account (empty: of the whole program), as engine/AlertTracker keeps it.
    struct AlertState
    {
        QString condition;
        QString account;
        bool active = false; // the condition holds now
        QDateTime since;     // when it began (the episode); invalid when not active
        QDateTime lastAlert; // the last alert mail of this condition (any episode)
        int sent = 0;        // alert mails of this episode (0: no recovered mail is due)
        QString detail;      // the last error, "<code>\n<message>"
    };
    Result alertStates(QList<AlertState> &out);
    Result saveAlertState(const AlertState &state);

private:
    QString m_path;
    QString m_connection;
    Clock *m_clock;
    std::unique_ptr<QSqlDatabase> m_db;
    mutable bool m_unsynced = false; // a message changed by a commit not yet durable
};

} // namespace pollux
