#pragma once

#include "util/Result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace pollux {

// What a secret belongs to; secretKey() spells the keychain key, nowhere else does.
enum class SecretKind
{
    Account, // "account/<name>": the mailbox password (or OAuth2 token)
    Smtp,    // "smtp": the office server's password (also the SMTP directory probe's)
    Ldap,    // "ldap": the directory's bind password
    // "oauth2-refresh/<name>": the account's OAuth2 refresh token (core/oauth)
    OAuth2Refresh,
    // "oauth2-client/<name>": the client secret of the account's app registration, where
    // the provider requires one (Google, Microsoft 365 app-only, a confidential client)
    OAuth2ClientSecret,
};
QString secretKey(SecretKind kind, const QString &account = QString());

// The command that stores the secret of `key` from a terminal ("pollux password set NAME",
// "... --smtp", "... --ldap"; with POLLUX_KEYCHAIN_SERVICE=... in front when `service` is
// not the default "Pollux"); empty for a key no command stores.
QString passwordSetCommand(const QString &key, const QString &service);
// What a read of a missing entry answers: ErrorCode::Secrets, "no password stored for
// <key> in the keychain (service "<service>"); store it with: <command>". The UI tells
// it by its start (ui::ErrorText::isMissingSecret) and names its own way to store it.
Result missingSecret(const QString &key, const QString &service);

// Where passwords live, under the keys secretKey() makes.
// Asynchronous, so the GUI thread never waits on the keychain; the callback runs in the
// thread that made the call (which needs an event loop).
class SecretStore
{
public:
    virtual ~SecretStore() = default;
    using ReadCallback = std::function<void(Result, QString secret)>;
    using WriteCallback = std::function<void(Result)>;

    // A missing entry is ErrorCode::Secrets with a message saying it is missing.
    virtual void read(const QString &key, ReadCallback done) = 0;
    virtual void write(const QString &key, const QString &secret, WriteCallback done) = 0;
    virtual void remove(const QString &key, WriteCallback done) = 0;

    // Blocks the calling thread (spins a local event loop) for at most timeoutMs.
    // For worker threads and the headless command line only, never the GUI thread.
    Result readSync(const QString &key, QString &secret, int timeoutMs = 30000);
    Result writeSync(const QString &key, const QString &secret, int timeoutMs = 30000);
};

} // namespace pollux
