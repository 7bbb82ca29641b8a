#pragma once

#include "util/Result.h"

#include <QLockFile>
#include <QString>

namespace pollux {

// One Pollux per data folder: the lock file "pollux.lock" in it, held while an engine works
// there. A second process that finds it held must not sweep the spool or deliver.
//
// A lock left by a process that died (SIGKILL, a crash, a reboot) does not block the next
// start: QLockFile finds its process gone, or its PID now running another program, or the
// machine rebooted since; and when the PID runs a Pollux again (a reused PID), a lock older
// than a few seconds is taken over once nobody holds its flock(2) any longer. On Windows
// QLockFile uses the same file with the system's file sharing rules.
class DataDirLock
{
public:
    explicit DataDirLock(const QString &dataDir);
    ~DataDirLock(); // releases the lock

    DataDirLock(const DataDirLock &) = delete;
    DataDirLock &operator=(const DataDirLock &) = delete;

    // Takes the lock without waiting. The folder must exist. A failure (ErrorCode::Storage)
    // names the folder and, when another process holds it, that process's PID.
    Result acquire();
    bool isHeld() const { return m_lock.isLocked(); }
    QString dataDir() const { return m_dir; }
    // After acquire() failed: whether another process holds the folder, and its PID (0
    // when its lock file cannot be read, e.g. while it is being written).
    bool heldElsewhere() const { return m_heldElsewhere; }
    qint64 holderPid() const { return m_holderPid; }

    static QString lockFilePath(const QString &dataDir);

    // The exit status of `pollux --headless` and of the tray app when they stop because
    // another process holds the data folder (2 is a configuration that cannot be used).
    static constexpr int kExitStatusInUse = 3;

private:
    QString m_dir;
    QLockFile m_lock;
    bool m_heldElsewhere = false;
    qint64 m_holderPid = 0;
};

} // namespace pollux
