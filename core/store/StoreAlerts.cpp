// The state of alerts by e-mail (engine/AlertTracker); see Store.cpp for the rest.
#include "Store.h"

#include <QSqlQuery>
#include <QVariant>

namespace pollux {

namespace {
QVariant timeValue(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType(QMetaType::LongLong));
}

QDateTime timeOf(const QVariant &v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}
} // namespace

Result Store::alertStates(QList<AlertState> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT condition, account, active, since, "
                                                 "last_alert, sent, detail FROM alert_state "
                                                 "ORDER BY condition, account"));
        !r)
        return r;
    if (Result r = exec(query, QStringLiteral("cannot read the alert state")); !r)
        return r;
    while (query.next()) {
        AlertState s;
        s.condition = query.value(0).toString();
        s.account = query.value(1).toString();
        s.active = query.value(2).toInt() != 0;
        s.since = timeOf(query.value(3));
        s.lastAlert = timeOf(query.value(4));
        s.sent = query.value(5).toInt();
        s.detail = query.value(6).toString();
        out.append(s);
    }
    return Result::success();
}

Result Store::saveAlertState(const AlertState &s)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("INSERT INTO alert_state (condition, account, "
                                                 "active, since, last_alert, sent, detail) VALUES "
                                                 "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(condition, "
                                                 "account) DO UPDATE SET active = "
                                                 "excluded.active, since = excluded.since, "
                                                 "last_alert = excluded.last_alert, sent = "
                                                 "excluded.sent, detail = excluded.detail"));
        !r)
        return r;
    query.addBindValue(s.condition);
    query.addBindValue(s.account.isNull() ? QStringLiteral("") : s.account); // NOT NULL
    query.addBindValue(s.active ? 1 : 0);
    query.addBindValue(timeValue(s.since));
    query.addBindValue(timeValue(s.lastAlert));
    query.addBindValue(s.sent);
    query.addBindValue(s.detail.isNull() ? QStringLiteral("") : s.detail);
    return exec(query, QStringLiteral("cannot record the alert state"));
}

} // namespace pollux
