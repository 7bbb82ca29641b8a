// SIGKILL during a refresh-token rotation, with the real binary (pollux --headless --once)
// and the real keychain: a loopback proxy in front of oidc-provider's token endpoint lets
// the refresh request through, reads the server's whole answer (the server has rotated: the
// refresh token Pollux holds is now used up, a new one exists) and then SIGKILLs Pollux
// before a byte of that answer reaches it.
//
// Why before and not after: the window the issue names is "between the token response and
// the keychain write". Whatever point inside it the kill lands at, what survives is the
// same: the server has rotated, the keychain still holds the old refresh token, the new one
// lived only in the killed process's memory. Killing just before delivery produces exactly
// that state, every time; killing just after delivery would race the keychain write and
// sometimes test nothing.
//
// What the restarted Pollux can do then depends on the server alone:
//  - With a rotation grace (Okta's grace period, Auth0's reuse interval, Microsoft keeping a
//    used refresh token valid; OIDC_ROTATION_GRACE here): the old token still renews, so
//    the restart collects the mail without a new sign-in.
//  - Strict reuse detection (oidc-provider's default, RFC 6819 5.2.2.3 / OAuth 2.0 Security
//    BCP 4.14.2): the old token is refused and its whole grant revoked. No client can do
//    better against such a server: the server consumed the old token before it sent the
//    new one, and the new one can only be made durable after it has arrived, so a kill in
//    between always leaves the client with a used token (writing ahead is impossible, and
//    keeping both tokens does not help: the new one never arrived). What a client can and
//    must do is say so: the restart reports "sign-in needed" (stderr, log, exit status 1,
//    the store), loses nothing (the mail stays on the server) until the user signs in again.
#include "OAuthHarness.h"

#include "secrets/KeychainSecretStore.h"
#include "store/Store.h"
#include "support/PolluxBinary.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>

#include <csignal>

using namespace pollux;
using namespace pollux::oauth;
using namespace pollux::test;

namespace {

// An HTTP/1.1 proxy on 127.0.0.1 for one upstream server, one request per connection (Qt
// closes or reuses; either way each request is forwarded). Armed: the first request that is
// a refresh grant gets the upstream's complete answer read, then onIntercept() runs and the
// client connection is dropped without a byte of the answer.
class KillingProxy : public QObject
{
public:
    explicit KillingProxy(quint16 upstream) : m_upstream(upstream)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                serve(client);
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    void arm(std::function<void(const QByteArray &answerBody)> onIntercept)
    {
        m_onIntercept = std::move(onIntercept);
    }
    bool intercepted() const { return m_intercepted; }

private:
    struct Pair
    {
        QByteArray request;
        QByteArray answer;
        bool isRefresh = false;
    };

    static bool complete(const QByteArray &http, qsizetype *bodyAt = nullptr)
    {
        const qsizetype end = http.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        qsizetype length = 0;
        for (const QByteArray &line : http.left(end).split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (bodyAt)
            *bodyAt = end + 4;
        return http.size() >= end + 4 + length;
    }

    void serve(QTcpSocket *client)
    {
        client->setParent(this);
        auto *upstream = new QTcpSocket(client);
        auto pair = std::make_shared<Pair>();
        upstream->connectToHost(QHostAddress::LocalHost, m_upstream);
        connect(client, &QTcpSocket::readyRead, this, [client, upstream, pair] {
            const QByteArray data = client->readAll();
            pair->request += data;
            if (pair->request.contains("grant_type=refresh_token"))
                pair->isRefresh = true;
            upstream->write(data);
        });
        connect(upstream, &QTcpSocket::readyRead, this, [this, client, upstream, pair] {
            const QByteArray data = upstream->readAll();
            const bool intercept = m_onIntercept && !m_intercepted && pair->isRefresh;
            if (!intercept) {
                client->write(data);
                return;
            }
            pair->answer += data;
            qsizetype bodyAt = 0;
            if (!complete(pair->answer, &bodyAt))
                return;
            m_intercepted = true;
            const auto onIntercept = std::exchange(m_onIntercept, {});
            onIntercept(pair->answer.mid(bodyAt));
            client->abort();
        });
        connect(upstream, &QTcpSocket::disconnected, client,
                [client] { client->disconnectFromHost(); });
        connect(client, &QTcpSocket::disconnected, upstream, [upstream] { upstream->abort(); });
    }

    QTcpServer m_server;
    quint16 m_upstream;
    std::function<void(const QByteArray &)> m_onIntercept;
    bool m_intercepted = false;
};

struct Run
{
    int exitCode = -1;
    bool killed = false;
    QByteArray stderrText;
};

} // namespace

class TestOAuthKill : public QObject, private OAuthHarness
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { tearDown(); }
    void killWithRotationGrace();
    void killAgainstStrictServer();

private:
    // pollux --headless --once with `config`; `proxy` armed to kill it at its first refresh.
    Run runPollux(const QString &config, KillingProxy *proxy = nullptr,
                  QByteArray *rotatedAnswer = nullptr);
    QString writeConfig(Config config, const QString &tokenUrl);
    QString keychainRefresh(const QString &account);

    QString m_service;
};

void TestOAuthKill::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    m_service = QStringLiteral("pollux-oauth-kill-%1").arg(QCoreApplication::applicationPid());
    // Dovecot introspects this server: the one with a rotation grace (30 s, like the
    // providers above). The strict case uses a server of its own.
    m_oidc.setRotationGrace(30);
    setUp();
}

Run TestOAuthKill::runPollux(const QString &config, KillingProxy *proxy, QByteArray *rotatedAnswer)
{
    Run out;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("POLLUX_TRANSCRIPT_DIR"),
               m_dir.filePath(QStringLiteral("transcripts")));
    p.setProcessEnvironment(env);
    if (proxy) {
        proxy->arm([&p, &out, rotatedAnswer](const QByteArray &answer) {
            // The server has answered (and rotated); Pollux has not seen a byte of it.
            if (rotatedAnswer)
                *rotatedAnswer = answer;
            ::kill(pid_t(p.processId()), SIGKILL);
            out.killed = true;
        });
    }
    p.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--once"),
                             QStringLiteral("--config"), config});
    if (!p.waitForStarted(10000))
        return out;
    // The proxy lives in this thread: keep the event loop running while Pollux works.
    QDeadlineTimer deadline(120000);
    while (p.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(10);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        return out;
    }
    out.stderrText = p.readAllStandardError();
    out.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -9;
    return out;
}

QString TestOAuthKill::writeConfig(Config config, const QString &tokenUrl)
{
    config.accounts[0].oauth2.tokenUrl = tokenUrl;
    const QString path = config.dataDir + QStringLiteral(".json");
    return config.save(path).ok() ? path : QString();
}

QString TestOAuthKill::keychainRefresh(const QString &account)
{
    KeychainSecretStore keychain(m_service);
    QString secret;
    (void)keychain.readSync(secretKey(SecretKind::OAuth2Refresh, account), secret, 10000);
    return secret;
}

// Against a server with a rotation grace: the killed run left the used refresh token in the
// keychain; the restart renews with it and collects every message, once, without a sign-in.
void TestOAuthKill::killWithRotationGrace()
{
    const QString user = newUser(3);
    TokenSet tokens;
    QString error;
    QVERIFY2(signIn(user, OidcServer::publicClient(), tokens, &error), qPrintable(error));
    KeychainSecretStore keychain(m_service);
    QVERIFY(
        keychain.writeSync(secretKey(SecretKind::OAuth2Refresh, user), tokens.refreshToken).ok());

    KillingProxy proxy(m_oidc.port());
    QVERIFY(proxy.port() != 0);
    const Config config = oauthConfig(user, ServerType::Pop3Ssl, OidcServer::publicClient());
    const QString path =
        writeConfig(config, QStringLiteral("http://127.0.0.1:%1/token").arg(proxy.port()));
    QVERIFY(!path.isEmpty());

    QByteArray answer;
    const Run killed = runPollux(path, &proxy, &answer);
    QVERIFY(killed.killed);
    QVERIFY(proxy.intercepted());
    QCOMPARE(killed.exitCode, -9); // died by the signal
    // The server rotated: its answer carried a new refresh token, which never arrived.
    const QString lost =
        QJsonDocument::fromJson(answer).object().value(QLatin1String("refresh_token")).toString();
    m_seen << lost;
    QVERIFY(!lost.isEmpty());
    QVERIFY(lost != tokens.refreshToken);
    QCOMPARE(keychainRefresh(user), tokens.refreshToken);
    QCOMPARE(m_dovecot.messageCount(user), 3);
    QCOMPARE(delivered(user), 0);

    // The restart: no new sign-in, the mail comes.
    const Run restarted = runPollux(path);
    QVERIFY2(restarted.exitCode == 0, restarted.stderrText.right(3000).constData());
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 3, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    const QString now = keychainRefresh(user);
    m_seen << now;
    QVERIFY(now != tokens.refreshToken); // renewed (and rotated) from the used one
    QVERIFY(now != lost);
    // And that one works on: a further run renews from it.
    QVERIFY(m_dovecot.deliver(user, makeMessage(9, 1800, 909)));
    const Run third = runPollux(path);
    QVERIFY2(third.exitCode == 0, third.stderrText.right(3000).constData());
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 4, 30000);
}

// Against strict reuse detection: the restart is refused, says "sign-in needed" (never
// silent), keeps the mail on the server and records the state. (That a new sign-in then
// collects the mail is tst_oauth_engine's revokedMeansSignInNeeded.)
void TestOAuthKill::killAgainstStrictServer()
{
    OidcServer strict; // OIDC_ROTATION_GRACE 0
    const QString user = QStringLiteral("strictuser");
    strict.setUsers({user});
    QString error;
    QVERIFY2(strict.start(&error), qPrintable(error));
    for (int i = 1; i <= 2; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 1700 + i, 808)));
    TokenSet tokens;
    QVERIFY2(signIn(user, OidcServer::publicClient(), tokens, &error, &strict), qPrintable(error));
    KeychainSecretStore keychain(m_service);
    QVERIFY(
        keychain.writeSync(secretKey(SecretKind::OAuth2Refresh, user), tokens.refreshToken).ok());

    KillingProxy proxy(strict.port());
    Config config = oauthConfig(user, ServerType::Pop3Ssl, OidcServer::publicClient(), &strict);
    const QString path =
        writeConfig(config, QStringLiteral("http://127.0.0.1:%1/token").arg(proxy.port()));
    QByteArray answer;
    const Run killed = runPollux(path, &proxy, &answer);
    QVERIFY(killed.killed);
    const QString lost =
        QJsonDocument::fromJson(answer).object().value(QLatin1String("refresh_token")).toString();
    m_seen << lost;
    QVERIFY(!lost.isEmpty());
    QCOMPARE(keychainRefresh(user), tokens.refreshToken);

    // The restart, with a password account added: it goes on collecting. (Not in the killed
    // run, whose SIGKILL could land in its delivery and legitimately send a message twice.)
    const QString other = newUser(2);
    QVERIFY(m_dovecot.addUser(other, QStringLiteral("other-password")));
    QVERIFY(
        keychain.writeSync(secretKey(SecretKind::Account, other), QStringLiteral("other-password"))
            .ok());
    config.accounts << makeConfig(other, ServerType::ImapSsl, QStringLiteral("auto")).accounts;
    QCOMPARE(writeConfig(config, QStringLiteral("http://127.0.0.1:%1/token").arg(proxy.port())),
             path);
    const Run restarted = runPollux(path);
    QCOMPARE(restarted.exitCode, 1);
    const QString said = QString::fromUtf8(restarted.stderrText);
    QVERIFY2(said.contains(QStringLiteral("account %1: sign-in needed").arg(user)),
             qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("invalid_grant")), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("pollux account signin %1").arg(user)), qPrintable(said));
    QFile log(Engine::dataDirectory(config) + QStringLiteral("/pollux.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray logged = log.readAll();
    QVERIFY2(logged.contains(QByteArray(QByteArray("sign-in needed for account ") + user.toUtf8())),
             logged.right(2000).constData());
    QCOMPARE(m_dovecot.messageCount(user), 2); // nothing lost
    QCOMPARE(delivered(user), 0);
    // The other account went on: every message, once.
    QTRY_COMPARE_WITH_TIMEOUT(delivered(other), 2, 30000);
    QCOMPARE(m_dovecot.messageCount(other), 0);
    {
        Store store(Engine::databasePath(config), nullptr);
        QVERIFY(store.open(Store::Check::Quick).ok());
        SignInRecord record;
        QVERIFY(store.signInState(user, record).ok());
        QVERIFY(record.needed);
        QVERIFY(record.detail.contains(QStringLiteral("invalid_grant")));
    }
    // The lost token is refused too: reuse ended the whole grant.
    QCOMPARE(refreshWith(OidcServer::publicClient(), lost, &strict), OAuthError::InvalidGrant);
    QVERIFY(strict.stop());
}

QTEST_GUILESS_MAIN(TestOAuthKill)
#include "tst_oauth_kill.moc"
