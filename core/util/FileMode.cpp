#include "FileMode.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace pollux::filemode {

namespace {

constexpr QFile::Permissions kFilePermissions =
    QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser;
constexpr QFile::Permissions kDirPermissions = kFilePermissions | QFile::ExeOwner | QFile::ExeUser;

} // namespace

bool makePrivatePath(const QString &path)
{
    if (path.isEmpty())
        return false;
    const QString target = QDir::cleanPath(QDir(path).absolutePath());
    // The missing folders, outermost first.
    QStringList missing;
    for (QString at = target; !QFileInfo::exists(at);) {
        missing.prepend(at);
        const QString parent = QFileInfo(at).path();
        if (parent == at)
            break;
        at = parent;
    }
    for (const QString &dir : std::as_const(missing)) {
        // Another process may create it at the same moment: that is fine if it is a folder.
        if (!QDir().mkdir(dir, kDirPermissions) && !QFileInfo(dir).isDir())
            return false;
    }
    return QFileInfo(target).isDir();
}

bool openPrivate(QFile &file, QIODevice::OpenMode mode)
{
    return file.open(mode, kFilePermissions);
}

bool ensurePrivateFile(const QString &path)
{
    if (QFileInfo::exists(path))
        return true;
    QFile file(path);
    if (openPrivate(file, QIODevice::WriteOnly | QIODevice::NewOnly))
        return true;
    return QFileInfo::exists(path); // created by someone else meanwhile
}

bool makePrivate(const QString &path)
{
#ifdef Q_OS_UNIX
    const QByteArray native = QFile::encodeName(path);
    struct stat st = {};
    if (::stat(native.constData(), &st) != 0 || (st.st_mode & 077) == 0)
        return false;
    return ::chmod(native.constData(), st.st_mode & 0700) == 0;
#else
    Q_UNUSED(path);
    return false;
#endif
}

bool isPrivate(const QString &path)
{
#ifdef Q_OS_UNIX
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 && (st.st_mode & 077) == 0;
#else
    return QFileInfo::exists(path);
#endif
}

} // namespace pollux::filemode
