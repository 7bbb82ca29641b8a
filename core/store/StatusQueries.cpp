#include "StatusQueries.h"

#include "store/Store.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringBuilder>

namespace pollux {

namespace {

QDateTime timeOrNull(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QString newConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("pollux-status-") % QString::number(++counter);
}

} // namespace

StatusQueries::StatusQueries(const QString &databasePath) : m_path(databasePath) {}

Result StatusQueries::read(StatusSnapshot &out)
{
    out = StatusSnapshot();
    out.databaseExists = QFileInfo::exists(m_path);
    if (!out.databaseExists)
        return Result::success();
    {
        ActivityQueries activity(m_path);
        if (Result r = activity.open(); !r)
            return r;
        QHash<QString, PassRecord> passes;
        if (Result r = activity.lastPasses(passes); !r)
            return r;
        for (auto it = passes.cbegin(); it != passes.cend(); ++it)
            out.accounts[it.key()].lastPass = it.value();
    }
    const QString connection = newConnectionName();
    Result result = Result::success();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        auto fail = [this](const QString &detail) {
            return Result::failure(ErrorCode::Storage, QStringLiteral("cannot read the status (") %
                                                           m_path % QStringLiteral("): ") % detail);
        };
        if (!db.open()) {
            result = fail(db.lastError().text());
        } else {
            QSqlQuery q(db);
            // Copies and notices Pollux made count with the account they came from.
            if (!q.exec(QStringLiteral(
                    "SELECT account, state, COUNT(*) FROM messages WHERE state IN (0, 1)"
                    " OR (state = 3 AND spool_path IS NOT NULL) GROUP BY account, state"))) {
                result = fail(q.lastError().text());
            } else {
                while (q.next()) {
                    StatusSnapshot::Account &a = out.accounts[q.value(0).toString()];
                    const DeliveryState state = deliveryStateFromValue(q.value(1).toInt());
                    const int n = q.value(2).toInt();
                    if (state == DeliveryState::Failed) {
                        a.refused += n;
                        out.refused += n;
                    } else {
                        a.waiting += n;
                        out.waiting += n;
                        if (state == DeliveryState::Deferred)
                            out.deferred += n;
                    }
                }
            }
            if (result && q.exec(QStringLiteral("SELECT MAX(delivered_at) FROM messages")) &&
                q.next())
                out.lastDelivery = timeOrNull(q.value(0));
            if (result &&
                q.exec(QStringLiteral("SELECT last_reply FROM messages WHERE state = 1 "
                                      "ORDER BY id DESC LIMIT 1")) &&
                q.next())
                out.lastDeferReply = q.value(0).toString();
            if (result &&
                q.exec(QStringLiteral("SELECT MIN(next_attempt) FROM messages WHERE state = 1")) &&
                q.next())
                out.nextAttempt = timeOrNull(q.value(0));
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return result;
}

} // namespace pollux
