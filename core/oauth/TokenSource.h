#pragma once

#include "oauth/TokenClient.h"

#include <QList>
#include <QObject>

#include <functional>

namespace pollux {
class SecretStore;
}

namespace pollux::oauth {

// Access tokens for one account, kept in memory only and renewed before they expire.
//  RefreshToken grant: the refresh token lives in the keychain under
//   secretKey(SecretKind::OAuth2Refresh, account). A rotated refresh token is written there
//   before the old one is forgotten, and the new access token is handed out only once the
//   write has finished. If the write fails, the new refresh token is kept in memory, for the
//   whole process (every TokenSource of the account renews with it, and it outlives the one
//   that received it); its write is tried again at the next renewal and when a TokenSource of
//   the account is destroyed. A refresh still on its way when its TokenSource is destroyed
//   goes on: a rotated token is written all the same.
//  ClientCredentials grant: a new token from the client ID and secret; nothing stored.
// One request at a time: callers that ask while a renewal runs wait for its answer, so a
// refresh token is never sent twice (a rotating server would end the grant). Across the
// TokenSources of one account in this process too (the engine's and "Test access"): a
// renewal waits while another one of the account runs, then reads the keychain again.
//
// A kill between the token response and the end of the keychain write leaves the keychain
// with the refresh token that was just used. Whether the next start still signs in depends
// on the server: one that keeps a used refresh token valid until it expires (Microsoft's
// rotation) renews with it; one that detects reuse (oidc-provider, RFC 6819 §5.2.2.3) refuses
// it and ends the grant: sign-in needed (InvalidGrant), never a silent failure. No client can
// close that window: the server consumes the old token before we see the new one.
class TokenSource : public QObject
{
    Q_OBJECT

public:
    enum class Grant
    {
        RefreshToken,
        ClientCredentials,
    };
    TokenSource(const Provider &provider, Grant grant, SecretStore *secrets, const QString &account,
                QObject *parent = nullptr);
    ~TokenSource() override;

    // Milliseconds since the epoch; for tests (default: the system clock).
    using Clock = std::function<qint64()>;
    void setClock(Clock clock) { m_clock = std::move(clock); }

    using AccessCallback =
        std::function<void(OAuthError error, const QString &accessToken, const QString &detail)>;
    // The cached access token while more than refreshMarginSecs() of its life is left,
    // otherwise a new one.
    void accessToken(AccessCallback done);
    // The server refused the cached token (authentication failure): the next accessToken()
    // renews it.
    void invalidate()
    {
        m_expiresAtMs = 0;
        m_accessToken.clear();
    }
    // After an interactive sign-in: writes its refresh token to the keychain (replacing any
    // old one) and caches its access token.
    void storeSignIn(const TokenSet &tokens, std::function<void(OAuthError, const QString &)> done);

    // How long before expiry a token counts as expired: a fifth of its life, at least 10 s,
    // at most 5 minutes.
    static qint64 refreshMarginSecs(qint64 lifetimeSecs);
    qint64 expiresAtMs() const { return m_expiresAtMs; }
    // accessToken() would answer from the cache, without a request.
    bool hasFreshToken() const { return !m_accessToken.isEmpty() && now() < m_refreshAtMs; }
    const Provider &provider() const;
    // SHA-256 of the refresh token the provider last refused (of "" when none was stored),
    // in memory only: tells a refused sign-in from a new one in the keychain without asking
    // the provider. Empty before any refusal.
    QByteArray refusedFingerprint() const { return m_refused; }
    static QByteArray fingerprint(const QString &refreshToken);

signals:
    // A token response stated the refresh token's lifetime (TokenSet::refreshExpiresIn): at
    // an interactive sign-in and at each refresh (rotated or not).
    void refreshLifetimeStated(qint64 refreshExpiresInSecs);

public:
    // A rotated refresh token of this account the keychain has not taken yet (the write
    // failed), in this process.
    bool hasUnsavedRefreshToken() const;
    // For tests that model a new process: forget every claim and unsaved token.
    static void forgetProcessState();

private:
    void renew();
    void refreshWith(const QString &refreshToken);
    void accept(const TokenSet &tokens);
    void finishAll(OAuthError error, const QString &detail);
    qint64 now() const { return m_clock(); }
    QString refreshKey() const;

    TokenClient *m_client; // a child, unless a refresh outlives this object
    Grant m_grant;
    SecretStore *m_secrets;
    QString m_account;
    Clock m_clock;
    QString m_accessToken;
    qint64 m_expiresAtMs = 0;
    qint64 m_refreshAtMs = 0;
    QList<AccessCallback> m_waiting;
    QByteArray m_refused;
    bool m_claimed = false;  // this account's refresh, process-wide (see TokenSource.cpp)
    bool m_inFlight = false; // a refresh request or its keychain write is under way
};

} // namespace pollux::oauth
