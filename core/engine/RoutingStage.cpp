#include "RoutingStage.h"

#include "engine/Log.h"
#include "mail/ContentDigest.h"
#include "routing/MessageId.h"
#include "routing/Router.h"
#include "util/Clock.h"

#include <QIODevice>

namespace pollux {

RoutingStage::RoutingStage(const Config &config, Store &store, Clock *clock,
                           routing::RecipientDirectory *directory)
    : m_config(config), m_store(store), m_clock(clock), m_directory(directory)
{
}

bool RoutingStage::isCatchAll(const QString &account) const
{
    const AccountConfig *a = m_config.account(account);
    return a && a->mailbox != MailboxType::SingleUser;
}

DeliveryOutcome RoutingStage::decide(const DeliveryItem &item, const QByteArray &header,
                                     QIODevice *file)
{
    const AccountConfig *account = m_config.account(item.account);
    if (!account) {
        // The account was removed from the configuration while its mail waited: the mail
        // is not lost, it goes to the postmaster - or, with none, to quarantine, from where
        // it can be sent again.
        if (m_config.postmaster.isEmpty())
            return DeliveryOutcome::quarantine(
                QuarantineFolder::BadMail,
                QStringLiteral("account %1 no longer configured and no postmaster set")
                    .arg(item.account));
        return DeliveryOutcome::send({m_config.postmaster});
    }

    const routing::RoutingDecision d = routing::route(*account, m_config, header, m_directory);
    if (!d.incomplete.isEmpty() && d.action != routing::RoutingDecision::Action::Wait)
        qCWarning(lcDelivery).noquote()
            << QStringLiteral("%1: UID %2: recipients not read completely (%3); %4")
                   .arg(item.account, item.uid, d.incomplete.join(QStringLiteral("; ")),
                        d.action == routing::RoutingDecision::Action::Quarantine
                            ? QStringLiteral("quarantined")
                            : QStringLiteral("the postmaster gets a copy"));
    switch (d.action) {
    case routing::RoutingDecision::Action::Wait:
        return DeliveryOutcome::defer(d.waitReason);
    case routing::RoutingDecision::Action::Quarantine:
        return DeliveryOutcome::quarantine(QuarantineFolder::BadMail, d.quarantineReason);
    case routing::RoutingDecision::Action::Deliver:
        break;
    }

    // Providers that keep one copy per recipient: the same Message-ID with the same content
    // for the same recipient within the window is delivered once. Another message that
    // borrows the Message-ID (a forgery, a predictable invoice number) differs in content
    // and is delivered.
    QStringList recipients = d.recipients;
    QString digest;
    qint64 duplicateOf = 0;
    const QString key = routing::duplicateKey(header);
    if (isCatchAll(item.account) && item.kind == MessageKind::Collected && !key.isEmpty() &&
        m_config.duplicateWindowDays > 0) {
        digest = mail::contentDigest(file);
        if (digest.isEmpty())
            return DeliveryOutcome::defer(QStringLiteral("cannot read the spool file"));
        const QDateTime since = m_clock->now().addDays(-m_config.duplicateWindowDays);
        QStringList fresh;
        for (const QString &r : std::as_const(recipients)) {
            qint64 original = 0;
            if (Result res = m_store.deliveredCopy(key, digest, r, since, original); !res)
                return DeliveryOutcome::defer(res.message());
            if (!original) {
                fresh << r;
                continue;
            }
            duplicateOf = original;
            qCInfo(lcDelivery).noquote()
                << QStringLiteral("%1: UID %2: %3 already received %4 (message %5); not again")
                       .arg(item.account, item.uid, r, key)
                       .arg(original);
        }
        recipients = fresh;
    }

    const QString copyReason = d.postmaster.isEmpty() ? QString() : d.postmasterReason;
    if (recipients.isEmpty() && copyReason.isEmpty() && !duplicateOf)
        return DeliveryOutcome::quarantine(QuarantineFolder::BadMail,
                                           QStringLiteral("no recipient to deliver to"));
    if (recipients.isEmpty()) {
        DeliveryOutcome o;
        if (!copyReason.isEmpty()) {
            o.kind = DeliveryOutcome::Kind::Handed;
            o.reason = QStringLiteral("no local recipient; sent to the postmaster");
            o.postmasterCopyReason = copyReason;
        } else {
            o.kind = DeliveryOutcome::Kind::Duplicate;
            o.reason = QStringLiteral("duplicate of message %1: every recipient already has "
                                      "this content (%2)")
                           .arg(duplicateOf)
                           .arg(key);
        }
        return o;
    }
    DeliveryOutcome o = DeliveryOutcome::send(recipients);
    o.contentDigest = digest;
    o.postmasterCopyReason = copyReason;
    return o;
}

} // namespace pollux
