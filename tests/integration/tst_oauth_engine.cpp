// The engine signs in with OAuth2 for real (OAuthHarness.h: oidc-provider, Dovecot
// introspecting its tokens, the SMTP sink): accounts with signIn "oauth2" take their access
// token from the poller's TokenSource, not from "account/<name>". Device flow sign-in ->
// mail collected (POP3-SSL and IMAP-SSL), app-only -> mail collected, an access token that
// expires during a long run -> renewed, nothing lost or twice; a rotated refresh token ->
// the new one stored, the old one refused (strict, and with a rotation grace); a revoked
// one -> "sign-in needed" (signInState, the store), the mail stays, another account goes
// on, and signing in again collects it.
#include "OAuthHarness.h"

#include "engine/AccessTester.h"
#include "store/Store.h"
#include "support/FreePort.h"

using namespace pollux;
using namespace pollux::oauth;
using namespace pollux::test;

namespace {

struct SignInSignal
{
    QString account;
    bool needed = false;
    QDateTime refreshExpiresAt;
    QString detail;
};

// The signInState() emissions for `account`, in order.
QList<SignInSignal> signInSignals(const QSignalSpy &spy, const QString &account)
{
    QList<SignInSignal> out;
    for (const QList<QVariant> &args : spy) {
        if (args.at(0).toString() != account)
            continue;
        out.append({args.at(0).toString(), args.at(1).toBool(), args.at(2).toDateTime(),
                    args.at(3).toString()});
    }
    return out;
}

SignInRecord storedSignIn(const Config &config, const QString &account)
{
    Store store(Engine::databasePath(config), nullptr);
    SignInRecord out;
    if (!store.open(Store::Check::Quick).ok() || !store.signInState(account, out).ok())
        out.detail = QStringLiteral("<store not readable>");
    return out;
}

} // namespace

class TestOAuthEngine : public QObject, private OAuthHarness
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Access tokens live 12 s: the TokenSource renews them 10 s before expiry, so a token
        // is cached for 2 s and the long-run test sees it expire within the test.
        m_oidc.setAccessTokenLifetime(12);
        setUp();
    }
    void cleanupTestCase() { tearDown(); }
    void deviceFlowCollects_data();
    void deviceFlowCollects();
    void appOnlyCollects_data();
    void appOnlyCollects();
    void accessTokenExpiresDuringRun();
    void rotationGrace();
    void revokedMeansSignInNeeded();
    void accessTesterSaysWhichStep();
    void refusedCachedTokenRetriedOnce();
    void idleWithOAuth2();
    void noTokenInLogs() { checkNoTokenInLogs(QStringLiteral("invalid_grant")); } // last

private:
    AccessTester::Outcome testAccess(const AccountConfig &account);
    // One runOnce() of a started engine: every account's pass result.
    QHash<QString, Result> runOnce(Engine &engine, QHash<QString, int> *collected = nullptr);
};

QHash<QString, Result> TestOAuthEngine::runOnce(Engine &engine, QHash<QString, int> *collected)
{
    QHash<QString, Result> out;
    QSignalSpy passes(&engine, &Engine::passFinished);
    QSignalSpy done(&engine, &Engine::onceFinished);
    engine.runOnce();
    if (!done.wait(120000))
        return out;
    for (const QList<QVariant> &args : std::as_const(passes)) {
        out.insert(args.at(0).toString(), args.at(1).value<Result>());
        if (collected)
            (*collected)[args.at(0).toString()] += args.at(2).toInt();
    }
    return out;
}

void TestOAuthEngine::deviceFlowCollects_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("client");
    QTest::newRow("pop3-ssl-public") << int(ServerType::Pop3Ssl) << OidcServer::publicClient();
    QTest::newRow("imap-ssl-public") << int(ServerType::ImapSsl) << OidcServer::publicClient();
    QTest::newRow("pop3-ssl-confidential")
        << int(ServerType::Pop3Ssl) << OidcServer::confidentialClient();
}

// Device flow sign-in (the user's part on the server's pages), the tokens stored as a sign-in
// stores them; then an engine with signIn "oauth2" collects every message, once. The token
// went by OAUTHBEARER (Dovecot offers PLAIN LOGIN XOAUTH2 OAUTHBEARER: "auto" of an OAuth2
// account picks OAUTHBEARER); the refresh rotated into the keychain, the old one is refused;
// the refresh token's expiry that the server stated is in the store and in signInState().
void TestOAuthEngine::deviceFlowCollects()
{
    QFETCH(int, type);
    QFETCH(QString, client);
    const QString user = newUser(3);
    TokenSet tokens;
    QString error;
    QVERIFY2(signInAndStore(user, client, tokens, &error), qPrintable(error));
    QCOMPARE(tokens.refreshExpiresIn, qint64(m_oidc.refreshTokenLifetime()));

    const Config config = oauthConfig(user, ServerType(type), client);
    Engine engine(&m_secrets, nullptr);
    QSignalSpy states(&engine, &Engine::signInState);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QHash<QString, int> collected;
    QHash<QString, Result> results = runOnce(engine, &collected);
    QVERIFY2(results.value(user).ok(),
             qPrintable(results.value(user).message() + m_dovecot.logTail()));
    QCOMPARE(collected.value(user), 3);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 3, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);

    // A second pass: nothing new, nothing twice.
    results = runOnce(engine, &collected);
    QVERIFY2(results.value(user).ok(), qPrintable(results.value(user).message()));
    QCOMPARE(collected.value(user), 3);
    engine.stop();
    QCOMPARE(delivered(user), 3);

    // SASL: OAUTHBEARER, not XOAUTH2, not a password method.
    const QByteArray said = transcripts();
    const QByteArray command =
        type == int(ServerType::Pop3Ssl) ? "AUTH OAUTHBEARER" : "AUTHENTICATE OAUTHBEARER";
    QVERIFY2(said.contains(command), said.right(2000).constData());

    // The engine's first renewal rotated the refresh token: the keychain has the new one
    // and the server refuses the old one.
    const QString rotated = storedRefresh(user);
    m_seen << rotated;
    QVERIFY(!rotated.isEmpty());
    QVERIFY(rotated != tokens.refreshToken);

    // signInState: once at start (nothing stored yet: not needed, no expiry), then the
    // expiry the server stated at the refresh.
    const QList<SignInSignal> s = signInSignals(states, user);
    QVERIFY(s.size() >= 2);
    QVERIFY(!s.first().needed);
    QVERIFY(!s.last().needed);
    const QDateTime expected =
        QDateTime::currentDateTimeUtc().addSecs(m_oidc.refreshTokenLifetime());
    QVERIFY2(qAbs(s.last().refreshExpiresAt.secsTo(expected)) < 300,
             qPrintable(s.last().refreshExpiresAt.toString(Qt::ISODate)));
    const SignInRecord record = storedSignIn(config, user);
    QVERIFY(!record.needed);
    QVERIFY(qAbs(record.refreshExpiresAt.secsTo(expected)) < 300);

    QCOMPARE(refreshWith(client, tokens.refreshToken), OAuthError::InvalidGrant);
}

void TestOAuthEngine::appOnlyCollects_data()
{
    QTest::addColumn<int>("type");
    QTest::newRow("pop3-ssl") << int(ServerType::Pop3Ssl);
    QTest::newRow("imap-ssl") << int(ServerType::ImapSsl);
}

// App-only: signIn "oauth2" with appOnly, client pollux-app, its secret in the keychain
// ("oauth2-client/<name>"); no refresh token anywhere.
void TestOAuthEngine::appOnlyCollects()
{
    QFETCH(int, type);
    const QString name = QStringLiteral("app-%1").arg(type);
    const QString mailbox = OidcServer::appMailbox();
    QVERIFY(m_dovecot.deliver(mailbox, makeMessage(1, 2000, 400 + type)));
    QVERIFY(m_dovecot.deliver(mailbox, makeMessage(2, 2100, 400 + type)));
    const Config config = oauthConfig(name, ServerType(type), OidcServer::appClient());
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QHash<QString, int> collected;
    const QHash<QString, Result> results = runOnce(engine, &collected);
    engine.stop();
    QVERIFY2(results.value(name).ok(),
             qPrintable(results.value(name).message() + m_dovecot.logTail()));
    QCOMPARE(collected.value(name), 2);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(name), 2, 30000);
    QVERIFY(storedRefresh(name).isEmpty());

    // Without its client secret the app gets no token: the pass says which step failed.
    m_secrets.set(secretKey(SecretKind::OAuth2ClientSecret, name), QStringLiteral("wrong"));
    QVERIFY(m_dovecot.deliver(mailbox, makeMessage(3, 2200, 400 + type)));
    Engine again(&m_secrets, nullptr);
    QVERIFY(again.start(config, {false, 0}).ok());
    const Result refused = runOnce(again).value(name);
    again.stop();
    QCOMPARE(refused.code(), ErrorCode::Config);
    QVERIFY2(refused.message().startsWith(QStringLiteral("token endpoint 127.0.0.1: ")),
             qPrintable(refused.message()));
    QVERIFY2(refused.message().contains(QStringLiteral("invalid_client")),
             qPrintable(refused.message()));
    QCOMPARE(m_dovecot.messageCount(mailbox), 1); // stays on the server
    m_secrets.set(secretKey(SecretKind::OAuth2ClientSecret, name), OidcServer::appSecret());
    Engine fixed(&m_secrets, nullptr);
    QVERIFY(fixed.start(config, {false, 0}).ok());
    QVERIFY(runOnce(fixed).value(name).ok());
    fixed.stop();
    QCOMPARE(m_dovecot.messageCount(mailbox), 0);
}

// A long run across the access token's expiry: the token is cached between passes while it
// is fresh (the keychain's refresh token unchanged), renewed once it is not (the refresh
// token rotated), and every message arrives exactly once.
void TestOAuthEngine::accessTokenExpiresDuringRun()
{
    const QString user = newUser(1);
    TokenSet tokens;
    QString error;
    QVERIFY2(signInAndStore(user, OidcServer::publicClient(), tokens, &error), qPrintable(error));
    const Config config = oauthConfig(user, ServerType::ImapSsl, OidcServer::publicClient());
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QHash<QString, int> collected;

    QVERIFY(runOnce(engine, &collected).value(user).ok());
    const QString afterFirst = storedRefresh(user);
    m_seen << afterFirst;
    QVERIFY(afterFirst != tokens.refreshToken); // the first pass renewed (nothing cached)
    const qint64 firstTokenAt = QDateTime::currentMSecsSinceEpoch();

    // At once again, with a new message: the cached token (no renewal, no rotation).
    QVERIFY(m_dovecot.deliver(user, makeMessage(2, 1900, 777)));
    QVERIFY(runOnce(engine, &collected).value(user).ok());
    const bool withinCache = QDateTime::currentMSecsSinceEpoch() - firstTokenAt < 2000;
    if (withinCache)
        QCOMPARE(storedRefresh(user), afterFirst);

    // Past the token's whole life (12 s): renewed before the login.
    QVERIFY(QTest::qWaitFor(
        [&] { return QDateTime::currentMSecsSinceEpoch() > firstTokenAt + 13000; }, 20000));
    for (int i = 3; i <= 4; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 1900 + i, 777)));
    const QHash<QString, Result> late = runOnce(engine, &collected);
    QVERIFY2(late.value(user).ok(), qPrintable(late.value(user).message() + m_dovecot.logTail()));
    const QString afterExpiry = storedRefresh(user);
    m_seen << afterExpiry;
    QVERIFY(afterExpiry != afterFirst);
    engine.stop();

    QCOMPARE(collected.value(user), 4);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 4, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);
}

// With a rotation grace (Okta, Auth0, Microsoft): the refresh token the engine rotated
// still renews within the grace, and is refused once it has passed. Against a second
// oidc-provider with OIDC_ROTATION_GRACE=3.
void TestOAuthEngine::rotationGrace()
{
    OidcServer graceful;
    graceful.setUsers({QStringLiteral("graceuser")});
    graceful.setRotationGrace(3);
    QString error;
    QVERIFY2(graceful.start(&error), qPrintable(error));
    Provider p = provider(OidcServer::publicClient());
    p.tokenEndpoint = graceful.tokenEndpoint();
    p.deviceAuthorizationEndpoint = graceful.deviceAuthorizationEndpoint();

    DeviceSignIn flow(p);
    QSignalSpy code(&flow, &DeviceSignIn::codeReady);
    QSignalSpy finished(&flow, &DeviceSignIn::finished);
    flow.start();
    QVERIFY(code.wait(15000));
    const DeviceCode d = code.first().first().value<DeviceCode>();
    m_seen << d.deviceCode;
    OidcUserAgent agent;
    QVERIFY2(agent.completeDeviceSignIn(QUrl(d.verificationUriComplete),
                                        QStringLiteral("graceuser"), password,
                                        OidcUserAgent::Decision::Approve, &error),
             qPrintable(error));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(0).value<OAuthError>(), OAuthError::None);
    const TokenSet tokens = finished.first().at(2).value<TokenSet>();
    remember(tokens);
    const QString name = QStringLiteral("grace");
    m_secrets.set(secretKey(SecretKind::OAuth2Refresh, name), tokens.refreshToken);

    TokenSource source(p, TokenSource::Grant::RefreshToken, &m_secrets, name);
    const Access a = access(source);
    QCOMPARE(a.error, OAuthError::None);
    const qint64 rotatedAt = QDateTime::currentMSecsSinceEpoch();
    const QString rotated = storedRefresh(name);
    m_seen << rotated;
    QVERIFY(rotated != tokens.refreshToken);

    // Within the grace the old one renews (a client killed before its keychain write).
    QCOMPARE(refreshWith(OidcServer::publicClient(), tokens.refreshToken, &graceful),
             OAuthError::None);
    // After it, the old one is used up; presenting it is reuse and ends the grant.
    QVERIFY(QTest::qWaitFor([&] { return QDateTime::currentMSecsSinceEpoch() > rotatedAt + 4500; },
                            10000));
    QCOMPARE(refreshWith(OidcServer::publicClient(), tokens.refreshToken, &graceful),
             OAuthError::InvalidGrant);
    QVERIFY(graceful.stop());
}

// A revoked refresh token: the pass ends "sign-in needed" (SignInNeeded, the provider's
// words), signInState(needed) is emitted and stored, the mail stays on the server, a
// password account in the same engine goes on collecting; a scheduled pass does not ask the
// provider again. A new sign-in and signedIn() clear it and collect the mail.
void TestOAuthEngine::revokedMeansSignInNeeded()
{
    const QString user = newUser(2);
    const QString other = newUser(2);
    QVERIFY(m_dovecot.addUser(other, QStringLiteral("other-password")));
    m_secrets.set(secretKey(SecretKind::Account, other), QStringLiteral("other-password"));
    TokenSet tokens;
    QString error;
    QVERIFY2(signInAndStore(user, OidcServer::publicClient(), tokens, &error), qPrintable(error));
    QVERIFY(revoke(OidcServer::publicClient(), tokens.refreshToken));

    Config config = oauthConfig(user, ServerType::Pop3Ssl, OidcServer::publicClient());
    AccountConfig second =
        makeConfig(other, ServerType::Pop3Ssl, QStringLiteral("auto")).accounts.first();
    config.accounts << second;
    Engine engine(&m_secrets, nullptr);
    QSignalSpy states(&engine, &Engine::signInState);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QHash<QString, int> collected;
    QHash<QString, Result> results = runOnce(engine, &collected);
    const Result refused = results.value(user);
    QCOMPARE(refused.code(), ErrorCode::SignInNeeded);
    QVERIFY2(refused.message().startsWith(
                 QStringLiteral("sign-in needed for account %1: the provider refused the stored "
                                "sign-in (invalid_grant")
                     .arg(user)),
             qPrintable(refused.message()));
    QVERIFY(refused.message().endsWith(QStringLiteral("; sign in again")));
    QVERIFY2(results.value(other).ok(), qPrintable(results.value(other).message()));
    QCOMPARE(collected.value(other), 2);
    QCOMPARE(collected.value(user), 0);
    QCOMPARE(m_dovecot.messageCount(user), 2);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(other), 2, 30000);
    QCOMPARE(delivered(user), 0);

    QTRY_VERIFY(!signInSignals(states, user).isEmpty() &&
                signInSignals(states, user).last().needed);
    const SignInSignal needed = signInSignals(states, user).last();
    QCOMPARE(needed.detail, refused.message());
    QVERIFY(signInSignals(states, other).isEmpty()); // password accounts: no sign-in state
    engine.stop();
    const SignInRecord record = storedSignIn(config, user);
    QVERIFY(record.needed);
    QCOMPARE(record.detail, refused.message());

    // The next start reports the stored state at once, before any pass.
    Engine restarted(&m_secrets, nullptr);
    QSignalSpy restartStates(&restarted, &Engine::signInState);
    QVERIFY(restarted.start(config, {false, 0}).ok());
    QTRY_VERIFY(!signInSignals(restartStates, user).isEmpty());
    QVERIFY(signInSignals(restartStates, user).first().needed);

    // Sign in again, then signedIn(): the state is cleared, the account polled, the mail
    // collected.
    TokenSet again;
    QVERIFY2(signInAndStore(user, OidcServer::publicClient(), again, &error), qPrintable(error));
    const QDateTime expiry = QDateTime::currentDateTimeUtc().addSecs(again.refreshExpiresIn);
    QSignalSpy passes(&restarted, &Engine::passFinished);
    restarted.signedIn(user, expiry);
    QTRY_VERIFY_WITH_TIMEOUT(!signInSignals(restartStates, user).last().needed, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : std::as_const(passes))
                if (args.at(0).toString() == user && args.at(1).value<Result>().ok())
                    return true;
            return false;
        }(),
        60000);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 2, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    restarted.stop();
    QVERIFY(!storedSignIn(config, user).needed);
    QCOMPARE(delivered(other), 2);
}

AccessTester::Outcome TestOAuthEngine::testAccess(const AccountConfig &account)
{
    AccessTester tester(&m_secrets);
    QSignalSpy finished(&tester, &AccessTester::finished);
    QList<QSslCertificate> cas = QSslCertificate::fromPath(TestCa::instance().caCertPath());
    tester.start(account, cas);
    if (!finished.wait(60000))
        return {Result::failure(ErrorCode::Timeout, QStringLiteral("no answer")), 0, 0, {}};
    return finished.first().first().value<AccessTester::Outcome>();
}

// "Test access" (and "pollux account test") with OAuth2 accounts: the messages waiting when
// it works, and otherwise which step failed, in plain words: the token endpoint, the stored
// sign-in, or the mailbox login. Nothing is collected.
void TestOAuthEngine::accessTesterSaysWhichStep()
{
    qRegisterMetaType<AccessTester::Outcome>();
    const QString user = newUser(2);
    TokenSet tokens;
    QString error;
    QVERIFY2(signInAndStore(user, OidcServer::publicClient(), tokens, &error), qPrintable(error));
    AccountConfig account =
        oauthConfig(user, ServerType::ImapSsl, OidcServer::publicClient()).accounts.first();

    const AccessTester::Outcome ok = testAccess(account);
    QVERIFY2(ok.result.ok(), qPrintable(ok.result.message()));
    QCOMPARE(ok.messages, 2);
    QCOMPARE(m_dovecot.messageCount(user), 2);

    // Token endpoint: nothing listens there.
    AccountConfig unreachable = account;
    unreachable.oauth2.tokenUrl = QStringLiteral("http://127.0.0.1:%1/token").arg(freePort());
    const AccessTester::Outcome down = testAccess(unreachable);
    QCOMPARE(down.result.code(), ErrorCode::Network);
    QVERIFY2(down.result.message().startsWith(QStringLiteral("Token endpoint: ")),
             qPrintable(down.result.message()));

    // Mailbox login: a valid app-only token for another mailbox than the account's user.
    AccountConfig app =
        oauthConfig(QStringLiteral("app-tester"), ServerType::Pop3Ssl, OidcServer::appClient())
            .accounts.first();
    app.username = user;
    const AccessTester::Outcome refused = testAccess(app);
    QCOMPARE(refused.result.code(), ErrorCode::AuthFailed);
    QVERIFY2(refused.result.message().startsWith(QStringLiteral("Mailbox login: ")),
             qPrintable(refused.result.message()));

    // Sign-in needed: the stored sign-in was revoked.
    QVERIFY(revoke(OidcServer::publicClient(), storedRefresh(user)));
    const AccessTester::Outcome revoked = testAccess(account);
    QCOMPARE(revoked.result.code(), ErrorCode::SignInNeeded);
    QVERIFY2(revoked.result.message().startsWith(QStringLiteral("Sign-in needed: ")),
             qPrintable(revoked.result.message()));
    QVERIFY(revoked.result.message().contains(QStringLiteral("invalid_grant")));
    QCOMPARE(m_dovecot.messageCount(user), 2);
}

// The mailbox refuses the token: a fresh one is not retried (it was just issued); a cached
// one is retried once with a new token, and the pass then ends - never a loop. The tokens
// come from a second oidc-provider that Dovecot does not know (so it refuses every one),
// with 10-minute access tokens (so the cache is used for sure).
void TestOAuthEngine::refusedCachedTokenRetriedOnce()
{
    OidcServer other;
    other.setAccessTokenLifetime(600);
    QString error;
    QVERIFY2(other.start(&error), qPrintable(error));
    const QString name = QStringLiteral("refused-app");
    const Config config = oauthConfig(name, ServerType::ImapSsl, OidcServer::appClient(), &other);
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    const QStringList retryLine{QStringLiteral("pollux.pass"), name,
                                QStringLiteral("refused the cached access token")};
    const int retriesBefore = m_log->count(retryLine);
    for (int pass = 1; pass <= 3; ++pass) {
        const Result r = runOnce(engine).value(name);
        QCOMPARE(r.code(), ErrorCode::AuthFailed);
        QVERIFY2(r.message().startsWith(QStringLiteral("mailbox login for account %1: ").arg(name)),
                 qPrintable(r.message()));
        // Pass 1: a fresh token, no retry; then one retry per pass.
        QCOMPARE(m_log->count(retryLine) - retriesBefore, pass - 1);
    }
    engine.stop();
    QVERIFY(other.stop());
}

// IMAP IDLE of an OAuth2 account logs in with the account's access token: new mail starts
// a pass within seconds although the next scheduled poll is an hour away.
void TestOAuthEngine::idleWithOAuth2()
{
    const QString user = newUser(1);
    TokenSet tokens;
    QString error;
    QVERIFY2(signInAndStore(user, OidcServer::publicClient(), tokens, &error), qPrintable(error));
    Config config = oauthConfig(user, ServerType::ImapSsl, OidcServer::publicClient());
    config.pollIntervalSecs = 3600;
    config.accounts[0].idle = true;
    Engine engine(&m_secrets, nullptr);
    QSignalSpy passes(&engine, &Engine::passFinished);
    QVERIFY(engine.start(config).ok());
    // The scheduled first pass, and the one the watcher asks for when IDLE begins.
    QTRY_COMPARE_WITH_TIMEOUT(passes.size(), 2, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 1, 30000);
    QVERIFY(m_dovecot.deliver(user, makeMessage(2, 1600, 555)));
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 2, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(passes.size(), 3, 10000);
    for (const QList<QVariant> &args : std::as_const(passes))
        QVERIFY2(args.at(1).value<Result>().ok(), qPrintable(args.at(1).value<Result>().message()));
    engine.stop();
}

QTEST_GUILESS_MAIN(TestOAuthEngine)
#include "tst_oauth_engine.moc"
