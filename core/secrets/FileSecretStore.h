#pragma once

#include "secrets/SecretStore.h"

#include <QHash>
#include <QMutex>
#include <QString>

namespace pollux {

// The name of `key` as a file in the secrets folder and as a systemd credential:
// '/' becomes '.', the letters A-Z a-z, digits and '-' stay, every other UTF-8 byte is
// "_" and two hex digits. "account/Alice" -> "account.Alice", "smtp" -> "smtp",
// "oauth2-refresh/Bob" -> "oauth2-refresh.Bob", "account/info@firm.de" ->
// "account.info_40firm_2Ede". Safe in a unit file (no '%', ':' or '\'), in a shell and as
// a file name. Empty when the name would be longer than 200 characters.
QString secretFileName(const QString &key);

// SecretStore for a system service, where there is no desktop keychain (docs/SERVICE.md,
// "Secrets for the service"):
//
// - Secrets are files in one folder, one file per key, named by secretFileName(). The
//   folder must have mode 0700 and each file 0600, both owned by the user Pollux runs as
//   (the service's user); anything granting access to group or others, another owner, a
//   symbolic link or a non-regular file is refused with a message naming the path, what is
//   wrong and the command that fixes it. Run as root (pollux password set for the
//   service), any folder owner is accepted and files written are given to the folder's
//   owner, so the service can read and rewrite them.
// - Writes replace a file atomically (secretfiles::replaceFile: temporary file, fsync,
//   rename, fsync of the folder): a reader sees the old or the new secret, never a part.
// - With a credentials folder (systemd's $CREDENTIALS_DIRECTORY: LoadCredential= and
//   LoadCredentialEncrypted=), a credential of the key's name is read from there. Those
//   are read-only: a write (an OAuth2 refresh token the service rotates) goes to the
//   secrets folder and records which credential it replaced (a SHA-256 of its content).
//   Precedence: a written file wins while the credential is the one it was written over
//   (or there is none); once an admin installs a different credential, the credential
//   wins. A file written without any credential present (pollux password set from a
//   shell, which cannot see the service's credentials) always wins. remove() of a key that
//   has a credential writes a "removed" marker with the same rule.
// - Files written by hand are read as they are, less one trailing newline (as `echo`
//   writes); the same for credentials.
// - Missing: ErrorCode::Secrets "no password stored for <key> in the secrets folder
//   <folder> ...; store it with: <commandPrefix>pollux password set ...".
//
// The I/O is synchronous (a few small local files); the callback is posted to the calling
// thread's event loop, as with the keychain. Thread-safe.
class FileSecretStore : public SecretStore
{
public:
    struct Options
    {
        QString folder;               // the secrets folder
        QString credentialsDirectory; // $CREDENTIALS_DIRECTORY, or empty
        // Put before "pollux password set ..." in the missing message, e.g.
        // "POLLUX_SECRETS=file " (ends with a space when not empty).
        QString commandPrefix;
    };
    explicit FileSecretStore(const Options &options);

    const Options &options() const { return m_options; }

    void read(const QString &key, ReadCallback done) override;
    void write(const QString &key, const QString &secret, WriteCallback done) override;
    void remove(const QString &key, WriteCallback done) override;

    // The synchronous work behind read(), write() and remove() (for tests and callers
    // without an event loop).
    Result readNow(const QString &key, QString &secret);
    Result writeNow(const QString &key, const QString &secret);
    Result removeNow(const QString &key);

    // Largest secret file or credential read (1 MiB).
    static constexpr qint64 kMaxBytes = 1024 * 1024;

private:
    struct Credential
    {
        bool present = false;
        QByteArray value;
        QByteArray hash; // "sha256:<hex>"
    };
    Result readCredential(const QString &name, Credential &credential) const;
    Result checkFolder(bool forWriting, bool &exists, unsigned &owner, unsigned &group);
    Result writeEntry(const QString &key, const QByteArray &body, bool removed);
    void noteSource(const QString &key, const QString &source);

    Options m_options;
    QMutex m_mutex;
    QHash<QString, QString> m_lastSource; // key -> where the last read came from (for the log)
};

} // namespace pollux
