#pragma once

#include "util/Result.h"

#include <QString>

namespace pollux {

// fsync a file's data (and metadata) to the disk. Errors -> ErrorCode::Storage with the path.
Result syncFile(const QString &path);
// fsync a directory, so that file creations, renames and deletions in it are durable.
Result syncDirectory(const QString &path);

} // namespace pollux
