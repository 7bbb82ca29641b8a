#pragma once

#include "util/Result.h"

#include <QFile>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

namespace pollux {

class FileSystemSync;

// Where a refused message is kept: quarantine/<quarantineFolderName()>/ in the spool.
enum class QuarantineFolder
{
    BadMail,  // refused permanently (5xx), a loop, or no way to deliver it
    TooLarge, // refused for its size
};
QString quarantineFolderName(QuarantineFolder folder); // "BADMAIL", "TOOLARGE"
QList<QuarantineFolder> quarantineFolders();

// The on-disk spool: one file per collected message, written as it streams from the
// socket. The database is the authority: a file it does not know is an orphan.
//
// Layout under dir(): "<account-key>/<id>.eml" for waiting messages, and
// "quarantine/TOOLARGE/...", "quarantine/BADMAIL/..." for refused ones.
// Paths handed around are relative to dir().
class Spool
{
public:
    explicit Spool(const QString &dir);

    Result init(); // creates the directory tree
    QString dir() const { return m_dir; }
    QString absolutePath(const QString &relativePath) const;

    // The directory name of an account's messages: derived from the name so that any name
    // (even "../x", "quarantine" or one differing only in case) is safe and distinct.
    static QString accountKey(const QString &account);

    // Streams one message into a new spool file.
    class Writer
    {
    public:
        ~Writer();                                      // discards an unfinished file
        Result write(const char *data, qsizetype size); // buffered (QFile)
        Result finish(); // flush and close; the file is not durable until makeDurable()
        void discard();  // remove the partial file
        QString relativePath() const { return m_relative; }
        qint64 size() const { return m_size; }

    private:
        friend class Spool;
        Writer() = default;
        QFile m_file;
        QString m_relative;
        qint64 m_size = 0;
        bool m_finished = false;
    };

    // Starts a file for a message of `account`; null with `error` set when it cannot.
    std::unique_ptr<Writer> create(const QString &account, Result &error);

    // Every file (finished) and the folders holding them on the disk: one syncfs of the
    // spool's file system, or where there is none fsync of every file, then of every
    // folder. Call before recording the batch in the database.
    Result makeDurable(const QStringList &relativePaths);

    Result remove(const QString &relativePath);

    // Moves a message into quarantine/<folder>/, durably; newRelativePath receives its new
    // place.
    Result quarantine(const QString &relativePath, QuarantineFolder folder,
                      QString &newRelativePath);

    // Where quarantine() would have put the file at relativePath, if a file is there (an
    // interrupted quarantine: moved, but the move never recorded); empty when none is.
    QString findQuarantined(const QString &relativePath) const;

    // Removes message files (not quarantine) that `known` does not list; returns how many.
    // Call only while no Writer is open (e.g. at startup, before the first pass).
    int removeOrphans(const QSet<QString> &known);

private:
    // Rejects absolute paths and paths that leave the spool.
    Result resolve(const QString &relativePath, QString &absolute) const;
    QString m_dir;
    // Opened by init(), before any file it covers is written (see FileSystemSync).
    std::shared_ptr<FileSystemSync> m_fsSync;
    QSet<QString> m_madeDirs; // account keys whose folder create() made (or found)
};

} // namespace pollux
