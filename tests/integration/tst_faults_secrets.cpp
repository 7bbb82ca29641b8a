// No password and no OAuth token anywhere but the keychain: after full runs of the real
// binary with transcripts on -- a password account (real Dovecot, POP3-SSL) and an XOAUTH2
// account (a scripted POP3 server that accepts any token), one run killed with SIGKILL --
// the config, the database, the spool, the log, the transcripts and everything the runs
// printed (the killed one's too) are searched for the secrets, plain and base64-encoded.
// And OAuth2 accounts signed in for real at oidc-provider (signIn "oauth2": a device-flow
// sign-in whose refresh token the keychain holds, and app-only with the client secret in the
// keychain), their mailbox the scripted server, which records the access tokens Pollux sent:
// no access token, refresh token (the signed-in one and every rotated one) or client secret
// appears anywhere either.
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/OidcServer.h"
#include "support/OidcUserAgent.h"
#include "support/PolluxBinary.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "oauth/DeviceSignIn.h"
#include "secrets/KeychainSecretStore.h"

#include <QSignalSpy>

#include <QDeadlineTimer>
#include <QDirIterator>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

Q_DECLARE_METATYPE(pollux::oauth::DeviceCode)
Q_DECLARE_METATYPE(pollux::oauth::TokenSet)
Q_DECLARE_METATYPE(pollux::oauth::OAuthError)

using namespace pollux;
using namespace pollux::test;

namespace {
// Under the asan preset: OpenSSL's objects reported at exit are suppressed (lsan.supp).
QString lsanOptions()
{
    if (!qEnvironmentVariableIsEmpty("LSAN_OPTIONS"))
        return qEnvironmentVariable("LSAN_OPTIONS");
    return QStringLiteral("suppressions=") + qEnvironmentVariable("POLLUX_SOURCE_DIR") +
           QStringLiteral("/tests/crash/lsan.supp:print_suppressions=0");
}
} // namespace

namespace {
const QString kPassword = QStringLiteral("Pw#secret-4471-needle");
const QString kToken = QStringLiteral("ya29.token-needle-8812-abcdefghijklmnopqrstuvwxyz");

// An XOAUTH2 POP3 server: accepts any token, has an empty mailbox; records what it got.
class OAuthPop3 : public QObject
{
public:
    OAuthPop3()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                s->setParent(this);
                s->write("+OK fake POP3 ready\r\n");
                connect(s, &QTcpSocket::readyRead, this, [this, s] {
                    while (s->canReadLine()) {
                        const QByteArray line = s->readLine();
                        m_received += line;
                        answer(s, line.trimmed());
                    }
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray received() const { return m_received; }
    // The bearer tokens of every XOAUTH2 initial response received.
    QStringList bearerTokens() const
    {
        QStringList out;
        for (const QByteArray &line : m_received.split('\n')) {
            const QList<QByteArray> words = line.trimmed().split(' ');
            if (words.size() < 3 || words.at(0).toUpper() != "AUTH")
                continue;
            const QByteArray decoded = QByteArray::fromBase64(words.at(2));
            const qsizetype at = decoded.indexOf("auth=Bearer ");
            if (at < 0)
                continue;
            const qsizetype end = decoded.indexOf('\x01', at);
            out << QString::fromLatin1(decoded.mid(at + 12, end - at - 12));
        }
        return out;
    }

private:
    void answer(QTcpSocket *s, const QByteArray &line)
    {
        const QByteArray verb = line.split(' ').value(0).toUpper();
        if (m_awaitingResponse) {
            m_awaitingResponse = false;
            s->write("+OK logged in\r\n");
        } else if (verb == "CAPA") {
            s->write("+OK\r\nSASL XOAUTH2\r\nUIDL\r\nUSER\r\n.\r\n");
        } else if (verb == "AUTH") {
            if (line.split(' ').size() >= 3) {
                s->write("+OK logged in\r\n");
            } else {
                m_awaitingResponse = true;
                s->write("+ \r\n");
            }
        } else if (verb == "UIDL" || verb == "LIST") {
            s->write("+OK\r\n.\r\n");
        } else if (verb == "STAT") {
            s->write("+OK 0 0\r\n");
        } else if (verb == "QUIT") {
            s->write("+OK bye\r\n");
            s->disconnectFromHost();
        } else {
            s->write("+OK\r\n");
        }
    }

    QTcpServer m_server;
    QByteArray m_received;
    bool m_awaitingResponse = false;
};
} // namespace

class TestFaultsSecrets : public QObject
{
    Q_OBJECT

private slots:
    void noSecretAnywhere();

private:
    QProcess *start(const QStringList &args);
    QString m_service;
    QTemporaryDir m_transcripts;
};

QProcess *TestFaultsSecrets::start(const QStringList &args)
{
    auto *p = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("LSAN_OPTIONS"), lsanOptions());
    env.insert(QStringLiteral("POLLUX_TRANSCRIPT_DIR"), m_transcripts.path());
    p->setProcessEnvironment(env);
    p->start(polluxBinary(), args);
    p->waitForStarted(10000);
    return p;
}

void TestFaultsSecrets::noSecretAnywhere()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY(TestCa::instance().ok());
    m_service = QStringLiteral("pollux-secrets-%1").arg(QCoreApplication::applicationPid());
    DovecotServer dovecot;
    QString error;
    QVERIFY2(dovecot.start(&error), qPrintable(error));
    SmtpSink sink;
    QVERIFY2(sink.start(&error), qPrintable(error));
    OAuthPop3 oauth;
    QVERIFY(oauth.port() != 0);
    QVERIFY(dovecot.addUser(QStringLiteral("sam"), kPassword));
    for (int i = 1; i <= 5; ++i)
        QVERIFY(dovecot.deliver(QStringLiteral("sam"), makeMessage(i, 30000)));

    QTemporaryDir dir;
    Config c;
    AccountConfig pw;
    pw.name = QStringLiteral("Sam");
    pw.type = ServerType::Pop3Ssl;
    pw.host = QStringLiteral("127.0.0.1");
    pw.port = dovecot.pop3sPort();
    pw.username = QStringLiteral("sam");
    pw.recipient = QStringLiteral("sam@office.example.com");
    AccountConfig token = pw;
    token.name = QStringLiteral("Cloud");
    token.type = ServerType::Pop3;
    token.port = oauth.port();
    token.username = QStringLiteral("cloud@example.com");
    token.authMethod = QStringLiteral("xoauth2");
    token.allowPlaintextLogin = true; // the fake is plain text on loopback
    // OAuth2 accounts at a real authorization server, collecting from the scripted server.
    OidcServer oidc;
    oidc.setUsers({QStringLiteral("oidcsecrets")});
    // The run killed early may die between a rotation and its keychain write: with a grace
    // (as Microsoft's) the next run still renews; the strict case is tst_oauth_kill's.
    oidc.setRotationGrace(300);
    qRegisterMetaType<oauth::DeviceCode>();
    qRegisterMetaType<oauth::TokenSet>();
    qRegisterMetaType<oauth::OAuthError>();
    QVERIFY2(oidc.start(&error), qPrintable(error));
    AccountConfig signedIn = token;
    signedIn.name = QStringLiteral("Signed");
    signedIn.authMethod = QStringLiteral("auto");
    signedIn.signIn = SignInMethod::OAuth2;
    signedIn.oauth2.clientId = OidcServer::publicClient();
    signedIn.oauth2.tokenUrl = oidc.tokenEndpoint().toString();
    signedIn.oauth2.deviceUrl = oidc.deviceAuthorizationEndpoint().toString();
    signedIn.oauth2.scopes = {QStringLiteral("openid"), QStringLiteral("offline_access"),
                              QStringLiteral("mail")};
    AccountConfig app = signedIn;
    app.name = QStringLiteral("App");
    app.oauth2.clientId = OidcServer::appClient();
    app.oauth2.clientSecret = true;
    app.oauth2.appOnly = true;
    app.oauth2.deviceUrl.clear();
    app.oauth2.scopes = {QStringLiteral("mail")};
    c.accounts << pw << token << signedIn << app;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = sink.port();
    c.dataDir = dir.filePath(QStringLiteral("data"));
    c.caFile = TestCa::instance().caCertPath();
    const QString config = dir.filePath(QStringLiteral("pollux.json"));
    QVERIFY(c.save(config).ok());

    QByteArray printed;
    auto finish = [&printed](QProcess *p) {
        // The fake server lives in this thread: keep the event loop running meanwhile.
        QDeadlineTimer deadline(120000);
        while (p->state() != QProcess::NotRunning && !deadline.hasExpired())
            QTest::qWait(10);
        const bool done = p->state() == QProcess::NotRunning;
        if (!done) {
            p->kill();
            p->waitForFinished();
        }
        printed += p->readAllStandardOutput() + p->readAllStandardError();
        const int code = done && p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
        delete p;
        return code;
    };
    for (const auto &[name, secret] : {std::pair{QStringLiteral("Sam"), kPassword},
                                       std::pair{QStringLiteral("Cloud"), kToken}}) {
        QProcess *p = start({QStringLiteral("password"), QStringLiteral("set"), name,
                             QStringLiteral("--config"), config});
        p->write(secret.toUtf8() + '\n');
        p->closeWriteChannel();
        QCOMPARE(finish(p), 0);
    }
    // The device-flow sign-in, its tokens and the app's secret into Pollux's keychain.
    QStringList oauthSecrets{OidcServer::appSecret()};
    {
        oauth::Provider provider;
        provider.tokenEndpoint = oidc.tokenEndpoint();
        provider.deviceAuthorizationEndpoint = oidc.deviceAuthorizationEndpoint();
        provider.clientId = OidcServer::publicClient();
        provider.scopes = signedIn.oauth2.scopes;
        oauth::DeviceSignIn flow(provider);
        QSignalSpy code(&flow, &oauth::DeviceSignIn::codeReady);
        QSignalSpy done(&flow, &oauth::DeviceSignIn::finished);
        flow.start();
        QVERIFY(code.wait(15000));
        const auto d = code.first().first().value<oauth::DeviceCode>();
        oauthSecrets << d.deviceCode;
        OidcUserAgent agent;
        QVERIFY2(agent.completeDeviceSignIn(
                     QUrl(d.verificationUriComplete), QStringLiteral("oidcsecrets"),
                     QStringLiteral("any-password"), OidcUserAgent::Decision::Approve, &error),
                 qPrintable(error));
        QVERIFY(done.wait(30000));
        QCOMPARE(done.first().at(0).value<oauth::OAuthError>(), oauth::OAuthError::None);
        const auto tokens = done.first().at(2).value<oauth::TokenSet>();
        QVERIFY(!tokens.refreshToken.isEmpty());
        oauthSecrets << tokens.accessToken << tokens.refreshToken;
        KeychainSecretStore keychain(m_service);
        QVERIFY(
            keychain
                .writeSync(secretKey(SecretKind::OAuth2Refresh, signedIn.name), tokens.refreshToken)
                .ok());
        QVERIFY(keychain
                    .writeSync(secretKey(SecretKind::OAuth2ClientSecret, app.name),
                               OidcServer::appSecret())
                    .ok());
    }
    const QStringList once = {QStringLiteral("--headless"), QStringLiteral("--once"),
                              QStringLiteral("--config"), config};
    // A run killed in the middle (its output is searched too), then full runs.
    QProcess *killed = start(once);
    QTest::qWait(60);
    killed->kill(); // SIGKILL (it may have finished already: then it is just a full run)
    finish(killed);
    int status = finish(start(once));
    if (status != 0)
        status = finish(start(once));
    QVERIFY2(status == 0, printed.right(3000).constData());
    QVERIFY(sink.messages().size() >= 5);
    QCOMPARE(dovecot.messageCount(QStringLiteral("sam")), 0);
    // The token did reach the (fake) server: it went through the real path.
    const QByteArray sasl = "user=cloud@example.com\x01"
                            "auth=Bearer " +
                            kToken.toUtf8() + "\x01\x01";
    QVERIFY2(oauth.received().contains(sasl.toBase64()), oauth.received().constData());

    // Both OAuth2 accounts logged in with tokens they got themselves; the rotated refresh
    // token is in the keychain.
    const QStringList bearers = oauth.bearerTokens();
    QVERIFY2(bearers.size() >= 2, oauth.received().constData()); // 2 accounts, >= 1 run
    oauthSecrets << bearers;
    {
        KeychainSecretStore keychain(m_service);
        QString rotated;
        QVERIFY(
            keychain.readSync(secretKey(SecretKind::OAuth2Refresh, signedIn.name), rotated).ok());
        QVERIFY(!rotated.isEmpty());
        QVERIFY(!oauthSecrets.contains(rotated)); // rotated at the first run's refresh
        oauthSecrets << rotated;
    }
    oauthSecrets.removeDuplicates();
    QList<QByteArray> needles = {
        kPassword.toUtf8(),
        kToken.toUtf8(),
        sasl.toBase64(),
        QByteArray("\0sam\0", 5).append(kPassword.toUtf8()).toBase64(), // AUTH PLAIN
        kPassword.toUtf8().toBase64(),                                  // AUTH LOGIN
    };
    for (const QString &secret : std::as_const(oauthSecrets)) {
        needles << secret.toUtf8() << secret.toUtf8().toBase64();
        // Inside the XOAUTH2 initial response (both accounts log in as cloud@example.com).
        const QByteArray response =
            QByteArray("user=cloud@example.com\x01auth=Bearer ") + secret.toUtf8() + "\x01\x01";
        needles << response.toBase64();
    }
    QStringList searched;
    for (const QString &root : {dir.path(), m_transcripts.path()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray content = f.readAll();
            for (const QByteArray &needle : needles)
                QVERIFY2(!content.contains(needle), qPrintable(path));
            searched << QFileInfo(path).fileName();
        }
    }
    for (const QByteArray &needle : needles)
        QVERIFY2(!printed.contains(needle), "a secret in what pollux printed");
    for (const char *expected : {"pollux.json", "pollux.db", "pollux.log", "pop3-Sam.log",
                                 "pop3-Cloud.log", "smtp-office.log"}) {
        if (!searched.contains(QString::fromLatin1(expected)))
            qWarning("not searched (not written?): %s; searched: %s", expected,
                     qPrintable(searched.join(QLatin1Char(' '))));
    }
    QVERIFY(searched.contains(QStringLiteral("pollux.db")));
    QVERIFY(searched.contains(QStringLiteral("pop3-Cloud.log")));
    QVERIFY(searched.contains(QStringLiteral("pop3-Sam.log")));
    QVERIFY(sink.stop());
    QVERIFY(dovecot.stop());
    QVERIFY(oidc.stop());
}

QTEST_GUILESS_MAIN(TestFaultsSecrets)
#include "tst_faults_secrets.moc"
