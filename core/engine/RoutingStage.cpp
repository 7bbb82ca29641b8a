#include "RoutingStage.h"

#include "engine/Log.h"
#include "routing/MessageId.h"
#include "routing/Notice.h"
#include "routing/Router.h"
#include "store/Spool.h"
#include "util/Clock.h"

#include <QFile>
#include <QHostInfo>

namespace pollux {

RoutingStage::RoutingStage(const Config &config, Store &store, Spool &spool, Clock *clock,
                           routing::RecipientDirectory *directory)
    : m_config(config), m_store(store), m_spool(spool), m_clock(clock), m_directory(directory)
{
}

bool RoutingStage::isCatchAll(const QString &account) const
{
    const AccountConfig *a = m_config.account(account);
    return a && a->mailbox != MailboxType::SingleUser;
}

RoutingStage::Outcome RoutingStage::route(DeliveryItem &item, const QByteArray &header,
                                          QString &reply)
{
    const AccountConfig *account = m_config.account(item.account);
    if (!account) {
        // The account was removed from the configuration while its mail waited: the mail
        // is not lost, it goes to the postmaster.
        if (m_config.postmaster.isEmpty()) {
            reply = QStringLiteral("account %1 no longer configured and no postmaster set")
                        .arg(item.account);
            return Outcome::Wait;
        }
        item.recipients = {m_config.postmaster};
    } else {
        const routing::RoutingDecision d = routing::route(*account, m_config, header, m_directory);
        switch (d.action) {
        case routing::RoutingDecision::Action::Wait:
            reply = d.waitReason;
            return Outcome::Wait;
        case routing::RoutingDecision::Action::Quarantine: {
            reply = d.quarantineReason;
            QString moved;
            if (Result r = m_spool.quarantine(item.spoolPath, QuarantineFolder::BadMail, moved);
                !r) {
                reply = r.message();
                return Outcome::Failed;
            }
            if (Result r = m_store.markFailed(item.id, d.quarantineReason, moved); !r) {
                reply = r.message();
                return Outcome::Failed;
            }
            item.spoolPath = moved;
            noticeQuarantined(item, header, QuarantineFolder::BadMail, d.quarantineReason);
            return Outcome::Done;
        }
        case routing::RoutingDecision::Action::Deliver:
            break;
        }
        QStringList recipients = d.recipients;
        // Providers that keep one copy per recipient: the same Message-ID for the same
        // recipient within the window is delivered once.
        const QString key = routing::duplicateKey(header);
        if (isCatchAll(item.account) && !key.isEmpty() && m_config.duplicateWindowDays > 0) {
            const QDateTime since = m_clock->now().addDays(-m_config.duplicateWindowDays);
            QStringList fresh;
            for (const QString &r : std::as_const(recipients)) {
                bool seen = false;
                if (Result res = m_store.deliveredSince(key, r, since, seen); !res) {
                    reply = res.message();
                    return Outcome::Failed;
                }
                if (!seen)
                    fresh << r;
                else
                    qCInfo(lcDelivery).noquote()
                        << QStringLiteral("%1: UID %2: %3 already received %4; not again")
                               .arg(item.account, item.uid, r, key);
            }
            recipients = fresh;
        }
        if (!d.postmasterReason.isEmpty() && !d.postmaster.isEmpty()) {
            if (Result r = queueDerived(item, QStringLiteral("postmaster"),
                                        routing::reasonHeader(d.postmasterReason), item.spoolPath,
                                        {d.postmaster});
                !r) {
                reply = r.message();
                return Outcome::Failed;
            }
            qCInfo(lcDelivery).noquote()
                << QStringLiteral("%1: UID %2: copy for %3: %4")
                       .arg(item.account, item.uid, d.postmaster, d.postmasterReason);
        }
        if (recipients.isEmpty()) {
            reply = d.postmasterReason.isEmpty()
                        ? QStringLiteral("duplicate: every recipient already has this message")
                        : QStringLiteral("no local recipient; sent to the postmaster");
            if (Result r = m_store.markDelivered(item.id, reply); !r) {
                reply = r.message();
                return Outcome::Failed;
            }
            if (Result r = m_spool.remove(item.spoolPath); !r)
                qCWarning(lcDelivery).noquote() << r.message();
            return Outcome::Done;
        }
        item.recipients = recipients;
    }
    if (Result r = m_store.setRecipients(item.id, item.recipients); !r) {
        reply = r.message();
        return Outcome::Failed;
    }
    return Outcome::Deliver;
}

void RoutingStage::recordDelivered(const DeliveryItem &item, const QByteArray &header,
                                   const QStringList &accepted)
{
    if (!isCatchAll(item.account) || item.uid.contains(QLatin1Char('#')))
        return;
    const QString key = routing::duplicateKey(header);
    if (key.isEmpty() || accepted.isEmpty())
        return;
    if (Result r = m_store.recordDeliveredIds(key, accepted); !r)
        qCWarning(lcDelivery).noquote() << r.message();
}

namespace {
routing::NoticeContext noticeContext(const Config &config, const DeliveryItem &item, Clock *clock)
{
    routing::NoticeContext c;
    c.postmaster = config.postmaster;
    c.hostName = config.smtp.heloName.isEmpty() ? QHostInfo::localHostName() : config.smtp.heloName;
    c.account = item.account;
    c.uid = item.uid;
    c.when = clock->now();
    return c;
}
} // namespace

void RoutingStage::noticeRejected(const DeliveryItem &item, const QByteArray &header,
                                  const QList<QPair<QString, QString>> &rejected,
                                  const QStringList &accepted)
{
    if (m_config.postmaster.isEmpty() || item.uid.contains(QLatin1Char('#')))
        return; // never a notice about a notice
    QList<routing::RejectedRecipient> list;
    for (const auto &p : rejected)
        list.append({p.first, p.second});
    const QByteArray notice = routing::rejectedRecipientsNotice(
        noticeContext(m_config, item, m_clock), list, accepted, header);
    if (Result r = queueDerived(item, QStringLiteral("rejected-%1").arg(item.attempts),
                                QByteArrayLiteral("Return-Path: <>\r\n") + notice, QString(),
                                {m_config.postmaster});
        !r)
        qCWarning(lcDelivery).noquote() << r.message();
}

void RoutingStage::noticeQuarantined(const DeliveryItem &item, const QByteArray &header,
                                     QuarantineFolder folder, const QString &reason)
{
    if (m_config.postmaster.isEmpty() || item.uid.contains(QLatin1Char('#')))
        return;
    const QByteArray notice = routing::quarantineNotice(
        noticeContext(m_config, item, m_clock), quarantineFolderName(folder), reason, header);
    if (Result r = queueDerived(item, QStringLiteral("quarantine"),
                                QByteArrayLiteral("Return-Path: <>\r\n") + notice, QString(),
                                {m_config.postmaster});
        !r)
        qCWarning(lcDelivery).noquote() << r.message();
}

Result RoutingStage::queueDerived(const DeliveryItem &item, const QString &suffix,
                                  const QByteArray &prefix, const QString &sourcePath,
                                  const QStringList &recipients)
{
    const QString uid = item.uid + QLatin1Char('#') + suffix;
    QSet<QString> known;
    if (Result r = m_store.knownUids(item.account, known); !r)
        return r;
    if (known.contains(uid))
        return Result::success(); // made before (e.g. before a crash)
    Result error;
    std::unique_ptr<Spool::Writer> writer = m_spool.create(item.account, error);
    if (!writer)
        return error;
    if (Result r = writer->write(prefix.constData(), prefix.size()); !r)
        return r;
    if (!sourcePath.isEmpty()) {
        QFile source(m_spool.absolutePath(sourcePath));
        if (!source.open(QIODevice::ReadOnly))
            return Result::failure(
                ErrorCode::Storage,
                QStringLiteral("cannot read %1: %2").arg(source.fileName(), source.errorString()));
        char buffer[64 * 1024];
        qint64 n;
        while ((n = source.read(buffer, sizeof buffer)) > 0) {
            if (Result r = writer->write(buffer, n); !r)
                return r;
        }
        if (n < 0)
            return Result::failure(
                ErrorCode::Storage,
                QStringLiteral("cannot read %1: %2").arg(source.fileName(), source.errorString()));
    }
    if (Result r = writer->finish(); !r)
        return r;
    if (Result r = m_spool.makeDurable({writer->relativePath()}); !r)
        return r;
    SpooledMessage m;
    m.uid = uid;
    m.size = writer->size();
    m.spoolPath = writer->relativePath();
    m.recipients = recipients;
    return m_store.recordSpooled(item.account, {m});
}

} // namespace pollux
