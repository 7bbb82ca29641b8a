#pragma once

#include "smtp/SmtpClient.h"
#include "store/Spool.h"
#include "util/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace pollux {

// One recipient the office server refused for good, and what it said.
struct Refusal
{
    QString recipient;
    QString reply;
};

// What becomes of one message, decided by routing (RoutingStage::decide) or by the office
// server's replies (classifySend) and carried out by OutcomeApplier::apply() alone: the one
// place that changes a message's state in the store, its file in the spool, queues the
// notices it causes and emits the signals. Deciding never changes anything.
struct DeliveryOutcome
{
    enum class Kind
    {
        Send,       // routed: send to `recipients` (recorded first, so retries never re-route)
        Delivered,  // the office server took it for `recipients`; `retry` are sent again later
        Defer,      // not now: try again after the backoff (to `retry` if given, else as is)
        Quarantine, // never automatically: moved to `folder` (or left where it is, if
                    // `keepInPlace`), the postmaster told
        Duplicate,  // not delivered again: the same content went to every recipient before
        Handed,     // nothing to send itself: its content went on as a postmaster copy
    };
    Kind kind = Kind::Defer;
    QString reason; // the server's reply or our explanation; becomes the record's last_reply

    QStringList recipients; // Send: who gets it; Delivered: who took it
    QStringList retry;      // Delivered/Defer: who is still to get it (transient refusals)
    QList<Refusal> refused; // refused for good: the postmaster gets a notice naming them

    QuarantineFolder folder = QuarantineFolder::BadMail;
    bool keepInPlace = false; // Quarantine of a file that cannot be read or moved
    QString foundAt;          // keepInPlace: where the file is (an interrupted quarantine)

    // Send: the content digest for duplicate suppression (mail/ContentDigest.h); empty:
    // no suppression for this message. Handed/Send: a copy of the message for the
    // postmaster with this reason in front (routing::reasonHeader).
    QString contentDigest;
    QString postmasterCopyReason;

    static DeliveryOutcome send(const QStringList &recipients);
    static DeliveryOutcome defer(const QString &reason);
    static DeliveryOutcome quarantine(QuarantineFolder folder, const QString &reason);
};

// The office server's replies to one transaction, as smtp::SendResult::judge() weighed
// them, turned into an outcome. Only 2xx counts as accepted (a 3xx to the final dot is not
// a delivery). Per recipient: accepted, tried again later (4xx, and 552 to RCPT, which RFC
// 5321 4.5.3.1.10 says to treat as temporary), or refused for good. Nobody accepted and
// nobody to retry: quarantine (never a retry loop). Refused for its size (SIZE, 552 to MAIL
// or to the final dot): TOOLARGE.
DeliveryOutcome classifySend(const smtp::Envelope &envelope, const smtp::SendResult &result);

} // namespace pollux
