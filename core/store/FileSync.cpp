#include "FileSync.h"

#include <QFile>
#include <QStringBuilder>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace pollux {

namespace {

Result syncError(const QString &what, const QString &path, int err)
{
    return Result::failure(ErrorCode::Storage, what % QStringLiteral(" ") % path %
                                                   QStringLiteral(": ") %
                                                   QString::fromLocal8Bit(std::strerror(err)));
}

} // namespace

Result syncFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result::failure(ErrorCode::Storage, QStringLiteral("cannot open for sync ") % path %
                                                       QStringLiteral(": ") % file.errorString());
#ifdef Q_OS_UNIX
    if (::fsync(file.handle()) != 0)
        return syncError(QStringLiteral("cannot sync"), path, errno);
#endif
    return Result::success();
}

Result syncDirectory(const QString &path)
{
#ifdef Q_OS_UNIX
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return syncError(QStringLiteral("cannot open directory for sync"), path, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    // Some file systems do not support fsync on directories; that is not a failure.
    if (rc != 0 && err != EINVAL && err != ENOTSUP)
        return syncError(QStringLiteral("cannot sync directory"), path, err);
#else
    Q_UNUSED(path);
#endif
    return Result::success();
}

Result syncFileSystem(const QString &path, bool &supported)
{
    supported = false;
#ifdef Q_OS_LINUX
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return syncError(QStringLiteral("cannot open for sync"), path, errno);
    // Since Linux 5.8 syncfs reports a write-back error of any file of the file system.
    const int rc = ::syncfs(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && err == ENOSYS)
        return Result::success();
    if (rc != 0)
        return syncError(QStringLiteral("cannot sync the file system of"), path, err);
    supported = true;
#else
    Q_UNUSED(path);
#endif
    return Result::success();
}

FileSystemSync::FileSystemSync(const QString &path) : m_path(path)
{
#ifdef Q_OS_LINUX
    m_fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_fd < 0)
        m_openError = errno;
#endif
}

FileSystemSync::~FileSystemSync()
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0)
        ::close(m_fd);
#endif
}

Result FileSystemSync::sync(bool &supported)
{
    supported = false;
#ifdef Q_OS_LINUX
    if (m_fd < 0)
        return syncError(QStringLiteral("cannot open for sync"), m_path, m_openError);
    const int rc = ::syncfs(m_fd);
    const int err = errno;
    if (rc != 0 && err == ENOSYS)
        return Result::success();
    if (rc != 0)
        return syncError(QStringLiteral("cannot sync the file system of"), m_path, err);
    supported = true;
#endif
    return Result::success();
}

} // namespace pollux
