// Identity beyond the UID (schema 2), mailbox state (schema 3), messages the provider
// refuses (schema 5); see Store.cpp for the rest.
#include "Store.h"

#include "store/SqlTransaction.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <limits>

namespace pollux {

Result Store::knownFingerprints(const QString &account, QHash<QString, QString> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT fingerprint, uid FROM messages WHERE "
                                                 "account = ? AND removed_at IS NULL AND "
                                                 "fingerprint IS NOT NULL ORDER BY id"));
        !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read fingerprints")); !r)
        return r;
    while (query.next()) {
        const QString fingerprint = query.value(0).toString();
        if (!out.contains(fingerprint)) // the oldest record of a fingerprint wins
            out.insert(fingerprint, query.value(1).toString());
    }
    return Result::success();
}

Result Store::knownFingerprintUids(const QString &account, QMultiHash<QString, QString> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT fingerprint, uid FROM messages WHERE "
                                                 "account = ? AND removed_at IS NULL AND "
                                                 "fingerprint IS NOT NULL ORDER BY id"));
        !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read fingerprints")); !r)
        return r;
    while (query.next())
        out.insert(query.value(0).toString(), query.value(1).toString());
    return Result::success();
}

Result Store::renameUid(const QString &account, const QString &oldUid, const QString &newUid)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE messages SET uid = ? WHERE account = ? "
                                                 "AND uid = ?"));
        !r)
        return r;
    query.addBindValue(newUid);
    query.addBindValue(account);
    query.addBindValue(oldUid);
    const QString what = QStringLiteral("cannot rename UID ") + oldUid + QStringLiteral(" to ") +
                         newUid + QStringLiteral(" of account ") + account;
    if (Result r = exec(query, what); !r)
        return r;
    if (query.numRowsAffected() != 1)
        return failure(what, QStringLiteral("no such message"));
    return Result::success();
}

Result Store::mailboxState(const QString &account, QString &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT state FROM mailbox_state WHERE "
                                                 "account = ?"));
        !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read the mailbox state")); !r)
        return r;
    if (query.next())
        out = query.value(0).toString();
    return Result::success();
}

Result Store::setMailboxState(const QString &account, const QString &state)
{
    QSqlQuery query;
    if (Result r =
            prepare(query, state.isEmpty() ? QStringLiteral("DELETE FROM mailbox_state WHERE "
                                                            "account = ?")
                                           : QStringLiteral("INSERT OR REPLACE INTO mailbox_state "
                                                            "(account, state) VALUES (?, ?)"));
        !r)
        return r;
    query.addBindValue(account);
    if (!state.isEmpty())
        query.addBindValue(state);
    return exec(query, QStringLiteral("cannot record the mailbox state"));
}

qint64 Store::refusalDelayMs(int refusals, qint64 intervalMs)
{
    constexpr qint64 Day = 24 * 3600 * 1000;
    const qint64 interval = qBound<qint64>(1000, intervalMs, Day);
    qint64 delay = interval;
    for (int i = 1; i < refusals && delay < Day; ++i)
        delay *= 2;
    return qMin(delay, Day) - interval / 2;
}

Result Store::recordRefusal(const QString &account, const QString &uid, const QString &reason,
                            qint64 intervalMs, RetrievalRefusal &out)
{
    if (Result r = ready(); !r)
        return r;
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    int refusals = 0;
    {
        QSqlQuery select;
        if (Result r = prepare(select, QStringLiteral("SELECT refusals FROM retrieval_refusals "
                                                      "WHERE account = ? AND uid = ?"));
            !r)
            return r;
        select.addBindValue(account);
        select.addBindValue(uid);
        if (Result r = exec(select, QStringLiteral("cannot read a refusal")); !r)
            return r;
        if (select.next())
            refusals = select.value(0).toInt();
    }
    refusals = qMin(refusals, 1000000) + 1;
    const qint64 now = nowMs();
    const qint64 notBefore = now + refusalDelayMs(refusals, intervalMs);
    QSqlQuery query;
    if (Result r =
            prepare(query, QStringLiteral("INSERT OR REPLACE INTO retrieval_refusals "
                                          "(account, uid, refusals, not_before, "
                                          "last_refused, reason) VALUES (?, ?, ?, ?, ?, ?)"));
        !r)
        return r;
    query.addBindValue(account);
    query.addBindValue(uid);
    query.addBindValue(refusals);
    query.addBindValue(notBefore);
    query.addBindValue(now);
    query.addBindValue(reason.left(1000));
    if (Result r = exec(query, QStringLiteral("cannot record a refusal")); !r)
        return r;
    if (Result r = transaction.commit(); !r)
        return r;
    out.uid = uid;
    out.refusals = refusals;
    out.notBefore = QDateTime::fromMSecsSinceEpoch(notBefore, Qt::UTC);
    out.lastRefused = QDateTime::fromMSecsSinceEpoch(now, Qt::UTC);
    out.reason = reason.left(1000);
    return Result::success();
}

Result Store::readRefusals(const QString &account, bool waitingOnly, QList<RetrievalRefusal> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT uid, refusals, not_before, last_refused, "
                                                 "reason FROM retrieval_refusals WHERE "
                                                 "account = ? AND not_before > ? AND not_before <= ? ORDER BY uid"));
        !r)
        return r;
    query.addBindValue(account);
    // Waiting: not before a time still ahead, but no further ahead than the longest backoff
    // allows (a time beyond it was set by a clock that has been set back since: due now).
    const qint64 now = nowMs();
    query.addBindValue(waitingOnly ? now : std::numeric_limits<qint64>::min());
    query.addBindValue(waitingOnly ? now + kLongestRefusalDelayMs
                                   : std::numeric_limits<qint64>::max());
    if (Result r = exec(query, QStringLiteral("cannot read refusals")); !r)
        return r;
    while (query.next()) {
        RetrievalRefusal refusal;
        refusal.uid = query.value(0).toString();
        refusal.refusals = query.value(1).toInt();
        refusal.notBefore = QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong(), Qt::UTC);
        refusal.lastRefused = QDateTime::fromMSecsSinceEpoch(query.value(3).toLongLong(), Qt::UTC);
        refusal.reason = query.value(4).toString();
        out.append(refusal);
    }
    return Result::success();
}

Result Store::refusalsWaiting(const QString &account, QList<RetrievalRefusal> &out)
{
    return readRefusals(account, true, out);
}

Result Store::refusals(const QString &account, QList<RetrievalRefusal> &out)
{
    return readRefusals(account, false, out);
}

Result Store::forgetRefusals(const QString &account, const QSet<QString> &onServer)
{
    QList<RetrievalRefusal> all;
    if (Result r = refusals(account, all); !r)
        return r;
    QStringList gone;
    for (const RetrievalRefusal &refusal : std::as_const(all))
        if (!onServer.contains(refusal.uid))
            gone.append(refusal.uid);
    if (gone.isEmpty())
        return Result::success();
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("DELETE FROM retrieval_refusals WHERE "
                                                 "account = ? AND uid = ?"));
        !r)
        return r;
    for (const QString &uid : std::as_const(gone)) {
        query.addBindValue(account);
        query.addBindValue(uid);
        if (Result r = exec(query, QStringLiteral("cannot forget a refusal")); !r)
            return r;
    }
    return transaction.commit();
}

} // namespace pollux
