#include "oauth/TokenSource.h"

#include "oauth/Log.h"
#include "secrets/SecretStore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace pollux::oauth {

namespace {
// When the server does not say how long a token lives.
constexpr qint64 assumedLifetimeSecs = 600;

// Accounts whose refresh token is being used right now, in this process: two TokenSources
// of one account (the engine's poller and "Test access") must not both present the same
// refresh token - against a rotating server the second use is reuse and ends the grant. The
// later one waits, then reads the keychain again (the rotated token).
QMutex refreshingMutex;
QSet<QString> refreshing;
// Rotated refresh tokens the keychain has not taken yet, per account, in this process (same
// mutex): the live token of the grant while the keychain holds a used one. Every TokenSource
// of the account renews with it, and it outlives the TokenSource that received it.
QHash<QString, QString> unsaved;
constexpr int claimRetryMs = 100;

bool claimRefresh(const QString &account)
{
    QMutexLocker lock(&refreshingMutex);
    if (refreshing.contains(account))
        return false;
    refreshing.insert(account);
    return true;
}

void releaseRefresh(const QString &account)
{
    QMutexLocker lock(&refreshingMutex);
    refreshing.remove(account);
}

QString unsavedToken(const QString &account)
{
    QMutexLocker lock(&refreshingMutex);
    return unsaved.value(account);
}

void setUnsaved(const QString &account, const QString &token)
{
    QMutexLocker lock(&refreshingMutex);
    unsaved.insert(account, token);
}

// Only if it is still `token`: a later rotation (or sign-in) has replaced it otherwise.
void clearUnsaved(const QString &account, const QString &token)
{
    QMutexLocker lock(&refreshingMutex);
    const auto it = unsaved.constFind(account);
    if (it != unsaved.constEnd() && (token.isNull() || *it == token))
        unsaved.erase(it);
}

// Writes `token` to the keychain; on success it is no longer unsaved. Runs without the
// TokenSource that received it (which may be gone by the time the keychain answers).
void saveRefreshToken(SecretStore *secrets, const QString &account, const QString &token,
                      std::function<void(Result)> then)
{
    setUnsaved(account, token);
    secrets->write(secretKey(SecretKind::OAuth2Refresh, account), token,
                   [account, token, then = std::move(then)](Result r) {
                       if (r.ok())
                           clearUnsaved(account, token);
                       else
                           qCWarning(lcOAuth).noquote()
                               << "account" << account
                               << ": the keychain did not take the new refresh token ("
                               << r.message()
                               << "); it is kept in memory and written again at the next renewal";
                       if (then)
                           then(r);
                   });
}
} // namespace

void TokenSource::forgetProcessState()
{
    QMutexLocker lock(&refreshingMutex);
    refreshing.clear();
    unsaved.clear();
}

TokenSource::TokenSource(const Provider &provider, Grant grant, SecretStore *secrets,
                         const QString &account, QObject *parent)
    : QObject(parent), m_client(new TokenClient(provider, this)), m_grant(grant),
      m_secrets(secrets), m_account(account),
      m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

TokenSource::~TokenSource()
{
    if (m_inFlight) {
        // A refresh is on its way (or its keychain write): it goes on without this object,
        // so a token the server rotated is still written, and it releases the claim.
        m_client->setParent(nullptr);
        return;
    }
    if (m_claimed)
        releaseRefresh(m_account);
    // A reset or a quit: one more try to hand the keychain a token it refused before.
    const QString pending = unsavedToken(m_account);
    if (!pending.isEmpty())
        saveRefreshToken(m_secrets, m_account, pending, {});
}

bool TokenSource::hasUnsavedRefreshToken() const
{
    return !unsavedToken(m_account).isEmpty();
}

const Provider &TokenSource::provider() const
{
    return m_client->provider();
}

QByteArray TokenSource::fingerprint(const QString &refreshToken)
{
    return QCryptographicHash::hash(refreshToken.toUtf8(), QCryptographicHash::Sha256);
}

qint64 TokenSource::refreshMarginSecs(qint64 lifetimeSecs)
{
    return qBound(qint64(10), lifetimeSecs / 5, qint64(300));
}

QString TokenSource::refreshKey() const
{
    return secretKey(SecretKind::OAuth2Refresh, m_account);
}

void TokenSource::accessToken(AccessCallback done)
{
    if (hasFreshToken()) {
        done(OAuthError::None, m_accessToken, {});
        return;
    }
    m_waiting.append(std::move(done));
    if (m_waiting.size() == 1)
        renew();
}

void TokenSource::renew()
{
    const QPointer<TokenSource> self(this);
    if (m_grant == Grant::ClientCredentials) {
        m_client->clientCredentials([self](OAuthError e, const TokenSet &t, const QString &why) {
            if (!self)
                return;
            if (e != OAuthError::None) {
                self->finishAll(e, why);
                return;
            }
            self->accept(t);
            self->finishAll(OAuthError::None, {});
        });
        return;
    }
    if (!m_claimed) {
        if (!claimRefresh(m_account)) {
            QTimer::singleShot(claimRetryMs, this, [self] {
                if (self)
                    self->renew();
            });
            return;
        }
        m_claimed = true;
    }
    const QString pending = unsavedToken(m_account);
    if (!pending.isEmpty()) {
        refreshWith(pending);
        return;
    }
    m_secrets->read(refreshKey(), [self](Result r, const QString &refreshToken) {
        if (!self)
            return;
        if (!r.ok() || refreshToken.isEmpty()) {
            // Both stop here without a request to the server. A missing entry (the store's
            // missingSecret() message) is a sign-in never made or removed: sign-in needed; a
            // broken keychain is a keychain error, tried again next time.
            const bool missing =
                r.ok() || r.message().startsWith(QLatin1String("no password stored for"));
            if (missing)
                self->m_refused = fingerprint(QString());
            self->finishAll(missing ? OAuthError::NoRefreshToken : OAuthError::Secrets,
                            missing ? QStringLiteral("no refresh token is stored in the keychain")
                                    : r.message());
            return;
        }
        self->refreshWith(refreshToken);
    });
}

void TokenSource::refreshWith(const QString &refreshToken)
{
    // Everything the answer needs is captured by value: if this TokenSource is destroyed
    // meanwhile, a rotated token is still written and the claim released (see ~TokenSource).
    const QPointer<TokenSource> self(this);
    SecretStore *secrets = m_secrets;
    const QString account = m_account;
    TokenClient *client = m_client;
    const bool fromUnsaved = refreshToken == unsavedToken(m_account);
    m_inFlight = true;
    auto orphaned = [self, account, client] {
        if (self)
            return false;
        releaseRefresh(account);
        client->deleteLater();
        return true;
    };
    m_client->refresh(refreshToken, [self, secrets, account, refreshToken, fromUnsaved, orphaned](
                                        OAuthError e, const TokenSet &t, const QString &why) {
        if (e != OAuthError::None) {
            if (orphaned())
                return;
            self->m_inFlight = false;
            if (needsSignIn(e))
                self->m_refused = fingerprint(refreshToken);
            self->finishAll(e, why);
            return;
        }
        const bool rotated = !t.refreshToken.isEmpty() && t.refreshToken != refreshToken;
        if (!rotated && !fromUnsaved) {
            // Not rotated, and the keychain holds it already: it stays valid there.
            if (orphaned())
                return;
            self->m_inFlight = false;
            self->accept(t);
            self->finishAll(OAuthError::None, {});
            return;
        }
        // Rotated (the old token is used up at the server), or the live token the keychain
        // refused before: write it, and hand out the access token only after the write.
        const QString live = rotated ? t.refreshToken : refreshToken;
        saveRefreshToken(secrets, account, live, [self, t, orphaned](Result) {
            if (orphaned())
                return;
            self->m_inFlight = false;
            self->accept(t);
            self->finishAll(OAuthError::None, {});
        });
    });
}

void TokenSource::accept(const TokenSet &tokens)
{
    const qint64 lifetime = tokens.expiresIn > 0 ? tokens.expiresIn : assumedLifetimeSecs;
    m_accessToken = tokens.accessToken;
    m_expiresAtMs = now() + lifetime * 1000;
    m_refreshAtMs = m_expiresAtMs - refreshMarginSecs(lifetime) * 1000;
    if (tokens.refreshExpiresIn > 0)
        emit refreshLifetimeStated(tokens.refreshExpiresIn);
}

void TokenSource::finishAll(OAuthError error, const QString &detail)
{
    if (m_claimed) {
        m_claimed = false;
        releaseRefresh(m_account);
    }
    if (error != OAuthError::None) {
        m_accessToken.clear();
        m_expiresAtMs = m_refreshAtMs = 0;
        qCInfo(lcOAuth).noquote() << "account" << m_account
                                  << ": no access token:" << oauthErrorName(error) << detail
                                  << (needsSignIn(error) ? "(sign-in needed)" : "");
    }
    const QList<AccessCallback> waiting = std::exchange(m_waiting, {});
    for (const AccessCallback &done : waiting)
        done(error, error == OAuthError::None ? m_accessToken : QString(), detail);
}

void TokenSource::storeSignIn(const TokenSet &tokens,
                              std::function<void(OAuthError, const QString &)> done)
{
    const QPointer<TokenSource> self(this);
    auto finish = [self, tokens, done](Result r) {
        if (!self)
            return;
        if (!r.ok()) {
            done(OAuthError::Secrets, r.message());
            return;
        }
        clearUnsaved(self->m_account, QString()); // the new sign-in replaces it
        self->accept(tokens);
        done(OAuthError::None, {});
    };
    if (m_grant != Grant::RefreshToken || tokens.refreshToken.isEmpty()) {
        finish(m_grant == Grant::RefreshToken
                   ? Result::failure(ErrorCode::Secrets,
                                     QStringLiteral("the sign-in brought no refresh token"))
                   : Result::success());
        return;
    }
    m_secrets->write(refreshKey(), tokens.refreshToken, finish);
}

} // namespace pollux::oauth
