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

bool stopProcessTree(QProcess &process, int graceMs)
{
    const qint64 pid = process.processId();
    if (pid <= 0 || process.state() == QProcess::NotRunning)
        return true;
    const QList<qint64> descendants = descendantPids(pid);
    process.terminate();
    if (!process.waitForFinished(graceMs)) {
        process.kill();
        process.waitForFinished(graceMs);
    }
    if (!waitForPidsGone(descendants, graceMs)) {
        for (qint64 child : descendants) {
            if (processAlive(child))
                ::kill(static_cast<pid_t>(child), SIGKILL);
        }
        return waitForPidsGone(descendants, graceMs) && !processAlive(pid);
    }
    return !processAlive(pid);
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
