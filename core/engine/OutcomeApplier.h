#pragma once

#include "config/Config.h"
#include "engine/DeliveryOutcome.h"
#include "store/Store.h"
#include "util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

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
    ~OutcomeApplier() override; // syncGroup()

    // Delivered marks become durable in groups (docs/RELIABILITY.md, "Power cuts"): each is
    // committed (in the operating system) before the next message is sent, and the group is
    // synced to the disk - one flush - after this many deliveries or when its first is this
    // old (a timer: also while a slow reply is awaited), and whenever the delivery worker
    // runs out of messages or stops. A spool file is removed only once the mark that makes
    // it unneeded is durable.
    struct GroupLimits
    {
        int deliveries = 100;
        int millis = 1000;
    };
    void setGroupLimits(GroupLimits limits) { m_limits = limits; }
    // Makes every mark so far durable, then removes the files they cover.
    Result syncGroup();
    // Files waiting for their marks to be durable (tests).
    qsizetype filesAwaitingSync() const { return m_unsyncedFiles.size(); }

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
    // The file of a message whose mark was just committed: removed after the group syncs.
    // `delivery`: the mark records a delivery (it counts towards the group's size).
    void removeFile(const QString &spoolPath, bool delivery = true);
    void countDelivery(); // a delivery was marked: sync the group when it is full or old
    void storageFailed(const Result &error);

    Config m_config;
    Store &m_store;
    Spool &m_spool;
    Clock *m_clock;
    QString m_hostName; // for notices: the HELO name, or this machine's name (asked once)
    GroupLimits m_limits;
    QStringList m_unsyncedFiles; // of the group: removed once its marks are durable
    int m_groupDeliveries = 0;
    QElapsedTimer m_groupAge; // since the group's first mark
    QTimer m_groupTimer;      // syncs the group when it is m_limits.millis old
    void startGroup();        // the group's first mark: its age counts from now
};

} // namespace pollux
