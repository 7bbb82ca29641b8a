// The sign-in state of OAuth2 accounts (schema 7); see Store.cpp for the rest.
#include "Store.h"

#include <QSqlQuery>
#include <QVariant>

namespace pollux {

Result Store::signInState(const QString &account, SignInRecord &out)
{
    out = SignInRecord();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT needed, detail, refresh_expires_at FROM "
                                                 "sign_in_state WHERE account = ?"));
        !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read the sign-in state")); !r)
        return r;
    if (query.next()) {
        out.needed = query.value(0).toInt() != 0;
        out.detail = query.value(1).toString();
        if (!query.value(2).isNull())
            out.refreshExpiresAt =
                QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong(), Qt::UTC);
    }
    return Result::success();
}

Result Store::setSignInNeeded(const QString &account, bool needed, const QString &detail)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("INSERT INTO sign_in_state (account, needed, "
                                                 "detail) VALUES (?, ?, ?) ON CONFLICT(account) "
                                                 "DO UPDATE SET needed = excluded.needed, "
                                                 "detail = excluded.detail"));
        !r)
        return r;
    query.addBindValue(account);
    query.addBindValue(needed ? 1 : 0);
    query.addBindValue(needed ? detail : QStringLiteral("")); // not null: a NOT NULL column
    return exec(query, QStringLiteral("cannot record the sign-in state"));
}

Result Store::setRefreshExpiry(const QString &account, const QDateTime &expiresAt)
{
    QSqlQuery query;
    if (Result r =
            prepare(query, QStringLiteral("INSERT INTO sign_in_state (account, "
                                          "refresh_expires_at) VALUES (?, ?) ON "
                                          "CONFLICT(account) DO UPDATE SET "
                                          "refresh_expires_at = excluded.refresh_expires_at"));
        !r)
        return r;
    query.addBindValue(account);
    query.addBindValue(expiresAt.isValid() ? QVariant(expiresAt.toMSecsSinceEpoch())
                                           : QVariant(QMetaType(QMetaType::LongLong)));
    return exec(query, QStringLiteral("cannot record the refresh token's expiry"));
}

} // namespace pollux
