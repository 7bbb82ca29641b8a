#include "SmtpTestSupport.h"

#include "support/TestCa.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QSslKey>
#include <QTemporaryDir>

// SmtpClient sessions: greeting, EHLO/HELO, STARTTLS policy, AUTH, errors, close.

using namespace smtptest;

class TestSmtpClient : public ClientFixture
{
    Q_OBJECT
private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }

    void heloFallback();
    void serverClosing_data();
    void serverClosing();
    void greetingTimeout();
    void garbageGreeting();
    void startTlsNotAdvertised();
    void authNoSupportedMechanism();
    void authPlainRedacted();
    void authLogin();
    void authRefused();
    void hostileReplyBounded();
    void authCramMd5();
    void authPrefersStrongest();
    void authScramBadServerFirst();
    void authChallengeNotBase64();
    void authInitialResponseTooLong();
    void startTlsThenAuth();
    void startTlsInjection();
    void garbageMidSession();
    void unsolicitedReplyWhileIdle();
    void closeDuringTransaction();
    void closeBeforeOpened();
    void deleteFromFailedSlot();
    void sendWhenNotOpen();
};

void TestSmtpClient::heloFallback()
{
    // No EHLO: no extensions, so no SIZE/BODY parameters and lockstep.
    openClient(lines({"S: 220 old.test SMTP", "C: EHLO client.test",
                      "S: 502 5.5.2 Error: command not recognized", "C: HELO client.test",
                      "S: 250 old.test", "C: MAIL FROM:<a@example.org>", "S: 250 Ok",
                      "C: RCPT TO:<b@example.org>", "S: 250 Ok", "C: DATA", "S: 354 go",
                      "C: <DATA>", "S: 250 queued"}));
    QVERIFY(!m_client->pipelining());
    QCOMPARE(m_client->maxSize(), qint64(0));
    Body body("x");
    const SendResult result = sendAndWait(envelope({"b@example.org"}), &body.buffer, 1);
    QCOMPARE(result.finalReply.code, 250);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
}
void TestSmtpClient::serverClosing_data()
{
    QTest::addColumn<QStringList>("script");
    QTest::addColumn<bool>("opens");
    QTest::newRow("421-greeting") << lines({"S: 421 4.3.2 busy", "S: <CLOSE>"}) << false;
    QTest::newRow("421-ehlo") << lines({"S: 220 fake", "C: EHLO *", "S: 421 4.3.2 shutting down"})
                              << false;
    QStringList mail = pipeliningHello();
    mail << lines(
        {"C: MAIL FROM:*", "C: RCPT TO:*", "C: DATA", "S: 421 4.3.2 shutting down", "S: <CLOSE>"});
    QTest::newRow("421-mail") << mail << true;
    QStringList final = pipeliningHello();
    final << lines({"C: MAIL FROM:*", "C: RCPT TO:*", "C: DATA", "S: 250 Ok", "S: 250 Ok",
                    "S: 354 go", "C: <DATA>", "S: 421 4.4.2 timeout"});
    QTest::newRow("421-final") << final << true;
}
void TestSmtpClient::serverClosing()
{
    QFETCH(QStringList, script);
    QFETCH(bool, opens);
    m_server->setScript(script);
    QSignalSpy opened(m_client, &SmtpClient::opened);
    QSignalSpy sent(m_client, &SmtpClient::sent);
    m_client->open(options());
    if (opens) {
        QVERIFY(opened.wait(Wait));
        Body body("x\n");
        m_client->send(envelope({"b@example.org"}), &body.buffer, 2);
        QVERIFY(m_failed->wait(Wait));
    } else {
        QVERIFY(m_failed->wait(Wait));
        QCOMPARE(opened.size(), 0);
    }
    QCOMPARE(m_failed->size(), 1);
    const Result error = m_failed->at(0).at(0).value<Result>();
    QCOMPARE(error.code(), ErrorCode::TemporaryFailure);
    QVERIFY(error.message().contains(s("421")));
    QCOMPARE(sent.size(), 0);
    QVERIFY(!m_client->isOpen());
    QVERIFY(!m_client->deliveryUncertain()); // a 421 is an answer: not delivered
    QTest::qWait(50);                        // nothing more may arrive (failed exactly once)
    QCOMPARE(m_failed->size(), 1);
}
void TestSmtpClient::greetingTimeout()
{
    m_server->setScript({}); // accepts, says nothing
    QElapsedTimer timer;
    timer.start();
    m_client->open(options(500));
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(m_failed->at(0).at(0).value<Result>().code(), ErrorCode::Timeout);
    QVERIFY(timer.elapsed() >= 400);
}
void TestSmtpClient::garbageGreeting()
{
    m_server->setScript(lines({"S: HTTP/1.1 400 Bad Request"}));
    m_client->open(options());
    QVERIFY(m_failed->wait(Wait));
    const Result error = m_failed->at(0).at(0).value<Result>();
    QCOMPARE(error.code(), ErrorCode::Protocol);
    QVERIFY2(error.message().contains(s("HTTP/1.1 400")), qPrintable(error.message()));
}
void TestSmtpClient::startTlsNotAdvertised()
{
    m_server->setScript(hello(lines({"AUTH PLAIN LOGIN", "PIPELINING"})));
    Options o = options();
    o.endpoint.tls = net::TlsMode::StartTls;
    o.username = s("user");
    o.password = s("secret");
    m_client->open(o);
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(m_failed->at(0).at(0).value<Result>().code(), ErrorCode::Tls);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Wait);
    QCOMPARE(m_server->receivedLines(), QList<QByteArray>{"EHLO client.test"}); // no AUTH
    QVERIFY(!m_server->received().contains("AUTH"));
}
void TestSmtpClient::authNoSupportedMechanism()
{
    // (AUTH without TLS to a non-loopback host is refused; that rule is checked in
    // tst_smtpparser/commandsLoopback, as the fake can only listen on loopback.)
    m_server->setScript(hello(lines({"AUTH GSSAPI NTLM"})));
    Options o = options();
    o.username = s("user");
    o.password = s("secret");
    m_client->open(o);
    QVERIFY(m_failed->wait(Wait));
    const Result error = m_failed->at(0).at(0).value<Result>();
    QCOMPARE(error.code(), ErrorCode::AuthFailed);
    QVERIFY2(error.message().contains(s("GSSAPI NTLM")), qPrintable(error.message()));
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Wait);
    QVERIFY(!m_server->received().contains("AUTH"));
}
void TestSmtpClient::authPlainRedacted()
{
    QTemporaryDir transcripts;
    QVERIFY(transcripts.isValid());
    qputenv("POLLUX_TRANSCRIPT_DIR", transcripts.path().toUtf8());
    // PLAIN is preferred over LOGIN; plain text is fine on loopback.
    QStringList script = hello(lines({"AUTH LOGIN PLAIN"}));
    script << lines({"C: AUTH PLAIN AHVzZXIAc2VjcmV0", "S: 235 2.7.0 Authentication successful",
                     "C: QUIT", "S: 221 bye"});
    Options o = options();
    o.username = s("user");
    o.password = s("secret");
    openClient(script, o);
    qunsetenv("POLLUX_TRANSCRIPT_DIR");
    QSignalSpy closed(m_client, &SmtpClient::closed);
    m_client->close();
    QVERIFY(closed.wait(Wait));
    QCOMPARE(m_server->errors(), QStringList());

    QFile file(transcripts.filePath(s("smtp-test.log")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray transcript = file.readAll();
    QVERIFY2(transcript.contains("C: AUTH PLAIN <redacted>"), transcript.constData());
    QVERIFY(transcript.contains("S: 235 2.7.0"));
    QVERIFY(!transcript.contains("AHVzZXIAc2VjcmV0"));
    QVERIFY(!transcript.contains("secret"));
}
void TestSmtpClient::authLogin()
{
    QTemporaryDir transcripts;
    QVERIFY(transcripts.isValid());
    qputenv("POLLUX_TRANSCRIPT_DIR", transcripts.path().toUtf8());
    QStringList script = hello(lines({"AUTH=LOGIN"}));
    script << lines({"C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: dXNlcg==", "S: 334 UGFzc3dvcmQ6",
                     "C: c2VjcmV0", "S: 235 2.7.0 ok"});
    Options o = options();
    o.username = s("user");
    o.password = s("secret");
    openClient(script, o);
    qunsetenv("POLLUX_TRANSCRIPT_DIR");
    QCOMPARE(m_server->errors(), QStringList());
    QFile file(transcripts.filePath(s("smtp-test.log")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray transcript = file.readAll();
    QVERIFY2(transcript.contains("C: <redacted>"), transcript.constData());
    QVERIFY(!transcript.contains("c2VjcmV0"));
}
void TestSmtpClient::authRefused()
{
    QStringList script = hello(lines({"AUTH PLAIN"}));
    script << lines({"C: AUTH PLAIN *", "S: 535 5.7.8 Error: authentication failed"});
    m_server->setScript(script);
    Options o = options();
    o.username = s("user");
    o.password = s("wrong");
    QSignalSpy opened(m_client, &SmtpClient::opened);
    m_client->open(o);
    QVERIFY(m_failed->wait(Wait));
    const Result error = m_failed->at(0).at(0).value<Result>();
    QCOMPARE(error.code(), ErrorCode::AuthFailed);
    QVERIFY(error.message().contains(s("535")));
    QCOMPARE(opened.size(),
             0); // The server's words, apart from our message, to show verbatim; and where it was.
    QCOMPARE(error.serverSaid(), s("535 5.7.8 Error: authentication failed"));
    QVERIFY(!error.serverSaid().contains(s("AUTH")));
    QCOMPARE(error.serverHost(), o.endpoint.host);
    QCOMPARE(error.serverPort(), o.endpoint.port);
}

// A hostile greeting: about 100 KB over 30 lines, an escape sequence and a bell. The
// server's words are one line, cut to Result::MaxServerSaid characters and cleaned.
void TestSmtpClient::hostileReplyBounded()
{
    QStringList script;
    for (int i = 0; i < 30; ++i)
        script << s("S: 554-") + QString(3400, QLatin1Char('z'));
    script << s("S: 554 5.7.1 go\x1b[0m\x07"
                "away");
    m_server->setScript(script);
    m_client->open(options());
    QVERIFY(m_failed->wait(Wait));
    const Result error = m_failed->at(0).at(0).value<Result>();
    QCOMPARE(error.code(), ErrorCode::ServerError);
    QCOMPARE(error.serverSaid().size(), Result::MaxServerSaid + 1);
    QVERIFY(error.serverSaid().startsWith(s("554-zzzz")));
    QVERIFY(error.serverSaid().endsWith(QChar(0x2026)));
    QCOMPARE(error.serverSaid(), Result::cleanServerText(error.serverSaid()));

    const Result alone = Result::failure(ErrorCode::ServerError, QString())
                             .withServerSaid(QByteArray("554 5.7.1 go\x1b[0m\x07"
                                                        "away\r\n554 x"));
    QCOMPARE(alone.serverSaid(), s("554 5.7.1 go [0m away 554 x"));
}
static Options authOptions(Options o, const QString &user = QStringLiteral("user"))
{
    o.username = user;
    o.password = QStringLiteral("secret");
    return o;
}

void TestSmtpClient::authCramMd5()
{
    // RFC 2195 through core/sasl: the digest of the server's challenge, never the password.
    const QByteArray challenge("<1896.697170952@postoffice.example.net>");
    const QByteArray answer =
        "user " +
        QMessageAuthenticationCode::hash(challenge, "secret", QCryptographicHash::Md5).toHex();
    QStringList script = hello(lines({"AUTH CRAM-MD5"}));
    script << lines({"C: AUTH CRAM-MD5"})
           << s("S: 334 ") + QString::fromLatin1(challenge.toBase64())
           << s("C: ") + QString::fromLatin1(answer.toBase64()) << s("S: 235 2.7.0 ok");
    openClient(script, authOptions(options()));
    QCOMPARE(m_server->errors(), QStringList());
    QVERIFY(!m_server->received().contains("secret"));
    QVERIFY(!m_server->received().contains(QByteArray("secret").toBase64()));
}

void TestSmtpClient::authPrefersStrongest()
{
    // SCRAM-SHA-256 > SCRAM-SHA-1 > CRAM-MD5 > PLAIN > LOGIN: PLAIN is not used when SCRAM
    // is on offer. (The exchange itself is tested against the RFC vectors in tst_sasl.)
    QStringList script = hello(lines({"AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256"}));
    script << lines({"C: AUTH SCRAM-SHA-256 *", "S: 535 5.7.8 Error: authentication failed"});
    m_server->setScript(script);
    m_client->open(authOptions(options()));
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(firstError().code(), ErrorCode::AuthFailed);
    QCOMPARE(m_server->errors(), QStringList());
    QVERIFY(m_server->scriptDone());
    // base64("n,,n=user,r=..."): the client-first message, inline.
    const QByteArray auth = m_server->receivedLines().value(1);
    const QByteArray first =
        QByteArray::fromBase64(auth.mid(QByteArray("AUTH SCRAM-SHA-256 ").size()));
    QVERIFY2(first.startsWith("n,,n=user,r="), first.constData());
    QVERIFY(!m_server->received().contains("AUTH PLAIN"));
}

void TestSmtpClient::authScramBadServerFirst()
{
    // A server-first message whose nonce does not extend ours: abandoned, nothing proven.
    QStringList script = hello(lines({"AUTH SCRAM-SHA-256"}));
    script << lines({"C: AUTH SCRAM-SHA-256 *"})
           << s("S: 334 ") + QString::fromLatin1(
                                 QByteArray("r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096").toBase64());
    m_server->setScript(script);
    m_client->open(authOptions(options()));
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(firstError().code(), ErrorCode::Protocol);
    QVERIFY2(firstError().message().contains(s("SCRAM-SHA-256")),
             qPrintable(firstError().message()));
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Wait);
    QCOMPARE(m_server->receivedLines().size(), 2); // EHLO, AUTH: no proof was sent
}

void TestSmtpClient::authChallengeNotBase64()
{
    QStringList script = hello(lines({"AUTH CRAM-MD5"}));
    script << lines({"C: AUTH CRAM-MD5", "S: 334 <not base64>"});
    m_server->setScript(script);
    m_client->open(authOptions(options()));
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(firstError().code(), ErrorCode::Protocol);
    QVERIFY2(firstError().message().contains(s("not base64")), qPrintable(firstError().message()));
}

void TestSmtpClient::authInitialResponseTooLong()
{
    // RFC 4954 §4: an AUTH line over 512 bytes is not sent; the initial response answers
    // the first, empty, challenge instead.
    const QString user(400, QLatin1Char('u'));
    const QByteArray token = '\0' + user.toLatin1() + '\0' + "secret";
    QStringList script = hello(lines({"AUTH PLAIN"}));
    script << lines({"C: AUTH PLAIN", "S: 334 "})
           << s("C: ") + QString::fromLatin1(token.toBase64()) << s("S: 235 2.7.0 ok");
    openClient(script, authOptions(options(), user));
    QCOMPARE(m_server->errors(), QStringList());
}

// Options and server identity for STARTTLS against the test CA; false if unavailable.
static bool setUpTls(FakeSmtpServer *server, Options &o)
{
    const pollux::test::TestCa &ca = pollux::test::TestCa::instance();
    if (!ca.ok()) {
        qWarning() << "test CA:" << ca.error();
        return false;
    }
    QFile keyFile(ca.keyPath());
    if (!keyFile.open(QIODevice::ReadOnly))
        return false;
    const QSslKey key(&keyFile, QSsl::Ec);
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(ca.certPath());
    const QList<QSslCertificate> caCerts = QSslCertificate::fromPath(ca.caCertPath());
    if (key.isNull() || certs.isEmpty() || caCerts.isEmpty())
        return false;
    server->setTlsIdentity(certs.first(), key);
    o.endpoint.host = s("localhost");
    o.endpoint.tls = net::TlsMode::StartTls;
    o.endpoint.extraCaCertificates = caCerts;
    return true;
}

void TestSmtpClient::startTlsThenAuth()
{
    // Before TLS: PIPELINING, no AUTH. After: AUTH, no PIPELINING - what counts is the
    // second EHLO.
    Options o = options();
    o.username = s("user");
    o.password = s("secret");
    QVERIFY(setUpTls(m_server, o));
    QStringList script = hello(lines({"STARTTLS", "PIPELINING"}));
    script << lines({"C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "S: <STARTTLS>",
                     "C: EHLO client.test", "S: 250-fake.test", "S: 250 AUTH PLAIN",
                     "C: AUTH PLAIN AHVzZXIAc2VjcmV0", "S: 235 2.7.0 ok"});
    openClient(script, o);
    QVERIFY(!m_client->pipelining());
    QCOMPARE(m_server->errors(), QStringList());
    QVERIFY(m_server->scriptDone());
    // Nothing but EHLO and STARTTLS in plain text.
    const QByteArray plain = m_server->received();
    QVERIFY(plain.startsWith("EHLO client.test\r\nSTARTTLS\r\n"));
}

void TestSmtpClient::startTlsInjection()
{
    // A reply smuggled in behind the 220 (before the handshake) must not be believed.
    Options o = options();
    QVERIFY(setUpTls(m_server, o));
    QStringList script = hello(lines({"STARTTLS"}));
    script << lines({"C: STARTTLS", "S: 220 2.0.0 Ready to start TLS\r\n250-fake\r\n250 AUTH"});
    m_server->setScript(script);
    m_client->open(o);
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(firstError().code(), ErrorCode::Tls);
    QVERIFY2(firstError().message().contains(s("after the STARTTLS reply")),
             qPrintable(firstError().message()));
}

void TestSmtpClient::garbageMidSession()
{
    QStringList script = pipeliningHello();
    script << lines(
        {"C: MAIL FROM:*", "C: RCPT TO:*", "C: DATA", "S: 250 Ok", "S: * OK IMAP4rev1 ready"});
    openClient(script);
    QSignalSpy sent(m_client, &SmtpClient::sent);
    Body body("x\n");
    m_client->send(envelope({"b@example.org"}), &body.buffer, 2);
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(firstError().code(), ErrorCode::Protocol);
    QVERIFY2(firstError().message().contains(s("* OK IMAP4rev1")),
             qPrintable(firstError().message()));
    QCOMPARE(sent.size(), 0);
    QVERIFY(!m_client->isOpen());
}

void TestSmtpClient::unsolicitedReplyWhileIdle()
{
    QStringList script = hello({});
    script << s("S: 250 nobody asked");
    m_server->setScript(script);
    QSignalSpy opened(m_client, &SmtpClient::opened);
    m_client->open(options());
    QTRY_COMPARE_WITH_TIMEOUT(m_failed->size(), 1, Wait);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(firstError().code(), ErrorCode::Protocol);
}

void TestSmtpClient::closeDuringTransaction()
{
    // close() while a message is under way: the message completes, then QUIT.
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:*", "C: DATA", "S: 250 Ok", "S: 250 Ok",
                     "S: 354 go", "C: <DATA>", "S: 250 queued", "C: QUIT", "S: 221 bye"});
    openClient(script);
    QStringList events;
    connect(m_client, &SmtpClient::sent, this, [&events](const SendResult &result) {
        events << QStringLiteral("sent %1").arg(result.finalReply.code);
    });
    connect(m_client, &SmtpClient::closed, this, [&events] { events << s("closed"); });
    Body body("x\n");
    m_client->send(envelope({"b@example.org"}), &body.buffer, 2);
    m_client->close();
    QTRY_COMPARE_WITH_TIMEOUT(events, lines({"sent 250", "closed"}), Wait);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
    QCOMPARE(m_failed->size(), 0);
}

void TestSmtpClient::closeBeforeOpened()
{
    m_server->setScript({}); // never greets
    QSignalSpy closed(m_client, &SmtpClient::closed);
    m_client->open(options());
    m_client->close();
    QVERIFY(closed.wait(Wait));
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Wait);
    QCOMPARE(m_failed->size(), 0);
}

void TestSmtpClient::deleteFromFailedSlot()
{
    m_server->setScript(
        lines({"S: 220 fake", "C: EHLO *", "S: 421 4.3.2 going down", "S: <CLOSE>"}));
    bool deleted = false;
    connect(m_client, &SmtpClient::failed, this, [this, &deleted] {
        delete m_client; // the worst case: synchronously, from inside the signal
        m_client = nullptr;
        deleted = true;
    });
    m_client->open(options());
    QTRY_VERIFY_WITH_TIMEOUT(deleted, Wait);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Wait);
    QTest::qWait(50); // let deferred deletions run
}

void TestSmtpClient::sendWhenNotOpen()
{
    QSignalSpy sent(m_client, &SmtpClient::sent);
    Body body("x\n");
    m_client->send(envelope({"b@example.org"}), &body.buffer, 2);
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(sent.size(), 0);
}

QTEST_GUILESS_MAIN(TestSmtpClient)
#include "tst_smtpclient.moc"
