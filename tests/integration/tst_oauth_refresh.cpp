// OAuth2 token renewal end to end (OAuthHarness.h): refresh before expiry with rotation into
// the keychain, refused refresh tokens as a typed sign-in-needed error, a kill between the
// token response and the keychain write, a keychain that refuses the new refresh token.
#include "OAuthHarness.h"

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
    void noTokenInLogs() { checkNoTokenInLogs(QStringLiteral("invalid_grant")); } // last
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
    QString error;
    QVERIFY2(signIn(user, client, tokens, &error), qPrintable(error));
    m_secrets.set(secretKey(SecretKind::OAuth2Refresh, user), tokens.refreshToken);

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
    QString error;
    QVERIFY2(signIn(user, client, tokens, &error), qPrintable(error));
    m_secrets.set(secretKey(SecretKind::OAuth2Refresh, user), tokens.refreshToken);

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

QTEST_GUILESS_MAIN(TestOAuthRefresh)
#include "tst_oauth_refresh.moc"
