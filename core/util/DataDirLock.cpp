#include "DataDirLock.h"

#include "util/FileMode.h"

#include <QDir>
#include <QFileInfo>

namespace pollux {

DataDirLock::DataDirLock(const QString &dataDir)
    : m_dir(QDir::cleanPath(dataDir)), m_lock(lockFilePath(dataDir))
{
    // A lock whose PID runs a Pollux again counts as apparently stale when older than this;
    // it is taken over only if its owner no longer holds the file's flock(2), so a live
    // owner keeps it however old it is. Short enough for a quick restart, long enough that
    // a lock file just being created is never mistaken for a stale one.
    m_lock.setStaleLockTime(5000);
}

DataDirLock::~DataDirLock()
{
    m_lock.unlock();
}

QString DataDirLock::lockFilePath(const QString &dataDir)
{
    return QDir::cleanPath(dataDir) + QStringLiteral("/pollux.lock");
}

Result DataDirLock::acquire()
{
    m_heldElsewhere = false;
    m_holderPid = 0;
    if (m_lock.isLocked())
        return Result::success();
    // Else a read-only folder reads as "unknown error", or a lock left by a killed process
    // (which could not be removed) as "in use by another Pollux".
    if (!QFileInfo(m_dir).isWritable())
        return Result::failure(
            ErrorCode::Storage,
            QStringLiteral("the data folder %1 is not writable (a read-only file system, or no "
                           "permission for this user): Pollux keeps its lock file, database and "
                           "spool there; make the folder writable again, or point dataDir at a "
                           "writable folder; nothing is damaged and nothing was changed (do not "
                           "delete anything in it: the database records which messages were "
                           "collected and delivered)")
                .arg(m_dir));
    if (m_lock.tryLock(0)) {
        // QLockFile creates it 0666 minus the umask; it only names this process, but
        // nothing in the data folder is for other users.
        filemode::makePrivate(lockFilePath(m_dir));
        return Result::success();
    }
    if (m_lock.error() == QLockFile::LockFailedError) {
        m_heldElsewhere = true;
        qint64 pid = 0;
        QString host;
        QString app;
        if (m_lock.getLockInfo(&pid, &host, &app))
            m_holderPid = pid;
        return Result::failure(
            ErrorCode::Storage,
            QStringLiteral("the data folder %1 is in use by another Pollux (process %2; lock "
                           "file %3)")
                .arg(m_dir, pid > 0 ? QString::number(pid) : QStringLiteral("unknown"),
                     lockFilePath(m_dir)));
    }
    return Result::failure(ErrorCode::Storage, QStringLiteral("cannot create the lock file %1 (%2)")
                                                   .arg(lockFilePath(m_dir),
                                                        m_lock.error() == QLockFile::PermissionError
                                                            ? QStringLiteral("permission denied")
                                                            : QStringLiteral("unknown error")));
}

} // namespace pollux
