#include "DeliveryOutcome.h"

namespace pollux {

namespace {

int replyClass(const smtp::Reply &reply)
{
    return reply.code / 100; // 0: not reached
}

// RFC 5321 4.5.3.1.10: 552 to RCPT ("too many recipients", from some servers "mailbox
// full") is to be treated as temporary.
bool refusedForGood(const smtp::Reply &reply)
{
    return replyClass(reply) == 5 && reply.code != 552;
}

QString listed(const QStringList &recipients, const QList<smtp::Reply> &replies,
               const QStringList &which)
{
    QStringList parts;
    for (int i = 0; i < recipients.size(); ++i) {
        if (which.contains(recipients.at(i)))
            parts << recipients.at(i) + QStringLiteral(": ") + replies.value(i).toString();
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

DeliveryOutcome DeliveryOutcome::send(const QStringList &recipients)
{
    DeliveryOutcome o;
    o.kind = Kind::Send;
    o.recipients = recipients;
    return o;
}

DeliveryOutcome DeliveryOutcome::defer(const QString &reason)
{
    DeliveryOutcome o;
    o.kind = Kind::Defer;
    o.reason = reason;
    return o;
}

DeliveryOutcome DeliveryOutcome::quarantine(QuarantineFolder folder, const QString &reason)
{
    DeliveryOutcome o;
    o.kind = Kind::Quarantine;
    o.folder = folder;
    o.reason = reason;
    return o;
}

DeliveryOutcome classifySend(const smtp::Envelope &envelope, const smtp::SendResult &result)
{
    // MAIL FROM never sent: no recipient could go on the wire (their synthetic 553s
    // follow), or the connection ended first (nothing at all).
    const bool mailSent = result.mailReply.code != 0;
    bool anyRecipientReply = false;
    for (const smtp::Reply &r : result.recipientReplies)
        anyRecipientReply = anyRecipientReply || r.code != 0;
    if (!mailSent && !anyRecipientReply)
        return DeliveryOutcome::defer(QStringLiteral("the office server was not reached"));
    // The sender refused: the whole message waits or is refused.
    if (mailSent && replyClass(result.mailReply) != 2) {
        const QString reply = result.mailReply.toString();
        if (result.sizeRefused || result.mailReply.code == 552)
            return DeliveryOutcome::quarantine(QuarantineFolder::TooLarge, reply);
        if (replyClass(result.mailReply) == 5)
            return DeliveryOutcome::quarantine(QuarantineFolder::BadMail, reply);
        return DeliveryOutcome::defer(reply);
    }

    QStringList accepted, retry, refused;
    QList<Refusal> refusals;
    for (int i = 0; i < envelope.recipients.size(); ++i) {
        const QString &recipient = envelope.recipients.at(i);
        const smtp::Reply reply = result.recipientReplies.value(i); // code 0: not reached
        if (replyClass(reply) == 2) {
            accepted << recipient;
        } else if (refusedForGood(reply)) {
            refused << recipient;
            refusals.append({recipient, reply.toString()});
        } else {
            retry << recipient;
        }
    }
    const QList<smtp::Reply> &replies = result.recipientReplies;

    if (accepted.isEmpty()) {
        if (!retry.isEmpty()) {
            DeliveryOutcome o = DeliveryOutcome::defer(listed(envelope.recipients, replies, retry));
            if (!refused.isEmpty())
                o.reason +=
                    QStringLiteral("; refused: ") + listed(envelope.recipients, replies, refused);
            o.retry = retry;
            o.refused = refusals;
            return o;
        }
        // Every recipient refused for good (or none could go on the wire): waiting would
        // only repeat it.
        const QString why = envelope.recipients.isEmpty()
                                ? QStringLiteral("no recipient")
                                : listed(envelope.recipients, replies, refused);
        DeliveryOutcome o = DeliveryOutcome::quarantine(QuarantineFolder::BadMail, why);
        o.refused = refusals; // named in the quarantine notice's reason
        return o;
    }

    const smtp::Reply &final = result.finalReply;
    QString tail;
    if (!refused.isEmpty())
        tail += QStringLiteral("; refused: ") + listed(envelope.recipients, replies, refused);
    if (!retry.isEmpty())
        tail += QStringLiteral("; deferred: ") + listed(envelope.recipients, replies, retry);

    switch (replyClass(final)) {
    case 2: {
        DeliveryOutcome o;
        o.kind = DeliveryOutcome::Kind::Delivered;
        o.reason = final.toString() + tail;
        o.recipients = accepted;
        o.retry = retry;
        o.refused = refusals;
        return o;
    }
    case 5:
        return DeliveryOutcome::quarantine(result.sizeRefused || final.code == 552
                                               ? QuarantineFolder::TooLarge
                                               : QuarantineFolder::BadMail,
                                           final.toString() + tail);
    default: {
        // 4xx, a 3xx that is no delivery, or no final reply (DATA refused): nobody got it.
        const QString reply =
            final.code ? final.toString()
                       : QStringLiteral("the office server did not take the message data");
        DeliveryOutcome o = DeliveryOutcome::defer(reply + tail);
        o.retry = accepted + retry;
        o.refused = refusals;
        return o;
    }
    }
}

} // namespace pollux
