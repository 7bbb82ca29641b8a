#pragma once

#include "util/Result.h"

#include <QString>

namespace pollux {

// fsync a file's data (and metadata) to the disk. Errors -> ErrorCode::Storage with the path.
Result syncFile(const QString &path);
// fsync a directory, so that file creations, renames and deletions in it are durable.
Result syncDirectory(const QString &path);
// Every file and directory of the file system that holds `path` on the disk, in one flush
// (Linux syncfs: written out together, the disk's cache flushed once). `supported` is false
// where there is no such call (nothing was done): sync file by file instead.
Result syncFileSystem(const QString &path, bool &supported);

// The same through a handle opened beforehand. Linux reports a write-back error to each
// open file once, and only for errors after it was opened: a handle opened just for the
// sync misses an error the kernel met while writing a file out earlier (the file is then
// corrupt on the disk while the sync says all is well). Open it before the files it is to
// cover are written, and keep it: each sync reports every error since the one before.
class FileSystemSync
{
public:
    explicit FileSystemSync(const QString &path);
    ~FileSystemSync();
    FileSystemSync(const FileSystemSync &) = delete;
    FileSystemSync &operator=(const FileSystemSync &) = delete;

    Result sync(bool &supported);

private:
    QString m_path;
    int m_fd = -1;
    int m_openError = 0;
};

} // namespace pollux
