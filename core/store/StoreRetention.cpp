// Keep-days retention and the time it counts (schema 6).
//
// The wall clock can be set forward (a mistyped date, a virtual machine restored from a
// snapshot, NTP stepping a clock that was far behind) or back. Deciding "first seen
// keepDays ago" by the wall clock alone turns a jump forward into the removal of every kept
// copy at once, and a message first seen while the clock was ahead into one kept for as
// long as the clock was ahead. So the store also counts time as it passes: `elapsed` moves
// on by the Clock's monotonic time while readings share its origin (one boot), and only by
// a forward move of the wall clock beyond its previous reading and beyond the counted time
// across a reboot. A message goes when keepDays have
// passed by both counts (a jump of either alone removes nothing early), or by the counted
// time alone when its first_seen lies in the future (the clock was ahead when it came).
#include "Store.h"

#include "store/SqlTransaction.h"
#include "util/Clock.h"

#include <QSqlQuery>
#include <QVariant>

namespace pollux {

Result Store::readElapsed(bool advance, ElapsedReading &out)
{
    out = ElapsedReading();
    const qint64 wall = nowMs();
    const qint64 monotonic = m_clock->monotonicMs();
    const QString origin = m_clock->monotonicOrigin();
    out.wall = QDateTime::fromMSecsSinceEpoch(wall, Qt::UTC);
    QSqlQuery select;
    if (Result r = prepare(select, QStringLiteral("SELECT elapsed, wall, monotonic, origin FROM "
                                                  "elapsed_clock WHERE id = 1"));
        !r)
        return r;
    if (Result r = exec(select, QStringLiteral("cannot read the keep-days clock")); !r)
        return r;
    if (!select.next()) {
        select.finish();
        // First use: a new database, or one upgraded from schema 5. Counting starts at the
        // wall clock's time, and a message recorded before is counted from its first_seen
        // (from now, if that lies in the future): none goes earlier than it did before.
        QSqlQuery insert;
        if (Result r = prepare(insert, QStringLiteral("INSERT INTO elapsed_clock (id, elapsed, "
                                                      "wall, monotonic, origin) VALUES "
                                                      "(1, ?, ?, ?, ?)"));
            !r)
            return r;
        insert.addBindValue(wall);
        insert.addBindValue(wall);
        insert.addBindValue(monotonic);
        insert.addBindValue(origin);
        if (Result r = exec(insert, QStringLiteral("cannot start the keep-days clock")); !r)
            return r;
        QSqlQuery backfill;
        if (Result r = prepare(backfill, QStringLiteral("UPDATE messages SET first_seen_elapsed "
                                                        "= MIN(first_seen, ?) WHERE "
                                                        "first_seen_elapsed IS NULL"));
            !r)
            return r;
        backfill.addBindValue(wall);
        if (Result r = exec(backfill, QStringLiteral("cannot date recorded messages")); !r)
            return r;
        out.elapsedMs = wall;
        out.sameOrigin = true;
        return Result::success();
    }
    const qint64 elapsed = select.value(0).toLongLong();
    const qint64 previousWall = select.value(1).toLongLong();
    const qint64 previousMonotonic = select.value(2).toLongLong();
    out.sameOrigin = select.value(3).toString() == origin;
    select.finish();
    out.previousWall = QDateTime::fromMSecsSinceEpoch(previousWall, Qt::UTC);
    out.wallMovedMs = wall - previousWall;
    // Across a reboot, the downtime is what the wall clock moved beyond both its previous
    // reading and the counted time (which started at the wall clock and moves on as time
    // passes): a clock set back during the last boot and set right for this one does not
    // count the setback as time that passed.
    out.passedMs = qMax<qint64>(0, out.sameOrigin ? monotonic - previousMonotonic
                                                  : wall - qMax(previousWall, elapsed));
    out.elapsedMs = elapsed + out.passedMs;
    if (!advance)
        return Result::success();
    QSqlQuery update;
    if (Result r = prepare(update, QStringLiteral("UPDATE elapsed_clock SET elapsed = ?, wall = ?, "
                                                  "monotonic = ?, origin = ? WHERE id = 1"));
        !r)
        return r;
    update.addBindValue(out.elapsedMs);
    update.addBindValue(wall);
    update.addBindValue(monotonic);
    update.addBindValue(origin);
    return exec(update, QStringLiteral("cannot record the keep-days clock"));
}

Result Store::advanceElapsed(ElapsedReading &out)
{
    if (Result r = ready(); !r)
        return r;
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    if (Result r = readElapsed(true, out); !r)
        return r;
    return transaction.commit();
}

Result Store::removalCandidates(const QString &account, Retention retention, int keepDays,
                                const QSet<QString> &onServer, QStringList &out)
{
    out.clear();
    if (retention == Retention::Keep)
        return ready();
    if (Result r = ready(); !r)
        return r;
    // Delete: everything recorded. KeepDays: see the top of this file.
    QString sql = QStringLiteral("SELECT uid FROM messages WHERE account = ? AND "
                                 "removed_at IS NULL");
    SqlTransaction transaction(*m_db);
    ElapsedReading now;
    const qint64 keepMs = qint64(qBound(0, keepDays, 1 << 20)) * 24 * 3600 * 1000;
    if (retention == Retention::KeepDays) {
        if (Result r = transaction.begin(); !r)
            return r;
        if (Result r = readElapsed(false, now); !r)
            return r;
        sql += QStringLiteral(" AND first_seen_elapsed <= ? AND (first_seen <= ? OR "
                              "first_seen > ?)");
    }
    sql += QStringLiteral(" ORDER BY id");
    QSqlQuery query;
    if (Result r = prepare(query, sql); !r)
        return r;
    query.addBindValue(account);
    if (retention == Retention::KeepDays) {
        const qint64 wall = now.wall.toMSecsSinceEpoch();
        query.addBindValue(now.elapsedMs - keepMs);
        query.addBindValue(wall - keepMs);
        query.addBindValue(wall);
    }
    if (Result r = exec(query, QStringLiteral("cannot read removal candidates")); !r)
        return r;
    while (query.next()) {
        const QString uid = query.value(0).toString();
        if (onServer.contains(uid))
            out.append(uid);
    }
    query.finish();
    return transaction.isActive() ? transaction.commit() : Result::success();
}

} // namespace pollux
