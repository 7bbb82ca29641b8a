#include "secrets/SecretFiles.h"

#include "util/FileMode.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace pollux::secretfiles {

namespace {

[[maybe_unused]] Result failure(const QString &what, const QString &path, int err)
{
    return Result::failure(
        ErrorCode::Secrets,
        QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(err))));
}

QString temporaryPrefix(const QString &name)
{
    return QLatin1Char('.') + name + QStringLiteral(".tmp-");
}

#ifdef Q_OS_UNIX
Status fromStat(const struct stat &st)
{
    Status s;
    s.exists = true;
    s.isDirectory = S_ISDIR(st.st_mode);
    s.isRegularFile = S_ISREG(st.st_mode);
    s.isSymlink = S_ISLNK(st.st_mode);
    s.mode = st.st_mode & 07777;
    s.owner = st.st_uid;
    s.group = st.st_gid;
    return s;
}

Result syncFolder(const QString &folder)
{
    const int fd =
        ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return failure(QStringLiteral("cannot open the folder"), folder, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL && err != ENOTSUP) // not every file system syncs folders
        return failure(QStringLiteral("cannot sync the folder"), folder, err);
    return Result::success();
}

bool writeAll(int fd, const QByteArray &data, int &err)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            return false;
        }
        done += n;
    }
    return true;
}
#endif

} // namespace

Status status(const QString &path)
{
#ifdef Q_OS_UNIX
    // lstat: a symbolic link is neither a folder nor a file here. A secrets folder swapped
    // for a link by whoever owns its parent must not lead root elsewhere.
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return fromStat(st);
#else
    const QFileInfo info(path);
    Status s;
    s.exists = info.exists();
    s.isDirectory = info.isDir();
    s.isRegularFile = info.isFile();
    s.mode = s.isDirectory ? 0700 : 0600;
    return s;
#endif
}

unsigned effectiveUser()
{
#ifdef Q_OS_UNIX
    return ::geteuid();
#else
    return 0;
#endif
}

bool isPrivileged()
{
#ifdef Q_OS_UNIX
    return ::geteuid() == 0;
#else
    return false;
#endif
}

QString userName(unsigned uid)
{
#ifdef Q_OS_UNIX
    struct passwd pw = {};
    struct passwd *found = nullptr;
    char buffer[4096];
    if (::getpwuid_r(uid_t(uid), &pw, buffer, sizeof buffer, &found) == 0 && found)
        return QString::fromLocal8Bit(found->pw_name);
#endif
    return QString::number(uid);
}

Result makeFolder(const QString &path, const Owner *chownTo)
{
    if (!chownTo) {
        if (!filemode::makePrivatePath(path))
            return Result::failure(ErrorCode::Secrets,
                                   QStringLiteral("cannot create the secrets folder %1").arg(path));
        return Result::success();
    }
#ifdef Q_OS_UNIX
    const QByteArray native = QFile::encodeName(path);
    if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST)
        return failure(QStringLiteral("cannot create the secrets folder"), path, errno);
    // The folder is given away through a descriptor of the folder itself, never by name:
    // its parent belongs to the user it goes to, who could swap the name for a link to any
    // file between the mkdir and a chown by name (and so have root give them that file).
    const int fd = ::open(native.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return failure(QStringLiteral("cannot open the secrets folder (not a folder, or a "
                                      "symbolic link):"),
                       path, errno);
    struct stat st = {};
    const bool ours = ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0;
    const int rc = ours ? ::fchown(fd, uid_t(chownTo->user), gid_t(chownTo->group)) : -1;
    const int err = ours ? errno : EPERM;
    ::close(fd);
    if (!ours)
        return failure(QStringLiteral("the secrets folder was not the one just created:"), path,
                       err);
    if (rc != 0)
        return failure(QStringLiteral("cannot give the secrets folder to its user:"), path, err);
    return syncFolder(QFileInfo(path).path());
#else
    return Result::success();
#endif
}

Result readFile(const QString &path, qint64 maxBytes, QByteArray &data, Status &st)
{
    data.clear();
    st = {};
#ifdef Q_OS_UNIX
    const int fd =
        ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT)
            return Result::success();
        if (err == ELOOP) { // a symbolic link: report it, never read through it
            struct stat link = {};
            if (::lstat(QFile::encodeName(path).constData(), &link) == 0)
                st = fromStat(link);
            return Result::success();
        }
        return failure(QStringLiteral("cannot read"), path, err);
    }
    struct stat info = {};
    if (::fstat(fd, &info) != 0) {
        const int err = errno;
        ::close(fd);
        return failure(QStringLiteral("cannot read"), path, err);
    }
    st = fromStat(info);
    if (!st.isRegularFile) {
        ::close(fd);
        return Result::success(); // the caller refuses it by its status
    }
    if (info.st_size > maxBytes) {
        ::close(fd);
        return Result::failure(
            ErrorCode::Secrets,
            QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes));
    }
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            data.fill('\0');
            data.clear();
            return failure(QStringLiteral("cannot read"), path, err);
        }
        if (n == 0)
            break;
        data.append(buffer, n);
        if (data.size() > maxBytes) {
            ::close(fd);
            data.fill('\0');
            data.clear();
            return Result::failure(
                ErrorCode::Secrets,
                QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes));
        }
    }
    ::close(fd);
    return Result::success();
#else
    QFile file(path);
    if (!file.exists())
        return Result::success();
    if (!file.open(QIODevice::ReadOnly))
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    st = status(path);
    data = file.read(maxBytes + 1);
    if (data.size() > maxBytes)
        return Result::failure(
            ErrorCode::Secrets,
            QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes));
    return Result::success();
#endif
}

Result replaceFile(const QString &folder, const QString &name, const QByteArray &data,
                   const Owner *chownTo)
{
    const QString target = folder + QLatin1Char('/') + name;
#ifdef Q_OS_UNIX
    QString temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        temporary = folder + QLatin1Char('/') + temporaryPrefix(name) +
                    QString::number(QRandomGenerator::global()->generate64(), 36);
        fd = ::open(QFile::encodeName(temporary).constData(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            return failure(QStringLiteral("cannot create a file in"), folder, errno);
    }
    if (fd < 0)
        return failure(QStringLiteral("cannot create a file in"), folder, EEXIST);
    const QByteArray nativeTemporary = QFile::encodeName(temporary);
    auto abandon = [&](const QString &what, int err) {
        ::close(fd);
        ::unlink(nativeTemporary.constData());
        return failure(what, target, err);
    };
    int err = 0;
    // 0600 whatever the umask (which can only narrow the mode given to open()).
    if (::fchmod(fd, 0600) != 0)
        return abandon(QStringLiteral("cannot set the mode of"), errno);
    if (!writeAll(fd, data, err))
        return abandon(QStringLiteral("cannot write"), err);
    if (::fsync(fd) != 0)
        return abandon(QStringLiteral("cannot sync"), errno);
    if (chownTo && ::fchown(fd, uid_t(chownTo->user), gid_t(chownTo->group)) != 0)
        return abandon(QStringLiteral("cannot give to the folder's user:"), errno);
    if (::close(fd) != 0) {
        err = errno;
        ::unlink(nativeTemporary.constData());
        return failure(QStringLiteral("cannot write"), target, err);
    }
    if (::rename(nativeTemporary.constData(), QFile::encodeName(target).constData()) != 0) {
        err = errno;
        ::unlink(nativeTemporary.constData());
        return failure(QStringLiteral("cannot replace"), target, err);
    }
    return syncFolder(folder);
#else
    Q_UNUSED(chownTo);
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return Result::failure(
            ErrorCode::Secrets,
            QStringLiteral("cannot write %1: %2").arg(target, file.errorString()));
    return Result::success();
#endif
}

Result removeFile(const QString &folder, const QString &name)
{
    const QString target = folder + QLatin1Char('/') + name;
#ifdef Q_OS_UNIX
    if (::unlink(QFile::encodeName(target).constData()) != 0) {
        if (errno == ENOENT)
            return Result::success();
        return failure(QStringLiteral("cannot remove"), target, errno);
    }
    return syncFolder(folder);
#else
    if (QFile::exists(target) && !QFile::remove(target))
        return Result::failure(ErrorCode::Secrets, QStringLiteral("cannot remove %1").arg(target));
    return Result::success();
#endif
}

void removeStaleTemporaries(const QString &folder, const QString &name)
{
    const QDir dir(folder);
    const QStringList stale = dir.entryList({temporaryPrefix(name) + QLatin1Char('*')},
                                            QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &file : stale)
        QFile::remove(dir.filePath(file));
}

} // namespace pollux::secretfiles
