#include "SignInRunner.h"

#include "oauth/BrowserSignIn.h"
#include "oauth/DeviceSignIn.h"

#include <QDesktopServices>

namespace pollux::ui {

namespace {

class BrowserRunner final : public SignInRunner
{
public:
    BrowserRunner(const oauth::Provider &provider, QObject *parent)
        : SignInRunner(parent),
          m_flow(
              provider, [](const QUrl &url) { return QDesktopServices::openUrl(url); }, this)
    {
        connect(&m_flow, &oauth::BrowserSignIn::browserOpened, this, &SignInRunner::browserOpened);
        connect(&m_flow, &oauth::BrowserSignIn::finished, this, &SignInRunner::finished);
        // The page the browser shows at the end, in the user's language.
        m_flow.setPageTexts(SignInRunner::tr("Pollux: you are signed in. You can close this tab "
                                             "and go back to Pollux."),
                            SignInRunner::tr("Pollux: the sign-in did not succeed. You can close "
                                             "this tab; Pollux says what happened."));
    }
    void start() override { m_flow.start(); }
    void cancel() override { m_flow.cancel(); }

private:
    oauth::BrowserSignIn m_flow;
};

class DeviceRunner final : public SignInRunner
{
public:
    DeviceRunner(const oauth::Provider &provider, QObject *parent)
        : SignInRunner(parent), m_flow(provider, this)
    {
        connect(&m_flow, &oauth::DeviceSignIn::codeReady, this, &SignInRunner::codeReady);
        connect(&m_flow, &oauth::DeviceSignIn::finished, this, &SignInRunner::finished);
    }
    void start() override { m_flow.start(); }
    void cancel() override { m_flow.cancel(); }

private:
    oauth::DeviceSignIn m_flow;
};

} // namespace

SignInRunner *makeSignInRunner(SignInRunner::Kind kind, const oauth::Provider &provider,
                               QObject *parent)
{
    if (kind == SignInRunner::Kind::Browser)
        return new BrowserRunner(provider, parent);
    return new DeviceRunner(provider, parent);
}

} // namespace pollux::ui
