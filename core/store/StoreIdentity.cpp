// Identity beyond the UID (schema 2), mailbox state (schema 3);
// see Store.cpp for the rest.
#include "Store.h"

#include "store/SqlTransaction.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace pollux {

Result Store::knownFingerprints(const QString &account, QHash<QString, QString> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT fingerprint, uid FROM messages WHERE "
                                                 "account = ? AND removed_at IS NULL AND "
                                                 "fingerprint IS NOT NULL ORDER BY id"));
        !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read fingerprints")); !r)
        return r;
    while (query.next()) {
        const QString fingerprint = query.value(0).toString();
        if (!out.contains(fingerprint)) // the oldest record of a fingerprint wins
            out.insert(fingerprint, query.value(1).toString());
    }
    return Result::success();
}

Result Store::knownFingerprintUids(const QString &account, QMultiHash<QString, QString> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT fingerprint, uid FROM messages WHERE "
                                                 "account = ? AND removed_at IS NULL AND "
                                                 "fingerprint IS NOT NULL ORDER BY id"));
        !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read fingerprints")); !r)
        return r;
    while (query.next())
        out.insert(query.value(0).toString(), query.value(1).toString());
    return Result::success();
}

Result Store::renameUid(const QString &account, const QString &oldUid, const QString &newUid)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE messages SET uid = ? WHERE account = ? "
                                                 "AND uid = ?"));
        !r)
        return r;
    query.addBindValue(newUid);
    query.addBindValue(account);
    query.addBindValue(oldUid);
    const QString what = QStringLiteral("cannot rename UID ") + oldUid + QStringLiteral(" to ") +
                         newUid + QStringLiteral(" of account ") + account;
    if (Result r = exec(query, what); !r)
        return r;
    if (query.numRowsAffected() != 1)
        return failure(what, QStringLiteral("no such message"));
    return Result::success();
}

Result Store::mailboxState(const QString &account, QString &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT state FROM mailbox_state WHERE "
                                                 "account = ?"));
        !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read the mailbox state")); !r)
        return r;
    if (query.next())
        out = query.value(0).toString();
    return Result::success();
}

Result Store::setMailboxState(const QString &account, const QString &state)
{
    QSqlQuery query;
    if (Result r =
            prepare(query, state.isEmpty() ? QStringLiteral("DELETE FROM mailbox_state WHERE "
                                                            "account = ?")
                                           : QStringLiteral("INSERT OR REPLACE INTO mailbox_state "
                                                            "(account, state) VALUES (?, ?)"));
        !r)
        return r;
    query.addBindValue(account);
    if (!state.isEmpty())
        query.addBindValue(state);
    return exec(query, QStringLiteral("cannot record the mailbox state"));
}

} // namespace pollux
