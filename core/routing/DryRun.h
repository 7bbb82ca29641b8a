#pragma once

#include "config/Config.h"
#include "routing/Router.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pollux::routing {

class RecipientDirectory;

// One message to try: a label (UID, file name) and its header block.
struct DryRunInput
{
    QString label;
    QByteArray header;
};

struct DryRunResult
{
    QString label;
    QString from;    // decoded, for recognising the message
    QString subject; // decoded
    RoutingDecision decision;
};

// Routes each message as delivery would, without delivering anything. `directory` may be
// null (local recipients count as known) - the dry run of catch-all-reroute should pass
// the real one so that the administrator sees the directory's answers.
QList<DryRunResult> dryRun(const AccountConfig &account, const Config &config,
                           const QList<DryRunInput> &messages, RecipientDirectory *directory);

// The same for spooled message files (only their header is read, at most 1 MiB). A file
// that cannot be read gives a result whose decision is Wait with the reason.
QList<DryRunResult> dryRunFiles(const AccountConfig &account, const Config &config,
                                const QStringList &paths, RecipientDirectory *directory);

// Human-readable lines for `pollux account route NAME --dry-run`, e.g.
//   message 17: "Offer" from a@b.example
//     recipients from X-Original-To (skipped: Delivered-To)
//     bob@office.example   X-Original-To   deliver
//     => deliver to bob@office.example
QString describe(const DryRunResult &result);

} // namespace pollux::routing
