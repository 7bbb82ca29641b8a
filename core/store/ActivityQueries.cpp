#include "ActivityQueries.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringBuilder>

namespace pollux {

namespace {

QString newConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("pollux-activity-") % QString::number(++counter);
}

QDateTime timeOrNull(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

ErrorCode toErrorCode(int value)
{
    if (value < int(ErrorCode::None) || value > int(ErrorCode::Integrity))
        return ErrorCode::Protocol;
    return static_cast<ErrorCode>(value);
}

PassRecord readPass(const QSqlQuery &q)
{
    PassRecord p;
    p.id = q.value(0).toLongLong();
    p.account = q.value(1).toString();
    p.started = timeOrNull(q.value(2));
    p.finished = timeOrNull(q.value(3));
    p.collected = q.value(4).toInt();
    p.errorCode = toErrorCode(q.value(5).toInt());
    p.errorMessage = q.value(6).toString();
    return p;
}

const char kPassColumns[] = "id, account, started, finished, collected, error_code, error_message";

} // namespace

ActivityQueries::ActivityQueries(const QString &databasePath)
    : m_path(databasePath), m_connection(newConnectionName())
{
}

ActivityQueries::~ActivityQueries()
{
    if (m_db) {
        m_db->close();
        m_db.reset();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool ActivityQueries::available() const
{
    return m_db && m_db->isOpen();
}

Result ActivityQueries::failure(const QString &what, const QString &detail) const
{
    return Result::failure(ErrorCode::Storage,
                           what % QStringLiteral(" (") % m_path % QStringLiteral("): ") % detail);
}

Result ActivityQueries::open()
{
    if (available())
        return Result::success();
    m_missing = !QFileInfo::exists(m_path);
    if (m_missing)
        return Result::success();
    if (!m_db) {
        m_db = std::make_unique<QSqlDatabase>(
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection));
        m_db->setDatabaseName(m_path);
        m_db->setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
    }
    if (!m_db->open())
        return failure(QStringLiteral("cannot open database"), m_db->lastError().text());
    QSqlQuery version(*m_db);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        const QString error = version.lastError().text();
        m_db->close();
        return failure(QStringLiteral("cannot read schema version"), error);
    }
    m_schema = version.value(0).toInt();
    return Result::success();
}

Result ActivityQueries::recentPasses(const QString &account, int limit, QList<PassRecord> &out)
{
    out.clear();
    if (!available())
        return m_missing ? Result::success() : failure(QStringLiteral("not open"), QString());
    QSqlQuery q(*m_db);
    const QString sql = QStringLiteral("SELECT ") % QLatin1String(kPassColumns) %
                        QStringLiteral(" FROM passes ") %
                        (account.isEmpty() ? QString() : QStringLiteral("WHERE account = ? ")) %
                        QStringLiteral("ORDER BY started DESC, id DESC LIMIT ?");
    if (!q.prepare(sql))
        return failure(QStringLiteral("cannot read passes"), q.lastError().text());
    if (!account.isEmpty())
        q.addBindValue(account);
    q.addBindValue(limit);
    if (!q.exec())
        return failure(QStringLiteral("cannot read passes"), q.lastError().text());
    while (q.next())
        out.append(readPass(q));
    return Result::success();
}

Result ActivityQueries::lastPasses(QHash<QString, PassRecord> &out)
{
    out.clear();
    if (!available())
        return m_missing ? Result::success() : failure(QStringLiteral("not open"), QString());
    QSqlQuery q(*m_db);
    const QString sql = QStringLiteral("SELECT ") % QLatin1String(kPassColumns) %
                        QStringLiteral(" FROM passes p WHERE finished IS NOT NULL AND id = "
                                       "(SELECT id FROM passes WHERE account = p.account AND "
                                       "finished IS NOT NULL ORDER BY started DESC, id DESC "
                                       "LIMIT 1)");
    if (!q.prepare(sql) || !q.exec())
        return failure(QStringLiteral("cannot read passes"), q.lastError().text());
    while (q.next()) {
        const PassRecord p = readPass(q);
        out.insert(p.account, p);
    }
    return Result::success();
}

Result ActivityQueries::recentMessages(int limit, const QString &search, QList<MessageRecord> &out)
{
    out.clear();
    if (!available())
        return m_missing ? Result::success() : failure(QStringLiteral("not open"), QString());
    QSqlQuery q(*m_db);
    // From and Subject: schema 9.
    const bool headers = m_schema >= 9;
    const QString sql =
        QStringLiteral("SELECT id, account, uid, size, first_seen, spool_path, recipients, state, "
                       "attempts, next_attempt, last_reply, delivered_at, removed_at") %
        (headers ? QStringLiteral(", header_from, header_subject, refused_at") : QString()) %
        QStringLiteral(" FROM messages ") %
        (search.isEmpty() ? QString()
                          : QStringLiteral("WHERE account LIKE ? ESCAPE '\\' OR uid LIKE ? "
                                           "ESCAPE '\\' OR recipients LIKE ? ESCAPE '\\' OR "
                                           "last_reply LIKE ? ESCAPE '\\' ") %
                                (headers ? QStringLiteral("OR header_from LIKE ? ESCAPE '\\' OR "
                                                          "header_subject LIKE ? ESCAPE '\\' ")
                                         : QString())) %
        QStringLiteral("ORDER BY first_seen DESC, id DESC LIMIT ?");
    if (!q.prepare(sql))
        return failure(QStringLiteral("cannot read messages"), q.lastError().text());
    if (!search.isEmpty()) {
        QString pattern = search;
        pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('%'), QStringLiteral("\\%"))
            .replace(QLatin1Char('_'), QStringLiteral("\\_"));
        const QString like = QLatin1Char('%') % pattern % QLatin1Char('%');
        // account, uid, recipients, last_reply (, header_from, header_subject)
        for (int i = 0; i < (headers ? 6 : 4); ++i)
            q.addBindValue(like);
    }
    q.addBindValue(limit);
    if (!q.exec())
        return failure(QStringLiteral("cannot read messages"), q.lastError().text());
    while (q.next()) {
        MessageRecord m;
        m.id = q.value(0).toLongLong();
        m.account = q.value(1).toString();
        m.uid = q.value(2).toString();
        m.size = q.value(3).toLongLong();
        m.firstSeen = timeOrNull(q.value(4));
        m.spoolPath = q.value(5).toString();
        const QString rcpts = q.value(6).toString();
        m.recipients = rcpts.isEmpty() ? QStringList() : rcpts.split(QLatin1Char('\n'));
        m.state = deliveryStateFromValue(q.value(7).toInt());
        m.attempts = q.value(8).toInt();
        m.nextAttempt = timeOrNull(q.value(9));
        m.lastReply = q.value(10).toString();
        m.deliveredAt = timeOrNull(q.value(11));
        m.removedAt = timeOrNull(q.value(12));
        if (headers) {
            m.from = q.value(13).toString();
            m.subject = q.value(14).toString();
            m.refusedAt = timeOrNull(q.value(15));
        }
        out.append(m);
    }
    return Result::success();
}

Result ActivityQueries::refusedMessages(QHash<QString, qint64> &out)
{
    out.clear();
    if (!available())
        return m_missing ? Result::success() : failure(QStringLiteral("not open"), QString());
    QSqlQuery q(*m_db);
    if (!q.prepare(QStringLiteral("SELECT id, spool_path FROM messages WHERE state = ? AND "
                                  "spool_path IS NOT NULL")))
        return failure(QStringLiteral("cannot read messages"), q.lastError().text());
    q.addBindValue(int(DeliveryState::Failed));
    if (!q.exec())
        return failure(QStringLiteral("cannot read messages"), q.lastError().text());
    while (q.next())
        out.insert(q.value(1).toString(), q.value(0).toLongLong());
    return Result::success();
}

Result ActivityQueries::backlog(int limit, QList<MessageKey> &deferred, QList<MessageKey> &refused)
{
    deferred.clear();
    refused.clear();
    if (!available())
        return m_missing ? Result::success() : failure(QStringLiteral("not open"), QString());
    for (const bool failed : {false, true}) {
        QSqlQuery q(*m_db);
        if (!q.prepare(QStringLiteral("SELECT account, uid FROM messages WHERE state = ?") %
                       (failed ? QStringLiteral(" AND spool_path IS NOT NULL") : QString()) %
                       QStringLiteral(" ORDER BY id LIMIT ?")))
            return failure(QStringLiteral("cannot read messages"), q.lastError().text());
        q.addBindValue(int(failed ? DeliveryState::Failed : DeliveryState::Deferred));
        q.addBindValue(limit);
        if (!q.exec())
            return failure(QStringLiteral("cannot read messages"), q.lastError().text());
        QList<MessageKey> &out = failed ? refused : deferred;
        while (q.next())
            out.append({q.value(0).toString(), q.value(1).toString()});
    }
    return Result::success();
}

} // namespace pollux
