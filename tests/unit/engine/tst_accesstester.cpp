// "Test access" against the scripted POP3 server: counts, then leaves the mailbox as it was;
// every failure mapped to its own precise error.
#include "engine/AccessTester.h"
#include "integration/TestDoubles.h"
#include "net/Connection.h"
#include "support/TestCa.h"
#include "unit/pop3/Pop3TestSupport.h"

#include <QFile>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTcpServer>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

Q_DECLARE_METATYPE(pollux::ErrorCode)

namespace {

constexpr int Deadline = 15000;

AccountConfig accountFor(quint16 port)
{
    AccountConfig a;
    a.name = QStringLiteral("office");
    a.type = ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = port;
    a.username = QStringLiteral("alice");
    a.timeoutSecs = 10;
    a.recipient = QStringLiteral("desk@example.org");
    a.allowPlaintextLogin = true; // USER/PASS over the fake's plain TCP
    return a;
}

// Runs one test to its end; finished() must come exactly once.
AccessTester::Outcome runTest(AccessTester &tester, const AccountConfig &account,
                              const QString &password = QStringLiteral("secret"))
{
    QSignalSpy finished(&tester, &AccessTester::finished);
    tester.start(account, {}, password);
    if (finished.isEmpty() && !finished.wait(Deadline))
        return {Result::failure(ErrorCode::Timeout, QStringLiteral("test: no finished()")), 0, 0,
                QString()};
    QTest::qWait(50); // a second finished() would come now
    if (finished.size() != 1)
        return {Result::failure(ErrorCode::Protocol, QStringLiteral("test: finished() twice")), 0,
                0, QString()};
    return finished.first().first().value<AccessTester::Outcome>();
}

QList<QByteArray> loginThenList(int count)
{
    QList<QByteArray> s = loginScript({"UIDL", "USER"});
    s << "C: UIDL" << uidlAnswer(count) << "C: LIST" << listAnswer(count) << "C: QUIT"
      << "S: +OK bye";
    return s;
}

} // namespace

class TestAccessTester : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void countsWithoutChanging();
    void passwordFromKeychain();
    void keychainEntryMissing();
    void failures_data();
    void failures();
    void connectionRefused();
    void hostNotFound();
    void timeout();
    void untrustedCertificateFingerprint();
    void cancel();
};

void TestAccessTester::initTestCase()
{
    qRegisterMetaType<Result>();
    qRegisterMetaType<AccessTester::Outcome>();
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
}

void TestAccessTester::countsWithoutChanging()
{
    FakePop3Server server;
    server.setScript(loginThenList(3));
    MemorySecretStore secrets;
    AccessTester tester(&secrets);
    const AccessTester::Outcome o = runTest(tester, accountFor(server.port()));
    QVERIFY2(o.result.ok(), qPrintable(o.result.message()));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(o.messages, 3);
    QCOMPARE(o.bytes, qint64(message(1).size() + message(2).size() + message(3).size()));
    QVERIFY(o.presentedFingerprint.isEmpty()); // plain POP3
    QVERIFY(server.scriptFinished());
    for (const QByteArray &line : server.received())
        QVERIFY2(!line.startsWith("DELE") && !line.startsWith("RETR"), line.constData());
}

void TestAccessTester::passwordFromKeychain()
{
    FakePop3Server server;
    QList<QByteArray> script = loginThenList(0);
    script.replace(script.indexOf("C: PASS secret"), "C: PASS from-keychain");
    server.setScript(script);
    MemorySecretStore secrets;
    secrets.set(QStringLiteral("account/office"), QStringLiteral("from-keychain"));
    AccessTester tester(&secrets);
    const AccessTester::Outcome o = runTest(tester, accountFor(server.port()), QString());
    QVERIFY2(o.result.ok(), qPrintable(o.result.message()));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(o.messages, 0);
}

void TestAccessTester::keychainEntryMissing()
{
    FakePop3Server server;
    MemorySecretStore secrets;
    AccessTester tester(&secrets);
    const AccessTester::Outcome o = runTest(tester, accountFor(server.port()), QString());
    QCOMPARE(o.result.code(), ErrorCode::Secrets);
    QCOMPARE(server.connections(), 0);
}

void TestAccessTester::failures_data()
{
    QTest::addColumn<QList<QByteArray>>("script");
    QTest::addColumn<bool>("allowPlaintext");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("mentions");
    const QList<QByteArray> greet{"S: +OK ready", "C: CAPA",       "S: +OK", "S: USER",
                                  "S: .",         "C: USER alice", "S: +OK", "C: PASS secret"};
    QTest::newRow("auth-rejected")
        << greet + QList<QByteArray>{"S: -ERR [AUTH] bad password"} << true << ErrorCode::AuthFailed
        << QStringLiteral("rejected the login");
    QTest::newRow("mailbox-locked")
        << greet + QList<QByteArray>{"S: -ERR [IN-USE] locked"} << true
        << ErrorCode::TemporaryFailure << QStringLiteral("mailbox is locked: another program");
    QTest::newRow("plaintext-not-allowed")
        << QList<QByteArray>{"S: +OK ready", "C: CAPA", "S: +OK", "S: USER", "S: ."} << false
        << ErrorCode::Tls << QStringLiteral("allow plaintext login");
    QTest::newRow("not-pop3") << QList<QByteArray>{"S: 220 smtp.example.com ESMTP"} << true
                              << ErrorCode::Protocol << QStringLiteral("220");
    QTest::newRow("greeting-refused")
        << QList<QByteArray>{"S: -ERR [SYS/TEMP] go away"} << true << ErrorCode::TemporaryFailure
        << QStringLiteral("temporary problem");
}

void TestAccessTester::failures()
{
    QFETCH(QList<QByteArray>, script);
    QFETCH(bool, allowPlaintext);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mentions);
    FakePop3Server server;
    server.setScript(script);
    MemorySecretStore secrets;
    AccessTester tester(&secrets);
    AccountConfig account = accountFor(server.port());
    account.allowPlaintextLogin = allowPlaintext;
    const AccessTester::Outcome o = runTest(tester, account);
    QCOMPARE(o.result.code(), code);
    QVERIFY2(o.result.message().contains(mentions), qPrintable(o.result.message()));
    QVERIFY(!o.result.message().contains(QLatin1String("secret")));
    QCOMPARE(o.messages, 0);
}

void TestAccessTester::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    MemorySecretStore secrets;
    AccessTester tester(&secrets);
    const AccessTester::Outcome o = runTest(tester, accountFor(port));
    QCOMPARE(o.result.code(), ErrorCode::ConnectionRefused);
    QVERIFY2(o.result.message().contains(QStringLiteral("127.0.0.1:%1 refused").arg(port)),
             qPrintable(o.result.message()));
}

void TestAccessTester::hostNotFound()
{
    MemorySecretStore secrets;
    AccessTester tester(&secrets);
    AccountConfig account = accountFor(110);
    account.host = QStringLiteral("no-such-host.invalid"); // RFC 2606: never resolves
    const AccessTester::Outcome o = runTest(tester, account);
    QCOMPARE(o.result.code(), ErrorCode::HostNotFound);
    QVERIFY2(o.result.message().contains(QLatin1String("\"no-such-host.invalid\" was not found")),
             qPrintable(o.result.message()));
}

void TestAccessTester::timeout()
{
    FakePop3Server server; // accepts, never greets
    MemorySecretStore secrets;
    AccessTester tester(&secrets);
    AccountConfig account = accountFor(server.port());
    account.timeoutSecs = 1;
    const AccessTester::Outcome o = runTest(tester, account);
    QCOMPARE(o.result.code(), ErrorCode::Timeout);
    QVERIFY2(o.result.message().contains(QLatin1String("did not answer within 1 s")),
             qPrintable(o.result.message()));
}

void TestAccessTester::untrustedCertificateFingerprint()
{
    const TestCa &ca = TestCa::instance();
    FakePop3Server server;
    QVERIFY(server.setTlsCertificate(ca.selfSignedCertPath(), ca.keyPath()));
    server.setScript({"T:", "S: +OK ready"});
    MemorySecretStore secrets;
    AccessTester tester(&secrets);
    AccountConfig account = accountFor(server.port());
    account.type = ServerType::Pop3Ssl;
    account.host = QStringLiteral("localhost");
    const AccessTester::Outcome o = runTest(tester, account);
    QFile f(ca.selfSignedCertPath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString expected = net::sha256Fingerprint(QSslCertificate(f.readAll(), QSsl::Pem));
    QCOMPARE(o.result.code(), ErrorCode::Tls);
    QCOMPARE(o.presentedFingerprint, expected);
    QVERIFY2(o.result.message().contains(expected), qPrintable(o.result.message()));
    QVERIFY(server.received().isEmpty()); // no credential crossed
}

void TestAccessTester::cancel()
{
    FakePop3Server server; // never greets
    MemorySecretStore secrets;
    AccessTester tester(&secrets);
    QSignalSpy finished(&tester, &AccessTester::finished);
    tester.start(accountFor(server.port()), {}, QStringLiteral("secret"));
    QTRY_VERIFY_WITH_TIMEOUT(server.connections() == 1, Deadline);
    tester.cancel();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().value<AccessTester::Outcome>().result.code(),
             ErrorCode::Cancelled);
    QVERIFY(server.waitForClientGone());
    tester.cancel(); // nothing running: nothing happens
    QTest::qWait(50);
    QCOMPARE(finished.size(), 1);
}

QTEST_GUILESS_MAIN(TestAccessTester)
#include "tst_accesstester.moc"
