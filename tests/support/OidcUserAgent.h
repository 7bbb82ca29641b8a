#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace pollux::test {

// The user's part of a sign-in, done against oidc-provider's real HTML pages the way a
// browser without JavaScript does it: GET the page, fill in and POST its first form (the
// hidden fields as the server wrote them), follow redirects, keep cookies. Handles the
// device flow's code confirmation, the login form and the consent form.
class OidcUserAgent
{
public:
    OidcUserAgent();
    ~OidcUserAgent();
    OidcUserAgent(const OidcUserAgent &) = delete;
    OidcUserAgent &operator=(const OidcUserAgent &) = delete;

    enum class Decision
    {
        Approve, // confirm the code, log in, consent
        Abort,   // press "Abort" on the code confirmation page (access_denied)
    };
    // Opens the verification URI (with the code in it) and goes through the pages until the
    // server says "Sign-in Success" (true) or a step fails (false, with `error`).
    // For Abort: true once the server has taken the abort.
    bool completeDeviceSignIn(const QUrl &verificationUriComplete, const QString &login,
                              const QString &password, Decision decision, QString *error);

    // The browser sign-in (authorization code): what the test does to the provider's final
    // redirect to the loopback redirect_uri before the "browser" follows it.
    struct Tamper
    {
        QString state;            // non-empty: the redirect's state is replaced by this one
        bool dropState = false;   // the redirect's state is removed
        quint16 redirectPort = 0; // non-zero: the redirect goes to this loopback port instead
    };
    // Opens the authorization URL, logs in as `login`, then on the consent page consents
    // (Approve) or presses Cancel (Abort: the provider redirects with access_denied), and
    // follows the provider's redirect to http://127.0.0.1:<port>/callback (tampered with as
    // told) the way a browser does. True once that last request has been answered, whatever
    // its status (callbackStatus(), lastPage()); false, with `error`, when a step before it
    // fails or the redirect target does not answer.
    bool completeBrowserSignIn(const QUrl &authorizationUrl, const QString &login,
                               const QString &password, Decision decision, const Tamper &tamper,
                               QString *error);
    // The provider's redirect as it came (before any tampering): holds code (a secret) and
    // state, or error.
    QUrl providerRedirect() const { return m_redirect; }
    int callbackStatus() const { return m_callbackStatus; }

    // The last page, for failure messages.
    QByteArray lastPage() const { return m_page; }

private:
    // One request, redirects not followed: the status, and the Location of a redirect.
    bool send(const QUrl &url, const QByteArray *form, int *status, QUrl *location, QString *error);
    bool get(const QUrl &url, QString *error);
    bool post(const QUrl &url, const QByteArray &form, QString *error);
    bool finish(QNetworkReply *reply, QString *error);

    QNetworkAccessManager *m_network;
    QByteArray m_page;
    QUrl m_url;
    QUrl m_redirect;
    int m_callbackStatus = 0;
};

} // namespace pollux::test
