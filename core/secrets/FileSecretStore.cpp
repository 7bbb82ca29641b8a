#include "secrets/FileSecretStore.h"

#include "secrets/SecretFiles.h"

#include <QAbstractEventDispatcher>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QMutexLocker>
#include <QThread>
#include <QTimer>

namespace pollux {

namespace {

const QByteArray kMagic = QByteArrayLiteral("pollux-secret 1\n");
const QByteArray kCredentialHeader = QByteArrayLiteral("credential ");
const QByteArray kRemovedHeader = QByteArrayLiteral("removed");

QString octal(unsigned mode)
{
    return QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'));
}

// One file of the secrets folder, parsed.
struct Entry
{
    bool present = false;
    bool removed = false;
    QByteArray basis; // the credential it was written over, "sha256:<hex>"
    QByteArray value;
};

QByteArray withoutTrailingNewline(QByteArray data)
{
    if (data.endsWith('\n')) {
        data.chop(1);
        if (data.endsWith('\r'))
            data.chop(1);
    }
    return data;
}

bool parseEntry(const QByteArray &data, Entry &entry)
{
    entry.present = true;
    if (!data.startsWith(kMagic)) { // written by hand
        entry.value = withoutTrailingNewline(data);
        return true;
    }
    qsizetype pos = kMagic.size();
    for (;;) {
        const qsizetype end = data.indexOf('\n', pos);
        if (end < 0)
            return false; // the header never ends: not ours, or damaged
        const QByteArray line = data.mid(pos, end - pos);
        pos = end + 1;
        if (line.isEmpty())
            break;
        if (line.startsWith(kCredentialHeader))
            entry.basis = line.mid(kCredentialHeader.size());
        else if (line == kRemovedHeader)
            entry.removed = true;
        // Other header lines (a later version's) are skipped.
    }
    entry.value = data.mid(pos);
    return true;
}

QByteArray hashOf(const QByteArray &value)
{
    return QByteArrayLiteral("sha256:") +
           QCryptographicHash::hash(value, QCryptographicHash::Sha256).toHex();
}

// Runs `call` in the calling thread's event loop, after the caller's statement, as the
// keychain does; at once when the thread has no event dispatcher.
void post(std::function<void()> call)
{
    if (QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance())
        QTimer::singleShot(0, dispatcher, std::move(call));
    else
        call();
}

} // namespace

QString secretFileName(const QString &key)
{
    QString name;
    const QByteArray utf8 = key.toUtf8();
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-')
            name += QLatin1Char(c);
        else if (u == '/')
            name += QLatin1Char('.');
        else
            name += QStringLiteral("_%1").arg(u, 2, 16, QLatin1Char('0')).toUpper();
    }
    if (name.isEmpty() || name.size() > 200)
        return {};
    return name;
}

FileSecretStore::FileSecretStore(const Options &options) : m_options(options) {}

void FileSecretStore::read(const QString &key, ReadCallback done)
{
    QString secret;
    const Result result = readNow(key, secret);
    post([done = std::move(done), result, secret]() mutable {
        done(result, secret);
        secret.fill(QLatin1Char('\0'));
    });
}

void FileSecretStore::write(const QString &key, const QString &secret, WriteCallback done)
{
    const Result result = writeNow(key, secret);
    post([done = std::move(done), result] { done(result); });
}

void FileSecretStore::remove(const QString &key, WriteCallback done)
{
    const Result result = removeNow(key);
    post([done = std::move(done), result] { done(result); });
}

Result FileSecretStore::readCredential(const QString &name, Credential &credential) const
{
    credential = {};
    if (m_options.credentialsDirectory.isEmpty())
        return Result::success();
    // systemd owns this folder (read-only, only for the service): no mode rules here.
    secretfiles::Status st;
    QByteArray data;
    const QString path = m_options.credentialsDirectory + QLatin1Char('/') + name;
    if (Result r = secretfiles::readFile(path, kMaxBytes, data, st); !r)
        return r;
    if (!st.exists)
        return Result::success();
    if (!st.isRegularFile)
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("the credential %1 is not a regular file").arg(path));
    credential.present = true;
    credential.hash = hashOf(data);
    credential.value = withoutTrailingNewline(data);
    data.fill('\0');
    return Result::success();
}

Result FileSecretStore::checkFolder(bool forWriting, bool &exists, unsigned &owner, unsigned &group)
{
    const QString &folder = m_options.folder;
    secretfiles::Status st = secretfiles::status(folder);
    exists = st.exists;
    if (!st.exists && forWriting) {
        if (secretfiles::isPrivileged()) {
            // For the service: the folder goes to the user of the folder it is in (the
            // service's state folder, /var/lib/pollux), who then reads and rewrites it.
            const QString parent = QFileInfo(folder).path();
            const secretfiles::Status up = secretfiles::status(parent);
            if (!up.isDirectory)
                return Result::failure(
                    ErrorCode::Secrets,
                    QStringLiteral("cannot create the secrets folder %1: the folder %2 does not "
                                   "exist (it is the service's state folder; starting the "
                                   "service once creates it)")
                        .arg(folder, parent));
            const secretfiles::Owner to{up.owner, up.group};
            if (Result r = secretfiles::makeFolder(folder, &to); !r)
                return r;
        } else if (Result r = secretfiles::makeFolder(folder, nullptr); !r) {
            return r;
        }
        st = secretfiles::status(folder);
        exists = st.exists;
    }
    if (!st.exists)
        return Result::success();
    if (!st.isDirectory)
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("the secrets folder %1 is not a folder").arg(folder));
    const unsigned me = secretfiles::effectiveUser();
    const QString ownerName = secretfiles::userName(st.owner);
    if ((st.mode & 077) != 0)
        return Result::failure(
            ErrorCode::Secrets,
            QStringLiteral("the secrets folder %1 is open to other users (mode %2); it must have "
                           "mode 0700 and belong to the user Pollux runs as (%3): chmod 700 %1")
                .arg(folder, octal(st.mode),
                     secretfiles::isPrivileged() ? ownerName : secretfiles::userName(me)));
    if (!secretfiles::isPrivileged() && st.owner != me)
        return Result::failure(
            ErrorCode::Secrets,
            QStringLiteral("the secrets folder %1 belongs to %2, not to %3 whom Pollux runs as; "
                           "it must have mode 0700 and belong to the user Pollux runs as: run "
                           "Pollux as %4, or chown %3 %1")
                .arg(folder, ownerName, secretfiles::userName(me),
                     st.owner == 0 ? ownerName : ownerName + QStringLiteral(" (or as root)")));
    owner = st.owner;
    group = st.group;
    return Result::success();
}

Result FileSecretStore::readNow(const QString &key, QString &secret)
{
    const QString name = secretFileName(key);
    if (name.isEmpty())
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("the secret name %1 is too long").arg(key));
    QMutexLocker lock(&m_mutex);
    Credential credential;
    if (Result r = readCredential(name, credential); !r)
        return r;
    bool folderExists = false;
    unsigned owner = 0;
    unsigned group = 0;
    if (Result r = checkFolder(false, folderExists, owner, group); !r)
        return r;
    Entry entry;
    const QString path = m_options.folder + QLatin1Char('/') + name;
    if (folderExists) {
        secretfiles::Status st;
        QByteArray data;
        if (Result r = secretfiles::readFile(path, kMaxBytes, data, st); !r)
            return r;
        if (st.exists) {
            if (st.isSymlink || !st.isRegularFile)
                return Result::failure(ErrorCode::Secrets,
                                       QStringLiteral("the secret file %1 is not a plain file (a "
                                                      "symbolic link or another kind); it must "
                                                      "be a file with mode 0600")
                                           .arg(path));
            if ((st.mode & 077) != 0)
                return Result::failure(
                    ErrorCode::Secrets,
                    QStringLiteral("the secret file %1 is open to other users (mode %2); it must "
                                   "have mode 0600 and belong to %3: chmod 600 %1")
                        .arg(path, octal(st.mode), secretfiles::userName(owner)));
            if (st.owner != owner)
                return Result::failure(
                    ErrorCode::Secrets,
                    QStringLiteral("the secret file %1 belongs to %2, but its folder to %3, so "
                                   "the service cannot read it; it must have mode 0600 and "
                                   "belong to %3: chown %3 %1")
                        .arg(path, secretfiles::userName(st.owner), secretfiles::userName(owner)));
            const bool parsed = parseEntry(data, entry);
            data.fill('\0');
            if (!parsed)
                return Result::failure(
                    ErrorCode::Secrets,
                    QStringLiteral("the secret file %1 is damaged (its header never ends); "
                                   "store the secret again")
                        .arg(path));
        }
    }
    // Which one counts (see the header): the file, unless it was written over another
    // credential than the one there now.
    const bool fileWins = entry.present && (!credential.present || entry.basis.isEmpty() ||
                                            entry.basis == credential.hash);
    if (fileWins && !entry.removed) {
        secret = QString::fromUtf8(entry.value);
        entry.value.fill('\0');
        lock.unlock();
        noteSource(key, credential.present ? path +
                                                 QStringLiteral(" (it replaces the systemd "
                                                                "credential ") +
                                                 name + QLatin1Char(')')
                                           : path);
        return Result::success();
    }
    if (!fileWins && credential.present) {
        secret = QString::fromUtf8(credential.value);
        credential.value.fill('\0');
        lock.unlock();
        noteSource(
            key,
            QStringLiteral("the systemd credential %1%2")
                .arg(name, entry.present
                               ? QStringLiteral(" (newer than the value written to %1)").arg(path)
                               : QString()));
        return Result::success();
    }
    QString message = QStringLiteral("no password stored for %1 in the secrets folder %2")
                          .arg(key, m_options.folder);
    if (!m_options.credentialsDirectory.isEmpty())
        message += QStringLiteral(" nor as the systemd credential %1").arg(name);
    const QString command = passwordSetCommand(key, QStringLiteral("Pollux"));
    if (!command.isEmpty())
        message += QStringLiteral("; store it with: ") + m_options.commandPrefix + command;
    return Result::failure(ErrorCode::Secrets, message);
}

Result FileSecretStore::writeEntry(const QString &key, const QByteArray &body, bool removed)
{
    const QString name = secretFileName(key);
    if (name.isEmpty())
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("the secret name %1 is too long").arg(key));
    QMutexLocker lock(&m_mutex);
    Credential credential;
    if (Result r = readCredential(name, credential); !r)
        return r;
    credential.value.fill('\0');
    if (removed && !credential.present)
        return Result::success(); // the caller removed the file; nothing to hide
    bool folderExists = false;
    unsigned owner = 0;
    unsigned group = 0;
    if (Result r = checkFolder(true, folderExists, owner, group); !r)
        return r;
    QByteArray data = kMagic;
    if (credential.present)
        data += kCredentialHeader + credential.hash + '\n';
    if (removed)
        data += kRemovedHeader + '\n';
    data += '\n';
    data += body;
    secretfiles::removeStaleTemporaries(m_options.folder, name);
    const secretfiles::Owner to{owner, group};
    const Result result = secretfiles::replaceFile(m_options.folder, name, data,
                                                   secretfiles::isPrivileged() ? &to : nullptr);
    data.fill('\0');
    return result;
}

Result FileSecretStore::writeNow(const QString &key, const QString &secret)
{
    QByteArray body = secret.toUtf8();
    const Result result = writeEntry(key, body, false);
    body.fill('\0');
    return result;
}

Result FileSecretStore::removeNow(const QString &key)
{
    const QString name = secretFileName(key);
    if (name.isEmpty())
        return Result::success(); // never stored
    {
        QMutexLocker lock(&m_mutex);
        bool folderExists = false;
        unsigned owner = 0;
        unsigned group = 0;
        if (Result r = checkFolder(false, folderExists, owner, group); !r)
            return r;
        if (folderExists) {
            if (Result r = secretfiles::removeFile(m_options.folder, name); !r)
                return r;
        }
    }
    // A credential cannot be removed from here: a marker hides it until it changes.
    return writeEntry(key, QByteArray(), true);
}

void FileSecretStore::noteSource(const QString &key, const QString &source)
{
    QMutexLocker lock(&m_mutex);
    if (m_lastSource.value(key) == source)
        return;
    m_lastSource.insert(key, source);
    lock.unlock();
    qInfo("secrets: %s from %s", qPrintable(key), qPrintable(source));
}

} // namespace pollux
