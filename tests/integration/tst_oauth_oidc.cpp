// OAuth2 sign-in end to end (OAuthHarness.h): the device flow against oidc-provider's real
// pages, then POP3 and IMAP logins at a Dovecot that introspects the tokens, and mail
// collected; the user saying no; a code nobody enters; app-only access (client credentials);
// a refresh token is no bearer token.
#include "OAuthHarness.h"

using namespace pollux;
using namespace pollux::oauth;
using namespace pollux::test;

class TestOAuthOidc : public QObject, private OAuthHarness
{
    Q_OBJECT

private slots:
    void initTestCase() { setUp(); }
    void cleanupTestCase() { tearDown(); }
    void deviceFlowCollects_data();
    void deviceFlowCollects();
    void deviceFlowUserAborts();
    void deviceCodeExpires();
    void clientCredentialsCollect_data();
    void clientCredentialsCollect();
    void wrongClientSecret();
    void refreshTokenIsNoBearerToken();
    void noTokenInLogs() { checkNoTokenInLogs(QStringLiteral("access_denied")); } // last
};

void TestOAuthOidc::deviceFlowCollects_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("type");
    QTest::newRow("public-xoauth2-pop3-ssl")
        << OidcServer::publicClient() << QStringLiteral("xoauth2") << int(ServerType::Pop3Ssl);
    QTest::newRow("public-oauthbearer-imap-ssl")
        << OidcServer::publicClient() << QStringLiteral("oauthbearer") << int(ServerType::ImapSsl);
    QTest::newRow("confidential-oauthbearer-pop3-ssl")
        << OidcServer::confidentialClient() << QStringLiteral("oauthbearer")
        << int(ServerType::Pop3Ssl);
    QTest::newRow("confidential-xoauth2-imap-ssl")
        << OidcServer::confidentialClient() << QStringLiteral("xoauth2")
        << int(ServerType::ImapSsl);
}

// Device flow → tokens → the refresh token in the keychain, the access token opens the
// mailbox and the mail is collected.
void TestOAuthOidc::deviceFlowCollects()
{
    QFETCH(QString, client);
    QFETCH(QString, method);
    QFETCH(int, type);
    const QString user = newUser(2);
    TokenSet tokens;
    QString error;
    QVERIFY2(signIn(user, client, tokens, &error), qPrintable(error + m_oidc.logTail()));
    QVERIFY(!tokens.accessToken.isEmpty());
    QVERIFY2(!tokens.refreshToken.isEmpty(), "offline_access brought no refresh token");
    QVERIFY(tokens.expiresIn > 0 && tokens.expiresIn <= 60);

    TokenSource source(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
    bool stored = false;
    source.storeSignIn(
        tokens, [&stored](OAuthError e, const QString &) { stored = e == OAuthError::None; });
    QTRY_VERIFY(stored);
    QCOMPARE(storedRefresh(user), tokens.refreshToken);
    const Access a = access(source);
    QCOMPARE(a.error, OAuthError::None);
    QCOMPARE(a.token, tokens.accessToken); // cached, no second request

    m_secrets.set(secretKey(SecretKind::Account, user), a.token);
    const PassOutcome o = runPass(makeConfig(user, ServerType(type), method));
    QVERIFY(o.finished);
    QVERIFY2(o.result.ok(), qPrintable(o.result.message() + QLatin1Char('\n') +
                                       m_dovecot.logTail() + m_oidc.logTail()));
    QCOMPARE(o.collected, 2);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 2, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);
}

// The user presses Abort on the code confirmation page: access_denied, sign-in needed.
void TestOAuthOidc::deviceFlowUserAborts()
{
    DeviceSignIn flow(provider(OidcServer::publicClient()));
    QSignalSpy code(&flow, &DeviceSignIn::codeReady);
    QSignalSpy finished(&flow, &DeviceSignIn::finished);
    flow.start();
    QVERIFY(code.wait(15000));
    const DeviceCode d = code.first().first().value<DeviceCode>();
    m_seen << d.deviceCode;
    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeDeviceSignIn(QUrl(d.verificationUriComplete), newUser(0), password,
                                        OidcUserAgent::Decision::Abort, &error),
             qPrintable(error + QString::fromUtf8(agent.lastPage())));
    QVERIFY(finished.wait(30000));
    const auto e = finished.first().at(0).value<OAuthError>();
    QVERIFY2(e == OAuthError::AccessDenied,
             qPrintable(oauthErrorName(e) + QLatin1Char(' ') + finished.first().at(1).toString()));
    QVERIFY(needsSignIn(e));
    QVERIFY(finished.first().at(2).value<TokenSet>().accessToken.isEmpty());
}

// Nobody enters the code: the flow ends with expired_token, not a poll forever.
void TestOAuthOidc::deviceCodeExpires()
{
    OidcServer shortLived;
    shortLived.setDeviceCodeLifetime(2);
    QString error;
    QVERIFY2(shortLived.start(&error), qPrintable(error));
    Provider p = provider(OidcServer::publicClient());
    p.tokenEndpoint = shortLived.tokenEndpoint();
    p.deviceAuthorizationEndpoint = shortLived.deviceAuthorizationEndpoint();
    DeviceSignIn flow(p);
    QSignalSpy code(&flow, &DeviceSignIn::codeReady);
    QSignalSpy finished(&flow, &DeviceSignIn::finished);
    flow.start();
    QVERIFY(code.wait(15000));
    m_seen << code.first().first().value<DeviceCode>().deviceCode;
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(0).value<OAuthError>(), OAuthError::ExpiredToken);
    QVERIFY(shortLived.stop());
}

void TestOAuthOidc::clientCredentialsCollect_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("type");
    QTest::newRow("xoauth2-pop3-ssl") << QStringLiteral("xoauth2") << int(ServerType::Pop3Ssl);
    QTest::newRow("oauthbearer-imap-ssl")
        << QStringLiteral("oauthbearer") << int(ServerType::ImapSsl);
}

// App-only: a token from the client ID and secret opens the mailbox the app was granted.
void TestOAuthOidc::clientCredentialsCollect()
{
    QFETCH(QString, method);
    QFETCH(int, type);
    const QString mailbox = OidcServer::appMailbox();
    const int before = delivered(mailbox);
    QVERIFY(m_dovecot.deliver(mailbox, makeMessage(1, 2000, 300 + type)));
    TokenSource source(provider(OidcServer::appClient()), TokenSource::Grant::ClientCredentials,
                       &m_secrets, mailbox);
    const Access a = access(source);
    QVERIFY2(a.error == OAuthError::None, qPrintable(a.detail));
    QCOMPARE(access(source).token, a.token); // cached
    // Nothing stored for app-only access.
    QVERIFY(storedRefresh(mailbox).isEmpty());

    m_secrets.set(secretKey(SecretKind::Account, mailbox), a.token);
    const PassOutcome o = runPass(makeConfig(mailbox, ServerType(type), method));
    QVERIFY(o.finished);
    QVERIFY2(o.result.ok(), qPrintable(o.result.message() + m_dovecot.logTail()));
    QCOMPARE(o.collected, 1);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(mailbox), before + 1, 30000);
}

void TestOAuthOidc::wrongClientSecret()
{
    Provider p = provider(OidcServer::appClient());
    p.clientSecret = QStringLiteral("not-the-secret");
    TokenSource source(p, TokenSource::Grant::ClientCredentials, &m_secrets,
                       OidcServer::appMailbox());
    const Access a = access(source);
    QCOMPARE(a.error, OAuthError::InvalidClient);
    QVERIFY(!needsSignIn(a.error)); // the admin's app registration, not the user's sign-in
}

// Dovecot must not take a refresh token as a bearer token (the introspection policy only
// answers for access tokens): the login fails and the mail stays.
void TestOAuthOidc::refreshTokenIsNoBearerToken()
{
    const QString user = newUser(1);
    TokenSet tokens;
    QString error;
    QVERIFY2(signIn(user, OidcServer::publicClient(), tokens, &error), qPrintable(error));
    m_secrets.set(secretKey(SecretKind::Account, user), tokens.refreshToken);
    const PassOutcome o = runPass(makeConfig(user, ServerType::Pop3Ssl, QStringLiteral("xoauth2")));
    QVERIFY(o.finished);
    QCOMPARE(o.result.code(), ErrorCode::AuthFailed);
    QCOMPARE(m_dovecot.messageCount(user), 1);
    // And the access token of the same sign-in works (the refusal was for the token kind).
    m_secrets.set(secretKey(SecretKind::Account, user), tokens.accessToken);
    const PassOutcome ok =
        runPass(makeConfig(user, ServerType::Pop3Ssl, QStringLiteral("xoauth2")));
    QVERIFY2(ok.finished && ok.result.ok(), qPrintable(ok.result.message()));
    QCOMPARE(ok.collected, 1);
}

QTEST_GUILESS_MAIN(TestOAuthOidc)
#include "tst_oauth_oidc.moc"
