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

    // The last page, for failure messages.
    QByteArray lastPage() const { return m_page; }

private:
    bool get(const QUrl &url, QString *error);
    bool post(const QUrl &url, const QByteArray &form, QString *error);
    bool finish(QNetworkReply *reply, QString *error);

    QNetworkAccessManager *m_network;
    QByteArray m_page;
    QUrl m_url;
};

} // namespace pollux::test
