#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace pollux::test {

// Another process's view of the database: a second connection holding an exclusive lock
// (the same as `sqlite3 pollux.db` with `BEGIN EXCLUSIVE` open). Every writer waits for
// it, up to the store's busy timeout (10 s). One at a time per test process.
class ExclusiveLock
{
public:
    explicit ExclusiveLock(const QString &db)
    {
        QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), kName);
        d.setDatabaseName(db);
        m_held = d.open() && QSqlQuery(d).exec(QStringLiteral("BEGIN EXCLUSIVE"));
    }
    ~ExclusiveLock()
    {
        release();
        QSqlDatabase::removeDatabase(kName);
    }
    ExclusiveLock(const ExclusiveLock &) = delete;
    ExclusiveLock &operator=(const ExclusiveLock &) = delete;

    bool held() const { return m_held; }
    void release()
    {
        if (!m_held)
            return;
        QSqlDatabase d = QSqlDatabase::database(kName);
        QSqlQuery(d).exec(QStringLiteral("ROLLBACK"));
        d.close();
        m_held = false;
    }

private:
    static inline const QString kName = QStringLiteral("exclusive-lock");
    bool m_held = false;
};

} // namespace pollux::test
