#pragma once

#include "store/ActivityQueries.h"
#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QString>

namespace pollux {

// What `pollux status` tells from the database alone: per account the last finished pass
// and the mail of that account still queued; for the office server the last delivery and
// the newest temporary refusal. Read-only (ActivityQueries' connection: QSQLITE_OPEN_READONLY),
// so it works while another Pollux holds the data folder and writes the file, and never
// creates a database that does not exist (then everything is empty).
struct StatusSnapshot
{
    struct Account
    {
        PassRecord lastPass; // id 0: no finished pass recorded
        int waiting = 0;     // collected, not delivered yet (Waiting or Deferred)
        int refused = 0;     // permanently refused, still in quarantine
    };
    QHash<QString, Account> accounts; // by account name, as the database knows them
    int waiting = 0;
    int deferred = 0; // of `waiting`: the office server said "later" (or was unreachable)
    int refused = 0;
    QDateTime lastDelivery; // null: none recorded
    QString lastDeferReply; // the newest deferred message's last reply; empty: none
    QDateTime nextAttempt;  // the earliest retry of a deferred message; null: none
    bool databaseExists = false;
};

class StatusQueries
{
public:
    explicit StatusQueries(const QString &databasePath);
    Result read(StatusSnapshot &out);

private:
    QString m_path;
};

} // namespace pollux
