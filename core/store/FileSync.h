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

} // namespace pollux
