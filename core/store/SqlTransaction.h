#pragma once

#include "util/Result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringBuilder>

namespace pollux {

// A write transaction that rolls back unless committed.
//
// It starts with BEGIN IMMEDIATE, not QSqlDatabase::transaction()'s plain BEGIN: a deferred
// transaction that reads and then writes can fail at once with SQLITE_BUSY when another
// connection writes meanwhile; IMMEDIATE takes the write lock up front, so waiting for a
// writer in another thread goes through busy_timeout instead.
class SqlTransaction
{
public:
    explicit SqlTransaction(const QSqlDatabase &db) : m_db(db) {}
    ~SqlTransaction()
    {
        if (m_active)
            (void)run(QStringLiteral("ROLLBACK")); // nothing more to do if even this fails
    }
    SqlTransaction(const SqlTransaction &) = delete;
    SqlTransaction &operator=(const SqlTransaction &) = delete;

    Result begin()
    {
        if (m_active)
            return Result::success();
        if (Result r = run(QStringLiteral("BEGIN IMMEDIATE")); !r)
            return r;
        m_active = true;
        return Result::success();
    }

    Result commit()
    {
        if (!m_active)
            return Result::failure(ErrorCode::Storage, QStringLiteral("no transaction to commit"));
        if (Result r = run(QStringLiteral("COMMIT")); !r)
            return r; // still active: the destructor rolls back
        m_active = false;
        return Result::success();
    }

    bool isActive() const { return m_active; }

private:
    Result run(const QString &statement)
    {
        QSqlQuery query(m_db);
        if (query.exec(statement))
            return Result::success();
        return Result::failure(ErrorCode::Storage, statement % QStringLiteral(" failed: ") %
                                                       query.lastError().text() %
                                                       QStringLiteral(" (") % m_db.databaseName() %
                                                       QStringLiteral(")"));
    }

    QSqlDatabase m_db;
    bool m_active = false;
};

} // namespace pollux
