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
    // What listed envelope headers name outside the provider's trace (below its inbound
    // Received:, or a Received: line not the provider's): written by the sender, never used.
    QList<FoundRecipient> untrusted;
    // The header has a Received: line, so the provider's trace could be found; false: no
    // envelope header is trusted at all.
    bool traceFound = false;
    // What of the fields used could not be read completely, one note each, naming the field
    // and the bound ("To: more than 10000 addresses, the rest was not read (...)"); also a
    // header that was cut or had too many fields (HeaderRead::incompleteReason). Used: the
    // listed envelope headers tried (their trusted occurrences), up to and including the
    // authority; without an authority, the visible headers. Empty: nothing was missed.
    QStringList incomplete;
    QStringList addresses() const;
};

using LocalPredicate = std::function<bool(const QString &normalisedAddress)>;

// The visible recipient headers: To, Cc, Bcc, or - when the message was resent and has any
// Resent-To/-Cc/-Bcc - those instead (the resent-to recipients are the current ones).
QStringList visibleRecipientHeaders();

// Finds a message's recipients.
//
// Only what the provider's own hosts wrote counts (see Trace.h, providerTrace()): an
// envelope header is used only where it stands above the provider's inbound Received:
// line, and a Received: "for" clause only on the provider's own lines. `providerHosts`
// (account.providerHosts) tells which hosts are the provider's; without them only the
// fields above the topmost Received: and that line's "for" are trusted. A header without
// any Received: trusts no envelope header. Everything else goes to `untrusted` and grants
// nothing: it neither adds nor replaces a recipient.
//
// The account's envelopeHeaders are tried in order. The first one whose trusted
// occurrences name at least one local recipient (isLocal; no predicate: any address) is the
// authority: all its trusted addresses are the recipients. An envelope header that is
// present but names only foreign addresses (typically Delivered-To carrying the provider's
// own mailbox) is skipped, not trusted: otherwise every such message would end at the
// postmaster. Without an authority, the visible headers are used.
//
// "Received" may be listed like any envelope header: it stands for the "for <addr>"
// clauses of the provider's Received: lines.
//
// At most kMaxAddresses recipients are returned; past that, and wherever a field used
// could not be read completely (readAddressList), `incomplete` says so - the recipients
// read before are still returned, so that the caller can deliver to them and tell the
// postmaster about the rest.
Extraction extractRecipients(const QList<HeaderField> &fields, const QStringList &envelopeHeaders,
                             const LocalPredicate &isLocal = {},
                             const QStringList &providerHosts = {});
// The same for a header block read with readHeaderFields(): a header cut at its bounds
// is noted first in `incomplete`.
Extraction extractRecipients(const QByteArray &headerBlock, const QStringList &envelopeHeaders,
                             const LocalPredicate &isLocal = {},
                             const QStringList &providerHosts = {});

} // namespace pollux::routing
