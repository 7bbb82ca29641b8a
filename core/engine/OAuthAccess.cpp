#include "OAuthAccess.h"

#include "oauth/Presets.h"
#include "oauth/TokenSource.h"
#include "secrets/SecretStore.h"

#include <QPointer>

namespace pollux {

OAuthAccess::OAuthAccess(const AccountConfig &account, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_account(account), m_secrets(secrets)
{
}

OAuthAccess::~OAuthAccess() = default;

Result OAuthAccess::tokenFailure(const AccountConfig &account, oauth::OAuthError error,
                                 const QString &detail)
{
    using oauth::OAuthError;
    const QString name = account.name;
    if (error == OAuthError::NoRefreshToken)
        return Result::failure(ErrorCode::SignInNeeded,
                               QStringLiteral("sign-in needed for account %1: no sign-in is "
                                              "stored (no refresh token in the keychain); sign in")
                                   .arg(name));
    if (oauth::needsSignIn(error))
        return Result::failure(
            ErrorCode::SignInNeeded,
            QStringLiteral("sign-in needed for account %1: the provider "
                           "refused the stored sign-in (%2); sign in again")
                .arg(name, detail.isEmpty() ? oauth::oauthErrorName(error) : detail));
    if (error == OAuthError::Secrets)
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("account %1: keychain: %2").arg(name, detail));
    const QString host = oauth::providerFor(account).tokenEndpoint.host();
    ErrorCode code = ErrorCode::ServerError;
    switch (error) {
    case OAuthError::Network:
        code = ErrorCode::Network;
        break;
    case OAuthError::Timeout:
        code = ErrorCode::Timeout;
        break;
    case OAuthError::Protocol:
    case OAuthError::TooLarge:
        code = ErrorCode::Protocol;
        break;
    case OAuthError::InvalidClient:
    case OAuthError::InvalidScope:
    case OAuthError::AccessDenied:
        code = ErrorCode::Config;
        break;
    default:
        break;
    }
    QString words = detail.isEmpty() ? oauth::oauthErrorName(error) : detail;
    if (error == OAuthError::InvalidClient)
        words = QStringLiteral("the provider refused the app registration (client ID or "
                               "secret): ") +
                words;
    return Result::failure(code, QStringLiteral("token endpoint %1: %2").arg(host, words));
}

void OAuthAccess::accessToken(Callback done)
{
    if (m_source) {
        const bool cached = m_source->hasFreshToken();
        const QPointer<OAuthAccess> self(this);
        const quint64 id = ++m_lastRequest;
        m_inFlight.insert(id, std::move(done));
        m_source->accessToken(
            [self, id, cached](oauth::OAuthError e, const QString &token, const QString &detail) {
                if (!self || !self->m_inFlight.contains(id))
                    return;
                const Callback done = self->m_inFlight.take(id);
                if (e != oauth::OAuthError::None) {
                    done(tokenFailure(self->m_account, e, detail), QString(), false);
                    return;
                }
                done(Result::success(), token, cached);
            });
        return;
    }
    m_waiting.append(std::move(done));
    if (m_readingSecret)
        return;
    if (!m_account.oauth2.clientSecret) {
        create(QString());
        return;
    }
    m_readingSecret = true;
    const QPointer<OAuthAccess> self(this);
    const quint64 generation = m_generation;
    m_secrets->read(secretKey(SecretKind::OAuth2ClientSecret, m_account.name),
                    [self, generation](Result r, QString secret) {
                        if (!self || self->m_generation != generation)
                            return;
                        self->m_readingSecret = false;
                        if (!r) {
                            self->finishWaiting(
                                Result::failure(ErrorCode::Secrets,
                                                QStringLiteral("account %1: the client secret: %2")
                                                    .arg(self->m_account.name, r.message())));
                            return;
                        }
                        self->create(secret);
                    });
}

void OAuthAccess::create(const QString &clientSecret)
{
    oauth::Provider provider = oauth::providerFor(m_account);
    provider.clientSecret = clientSecret;
    m_source = std::make_unique<oauth::TokenSource>(
        provider,
        m_account.isAppOnly() ? oauth::TokenSource::Grant::ClientCredentials
                              : oauth::TokenSource::Grant::RefreshToken,
        m_secrets, m_account.name);
    connect(m_source.get(), &oauth::TokenSource::refreshLifetimeStated, this, [this](qint64 secs) {
        emit refreshExpiryStated(QDateTime::currentDateTimeUtc().addSecs(secs));
    });
    const QList<Callback> waiting = std::exchange(m_waiting, {});
    for (const Callback &done : waiting)
        accessToken(done);
}

void OAuthAccess::finishWaiting(const Result &result)
{
    const QList<Callback> waiting = std::exchange(m_waiting, {});
    for (const Callback &done : waiting)
        done(result, QString(), false);
}

QByteArray OAuthAccess::refusedFingerprint() const
{
    return m_source && !m_account.isAppOnly() ? m_source->refusedFingerprint() : QByteArray();
}

void OAuthAccess::invalidate()
{
    if (m_source)
        m_source->invalidate();
}

void OAuthAccess::reset()
{
    ++m_generation;
    m_readingSecret = false;
    // Requests waiting on the old source get no answer from it: fail them, the pass ends.
    const Result dropped =
        Result::failure(ErrorCode::Cancelled, QStringLiteral("a new sign-in was stored"));
    finishWaiting(dropped);
    const QHash<quint64, Callback> inFlight = std::exchange(m_inFlight, {});
    m_source.reset();
    for (const Callback &done : inFlight)
        done(dropped, QString(), false);
}

} // namespace pollux
