#include "oauth/Presets.h"

namespace pollux::oauth {

namespace {

const QString kMicrosoftLogin = QStringLiteral("https://login.microsoftonline.com/");
const QString kMicrosoftMailHost = QStringLiteral("outlook.office365.com");

QUrl microsoft(const QString &tenant, const char *path)
{
    return QUrl(kMicrosoftLogin + QString::fromLatin1(QUrl::toPercentEncoding(tenant)) +
                QLatin1String(path));
}

} // namespace

ServerPreset serverPreset(SignInMethod method, bool imap)
{
    ServerPreset p;
    p.type = imap ? ServerType::ImapSsl : ServerType::Pop3Ssl;
    p.port = defaultPort(p.type);
    switch (method) {
    case SignInMethod::Microsoft365:
    case SignInMethod::Microsoft365App:
        p.host = kMicrosoftMailHost;
        break;
    case SignInMethod::Google:
        p.host = imap ? QStringLiteral("imap.gmail.com") : QStringLiteral("pop.gmail.com");
        break;
    case SignInMethod::Password:
    case SignInMethod::OAuth2:
        p.port = 0;
        break;
    }
    return p;
}

SignInMethod providerForHost(const QString &host)
{
    const QString h = host.trimmed().toLower();
    if (h == QLatin1String("outlook.office365.com") || h == QLatin1String("outlook.office.com"))
        return SignInMethod::Microsoft365;
    if (h == QLatin1String("pop.gmail.com") || h == QLatin1String("imap.gmail.com") ||
        h == QLatin1String("pop.googlemail.com") || h == QLatin1String("imap.googlemail.com"))
        return SignInMethod::Google;
    return SignInMethod::Password;
}

QStringList presetScopes(SignInMethod method, bool imap)
{
    switch (method) {
    case SignInMethod::Microsoft365:
        return {imap ? QStringLiteral("https://outlook.office.com/IMAP.AccessAsUser.All")
                     : QStringLiteral("https://outlook.office.com/POP.AccessAsUser.All"),
                QStringLiteral("offline_access")};
    case SignInMethod::Microsoft365App:
        return {QStringLiteral("https://outlook.office365.com/.default")};
    case SignInMethod::Google:
        return {QStringLiteral("https://mail.google.com/")};
    case SignInMethod::Password:
    case SignInMethod::OAuth2:
        break;
    }
    return {};
}

Provider providerFor(const AccountConfig &account)
{
    Provider p;
    const OAuth2Config &c = account.oauth2;
    const bool imap = isImap(account.type);
    p.clientId = c.clientId.trimmed();
    p.timeoutSecs = qBound(10, account.timeoutSecs, 120);
    switch (account.signIn) {
    case SignInMethod::Password:
        return {};
    case SignInMethod::Microsoft365:
    case SignInMethod::Microsoft365App: {
        const QString tenant =
            c.tenant.trimmed().isEmpty() ? QStringLiteral("organizations") : c.tenant.trimmed();
        p.tokenEndpoint = microsoft(tenant, "/oauth2/v2.0/token");
        if (account.signIn == SignInMethod::Microsoft365) {
            p.authorizationEndpoint = microsoft(tenant, "/oauth2/v2.0/authorize");
            p.deviceAuthorizationEndpoint = microsoft(tenant, "/oauth2/v2.0/devicecode");
        }
        p.scopes = presetScopes(account.signIn, imap);
        break;
    }
    case SignInMethod::Google:
        p.authorizationEndpoint = QUrl(QStringLiteral("https://accounts.google.com/o/oauth2/v2/auth"));
        p.tokenEndpoint = QUrl(QStringLiteral("https://oauth2.googleapis.com/token"));
        p.revocationEndpoint = QUrl(QStringLiteral("https://oauth2.googleapis.com/revoke"));
        // Google's device flow does not grant the mail scope: no device sign-in.
        p.scopes = presetScopes(account.signIn, imap);
        break;
    case SignInMethod::OAuth2:
        p.authorizationEndpoint = QUrl(c.authorizationUrl);
        p.tokenEndpoint = QUrl(c.tokenUrl);
        p.deviceAuthorizationEndpoint = QUrl(c.deviceUrl);
        p.scopes = c.scopes;
        break;
    }
    return p;
}

} // namespace pollux::oauth
