// Store::recoverMissingFiles(): what a restart after an interruption resolves (see Store.h
// and docs/RELIABILITY.md, "Power cuts").
#include "Store.h"

#include "store/Spool.h"
#include "store/SqlTransaction.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

namespace pollux {

Result Store::recoverMissingFiles(const Spool &spool, Recovery &out)
{
    out = Recovery();
    if (Result r = ready(); !r)
        return r;
    struct Missing
    {
        qint64 id;
        QString account;
        QString uid;
        bool onServer;
    };
    QList<Missing> missing;
    {
        QSqlQuery query;
        if (Result r = prepare(query, QStringLiteral("SELECT id, account, uid, spool_path, kind, "
                                                     "removed_at FROM messages WHERE state IN "
                                                     "(?, ?)"));
            !r)
            return r;
        query.addBindValue(int(DeliveryState::Waiting));
        query.addBindValue(int(DeliveryState::Deferred));
        if (Result r = exec(query, QStringLiteral("cannot read the delivery queue")); !r)
            return r;
        while (query.next()) {
            const QString path = query.value(3).toString();
            if (!path.isEmpty() && QFileInfo::exists(spool.absolutePath(path)))
                continue;
            if (!path.isEmpty() && !spool.findQuarantined(path).isEmpty())
                continue; // the delivery stage records the interrupted quarantine
            const bool collected = query.value(4).toInt() == int(MessageKind::Collected);
            missing.append({query.value(0).toLongLong(), query.value(1).toString(),
                            query.value(2).toString(), collected && query.value(5).isNull()});
        }
    }
    if (missing.isEmpty())
        return Result::success();
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    QSqlQuery forget;
    QSqlQuery forgetState;
    QSqlQuery delivered;
    if (Result r = prepare(forget, QStringLiteral("DELETE FROM messages WHERE id = ?")); !r)
        return r;
    if (Result r = prepare(forgetState, QStringLiteral("DELETE FROM mailbox_state WHERE "
                                                       "account = ?"));
        !r)
        return r;
    if (Result r = prepare(delivered,
                           QStringLiteral("UPDATE messages SET state = ?, last_reply = ?, "
                                          "delivered_at = ?, next_attempt = NULL WHERE id = ?"));
        !r)
        return r;
    const qint64 now = nowMs();
    for (const Missing &m : std::as_const(missing)) {
        if (m.onServer) {
            forget.addBindValue(m.id);
            if (Result r = exec(forget, QStringLiteral("cannot forget a message")); !r)
                return r;
            forgetState.addBindValue(m.account);
            if (Result r = exec(forgetState, QStringLiteral("cannot forget the mailbox state")); !r)
                return r;
            ++out.collectAgain;
        } else {
            delivered.addBindValue(int(DeliveryState::Delivered));
            delivered.addBindValue(QStringLiteral("spool file gone at start: a file goes only "
                                                  "after its message was delivered, and the "
                                                  "record of that delivery was lost"));
            delivered.addBindValue(now);
            delivered.addBindValue(m.id);
            if (Result r = exec(delivered, QStringLiteral("cannot record a delivery")); !r)
                return r;
            ++out.delivered;
        }
        out.uids << m.account + QLatin1Char(' ') + m.uid;
    }
    m_unsynced = true;
    return transaction.commit();
}

} // namespace pollux
