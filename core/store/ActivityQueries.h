#pragma once

#include "store/Store.h"
#include "util/Result.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>

class QSqlDatabase;
class QTimeZone;

namespace pollux {

// One pass over one account as the `passes` table records it.
struct PassRecord
{
    qint64 id = 0;
    QString account;
    QDateTime started;
    QDateTime finished; // null while running (or when the pass was cut short)
    int collected = 0;
    ErrorCode errorCode = ErrorCode::None;
    QString errorMessage;
};

// What happened to collected messages (MessageKind::Collected; the copies and notices
// Pollux makes are not counted) on one day.
struct DayCounts
{
    int collected = 0; // first seen that day
    int delivered = 0; // delivered to the office mail server that day
    int refused = 0;   // refused for good that day (quarantine)

    DayCounts &operator+=(const DayCounts &other);
    bool operator==(const DayCounts &other) const;
    bool operator!=(const DayCounts &other) const { return !(*this == other); }
};

// The activity window's chart: per local day, per account (ActivityQueries::history).
struct ActivityHistory
{
    QDate firstDay;   // the oldest day; entry i of a list is firstDay.addDays(i)
    int dayCount = 0; // the length of every list
    // account -> its days; an account with nothing in these days is not listed.
    QMap<QString, QList<DayCounts>> accounts;

    QDate lastDay() const { return dayCount > 0 ? firstDay.addDays(dayCount - 1) : QDate(); }
    // The days of `account`, or of all accounts summed when it is empty; dayCount entries
    // (zeros for an account not listed).
    QList<DayCounts> days(const QString &account = QString()) const;
    // The sum of days(account).
    DayCounts totals(const QString &account = QString()) const;
};

// Read-only queries for the activity window, on their own connection (read-only, so they
// never take a write lock away from the engine). Like Store: create, use and destroy in
// one thread - a worker thread, never the GUI thread, since a query may wait on a lock.
// A database that does not exist yet is not an error: every query answers "nothing".
class ActivityQueries
{
public:
    explicit ActivityQueries(const QString &databasePath);
    ~ActivityQueries();
    ActivityQueries(const ActivityQueries &) = delete;
    ActivityQueries &operator=(const ActivityQueries &) = delete;

    Result open();
    QString path() const { return m_path; }

    // The newest passes, newest first; `account` empty: every account.
    Result recentPasses(const QString &account, int limit, QList<PassRecord> &out);
    // The newest finished pass of each account.
    Result lastPasses(QHash<QString, PassRecord> &out);
    // The newest messages (by first_seen), newest first. `search` (optional) must occur in
    // the account, UID, recipients, last reply, From or Subject (case-insensitive). From,
    // Subject and refusedAt are filled from schema 9 on.
    Result recentMessages(int limit, const QString &search, QList<MessageRecord> &out);
    // spool path -> id of every refused message (DeliveryState::Failed), for the quarantine.
    Result refusedMessages(QHash<QString, qint64> &out);
    // (account, uid) of the messages waiting after a temporary refusal (Deferred), and of
    // the refused ones still in quarantine (Failed, not discarded); at most `limit` each.
    using MessageKey = QPair<QString, QString>;
    Result backlog(int limit, QList<MessageKey> &deferred, QList<MessageKey> &refused);

    // --- history (StoreHistory.cpp) ---
    // The days the activity window charts, today included.
    static constexpr int kHistoryDays = 30;
    // Per local day of `zone` (its midnights, daylight saving time included), the `days`
    // days up to and including `lastDay`: how many collected messages were first seen,
    // delivered and refused, per account. Reads only the rows of those days (indexes of
    // schema 9) and answers at most one row per account and day. A database of an older
    // schema (this connection cannot upgrade it) has no history: empty, not an error.
    Result history(const QDate &lastDay, const QTimeZone &zone, int days, ActivityHistory &out);

private:
    Result failure(const QString &what, const QString &detail) const;
    bool available() const;

    QString m_path;
    QString m_connection;
    std::unique_ptr<QSqlDatabase> m_db;
    bool m_missing = false;
    int m_schema = 0; // the database's user_version
};

} // namespace pollux
