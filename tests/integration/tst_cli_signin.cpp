// `pollux account signin NAME` and `pollux password set NAME --client-secret`, the real
// binary against the real oidc-provider and the real keyring (the D-Bus session
// deploy/test.sh provides, under a service of this test's own): the test reads the address
// the command prints and does the user's part with OidcUserAgent; then the refresh token is
// in the keychain and renews at the token endpoint, and nothing the command printed holds a
// token. The device flow (default), the browser sign-in (--browser, no display: the address
// is printed), a confidential client whose secret is stored first, the user saying no, and
// the accounts that cannot sign in (unknown, password, app-only).
#include "support/OidcServer.h"
#include "support/OidcUserAgent.h"
#include "support/PolluxBinary.h"

#include "config/Config.h"
#include "oauth/TokenClient.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretStore.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace pollux;
using namespace pollux::oauth;
using namespace pollux::test;

namespace {

const QString kPassword = QStringLiteral("any-password");

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestCliSignIn : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void deviceSignIn();
    void browserSignIn();
    void noDeviceEndpointUsesBrowser();
    void confidentialNeedsItsSecret();
    void userSaysNo();
    void cannotSignIn_data();
    void cannotSignIn();
    void clientSecretOfPasswordAccount();
    void noTokenPrinted(); // last

private:
    QProcess *start(const QStringList &args);
    // Reads the command's output until `pattern` matches it (its first capture) or it ends.
    QString waitFor(QProcess *p, const QRegularExpression &pattern);
    Run finish(QProcess *p);
    Run run(const QStringList &args, const QByteArray &input = {});
    QStringList signin(const QString &account, bool browser = false)
    {
        QStringList a{QStringLiteral("account"), QStringLiteral("signin"), account,
                      QStringLiteral("--config"), m_config};
        if (browser)
            a << QStringLiteral("--browser");
        return a;
    }
    QString stored(const QString &key)
    {
        KeychainSecretStore secrets(m_service);
        QString value;
        (void)secrets.readSync(key, value, 10000);
        return value;
    }
    // Renews with `refresh` at the token endpoint; the error.
    OAuthError renew(const QString &client, const QString &secret, const QString &refresh);

    OidcServer m_oidc;
    QTemporaryDir m_dir;
    QString m_config;
    QString m_service;
    QByteArray m_printed; // everything every run printed
    QStringList m_tokens; // every token the tests saw
    int m_user = 0;
};

void TestCliSignIn::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY(m_dir.isValid());
    m_service = QStringLiteral("pollux-cli-signin-%1").arg(QCoreApplication::applicationPid());
    QStringList users;
    for (int i = 1; i <= 6; ++i)
        users << QStringLiteral("cli%1").arg(i);
    m_oidc.setUsers(users);
    QString error;
    QVERIFY2(m_oidc.start(&error), qPrintable(error));

    Config c;
    AccountConfig a;
    a.name = QStringLiteral("Cloud");
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("127.0.0.1");
    a.port = 995;
    a.username = QStringLiteral("cli1");
    a.recipient = QStringLiteral("cloud@office.example.com");
    a.signIn = SignInMethod::OAuth2;
    a.oauth2.clientId = OidcServer::publicClient();
    a.oauth2.authorizationUrl = m_oidc.issuer() + QStringLiteral("/auth");
    a.oauth2.tokenUrl = m_oidc.tokenEndpoint().toString();
    a.oauth2.deviceUrl = m_oidc.deviceAuthorizationEndpoint().toString();
    a.oauth2.scopes = QStringList{QStringLiteral("openid"), QStringLiteral("offline_access"),
                                  QStringLiteral("mail")};
    AccountConfig conf = a;
    conf.name = QStringLiteral("Conf");
    conf.oauth2.clientId = OidcServer::confidentialClient();
    conf.oauth2.clientSecret = true;
    AccountConfig app = a;
    app.name = QStringLiteral("App");
    app.oauth2.clientId = OidcServer::appClient();
    app.oauth2.clientSecret = true;
    app.oauth2.appOnly = true;
    app.oauth2.authorizationUrl.clear();
    app.oauth2.deviceUrl.clear();
    app.oauth2.scopes = QStringList{QStringLiteral("mail")};
    AccountConfig pw = a;
    pw.name = QStringLiteral("Sam");
    pw.signIn = SignInMethod::Password;
    pw.oauth2 = {};
    AccountConfig web = a;
    web.name = QStringLiteral("Web");
    web.oauth2.deviceUrl.clear(); // like Google: the browser only
    c.accounts << a << conf << app << pw << web;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = 25;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(QStringLiteral("data"));
    const Result valid = c.validate();
    QVERIFY2(valid.ok(), qPrintable(valid.message()));
    m_config = m_dir.filePath(QStringLiteral("pollux.json"));
    QVERIFY(c.save(m_config).ok());
}

void TestCliSignIn::cleanupTestCase()
{
    KeychainSecretStore secrets(m_service);
    for (const QString &name :
         {QStringLiteral("Cloud"), QStringLiteral("Conf"), QStringLiteral("Web")}) {
        for (const QString &key : {secretKey(SecretKind::OAuth2Refresh, name),
                                   secretKey(SecretKind::OAuth2ClientSecret, name)}) {
            bool done = false;
            secrets.remove(key, [&done](Result) { done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        }
    }
    QVERIFY(m_oidc.stop());
}

QProcess *TestCliSignIn::start(const QStringList &args)
{
    auto *p = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    // No display: the browser sign-in prints its address (as over SSH) and opens nothing.
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("pollux.*=true"));
    p->setProcessEnvironment(env);
    p->start(polluxBinary(), args);
    p->waitForStarted(10000);
    return p;
}

QString TestCliSignIn::waitFor(QProcess *p, const QRegularExpression &pattern)
{
    QString found;
    (void)QTest::qWaitFor(
        [&] {
            const QRegularExpressionMatch m = pattern.match(QString::fromUtf8(p->peek(1 << 20)));
            if (m.hasMatch())
                found = m.captured(1);
            return !found.isEmpty() || p->state() == QProcess::NotRunning;
        },
        20000);
    return found;
}

Run TestCliSignIn::finish(QProcess *p)
{
    Run r;
    (void)QTest::qWaitFor([p] { return p->state() == QProcess::NotRunning; }, 60000);
    if (p->state() != QProcess::NotRunning) {
        p->kill();
        p->waitForFinished();
    } else if (p->exitStatus() == QProcess::NormalExit) {
        r.status = p->exitCode();
    }
    p->setReadChannel(QProcess::StandardOutput);
    r.out = p->readAllStandardOutput();
    r.err = p->readAllStandardError();
    m_printed += r.out + r.err;
    delete p;
    return r;
}

Run TestCliSignIn::run(const QStringList &args, const QByteArray &input)
{
    QProcess *p = start(args);
    if (!input.isEmpty())
        p->write(input);
    p->closeWriteChannel();
    return finish(p);
}

OAuthError TestCliSignIn::renew(const QString &client, const QString &secret,
                                const QString &refresh)
{
    Provider provider;
    provider.tokenEndpoint = m_oidc.tokenEndpoint();
    provider.clientId = client;
    provider.clientSecret = secret;
    TokenClient tokens(provider);
    bool done = false;
    OAuthError error = OAuthError::Protocol;
    tokens.refresh(refresh, [&](OAuthError e, const TokenSet &t, const QString &) {
        done = true;
        error = e;
        m_tokens << t.accessToken << t.refreshToken;
    });
    if (!QTest::qWaitFor([&done] { return done; }, 20000))
        return OAuthError::Timeout;
    return error;
}

// The default: the device flow. The address with the code is printed; once the user has
// signed in there, the refresh token is in the keychain and renews.
void TestCliSignIn::deviceSignIn()
{
    QProcess *p = start(signin(QStringLiteral("Cloud")));
    const QString url = waitFor(p, QRegularExpression(QStringLiteral("\\(Or open (\\S+), which")));
    QVERIFY2(!url.isEmpty(), "no address printed"); // (stderr stays for noTokenPrinted)
    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeDeviceSignIn(QUrl(url), QStringLiteral("cli%1").arg(++m_user), kPassword,
                                        OidcUserAgent::Decision::Approve, &error),
             qPrintable(error));
    const Run r = finish(p);
    QVERIFY2(r.status == 0, r.err.constData());
    QVERIFY2(r.out.contains("enter the code:"), r.out.constData());
    QVERIFY2(r.out.contains("Signed in: account \"Cloud\""), r.out.constData());
    const QString refresh = stored(secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Cloud")));
    QVERIFY(!refresh.isEmpty());
    m_tokens << refresh;
    QCOMPARE(renew(OidcServer::publicClient(), {}, refresh), OAuthError::None);
    // Nothing under the password's key.
    QVERIFY(stored(secretKey(SecretKind::Account, QStringLiteral("Cloud"))).isEmpty());
}

// --browser without a display: the authorization address is printed, the browser (here the
// user agent) comes back to the command's loopback port.
void TestCliSignIn::browserSignIn()
{
    const QString before = stored(secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Cloud")));
    QProcess *p = start(signin(QStringLiteral("Cloud"), true));
    const QString url = waitFor(p, QRegularExpression(QStringLiteral("^    (http\\S+)$"),
                                                      QRegularExpression::MultilineOption));
    QVERIFY2(!url.isEmpty(), "no address printed"); // (stderr stays for noTokenPrinted)
    QVERIFY(QUrlQuery(QUrl(url)).hasQueryItem(QStringLiteral("code_challenge")));
    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeBrowserSignIn(QUrl(url), QStringLiteral("cli%1").arg(++m_user),
                                         kPassword, OidcUserAgent::Decision::Approve, {}, &error),
             qPrintable(error));
    m_tokens << QUrlQuery(agent.providerRedirect()).queryItemValue(QStringLiteral("code"));
    QCOMPARE(agent.callbackStatus(), 200);
    const Run r = finish(p);
    QVERIFY2(r.status == 0, r.err.constData());
    QVERIFY2(r.out.contains("ssh -L "), r.out.constData());
    QVERIFY2(r.out.contains("Signed in: account \"Cloud\""), r.out.constData());
    const QString refresh = stored(secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Cloud")));
    QVERIFY(!refresh.isEmpty());
    QVERIFY(refresh != before); // a new sign-in replaced the old one
    m_tokens << refresh;
    QCOMPARE(renew(OidcServer::publicClient(), {}, refresh), OAuthError::None);
}

// A provider without device sign-in: the command says so and signs in with the browser,
// without --browser.
void TestCliSignIn::noDeviceEndpointUsesBrowser()
{
    QProcess *p = start(signin(QStringLiteral("Web")));
    const QString url = waitFor(p, QRegularExpression(QStringLiteral("^    (http\\S+)$"),
                                                      QRegularExpression::MultilineOption));
    QVERIFY2(!url.isEmpty(), "no address printed");
    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeBrowserSignIn(QUrl(url), QStringLiteral("cli%1").arg(++m_user),
                                         kPassword, OidcUserAgent::Decision::Approve, {}, &error),
             qPrintable(error));
    m_tokens << QUrlQuery(agent.providerRedirect()).queryItemValue(QStringLiteral("code"));
    const Run r = finish(p);
    QVERIFY2(r.status == 0, r.err.constData());
    QVERIFY2(r.out.contains("no sign-in with a code"), r.out.constData());
    const QString refresh = stored(secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Web")));
    QVERIFY(!refresh.isEmpty());
    m_tokens << refresh;
    QCOMPARE(renew(OidcServer::publicClient(), {}, refresh), OAuthError::None);
}

// An account whose registration has a secret: without it in the keychain the sign-in says how
// to store it; `password set --client-secret` stores it under oauth2-client/NAME, and then
// the sign-in works with it.
void TestCliSignIn::confidentialNeedsItsSecret()
{
    Run r = run(signin(QStringLiteral("Conf")));
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains("pollux password set Conf --client-secret"), r.err.constData());

    r = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Conf"),
             QStringLiteral("--client-secret"), QStringLiteral("--config"), m_config},
            OidcServer::confidentialSecret().toUtf8() + '\n');
    QVERIFY2(r.status == 0, r.err.constData());
    QCOMPARE(stored(secretKey(SecretKind::OAuth2ClientSecret, QStringLiteral("Conf"))),
             OidcServer::confidentialSecret());
    QVERIFY(stored(secretKey(SecretKind::Account, QStringLiteral("Conf"))).isEmpty());

    QProcess *p = start(signin(QStringLiteral("Conf")));
    const QString url = waitFor(p, QRegularExpression(QStringLiteral("\\(Or open (\\S+), which")));
    QVERIFY2(!url.isEmpty(), "no address printed"); // (stderr stays for noTokenPrinted)
    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeDeviceSignIn(QUrl(url), QStringLiteral("cli%1").arg(++m_user), kPassword,
                                        OidcUserAgent::Decision::Approve, &error),
             qPrintable(error));
    r = finish(p);
    QVERIFY2(r.status == 0, r.err.constData());
    const QString refresh = stored(secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Conf")));
    QVERIFY(!refresh.isEmpty());
    m_tokens << refresh;
    QCOMPARE(renew(OidcServer::confidentialClient(), OidcServer::confidentialSecret(), refresh),
             OAuthError::None);
}

// The user presses Abort: status 1, the reason in plain words, the stored sign-in untouched.
void TestCliSignIn::userSaysNo()
{
    const QString before = stored(secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Cloud")));
    QProcess *p = start(signin(QStringLiteral("Cloud")));
    const QString url = waitFor(p, QRegularExpression(QStringLiteral("\\(Or open (\\S+), which")));
    QVERIFY(!url.isEmpty());
    OidcUserAgent agent;
    QString error;
    QVERIFY2(agent.completeDeviceSignIn(QUrl(url), QStringLiteral("cli%1").arg(++m_user), kPassword,
                                        OidcUserAgent::Decision::Abort, &error),
             qPrintable(error));
    const Run r = finish(p);
    QCOMPARE(r.status, 1);
    QVERIFY2(r.err.contains("the sign-in was refused") && r.err.contains("access_denied"),
             r.err.constData());
    QCOMPARE(stored(secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Cloud"))), before);
}

void TestCliSignIn::cannotSignIn_data()
{
    QTest::addColumn<QString>("account");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown") << QStringLiteral("Nobody") << 2
                             << QStringLiteral("no account named \"Nobody\"");
    QTest::newRow("password") << QStringLiteral("Sam") << 2
                              << QStringLiteral("account \"Sam\" signs in with a password");
    QTest::newRow("app-only") << QStringLiteral("App") << 0
                              << QStringLiteral("it needs no sign-in");
}

void TestCliSignIn::cannotSignIn()
{
    QFETCH(QString, account);
    QFETCH(int, status);
    QFETCH(QString, says);
    const Run r = run(signin(account));
    QCOMPARE(r.status, status);
    const QByteArray printed = r.out + r.err;
    QVERIFY2(printed.contains(says.toUtf8()), printed.constData());
    QVERIFY(stored(secretKey(SecretKind::OAuth2Refresh, account)).isEmpty());
}

// A client secret is for OAuth2 accounts only; an unknown account is named.
void TestCliSignIn::clientSecretOfPasswordAccount()
{
    Run r = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Sam"),
                 QStringLiteral("--client-secret"), QStringLiteral("--config"), m_config},
                "some-secret\n");
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains("signs in with a password"), r.err.constData());
    QVERIFY(stored(secretKey(SecretKind::OAuth2ClientSecret, QStringLiteral("Sam"))).isEmpty());
    r = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Nobody"),
             QStringLiteral("--client-secret"), QStringLiteral("--config"), m_config},
            "some-secret\n");
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains("no account named \"Nobody\""), r.err.constData());
    r = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("--smtp"),
             QStringLiteral("--client-secret"), QStringLiteral("--config"), m_config});
    QCOMPARE(r.status, 2);
}

// No token, code or client secret in anything the commands printed (their log lines
// included: pollux.* was on) or in the authorization server's log.
void TestCliSignIn::noTokenPrinted()
{
    m_tokens.removeAll(QString());
    m_tokens.removeDuplicates();
    QVERIFY2(m_tokens.size() >= 6, qPrintable(QString::number(m_tokens.size())));
    // The log lines were there to search: core/oauth did write.
    QVERIFY(m_printed.contains("pollux.oauth: browser sign-in: tokens received"));
    QByteArray everything = m_printed;
    QFile log(m_oidc.logPath());
    QVERIFY(log.open(QIODevice::ReadOnly));
    everything += log.readAll();
    for (const QString &t : std::as_const(m_tokens))
        QVERIFY2(!everything.contains(t.toUtf8()), "a token in what pollux printed");
    QVERIFY(!m_printed.contains(OidcServer::confidentialSecret().toUtf8()));
}

QTEST_GUILESS_MAIN(TestCliSignIn)
#include "tst_cli_signin.moc"
