#include "SignInCommand.h"

#include "ConfigCheck.h"
#include "Headless.h"
#include "TerminalEcho.h"

#include "config/Config.h"
#include "oauth/BrowserSignIn.h"
#include "oauth/DeviceSignIn.h"
#include "oauth/Presets.h"
#include "oauth/TokenSource.h"
#include "secrets/ChosenSecretStore.h"
#include "secrets/SecretStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QFile>
#include <QGuiApplication>

#include <cstdio>

namespace pollux::app {

namespace {

void err(const QString &text)
{
    fprintf(stderr, "pollux: %s\n", qPrintable(text));
}

void out(const QString &text)
{
    fputs(qPrintable(text), stdout);
    fflush(stdout); // a script or a test reads the address before the command ends
}

// " --config '<path>'" when the command ran with a file other than the default.
QString configArgument(const Invocation &inv)
{
    if (inv.configPath == defaultConfigPath())
        return {};
    QString path = inv.configPath;
    path.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QStringLiteral(" --config '%1'").arg(path);
}

QString minutes(qint64 secs)
{
    const qint64 m = qMax<qint64>(1, (secs + 59) / 60);
    return m == 1 ? QStringLiteral("1 minute") : QStringLiteral("%1 minutes").arg(m);
}

// Stores the sign-in (the refresh token into the keychain) and says what came of it; the
// exit status.
int store(const oauth::Provider &provider, SecretStore &secrets, const Invocation &inv,
          const oauth::TokenSet &tokens)
{
    oauth::TokenSource source(provider, oauth::TokenSource::Grant::RefreshToken, &secrets,
                              inv.account);
    bool done = false;
    oauth::OAuthError error = oauth::OAuthError::None;
    QString detail;
    source.storeSignIn(tokens, [&](oauth::OAuthError e, const QString &why) {
        done = true;
        error = e;
        detail = why;
        QCoreApplication::exit(0);
    });
    if (!done)
        QCoreApplication::exec();
    if (tokens.refreshToken.isEmpty()) {
        err(QStringLiteral("the provider signed account \"%1\" in but issued no refresh token, "
                           "so Pollux could only use the sign-in until the access token "
                           "expires; check that the scopes allow offline access "
                           "(offline_access)")
                .arg(inv.account));
        return 1;
    }
    if (error != oauth::OAuthError::None) {
        err(QStringLiteral("signed in, but the refresh token could not be stored: %1").arg(detail));
        return 1;
    }
    out(QStringLiteral("Signed in: account \"%1\" can collect mail now. The refresh token is "
                       "stored in the keychain (service \"%2\", %3).\n")
            .arg(inv.account, keychainService(),
                 secretKey(SecretKind::OAuth2Refresh, inv.account)));
    if (tokens.refreshExpiresIn > 0) {
        const QDateTime until =
            QDateTime::currentDateTimeUtc().addSecs(tokens.refreshExpiresIn).toLocalTime();
        out(QStringLiteral("The provider says this sign-in lasts until %1; sign in again "
                           "before then.\n")
                .arg(until.toString(Qt::ISODate)));
    }
    return 0;
}

int failed(const Invocation &inv, oauth::OAuthError e, const QString &detail)
{
    QString why;
    switch (e) {
    case oauth::OAuthError::AccessDenied:
        why = QStringLiteral("the sign-in was refused (by the user or the organisation)");
        break;
    case oauth::OAuthError::ExpiredToken:
        why = QStringLiteral("the code expired before the sign-in was finished");
        break;
    case oauth::OAuthError::Timeout:
        why = QStringLiteral("no sign-in arrived in time");
        break;
    case oauth::OAuthError::InvalidClient:
        why = QStringLiteral("the provider refused the app registration (client ID or client "
                             "secret)");
        break;
    case oauth::OAuthError::InvalidScope:
        why = QStringLiteral("the provider refused the scopes");
        break;
    default:
        why = QStringLiteral("the sign-in failed");
        break;
    }
    // The detail names the server's error code itself when there is one.
    err(QStringLiteral("account \"%1\": %2 (%3)")
            .arg(inv.account, why,
                 detail.startsWith(oauth::oauthErrorName(e)) ? detail
                 : detail.isEmpty()                          ? oauth::oauthErrorName(e)
                                    : oauth::oauthErrorName(e) + QStringLiteral(": ") + detail));
    return 1;
}

int deviceSignIn(const oauth::Provider &provider, SecretStore &secrets, const Invocation &inv)
{
    oauth::DeviceSignIn flow(provider);
    QObject::connect(&flow, &oauth::DeviceSignIn::codeReady, QCoreApplication::instance(),
                     [&inv](const oauth::DeviceCode &code) {
                         QString text =
                             QStringLiteral("To sign in account \"%1\", open this address on "
                                            "any device:\n    %2\nand enter the code:\n    %3\n")
                                 .arg(inv.account, code.verificationUri, code.userCode);
                         if (!code.verificationUriComplete.isEmpty())
                             text += QStringLiteral("(Or open %1, which has the code in it.)\n")
                                         .arg(code.verificationUriComplete);
                         if (code.expiresIn > 0)
                             text += QStringLiteral("Waiting for the sign-in (the code expires "
                                                    "in %1)...\n")
                                         .arg(minutes(code.expiresIn));
                         out(text);
                     });
    oauth::OAuthError error = oauth::OAuthError::Protocol;
    QString detail;
    oauth::TokenSet tokens;
    QObject::connect(&flow, &oauth::DeviceSignIn::finished, QCoreApplication::instance(),
                     [&](oauth::OAuthError e, const QString &why, const oauth::TokenSet &t) {
                         error = e;
                         detail = why;
                         tokens = t;
                         QCoreApplication::exit(0);
                     });
    flow.start();
    QCoreApplication::exec();
    if (error != oauth::OAuthError::None)
        return failed(inv, error, detail);
    return store(provider, secrets, inv, tokens);
}

int browserSignIn(const oauth::Provider &provider, SecretStore &secrets, const Invocation &inv)
{
    // Only with a display (QGuiApplication, see main.cpp); the address is printed anyway.
    const bool canOpen = qobject_cast<QGuiApplication *>(QCoreApplication::instance());
    oauth::BrowserSignIn flow(provider, [canOpen](const QUrl &url) {
        if (canOpen)
            QDesktopServices::openUrl(url);
        return true; // the user can open the printed address by hand
    });
    QObject::connect(
        &flow, &oauth::BrowserSignIn::browserOpened, QCoreApplication::instance(),
        [&inv, &flow, canOpen](const QUrl &url) {
            const int port = flow.redirectUri().port();
            out(QStringLiteral("To sign in account \"%1\", open this address in a "
                               "browser%2:\n    %3\n(The browser comes back to "
                               "%4; from another computer, forward that port "
                               "first: ssh -L %5:127.0.0.1:%5 this-host)\n"
                               "Waiting for the sign-in (up to 5 minutes)...\n")
                    .arg(inv.account, canOpen ? QStringLiteral(" (opening it now)") : QString(),
                         url.toString(QUrl::FullyEncoded), flow.redirectUri().toString())
                    .arg(port));
        });
    oauth::OAuthError error = oauth::OAuthError::Protocol;
    QString detail;
    oauth::TokenSet tokens;
    QObject::connect(&flow, &oauth::BrowserSignIn::finished, QCoreApplication::instance(),
                     [&](oauth::OAuthError e, const QString &why, const oauth::TokenSet &t) {
                         error = e;
                         detail = why;
                         tokens = t;
                         QCoreApplication::exit(0);
                     });
    flow.start();
    QCoreApplication::exec();
    if (error != oauth::OAuthError::None)
        return failed(inv, error, detail);
    return store(provider, secrets, inv, tokens);
}

} // namespace

int runAccountSignIn(const Invocation &inv)
{
    Config config;
    if (!loadValidConfig(inv.configPath, config)) // the whole file, as a pass would see it
        return 2;
    const AccountConfig *account = config.account(inv.account);
    if (!account) {
        err(QStringLiteral("no account named \"%1\" in %2").arg(inv.account, inv.configPath));
        return 2;
    }
    if (!isOAuth2(account->signIn)) {
        err(QStringLiteral("account \"%1\" signs in with a password, not OAuth2, so there is "
                           "nothing to sign in; store its password with: %2%3")
                .arg(inv.account,
                     passwordSetCommand(secretKey(SecretKind::Account, inv.account),
                                        keychainService()),
                     configArgument(inv)));
        return 2;
    }
    if (account->isAppOnly()) {
        out(QStringLiteral("Account \"%1\" uses app-only access (client credentials): it needs "
                           "no sign-in, only the client secret in the keychain: %2%3\n")
                .arg(inv.account,
                     passwordSetCommand(secretKey(SecretKind::OAuth2ClientSecret, inv.account),
                                        keychainService()),
                     configArgument(inv)));
        return 0;
    }
    oauth::Provider provider = oauth::providerFor(*account);
    ChosenSecretStore secrets(keychainService());
    if (account->oauth2.clientSecret) {
        const QString key = secretKey(SecretKind::OAuth2ClientSecret, inv.account);
        if (Result r = secrets.readSync(key, provider.clientSecret); !r) {
            err(r.message() + (r.message().contains(QLatin1String("store it with"))
                                   ? configArgument(inv)
                                   : QString()));
            return 2;
        }
    }
    const bool canDevice = !provider.deviceAuthorizationEndpoint.isEmpty();
    const bool canBrowser = !provider.authorizationEndpoint.isEmpty();
    if (inv.browser && !canBrowser) {
        err(QStringLiteral("account \"%1\": the provider has no authorization endpoint, so no "
                           "browser sign-in; leave out --browser to sign in with a code")
                .arg(inv.account));
        return 2;
    }
    if (!canDevice && !canBrowser) {
        err(QStringLiteral("account \"%1\": the provider has neither a device authorization "
                           "nor an authorization endpoint")
                .arg(inv.account));
        return 2;
    }
    if (!inv.browser && canDevice)
        return deviceSignIn(provider, secrets, inv);
    if (!inv.browser)
        out(QStringLiteral("The provider has no sign-in with a code (Google grants mail access "
                           "only through the browser): signing in with the browser%1.\n")
                .arg(qobject_cast<QGuiApplication *>(QCoreApplication::instance())
                         ? QString()
                         : QStringLiteral(" (with a display here, --browser opens it for you)")));
    return browserSignIn(provider, secrets, inv);
}

int runClientSecretSet(const Invocation &inv)
{
    Config config;
    if (Result r = Config::load(inv.configPath, config); !r) {
        err(QStringLiteral("%1: %2").arg(inv.configPath, r.message()));
        return 2;
    }
    const AccountConfig *account = config.account(inv.account);
    if (!account) {
        err(QStringLiteral("no account named \"%1\" in %2").arg(inv.account, inv.configPath));
        return 2;
    }
    if (!isOAuth2(account->signIn)) {
        err(QStringLiteral("account \"%1\" signs in with a password: a client secret belongs to "
                           "an OAuth2 account")
                .arg(inv.account));
        return 2;
    }
    const QString key = secretKey(SecretKind::OAuth2ClientSecret, inv.account);
    if (const int status = storeTypedSecret(key, QStringLiteral("Client secret")); status != 0)
        return status;
    if (!account->oauth2.clientSecret)
        err(QStringLiteral("note: account \"%1\" does not say \"clientSecret\": true in its "
                           "\"oauth2\" settings, so Pollux does not send this secret yet")
                .arg(inv.account));
    return 0;
}

} // namespace pollux::app
