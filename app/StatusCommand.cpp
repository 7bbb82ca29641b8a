#include "StatusCommand.h"

#include "Headless.h"
#include "Service.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/StatusQueries.h"
#include "util/DataDirLock.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QStringList>

#include <cstdio>

namespace pollux::app {

namespace {

QString when(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QStringLiteral("never");
}

// The PID of the process holding the data folder's lock, 0 when none (read without taking it).
qint64 holderOf(const QString &dataDir)
{
    QLockFile lock(DataDirLock::lockFilePath(dataDir));
    qint64 pid = 0;
    QString host, app;
    if (!QFileInfo::exists(DataDirLock::lockFilePath(dataDir)) ||
        !lock.getLockInfo(&pid, &host, &app))
        return 0;
    return QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)) ? pid : 0;
}

} // namespace

int runStatus(const Invocation &inv, const LiveStatusSource &live)
{
    Config config;
    QStringList errors;
    if (!loadServiceConfig(inv.configPath, config, errors)) {
        for (const QString &line : errors)
            fprintf(stderr, "pollux: %s\n", qPrintable(line));
        return kExitUsage;
    }
    if (live) {
        QString text;
        if (live(inv.configPath, &text)) {
            fputs(qPrintable(text), stdout);
            return kExitOk;
        }
    }
    const QString dataDir = Engine::dataDirectory(config);
    const QString db = Engine::databasePath(config);
    StatusSnapshot snap;
    if (Result r = StatusQueries(db).read(snap); !r) {
        fprintf(stderr, "pollux: %s\n", qPrintable(r.message()));
        return kExitFailed;
    }
    QString out;
    out += QStringLiteral("Configuration: %1\n").arg(inv.configPath);
    const qint64 holder = holderOf(dataDir);
    out += QStringLiteral("Data folder: %1 (%2)\n")
               .arg(dataDir, holder ? QStringLiteral("a Pollux with PID %1 works in it").arg(holder)
                                    : QStringLiteral("no Pollux works in it now"));
    out += QStringLiteral("Read from: the database %1%2\n")
               .arg(db, snap.databaseExists ? QString() : QStringLiteral(" (not created yet)"));
    out += secretBackendDescription() + QLatin1Char('\n');
    out += QStringLiteral("Accounts:\n");
    for (const AccountConfig &a : config.accounts) {
        const StatusSnapshot::Account s = snap.accounts.value(a.name);
        QString pass;
        if (s.lastPass.id == 0)
            pass = QStringLiteral("no pass yet");
        else if (s.lastPass.errorCode == ErrorCode::None)
            pass = QStringLiteral("last pass %1: ok, %2 collected")
                       .arg(when(s.lastPass.finished))
                       .arg(s.lastPass.collected);
        else
            pass = QStringLiteral("last pass %1: failed: %2")
                       .arg(when(s.lastPass.finished), s.lastPass.errorMessage);
        out += QStringLiteral("  %1%2: %3; %4 waiting, %5 refused\n")
                   .arg(a.name, a.enabled ? QString() : QStringLiteral(" (disabled)"), pass)
                   .arg(s.waiting)
                   .arg(s.refused);
    }
    out += QStringLiteral("Waiting for the office server: %1 (%2 deferred)\n")
               .arg(snap.waiting)
               .arg(snap.deferred);
    out += QStringLiteral("Refused (in quarantine): %1\n").arg(snap.refused);
    out += QStringLiteral("Office server %1:%2: last delivery %3")
               .arg(config.smtp.host)
               .arg(config.smtp.port)
               .arg(when(snap.lastDelivery));
    if (snap.deferred > 0)
        out += QStringLiteral("; deferred, next attempt %1, last reply: %2")
                   .arg(when(snap.nextAttempt), snap.lastDeferReply);
    out += QLatin1Char('\n');
    fputs(qPrintable(out), stdout);
    return kExitOk;
}

} // namespace pollux::app
