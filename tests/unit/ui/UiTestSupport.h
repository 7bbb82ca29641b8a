#pragma once

#include "config/Config.h"
#include "secrets/SecretStore.h"

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QMetaObject>

namespace pollux::test {

// Secrets in memory; answers later (queued), like a keychain. `unavailable`: every call
// fails the way a missing keychain does.
class FakeSecretStore final : public SecretStore
{
public:
    bool unavailable = false;
    QHash<QString, QString> secrets;
    int writes = 0;

    void read(const QString &key, ReadCallback done) override
    {
        const Result r = unavailable ? noKeychain()
                         : secrets.contains(key)
                             ? Result::success()
                             : Result::failure(ErrorCode::Secrets,
                                               QStringLiteral("no password stored for ") + key);
        const QString secret = secrets.value(key);
        later([done, r, secret] { done(r, secret); });
    }
    void write(const QString &key, const QString &secret, WriteCallback done) override
    {
        if (!unavailable) {
            secrets.insert(key, secret);
            ++writes;
        }
        const Result r = unavailable ? noKeychain() : Result::success();
        later([done, r] { done(r); });
    }
    void remove(const QString &key, WriteCallback done) override
    {
        if (!unavailable)
            secrets.remove(key);
        const Result r = unavailable ? noKeychain() : Result::success();
        later([done, r] { done(r); });
    }

private:
    static Result noKeychain()
    {
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("no keychain is available: no Secret Service"));
    }
    template <typename Fn> static void later(Fn fn)
    {
        QMetaObject::invokeMethod(QAbstractEventDispatcher::instance(), fn, Qt::QueuedConnection);
    }
};

// An account's settings as the configuration file writes them (to compare two accounts).
inline QByteArray accountJson(const AccountConfig &account)
{
    Config c;
    c.accounts << account;
    return c.toJson();
}

} // namespace pollux::test
