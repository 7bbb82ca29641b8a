// The activity window's chart: messages collected, delivered and refused per local day
// (ActivityQueries::history; the rest of ActivityQueries is in ActivityQueries.cpp).
#include "ActivityQueries.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringBuilder>
#include <QTimeZone>

namespace pollux {

namespace {

// The days one query may ask for: a year, so the CASE below stays small.
constexpr int kMaxHistoryDays = 366;

struct Series
{
    const char *column;     // the time the day is taken from
    int DayCounts::*member; // where it is counted
};

// Only collected messages; the copies and notices Pollux makes follow from them.
const Series kSeries[] = {
    {"first_seen", &DayCounts::collected},
    {"delivered_at", &DayCounts::delivered},
    {"refused_at", &DayCounts::refused},
};

} // namespace

DayCounts &DayCounts::operator+=(const DayCounts &other)
{
    collected += other.collected;
    delivered += other.delivered;
    refused += other.refused;
    return *this;
}

bool DayCounts::operator==(const DayCounts &other) const
{
    return collected == other.collected && delivered == other.delivered && refused == other.refused;
}

QList<DayCounts> ActivityHistory::days(const QString &account) const
{
    if (!account.isEmpty())
        return accounts.value(account, QList<DayCounts>(dayCount));
    QList<DayCounts> sum(dayCount);
    for (const QList<DayCounts> &list : accounts) {
        for (qsizetype i = 0; i < sum.size() && i < list.size(); ++i)
            sum[i] += list.at(i);
    }
    return sum;
}

DayCounts ActivityHistory::totals(const QString &account) const
{
    DayCounts total;
    for (const DayCounts &day : days(account))
        total += day;
    return total;
}

Result ActivityQueries::history(const QDate &lastDay, const QTimeZone &zone, int days,
                                ActivityHistory &out)
{
    out = ActivityHistory();
    if (!lastDay.isValid() || !zone.isValid() || days <= 0 || days > kMaxHistoryDays)
        return Result::failure(ErrorCode::Storage,
                               QStringLiteral("history: no valid day, time zone or day count"));
    out.dayCount = days;
    out.firstDay = lastDay.addDays(-(days - 1));
    if (!available())
        return m_missing ? Result::success() : failure(QStringLiteral("not open"), QString());
    if (m_schema < 9)
        return Result::success(); // no refused_at, no indexes: an older program's database

    // The start of each day in ms (UTC), and the end of the last: the day of a time is the
    // number of starts after the first that are not later than it. startOfDay() knows days
    // that begin after midnight (a clock changed at 00:00) and days of 23 or 25 hours.
    QList<qint64> starts;
    starts.reserve(days + 1);
    for (int i = 0; i <= days; ++i)
        starts << out.firstDay.addDays(i).startOfDay(zone).toMSecsSinceEpoch();

    for (const Series &series : kSeries) {
        const QString column = QLatin1String(series.column);
        QString day = QStringLiteral("CASE");
        for (int i = 1; i < days; ++i)
            day += QStringLiteral(" WHEN ") % column % QStringLiteral(" < ? THEN ") %
                   QString::number(i - 1);
        day += QStringLiteral(" ELSE ") % QString::number(days - 1) % QStringLiteral(" END");
        QSqlQuery q(*m_db);
        q.setForwardOnly(true);
        // At most one row per account and day, however many messages: the range comes
        // from the column's index, the rest is counted in SQLite.
        const QString sql = QStringLiteral("SELECT account, ") % day %
                            QStringLiteral(" AS day, COUNT(*) FROM messages WHERE ") % column %
                            QStringLiteral(" >= ? AND ") % column %
                            QStringLiteral(" < ? AND kind = 0 GROUP BY account, day");
        if (!q.prepare(sql))
            return failure(QStringLiteral("cannot read the history"), q.lastError().text());
        for (int i = 1; i < days; ++i)
            q.addBindValue(starts.at(i));
        q.addBindValue(starts.first());
        q.addBindValue(starts.last());
        if (!q.exec())
            return failure(QStringLiteral("cannot read the history"), q.lastError().text());
        while (q.next()) {
            const int index = q.value(1).toInt();
            if (index < 0 || index >= days)
                continue;
            QList<DayCounts> &list = out.accounts[q.value(0).toString()];
            if (list.isEmpty())
                list.resize(days);
            list[index].*series.member += q.value(2).toInt();
        }
    }
    return Result::success();
}

} // namespace pollux
