#include "oauth/TokenClient.h"

#include "oauth/Log.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <memory>

Q_LOGGING_CATEGORY(lcOAuth, "pollux.oauth")

namespace pollux::oauth {

namespace {

const char deviceGrant[] = "urn:ietf:params:oauth:grant-type:device_code";

// Form encoding (application/x-www-form-urlencoded) that also escapes '+', which
// QUrlQuery leaves alone but servers read as a space.
QByteArray encodedForm(const QUrlQuery &form)
{
    QByteArray out;
    const auto items = form.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace

TokenClient::TokenClient(Provider provider, QObject *parent)
    : QObject(parent), m_provider(std::move(provider)), m_network(new QNetworkAccessManager(this))
{
}

TokenClient::~TokenClient() = default;

bool TokenClient::acceptableEndpoint(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty())
        return false;
    if (url.scheme() == QLatin1String("https"))
        return true;
    if (url.scheme() != QLatin1String("http"))
        return false;
    const QHostAddress address(url.host());
    return url.host() == QLatin1String("localhost") || address.isLoopback();
}

void TokenClient::post(const QUrl &url, QUrlQuery form, RawCallback done)
{
    if (!acceptableEndpoint(url)) {
        done(OAuthError::Protocol, 0, {},
             QStringLiteral("the endpoint %1 is neither https nor a loopback address")
                 .arg(url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)));
        return;
    }
    form.addQueryItem(QStringLiteral("client_id"), m_provider.clientId);
    if (!m_provider.clientSecret.isEmpty())
        form.addQueryItem(QStringLiteral("client_secret"), m_provider.clientSecret);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArray("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(qMax(1, m_provider.timeoutSecs) * 1000);
    QNetworkReply *reply = m_network->post(request, encodedForm(form));
    auto body = std::make_shared<QByteArray>();
    auto tooLarge = std::make_shared<bool>(false);
    connect(reply, &QNetworkReply::readyRead, this, [reply, body, tooLarge] {
        if (*tooLarge)
            return;
        body->append(reply->read(maxResponseBytes + 1 - body->size()));
        if (body->size() > maxResponseBytes) {
            *tooLarge = true;
            reply->abort();
        }
    });
    const QString endpoint = url.path();
    connect(reply, &QNetworkReply::finished, this, [reply, body, tooLarge, done, endpoint] {
        reply->deleteLater();
        if (!*tooLarge)
            body->append(reply->read(maxResponseBytes + 1 - body->size()));
        if (*tooLarge || body->size() > maxResponseBytes) {
            done(OAuthError::TooLarge, 0, {},
                 QStringLiteral("the answer from %1 is larger than %2 bytes")
                     .arg(endpoint)
                     .arg(maxResponseBytes));
            return;
        }
        // Connection-level errors (Qt's codes below 200: refused, closed, timed out, TLS,
        // proxy) mean the answer is incomplete even if its status line arrived; the codes
        // from 200 up only restate the HTTP status, whose body is the OAuth2 error.
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const bool transportError = reply->error() != QNetworkReply::NoError &&
                                    int(reply->error()) < int(QNetworkReply::ContentAccessDenied);
        if (status.isValid() && !transportError) {
            done(OAuthError::None, status.toInt(), *body, {});
            return;
        }
        const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError ||
                              reply->error() == QNetworkReply::TimeoutError;
        done(timedOut ? OAuthError::Timeout : OAuthError::Network, 0, {},
             QStringLiteral("%1: %2").arg(endpoint, reply->errorString()));
    });
}

void TokenClient::tokenRequest(QUrlQuery form, TokenCallback done)
{
    const QString grant = form.queryItemValue(QStringLiteral("grant_type"));
    post(m_provider.tokenEndpoint, std::move(form),
         [done, grant](OAuthError e, int status, const QByteArray &body, const QString &detail) {
             TokenSet tokens;
             QString why = detail;
             if (e == OAuthError::None)
                 e = parseTokenResponse(status, body, tokens, &why);
             if (e != OAuthError::None && e != OAuthError::AuthorizationPending &&
                 e != OAuthError::SlowDown)
                 qCInfo(lcOAuth) << "token request" << grant << "failed:" << oauthErrorName(e)
                                 << why;
             done(e, tokens, why);
         });
}

void TokenClient::requestDeviceCode(DeviceCallback done)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("scope"), m_provider.scopes.join(QLatin1Char(' ')));
    post(m_provider.deviceAuthorizationEndpoint, form,
         [done](OAuthError e, int status, const QByteArray &body, const QString &detail) {
             DeviceCode code;
             QString why = detail;
             if (e == OAuthError::None)
                 e = parseDeviceCodeResponse(status, body, code, &why);
             if (e != OAuthError::None)
                 qCInfo(lcOAuth) << "device authorization failed:" << oauthErrorName(e) << why;
             done(e, code, why);
         });
}

void TokenClient::pollDeviceToken(const QString &deviceCode, TokenCallback done)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QLatin1String(deviceGrant));
    form.addQueryItem(QStringLiteral("device_code"), deviceCode);
    tokenRequest(form, std::move(done));
}

void TokenClient::refresh(const QString &refreshToken, TokenCallback done)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
    form.addQueryItem(QStringLiteral("refresh_token"), refreshToken);
    tokenRequest(form, std::move(done));
}

void TokenClient::clientCredentials(TokenCallback done)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("client_credentials"));
    form.addQueryItem(QStringLiteral("scope"), m_provider.scopes.join(QLatin1Char(' ')));
    tokenRequest(form, std::move(done));
}

void TokenClient::revoke(const QString &token, const QString &typeHint,
                         std::function<void(OAuthError, const QString &)> done)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("token"), token);
    if (!typeHint.isEmpty())
        form.addQueryItem(QStringLiteral("token_type_hint"), typeHint);
    post(m_provider.revocationEndpoint, form,
         [done](OAuthError e, int status, const QByteArray &, const QString &detail) {
             if (e == OAuthError::None && status != 200)
                 done(OAuthError::OtherError, QStringLiteral("HTTP %1").arg(status));
             else
                 done(e, detail);
         });
}

} // namespace pollux::oauth
