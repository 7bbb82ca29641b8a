#include "LiveStatus.h"

#include "control/ControlClient.h"
#include "control/ControlServer.h"

#include <QFileInfo>

#include <cstdio>

namespace pollux::app {

namespace {
constexpr int kAskMs = 3000;

QString when(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                       : QStringLiteral("none since the service started");
}
} // namespace

bool serviceStatus(const QString &configPath, QString *text)
{
    Q_UNUSED(configPath); // the service reads its own configuration
    const QString socket = control::ControlServer::defaultSocketPath();
    if (!QFileInfo::exists(socket))
        return false;
    control::Snapshot snap;
    QString why;
    if (!control::ControlClient::fetchSnapshot(socket, kAskMs, &snap, &why)) {
        fprintf(stderr,
                "pollux: the service's control socket %s did not answer (%s); reading "
                "the database instead\n",
                qPrintable(socket), qPrintable(why));
        return false;
    }
    QString out;
    out += QStringLiteral("Read from: the running service (control socket %1)\n").arg(socket);
    out += QStringLiteral("Service: %1\n")
               .arg(snap.paused    ? QStringLiteral("paused")
                    : snap.running ? QStringLiteral("running")
                                   : QStringLiteral("starting or stopping"));
    out += QStringLiteral("Accounts:\n");
    for (const control::AccountState &a : snap.accounts) {
        QString state = a.state;
        if (a.state == QLatin1String("polling"))
            state += QStringLiteral(" (%1 of %2)").arg(a.done).arg(a.total);
        out +=
            QStringLiteral("  %1: %2; last pass %3, %4 collected%5\n")
                .arg(a.name, state, when(a.lastPass))
                .arg(a.collected)
                .arg(a.errorText.isEmpty() ? QString() : QStringLiteral("; error: ") + a.errorText);
    }
    out += QStringLiteral("Waiting after a temporary refusal: %1\n").arg(snap.waiting.size());
    out += QStringLiteral("Refused (quarantined): %1\n").arg(snap.refused.size());
    out += QStringLiteral("Office server: %1\n")
               .arg(snap.officeState == QLatin1String("ok")
                        ? QStringLiteral("ok")
                        : QStringLiteral("failing: ") + snap.officeError);
    if (!snap.storageError.isEmpty())
        out += QStringLiteral("Storage: %1\n").arg(snap.storageError);
    *text = out;
    return true;
}

} // namespace pollux::app
