#include "oauth/DeviceSignIn.h"

namespace pollux::oauth {

PollStep nextPollStep(OAuthError error, int intervalSecs)
{
    const int interval = qBound(1, intervalSecs, 120);
    switch (error) {
    case OAuthError::None:
        return {PollStep::Done, interval};
    case OAuthError::AuthorizationPending:
        return {PollStep::PollAgain, interval};
    case OAuthError::SlowDown:
        // RFC 8628 §3.5: increase the interval by 5 seconds for this and all later requests.
        return {PollStep::PollAgain, qMin(interval + 5, 120)};
    case OAuthError::Network:
    case OAuthError::Timeout:
        // §3.5: back off exponentially on a connection timeout.
        return {PollStep::PollAgain, qMin(interval * 2, 120)};
    default:
        return {PollStep::Failed, interval};
    }
}

DeviceSignIn::DeviceSignIn(const Provider &provider, QObject *parent)
    : QObject(parent), m_client(provider)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DeviceSignIn::poll);
}

void DeviceSignIn::start()
{
    m_active = true;
    m_client.requestDeviceCode([this](OAuthError e, const DeviceCode &code, const QString &why) {
        if (!m_active)
            return;
        if (e != OAuthError::None) {
            finish(e, why);
            return;
        }
        m_deviceCode = code.deviceCode;
        m_interval = code.interval;
        m_deadline = QDeadlineTimer(code.expiresIn * 1000);
        emit codeReady(code);
        m_timer.start(m_interval * 1000);
    });
}

void DeviceSignIn::cancel()
{
    m_active = false;
    m_timer.stop();
}

void DeviceSignIn::poll()
{
    if (!m_active)
        return;
    if (m_deadline.hasExpired()) {
        finish(OAuthError::ExpiredToken, QStringLiteral("the code expired before sign-in"));
        return;
    }
    m_client.pollDeviceToken(m_deviceCode,
                             [this](OAuthError e, const TokenSet &tokens, const QString &why) {
                                 if (!m_active)
                                     return;
                                 const PollStep step = nextPollStep(e, m_interval);
                                 m_interval = step.intervalSecs;
                                 if (step.kind == PollStep::PollAgain)
                                     m_timer.start(m_interval * 1000);
                                 else
                                     finish(e, why, tokens);
                             });
}

void DeviceSignIn::finish(OAuthError error, const QString &detail, const TokenSet &tokens)
{
    m_active = false;
    m_timer.stop();
    m_deviceCode.clear();
    emit finished(error, detail, tokens);
}

} // namespace pollux::oauth
