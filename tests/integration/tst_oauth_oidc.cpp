// OAuth2 end to end with a real authorization server (oidc-provider, OidcServer) and a real
// Dovecot whose oauth2 passdb asks that server about every token (introspection). The user's
// part of the device flow (code, login, consent) is done on the server's own pages by
// OidcUserAgent. core/oauth gets the tokens; the Engine collects the mail with the access
// token it finds in the account's keychain entry (how the engine takes OAuth2 tokens today).
#include "LogCapture.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/OidcServer.h"
#include "support/OidcUserAgent.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "oauth/DeviceSignIn.h"
#include "oauth/TokenSource.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::oauth;
using namespace pollux::test;

Q_DECLARE_METATYPE(pollux::oauth::DeviceCode)
Q_DECLARE_METATYPE(pollux::oauth::TokenSet)
Q_DECLARE_METATYPE(pollux::oauth::OAuthError)

namespace {

const QString password = QStringLiteral("any-password");

// The keychain as a kill sees it: a write that never lands.
class StuckWriteStore final : public SecretStore
{
public:
    explicit StuckWriteStore(SecretStore *inner) : m_inner(inner) {}
    void read(const QString &key, ReadCallback done) override { m_inner->read(key, done); }
    void write(const QString &, const QString &, WriteCallback) override { ++writes; }
    void remove(const QString &key, WriteCallback done) override { m_inner->remove(key, done); }
    int writes = 0;

private:
    SecretStore *m_inner;
};

// A keychain that refuses writes (locked, full, gone), then works again.
class FailingWriteStore final : public SecretStore
{
public:
    explicit FailingWriteStore(SecretStore *inner) : m_inner(inner) {}
    void read(const QString &key, ReadCallback done) override { m_inner->read(key, done); }
    void write(const QString &key, const QString &secret, WriteCallback done) override
    {
        if (failing) {
            done(Result::failure(ErrorCode::Secrets, QStringLiteral("the keychain is locked")));
            return;
        }
        m_inner->write(key, secret, done);
    }
    void remove(const QString &key, WriteCallback done) override { m_inner->remove(key, done); }
    bool failing = true;

private:
    SecretStore *m_inner;
};

struct PassOutcome
{
    bool finished = false;
    Result result;
    int collected = 0;
};

struct Access
{
    bool answered = false;
    OAuthError error = OAuthError::Protocol;
    QString token;
    QString detail;
};

} // namespace

class TestOAuthOidc : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void deviceFlowCollects_data();
    void deviceFlowCollects();
    void deviceFlowUserAborts();
    void deviceCodeExpires();
    void refreshRotates_data();
    void refreshRotates();
    void refreshRefused_data();
    void refreshRefused();
    void killDuringRotation();
    void keychainWriteFails();
    void clientCredentialsCollect_data();
    void clientCredentialsCollect();
    void wrongClientSecret();
    void refreshTokenIsNoBearerToken();
    void noTokenInLogs(); // last: looks at everything the tests before it wrote

private:
    Provider provider(const QString &client) const;
    bool signIn(const QString &user, const QString &client, TokenSet &out, QString *error);
    Access access(TokenSource &source);
    QString storedRefresh(const QString &account);
    void remember(const TokenSet &t);
    QString newUser(int messages);
    Config makeConfig(const QString &user, ServerType type, const QString &method);
    PassOutcome runPass(const Config &config);
    int delivered(const QString &user) const;
    QString recipient(const QString &user) const
    {
        return user + QStringLiteral("@office.example.com");
    }

    std::unique_ptr<LogCapture> m_log; // made in initTestCase, after Qt Test's own handler
    OidcServer m_oidc;
    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    QStringList m_seen; // every token and device code the tests saw
    int m_users = 0;
};

void TestOAuthOidc::initTestCase()
{
    m_log = std::make_unique<LogCapture>();
    qRegisterMetaType<DeviceCode>();
    qRegisterMetaType<TokenSet>();
    qRegisterMetaType<OAuthError>();
    // Everything, so that the log test sees all that core/oauth and the engine would write.
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*=true"));
    QVERIFY(m_dir.isValid());
    qputenv("POLLUX_TRANSCRIPT_DIR", m_dir.filePath(QStringLiteral("transcripts")).toUtf8());
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QStringList users;
    for (int i = 1; i <= 20; ++i)
        users << QStringLiteral("oidc%1").arg(i);
    m_oidc.setUsers(users);
    QString error;
    QVERIFY2(m_oidc.start(&error), qPrintable(error));
    qInfo("oidc-provider on node %s at %s", qPrintable(m_oidc.nodeVersion()),
          qPrintable(m_oidc.issuer()));
    m_dovecot.setOAuth2Introspection(m_oidc.introspectionEndpoint(), OidcServer::dovecotClient(),
                                     OidcServer::dovecotSecret());
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
}

void TestOAuthOidc::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
    QVERIFY(m_oidc.stop());
    m_log.reset();
}

Provider TestOAuthOidc::provider(const QString &client) const
{
    Provider p;
    p.tokenEndpoint = m_oidc.tokenEndpoint();
    p.deviceAuthorizationEndpoint = m_oidc.deviceAuthorizationEndpoint();
    p.revocationEndpoint = m_oidc.revocationEndpoint();
    p.clientId = client;
    if (client == OidcServer::confidentialClient())
        p.clientSecret = OidcServer::confidentialSecret();
    if (client == OidcServer::appClient()) {
        p.clientSecret = OidcServer::appSecret();
        p.scopes = QStringList{QStringLiteral("mail")};
    } else {
        p.scopes = QStringList{QStringLiteral("openid"), QStringLiteral("offline_access"),
                               QStringLiteral("mail")};
    }
    p.timeoutSecs = 15;
    return p;
}

void TestOAuthOidc::remember(const TokenSet &t)
{
    for (const QString &s : {t.accessToken, t.refreshToken}) {
        if (!s.isEmpty())
            m_seen << s;
    }
}

// The device flow, with the user's part done on the server's pages.
bool TestOAuthOidc::signIn(const QString &user, const QString &client, TokenSet &out,
                           QString *error)
{
    DeviceSignIn flow(provider(client));
    QSignalSpy code(&flow, &DeviceSignIn::codeReady);
    QSignalSpy finished(&flow, &DeviceSignIn::finished);
    flow.start();
    if (!code.wait(15000)) {
        *error = QStringLiteral("no device code: ") +
                 (finished.isEmpty() ? QString() : finished.first().at(1).toString());
        return false;
    }
    const DeviceCode d = code.first().first().value<DeviceCode>();
    m_seen << d.deviceCode;
    OidcUserAgent agent;
    if (!agent.completeDeviceSignIn(QUrl(d.verificationUriComplete), user, password,
                                    OidcUserAgent::Decision::Approve, error))
        return false;
    if (!finished.wait(30000)) {
        *error = QStringLiteral("the device flow did not finish");
        return false;
    }
    const auto e = finished.first().at(0).value<OAuthError>();
    out = finished.first().at(2).value<TokenSet>();
    remember(out);
    if (e != OAuthError::None) {
        *error = oauthErrorName(e) + QLatin1Char(' ') + finished.first().at(1).toString();
        return false;
    }
    return true;
}

Access TestOAuthOidc::access(TokenSource &source)
{
    auto out = std::make_shared<Access>();
    source.accessToken([out](OAuthError e, const QString &token, const QString &detail) {
        out->answered = true;
        out->error = e;
        out->token = token;
        out->detail = detail;
    });
    // A wait with a deadline; an unanswered call comes back as answered == false.
    QDeadlineTimer deadline(20000);
    while (!out->answered && !deadline.hasExpired())
        QTest::qWait(10);
    if (!out->token.isEmpty())
        m_seen << out->token;
    return *out;
}

QString TestOAuthOidc::storedRefresh(const QString &account)
{
    QString secret;
    (void)m_secrets.readSync(secretKey(SecretKind::OAuth2Refresh, account), secret, 5000);
    return secret;
}

QString TestOAuthOidc::newUser(int messages)
{
    const QString user = QStringLiteral("oidc%1").arg(++m_users);
    for (int i = 1; i <= messages; ++i)
        m_dovecot.deliver(user, makeMessage(i, 1500 + i * 100, 100 + m_users));
    return user;
}

Config TestOAuthOidc::makeConfig(const QString &user, ServerType type, const QString &method)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = type;
    a.host = QStringLiteral("localhost");
    a.port = type == ServerType::Pop3Ssl ? m_dovecot.pop3sPort() : m_dovecot.imapsPort();
    a.username = user;
    a.authMethod = method;
    a.timeoutSecs = 30;
    a.mailbox = MailboxType::SingleUser;
    a.recipient = recipient(user);
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.smtp.timeoutSecs = 30;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(user);
    c.caFile = TestCa::instance().caCertPath();
    return c;
}

PassOutcome TestOAuthOidc::runPass(const Config &config)
{
    PassOutcome out;
    Engine engine(&m_secrets, nullptr);
    QSignalSpy passes(&engine, &Engine::passFinished);
    QSignalSpy done(&engine, &Engine::onceFinished);
    if (!engine.start(config, {false, 0}).ok())
        return out;
    engine.runOnce();
    if (!done.wait(120000) || passes.size() != 1)
        return out;
    out.finished = true;
    out.result = passes.first().at(1).value<Result>();
    out.collected = passes.first().at(2).toInt();
    return out;
}

int TestOAuthOidc::delivered(const QString &user) const
{
    int n = 0;
    const QList<ReceivedMessage> all = m_sink->messages();
    for (const ReceivedMessage &m : all)
        n += m.recipients.contains(recipient(user)) ? 1 : 0;
    return n;
}

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

void TestOAuthOidc::refreshRotates_data()
{
    QTest::addColumn<QString>("client");
    QTest::newRow("public") << OidcServer::publicClient();
    QTest::newRow("confidential") << OidcServer::confidentialClient();
}

// Near its expiry the access token is renewed with the refresh token; the server rotates
// it, the keychain gets the new one, the new access token opens the mailbox, and the old
// refresh token is refused.
void TestOAuthOidc::refreshRotates()
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

void TestOAuthOidc::refreshRefused_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("revoked") << QStringLiteral("revoked");
    QTest::newRow("garbage") << QStringLiteral("garbage");
    QTest::newRow("other-clients") << QStringLiteral("other-clients");
}

// A refresh token the server will not take: a typed sign-in-needed error, no access token.
void TestOAuthOidc::refreshRefused()
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
void TestOAuthOidc::killDuringRotation()
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
void TestOAuthOidc::keychainWriteFails()
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

// No token, refresh token or device code in Pollux's log, the protocol transcripts or the
// authorization server's log, across every test above.
void TestOAuthOidc::noTokenInLogs()
{
    m_seen.removeAll(QString());
    m_seen.removeDuplicates();
    QVERIFY2(m_seen.size() >= 20, qPrintable(QString::number(m_seen.size())));
    // The capture works: core/oauth did log (the refusals above).
    QVERIFY(m_log->contains({QStringLiteral("pollux.oauth"), QStringLiteral("invalid_grant")}));
    QByteArray everything = m_log->lines().join(QLatin1Char('\n')).toUtf8();
    QDirIterator it(m_dir.filePath(QStringLiteral("transcripts")), QDir::Files,
                    QDirIterator::Subdirectories);
    int transcripts = 0;
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        everything += f.readAll();
        ++transcripts;
    }
    QVERIFY(transcripts > 0);
    QFile oidcLog(m_oidc.logPath());
    QVERIFY(oidcLog.open(QIODevice::ReadOnly));
    everything += oidcLog.readAll();
    QFile dovecotLog(m_dovecot.logPath());
    QVERIFY(dovecotLog.open(QIODevice::ReadOnly));
    everything += dovecotLog.readAll();
    for (const QString &secret : std::as_const(m_seen)) {
        const QByteArray s = secret.toUtf8();
        QVERIFY2(!everything.contains(s), "a token appears in a log");
        // Nor base64-wrapped alone (the SASL responses are redacted as a whole).
        QVERIFY2(!everything.contains(s.toBase64()), "a base64 token appears in a log");
    }
}

QTEST_GUILESS_MAIN(TestOAuthOidc)
#include "tst_oauth_oidc.moc"
