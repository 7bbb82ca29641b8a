#pragma once

#include "config/Config.h"
#include "oauth/TokenResponse.h"
#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>

namespace pollux {

namespace oauth {
class TokenSource;
}
class SecretStore;

// The access tokens of one OAuth2 account (AccountConfig::signIn not Password), for its
// passes: a TokenSource for the provider of oauth::providerFor(account) (grant
// ClientCredentials when app-only, else RefreshToken), created at the first request with the
// client secret read from the keychain ("oauth2-client/<name>") when oauth2.clientSecret is
// set. Lives as long as the account's poller, in its thread, so the access token is cached
// across passes and renewed before it expires.
class OAuthAccess : public QObject
{
    Q_OBJECT
public:
    OAuthAccess(const AccountConfig &account, SecretStore *secrets, QObject *parent = nullptr);
    ~OAuthAccess() override;

    // result ok: `token` is the access token; `cached`: it came from the cache, without a
    // request (so a refused login may try once more with a new one). Failures are
    // tokenFailure()'s: SignInNeeded, or a temporary error naming the token endpoint.
    using Callback = std::function<void(const Result &result, const QString &token, bool cached)>;
    void accessToken(Callback done);
    // The mailbox refused the cached token: the next accessToken() asks for a new one.
    void invalidate();
    // A new sign-in was stored: forget the cached token and read the keychain again.
    void reset();

    // What an OAuthError means for `account`, in plain words: SignInNeeded ("sign-in needed
    // for account X: the provider refused the stored sign-in (invalid_grant: ...); sign in
    // again") or an error that names the token endpoint's host.
    static Result tokenFailure(const AccountConfig &account, oauth::OAuthError error,
                               const QString &detail);

    // TokenSource::refusedFingerprint() of the live source (empty: none, or app-only).
    QByteArray refusedFingerprint() const;

    // For tests: the live token source (null before the first request).
    oauth::TokenSource *source() const { return m_source.get(); }

signals:
    // The provider stated when the refresh token expires (at a refresh, rotated or not).
    void refreshExpiryStated(const QDateTime &expiresAt);

private:
    void create(const QString &clientSecret);
    void finishWaiting(const Result &result);

    AccountConfig m_account;
    SecretStore *m_secrets;
    std::unique_ptr<oauth::TokenSource> m_source;
    bool m_readingSecret = false;
    QList<Callback> m_waiting;           // before the source exists
    QHash<quint64, Callback> m_inFlight; // asked of the source, not answered yet
    quint64 m_lastRequest = 0;
    quint64 m_generation = 0; // reset() counts up: answers for an older source are dropped
};

} // namespace pollux
