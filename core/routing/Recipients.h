#pragma once

#include "routing/HeaderFields.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace pollux::routing {

// One recipient found in a header, and the header that named it ("To", "X-Original-To",
// "Received" for a Received: ... for <addr> clause).
struct FoundRecipient
{
    QString address; // normalised (see normaliseAddress)
    QString source;
};

struct Extraction
{
    // Deduplicated (addressKey), in the order first seen.
    QList<FoundRecipient> recipients;
    // The envelope header that was the authority; empty when the visible headers were used.
    QString authority;
    // Envelope headers of the list that were present but named no local recipient, so the
    // next one was tried (explains the choice in the dry run).
    QStringList skipped;
    QStringList addresses() const;
};

using LocalPredicate = std::function<bool(const QString &normalisedAddress)>;

// The visible recipient headers: To, Cc, Bcc, or - when the message was resent and has any
// Resent-To/-Cc/-Bcc - those instead (the resent-to recipients are the current ones).
QStringList visibleRecipientHeaders();

// Finds a message's recipients.
//
// The account's envelopeHeaders are tried in order. The first one present in the message
// that names at least one local recipient (isLocal; no predicate: any address) is the
// authority: all its addresses, from all its occurrences, are the recipients. An envelope
// header that is present but names only foreign addresses (typically Delivered-To carrying
// the provider's own mailbox) is skipped, not trusted: otherwise every such message would
// end at the postmaster. Without an authority, the visible headers are used.
//
// "Received" may be listed like any envelope header: it stands for the "for <addr>" clause
// of the topmost (most recent) Received: header that has one. Only that one - the for
// clauses further down were written by earlier hops (the sender's server, a mailing list)
// for their own envelopes.
Extraction extractRecipients(const QList<HeaderField> &fields, const QStringList &envelopeHeaders,
                             const LocalPredicate &isLocal = {});
Extraction extractRecipients(const QByteArray &headerBlock, const QStringList &envelopeHeaders,
                             const LocalPredicate &isLocal = {});

} // namespace pollux::routing
