#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QString>

namespace pollux::secretfiles {

// The platform seam of FileSecretStore: file modes, owners, fsync and atomic replacement.
// Everything Unix-specific of the file backend is here; the rules (which mode and owner are
// acceptable) are in FileSecretStore. On Windows the owner is always 0 and the mode 0600, so
// the rules pass, and writes go through QSaveFile (no fsync of the folder, no owner change).

struct Status
{
    bool exists = false;
    bool isDirectory = false;
    bool isRegularFile = false;
    bool isSymlink = false; // only from readFile(), which never follows one
    unsigned mode = 0;      // permission bits, e.g. 0700
    unsigned owner = 0;     // user id
    unsigned group = 0;     // group id
};

// The folder (or file) at `path`, following symbolic links.
Status status(const QString &path);

// The user this process acts as (geteuid()), and whether it may act for any user (root).
unsigned effectiveUser();
bool isPrivileged();
// "pollux", or the number when the user has no name.
QString userName(unsigned uid);

// Creates the folder `path` with mode 0700. When `chownTo` is given (the privileged case),
// the folder is then given to that user and group; only the last path element is created.
// Without it, every missing parent is created 0700 as well.
struct Owner
{
    unsigned user = 0;
    unsigned group = 0;
};
Result makeFolder(const QString &path, const Owner *chownTo);

// Reads `path` without following a symbolic link; `st` is the status of the opened file
// (fstat, so it describes exactly what was read). A missing file is success with
// st.exists == false. More than `maxBytes` is an error.
Result readFile(const QString &path, qint64 maxBytes, QByteArray &data, Status &st);

// Replaces `folder`/`name` with `data` so that a reader sees the old or the new content,
// never a mix or a short file, also after a crash or a full disk: a new temporary file in
// the same folder (mode 0600, O_EXCL), written completely, fsync'ed, given to `chownTo` when
// set, renamed over `name`, and the folder fsync'ed. On any failure the temporary file is
// removed and `name` is untouched. Temporary files start with "." + name + ".tmp-".
Result replaceFile(const QString &folder, const QString &name, const QByteArray &data,
                   const Owner *chownTo);

// Removes `folder`/`name` (a missing file is success) and fsyncs the folder.
Result removeFile(const QString &folder, const QString &name);

// Removes temporary files of `name` an earlier, interrupted replaceFile() left behind.
void removeStaleTemporaries(const QString &folder, const QString &name);

} // namespace pollux::secretfiles
