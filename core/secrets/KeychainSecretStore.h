#pragma once

#include "secrets/SecretStore.h"

#include <QString>

namespace pollux {

// SecretStore on the platform keychain via QtKeychain (on Linux the Secret Service, e.g.
// GNOME Keyring or KWallet). Entries are (service, key) pairs; tests pass their own service
// name so they never touch the real "Pollux" entries.
//
// - A missing entry is missingSecret(): ErrorCode::Secrets "no password stored for <key>
//   ...", naming the command that stores it; remove() of a missing entry succeeds.
// - "No backend" and other backend failures are retried once after a short delay (the
//   Secret Service may still be starting at login), then reported as ErrorCode::Secrets.
// - QtKeychain jobs are not thread-safe: every job runs in the application's main thread;
//   the callback comes back to the calling thread (which needs an event loop).
// - Jobs delete themselves when finished; nothing deletes a running job, so destroying the
//   store while a request runs is safe (the callback still arrives).
class KeychainSecretStore : public SecretStore
{
public:
    explicit KeychainSecretStore(const QString &service = QStringLiteral("Pollux"));

    QString service() const { return m_service; }
    // Delay before the one retry after a backend failure (default 500 ms).
    void setRetryDelay(int ms) { m_retryDelayMs = ms; }

    void read(const QString &key, ReadCallback done) override;
    void write(const QString &key, const QString &secret, WriteCallback done) override;
    void remove(const QString &key, WriteCallback done) override;

private:
    QString m_service;
    int m_retryDelayMs = 500;
};

} // namespace pollux
