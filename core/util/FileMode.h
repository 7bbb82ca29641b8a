#pragma once

#include <QFile>
#include <QString>

namespace pollux {

// Mail, the database, the log and the transcripts belong to the user who runs Pollux, not
// to every local user: files are created 0600 and folders 0700, whatever the umask (a mode
// given at creation can only be narrowed by the umask, never widened).
//
// The mode bits are Unix. On Windows Qt turns the same permissions into the ACL of a file
// or folder it creates; makePrivate() does nothing there and isPrivate() only checks that
// the path exists (tightening an existing ACL would go here).
namespace filemode {

// Creates `path` and every missing parent; each folder created here is 0700. An existing
// folder is left as it is (see makePrivate() to tighten one). False when it cannot be
// created or is not a folder.
bool makePrivatePath(const QString &path);

// Opens `file`; when it creates the file, it is created 0600 (never a moment wider).
// An existing file keeps its mode. `mode` as for QFile::open().
bool openPrivate(QFile &file, QIODevice::OpenMode mode);

// Creates an empty file 0600 when `path` does not exist yet (for files another library
// opens, e.g. the SQLite database). True when the file exists afterwards.
bool ensurePrivateFile(const QString &path);

// Removes the group and other bits of an existing file or folder (0600 / 0700 for what we
// create). Returns true when it had any and they were removed: the caller may log it.
bool makePrivate(const QString &path);

// True when `path` exists and grants nothing to group or others (always true on Windows).
bool isPrivate(const QString &path);

} // namespace filemode
} // namespace pollux
