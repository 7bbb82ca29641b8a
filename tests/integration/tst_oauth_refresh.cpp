// OAuth2 token renewal end to end (OAuthHarness.h): refresh before expiry with rotation into
// the keychain, refused refresh tokens as a typed sign-in-needed error, a kill between the
// token response and the keychain write, a keychain that refuses the new refresh token.
#include "OAuthHarness.h"
#include "support/FaultProxy.h"

using namespace pollux;
using namespace pollux::oauth;
using namespace pollux::test;

class TestOAuthRefresh : public QObject, private OAuthHarness
{
    Q_OBJECT

private slots:
    void initTestCase() { setUp(); }
    void cleanupTestCase() { tearDown(); }
    void refreshRotates_data();
    void refreshRotates();
    void refreshRefused_data();
    void refreshRefused();
    void killDuringRotation();
    void keychainWriteFails();
    void unsavedTokenServesEverySource();
    void destroyedWhileWriting();
    void refreshOutlivesItsSource();
    void noTokenInLogs() { checkNoTokenInLogs(QStringLiteral("invalid_grant")); } // last

private:
    // A sign-in of `user` with `client`, its refresh token stored in the keychain.
    bool signedInAndStored(const QString &user, const QString &client, TokenSet &tokens)
    {
        QString error;
        if (!signIn(user, client, tokens, &error)) {
            qWarning("sign-in failed: %s", qPrintable(error));
            return false;
        }
        m_secrets.set(secretKey(SecretKind::OAuth2Refresh, user), tokens.refreshToken);
        return true;
    }
};

void TestOAuthRefresh::refreshRotates_data()
{
    QTest::addColumn<QString>("client");
    QTest::newRow("public") << OidcServer::publicClient();
    QTest::newRow("confidential") << OidcServer::confidentialClient();
}

// Near its expiry the access token is renewed with the refresh token; the server rotates
// it, the keychain gets the new one, the new access token opens the mailbox, and the old
// refresh token is refused.
void TestOAuthRefresh::refreshRotates()
{
    QFETCH(QString, client);
    const QString user = newUser(1);
    TokenSet tokens;
    QString error;
    QVERIFY2(signIn(user, client, tokens, &error), qPrintable(error));
    qint64 offsetMs = 0;
    TokenSource source(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    source.setClock([&offsetMs] { return QDateTime::currentMSecsSinceEpoch() + offsetMs; });
    bool stored = false;
    source.storeSignIn(
        tokens, [&stored](OAuthError e, const QString &) { stored = e == OAuthError::None; });
    QTRY_VERIFY(stored);

    // Still well within its life: the same token, no request.
    QCOMPARE(access(source).token, tokens.accessToken);
    // Inside the margin before expiry (60 s tokens: 12 s): renewed.
    offsetMs = (tokens.expiresIn - TokenSource::refreshMarginSecs(tokens.expiresIn) + 1) * 1000;
    const Access renewed = access(source);
    QCOMPARE(renewed.error, OAuthError::None);
    QVERIFY(!renewed.token.isEmpty());
    QVERIFY(renewed.token != tokens.accessToken);
    const QString newRefresh = storedRefresh(user);
    m_seen << newRefresh;
    QVERIFY(!newRefresh.isEmpty());
    QVERIFY(newRefresh != tokens.refreshToken);
    QVERIFY(!source.hasUnsavedRefreshToken());

    m_secrets.set(secretKey(SecretKind::Account, user), renewed.token);
    const PassOutcome o = runPass(makeConfig(user, ServerType::Pop3Ssl, QStringLiteral("xoauth2")));
    QVERIFY2(o.finished && o.result.ok(), qPrintable(o.result.message() + m_dovecot.logTail()));
    QCOMPARE(o.collected, 1);

    // The old refresh token is used up.
    TokenClient direct(provider(client));
    bool answered = false;
    OAuthError oldAnswer = OAuthError::None;
    direct.refresh(tokens.refreshToken, [&](OAuthError e, const TokenSet &t, const QString &) {
        remember(t);
        answered = true;
        oldAnswer = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    QCOMPARE(oldAnswer, OAuthError::InvalidGrant);
    QVERIFY(needsSignIn(oldAnswer));
}

void TestOAuthRefresh::refreshRefused_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("revoked") << QStringLiteral("revoked");
    QTest::newRow("garbage") << QStringLiteral("garbage");
    QTest::newRow("other-clients") << QStringLiteral("other-clients");
}

// A refresh token the server will not take: a typed sign-in-needed error, no access token.
void TestOAuthRefresh::refreshRefused()
{
    QFETCH(QString, how);
    const QString user = newUser(0);
    const QString client = OidcServer::publicClient();
    TokenSet tokens;
    QString error;
    QVERIFY2(
        signIn(user,
               how == QLatin1String("other-clients") ? OidcServer::confidentialClient() : client,
               tokens, &error),
        qPrintable(error));
    QString refresh = tokens.refreshToken;
    if (how == QLatin1String("revoked")) {
        TokenClient direct(provider(client));
        bool revoked = false;
        direct.revoke(
            refresh, QStringLiteral("refresh_token"),
            [&revoked](OAuthError e, const QString &) { revoked = e == OAuthError::None; });
        QTRY_VERIFY_WITH_TIMEOUT(revoked, 20000);
    } else if (how == QLatin1String("garbage")) {
        refresh = QStringLiteral("not-a-refresh-token-at-all");
    }
    m_secrets.set(secretKey(SecretKind::OAuth2Refresh, user), refresh);
    TokenSource source(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    const Access a = access(source);
    QCOMPARE(a.error, OAuthError::InvalidGrant);
    QVERIFY(needsSignIn(a.error));
    QVERIFY(a.token.isEmpty());
    // Asking again asks the server again (nothing cached from the failure).
    QCOMPARE(access(source).error, OAuthError::InvalidGrant);
}

// Killed after the server rotated the refresh token but before the keychain took the new
// one: the access token was never handed out, the keychain still holds the used token. The
// next start (a new TokenSource) presents it; oidc-provider detects the reuse and ends the
// grant, so the outcome is a typed sign-in-needed error (see TokenSource.h: the window cannot
// be closed from the client against such a server).
void TestOAuthRefresh::killDuringRotation()
{
    const QString user = newUser(0);
    const QString client = OidcServer::publicClient();
    TokenSet tokens;
    QVERIFY(signedInAndStored(user, client, tokens));

    StuckWriteStore stuck(&m_secrets);
    auto dying = std::make_unique<TokenSource>(provider(client), TokenSource::Grant::RefreshToken,
                                               &stuck, user);
    bool answered = false;
    dying->accessToken(
        [&answered](OAuthError, const QString &, const QString &) { answered = true; });
    QTRY_COMPARE_WITH_TIMEOUT(stuck.writes, 1, 20000);
    QVERIFY(dying->hasUnsavedRefreshToken());
    QVERIFY(!answered); // no access token before the keychain has the new refresh token
    dying.reset();      // the kill: everything in memory is gone
    TokenSource::forgetProcessState();
    QCOMPARE(storedRefresh(user), tokens.refreshToken);

    TokenSource restarted(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    const Access a = access(restarted);
    QCOMPARE(a.error, OAuthError::InvalidGrant);
    QVERIFY(needsSignIn(a.error));
}

// The keychain refuses the rotated refresh token: the access token is still handed out, the
// new refresh token is kept in memory, used for the next renewal and written then.
void TestOAuthRefresh::keychainWriteFails()
{
    const QString user = newUser(1);
    const QString client = OidcServer::publicClient();
    TokenSet tokens;
    QVERIFY(signedInAndStored(user, client, tokens));

    FailingWriteStore store(&m_secrets);
    qint64 offsetMs = 0;
    TokenSource source(provider(client), TokenSource::Grant::RefreshToken, &store, user);
    source.setClock([&offsetMs] { return QDateTime::currentMSecsSinceEpoch() + offsetMs; });
    const Access first = access(source);
    QCOMPARE(first.error, OAuthError::None);
    QVERIFY(source.hasUnsavedRefreshToken());
    QCOMPARE(storedRefresh(user), tokens.refreshToken);
    QVERIFY(m_log->contains({QStringLiteral("pollux.oauth"), user,
                             QStringLiteral("did not take the new refresh token")}));

    store.failing = false;
    source.invalidate(); // as after an authentication failure
    const Access second = access(source);
    QCOMPARE(second.error, OAuthError::None);
    QVERIFY(second.token != first.token);
    QVERIFY(!source.hasUnsavedRefreshToken());
    const QString stored = storedRefresh(user);
    m_seen << stored;
    QVERIFY(stored != tokens.refreshToken);
    // What the keychain now holds is the live one: a fresh start renews with it.
    TokenSource restarted(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    const Access third = access(restarted);
    QCOMPARE(third.error, OAuthError::None);

    m_secrets.set(secretKey(SecretKind::Account, user), third.token);
    const PassOutcome o = runPass(makeConfig(user, ServerType::ImapSsl, QStringLiteral("xoauth2")));
    QVERIFY2(o.finished && o.result.ok(), qPrintable(o.result.message() + m_dovecot.logTail()));
    QCOMPARE(o.collected, 1);
}

// The keychain refused the rotated token of one TokenSource (the engine's). Another one of the
// account in the same process ("Test access", or the poller's after a reset) renews with that
// live token, not with the used one the keychain still holds - against a server that detects
// reuse the used one would end the grant. Destroying them writes the token once more.
void TestOAuthRefresh::unsavedTokenServesEverySource()
{
    const QString user = newUser(0);
    const QString client = OidcServer::publicClient();
    TokenSet tokens;
    QVERIFY(signedInAndStored(user, client, tokens));

    FailingWriteStore store(&m_secrets);
    auto engines = std::make_unique<TokenSource>(provider(client), TokenSource::Grant::RefreshToken,
                                                 &store, user);
    QCOMPARE(access(*engines).error, OAuthError::None);
    QVERIFY(engines->hasUnsavedRefreshToken());
    QCOMPARE(storedRefresh(user), tokens.refreshToken); // used up at the server

    auto tester = std::make_unique<TokenSource>(provider(client), TokenSource::Grant::RefreshToken,
                                                &store, user);
    QVERIFY(tester->hasUnsavedRefreshToken());
    const Access a = access(*tester);
    QVERIFY2(a.error == OAuthError::None, qPrintable(oauthErrorName(a.error) + a.detail));
    QVERIFY(engines->hasUnsavedRefreshToken()); // rotated again, refused again

    // A reset of both, with the keychain working again: the live token reaches it.
    store.failing = false;
    tester.reset();
    engines.reset();
    QTRY_VERIFY_WITH_TIMEOUT(storedRefresh(user) != tokens.refreshToken, 10000);
    const QString stored = storedRefresh(user);
    m_seen << stored;
    TokenSource::forgetProcessState(); // a new process: only the keychain is left
    TokenSource restarted(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    QVERIFY(!restarted.hasUnsavedRefreshToken());
    const Access b = access(restarted);
    QVERIFY2(b.error == OAuthError::None, qPrintable(oauthErrorName(b.error) + b.detail));
}

// The TokenSource is destroyed (a reset) while the keychain still writes the rotated token:
// the write goes on, the token reaches the keychain, and the next TokenSource of the account
// is not kept waiting by a claim nobody releases.
void TestOAuthRefresh::destroyedWhileWriting()
{
    const QString user = newUser(0);
    const QString client = OidcServer::publicClient();
    TokenSet tokens;
    QVERIFY(signedInAndStored(user, client, tokens));

    StuckWriteStore slow(&m_secrets);
    auto dying = std::make_unique<TokenSource>(provider(client), TokenSource::Grant::RefreshToken,
                                               &slow, user);
    bool answered = false;
    dying->accessToken(
        [&answered](OAuthError, const QString &, const QString &) { answered = true; });
    QTRY_COMPARE_WITH_TIMEOUT(slow.writes, 1, 20000);
    dying.reset();
    QVERIFY(!answered);
    slow.release(true);
    QTRY_VERIFY_WITH_TIMEOUT(storedRefresh(user) != tokens.refreshToken, 10000);
    m_seen << storedRefresh(user);

    TokenSource next(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    QVERIFY(!next.hasUnsavedRefreshToken());
    const Access a = access(next);
    QVERIFY2(a.error == OAuthError::None, qPrintable(oauthErrorName(a.error) + a.detail));
}

// The TokenSource is destroyed (a reset, Test access closed) while its refresh request is on
// its way and the server has already rotated: the answer is still read and the new refresh
// token written. Before, the request died with the TokenSource and the keychain kept the used
// token - against a server that detects reuse, the grant was ended.
void TestOAuthRefresh::refreshOutlivesItsSource()
{
    const QString user = newUser(0);
    const QString client = OidcServer::publicClient();
    TokenSet tokens;
    QVERIFY(signedInAndStored(user, client, tokens));

    FaultProxy proxy(m_oidc.tokenEndpoint().port());
    QVERIFY(proxy.listen());
    FaultProxy::Fault hold;
    hold.action = FaultProxy::Action::Stall;
    hold.direction = FaultProxy::Direction::ServerToClient;
    hold.afterBytes = 1; // the server has answered (rotated); all but its first byte held
    hold.connection = 0;
    proxy.setFault(hold);
    Provider viaProxy = provider(client);
    QUrl token = viaProxy.tokenEndpoint;
    token.setPort(proxy.port());
    viaProxy.tokenEndpoint = token;

    auto dying =
        std::make_unique<TokenSource>(viaProxy, TokenSource::Grant::RefreshToken, &m_secrets, user);
    bool answered = false;
    dying->accessToken(
        [&answered](OAuthError, const QString &, const QString &) { answered = true; });
    // The server has answered once the proxy holds its answer.
    QTRY_COMPARE_WITH_TIMEOUT(proxy.triggered(), 1, 20000);
    dying.reset();
    proxy.resume();
    QTRY_VERIFY_WITH_TIMEOUT(storedRefresh(user) != tokens.refreshToken, 20000);
    QVERIFY(!answered);
    m_seen << storedRefresh(user);

    TokenSource next(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    const Access a = access(next);
    QVERIFY2(a.error == OAuthError::None, qPrintable(oauthErrorName(a.error) + a.detail));
}

QTEST_GUILESS_MAIN(TestOAuthRefresh)
#include "tst_oauth_refresh.moc"
