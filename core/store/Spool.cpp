#include "Spool.h"

#include "store/FileSync.h"
#include "util/FileMode.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>

namespace pollux {

namespace {

const QString kQuarantine = QStringLiteral("quarantine");
const QString kSuffix = QStringLiteral(".eml");

Result storageError(const QString &what, const QString &path, const QString &detail)
{
    return Result::failure(ErrorCode::Storage,
                           what % QStringLiteral(" ") % path % QStringLiteral(": ") % detail);
}

// What went wrong with a file: Qt's text, or the system's when Qt has none to give (a
// buffered write failing with EFBIG reads "Unknown error"). errno is taken right after
// the failing call.
QString ioDetail(const QFile &file, int err)
{
    const QString detail = file.errorString();
    if (err != 0 && (detail.isEmpty() || detail == QLatin1String("Unknown error")))
        return QString::fromLocal8Bit(std::strerror(err));
    return detail;
}

} // namespace

// Lowercase ASCII letters, digits and '-' stay; every other byte of the UTF-8 name becomes
// "_xx". The result is injective, never "." / ".." / "quarantine" (all keys start with
// "a-"), and distinct names stay distinct on case-insensitive file systems. Long names end
// in a hash so the key stays a valid file name.
QString Spool::accountKey(const QString &account)
{
    QString key = QStringLiteral("a-");
    const QByteArray utf8 = account.toUtf8();
    for (const char ch : utf8) {
        const auto b = static_cast<unsigned char>(ch);
        if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-') {
            key += QLatin1Char(static_cast<char>(b));
        } else {
            key += QLatin1Char('_');
            key += QString::number(b, 16).rightJustified(2, QLatin1Char('0'));
        }
    }
    if (key.size() > 100) {
        const QByteArray hash = QCryptographicHash::hash(utf8, QCryptographicHash::Sha256).toHex();
        key = key.left(60) % QLatin1Char('~') % QString::fromLatin1(hash.left(32));
    }
    return key;
}

QString quarantineFolderName(QuarantineFolder folder)
{
    switch (folder) {
    case QuarantineFolder::BadMail:
        return QStringLiteral("BADMAIL");
    case QuarantineFolder::TooLarge:
        return QStringLiteral("TOOLARGE");
    }
    return QStringLiteral("BADMAIL");
}

QList<QuarantineFolder> quarantineFolders()
{
    return {QuarantineFolder::BadMail, QuarantineFolder::TooLarge};
}

Spool::Spool(const QString &dir) : m_dir(QDir::cleanPath(dir)) {}

Result Spool::init()
{
    QDir root(m_dir);
    QStringList subdirs = {QString(), kQuarantine};
    for (const QuarantineFolder folder : quarantineFolders())
        subdirs << kQuarantine % QLatin1Char('/') % quarantineFolderName(folder);
    for (const QString &sub : subdirs) {
        const QString path = sub.isEmpty() ? m_dir : root.filePath(sub);
        if (!filemode::makePrivatePath(path))
            return storageError(QStringLiteral("cannot create spool directory"), path,
                                QStringLiteral("mkdir failed"));
        // A spool made by an older version may be open to other users: its folders are
        // ours, and closing them closes every file in them.
        filemode::makePrivate(path);
    }
    if (!m_fsSync)
        m_fsSync = std::make_shared<FileSystemSync>(m_dir);
    return Result::success();
}

QString Spool::absolutePath(const QString &relativePath) const
{
    return m_dir % QLatin1Char('/') % relativePath;
}

Result Spool::resolve(const QString &relativePath, QString &absolute) const
{
    const QString clean = QDir::cleanPath(relativePath);
    if (relativePath.isEmpty() || QDir::isAbsolutePath(relativePath) ||
        clean == QStringLiteral("..") || clean.startsWith(QStringLiteral("../")) ||
        clean == QStringLiteral(".")) {
        return Result::failure(ErrorCode::Storage,
                               QStringLiteral("not a path inside the spool: ") % relativePath);
    }
    absolute = absolutePath(clean);
    return Result::success();
}

Spool::Writer::~Writer()
{
    if (!m_finished)
        discard();
}

Result Spool::Writer::write(const char *data, qsizetype size)
{
    if (m_finished || !m_file.isOpen())
        return Result::failure(ErrorCode::Storage,
                               QStringLiteral("spool file is not open: ") % m_file.fileName());
    if (size <= 0)
        return Result::success();
    // QFile buffers small writes in user space; errors surface here or at finish().
    errno = 0;
    if (m_file.write(data, size) != size)
        return storageError(QStringLiteral("cannot write"), m_file.fileName(),
                            ioDetail(m_file, errno));
    m_size += size;
    return Result::success();
}

Result Spool::Writer::finish()
{
    if (m_finished)
        return Result::success();
    if (!m_file.isOpen())
        return Result::failure(ErrorCode::Storage,
                               QStringLiteral("spool file is not open: ") % m_file.fileName());
    errno = 0;
    if (!m_file.flush() || m_file.error() != QFileDevice::NoError) {
        const Result r = storageError(QStringLiteral("cannot write"), m_file.fileName(),
                                      ioDetail(m_file, errno));
        discard();
        return r;
    }
    m_file.close();
    if (m_file.error() != QFileDevice::NoError) {
        const Result r =
            storageError(QStringLiteral("cannot close"), m_file.fileName(), m_file.errorString());
        discard();
        return r;
    }
    m_finished = true;
    return Result::success();
}

void Spool::Writer::discard()
{
    if (m_finished)
        return;
    // Drop buffered data instead of flushing it (the disk may be full).
    m_file.close();
    if (!m_file.fileName().isEmpty())
        QFile::remove(m_file.fileName());
    m_finished = true;
}

std::unique_ptr<Spool::Writer> Spool::create(const QString &account, Result &error)
{
    const QString key = accountKey(account);
    const QString dirPath = absolutePath(key);
    // The account's folder is made once per Spool, not per message; should it vanish
    // meanwhile, the failing open below makes it again.
    if (!m_madeDirs.contains(key)) {
        if (!filemode::makePrivatePath(dirPath)) {
            error = storageError(QStringLiteral("cannot create spool directory"), dirPath,
                                 QStringLiteral("mkdir failed"));
            return nullptr;
        }
        m_madeDirs.insert(key);
    }
    std::unique_ptr<Writer> writer(new Writer);
    QString lastError;
    bool remade = false;
    for (int attempt = 0; attempt < 8; ++attempt) {
        const QString name =
            QString::number(QDateTime::currentMSecsSinceEpoch()) % QLatin1Char('-') %
            QString::number(QRandomGenerator::global()->generate64(), 16) % kSuffix;
        writer->m_relative = key % QLatin1Char('/') % name;
        writer->m_file.setFileName(absolutePath(writer->m_relative));
        // NewOnly: never reuse or follow an existing file. Created 0600: it is someone's mail.
        if (filemode::openPrivate(writer->m_file, QIODevice::WriteOnly | QIODevice::NewOnly)) {
            error = Result::success();
            return writer;
        }
        lastError = writer->m_file.errorString();
        if (QFileInfo::exists(writer->m_file.fileName()))
            continue; // name collision: try another
        if (!remade && !QFileInfo(dirPath).isDir()) {
            remade = true; // the folder was removed behind our back: make it again
            if (filemode::makePrivatePath(dirPath))
                continue;
        }
        break;
    }
    error = storageError(QStringLiteral("cannot create spool file"), writer->m_file.fileName(),
                         lastError);
    writer->m_file.setFileName(QString()); // nothing of ours to remove
    writer->m_finished = true;
    return nullptr;
}

// One flush for the whole batch: syncfs writes out every file written since and the
// folders' entries, and flushes the disk's cache once - where fsync per file (and per
// folder) would flush it once per file. Without syncfs: fsync each file, then each folder.
Result Spool::makeDurable(const QStringList &relativePaths)
{
    if (relativePaths.isEmpty())
        return Result::success();
    QStringList paths;
    paths.reserve(relativePaths.size());
    for (const QString &relative : relativePaths) {
        QString path;
        if (Result r = resolve(relative, path); !r)
            return r;
        // A stat, not an open: the batch's files were written by this process just now.
        if (!QFileInfo::exists(path))
            return storageError(QStringLiteral("cannot sync"), path,
                                QStringLiteral("no such file"));
        paths.append(path);
    }
    bool whole = false;
    if (Result r = m_fsSync ? m_fsSync->sync(whole) : syncFileSystem(m_dir, whole); !r)
        return r;
    if (whole)
        return Result::success();
    QStringList dirs;
    for (const QString &path : std::as_const(paths)) {
        if (Result r = syncFile(path); !r)
            return r;
        const QString dir = QFileInfo(path).absolutePath();
        if (!dirs.contains(dir))
            dirs.append(dir);
    }
    for (const QString &dir : std::as_const(dirs)) {
        if (Result r = syncDirectory(dir); !r)
            return r;
    }
    return Result::success();
}

Result Spool::remove(const QString &relativePath)
{
    QString path;
    if (Result r = resolve(relativePath, path); !r)
        return r;
    QFile file(path);
    if (file.remove() || !file.exists())
        return Result::success(); // removed, or already gone: removing is idempotent
    return storageError(QStringLiteral("cannot remove"), path, file.errorString());
}

QString Spool::findQuarantined(const QString &relativePath) const
{
    const QFileInfo info(absolutePath(QDir::cleanPath(relativePath)));
    QString name = info.fileName();
    const QString parent = info.dir().dirName();
    if (!parent.isEmpty() && parent != QLatin1String("."))
        name = parent % QLatin1Char('-') % name;
    for (const QuarantineFolder folder : quarantineFolders()) {
        const QString dirRel = kQuarantine % QLatin1Char('/') % quarantineFolderName(folder);
        // quarantine() numbers a name that is taken: the newest move has the highest number.
        QString found;
        QString candidate = dirRel % QLatin1Char('/') % name;
        for (int n = 1; QFileInfo::exists(absolutePath(candidate)) && n < 1000; ++n) {
            found = candidate;
            candidate = dirRel % QLatin1Char('/') % QString::number(n) % QLatin1Char('-') % name;
        }
        if (!found.isEmpty())
            return found;
    }
    return {};
}

Result Spool::quarantine(const QString &relativePath, QuarantineFolder folder,
                         QString &newRelativePath)
{
    QString source;
    if (Result r = resolve(relativePath, source); !r)
        return r;
    const QString targetDirRel = kQuarantine % QLatin1Char('/') % quarantineFolderName(folder);
    const QString targetDir = absolutePath(targetDirRel);
    if (!filemode::makePrivatePath(targetDir))
        return storageError(QStringLiteral("cannot create quarantine directory"), targetDir,
                            QStringLiteral("mkdir failed"));

    const QFileInfo info(source);
    QString name = info.fileName();
    // The account key keeps names from different accounts apart.
    const QString parent = info.dir().dirName();
    if (!parent.isEmpty() && parent != QLatin1String("."))
        name = parent % QLatin1Char('-') % name;
    QString target = targetDirRel % QLatin1Char('/') % name;
    for (int n = 1; QFileInfo::exists(absolutePath(target)); ++n)
        target = targetDirRel % QLatin1Char('/') % QString::number(n) % QLatin1Char('-') % name;

    QFile file(source);
    if (!file.rename(absolutePath(target)))
        return storageError(QStringLiteral("cannot move to quarantine"), source,
                            file.errorString());
    if (Result r = syncDirectory(targetDir); !r)
        return r;
    if (Result r = syncDirectory(info.absolutePath()); !r)
        return r;
    newRelativePath = target;
    return Result::success();
}

int Spool::removeOrphans(const QSet<QString> &known)
{
    QSet<QString> cleanKnown;
    for (const QString &k : known)
        cleanKnown.insert(QDir::cleanPath(k));
    int removed = 0;
    const QDir root(m_dir);
    const QStringList accountDirs =
        root.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QString &accountDir : accountDirs) {
        if (accountDir == kQuarantine)
            continue;
        QDirIterator it(root.filePath(accountDir), QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString relative = root.relativeFilePath(path);
            if (cleanKnown.contains(relative))
                continue;
            if (QFile::remove(path))
                ++removed;
        }
    }
    return removed;
}

} // namespace pollux
