#pragma once

#include "config/Config.h"
#include "engine/DeliveryOutcome.h"
#include "store/Store.h"

#include <QByteArray>

class QIODevice;

namespace pollux {

class Clock;
namespace routing {
class RecipientDirectory;
}

// The routing step of the delivery stage: decides once, before the first attempt, who a
// collected message is for. It only decides (reading the store for duplicate suppression);
// OutcomeApplier records the decision, so retries never route again, and queues the
// postmaster copy it may ask for.
class RoutingStage
{
public:
    RoutingStage(const Config &config, Store &store, Clock *clock,
                 routing::RecipientDirectory *directory);

    // For a message not routed yet (no recipients recorded). `header` is its header block,
    // `file` the open spool file (read for the content digest; left at position 0).
    // Send, Defer (the directory did not answer), Quarantine (a loop; nowhere to deliver),
    // Duplicate (every recipient has this content already) or Handed (only a postmaster copy).
    // A store failure is a Defer whose reason says so.
    DeliveryOutcome decide(const DeliveryItem &item, const QByteArray &header, QIODevice *file);

private:
    bool isCatchAll(const QString &account) const;

    Config m_config;
    Store &m_store;
    Clock *m_clock;
    routing::RecipientDirectory *m_directory;
};

} // namespace pollux
