// Security end to end through the Engine against a real Dovecot and the real SMTP sink:
// STLS and IMAP STARTTLS, every SASL mechanism on POP3 and IMAP, certificate refusals and
// pinning, STARTTLS-stripping men-in-the-middle for both protocols, and "Test access".
// PREAUTH under required TLS: tests/unit/imap/tst_imapclient.cpp (preauthUnderStartTlsIsRefused).
#include "MessageFactory.h"
#include "StripProxy.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/AccessTester.h"
#include "engine/Engine.h"
#include "net/Connection.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

QString fingerprintOf(const QString &certPath)
{
    QFile f(certPath);
    return f.open(QIODevice::ReadOnly)
               ? net::sha256Fingerprint(QSslCertificate(f.readAll(), QSsl::Pem))
               : QString();
}

struct PassOutcome
{
    bool finished = false;
    Result result;
    int collected = 0;
};

} // namespace

class TestSecurity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void stlsDelivers_data();
    void stlsDelivers();
    void saslMechanism_data();
    void saslMechanism();
    void scramWrongPasswordKeepsMail();
    void certificateRefused_data();
    void certificateRefused();
    void expiredCertificateRefused();
    void pinnedCertificateAccepted();
    void stlsStrippingManInTheMiddle();
    void imapSaslMechanism_data();
    void imapSaslMechanism();
    void imapStartTlsDelivers();
    void imapStartTlsStrippingManInTheMiddle();
    void accessTest();
    void accessTestUntrustedCertificate();

private:
    QString newUser(int messages);
    Config makeConfig(const QString &user, ServerType type, quint16 port = 0);
    PassOutcome runPass(const Config &config);
    QString recipient(const QString &user) const
    {
        return user + QStringLiteral("@office.example.com");
    }
    int delivered(const QString &user) const;
    QByteArray transcript(const QString &user) const;
    QByteArray imapTranscript(const QString &user) const;

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    QHash<QString, QString> m_passwords;
    int m_users = 0;
};

void TestSecurity::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY(m_dir.isValid());
    // Transcripts show which command authenticated, and that no password is in them.
    qputenv("POLLUX_TRANSCRIPT_DIR", m_dir.filePath(QStringLiteral("transcripts")).toUtf8());
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    m_dovecot.setAuthMechanisms(QStringLiteral("plain login cram-md5 scram-sha-1 scram-sha-256 "
                                               "apop"));
    // 127.0.0.2 is loopback too, but not a name in the certificate (which has localhost and
    // 127.0.0.1): connecting there is a real host name mismatch.
    m_dovecot.setListenAddresses({QStringLiteral("127.0.0.1"), QStringLiteral("127.0.0.2")});
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
}

void TestSecurity::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

QString TestSecurity::newUser(int messages)
{
    const QString user = QStringLiteral("sec%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-Geheim").arg(m_users);
    m_dovecot.addUser(user, password);
    m_secrets.set(QStringLiteral("account/") + user, password);
    m_passwords.insert(user, password);
    for (int i = 1; i <= messages; ++i)
        m_dovecot.deliver(user, makeMessage(i, 1500 + i * 100, m_users));
    return user;
}

Config TestSecurity::makeConfig(const QString &user, ServerType type, quint16 port)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = type;
    a.host = QStringLiteral("localhost");
    a.port = port                          ? port
             : type == ServerType::Pop3Ssl ? m_dovecot.pop3sPort()
                                           : m_dovecot.pop3Port();
    a.username = user;
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

PassOutcome TestSecurity::runPass(const Config &config)
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

int TestSecurity::delivered(const QString &user) const
{
    int n = 0;
    const QList<ReceivedMessage> all = m_sink->messages();
    for (const ReceivedMessage &m : all)
        n += m.recipients.contains(recipient(user)) ? 1 : 0;
    return n;
}

QByteArray TestSecurity::transcript(const QString &user) const
{
    QFile f(m_dir.filePath(QStringLiteral("transcripts/pop3-") + user + QStringLiteral(".log")));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray TestSecurity::imapTranscript(const QString &user) const
{
    QFile f(m_dir.filePath(QStringLiteral("transcripts/imap-") + user + QStringLiteral(".log")));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestSecurity::stlsDelivers_data()
{
    QTest::addColumn<int>("retention");
    QTest::addColumn<int>("leftOnServer");
    QTest::newRow("delete") << int(Retention::Delete) << 0;
    QTest::newRow("keep") << int(Retention::Keep) << 3;
    QTest::newRow("keep-days") << int(Retention::KeepDays) << 3; // all younger than 7 days
}

// Plain POP3 upgraded with STLS, plaintext login not allowed: it is not needed.
void TestSecurity::stlsDelivers()
{
    QFETCH(int, retention);
    QFETCH(int, leftOnServer);
    const QString user = newUser(3);
    Config c = makeConfig(user, ServerType::Pop3);
    c.accounts[0].startTls = true;
    c.accounts[0].allowPlaintextLogin = false;
    c.accounts[0].retention = Retention(retention);
    const PassOutcome o = runPass(c);
    QVERIFY(o.finished);
    QVERIFY2(o.result.ok(), qPrintable(o.result.message()));
    QCOMPARE(o.collected, 3);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 3, 30000);
    QCOMPARE(m_dovecot.messageCount(user), leftOnServer);
    const QByteArray log = transcript(user);
    QVERIFY(log.contains("C: STLS"));
    QVERIFY(log.contains("TLS established"));
    QVERIFY(log.indexOf("C: AUTH SCRAM-SHA-256") > log.indexOf("TLS established"));
    QVERIFY(!log.contains(m_passwords.value(user).toUtf8()));
}

void TestSecurity::saslMechanism_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("command"); // how the transcript shows the login
    const int pop3 = int(ServerType::Pop3);
    const int pop3s = int(ServerType::Pop3Ssl);
    // Methods that send the password run over POP3-SSL; challenge-response ones over plain
    // POP3 without allowing plaintext login, which they do not need.
    QTest::newRow("plain") << QStringLiteral("plain") << pop3s << QByteArray("C: AUTH PLAIN");
    QTest::newRow("login") << QStringLiteral("login") << pop3s << QByteArray("C: AUTH LOGIN");
    QTest::newRow("user") << QStringLiteral("user") << pop3s << QByteArray("C: USER ");
    QTest::newRow("cram-md5") << QStringLiteral("cram-md5") << pop3
                              << QByteArray("C: AUTH CRAM-MD5");
    QTest::newRow("scram-sha-1") << QStringLiteral("scram-sha-1") << pop3
                                 << QByteArray("C: AUTH SCRAM-SHA-1");
    QTest::newRow("scram-sha-256")
        << QStringLiteral("scram-sha-256") << pop3 << QByteArray("C: AUTH SCRAM-SHA-256");
    QTest::newRow("apop") << QStringLiteral("apop") << pop3 << QByteArray("C: APOP ");
    QTest::newRow("auto-plain-pop3")
        << QStringLiteral("auto") << pop3 << QByteArray("C: AUTH SCRAM-SHA-256");
}

void TestSecurity::saslMechanism()
{
    QFETCH(QString, method);
    QFETCH(int, type);
    QFETCH(QByteArray, command);
    const QString user = newUser(2);
    Config c = makeConfig(user, ServerType(type));
    c.accounts[0].authMethod = method;
    c.accounts[0].allowPlaintextLogin = false;
    const PassOutcome o = runPass(c);
    QVERIFY(o.finished);
    QVERIFY2(o.result.ok(),
             qPrintable(o.result.message() + QLatin1Char('\n') + m_dovecot.logTail()));
    QCOMPARE(o.collected, 2);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 2, 30000);
    const QByteArray log = transcript(user);
    QVERIFY2(log.contains(command), log.constData());
    QVERIFY(!log.contains(m_passwords.value(user).toUtf8()));
}

void TestSecurity::scramWrongPasswordKeepsMail()
{
    const QString user = newUser(1);
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("wrong"));
    Config c = makeConfig(user, ServerType::Pop3);
    c.accounts[0].authMethod = QStringLiteral("scram-sha-256");
    const PassOutcome o = runPass(c);
    QVERIFY(o.finished);
    QCOMPARE(o.result.code(), ErrorCode::AuthFailed);
    QCOMPARE(m_dovecot.messageCount(user), 1);
    QCOMPARE(delivered(user), 0);
}

void TestSecurity::certificateRefused_data()
{
    const TestCa &ca = TestCa::instance();
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("trustTestCa");
    QTest::addColumn<QString>("pin");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("wrong-host") << QStringLiteral("127.0.0.2") << true << QString()
                                << QStringLiteral("host name");
    QTest::newRow("untrusted-ca") << QStringLiteral("localhost") << false << QString()
                                  << QStringLiteral("certificate not trusted");
    QTest::newRow("different-pin")
        << QStringLiteral("localhost") << false << fingerprintOf(ca.selfSignedCertPath())
        << QStringLiteral("not the pinned certificate");
}

void TestSecurity::certificateRefused()
{
    QFETCH(QString, host);
    QFETCH(bool, trustTestCa);
    QFETCH(QString, pin);
    QFETCH(QString, mentions);
    for (const ServerType type : {ServerType::Pop3Ssl, ServerType::Pop3}) {
        const QString user = newUser(1);
        Config c = makeConfig(user, type);
        c.accounts[0].host = host;
        c.accounts[0].startTls = type == ServerType::Pop3;
        c.accounts[0].pinnedFingerprint = pin;
        if (!trustTestCa)
            c.caFile.clear();
        const PassOutcome o = runPass(c);
        QVERIFY(o.finished);
        QCOMPARE(o.result.code(), ErrorCode::Tls);
        QVERIFY2(o.result.message().contains(mentions, Qt::CaseInsensitive),
                 qPrintable(o.result.message()));
        // The presented fingerprint is in the error, for "trust this certificate?".
        QVERIFY2(o.result.message().contains(fingerprintOf(TestCa::instance().certPath())),
                 qPrintable(o.result.message()));
        QCOMPARE(m_dovecot.messageCount(user), 1);
        QCOMPARE(delivered(user), 0);
        QVERIFY(!transcript(user).contains("C: AUTH"));
    }
}

void TestSecurity::expiredCertificateRefused()
{
    DovecotServer expired;
    expired.setCertificate(TestCa::instance().expiredCertPath(), TestCa::instance().keyPath());
    QString error;
    QVERIFY2(expired.start(&error), qPrintable(error));
    const QString user = QStringLiteral("expiry");
    QVERIFY(expired.addUser(user, QStringLiteral("pw")));
    QVERIFY(expired.deliver(user, makeMessage(1, 1000)));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("pw"));
    const PassOutcome o = runPass(makeConfig(user, ServerType::Pop3Ssl, expired.pop3sPort()));
    QVERIFY(o.finished);
    QCOMPARE(o.result.code(), ErrorCode::Tls);
    QVERIFY2(o.result.message().contains(QLatin1String("expired")), qPrintable(o.result.message()));
    QCOMPARE(expired.messageCount(user), 1);
    QVERIFY(expired.stop());
}

// No CA, wrong host name, but the pinned fingerprint is the presented one: accepted.
void TestSecurity::pinnedCertificateAccepted()
{
    for (const ServerType type : {ServerType::Pop3Ssl, ServerType::Pop3}) {
        const QString user = newUser(2);
        Config c = makeConfig(user, type);
        c.caFile.clear();
        c.accounts[0].host = QStringLiteral("127.0.0.2");
        c.accounts[0].startTls = type == ServerType::Pop3;
        c.accounts[0].pinnedFingerprint = fingerprintOf(TestCa::instance().certPath());
        const PassOutcome o = runPass(c);
        QVERIFY(o.finished);
        QVERIFY2(o.result.ok(), qPrintable(o.result.message()));
        QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 2, 30000);
    }
}

// A proxy removes STLS from CAPA: required TLS fails the pass, and the password never
// crosses the proxy, even with plaintext login allowed.
void TestSecurity::stlsStrippingManInTheMiddle()
{
    StripProxy proxy(m_dovecot.pop3Port());
    QVERIFY(proxy.port() != 0);
    const QString user = newUser(1);
    Config c = makeConfig(user, ServerType::Pop3, proxy.port());
    c.accounts[0].host = QStringLiteral("127.0.0.1");
    c.accounts[0].startTls = true;
    c.accounts[0].allowPlaintextLogin = true;
    const PassOutcome o = runPass(c);
    QVERIFY(o.finished);
    QCOMPARE(o.result.code(), ErrorCode::Tls);
    QVERIFY2(o.result.message().contains(QLatin1String("STLS")), qPrintable(o.result.message()));
    QVERIFY(proxy.connections() >= 1);
    QVERIFY(proxy.stripped() >= 1); // Dovecot offered it; the proxy removed it
    const QByteArray sent = proxy.clientBytes();
    QVERIFY(sent.contains("CAPA"));
    const QByteArray password = m_passwords.value(user).toUtf8();
    QVERIFY(!sent.contains(password));
    QVERIFY(!sent.contains(password.toBase64()));
    for (const QByteArray &line : sent.split('\n')) {
        const QByteArray upper = line.trimmed().toUpper();
        QVERIFY2(!upper.startsWith("PASS") && !upper.startsWith("AUTH") &&
                     !upper.startsWith("USER") && !upper.startsWith("APOP"),
                 line.constData());
    }
    QCOMPARE(m_dovecot.messageCount(user), 1);
    QCOMPARE(delivered(user), 0);
}

void TestSecurity::imapSaslMechanism_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("command"); // how the transcript shows the login
    const int imap = int(ServerType::Imap);
    const int imaps = int(ServerType::ImapSsl);
    // As for POP3: password-sending methods over IMAP-SSL, challenge-response ones over plain
    // IMAP without allowing plaintext login.
    QTest::newRow("plain") << QStringLiteral("plain") << imaps << QByteArray(" AUTHENTICATE PLAIN");
    QTest::newRow("login-command") << QStringLiteral("login") << imaps << QByteArray(" LOGIN ");
    QTest::newRow("cram-md5") << QStringLiteral("cram-md5") << imap
                              << QByteArray(" AUTHENTICATE CRAM-MD5");
    QTest::newRow("scram-sha-1") << QStringLiteral("scram-sha-1") << imap
                                 << QByteArray(" AUTHENTICATE SCRAM-SHA-1");
    QTest::newRow("scram-sha-256")
        << QStringLiteral("scram-sha-256") << imap << QByteArray(" AUTHENTICATE SCRAM-SHA-256");
    QTest::newRow("auto-plain-imap")
        << QStringLiteral("auto") << imap << QByteArray(" AUTHENTICATE SCRAM-SHA-256");
}

// Each mechanism against Dovecot's IMAP (which offers them all, see initTestCase).
void TestSecurity::imapSaslMechanism()
{
    QFETCH(QString, method);
    QFETCH(int, type);
    QFETCH(QByteArray, command);
    const QString user = newUser(2);
    const ServerType serverType = ServerType(type);
    Config c = makeConfig(user, serverType,
                          serverType == ServerType::ImapSsl ? m_dovecot.imapsPort()
                                                            : m_dovecot.imapPort());
    c.accounts[0].authMethod = method;
    c.accounts[0].allowPlaintextLogin = false;
    const PassOutcome o = runPass(c);
    QVERIFY(o.finished);
    QVERIFY2(o.result.ok(),
             qPrintable(o.result.message() + QLatin1Char('\n') + m_dovecot.logTail()));
    QCOMPARE(o.collected, 2);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 2, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    const QByteArray log = imapTranscript(user);
    QVERIFY2(log.contains(command), log.constData());
    // Exactly one login: the chosen mechanism, not a fallback after a failure.
    QCOMPARE(log.count(" AUTHENTICATE ") + log.count(" LOGIN "), qsizetype(1));
    QVERIFY(!log.contains(m_passwords.value(user).toUtf8()));
}

// Plain IMAP upgraded with STARTTLS, plaintext login not allowed: delivered, and the login
// comes after the TLS handshake. (Every retention mode: tst_server_types.)
void TestSecurity::imapStartTlsDelivers()
{
    const QString user = newUser(3);
    Config c = makeConfig(user, ServerType::Imap, m_dovecot.imapPort());
    c.accounts[0].startTls = true;
    c.accounts[0].allowPlaintextLogin = false;
    c.accounts[0].authMethod = QStringLiteral("plain"); // sends the password: only over TLS
    const PassOutcome o = runPass(c);
    QVERIFY(o.finished);
    QVERIFY2(o.result.ok(), qPrintable(o.result.message()));
    QCOMPARE(o.collected, 3);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 3, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    const QByteArray log = imapTranscript(user);
    const qsizetype tls = log.indexOf("TLS established");
    QVERIFY2(tls > 0 && log.indexOf(" STARTTLS\n") < tls, log.constData());
    QVERIFY(log.indexOf(" AUTHENTICATE PLAIN") > tls);
}

// A proxy removes STARTTLS from the greeting's [CAPABILITY ...] code and from CAPABILITY
// responses: required TLS fails the pass, and the password never crosses the proxy, even
// with plaintext login allowed.
void TestSecurity::imapStartTlsStrippingManInTheMiddle()
{
    StripProxy proxy(m_dovecot.imapPort());
    QVERIFY(proxy.port() != 0);
    const QString user = newUser(1);
    Config c = makeConfig(user, ServerType::Imap, proxy.port());
    c.accounts[0].host = QStringLiteral("127.0.0.1");
    c.accounts[0].startTls = true;
    c.accounts[0].allowPlaintextLogin = true;
    const PassOutcome o = runPass(c);
    QVERIFY(o.finished);
    QCOMPARE(o.result.code(), ErrorCode::Tls);
    QVERIFY2(o.result.message().contains(QLatin1String("STARTTLS")),
             qPrintable(o.result.message()));
    QVERIFY(proxy.connections() >= 1);
    const QList<QByteArray> changed = proxy.strippedLines();
    QVERIFY(!changed.isEmpty());
    QVERIFY2(changed.first().startsWith("* OK [CAPABILITY "), changed.first().constData());
    const QByteArray sent = proxy.clientBytes();
    const QByteArray password = m_passwords.value(user).toUtf8();
    QVERIFY(!sent.contains(password));
    QVERIFY(!sent.contains(password.toBase64()));
    for (const QByteArray &line : sent.split('\n')) {
        const QByteArray upper = line.trimmed().toUpper();
        QVERIFY2(!upper.contains(" LOGIN ") && !upper.contains(" AUTHENTICATE "), line.constData());
    }
    QCOMPARE(m_dovecot.messageCount(user), 1);
    QCOMPARE(delivered(user), 0);
}

void TestSecurity::accessTest()
{
    const QString user = newUser(3);
    const Config c = makeConfig(user, ServerType::Pop3Ssl);
    AccessTester tester(&m_secrets);
    QSignalSpy finished(&tester, &AccessTester::finished);
    const QList<QSslCertificate> cas = QSslCertificate::fromPath(c.caFile, QSsl::Pem);
    tester.start(c.accounts.first(), cas);
    QVERIFY(finished.wait(60000));
    const auto o = finished.first().first().value<AccessTester::Outcome>();
    QVERIFY2(o.result.ok(), qPrintable(o.result.message()));
    QCOMPARE(o.messages, 3);
    QVERIFY(o.bytes > 3 * 1500);
    QCOMPARE(o.presentedFingerprint, fingerprintOf(TestCa::instance().certPath()));
    QCOMPARE(m_dovecot.messageCount(user), 3); // nothing changed

    // The password typed in the dialog, not the keychain's.
    finished.clear();
    tester.start(c.accounts.first(), cas, QStringLiteral("typed-wrong"));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().value<AccessTester::Outcome>().result.code(),
             ErrorCode::AuthFailed);
}

void TestSecurity::accessTestUntrustedCertificate()
{
    const QString user = newUser(1);
    const Config c = makeConfig(user, ServerType::Pop3Ssl);
    AccessTester tester(&m_secrets);
    QSignalSpy finished(&tester, &AccessTester::finished);
    tester.start(c.accounts.first(), {}); // no test CA
    QVERIFY(finished.wait(60000));
    const auto o = finished.first().first().value<AccessTester::Outcome>();
    QCOMPARE(o.result.code(), ErrorCode::Tls);
    QCOMPARE(o.presentedFingerprint, fingerprintOf(TestCa::instance().certPath()));
    QVERIFY(o.result.message().contains(o.presentedFingerprint));
}

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
