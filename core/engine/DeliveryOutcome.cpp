#include "DeliveryOutcome.h"

namespace pollux {

namespace {

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

// The SMTP layer judges the replies (smtp::SendResult::judge: only 2xx is accepted, 552 to
// RCPT is temporary, DATA and the final dot decide for everyone accepted at RCPT); this
// turns its verdicts into what becomes of the message.
DeliveryOutcome classifySend(const smtp::Envelope &envelope, const smtp::SendResult &result)
{
    QStringList accepted, retry, refused, tookRcpt, ownRetry;
    QList<Refusal> refusals;
    const QList<smtp::Reply> &replies = result.recipientReplies;
    for (int i = 0; i < envelope.recipients.size(); ++i) {
        const QString &recipient = envelope.recipients.at(i);
        const smtp::Reply own = replies.value(i);
        if (own.isSuccess() || own.code == 0) {
            // Taken at RCPT, or never asked: the message's fate is this recipient's.
            tookRcpt << recipient;
            if (result.delivered())
                accepted << recipient;
            else if (result.verdict == smtp::Verdict::Transient)
                retry << recipient;
        } else if (result.recipientVerdicts.value(i, result.verdict) == smtp::Verdict::Permanent) {
            refused << recipient;
            refusals.append({recipient, replies.value(i).toString()});
        } else {
            retry << recipient;
            ownRetry << recipient;
        }
    }
    QString why = result.decisiveReply.toString();
    if (why.isEmpty())
        why = QStringLiteral("no reply from the office server");
    QString tail;
    if (!refused.isEmpty())
        tail += QStringLiteral("; refused: ") + listed(envelope.recipients, replies, refused);
    if (!ownRetry.isEmpty())
        tail += QStringLiteral("; deferred: ") + listed(envelope.recipients, replies, ownRetry);

    if (result.delivered() && !accepted.isEmpty()) {
        DeliveryOutcome o;
        o.kind = DeliveryOutcome::Kind::Delivered;
        o.reason = result.finalReply.toString() + tail;
        o.recipients = accepted;
        o.retry = retry;
        o.refused = refusals;
        return o;
    }
    if (result.verdict == smtp::Verdict::Permanent || retry.isEmpty()) {
        // Refused for good, or nobody left to try again: waiting would only repeat it.
        DeliveryOutcome o = DeliveryOutcome::quarantine(
            result.sizeRefused ? QuarantineFolder::TooLarge : QuarantineFolder::BadMail,
            tookRcpt.isEmpty() && !refused.isEmpty() && result.mailReply.isSuccess()
                ? listed(envelope.recipients, replies, refused)
                : why + tail);
        o.refused = refusals;
        return o;
    }
    // Nobody got it now: try again later, for everyone not refused for good.
    DeliveryOutcome o = DeliveryOutcome::defer(why + tail);
    o.retry = retry;
    o.refused = refusals;
    return o;
}

} // namespace pollux
