#pragma once

#include "secrets/SecretStore.h"

#include <QString>

#include <atomic>
#include <memory>

namespace pollux {

// Where secrets live for this process, chosen once from its environment
// (docs/SERVICE.md, "Secrets for the service"):
//
// 1. POLLUX_SECRETS=keychain or =file decides ("auto" or unset: go on; anything else is an
//    error every secret operation reports).
// 2. $CREDENTIALS_DIRECTORY set (a systemd service with LoadCredential[Encrypted]=): files.
// 3. A Secret Service on the D-Bus session bus (org.freedesktop.secrets owned or
//    activatable): the keychain, as on a desktop. Otherwise (a system service, a root
//    shell, an ssh session without a session bus): files.
//
// The files' folder: $POLLUX_SECRETS_DIR; else $STATE_DIRECTORY/secrets (systemd's
// StateDirectory= of the service); else, for root, kServiceSecretsFolder (so that
// `sudo pollux password set` writes where the packaged service reads); else the user's
// data folder's "secrets" (~/.local/share/Pollux/secrets).
enum class SecretBackend
{
    Keychain, // KeychainSecretStore
    Files,    // FileSecretStore, with systemd credentials when there are
    Invalid,  // POLLUX_SECRETS has a value we do not know
};

struct SecretBackendChoice
{
    SecretBackend backend = SecretBackend::Keychain;
    QString reason;               // why, for the log: "POLLUX_SECRETS=file", "no D-Bus ..."
    QString keychainService;      // Keychain
    QString folder;               // Files
    QString credentialsDirectory; // Files, when $CREDENTIALS_DIRECTORY is set
    QString commandPrefix;        // Files: what `pollux password set` needs in front
};

// The service's secrets folder when it runs from the package (StateDirectory=pollux).
inline constexpr char kServiceSecretsFolder[] = "/var/lib/pollux/secrets";

// Decides as described above; asks the session bus (`probeTimeoutMs` for each question;
// see secretServiceReachable() for a bus that never answers).
SecretBackendChoice chooseSecretBackend(const QString &keychainService, int probeTimeoutMs = 3000);
// One line for the start of the log, e.g. "secrets: files in /var/lib/pollux/secrets and
// systemd credentials in /run/credentials/pollux.service (no D-Bus session bus)".
QString describe(const SecretBackendChoice &choice);
// chooseSecretBackend() + describe().
QString describeSecretBackend(const QString &keychainService = QStringLiteral("Pollux"));

// Whether a Secret Service answers on the session bus; `why` says what was found.
// False without any session bus (DBUS_SESSION_BUS_ADDRESS unset and no
// $XDG_RUNTIME_DIR/bus). Never starts a bus. Blocks the calling thread.
bool secretServiceReachable(int timeoutMs, QString *why);

// The store of a choice (for callers that keep a pointer).
std::unique_ptr<SecretStore> makeSecretStore(const SecretBackendChoice &choice);

// The store the environment chooses, as a value: construction sites write
// `ChosenSecretStore secrets(keychainService());` where they had a KeychainSecretStore.
// The choice is made in the constructor and written to the log (qInfo) on the first use,
// once the log file is installed.
class ChosenSecretStore : public SecretStore
{
public:
    explicit ChosenSecretStore(const QString &keychainService = QStringLiteral("Pollux"));
    explicit ChosenSecretStore(const SecretBackendChoice &choice);
    ~ChosenSecretStore() override;

    const SecretBackendChoice &choice() const { return m_choice; }
    QString describe() const { return pollux::describe(m_choice); }

    void read(const QString &key, ReadCallback done) override;
    void write(const QString &key, const QString &secret, WriteCallback done) override;
    void remove(const QString &key, WriteCallback done) override;

private:
    void logOnce();

    SecretBackendChoice m_choice;
    std::unique_ptr<SecretStore> m_store; // null for Invalid
    std::atomic<bool> m_logged{false};
};

} // namespace pollux
