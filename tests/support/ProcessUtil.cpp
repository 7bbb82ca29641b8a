#include "support/ProcessUtil.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QTcpSocket>

#include <csignal>
#include <sys/types.h>

namespace pollux::test {

namespace {

// Fields of /proc/<pid>/stat after the command name: state, ppid.
bool readStat(qint64 pid, char *state, qint64 *ppid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray stat = file.readAll();
    const int close = stat.lastIndexOf(')');
    if (close < 0)
        return false;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 2 || fields.at(0).isEmpty())
        return false;
    *state = fields.at(0).at(0);
    *ppid = fields.at(1).toLongLong();
    return true;
}

} // namespace

bool processAlive(qint64 pid)
{
    char state = 0;
    qint64 ppid = 0;
    if (pid <= 0 || !readStat(pid, &state, &ppid))
        return false;
    return state != 'Z' && state != 'X';
}

QList<qint64> descendantPids(qint64 pid)
{
    QMultiHash<qint64, qint64> children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 candidate = entry.toLongLong(&isPid);
        char state = 0;
        qint64 ppid = 0;
        if (isPid && readStat(candidate, &state, &ppid) && state != 'Z')
            children.insert(ppid, candidate);
    }
    QList<qint64> result;
    QList<qint64> queue{pid};
    while (!queue.isEmpty()) {
        const QList<qint64> direct = children.values(queue.takeFirst());
        result += direct;
        queue += direct;
    }
    return result;
}

bool waitForPidsGone(const QList<qint64> &pids, int timeoutMs)
{
    return waitUntil(
        [&pids] {
            for (qint64 pid : pids) {
                if (processAlive(pid))
                    return false;
            }
            return true;
        },
        timeoutMs);
}

bool killAndWait(const QList<qint64> &pids, int graceMs)
{
    for (qint64 pid : pids) {
        if (processAlive(pid))
            ::kill(static_cast<pid_t>(pid), SIGTERM);
    }
    if (waitForPidsGone(pids, graceMs))
        return true;
    for (qint64 pid : pids) {
        if (processAlive(pid))
            ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
    return waitForPidsGone(pids, graceMs);
}

bool stopProcessTree(QProcess &process, int graceMs)
{
    const qint64 pid = process.processId();
    if (pid <= 0 || process.state() == QProcess::NotRunning)
        return true;
    // The whole tree at once: children of a dying master (Dovecot's log, login and mail
    // processes) may otherwise linger as orphans.
    const QList<qint64> descendants = descendantPids(pid);
    process.terminate();
    for (qint64 child : descendants)
        ::kill(static_cast<pid_t>(child), SIGTERM);
    if (!process.waitForFinished(graceMs)) {
        process.kill();
        process.waitForFinished(graceMs);
    }
    return killAndWait(descendants, graceMs) && !processAlive(pid);
}

QList<qint64> pidsWithCommandLine(const QByteArray &needle)
{
    QList<qint64> result;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        QFile file(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (isPid && processAlive(pid) && file.open(QIODevice::ReadOnly) &&
            file.readAll().contains(needle))
            result.append(pid);
    }
    return result;
}

bool portAccepts(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    const bool connected = socket.waitForConnected(200);
    socket.abort();
    return connected;
}

QString fileTail(const QString &path, int maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    if (file.size() > maxBytes)
        file.seek(file.size() - maxBytes);
    return QString::fromUtf8(file.readAll());
}

} // namespace pollux::test
