#pragma once

#include "config/Config.h"
#include "store/Spool.h"
#include "store/Store.h"
#include "util/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace pollux {

class Clock;
class Spool;
namespace routing {
class RecipientDirectory;
}

// The routing step of the delivery stage: decides once, before the first attempt, who a
// collected message is for, and records that decision in the store so retries never
// route again. Copies for the postmaster and notices become messages of their own in the
// spool and the queue (durable like everything else, delivered with the null sender).
class RoutingStage
{
public:
    RoutingStage(const Config &config, Store &store, Spool &spool, Clock *clock,
                 routing::RecipientDirectory *directory);

    enum class Outcome
    {
        Deliver, // item.recipients now holds who gets it
        Wait,    // the directory did not answer: defer with `reply`
        Done,    // nothing to deliver (quarantined as a loop, or only duplicates): `reply` says
        Failed,  // the store or spool failed: `reply` says; try again later
    };

    // For a message not routed yet (no recipients recorded).
    Outcome route(DeliveryItem &item, const QByteArray &header, QString &reply);

    // After the office server accepted the message for `accepted`: remember its Message-ID
    // for duplicate suppression (catch-all accounts).
    void recordDelivered(const DeliveryItem &item, const QByteArray &header,
                         const QStringList &accepted);

    // Notices to the postmaster, queued as messages of their own.
    void noticeRejected(const DeliveryItem &item, const QByteArray &header,
                        const QList<QPair<QString, QString>> &rejected,
                        const QStringList &accepted);
    void noticeQuarantined(const DeliveryItem &item, const QByteArray &header,
                           QuarantineFolder folder, const QString &reason);

    QString postmaster() const { return m_config.postmaster; }

private:
    // Queues `prefix` + the content of `sourcePath` (or just `prefix` when empty) as a new
    // message "<uid>#<suffix>" of the item's account for `recipients`. Creating the same
    // derived message twice is harmless (the first one stands).
    Result queueDerived(const DeliveryItem &item, const QString &suffix, const QByteArray &prefix,
                        const QString &sourcePath, const QStringList &recipients);
    bool isCatchAll(const QString &account) const;

    Config m_config;
    Store &m_store;
    Spool &m_spool;
    Clock *m_clock;
    routing::RecipientDirectory *m_directory;
};

} // namespace pollux
