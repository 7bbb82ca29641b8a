#pragma once

#include "oauth/TokenClient.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

namespace pollux::oauth {

// What to do after one poll of the token endpoint (RFC 8628 §3.5), as a pure function of the
// answer and the current interval.
struct PollStep
{
    enum Kind
    {
        PollAgain,
        Done,   // tokens arrived
        Failed, // give up with the error
    };
    Kind kind = Failed;
    int intervalSecs = 5;
};
PollStep nextPollStep(OAuthError error, int intervalSecs);

// The device authorization grant: asks for a code, reports it (codeReady) for the user to
// enter at the verification URI on any device, then polls the token endpoint at the
// server's interval until the user has finished, said no, or the code expired.
class DeviceSignIn : public QObject
{
    Q_OBJECT

public:
    explicit DeviceSignIn(const Provider &provider, QObject *parent = nullptr);

    void start();
    void cancel(); // stops polling; finished() is not emitted afterwards

    int currentIntervalSecs() const { return m_interval; }

signals:
    void codeReady(const pollux::oauth::DeviceCode &code);
    // error None: tokens holds the access token and (usually) a refresh token.
    void finished(pollux::oauth::OAuthError error, const QString &detail,
                  const pollux::oauth::TokenSet &tokens);

private:
    void poll();
    void finish(OAuthError error, const QString &detail, const TokenSet &tokens = {});

    TokenClient m_client;
    QTimer m_timer;
    QDeadlineTimer m_deadline;
    QString m_deviceCode;
    int m_interval = 5;
    bool m_active = false;
};

} // namespace pollux::oauth
