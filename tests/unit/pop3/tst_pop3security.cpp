// STLS, SASL AUTH, login method selection and the plaintext policy of the POP3 client,
// against the scripted fake server. No credential may leave when the policy says no.
#include "Pop3TestSupport.h"
#include "support/TestCa.h"

#include <QCryptographicHash>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTest>

using namespace pollux;
using namespace pollux::pop3;
using namespace pollux::test;

Q_DECLARE_METATYPE(pollux::ErrorCode)

namespace {

QByteArray b64(const QByteArray &data)
{
    return data.toBase64();
}

QSslCertificate testCaCert()
{
    QFile f(TestCa::instance().caCertPath());
    return f.open(QIODevice::ReadOnly) ? QSslCertificate(f.readAll(), QSsl::Pem)
                                       : QSslCertificate();
}

// Greeting and a CAPA answer.
QList<QByteArray> greetAndCapa(const QList<QByteArray> &capa,
                               const QByteArray &greeting = "+OK POP3 ready")
{
    QList<QByteArray> s{"S: " + greeting, "C: CAPA", "S: +OK"};
    for (const QByteArray &c : capa)
        s << "S: " + c;
    s << "S: .";
    return s;
}

QList<QByteArray> capaAfterLogin()
{
    return {"C: CAPA", "S: +OK", "S: UIDL", "S: ."};
}

// Whether any line the server received carries the password or a login command.
bool credentialsSent(const QList<QByteArray> &received)
{
    for (const QByteArray &line : received) {
        const QByteArray upper = line.toUpper();
        if (line.contains("secret") || line.contains(b64("secret")) || upper.startsWith("PASS") ||
            upper.startsWith("USER") || upper.startsWith("AUTH") || upper.startsWith("APOP"))
            return true;
    }
    return false;
}

} // namespace

class TestPop3Security : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void stlsUpgrade();
    void stlsRefusals_data();
    void stlsRefusals();
    void stlsUntrustedCertificate();
    void stlsPinnedCertificate();
    void selection_data();
    void selection();
    void authExchange_data();
    void authExchange();
    void authFailure_data();
    void authFailure();
    void idleSessionOutlivesTimeout();
};

void TestPop3Security::initTestCase()
{
    qRegisterMetaType<Result>();
    qRegisterMetaType<QList<RemoteMessage>>();
    if (!TestCa::instance().ok())
        QFAIL(qPrintable(TestCa::instance().error()));
}

// STLS, CAPA again over TLS (the plain-text one is forgotten), then SASL PLAIN: allowed
// because the connection is now encrypted, although plaintext login is not allowed.
void TestPop3Security::stlsUpgrade()
{
    FakePop3Server server;
    QVERIFY(server.setTlsCertificate(TestCa::instance().certPath(), TestCa::instance().keyPath()));
    QList<QByteArray> script = greetAndCapa({"STLS", "USER"});
    script << "C: STLS"
           << "S: +OK Begin TLS negotiation"
           << "T:"
           << "C: CAPA"
           << "S: +OK"
           << "S: SASL PLAIN"
           << "S: ."
           << "C: AUTH PLAIN " + b64(QByteArray("\0alice\0secret", 13)) << "S: +OK Logged in.";
    script << capaAfterLogin();
    server.setScript(script);

    Pop3Client client;
    MemorySink sink;
    MailboxOptions options = optionsFor(server);
    options.endpoint.host = QStringLiteral("localhost");
    options.endpoint.tls = net::TlsMode::StartTls;
    options.endpoint.extraCaCertificates << testCaCert();
    options.allowPlaintextLogin = false;
    const SessionRun run = runSession(client, options, sink, QStringLiteral("open"));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QVERIFY(server.encrypted());
    QCOMPARE(client.peerFingerprint(), net::sha256Fingerprint(QSslCertificate(
                                           [] {
                                               QFile f(TestCa::instance().certPath());
                                               return f.open(QIODevice::ReadOnly) ? f.readAll()
                                                                                  : QByteArray();
                                           }(),
                                           QSsl::Pem)));
}

void TestPop3Security::stlsRefusals_data()
{
    QTest::addColumn<QList<QByteArray>>("script");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("stls-not-offered")
        << greetAndCapa({"USER", "SASL PLAIN"}) << QStringLiteral("does not offer STLS");
    QTest::newRow("capa-refused") << QList<QByteArray>{"S: +OK ready", "C: CAPA", "S: -ERR no"}
                                  << QStringLiteral("does not offer STLS");
    QTest::newRow("stls-refused") << greetAndCapa({"STLS", "USER"}) +
                                         QList<QByteArray>{"C: STLS", "S: -ERR TLS not available"}
                                  << QStringLiteral("refused STLS");
    // Plain text after "+OK" would be read as if it came through TLS.
    QTest::newRow("data-injected-after-stls")
        << greetAndCapa({"STLS", "USER"}) +
               QList<QByteArray>{"C: STLS", "R: +OK go ahead\r\n+OK injected\r\n"}
        << QStringLiteral("data after its STLS answer");
}

void TestPop3Security::stlsRefusals()
{
    QFETCH(QList<QByteArray>, script);
    QFETCH(QString, mentions);
    FakePop3Server server;
    server.setScript(script);
    Pop3Client client;
    MemorySink sink;
    MailboxOptions options = optionsFor(server);
    options.endpoint.tls = net::TlsMode::StartTls;
    options.allowPlaintextLogin = true; // even so: required TLS is never skipped
    const SessionRun run = runSession(client, options, sink, QStringLiteral("open"));
    QCOMPARE(run.stoppedAt, QStringLiteral("open"));
    QCOMPARE(run.error.code(), ErrorCode::Tls);
    QVERIFY2(run.error.message().contains(mentions), qPrintable(run.error.message()));
    QVERIFY(server.waitForClientGone());
    QVERIFY(!credentialsSent(server.received()));
}

void TestPop3Security::stlsUntrustedCertificate()
{
    FakePop3Server server;
    QVERIFY(server.setTlsCertificate(TestCa::instance().selfSignedCertPath(),
                                     TestCa::instance().keyPath()));
    server.setScript(greetAndCapa({"STLS", "USER"}) +
                     QList<QByteArray>{"C: STLS", "S: +OK Begin TLS", "T:"});
    Pop3Client client;
    MemorySink sink;
    MailboxOptions options = optionsFor(server);
    options.endpoint.host = QStringLiteral("localhost");
    options.endpoint.tls = net::TlsMode::StartTls;
    options.endpoint.extraCaCertificates << testCaCert();
    const SessionRun run = runSession(client, options, sink, QStringLiteral("open"));
    QCOMPARE(run.error.code(), ErrorCode::Tls);
    QVERIFY(!client.peerFingerprint().isEmpty());
    QVERIFY2(run.error.message().contains(client.peerFingerprint()),
             qPrintable(run.error.message()));
    QVERIFY(server.waitForClientGone());
    QVERIFY(!credentialsSent(server.received()));
}

void TestPop3Security::stlsPinnedCertificate()
{
    FakePop3Server server;
    QVERIFY(server.setTlsCertificate(TestCa::instance().selfSignedCertPath(),
                                     TestCa::instance().keyPath()));
    QList<QByteArray> script = greetAndCapa({"STLS"});
    script << "C: STLS"
           << "S: +OK Begin TLS"
           << "T:"
           << "C: CAPA"
           << "S: +OK"
           << "S: USER"
           << "S: ."
           << "C: USER alice"
           << "S: +OK"
           << "C: PASS secret"
           << "S: +OK";
    server.setScript(script + capaAfterLogin());
    QFile f(TestCa::instance().selfSignedCertPath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    Pop3Client client;
    MemorySink sink;
    MailboxOptions options = optionsFor(server);
    options.endpoint.host = QStringLiteral("localhost");
    options.endpoint.tls = net::TlsMode::StartTls;
    options.endpoint.pinnedSha256 =
        QSslCertificate(f.readAll(), QSsl::Pem).digest(QCryptographicHash::Sha256);
    options.allowPlaintextLogin = false;
    const SessionRun run = runSession(client, options, sink, QStringLiteral("open"));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
}

void TestPop3Security::selection_data()
{
    QTest::addColumn<QByteArray>("greeting");
    QTest::addColumn<QList<QByteArray>>("capa");
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("allowApop");
    QTest::addColumn<bool>("allowPlaintext");
    QTest::addColumn<QByteArray>("firstLogin"); // prefix of the login command; empty: refused
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("mentions");

    const QByteArray plain = "+OK ready";
    const QByteArray stamped = "+OK ready <1896.697170952@dbc.mtview.ca.us>";
    const QString a = QStringLiteral("auto");
    const QList<QByteArray> all{"USER", "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256"};
    const QList<QByteArray> plainLogin{"USER", "SASL PLAIN LOGIN"};
    const ErrorCode ok = ErrorCode::None;
    const QString none;
    QTest::newRow("auto-scram-sha-256")
        << plain << all << a << true << false << QByteArray("AUTH SCRAM-SHA-256 ") << ok << none;
    QTest::newRow("auto-scram-sha-1")
        << plain << QList<QByteArray>{"SASL PLAIN CRAM-MD5 SCRAM-SHA-1"} << a << true << false
        << QByteArray("AUTH SCRAM-SHA-1 ") << ok << none;
    QTest::newRow("auto-cram-before-apop")
        << stamped << QList<QByteArray>{"SASL PLAIN CRAM-MD5"} << a << true << false
        << QByteArray("AUTH CRAM-MD5") << ok << none;
    QTest::newRow("auto-apop-before-plaintext")
        << stamped << plainLogin << a << true << true << QByteArray("APOP alice ") << ok << none;
    QTest::newRow("auto-apop-unencrypted")
        << stamped << plainLogin << a << true << false << QByteArray("APOP alice ") << ok << none;
    QTest::newRow("auto-sasl-plain-allowed")
        << plain << plainLogin << a << true << true << QByteArray("AUTH PLAIN ") << ok << none;
    QTest::newRow("auto-user-allowed") << plain << QList<QByteArray>{"USER"} << a << true << true
                                       << QByteArray("USER alice") << ok << none;
    QTest::newRow("auto-no-capa-user-allowed") << plain << QList<QByteArray>() << a << true << true
                                               << QByteArray("USER alice") << ok << none;
    QTest::newRow("auto-plaintext-refused")
        << plain << plainLogin << a << true << false << QByteArray() << ErrorCode::Tls
        << QStringLiteral("use POP3-SSL, STARTTLS, or allow plaintext login");
    QTest::newRow("auto-apop-off-plaintext-refused")
        << stamped << QList<QByteArray>{"USER"} << a << false << false << QByteArray()
        << ErrorCode::Tls << QStringLiteral("allow plaintext login");
    QTest::newRow("user-refused-unencrypted")
        << plain << plainLogin << QStringLiteral("user") << true << false << QByteArray()
        << ErrorCode::Tls << QStringLiteral("allow plaintext login");
    QTest::newRow("user-forced") << stamped << all << QStringLiteral("user") << true << true
                                 << QByteArray("USER alice") << ok << none;
    QTest::newRow("apop-forced") << stamped << all << QStringLiteral("apop") << true << false
                                 << QByteArray("APOP alice ") << ok << none;
    QTest::newRow("apop-not-offered")
        << plain << all << QStringLiteral("apop") << true << false << QByteArray()
        << ErrorCode::AuthFailed << QStringLiteral("APOP");
    QTest::newRow("apop-switched-off")
        << stamped << all << QStringLiteral("apop") << false << false << QByteArray()
        << ErrorCode::Config << QStringLiteral("switched off");
    QTest::newRow("cram-md5-forced") << stamped << all << QStringLiteral("cram-md5") << true
                                     << false << QByteArray("AUTH CRAM-MD5") << ok << none;
    QTest::newRow("login-forced") << plain << all << QStringLiteral("login") << true << true
                                  << QByteArray("AUTH LOGIN") << ok << none;
    QTest::newRow("scram-not-offered")
        << plain << plainLogin << QStringLiteral("scram-sha-256") << true << true << QByteArray()
        << ErrorCode::AuthFailed << QStringLiteral("SCRAM-SHA-256");
    QTest::newRow("plain-forced-unencrypted")
        << plain << plainLogin << QStringLiteral("plain") << true << false << QByteArray()
        << ErrorCode::Tls << QStringLiteral("allow plaintext login");
    QTest::newRow("xoauth2-unencrypted")
        << plain << QList<QByteArray>{"SASL XOAUTH2"} << QStringLiteral("xoauth2") << true << false
        << QByteArray() << ErrorCode::Tls << QStringLiteral("XOAUTH2");
    QTest::newRow("garbage-sasl-list")
        << plain << QList<QByteArray>{"SASL \x01\x02 ?? KERBEROS_V4"} << a << true << false
        << QByteArray() << ErrorCode::Tls << QStringLiteral("allow plaintext login");
}

// The first login command the client sends, or its refusal before sending any.
void TestPop3Security::selection()
{
    QFETCH(QByteArray, greeting);
    QFETCH(QList<QByteArray>, capa);
    QFETCH(QString, method);
    QFETCH(bool, allowApop);
    QFETCH(bool, allowPlaintext);
    QFETCH(QByteArray, firstLogin);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mentions);

    FakePop3Server server;
    server.setScript(greetAndCapa(capa, greeting)); // then only records
    Pop3Client client;
    MailboxOptions options = optionsFor(server);
    options.authMethod = method;
    options.allowApop = allowApop;
    options.allowPlaintextLogin = allowPlaintext;
    QSignalSpy failed(&client, &MailboxClient::failed);
    client.open(options);
    if (firstLogin.isEmpty()) {
        QVERIFY(failed.wait(5000));
        const Result error = failed.first().first().value<Result>();
        QCOMPARE(error.code(), code);
        QVERIFY2(error.message().contains(mentions), qPrintable(error.message()));
        QVERIFY(error.message().contains(QLatin1String("no credential was sent")));
        QVERIFY(server.waitForClientGone());
        QCOMPARE(server.received(), QList<QByteArray>{"CAPA"});
        return;
    }
    QTRY_VERIFY_WITH_TIMEOUT(server.received().size() >= 2 || !failed.isEmpty(), 5000);
    QVERIFY(failed.isEmpty());
    QVERIFY2(server.received().at(1).startsWith(firstLogin), server.received().at(1).constData());
}

void TestPop3Security::authExchange_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QList<QByteArray>>("exchange"); // after CAPA, up to the +OK
    const QByteArray cramChallenge = "<1896.697170952@postoffice.reston.mci.net>";
    const QByteArray cramDigest =
        QMessageAuthenticationCode::hash(cramChallenge, "secret", QCryptographicHash::Md5).toHex();
    QTest::newRow("plain") << QStringLiteral("plain")
                           << QList<QByteArray>{"C: AUTH PLAIN " +
                                                    b64(QByteArray("\0alice\0secret", 13)),
                                                "S: +OK"};
    QTest::newRow("login") << QStringLiteral("login")
                           << QList<QByteArray>{"C: AUTH LOGIN",       "S: + " + b64("Username:"),
                                                "C: " + b64("alice"),  "S: + " + b64("Password:"),
                                                "C: " + b64("secret"), "S: +OK"};
    QTest::newRow("cram-md5") << QStringLiteral("cram-md5")
                              << QList<QByteArray>{"C: AUTH CRAM-MD5", "S: + " + b64(cramChallenge),
                                                   "C: " + b64("alice " + cramDigest), "S: +OK"};
    // An access token too long for the 255-octet AUTH line follows the empty challenge.
    const QString token = QString(300, QLatin1Char('t'));
    const QByteArray xoauth = "user=alice\x01"
                              "auth=Bearer " +
                              token.toLatin1() + "\x01\x01";
    QTest::newRow("xoauth2-long-token")
        << QStringLiteral("xoauth2")
        << QList<QByteArray>{"C: AUTH XOAUTH2", "S: + ", "C: " + b64(xoauth), "S: +OK"};
}

void TestPop3Security::authExchange()
{
    QFETCH(QString, method);
    QFETCH(QList<QByteArray>, exchange);
    FakePop3Server server;
    server.setScript(greetAndCapa({"USER", "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256 XOAUTH2"}) +
                     exchange + capaAfterLogin());
    Pop3Client client;
    MemorySink sink;
    MailboxOptions options = optionsFor(server);
    options.authMethod = method;
    if (method == QLatin1String("xoauth2"))
        options.password = QString(300, QLatin1Char('t'));
    const SessionRun run = runSession(client, options, sink, QStringLiteral("open"));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
}

void TestPop3Security::authFailure_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QList<QByteArray>>("exchange");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("mentions");
    const QByteArray plainLine = "C: AUTH PLAIN " + b64(QByteArray("\0alice\0secret", 13));
    QTest::newRow("rejected") << QStringLiteral("plain")
                              << QList<QByteArray>{plainLine,
                                                   "S: -ERR [AUTH] Authentication failed"}
                              << ErrorCode::AuthFailed << QStringLiteral("AUTH PLAIN");
    QTest::newRow("mailbox-in-use")
        << QStringLiteral("plain") << QList<QByteArray>{plainLine, "S: -ERR [IN-USE] locked"}
        << ErrorCode::TemporaryFailure << QStringLiteral("locked");
    QTest::newRow("challenge-not-base64")
        << QStringLiteral("login") << QList<QByteArray>{"C: AUTH LOGIN", "S: + !!!***"}
        << ErrorCode::Protocol << QStringLiteral("not base64");
    QTest::newRow("cram-challenge-malformed")
        << QStringLiteral("cram-md5") << QList<QByteArray>{"C: AUTH CRAM-MD5", "S: + " + b64("hi")}
        << ErrorCode::Protocol << QStringLiteral("CRAM-MD5");
    QTest::newRow("scram-nonce-not-ours")
        << QStringLiteral("scram-sha-256")
        << QList<QByteArray>{"C: AUTH SCRAM-SHA-256 *",
                             "S: + " + b64("r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096")}
        << ErrorCode::Protocol << QStringLiteral("nonce");
    // The server says yes without ever proving it knows the password: an impostor.
    QTest::newRow("scram-success-without-signature")
        << QStringLiteral("scram-sha-256")
        << QList<QByteArray>{"C: AUTH SCRAM-SHA-256 *", "S: +OK welcome"} << ErrorCode::AuthFailed
        << QStringLiteral("without proving");
    QTest::newRow("status-garbage")
        << QStringLiteral("plain") << QList<QByteArray>{plainLine, "S: * OK imap here"}
        << ErrorCode::Protocol << QString();
}

void TestPop3Security::authFailure()
{
    QFETCH(QString, method);
    QFETCH(QList<QByteArray>, exchange);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mentions);
    FakePop3Server server;
    server.setScript(greetAndCapa({"USER", "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256"}) + exchange);
    Pop3Client client;
    MemorySink sink;
    MailboxOptions options = optionsFor(server);
    options.authMethod = method;
    const SessionRun run = runSession(client, options, sink, QStringLiteral("open"));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(run.stoppedAt, QStringLiteral("open"));
    QCOMPARE(run.error.code(), code);
    QVERIFY2(run.error.message().contains(mentions), qPrintable(run.error.message()));
    QVERIFY(server.waitForClientGone());
    // The client abandoned the exchange: nothing after the step that failed.
    qsizetype clientLines = 1; // CAPA
    for (const QByteArray &step : exchange)
        clientLines += step.startsWith("C:") ? 1 : 0;
    QCOMPARE(server.received().size(), clientLines);
}

// Logged in and idle for longer than the timeout: the session is still usable.
void TestPop3Security::idleSessionOutlivesTimeout()
{
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"UIDL"});
    script << "C: UIDL" << uidlAnswer(1) << "C: LIST" << listAnswer(1);
    server.setScript(script);
    Pop3Client client;
    MailboxOptions options = optionsFor(server, 300);
    QSignalSpy opened(&client, &MailboxClient::opened);
    QSignalSpy failed(&client, &MailboxClient::failed);
    QSignalSpy listed(&client, &MailboxClient::listed);
    client.open(options);
    QVERIFY(opened.wait(5000));
    QVERIFY(!failed.wait(1000)); // three timeouts' worth of the owner doing other things
    client.list();
    QVERIFY(listed.wait(5000));
    QVERIFY(failed.isEmpty());
}

QTEST_GUILESS_MAIN(TestPop3Security)
#include "tst_pop3security.moc"
