// The delivery-stage and inspection half of Store (see Store.cpp for the rest).
#include "Store.h"

#include "store/SqlTransaction.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace pollux {

namespace {

QDateTime timeOrNull(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QStringList splitRecipients(const QString &joined)
{
    return joined.isEmpty() ? QStringList() : joined.split(QLatin1Char('\n'));
}

MessageKind toKind(int value)
{
    switch (value) {
    case int(MessageKind::PostmasterCopy):
    case int(MessageKind::RefusalNotice):
    case int(MessageKind::QuarantineNotice):
    case int(MessageKind::Alert):
        return MessageKind(value);
    }
    return MessageKind::Collected;
}

constexpr int kWaiting = int(DeliveryState::Waiting);
constexpr int kDeferred = int(DeliveryState::Deferred);
constexpr int kDelivered = int(DeliveryState::Delivered);
constexpr int kFailed = int(DeliveryState::Failed);
constexpr int kDuplicate = int(DeliveryState::Duplicate);

} // namespace

DeliveryState deliveryStateFromValue(int value)
{
    switch (value) {
    case int(DeliveryState::Waiting):
    case int(DeliveryState::Deferred):
    case int(DeliveryState::Delivered):
    case int(DeliveryState::Failed):
    case int(DeliveryState::Duplicate):
        return DeliveryState(value);
    }
    return DeliveryState::Failed; // unknown: never retried automatically
}

Result Store::updateOne(QSqlQuery &query, qint64 id, const QString &what) const
{
    if (Result r = exec(query, what); !r)
        return r;
    if (query.numRowsAffected() != 1)
        return failure(what, QStringLiteral("no message with id ") % QString::number(id));
    m_unsynced = true; // durable at the next syncCommits() (or FULL commit, or checkpoint)
    return Result::success();
}

Result Store::dueDeliveries(int limit, QList<DeliveryItem> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(
            query,
            QStringLiteral(
                "SELECT id, account, uid, spool_path, size, recipients, "
                "attempts, kind, content_digest FROM messages WHERE state = ? OR (state = ? AND "
                "(next_attempt IS NULL OR next_attempt <= ? OR next_attempt > ?)) "
                "ORDER BY first_seen, id LIMIT ?"));
        !r)
        return r;
    query.addBindValue(kWaiting);
    query.addBindValue(kDeferred);
    const qint64 now = nowMs();
    query.addBindValue(now);
    // Further ahead than any backoff: the clock was set back since; due now.
    query.addBindValue(now + kLongestDeferralMs);
    query.addBindValue(limit > 0 ? limit : -1); // -1: no limit
    if (Result r = exec(query, QStringLiteral("cannot read the delivery queue")); !r)
        return r;
    while (query.next()) {
        DeliveryItem item;
        item.id = query.value(0).toLongLong();
        item.account = query.value(1).toString();
        item.uid = query.value(2).toString();
        item.spoolPath = query.value(3).toString();
        item.size = query.value(4).toLongLong();
        item.recipients = splitRecipients(query.value(5).toString());
        item.attempts = query.value(6).toInt();
        item.kind = toKind(query.value(7).toInt());
        item.contentDigest = query.value(8).toString();
        out.append(item);
    }
    return Result::success();
}

Result Store::nextDeferredAt(QDateTime &out)
{
    out = QDateTime();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT MIN(next_attempt) FROM messages "
                                                 "WHERE state = ?"));
        !r)
        return r;
    query.addBindValue(kDeferred);
    if (Result r = exec(query, QStringLiteral("cannot read the delivery queue")); !r)
        return r;
    if (query.next())
        out = timeOrNull(query.value(0));
    const QDateTime latest = QDateTime::fromMSecsSinceEpoch(nowMs() + kLongestDeferralMs, Qt::UTC);
    if (!out.isNull() && out > latest)
        out = QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC); // set back: due (dueDeliveries)
    return Result::success();
}

Result Store::waitingBytes(qint64 &out)
{
    out = 0;
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT COALESCE(SUM(size), 0) FROM messages "
                                                 "WHERE state IN (?, ?)"));
        !r)
        return r;
    query.addBindValue(kWaiting);
    query.addBindValue(kDeferred);
    if (Result r = exec(query, QStringLiteral("cannot read the delivery queue")); !r)
        return r;
    if (query.next())
        out = query.value(0).toLongLong();
    return Result::success();
}

Result Store::recordCopies(qint64 id, const DeliveredCopies &copies)
{
    if (copies.messageId.isEmpty() || copies.digest.isEmpty() || copies.recipients.isEmpty())
        return Result::success();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("INSERT OR REPLACE INTO delivered_copies "
                                                 "(message_id, digest, recipient, delivered_at, "
                                                 "message) VALUES (?, ?, ?, ?, ?)"));
        !r)
        return r;
    const qint64 now = nowMs();
    for (const QString &recipient : copies.recipients) {
        query.addBindValue(copies.messageId);
        query.addBindValue(copies.digest);
        query.addBindValue(recipient);
        query.addBindValue(now);
        query.addBindValue(id);
        if (Result r = exec(query, QStringLiteral("cannot record a delivered copy")); !r)
            return r;
    }
    return Result::success();
}

Result Store::markDelivered(qint64 id, const QString &reply, const DeliveredCopies &copies)
{
    if (Result r = ready(); !r)
        return r;
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    {
        QSqlQuery query;
        if (Result r = prepare(
                query, QStringLiteral("UPDATE messages SET state = ?, attempts = attempts + "
                                      "1, last_reply = ?, delivered_at = ?, next_attempt "
                                      "= NULL WHERE id = ?"));
            !r)
            return r;
        query.addBindValue(kDelivered);
        query.addBindValue(reply);
        query.addBindValue(nowMs());
        query.addBindValue(id);
        if (Result r = updateOne(query, id, QStringLiteral("cannot mark delivered")); !r)
            return r;
    }
    if (Result r = recordCopies(id, copies); !r)
        return r;
    return transaction.commit();
}

Result Store::markDeferred(qint64 id, const QString &reply, const QDateTime &nextAttempt,
                           const QStringList &remaining, const DeliveredCopies &copies)
{
    if (Result r = ready(); !r)
        return r;
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    {
        QSqlQuery query;
        if (Result r = prepare(query, QStringLiteral("UPDATE messages SET state = ?, attempts = "
                                                     "attempts + 1, last_reply = ?, next_attempt "
                                                     "= ?, recipients = COALESCE(?, recipients) "
                                                     "WHERE id = ?"));
            !r)
            return r;
        query.addBindValue(kDeferred);
        query.addBindValue(reply);
        // No time given: due at once.
        query.addBindValue(nextAttempt.isValid() ? nextAttempt.toMSecsSinceEpoch() : nowMs());
        query.addBindValue(remaining.isEmpty() ? QVariant()
                                               : QVariant(remaining.join(QLatin1Char('\n'))));
        query.addBindValue(id);
        if (Result r = updateOne(query, id, QStringLiteral("cannot mark deferred")); !r)
            return r;
    }
    if (Result r = recordCopies(id, copies); !r)
        return r;
    return transaction.commit();
}

Result Store::markDuplicate(qint64 id, const QString &reply)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE messages SET state = ?, last_reply = ?, "
                                                 "next_attempt = NULL WHERE id = ?"));
        !r)
        return r;
    query.addBindValue(kDuplicate);
    query.addBindValue(reply);
    query.addBindValue(id);
    return updateOne(query, id, QStringLiteral("cannot mark as a duplicate"));
}

Result Store::recordRoute(qint64 id, const QStringList &recipients, const QString &contentDigest)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE messages SET recipients = ?, "
                                                 "content_digest = ? WHERE id = ?"));
        !r)
        return r;
    query.addBindValue(recipients.join(QLatin1Char('\n')));
    query.addBindValue(contentDigest.isEmpty() ? QVariant() : QVariant(contentDigest));
    query.addBindValue(id);
    return updateOne(query, id, QStringLiteral("cannot record the route"));
}

Result Store::deliveredCopy(const QString &messageId, const QString &digest,
                            const QString &recipient, const QDateTime &since, qint64 &messageOut)
{
    messageOut = 0;
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT message FROM delivered_copies WHERE "
                                                 "message_id = ? AND digest = ? AND recipient = ? "
                                                 "AND delivered_at >= ?"));
        !r)
        return r;
    query.addBindValue(messageId);
    query.addBindValue(digest);
    query.addBindValue(recipient);
    query.addBindValue(since.toMSecsSinceEpoch());
    if (Result r = exec(query, QStringLiteral("cannot read delivered copies")); !r)
        return r;
    if (query.next())
        messageOut = query.value(0).toLongLong();
    return Result::success();
}

Result Store::markFailed(qint64 id, const QString &reply, const QString &quarantinePath)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE messages SET state = ?, "
                                                 "attempts = attempts + 1, last_reply = ?, "
                                                 "spool_path = COALESCE(?, spool_path), "
                                                 "next_attempt = NULL, refused_at = ? "
                                                 "WHERE id = ?"));
        !r)
        return r;
    query.addBindValue(kFailed);
    query.addBindValue(reply);
    query.addBindValue(quarantinePath.isEmpty() ? QVariant() : QVariant(quarantinePath));
    query.addBindValue(nowMs());
    query.addBindValue(id);
    return updateOne(query, id, QStringLiteral("cannot mark failed"));
}

Result Store::requeue(qint64 id)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE messages SET state = ?, attempts = 0, "
                                                 "next_attempt = NULL WHERE id = ? AND state = ?"));
        !r)
        return r;
    query.addBindValue(kWaiting);
    query.addBindValue(id);
    query.addBindValue(kFailed);
    return updateOne(query, id, QStringLiteral("cannot requeue (not a refused message?)"));
}

Result Store::discard(qint64 id, QString &spoolPath)
{
    spoolPath.clear();
    QSqlQuery select;
    if (Result r = prepare(select, QStringLiteral("SELECT spool_path FROM messages WHERE id = ? "
                                                  "AND state = ?"));
        !r)
        return r;
    select.addBindValue(id);
    select.addBindValue(kFailed);
    if (Result r = exec(select, QStringLiteral("cannot read message")); !r)
        return r;
    if (!select.next())
        return Result::failure(ErrorCode::Storage,
                               QStringLiteral("message %1 is not a refused message").arg(id));
    spoolPath = select.value(0).toString();
    select.finish();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE messages SET spool_path = NULL, "
                                                 "last_reply = COALESCE(last_reply, '') || "
                                                 "' (discarded)' WHERE id = ?"));
        !r)
        return r;
    query.addBindValue(id);
    return updateOne(query, id, QStringLiteral("cannot discard"));
}

Result Store::setRecipients(qint64 id, const QStringList &recipients)
{
    QSqlQuery query;
    if (Result r =
            prepare(query, QStringLiteral("UPDATE messages SET recipients = ? WHERE id = ?"));
        !r)
        return r;
    query.addBindValue(recipients.isEmpty() ? QStringLiteral("")
                                            : recipients.join(QLatin1Char('\n')));
    query.addBindValue(id);
    return updateOne(query, id, QStringLiteral("cannot set recipients"));
}

Result Store::messages(const QString &account, QList<MessageRecord> &out)
{
    out.clear();
    QSqlQuery query;
    const QString sql = QStringLiteral("SELECT id, account, uid, size, first_seen, spool_path, "
                                       "recipients, state, attempts, next_attempt, last_reply, "
                                       "delivered_at, removed_at, kind, header_from, "
                                       "header_subject, refused_at FROM messages ") %
                        (account.isEmpty() ? QString() : QStringLiteral("WHERE account = ? ")) %
                        QStringLiteral("ORDER BY first_seen, id");
    if (Result r = prepare(query, sql); !r)
        return r;
    if (!account.isEmpty())
        query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read messages")); !r)
        return r;
    while (query.next()) {
        MessageRecord m;
        m.id = query.value(0).toLongLong();
        m.account = query.value(1).toString();
        m.uid = query.value(2).toString();
        m.size = query.value(3).toLongLong();
        m.firstSeen = timeOrNull(query.value(4));
        m.spoolPath = query.value(5).toString();
        m.recipients = splitRecipients(query.value(6).toString());
        m.state = deliveryStateFromValue(query.value(7).toInt());
        m.attempts = query.value(8).toInt();
        m.nextAttempt = timeOrNull(query.value(9));
        m.lastReply = query.value(10).toString();
        m.deliveredAt = timeOrNull(query.value(11));
        m.removedAt = timeOrNull(query.value(12));
        m.kind = toKind(query.value(13).toInt());
        m.from = query.value(14).toString();
        m.subject = query.value(15).toString();
        m.refusedAt = timeOrNull(query.value(16));
        out.append(m);
    }
    return Result::success();
}

Result Store::liveSpoolPaths(QSet<QString> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT spool_path FROM messages WHERE state IN "
                                                 "(?, ?, ?) AND spool_path IS NOT NULL"));
        !r)
        return r;
    query.addBindValue(kWaiting);
    query.addBindValue(kDeferred);
    query.addBindValue(kFailed);
    if (Result r = exec(query, QStringLiteral("cannot read spool paths")); !r)
        return r;
    while (query.next())
        out.insert(query.value(0).toString());
    return Result::success();
}

} // namespace pollux
