#pragma once

#include "config/Config.h"
#include "engine/DeliveryOutcome.h"
#include "store/Store.h"
#include "util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QString>

namespace pollux {

class Clock;
class Spool;

// The one place that changes what happens to a queued message: it carries out a
// DeliveryOutcome in the store and the spool, queues the copies and notices the outcome
// causes (as messages of their own, durable like the rest) and emits the signals. The
// order of its steps is the crash-safety argument: whatever a message is handed to (a
// postmaster copy, a notice) is durable before the message's own state changes, and a
// file is removed only after the state that makes it unneeded is committed.
// Lives in the delivery thread.
class OutcomeApplier : public QObject
{
    Q_OBJECT
public:
    OutcomeApplier(const Config &config, Store &store, Spool &spool, Clock *clock,
                   QObject *parent = nullptr);

    // Carries out `outcome` for `item`, whose header block is `header`. For Send, the
    // route is recorded and item.recipients/contentDigest are updated; returns false when
    // it could not be recorded (the message stays unrouted, storageError() was emitted) -
    // then it must not be sent. Every other kind returns true.
    bool apply(DeliveryItem &item, const QByteArray &header, const DeliveryOutcome &outcome);

    // The UID of a copy or notice made from the message `uid`: outside the UIDs a server
    // can list (a POP3 UIDL has no space; an IMAP one is "<validity>:<uid>"), so a server
    // message can never be taken for one of ours, nor ours for a server's.
    static QString derivedUid(const QString &uid, const QString &suffix);

    // Delay before retry number `attempt` (1 = first retry): the retry interval, doubled
    // each time, at most 4 hours.
    static qint64 backoffSeconds(int retryIntervalSecs, int attempt);

signals:
    void delivered(const QString &account, const QString &uid, const QString &reply);
    void deferred(const QString &account, const QString &uid, const QString &reply,
                  const QDateTime &nextAttempt);
    void quarantined(const QString &account, const QString &uid, const QString &reply,
                     const QString &folder);
    void storageError(const pollux::Result &error);

private:
    bool applySend(DeliveryItem &item, const QByteArray &header, const DeliveryOutcome &o);
    void applyDelivered(const DeliveryItem &item, const QByteArray &header,
                        const DeliveryOutcome &o);
    void applyDefer(const DeliveryItem &item, const QByteArray &header, const DeliveryOutcome &o);
    void applyQuarantine(const DeliveryItem &item, const QByteArray &header,
                         const DeliveryOutcome &o);
    void applyDuplicate(const DeliveryItem &item, const DeliveryOutcome &o);
    void applyHanded(const DeliveryItem &item, const QByteArray &header, const DeliveryOutcome &o);

    // Copies for the postmaster and notices: a new message of the item's account
    // ("<uid>#<suffix>"), `prefix` + (withContent: the item's file) for `recipients`.
    // Making the same one twice is harmless (the first one stands).
    Result queueDerived(const DeliveryItem &item, MessageKind kind, const QString &suffix,
                        const QByteArray &prefix, bool withContent, const QStringList &recipients);
    Result queuePostmasterCopy(const DeliveryItem &item, const QString &reason);
    void noticeRefused(const DeliveryItem &item, const QByteArray &header,
                       const QList<Refusal> &refused, const QStringList &accepted);
    Result noticeQuarantined(const DeliveryItem &item, const QByteArray &header,
                             QuarantineFolder folder, const QString &reason);
    DeliveredCopies copiesFor(const DeliveryItem &item, const QByteArray &header,
                              const QStringList &recipients) const;
    void removeFile(const QString &spoolPath);
    void storageFailed(const Result &error);

    Config m_config;
    Store &m_store;
    Spool &m_spool;
    Clock *m_clock;
};

} // namespace pollux
