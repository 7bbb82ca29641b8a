#include "OutcomeApplier.h"

#include "engine/Log.h"
#include "routing/MessageId.h"
#include "routing/Notice.h"
#include "routing/Router.h"
#include "store/Spool.h"
#include "util/Clock.h"

#include <QFile>
#include <QHostInfo>

#include <utility>

namespace pollux {

OutcomeApplier::OutcomeApplier(const Config &config, Store &store, Spool &spool, Clock *clock,
                               QObject *parent)
    : QObject(parent), m_config(config), m_store(store), m_spool(spool), m_clock(clock),
      m_hostName(config.smtp.heloName.isEmpty() ? QHostInfo::localHostName()
                                                : config.smtp.heloName),
      m_groupTimer(this)
{
    m_groupTimer.setSingleShot(true);
    connect(&m_groupTimer, &QTimer::timeout, this, [this] {
        if (Result r = syncGroup(); !r)
            storageFailed(r);
    });
}

void OutcomeApplier::startGroup()
{
    if (m_groupAge.isValid())
        return;
    m_groupAge.start();
    m_groupTimer.start(qMax(0, m_limits.millis));
}

OutcomeApplier::~OutcomeApplier()
{
    if (Result r = syncGroup(); !r)
        qCWarning(lcDelivery).noquote() << r.message(); // the files go at the next start
}

Result OutcomeApplier::syncGroup()
{
    m_groupDeliveries = 0;
    m_groupAge.invalidate();
    m_groupTimer.stop();
    if (Result r = m_store.syncCommits(); !r) {
        // Not durable: the files stay (their records say delivered: the next start's orphan
        // sweep removes them).
        m_unsyncedFiles.clear();
        return r;
    }
    const QStringList files = std::exchange(m_unsyncedFiles, {});
    for (const QString &path : files) {
        if (Result r = m_spool.remove(path); !r)
            qCWarning(lcDelivery).noquote() << r.message();
    }
    return Result::success();
}

void OutcomeApplier::countDelivery()
{
    startGroup();
    ++m_groupDeliveries;
    if (m_groupDeliveries >= m_limits.deliveries || m_groupAge.elapsed() >= m_limits.millis) {
        if (Result r = syncGroup(); !r)
            storageFailed(r);
    }
}

qint64 OutcomeApplier::backoffSeconds(int retryIntervalSecs, int attempt)
{
    const qint64 cap = 4 * 3600;
    qint64 delay = qMax(1, retryIntervalSecs);
    for (int i = 1; i < attempt && delay < cap; ++i)
        delay *= 2;
    return qMin(delay, cap);
}

QString OutcomeApplier::derivedUid(const QString &uid, const QString &suffix)
{
    return uid + QStringLiteral(" #") + suffix;
}

bool OutcomeApplier::apply(DeliveryItem &item, const QByteArray &header,
                           const DeliveryOutcome &outcome)
{
    switch (outcome.kind) {
    case DeliveryOutcome::Kind::Send:
        return applySend(item, header, outcome);
    case DeliveryOutcome::Kind::Delivered:
        applyDelivered(item, header, outcome);
        break;
    case DeliveryOutcome::Kind::Defer:
        applyDefer(item, header, outcome);
        break;
    case DeliveryOutcome::Kind::Quarantine:
        applyQuarantine(item, header, outcome);
        break;
    case DeliveryOutcome::Kind::Duplicate:
        applyDuplicate(item, outcome);
        break;
    case DeliveryOutcome::Kind::Handed:
        applyHanded(item, header, outcome);
        break;
    }
    return true;
}

void OutcomeApplier::storageFailed(const Result &error)
{
    qCCritical(lcDelivery).noquote() << error.message();
    emit storageError(error);
}

void OutcomeApplier::removeFile(const QString &spoolPath, bool delivery)
{
    m_unsyncedFiles.append(spoolPath);
    if (delivery)
        countDelivery();
    else
        startGroup();
}

DeliveredCopies OutcomeApplier::copiesFor(const DeliveryItem &item, const QByteArray &header,
                                          const QStringList &recipients) const
{
    DeliveredCopies copies;
    if (item.kind != MessageKind::Collected || item.contentDigest.isEmpty())
        return copies;
    copies.messageId = routing::duplicateKey(header);
    copies.digest = item.contentDigest;
    copies.recipients = recipients;
    return copies;
}

// The postmaster copy first (durable), then the route: after a crash in between the
// message is routed again and the copy, already known, is not made twice.
bool OutcomeApplier::applySend(DeliveryItem &item, const QByteArray &, const DeliveryOutcome &o)
{
    if (!o.postmasterCopyReason.isEmpty()) {
        if (Result r = queuePostmasterCopy(item, o.postmasterCopyReason); !r) {
            storageFailed(r);
            return false;
        }
    }
    if (Result r = m_store.recordRoute(item.id, o.recipients, o.contentDigest); !r) {
        storageFailed(r);
        return false;
    }
    item.recipients = o.recipients;
    item.contentDigest = o.contentDigest;
    return true;
}

void OutcomeApplier::applyDelivered(const DeliveryItem &item, const QByteArray &header,
                                    const DeliveryOutcome &o)
{
    if (!o.refused.isEmpty())
        noticeRefused(item, header, o.refused, o.recipients);
    const DeliveredCopies copies = copiesFor(item, header, o.recipients);
    if (!o.retry.isEmpty()) {
        // Delivered to some; the others go in the next transaction, at once: a server that
        // takes only so many recipients per transaction (452, RFC 5321 4.5.3.1.10: "100-
        // recipient chunks") must not make each chunk wait for a growing backoff. Every such
        // round delivers to someone, so they end; a round that delivers to nobody backs off.
        const QDateTime next = m_clock->now();
        if (Result r = m_store.markDeferred(item.id, o.reason, next, o.retry, copies); !r) {
            storageFailed(r);
            return;
        }
        countDelivery();
        qCWarning(lcDelivery).noquote()
            << QStringLiteral("%1: UID %2 delivered to %3; deferred until %4 for %5: %6")
                   .arg(item.account, item.uid, o.recipients.join(QStringLiteral(", ")),
                        next.toString(Qt::ISODate), o.retry.join(QStringLiteral(", ")), o.reason);
        emit deferred(item.account, item.uid, o.reason, next);
        return;
    }
    if (Result r = m_store.markDelivered(item.id, o.reason, copies); !r) {
        storageFailed(r);
        return;
    }
    removeFile(item.spoolPath);
    qCInfo(lcDelivery).noquote() << QStringLiteral("%1: delivered UID %2 (%3 bytes) to %4: %5")
                                        .arg(item.account, item.uid)
                                        .arg(item.size)
                                        .arg(o.recipients.join(QStringLiteral(", ")), o.reason);
    emit delivered(item.account, item.uid, o.reason);
}

void OutcomeApplier::applyDefer(const DeliveryItem &item, const QByteArray &header,
                                const DeliveryOutcome &o)
{
    if (!o.refused.isEmpty())
        noticeRefused(item, header, o.refused, {});
    const qint64 delay = backoffSeconds(m_config.smtp.retryIntervalSecs, item.attempts + 1);
    const QDateTime next = m_clock->now().addSecs(delay);
    if (Result r = m_store.markDeferred(item.id, o.reason, next, o.retry); !r) {
        storageFailed(r);
        return;
    }
    qCWarning(lcDelivery).noquote()
        << QStringLiteral("%1: UID %2 deferred until %3: %4")
               .arg(item.account, item.uid, next.toString(Qt::ISODate), o.reason);
    emit deferred(item.account, item.uid, o.reason, next);
}

void OutcomeApplier::applyQuarantine(const DeliveryItem &item, const QByteArray &header,
                                     const DeliveryOutcome &o)
{
    const QString folderName = quarantineFolderName(o.folder);
    QString moved = o.foundAt;
    if (!o.keepInPlace) {
        if (Result r = m_spool.quarantine(item.spoolPath, o.folder, moved); !r) {
            // Keep it in the queue rather than lose track of it.
            storageFailed(r);
            DeliveryOutcome later = DeliveryOutcome::defer(o.reason);
            applyDefer(item, header, later);
            return;
        }
    }
    // Told before the state changes: a notice that cannot be queued leaves the message
    // unrecorded, found in quarantine and tried again at the next cycle.
    if (Result r = noticeQuarantined(item, header, o.folder, o.reason); !r) {
        storageFailed(r);
        return;
    }
    if (Result r = m_store.markFailed(item.id, o.reason, moved); !r) {
        storageFailed(r);
        return;
    }
    qCWarning(lcDelivery).noquote()
        << (o.keepInPlace ? QStringLiteral("%1: UID %2 cannot be delivered: %4")
                                .arg(item.account, item.uid, o.reason)
                          : QStringLiteral("%1: UID %2 refused, moved to %3: %4")
                                .arg(item.account, item.uid, folderName, o.reason));
    emit quarantined(item.account, item.uid, o.reason, o.keepInPlace ? QString() : folderName);
}

void OutcomeApplier::applyDuplicate(const DeliveryItem &item, const DeliveryOutcome &o)
{
    if (Result r = m_store.markDuplicate(item.id, o.reason); !r) {
        storageFailed(r);
        return;
    }
    removeFile(item.spoolPath, false);
    qCInfo(lcDelivery).noquote() << QStringLiteral("%1: UID %2 not delivered again: %3")
                                        .arg(item.account, item.uid, o.reason);
}

void OutcomeApplier::applyHanded(const DeliveryItem &item, const QByteArray &,
                                 const DeliveryOutcome &o)
{
    if (Result r = queuePostmasterCopy(item, o.postmasterCopyReason); !r) {
        storageFailed(r);
        return; // still unrouted: routed again next time
    }
    if (Result r = m_store.markDelivered(item.id, o.reason); !r) {
        storageFailed(r);
        return;
    }
    removeFile(item.spoolPath);
    qCInfo(lcDelivery).noquote()
        << QStringLiteral("%1: UID %2: %3").arg(item.account, item.uid, o.reason);
}

Result OutcomeApplier::queuePostmasterCopy(const DeliveryItem &item, const QString &reason)
{
    if (Result r = queueDerived(item, MessageKind::PostmasterCopy, QStringLiteral("postmaster"),
                                routing::reasonHeader(reason), true, {m_config.postmaster});
        !r)
        return r;
    qCInfo(lcDelivery).noquote() << QStringLiteral("%1: UID %2: copy for %3: %4")
                                        .arg(item.account, item.uid, m_config.postmaster, reason);
    return Result::success();
}

namespace {
routing::NoticeContext noticeContext(const Config &config, const QString &hostName,
                                     const DeliveryItem &item, Clock *clock)
{
    routing::NoticeContext c;
    c.postmaster = config.postmaster;
    c.hostName = hostName;
    c.account = item.account;
    c.uid = item.uid;
    c.when = clock->now();
    return c;
}
} // namespace

// Never a notice about a copy or a notice (the postmaster would be told about itself).
void OutcomeApplier::noticeRefused(const DeliveryItem &item, const QByteArray &header,
                                   const QList<Refusal> &refused, const QStringList &accepted)
{
    if (m_config.postmaster.isEmpty() || item.kind != MessageKind::Collected)
        return;
    QList<routing::RejectedRecipient> list;
    for (const Refusal &r : refused)
        list.append({r.recipient, r.reply});
    const QByteArray notice = routing::rejectedRecipientsNotice(
        noticeContext(m_config, m_hostName, item, m_clock), list, accepted, header);
    if (Result r = queueDerived(
            item, MessageKind::RefusalNotice, QStringLiteral("rejected-%1").arg(item.attempts),
            QByteArrayLiteral("Return-Path: <>\r\n") + notice, false, {m_config.postmaster});
        !r)
        storageFailed(r);
}

Result OutcomeApplier::noticeQuarantined(const DeliveryItem &item, const QByteArray &header,
                                         QuarantineFolder folder, const QString &reason)
{
    if (m_config.postmaster.isEmpty() || item.kind != MessageKind::Collected)
        return Result::success();
    const QByteArray notice =
        routing::quarantineNotice(noticeContext(m_config, m_hostName, item, m_clock),
                                  quarantineFolderName(folder), reason, header);
    return queueDerived(item, MessageKind::QuarantineNotice, QStringLiteral("quarantine"),
                        QByteArrayLiteral("Return-Path: <>\r\n") + notice, false,
                        {m_config.postmaster});
}

Result OutcomeApplier::queueDerived(const DeliveryItem &item, MessageKind kind,
                                    const QString &suffix, const QByteArray &prefix,
                                    bool withContent, const QStringList &recipients)
{
    const QString uid = derivedUid(item.uid, suffix);
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
    if (withContent) {
        QFile source(m_spool.absolutePath(item.spoolPath));
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
    m.kind = kind;
    return m_store.recordSpooled(item.account, {m});
}

} // namespace pollux
