// What waits for the office server, per account (see Store::waitingByAccount).
#include "Store.h"

#include <QSqlQuery>
#include <QVariant>

namespace pollux {

Result Store::waitingByAccount(QMap<QString, WaitingCount> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT account, state, COUNT(*) FROM messages "
                                                 "WHERE state IN (?, ?) GROUP BY account, state"));
        !r)
        return r;
    query.addBindValue(int(DeliveryState::Waiting));
    query.addBindValue(int(DeliveryState::Deferred));
    if (Result r = exec(query, QStringLiteral("cannot read the delivery queue")); !r)
        return r;
    while (query.next()) {
        WaitingCount &count = out[query.value(0).toString()];
        const int n = query.value(2).toInt();
        if (query.value(1).toInt() == int(DeliveryState::Deferred))
            count.deferred += n;
        else
            count.untried += n;
    }
    return Result::success();
}

} // namespace pollux
