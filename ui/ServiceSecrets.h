#pragma once

#include "secrets/SecretStore.h"

#include <functional>

namespace pollux::ui {

// The secret store of a tray attached to a Pollux service (docs/SERVICE.md): the service
// keeps its own passwords and tokens (its secrets folder or systemd credentials), which
// this user can neither read nor write. Reads and writes answer ErrorCode::Secrets with
// serviceOwnedMessage(): the password fields say who stores it and with which command,
// and a password typed here never lands in this user's keychain, where the service would
// not find it. Removing succeeds and changes nothing (an admin removes the service's).
class ServiceSecrets : public SecretStore
{
public:
    // The service's configuration file (the control socket's hello), asked at each call.
    explicit ServiceSecrets(std::function<QString()> serviceConfigPath);

    void read(const QString &key, ReadCallback done) override;
    void write(const QString &key, const QString &secret, WriteCallback done) override;
    void remove(const QString &key, WriteCallback done) override;

    // "kept by the Pollux service; an admin stores it with: sudo pollux password set ..."
    static Result serviceOwned(const QString &key, const QString &serviceConfigPath);
    static bool isServiceOwned(const Result &result);
    // The command part of such a result (after "with: "); empty if there is none.
    static QString command(const Result &result);

private:
    std::function<QString()> m_configPath;
};

} // namespace pollux::ui
