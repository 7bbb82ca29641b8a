#pragma once

#include "config/Config.h"
#include "routing/Recipients.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace pollux::routing {

class RecipientDirectory;

// What becomes of one address found in the header.
enum class Fate
{
    Deliver,      // local (and known): gets the message
    Foreign,      // not in an accepted domain: not ours, left out
    ToPostmaster, // local but unknown to the directory: replaced by the postmaster
    Unchecked,    // local, but the directory did not answer (decision is Wait)
    NotLocal,     // in an accepted domain but relay syntax (isRelaySyntax): the postmaster
};
// "deliver", "foreign", "postmaster", "unchecked", "not local"
QString fateName(Fate fate);

struct RoutedRecipient
{
    QString address;
    QString source; // the header that named it
    Fate fate = Fate::Deliver;
    QString detail; // the directory's answer, when asked
};

struct RoutingDecision
{
    enum class Action
    {
        Deliver,    // deliver to `recipients`, and a copy to the postmaster if postmasterReason
        Wait,       // the directory did not answer: keep the message, retry later (4xx-like)
        Quarantine, // do not deliver (loop): quarantine and notify the postmaster
    };
    Action action = Action::Deliver;

    // One SMTP transaction, one RCPT each, deduplicated; the message as it is.
    QStringList recipients;
    // Non-empty: one more transaction, to `postmaster`, of the message with
    // reasonHeader(postmasterReason) prepended. A separate copy so the reason (which may name
    // BCC recipients) is never shown to the other recipients.
    QString postmaster;
    QString postmasterReason;

    QString quarantineReason; // Action::Quarantine: e.g. "loop: ..."
    QString waitReason;       // Action::Wait
    ErrorCode waitError = ErrorCode::None;

    // For the dry run and the log: every address found, where it came from, its fate.
    QList<RoutedRecipient> details;
    QString authority;   // the envelope header used; empty: the visible headers
    QStringList skipped; // envelope headers present but not used (see extractRecipients)
    // Listed envelope headers outside the provider's trace: shown, never used.
    QList<FoundRecipient> untrusted;
    bool traceFound = false; // the header has a Received: (see Extraction::traceFound)
    // What routing could not read completely (Extraction::incomplete): non-empty means the
    // recipients read are delivered to and the postmaster gets a copy whose reason begins
    // "recipients not read completely: " and names each of these.
    QStringList incomplete;
    QString mailbox; // "single-user", "catch-all", "catch-all-reroute"
};

// Loop protection: a message that already carries our trace header (mail/TraceHeader.h)
// for this account, or more than maxReceived Received: headers. Returns the reason, empty
// when the message is not looping.
QString loopReason(const QList<HeaderField> &fields, const QString &account, int maxReceived = 50);

// Decides where a message goes.
// - single-user: the fixed recipient (account.recipient).
// - catch-all: the local recipients (Config::acceptedDomains, acceptSubdomains) found by
//   extractRecipients() with the account's envelopeHeaders; none -> the postmaster, with
//   the reason ("no local recipient (To: a@foreign.example)"); only envelope headers the
//   provider wrote count (account.providerHosts, see extractRecipients). A local address
//   with relay syntax (isRelaySyntax: % ! @ in the local part) is NotLocal: never a
//   recipient, the postmaster gets a copy with the reason.
// - catch-all-reroute: as catch-all, but each local recipient is looked up in `directory`
//   (null: every local recipient counts as known); unknown ones are replaced by the
//   postmaster; if any lookup is Unavailable the decision is Wait (never a guess).
// - catch-all, both: a header or a recipient field used that could not be read completely
//   (over a bound of HeaderFields.h / Address.h, unterminated syntax, an unreadable entry)
//   is never delivered to the recipients read alone: they get it, and the postmaster gets
//   a copy with the reason ("recipients not read completely: To: ...").
// Without a postmaster, any decision that would copy to the postmaster is a Quarantine.
// Every type first checks for a loop (Quarantine).
// `headerBlock`: the message's header (mail::readHeaderBlock of the spooled file).
RoutingDecision route(const AccountConfig &account, const Config &config,
                      const QByteArray &headerBlock, RecipientDirectory *directory);

// "X-Pollux-Reason: <reason>\r\n", the reason made header-safe (no CR/LF, non-ASCII as an
// RFC 2047 encoded word, folded below 78 columns).
QByteArray reasonHeader(const QString &reason);

} // namespace pollux::routing
