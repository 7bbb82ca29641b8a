#pragma once

#include "oauth/Provider.h"
#include "oauth/TokenResponse.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>

namespace pollux::oauth {

// Sign-in with the system browser: the authorization code grant with PKCE (S256) and a
// loopback redirect on 127.0.0.1 with a random port (RFC 8252), by Qt Network
// Authorization's QOAuth2AuthorizationCodeFlow (Qt 6.4 has no PKCE switch, so the PKCE
// parameters are added through the flow's parameter hook) with a reply handler of our own
// that bounds what it reads (BrowserSignIn.cpp says why Qt 6.4's QOAuthHttpServerReplyHandler
// is not used). The `state` is checked, the wait is bounded, and the browser tab shows a
// page saying it may be closed (or why the sign-in failed).
// Requests to the port: GET /callback with this sign-in's state ends it (tokens, or the
// provider's error); one with a wrong, missing or repeated state ends it with Protocol (a
// later right one is not taken: a stray or forged request is seen at once); one with none
// of code/state/error is answered 400 and ignored; another path 404, another method 405,
// garbage 400, more than 8 KiB 431, all ignored; at most 8 connections, 10 s each.
// core/ has no Qt Gui: the caller says how the browser is opened (the UI and the CLI pass
// QDesktopServices::openUrl; tests drive the pages themselves). An opener that returns
// false ends the sign-in (OtherError); one that cannot open a browser but shows the
// address (the CLI over SSH) returns true.
class BrowserSignIn : public QObject
{
    Q_OBJECT

public:
    using Opener = std::function<bool(const QUrl &authorizationUrl)>;
    BrowserSignIn(const Provider &provider, Opener opener, QObject *parent = nullptr);
    ~BrowserSignIn() override;

    void setTimeoutSecs(int secs); // the whole sign-in; default 300
    // The texts of the page the browser shows at the end (plain text; core/ cannot translate,
    // so the UI passes its tr() strings). Defaults: English. The failure page adds the
    // technical reason below `failure`.
    void setPageTexts(const QString &success, const QString &failure);
    // Tests only: off sends no code_challenge / code_verifier (to prove the server needs them).
    void setPkceForTesting(bool on);
    // Listens on 127.0.0.1 (a random free port), builds the authorization URL and hands it
    // to the opener -> browserOpened(), then finished().
    void start();
    void cancel(); // stops listening; finished() is not emitted afterwards
    // After start(): http://127.0.0.1:<port>/<path>, as sent in redirect_uri.
    QUrl redirectUri() const;
    // What the admin registers with the provider: http://127.0.0.1/callback (loopback
    // redirects match on any port, RFC 8252 §7.3).
    static QString registeredRedirectUri();

signals:
    void browserOpened(const QUrl &authorizationUrl);
    // error None: tokens holds the access token and (usually) a refresh token. A wrong
    // `state`, an error from the provider, a timeout or a failed token request end it.
    // Emitted once per start(), from the event loop (never from inside start() or a request):
    // a slot may delete this object or start it again.
    void finished(pollux::oauth::OAuthError error, const QString &detail,
                  const pollux::oauth::TokenSet &tokens);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace pollux::oauth
