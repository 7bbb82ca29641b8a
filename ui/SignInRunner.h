#pragma once

#include "oauth/Provider.h"
#include "oauth/TokenResponse.h"

#include <QObject>
#include <QUrl>

#include <functional>

namespace pollux::ui {

// One interactive OAuth2 sign-in as the account dialog drives it: with the system browser
// (oauth::BrowserSignIn) or on another device (oauth::DeviceSignIn). The dialog creates its
// runners through a SignInRunnerFactory, so tests replace both with fakes.
class SignInRunner : public QObject
{
    Q_OBJECT
public:
    enum class Kind
    {
        Browser,
        Device,
    };
    using QObject::QObject;

    virtual void start() = 0;
    virtual void cancel() = 0; // finished() is not emitted afterwards

signals:
    void browserOpened(const QUrl &authorizationUrl);      // Browser
    void codeReady(const pollux::oauth::DeviceCode &code); // Device
    void finished(pollux::oauth::OAuthError error, const QString &detail,
                  const pollux::oauth::TokenSet &tokens);
};

// Makes a runner for `provider` (with its client secret filled in), owned by `parent`.
using SignInRunnerFactory = std::function<SignInRunner *(
    SignInRunner::Kind kind, const oauth::Provider &provider, QObject *parent)>;

// The real ones: BrowserSignIn opening the system browser (QDesktopServices::openUrl), and
// DeviceSignIn.
SignInRunner *makeSignInRunner(SignInRunner::Kind kind, const oauth::Provider &provider,
                               QObject *parent);

} // namespace pollux::ui
