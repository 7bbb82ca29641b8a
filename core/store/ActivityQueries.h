#pragma once

#include "store/Store.h"
#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

class QSqlDatabase;

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
    // the account, UID, recipients or last reply (case-insensitive).
    Result recentMessages(int limit, const QString &search, QList<MessageRecord> &out);
    // spool path -> id of every refused message (DeliveryState::Failed), for the quarantine.
    Result refusedMessages(QHash<QString, qint64> &out);
    // (account, uid) of the messages waiting after a temporary refusal (Deferred), and of
    // the refused ones still in quarantine (Failed, not discarded); at most `limit` each.
    using MessageKey = QPair<QString, QString>;
    Result backlog(int limit, QList<MessageKey> &deferred, QList<MessageKey> &refused);

private:
    Result failure(const QString &what, const QString &detail) const;
    bool available() const;

    QString m_path;
    QString m_connection;
    std::unique_ptr<QSqlDatabase> m_db;
    bool m_missing = false;
};

} // namespace pollux
