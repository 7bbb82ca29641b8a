#include "oauth/TokenResponse.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace pollux::oauth {

QString oauthErrorName(OAuthError e)
{
    switch (e) {
    case OAuthError::None:
        return QStringLiteral("none");
    case OAuthError::AuthorizationPending:
        return QStringLiteral("authorization_pending");
    case OAuthError::SlowDown:
        return QStringLiteral("slow_down");
    case OAuthError::ExpiredToken:
        return QStringLiteral("expired_token");
    case OAuthError::AccessDenied:
        return QStringLiteral("access_denied");
    case OAuthError::InvalidGrant:
        return QStringLiteral("invalid_grant");
    case OAuthError::InvalidClient:
        return QStringLiteral("invalid_client");
    case OAuthError::InvalidScope:
        return QStringLiteral("invalid_scope");
    case OAuthError::OtherError:
        return QStringLiteral("error");
    case OAuthError::Network:
        return QStringLiteral("network");
    case OAuthError::Timeout:
        return QStringLiteral("timeout");
    case OAuthError::TooLarge:
        return QStringLiteral("too large");
    case OAuthError::Protocol:
        return QStringLiteral("protocol");
    case OAuthError::Secrets:
        return QStringLiteral("keychain");
    case OAuthError::NoRefreshToken:
        return QStringLiteral("no refresh token");
    }
    return {};
}

bool needsSignIn(OAuthError e)
{
    return e == OAuthError::InvalidGrant || e == OAuthError::NoRefreshToken ||
           e == OAuthError::AccessDenied || e == OAuthError::ExpiredToken;
}

namespace {

// Strings the server chose, cut short and stripped of control characters before they reach
// a message or the log.
QString sanitized(const QString &s)
{
    QString out;
    for (const QChar c : s.left(200))
        out += c.isPrint() ? c : QLatin1Char('?');
    return out;
}

OAuthError errorFrom(const QJsonObject &o, QString *detail)
{
    const QString code = o.value(QLatin1String("error")).toString();
    const QString description = o.value(QLatin1String("error_description")).toString();
    if (detail) {
        *detail = sanitized(code);
        if (!description.isEmpty())
            *detail += QStringLiteral(": ") + sanitized(description);
    }
    static const QHash<QString, OAuthError> known{
        {QStringLiteral("authorization_pending"), OAuthError::AuthorizationPending},
        {QStringLiteral("slow_down"), OAuthError::SlowDown},
        {QStringLiteral("expired_token"), OAuthError::ExpiredToken},
        {QStringLiteral("access_denied"), OAuthError::AccessDenied},
        {QStringLiteral("invalid_grant"), OAuthError::InvalidGrant},
        {QStringLiteral("invalid_client"), OAuthError::InvalidClient},
        {QStringLiteral("unauthorized_client"), OAuthError::InvalidClient},
        {QStringLiteral("invalid_scope"), OAuthError::InvalidScope},
    };
    return known.value(code, OAuthError::OtherError);
}

// The JSON object of an answer, or why there is none.
OAuthError objectOf(int httpStatus, const QByteArray &body, QJsonObject &o, QString *detail)
{
    if (body.size() > maxResponseBytes) {
        if (detail)
            *detail = QStringLiteral("answer larger than %1 bytes").arg(maxResponseBytes);
        return OAuthError::TooLarge;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        if (detail)
            *detail = QStringLiteral("HTTP %1, not a JSON object").arg(httpStatus);
        return OAuthError::Protocol;
    }
    o = doc.object();
    if (o.value(QLatin1String("error")).isString())
        return errorFrom(o, detail);
    if (httpStatus != 200) {
        if (detail)
            *detail = QStringLiteral("HTTP %1 without an OAuth2 error").arg(httpStatus);
        return OAuthError::Protocol;
    }
    return OAuthError::None;
}

// A positive number of seconds, also when a server sends it as a string.
qint64 secondsOf(const QJsonValue &v)
{
    const qint64 n = v.isString() ? v.toString().toLongLong() : qint64(v.toDouble());
    return n > 0 && n < 10LL * 365 * 24 * 3600 ? n : 0;
}

QString stringOf(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

} // namespace

OAuthError parseTokenResponse(int httpStatus, const QByteArray &body, TokenSet &out,
                              QString *detail)
{
    QJsonObject o;
    const OAuthError e = objectOf(httpStatus, body, o, detail);
    if (e != OAuthError::None)
        return e;
    TokenSet t;
    t.accessToken = stringOf(o, "access_token");
    t.refreshToken = stringOf(o, "refresh_token");
    t.tokenType = stringOf(o, "token_type");
    t.scope = stringOf(o, "scope");
    t.expiresIn = secondsOf(o.value(QLatin1String("expires_in")));
    // Not in RFC 6749, but stated by some providers (Microsoft Entra for some flows,
    // Google for apps in testing, Auth0, Azure AD B2C): when the refresh token dies.
    t.refreshExpiresIn = secondsOf(o.value(QLatin1String("refresh_token_expires_in")));
    if (t.accessToken.isEmpty() || t.accessToken.size() > 16384) {
        if (detail)
            *detail = QStringLiteral("the answer has no usable access_token");
        return OAuthError::Protocol;
    }
    if (t.tokenType.compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0) {
        if (detail)
            *detail =
                QStringLiteral("token_type is \"%1\", not Bearer").arg(sanitized(t.tokenType));
        return OAuthError::Protocol;
    }
    out = t;
    return OAuthError::None;
}

OAuthError parseDeviceCodeResponse(int httpStatus, const QByteArray &body, DeviceCode &out,
                                   QString *detail)
{
    QJsonObject o;
    const OAuthError e = objectOf(httpStatus, body, o, detail);
    if (e != OAuthError::None)
        return e;
    DeviceCode d;
    d.deviceCode = stringOf(o, "device_code");
    d.userCode = stringOf(o, "user_code");
    d.verificationUri = stringOf(o, "verification_uri");
    // Google's older spelling.
    if (d.verificationUri.isEmpty())
        d.verificationUri = stringOf(o, "verification_url");
    d.verificationUriComplete = stringOf(o, "verification_uri_complete");
    d.expiresIn = secondsOf(o.value(QLatin1String("expires_in")));
    const qint64 interval = secondsOf(o.value(QLatin1String("interval")));
    d.interval = interval > 0 ? int(qMin<qint64>(interval, 60)) : 5;
    const QUrl uri(d.verificationUri);
    if (d.deviceCode.isEmpty() || d.userCode.isEmpty() || d.userCode.size() > 64 ||
        d.expiresIn == 0 || !uri.isValid() ||
        (uri.scheme() != QLatin1String("https") && uri.scheme() != QLatin1String("http"))) {
        if (detail)
            *detail = QStringLiteral("the device authorization answer lacks a field");
        return OAuthError::Protocol;
    }
    out = d;
    return OAuthError::None;
}

} // namespace pollux::oauth
