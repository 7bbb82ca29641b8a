// The browser sign-in (authorization code with PKCE, BrowserSignIn) against the real
// oidc-provider (OAuthHarness.h): the user's part — login form, consent — done on the
// server's own pages by OidcUserAgent, which then follows the server's redirect to the
// loopback redirect_uri the way a browser does. Tokens arrive, the refresh token renews, the
// mail is collected; without PKCE the server refuses; a wrong or missing state, a redirect to
// another port, the user saying no and a sign-in nobody finishes all end without tokens; odd
// requests to the loopback port are answered and bounded; nothing secret reaches a log.
#include "OAuthHarness.h"

#include "oauth/BrowserSignIn.h"
#include "oauth/TokenClient.h"

#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

using namespace pollux;
using namespace pollux::oauth;
using namespace pollux::test;

namespace {

struct Outcome
{
    bool finished = false;
    OAuthError error = OAuthError::Protocol;
    QString detail;
    TokenSet tokens;
};

// What one connection to the loopback port gets back, and whether the server closed it.
struct RawAnswer
{
    QByteArray data;
    bool closedByServer = false;
};

RawAnswer rawRequest(quint16 port, const QByteArray &bytes)
{
    RawAnswer out;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return out;
    socket.write(bytes);
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&out, &socket] { out.data += socket.readAll(); });
    out.closedByServer = QTest::qWaitFor(
        [&socket] { return socket.state() == QAbstractSocket::UnconnectedState; }, 15000);
    out.data += socket.readAll();
    return out;
}

// The local addresses a TCP port listens on (/proc/net/tcp and tcp6, hex as the kernel
// writes them: "0100007F" is 127.0.0.1).
QStringList listeningAddresses(quint16 port)
{
    QStringList out;
    const QString hexPort = QStringLiteral("%1").arg(port, 4, 16, QLatin1Char('0')).toUpper();
    for (const char *file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f{QString::fromLatin1(file)};
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (const QByteArray &line : lines) {
            const QList<QByteArray> cols = line.simplified().split(' ');
            if (cols.size() < 4 || cols.at(3) != "0A") // LISTEN
                continue;
            const QList<QByteArray> local = cols.at(1).split(':');
            if (local.size() == 2 && QString::fromLatin1(local.at(1)) == hexPort)
                out << QString::fromLatin1(local.at(0));
        }
    }
    return out;
}

} // namespace

class TestOAuthBrowser : public QObject, private OAuthHarness
{
    Q_OBJECT

private slots:
    void initTestCase() { setUp(); }
    void cleanupTestCase() { tearDown(); }
    void signInCollects_data();
    void signInCollects();
    void withoutPkceRefused();
    void wrongStateRefused_data();
    void wrongStateRefused();
    void repeatedStateRefused();
    void redirectToAnotherPort();
    void userSaysNo();
    void nobodySignsIn();
    void oddRequestsToThePort();
    void badEndpointsRefused();
    void cancelThenStartAgain();
    void endpointQueryKept();
    void deletedInItsOwnSlot();
    void codeReachesTheTokenEndpointAsSent();
    void noTokenInLogs() { checkNoTokenInLogs(QStringLiteral("browser sign-in failed")); } // last

private:
    Provider browserProvider(const QString &client) const
    {
        Provider p = provider(client);
        p.authorizationEndpoint = QUrl(m_oidc.issuer() + QStringLiteral("/auth"));
        return p;
    }

    // Starts `flow`, waits for the authorization URL (the "browser" opened).
    QUrl open(BrowserSignIn &flow)
    {
        QSignalSpy opened(&flow, &BrowserSignIn::browserOpened);
        flow.start();
        if (opened.isEmpty() && !opened.wait(10000))
            return {};
        return opened.first().first().toUrl();
    }

    static Outcome outcomeOf(QSignalSpy &finished, int waitMs)
    {
        Outcome o;
        if (finished.isEmpty() && !finished.wait(waitMs))
            return o;
        o.finished = true;
        o.error = finished.first().at(0).value<OAuthError>();
        o.detail = finished.first().at(1).toString();
        o.tokens = finished.first().at(2).value<TokenSet>();
        return o;
    }

    void rememberRedirect(const OidcUserAgent &agent)
    {
        m_seen << QUrlQuery(agent.providerRedirect()).queryItemValue(QStringLiteral("code"));
    }

    // The whole sign-in: open, drive the pages, wait for finished().
    Outcome signInWith(BrowserSignIn &flow, const QString &user, OidcUserAgent &agent,
                       OidcUserAgent::Decision decision, const OidcUserAgent::Tamper &tamper,
                       QString *error)
    {
        QSignalSpy finished(&flow, &BrowserSignIn::finished);
        const QUrl url = open(flow);
        if (url.isEmpty()) {
            *error = QStringLiteral("the browser was never opened");
            return {};
        }
        if (!agent.completeBrowserSignIn(url, user, password, decision, tamper, error))
            return {};
        rememberRedirect(agent);
        const Outcome o = outcomeOf(finished, 30000);
        remember(o.tokens);
        return o;
    }

    static BrowserSignIn::Opener anyBrowser()
    {
        return [](const QUrl &) { return true; };
    }
};

void TestOAuthBrowser::signInCollects_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<int>("type");
    QTest::newRow("public-pop3-ssl") << OidcServer::publicClient() << int(ServerType::Pop3Ssl);
    QTest::newRow("confidential-imap-ssl")
        << OidcServer::confidentialClient() << int(ServerType::ImapSsl);
}

// Browser sign-in → an access and a refresh token; the authorization URL carried the PKCE
// challenge (S256), a state and the loopback redirect_uri; the browser is told it may close
// the tab; the refresh token renews (and is rotated); stored and used, the mail is collected.
void TestOAuthBrowser::signInCollects()
{
    QFETCH(QString, client);
    QFETCH(int, type);
    const QString user = newUser(2);
    BrowserSignIn flow(browserProvider(client), anyBrowser());
    flow.setPageTexts(QStringLiteral("All done here."), QStringLiteral("That went wrong."));
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    const QUrl url = open(flow);
    QVERIFY(!url.isEmpty());

    const QUrlQuery q(url);
    const QUrl redirect = flow.redirectUri();
    QCOMPARE(redirect.scheme(), QStringLiteral("http"));
    QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(redirect.path(), QStringLiteral("/callback"));
    QVERIFY(redirect.port() > 0);
    QCOMPARE(q.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
             redirect.toString());
    QCOMPARE(q.queryItemValue(QStringLiteral("response_type")), QStringLiteral("code"));
    QCOMPARE(q.queryItemValue(QStringLiteral("client_id")), client);
    QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    // base64url of a SHA-256: 43 characters.
    QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
    QVERIFY(q.queryItemValue(QStringLiteral("state")).size() >= 32);
    QCOMPARE(q.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
             QStringLiteral("openid offline_access mail"));
    QVERIFY(!q.hasQueryItem(QStringLiteral("client_secret"))); // never in a URL
    QVERIFY(listeningAddresses(quint16(redirect.port())) ==
            QStringList{QStringLiteral("0100007F")});

    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeBrowserSignIn(url, user, password, OidcUserAgent::Decision::Approve, {},
                                         &error),
             qPrintable(error + QString::fromUtf8(agent.lastPage()) + m_oidc.logTail()));
    rememberRedirect(agent);
    // The browser was answered once the tokens were there.
    QCOMPARE(agent.callbackStatus(), 200);
    QVERIFY(agent.lastPage().contains("All done here."));
    const Outcome o = outcomeOf(finished, 30000);
    QVERIFY(o.finished);
    remember(o.tokens);
    QVERIFY2(o.error == OAuthError::None, qPrintable(oauthErrorName(o.error) + o.detail));
    QCOMPARE(finished.size(), 1);
    QVERIFY(!o.tokens.accessToken.isEmpty());
    QVERIFY2(!o.tokens.refreshToken.isEmpty(), "offline_access brought no refresh token");
    QVERIFY(o.tokens.expiresIn > 0 && o.tokens.expiresIn <= 60);
    // The port is closed once the sign-in has ended.
    QVERIFY(listeningAddresses(quint16(redirect.port())).isEmpty());

    // The refresh token renews, and the server rotates it.
    TokenClient tokens(provider(client));
    Outcome renewed;
    tokens.refresh(o.tokens.refreshToken,
                   [&renewed](OAuthError e, const TokenSet &t, const QString &detail) {
                       renewed.finished = true;
                       renewed.error = e;
                       renewed.tokens = t;
                       renewed.detail = detail;
                   });
    QTRY_VERIFY_WITH_TIMEOUT(renewed.finished, 20000);
    remember(renewed.tokens);
    QVERIFY2(renewed.error == OAuthError::None, qPrintable(renewed.detail));
    QVERIFY(!renewed.tokens.accessToken.isEmpty());
    QVERIFY(renewed.tokens.refreshToken != o.tokens.refreshToken);

    // Stored as a sign-in, the keychain holds the refresh token and the mail is collected.
    TokenSource source(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    bool stored = false;
    source.storeSignIn(renewed.tokens, [&stored](OAuthError e, const QString &) {
        stored = e == OAuthError::None;
    });
    QTRY_VERIFY(stored);
    QCOMPARE(storedRefresh(user), renewed.tokens.refreshToken);
    const Access a = access(source);
    QCOMPARE(a.error, OAuthError::None);
    m_secrets.set(secretKey(SecretKind::Account, user), a.token);
    const PassOutcome pass =
        runPass(makeConfig(user, ServerType(type), QStringLiteral("oauthbearer")));
    QVERIFY(pass.finished);
    QVERIFY2(pass.result.ok(), qPrintable(pass.result.message() + m_dovecot.logTail()));
    QCOMPARE(pass.collected, 2);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 2, 30000);
}

// The hook is what sends PKCE: without it the URL has no challenge and the server (which
// requires PKCE) refuses the sign-in; no tokens.
void TestOAuthBrowser::withoutPkceRefused()
{
    BrowserSignIn flow(browserProvider(OidcServer::publicClient()), anyBrowser());
    flow.setPkceForTesting(false);
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    const QUrl url = open(flow);
    QVERIFY(!url.isEmpty());
    QVERIFY(!QUrlQuery(url).hasQueryItem(QStringLiteral("code_challenge")));
    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeBrowserSignIn(url, newUser(0), password,
                                         OidcUserAgent::Decision::Approve, {}, &error),
             qPrintable(error));
    // The server answered the authorization request itself with the error.
    QCOMPARE(QUrlQuery(agent.providerRedirect()).queryItemValue(QStringLiteral("error")),
             QStringLiteral("invalid_request"));
    const Outcome o = outcomeOf(finished, 30000);
    QVERIFY(o.finished);
    QCOMPARE(o.error, OAuthError::OtherError);
    QVERIFY2(o.detail.contains(QLatin1String("PKCE")), qPrintable(o.detail));
    QVERIFY(o.tokens.accessToken.isEmpty());
    QCOMPARE(agent.callbackStatus(), 400);
    QVERIFY(agent.lastPage().contains("PKCE"));
}

void TestOAuthBrowser::wrongStateRefused_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<bool>("drop");
    QTest::newRow("forged-state") << QStringLiteral("forged-state-0123456789") << false;
    QTest::newRow("no-state") << QString() << true;
}

// The redirect carries a state that is not this sign-in's (or none): refused at once, no
// tokens, and the port is closed, so the redirect with the right state that follows is not
// taken either.
void TestOAuthBrowser::wrongStateRefused()
{
    QFETCH(QString, state);
    QFETCH(bool, drop);
    BrowserSignIn flow(browserProvider(OidcServer::publicClient()), anyBrowser());
    OidcUserAgent agent;
    OidcUserAgent::Tamper tamper;
    tamper.state = state;
    tamper.dropState = drop;
    QString error;
    const Outcome o =
        signInWith(flow, newUser(0), agent, OidcUserAgent::Decision::Approve, tamper, &error);
    QVERIFY2(o.finished, qPrintable(error));
    QCOMPARE(o.error, OAuthError::Protocol);
    QVERIFY2(o.detail.contains(QLatin1String("state")), qPrintable(o.detail));
    QVERIFY(o.tokens.accessToken.isEmpty());
    QCOMPARE(agent.callbackStatus(), 400);
    // The genuine redirect, sent after the forged one, finds nobody listening.
    const QUrl genuine = agent.providerRedirect();
    QVERIFY(QUrlQuery(genuine).hasQueryItem(QStringLiteral("code")));
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, quint16(genuine.port()));
    QVERIFY(!late.waitForConnected(3000));
}

// state given twice (RFC 6749: no parameter more than once): refused.
void TestOAuthBrowser::repeatedStateRefused()
{
    BrowserSignIn flow(browserProvider(OidcServer::publicClient()), anyBrowser());
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    const QUrl url = open(flow);
    QVERIFY(!url.isEmpty());
    const QString state = QUrlQuery(url).queryItemValue(QStringLiteral("state"));
    const RawAnswer a = rawRequest(quint16(flow.redirectUri().port()),
                                   "GET /callback?code=abc&state=" + state.toLatin1() + "&state=" +
                                       state.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(a.closedByServer);
    QVERIFY2(a.data.startsWith("HTTP/1.1 400"), a.data.constData());
    const Outcome o = outcomeOf(finished, 10000);
    QVERIFY(o.finished);
    QCOMPARE(o.error, OAuthError::Protocol);
    QVERIFY(o.tokens.accessToken.isEmpty());
}

// The code is delivered to another loopback port (another program listening there): the
// sign-in never sees it and ends by its timeout, without tokens, and nothing is stored.
void TestOAuthBrowser::redirectToAnotherPort()
{
    QTcpServer decoy;
    QVERIFY(decoy.listen(QHostAddress::LocalHost, 0));
    QByteArray decoyGot;
    connect(&decoy, &QTcpServer::newConnection, this, [&decoy, &decoyGot] {
        QTcpSocket *s = decoy.nextPendingConnection();
        connect(s, &QTcpSocket::readyRead, s, [s, &decoyGot] {
            decoyGot += s->readAll();
            if (decoyGot.contains("\r\n\r\n")) {
                s->write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                s->disconnectFromHost();
            }
        });
    });
    const QString user = newUser(0);
    BrowserSignIn flow(browserProvider(OidcServer::publicClient()), anyBrowser());
    flow.setTimeoutSecs(3);
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    const QUrl url = open(flow);
    QVERIFY(!url.isEmpty());
    OidcUserAgent agent;
    OidcUserAgent::Tamper tamper;
    tamper.redirectPort = decoy.serverPort();
    QString error;
    QVERIFY2(agent.completeBrowserSignIn(url, user, password, OidcUserAgent::Decision::Approve,
                                         tamper, &error),
             qPrintable(error));
    rememberRedirect(agent);
    QVERIFY(decoyGot.startsWith("GET /callback?"));
    QVERIFY(decoyGot.contains("code="));
    QVERIFY(finished.isEmpty()); // the decoy's request did not reach the sign-in
    const Outcome o = outcomeOf(finished, 15000);
    QVERIFY(o.finished);
    QCOMPARE(o.error, OAuthError::Timeout);
    QVERIFY(o.tokens.accessToken.isEmpty());
    QVERIFY(storedRefresh(user).isEmpty());
}

// The user presses Cancel on the consent page: access_denied, sign-in needed, an error page.
void TestOAuthBrowser::userSaysNo()
{
    BrowserSignIn flow(browserProvider(OidcServer::confidentialClient()), anyBrowser());
    OidcUserAgent agent;
    QString error;
    const Outcome o =
        signInWith(flow, newUser(0), agent, OidcUserAgent::Decision::Abort, {}, &error);
    QVERIFY2(o.finished, qPrintable(error + QString::fromUtf8(agent.lastPage())));
    QCOMPARE(o.error, OAuthError::AccessDenied);
    QVERIFY(needsSignIn(o.error));
    QVERIFY(o.tokens.accessToken.isEmpty());
    QCOMPARE(agent.callbackStatus(), 400);
    QVERIFY(agent.lastPage().contains("could not sign in"));
    QVERIFY(agent.lastPage().contains("access_denied"));
}

// Nobody finishes the sign-in: Timeout, and the port is closed.
void TestOAuthBrowser::nobodySignsIn()
{
    BrowserSignIn flow(browserProvider(OidcServer::publicClient()), anyBrowser());
    flow.setTimeoutSecs(1);
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    QVERIFY(!open(flow).isEmpty());
    const quint16 port = quint16(flow.redirectUri().port());
    QVERIFY(!listeningAddresses(port).isEmpty());
    const Outcome o = outcomeOf(finished, 10000);
    QVERIFY(o.finished);
    QCOMPARE(o.error, OAuthError::Timeout);
    QVERIFY(listeningAddresses(port).isEmpty());

    // An opener that cannot open the browser ends the sign-in too (no wait for nothing).
    BrowserSignIn noBrowser(browserProvider(OidcServer::publicClient()),
                            [](const QUrl &) { return false; });
    QSignalSpy ended(&noBrowser, &BrowserSignIn::finished);
    noBrowser.start();
    const Outcome n = outcomeOf(ended, 10000);
    QVERIFY(n.finished);
    QCOMPARE(n.error, OAuthError::OtherError);
}

// Requests that are not the redirect: another path, another method, garbage, no parameters,
// a request without end (1 MiB), more connections than allowed. Each is answered or closed,
// none ends the sign-in, and the real redirect afterwards still signs in.
void TestOAuthBrowser::oddRequestsToThePort()
{
    BrowserSignIn flow(browserProvider(OidcServer::publicClient()), anyBrowser());
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    const QUrl url = open(flow);
    QVERIFY(!url.isEmpty());
    const quint16 port = quint16(flow.redirectUri().port());

    // More connections than the handler takes at once: the extras are closed straight away.
    QTcpSocket slow; // and one that never finishes its request is closed after 10 s
    {
        QList<QTcpSocket *> idle;
        for (int i = 0; i < 12; ++i) {
            auto *s = new QTcpSocket(this);
            s->connectToHost(QHostAddress::LocalHost, port);
            idle << s;
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::count_if(idle.begin(), idle.end(),
                                               [](QTcpSocket *s) {
                                                   return s->state() ==
                                                          QAbstractSocket::UnconnectedState;
                                               }) >= 4,
                                 10000);
        for (QTcpSocket *s : idle) {
            s->abort();
            delete s;
        }
    }

    // Once the handler has seen those connections end, it answers again: another path is
    // not found.
    RawAnswer a;
    QTRY_VERIFY_WITH_TIMEOUT(
        (a = rawRequest(port, "GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
            .data.startsWith("HTTP/1.1 404"),
        10000);
    QVERIFY(a.closedByServer);
    // (The handler has room again.)
    slow.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(slow.waitForConnected(5000));
    slow.write("GET /callback?code=");
    QVERIFY(slow.waitForBytesWritten(5000));
    // A path that merely starts with the callback's.
    a = rawRequest(port, "GET /callbackx?code=x&state=y HTTP/1.1\r\n\r\n");
    QVERIFY2(a.data.startsWith("HTTP/1.1 404"), a.data.constData());
    a = rawRequest(port, "POST /callback HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    QVERIFY2(a.data.startsWith("HTTP/1.1 405"), a.data.constData());
    a = rawRequest(port, QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15));
    QVERIFY(a.closedByServer);
    QVERIFY2(a.data.startsWith("HTTP/1.1 400"), a.data.constData());
    a = rawRequest(port, "GET /callback HTTP/1.1\r\n\r\n");
    QVERIFY2(a.data.startsWith("HTTP/1.1 400"), a.data.constData());
    // A request line that never ends: the server stops reading and closes the connection.
    a = rawRequest(port, "GET /callback?code=" + QByteArray(1024 * 1024, 'a'));
    QVERIFY(a.closedByServer);
    QVERIFY(a.data.isEmpty() || a.data.startsWith("HTTP/1.1 431"));
    QTRY_VERIFY_WITH_TIMEOUT(slow.state() == QAbstractSocket::UnconnectedState, 20000);
    QVERIFY(finished.isEmpty());

    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeBrowserSignIn(url, newUser(0), password,
                                         OidcUserAgent::Decision::Approve, {}, &error),
             qPrintable(error));
    rememberRedirect(agent);
    const Outcome o = outcomeOf(finished, 30000);
    QVERIFY(o.finished);
    remember(o.tokens);
    QVERIFY2(o.error == OAuthError::None, qPrintable(o.detail));
    QVERIFY(!o.tokens.refreshToken.isEmpty());
    QCOMPARE(finished.size(), 1);
}

// Endpoints that would expose the code or the tokens: refused before anything is opened.
void TestOAuthBrowser::badEndpointsRefused()
{
    bool opened = false;
    Provider p = browserProvider(OidcServer::publicClient());
    p.authorizationEndpoint = QUrl(QStringLiteral("http://login.example.com/auth"));
    BrowserSignIn flow(p, [&opened](const QUrl &) { return opened = true; });
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    flow.start();
    QVERIFY(finished.isEmpty()); // never from inside start()
    const Outcome o = outcomeOf(finished, 5000);
    QVERIFY(o.finished);
    QCOMPARE(o.error, OAuthError::Protocol);
    QVERIFY(!opened);
}

// cancel() closes the port and nothing is reported; a second start() signs in.
void TestOAuthBrowser::cancelThenStartAgain()
{
    BrowserSignIn flow(browserProvider(OidcServer::publicClient()), anyBrowser());
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    const QUrl first = open(flow);
    QVERIFY(!first.isEmpty());
    const quint16 firstPort = quint16(flow.redirectUri().port());
    flow.cancel();
    QVERIFY(listeningAddresses(firstPort).isEmpty());
    QCoreApplication::processEvents(); // a finished() queued by mistake would come now
    QVERIFY(finished.isEmpty());

    OidcUserAgent agent;
    QString error;
    const Outcome o =
        signInWith(flow, newUser(0), agent, OidcUserAgent::Decision::Approve, {}, &error);
    QVERIFY2(o.finished, qPrintable(error));
    QVERIFY2(o.error == OAuthError::None, qPrintable(o.detail));
    QVERIFY(!o.tokens.refreshToken.isEmpty());
}

// An authorization endpoint with a query of its own (Azure AD B2C's policy): kept beside
// the flow's parameters.
void TestOAuthBrowser::endpointQueryKept()
{
    Provider p = browserProvider(OidcServer::publicClient());
    p.authorizationEndpoint.setQuery(QStringLiteral("p=B2C_1_signin"));
    BrowserSignIn flow(p, anyBrowser());
    const QUrlQuery q(open(flow));
    QCOMPARE(q.queryItemValue(QStringLiteral("p")), QStringLiteral("B2C_1_signin"));
    QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    QCOMPARE(q.queryItemValue(QStringLiteral("client_id")), OidcServer::publicClient());
    flow.cancel();
}

// A slot that deletes the sign-in when it ends (as a dialog does) is safe even when the end
// comes from a request to the loopback port.
void TestOAuthBrowser::deletedInItsOwnSlot()
{
    auto *flow = new BrowserSignIn(browserProvider(OidcServer::publicClient()), anyBrowser());
    QSignalSpy destroyed(flow, &QObject::destroyed);
    OAuthError seen = OAuthError::None;
    connect(flow, &BrowserSignIn::finished, this,
            [flow, &seen](OAuthError e, const QString &, const TokenSet &) {
                seen = e;
                delete flow;
            });
    const QUrl url = open(*flow);
    QVERIFY(!url.isEmpty());
    const quint16 port = quint16(flow->redirectUri().port());
    const RawAnswer a = rawRequest(port, "GET /callback?code=abc&state=not-it HTTP/1.1\r\n\r\n");
    QVERIFY(a.closedByServer);
    QVERIFY2(a.data.startsWith("HTTP/1.1 400"), a.data.constData());
    QTRY_COMPARE_WITH_TIMEOUT(destroyed.size(), 1, 10000);
    QCOMPARE(seen, OAuthError::Protocol);
}

// The code goes to the token endpoint as the provider sent it, decoded exactly once: a code
// with a literal '%' ("x%41y", in the redirect "x%2541y") arrives as "x%41y". (Some versions
// of Qt's flow percent-decode the code they are handed once more; Qt 6.4's does not.)
void TestOAuthBrowser::codeReachesTheTokenEndpointAsSent()
{
    QTcpServer tokenEndpoint;
    QVERIFY(tokenEndpoint.listen(QHostAddress::LocalHost));
    QByteArray request;
    connect(&tokenEndpoint, &QTcpServer::newConnection, this, [&tokenEndpoint, &request] {
        QTcpSocket *s = tokenEndpoint.nextPendingConnection();
        connect(s, &QTcpSocket::readyRead, s, [s, &request] {
            request += s->readAll();
            const qsizetype head = request.indexOf("\r\n\r\n");
            const qsizetype length = request.toLower().indexOf("content-length:");
            if (head < 0 || length < 0)
                return;
            const int bodyBytes =
                request.mid(length + 15, request.indexOf('\r', length) - length - 15)
                    .trimmed()
                    .toInt();
            if (request.size() < head + 4 + bodyBytes)
                return;
            const QByteArray json = "{\"error\":\"invalid_grant\"}";
            s->write("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                     "Content-Length: " +
                     QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" + json);
            s->disconnectFromHost();
        });
    });
    Provider p = browserProvider(OidcServer::publicClient());
    p.tokenEndpoint =
        QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(tokenEndpoint.serverPort()));
    BrowserSignIn flow(p, anyBrowser());
    QSignalSpy finished(&flow, &BrowserSignIn::finished);
    const QUrl url = open(flow);
    QVERIFY(!url.isEmpty());
    const QString state = QUrlQuery(url).queryItemValue(QStringLiteral("state"));
    QVERIFY(!state.isEmpty());
    const quint16 port = quint16(flow.redirectUri().port());
    const RawAnswer a =
        rawRequest(port, "GET /callback?code=x%2541y&state=" + QUrl::toPercentEncoding(state) +
                             " HTTP/1.1\r\n\r\n");
    QVERIFY(a.closedByServer);
    const Outcome o = outcomeOf(finished, 20000);
    QVERIFY(o.finished);
    QCOMPARE(o.error, OAuthError::InvalidGrant);
    const QByteArray body = request.mid(request.indexOf("\r\n\r\n") + 4);
    QCOMPARE(QUrlQuery(QString::fromLatin1(body))
                 .queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded),
             QStringLiteral("x%41y"));
}

QTEST_GUILESS_MAIN(TestOAuthBrowser)
#include "tst_oauth_browser.moc"
