#include "secrets/ChosenSecretStore.h"

#include "secrets/FileSecretStore.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretFiles.h"

#include <QAtomicInt>
#include <QFileInfo>
#include <QStandardPaths>

#ifdef Q_OS_LINUX
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#endif

namespace pollux {

namespace {

QString fromEnvironment(const char *name)
{
    return qEnvironmentVariable(name).trimmed();
}

QString filesFolder(QString *prefix)
{
    const QString explicitFolder = fromEnvironment("POLLUX_SECRETS_DIR");
    QString folder;
    if (!explicitFolder.isEmpty()) {
        folder = explicitFolder;
    } else if (const QString state = fromEnvironment("STATE_DIRECTORY"); !state.isEmpty()) {
        folder = state.section(QLatin1Char(':'), 0, 0) + QStringLiteral("/secrets");
    } else if (secretfiles::isPrivileged()) {
        folder = QString::fromLatin1(kServiceSecretsFolder);
    } else {
        folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                 QStringLiteral("/secrets");
    }
    // How `pollux password set` from an admin's shell finds the same folder: a root shell
    // finds the service's on its own; say POLLUX_SECRETS=file in case that shell has a
    // keychain of its own.
    *prefix = QStringLiteral("POLLUX_SECRETS=file ");
    if (folder != QLatin1String(kServiceSecretsFolder))
        *prefix += QStringLiteral("POLLUX_SECRETS_DIR=") + folder + QLatin1Char(' ');
    return folder;
}

SecretBackendChoice files(const QString &reason)
{
    SecretBackendChoice choice;
    choice.backend = SecretBackend::Files;
    choice.reason = reason;
    choice.folder = filesFolder(&choice.commandPrefix);
    choice.credentialsDirectory = fromEnvironment("CREDENTIALS_DIRECTORY");
    return choice;
}

// A store every operation of which fails with the same message (POLLUX_SECRETS unknown).
class FailingSecretStore : public SecretStore
{
public:
    explicit FailingSecretStore(const QString &message) : m_message(message) {}
    void read(const QString &, ReadCallback done) override
    {
        done(Result::failure(ErrorCode::Secrets, m_message), QString());
    }
    void write(const QString &, const QString &, WriteCallback done) override
    {
        done(Result::failure(ErrorCode::Secrets, m_message));
    }
    void remove(const QString &, WriteCallback done) override
    {
        done(Result::failure(ErrorCode::Secrets, m_message));
    }

private:
    QString m_message;
};

} // namespace

#ifdef Q_OS_LINUX
namespace {

bool probeSecretService(const QString &address, int timeoutMs, QString *why)
{
    static QAtomicInt counter;
    const QString name =
        QStringLiteral("pollux-secret-service-probe-%1").arg(counter.fetchAndAddRelaxed(1));
    bool reachable = false;
    {
        QDBusConnection bus = QDBusConnection::connectToBus(address, name);
        if (!bus.isConnected()) {
            *why = QStringLiteral("the D-Bus session bus cannot be reached (%1)")
                       .arg(bus.lastError().message());
        } else {
            const QString service = QStringLiteral("org.freedesktop.secrets");
            auto ask = [&bus, timeoutMs](const QString &method, const QVariantList &args) {
                QDBusMessage call = QDBusMessage::createMethodCall(
                    QStringLiteral("org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
                    QStringLiteral("org.freedesktop.DBus"), method);
                call.setArguments(args);
                return bus.call(call, QDBus::Block, timeoutMs);
            };
            const QDBusMessage owner = ask(QStringLiteral("NameHasOwner"), {service});
            if (owner.type() == QDBusMessage::ReplyMessage && owner.arguments().value(0).toBool()) {
                *why = QStringLiteral("Secret Service on the D-Bus session bus");
                reachable = true;
            } else {
                const QDBusMessage names = ask(QStringLiteral("ListActivatableNames"), {});
                if (names.type() == QDBusMessage::ReplyMessage &&
                    names.arguments().value(0).toStringList().contains(service)) {
                    *why = QStringLiteral("Secret Service activatable on the D-Bus session bus");
                    reachable = true;
                } else if (owner.type() == QDBusMessage::ErrorMessage) {
                    *why = QStringLiteral("the D-Bus session bus did not answer (%1)")
                               .arg(owner.errorMessage());
                } else {
                    *why = QStringLiteral("no Secret Service (org.freedesktop.secrets) on the "
                                          "D-Bus session bus");
                }
            }
        }
    }
    QDBusConnection::disconnectFromBus(name);
    return reachable;
}

} // namespace
#endif

bool secretServiceReachable(int timeoutMs, QString *why)
{
#ifdef Q_OS_LINUX
    QString address = qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS");
    if (address.isEmpty()) {
        // libdbus' default when the variable is unset (systemd's user bus).
        const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
        const QString socket = runtime + QStringLiteral("/bus");
        if (runtime.isEmpty() || !QFileInfo::exists(socket)) {
            *why = QStringLiteral("no D-Bus session bus");
            return false;
        }
        address = QStringLiteral("unix:path=") + socket;
    }
    // Known limit: a bus that takes the connection but never answers its Hello holds this
    // up for QtDBus' connection timeout (about 25 s), and then libdbus (Qt 6.4) aborts the
    // process ("last reference ... dropped without closing"). dbus-daemon always answers;
    // where a broken bus is to be expected, POLLUX_SECRETS=file skips the probe.
    return probeSecretService(address, timeoutMs, why);
#else
    Q_UNUSED(timeoutMs);
    *why = QStringLiteral("the system keychain");
    return true;
#endif
}

SecretBackendChoice chooseSecretBackend(const QString &keychainService, int probeTimeoutMs)
{
    SecretBackendChoice keychain;
    keychain.backend = SecretBackend::Keychain;
    keychain.keychainService = keychainService;

    const QString forced = fromEnvironment("POLLUX_SECRETS").toLower();
    if (forced == QLatin1String("keychain")) {
        keychain.reason = QStringLiteral("POLLUX_SECRETS=keychain");
        return keychain;
    }
    if (forced == QLatin1String("file") || forced == QLatin1String("files"))
        return files(QStringLiteral("POLLUX_SECRETS=file"));
    if (!forced.isEmpty() && forced != QLatin1String("auto")) {
        SecretBackendChoice invalid;
        invalid.backend = SecretBackend::Invalid;
        invalid.reason = QStringLiteral("POLLUX_SECRETS=%1 is not one of keychain, file, auto")
                             .arg(qEnvironmentVariable("POLLUX_SECRETS"));
        return invalid;
    }
    if (!fromEnvironment("CREDENTIALS_DIRECTORY").isEmpty())
        return files(QStringLiteral("systemd credentials given"));
    QString why;
    if (secretServiceReachable(probeTimeoutMs, &why)) {
        keychain.reason = why;
        return keychain;
    }
    return files(why);
}

QString describe(const SecretBackendChoice &choice)
{
    switch (choice.backend) {
    case SecretBackend::Keychain:
        return QStringLiteral("secrets: the keychain, service \"%1\" (%2)")
            .arg(choice.keychainService, choice.reason);
    case SecretBackend::Files: {
        QString text = QStringLiteral("secrets: files in %1").arg(choice.folder);
        if (!choice.credentialsDirectory.isEmpty())
            text +=
                QStringLiteral(" and systemd credentials in %1").arg(choice.credentialsDirectory);
        return text + QStringLiteral(" (%1)").arg(choice.reason);
    }
    case SecretBackend::Invalid:
        break;
    }
    return QStringLiteral("secrets: none usable (%1)").arg(choice.reason);
}

QString describeSecretBackend(const QString &keychainService)
{
    return describe(chooseSecretBackend(keychainService));
}

std::unique_ptr<SecretStore> makeSecretStore(const SecretBackendChoice &choice)
{
    switch (choice.backend) {
    case SecretBackend::Keychain:
        return std::make_unique<KeychainSecretStore>(choice.keychainService);
    case SecretBackend::Files: {
        FileSecretStore::Options options;
        options.folder = choice.folder;
        options.credentialsDirectory = choice.credentialsDirectory;
        options.commandPrefix = choice.commandPrefix;
        return std::make_unique<FileSecretStore>(options);
    }
    case SecretBackend::Invalid:
        break;
    }
    return std::make_unique<FailingSecretStore>(choice.reason);
}

ChosenSecretStore::ChosenSecretStore(const QString &keychainService)
    : ChosenSecretStore(chooseSecretBackend(keychainService))
{
}

ChosenSecretStore::ChosenSecretStore(const SecretBackendChoice &choice)
    : m_choice(choice), m_store(makeSecretStore(choice))
{
}

ChosenSecretStore::~ChosenSecretStore() = default;

void ChosenSecretStore::logOnce()
{
    if (!m_logged.exchange(true)) {
        if (m_choice.backend == SecretBackend::Invalid)
            qWarning("%s", qPrintable(describe()));
        else
            qInfo("%s", qPrintable(describe()));
    }
}

void ChosenSecretStore::read(const QString &key, ReadCallback done)
{
    logOnce();
    m_store->read(key, std::move(done));
}

void ChosenSecretStore::write(const QString &key, const QString &secret, WriteCallback done)
{
    logOnce();
    m_store->write(key, secret, std::move(done));
}

void ChosenSecretStore::remove(const QString &key, WriteCallback done)
{
    logOnce();
    m_store->remove(key, std::move(done));
}

} // namespace pollux
