#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

class QProcess;

namespace pollux::test {

// Whether the process exists and is not a zombie (a reaped or zombie process counts as gone:
// in containers nobody may reap orphans).
bool processAlive(qint64 pid);

// Every descendant of pid (children, grandchildren, ...), read from /proc.
QList<qint64> descendantPids(qint64 pid);

// Waits until none of pids is alive; true if so within timeoutMs.
bool waitForPidsGone(const QList<qint64> &pids, int timeoutMs);

// SIGTERM to the process and all its descendants (recorded before), wait up to graceMs, then
// SIGKILL what is left. Only touches processes that this QProcess started. Returns true if
// everything is gone.
bool stopProcessTree(QProcess &process, int graceMs = 5000);

// SIGTERM, wait up to graceMs, SIGKILL the survivors; true if all are gone.
bool killAndWait(const QList<qint64> &pids, int graceMs = 5000);

// Live processes whose command line (/proc/<pid>/cmdline) contains needle.
QList<qint64> pidsWithCommandLine(const QByteArray &needle);

// Waits (event loop running) until predicate() is true or timeoutMs passed.
template <typename Predicate> bool waitUntil(Predicate predicate, int timeoutMs);

// Whether something accepts TCP connections on 127.0.0.1:port.
bool portAccepts(quint16 port);

// The last maxBytes of a text file, for error messages.
QString fileTail(const QString &path, int maxBytes = 4000);

} // namespace pollux::test

#include <QDeadlineTimer>
#include <QTest>

template <typename Predicate> bool pollux::test::waitUntil(Predicate predicate, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!predicate()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(10);
    }
    return true;
}
