// SmtpProbeDirectory against the scripted fake SMTP server: 250 known, 550 5.1.1 unknown,
// 451 and connection refused unavailable; it never sends DATA; one connection and one
// deadline per lookupAll(); AUTH and address encoding are smtp::SmtpClient's.
#include "routing/SmtpProbeDirectory.h"
#include "support/FreePort.h"
#include "unit/smtp/FakeSmtpServer.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>
#include <QTest>
#include <QThread>

using namespace pollux;
using namespace pollux::routing;

namespace {

QString statusName(DirectoryStatus s)
{
    switch (s) {
    case DirectoryStatus::Known:
        return QStringLiteral("known");
    case DirectoryStatus::Unknown:
        return QStringLiteral("unknown");
    case DirectoryStatus::Unavailable:
        return QStringLiteral("unavailable");
    }
    return {};
}

// The probe blocks, so it runs in its own thread while this one serves the fake server.
QList<DirectoryAnswer> probe(quint16 port, const QStringList &addresses, int timeoutSecs = 10,
                             const QString &username = QString())
{
    QList<DirectoryAnswer> answers;
    SmtpProbeDirectory::Options o;
    o.host = QStringLiteral("127.0.0.1");
    o.port = port;
    o.heloName = QStringLiteral("gw.office.example");
    o.timeoutSecs = timeoutSecs;
    o.username = username;
    o.password = username.isEmpty() ? QString() : QStringLiteral("secret");
    std::unique_ptr<QThread> thread(QThread::create([&answers, o, addresses] {
        SmtpProbeDirectory directory(o);
        answers = directory.lookupAll(addresses);
    }));
    // A queued quit, not QSignalSpy::wait(): a refused connection can end the thread before
    // this thread reaches wait(), and wait() only counts emissions made while it waits. The
    // queued quit waits in this thread's queue until the loop runs.
    QEventLoop loop;
    QObject::connect(thread.get(), &QThread::finished, &loop, &QEventLoop::quit,
                     Qt::QueuedConnection);
    QTimer::singleShot((timeoutSecs + 10) * 1000, &loop, &QEventLoop::quit);
    thread->start();
    loop.exec();
    if (!thread->wait(QDeadlineTimer(0)))
        qFatal("probe thread did not finish");
    thread->wait();
    return answers;
}

// Without PIPELINING, so the strict fake checks that the probe waits for every reply.
QStringList greeting(const QString &extension = QStringLiteral("8BITMIME"))
{
    return {QStringLiteral("S: 220 office.example ESMTP"), QStringLiteral("C: EHLO *"),
            QStringLiteral("S: 250-office.example"), QStringLiteral("S: 250 ") + extension};
}

QStringList rcpt(const QString &address, const QString &reply)
{
    return {QStringLiteral("C: MAIL FROM:<>"),
            QStringLiteral("S: 250 2.1.0 Ok"),
            QStringLiteral("C: RCPT TO:<") + address + QLatin1Char('>'),
            QStringLiteral("S: ") + reply,
            QStringLiteral("C: RSET"),
            QStringLiteral("S: 250 2.0.0 Ok")};
}

QStringList quit()
{
    return {QStringLiteral("C: QUIT"), QStringLiteral("S: 221 Bye"), QStringLiteral("S: <CLOSE>")};
}

} // namespace

class TestSmtpProbe : public QObject
{
    Q_OBJECT
private slots:
    void oneAddress_data();
    void oneAddress();
    void severalOnOneConnection();
    void connectionRefused();
    void mailFromRefused();
    void serverSilentTimesOut();
    void unsendableAddressNotAsked();
    void quotedLocalPartAsked();
    void nonAsciiWithoutSmtpUtf8NotAsked();
    void pipelined();
    void authThroughSharedSasl();
    void oneDeadlineForLookupAll();
    void classify_data();
    void classify();
};

void TestSmtpProbe::oneAddress_data()
{
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("status");
    QTest::newRow("250-known") << "250 2.1.5 Ok"
                               << "known";
    QTest::newRow("550-5.1.1-unknown")
        << "550 5.1.1 <bob@office.example>: Recipient address rejected: User unknown"
        << "unknown";
    QTest::newRow("451-unavailable") << "451 4.3.0 Try again later"
                                     << "unavailable";
    QTest::newRow("550-5.7.1-relay-denied-unavailable") << "550 5.7.1 Relaying denied"
                                                        << "unavailable";
}

void TestSmtpProbe::oneAddress()
{
    QFETCH(QString, reply);
    QFETCH(QString, status);
    FakeSmtpServer server;
    QVERIFY(server.listen());
    server.setScript(greeting() + rcpt(QStringLiteral("bob@office.example"), reply) + quit());
    const QList<DirectoryAnswer> answers =
        probe(server.port(), {QStringLiteral("bob@office.example")});
    QCOMPARE(answers.size(), 1);
    QCOMPARE(statusName(answers.first().status), status);
    QVERIFY2(answers.first().detail.startsWith(reply.left(3)), qPrintable(answers.first().detail));
    QVERIFY2(server.errors().isEmpty(), qPrintable(server.errors().join(QLatin1Char('\n'))));
    QTRY_VERIFY_WITH_TIMEOUT(server.scriptDone(), 5000);
    QVERIFY(server.bodies().isEmpty());
}

void TestSmtpProbe::severalOnOneConnection()
{
    FakeSmtpServer server;
    QVERIFY(server.listen());
    server.setScript(
        greeting() + rcpt(QStringLiteral("a@office.example"), QStringLiteral("250 Ok")) +
        rcpt(QStringLiteral("b@office.example"), QStringLiteral("550 5.1.1 no")) +
        rcpt(QStringLiteral("c@office.example"), QStringLiteral("550 User unknown")) + quit());
    const QList<DirectoryAnswer> answers = probe(
        server.port(), {QStringLiteral("a@office.example"), QStringLiteral("b@office.example"),
                        QStringLiteral("c@office.example")});
    QCOMPARE(answers.size(), 3);
    QCOMPARE(answers.at(0).status, DirectoryStatus::Known);
    QCOMPARE(answers.at(1).status, DirectoryStatus::Unknown);
    QCOMPARE(answers.at(2).status, DirectoryStatus::Unknown);
    QVERIFY2(server.errors().isEmpty(), qPrintable(server.errors().join(QLatin1Char('\n'))));
}

void TestSmtpProbe::connectionRefused()
{
    const quint16 port = test::freePort(); // nothing listens there now
    QVERIFY(port != 0);
    const QList<DirectoryAnswer> answers =
        probe(port, {QStringLiteral("a@office.example"), QStringLiteral("b@office.example")});
    QCOMPARE(answers.size(), 2);
    for (const DirectoryAnswer &a : answers) {
        QCOMPARE(a.status, DirectoryStatus::Unavailable);
        QCOMPARE(a.error, ErrorCode::ConnectionRefused);
    }
}

void TestSmtpProbe::mailFromRefused()
{
    FakeSmtpServer server;
    QVERIFY(server.listen());
    server.setScript(greeting() +
                     QStringList{QStringLiteral("C: MAIL FROM:<>"),
                                 QStringLiteral("S: 550 5.7.1 null sender refused")} +
                     quit());
    const QList<DirectoryAnswer> answers =
        probe(server.port(), {QStringLiteral("a@office.example")});
    QCOMPARE(answers.first().status, DirectoryStatus::Unavailable);
    QCOMPARE(answers.first().error, ErrorCode::ServerError);
}

void TestSmtpProbe::serverSilentTimesOut()
{
    FakeSmtpServer server;
    QVERIFY(server.listen());
    server.setScript({QStringLiteral("C: NEVER")}); // no greeting
    const QList<DirectoryAnswer> answers =
        probe(server.port(), {QStringLiteral("a@office.example")}, 1);
    QCOMPARE(answers.first().status, DirectoryStatus::Unavailable);
    QCOMPARE(answers.first().error, ErrorCode::Timeout);
}

void TestSmtpProbe::unsendableAddressNotAsked()
{
    // No server at all: the addresses are refused before any connection is made.
    const QList<DirectoryAnswer> answers =
        probe(1, {QStringLiteral("no-domain@"), QStringLiteral("x>\r\nDATA@office.example")});
    QCOMPARE(answers.size(), 2);
    QCOMPARE(answers.at(0).status, DirectoryStatus::Unknown);
    QCOMPARE(answers.at(1).status, DirectoryStatus::Unknown);
    QVERIFY2(answers.at(1).detail.contains(QStringLiteral("control character")),
             qPrintable(answers.at(1).detail));
}

void TestSmtpProbe::quotedLocalPartAsked()
{
    // RFC 5321 Quoted-string local parts are asked about like any other address.
    FakeSmtpServer server;
    QVERIFY(server.listen());
    server.setScript(
        greeting() +
        rcpt(QStringLiteral("\"john q. public\"@office.example"), QStringLiteral("250 2.1.5 Ok")) +
        quit());
    const QList<DirectoryAnswer> answers =
        probe(server.port(), {QStringLiteral("\"john q. public\"@office.example")});
    QCOMPARE(answers.size(), 1);
    QCOMPARE(statusName(answers.first().status), QStringLiteral("known"));
    QVERIFY2(server.errors().isEmpty(), qPrintable(server.errors().join(QLatin1Char('\n'))));
}

void TestSmtpProbe::nonAsciiWithoutSmtpUtf8NotAsked()
{
    // The server has no SMTPUTF8: the address can never be delivered there, so it is not
    // asked (and not sent raw) but Unknown - the message goes to the postmaster.
    FakeSmtpServer server;
    QVERIFY(server.listen());
    server.setScript(greeting() +
                     rcpt(QStringLiteral("a@office.example"), QStringLiteral("250 Ok")) + quit());
    const QList<DirectoryAnswer> answers =
        probe(server.port(),
              {QStringLiteral("j\u00f6rg@office.example"), QStringLiteral("a@office.example")});
    QCOMPARE(answers.size(), 2);
    QCOMPARE(statusName(answers.at(0).status), QStringLiteral("unknown"));
    QVERIFY2(answers.at(0).detail.contains(QStringLiteral("SMTPUTF8")),
             qPrintable(answers.at(0).detail));
    QCOMPARE(statusName(answers.at(1).status), QStringLiteral("known"));
    QVERIFY2(server.errors().isEmpty(), qPrintable(server.errors().join(QLatin1Char('\n'))));
    QTRY_VERIFY_WITH_TIMEOUT(server.scriptDone(), 5000);
}

void TestSmtpProbe::pipelined()
{
    // With PIPELINING each probe is one burst: MAIL, RCPT, RSET.
    FakeSmtpServer server;
    QVERIFY(server.listen());
    server.setStrictLockstep(false);
    QStringList script = greeting(QStringLiteral("PIPELINING"));
    for (const char *address : {"a@office.example", "b@office.example"})
        script << QStringLiteral("C: MAIL FROM:<>")
               << QStringLiteral("C: RCPT TO:<%1>").arg(QLatin1String(address))
               << QStringLiteral("C: RSET") << QStringLiteral("S: 250 Ok")
               << (address[0] == 'a' ? QStringLiteral("S: 250 Ok")
                                     : QStringLiteral("S: 550 5.1.1 unknown"))
               << QStringLiteral("S: 250 Ok");
    server.setScript(script + quit());
    const QList<DirectoryAnswer> answers = probe(
        server.port(), {QStringLiteral("a@office.example"), QStringLiteral("b@office.example")});
    QCOMPARE(answers.size(), 2);
    QCOMPARE(answers.at(0).status, DirectoryStatus::Known);
    QCOMPARE(answers.at(1).status, DirectoryStatus::Unknown);
    QVERIFY2(server.errors().isEmpty(), qPrintable(server.errors().join(QLatin1Char('\n'))));
    QTRY_VERIFY_WITH_TIMEOUT(server.scriptDone(), 5000);
}

void TestSmtpProbe::authThroughSharedSasl()
{
    // The probe authenticates like delivery does (core/sasl): here with LOGIN, which the
    // probe's own PLAIN-only code used to refuse. Plain text is fine to a loopback host.
    FakeSmtpServer server;
    QVERIFY(server.listen());
    server.setScript(
        greeting(QStringLiteral("AUTH LOGIN")) +
        QStringList{QStringLiteral("C: AUTH LOGIN"), QStringLiteral("S: 334 VXNlcm5hbWU6"),
                    QStringLiteral("C: dXNlcg=="), QStringLiteral("S: 334 UGFzc3dvcmQ6"),
                    QStringLiteral("C: c2VjcmV0"), QStringLiteral("S: 235 2.7.0 ok")} +
        rcpt(QStringLiteral("a@office.example"), QStringLiteral("250 Ok")) + quit());
    const QList<DirectoryAnswer> answers =
        probe(server.port(), {QStringLiteral("a@office.example")}, 10, QStringLiteral("user"));
    QCOMPARE(statusName(answers.value(0).status), QStringLiteral("known"));
    QVERIFY2(server.errors().isEmpty(), qPrintable(server.errors().join(QLatin1Char('\n'))));
    QVERIFY(!answers.value(0).detail.contains(QStringLiteral("secret")));
}

void TestSmtpProbe::oneDeadlineForLookupAll()
{
    // Each reply comes within the inactivity timeout, but the whole lookup takes longer than
    // timeoutSecs: what is not answered by then is Unavailable (Timeout), and lookupAll()
    // returns at the deadline.
    FakeSmtpServer server;
    QVERIFY(server.listen());
    QStringList script = greeting();
    for (const char *address : {"a@office.example", "b@office.example", "c@office.example"}) {
        QStringList one = rcpt(QString::fromLatin1(address), QStringLiteral("250 Ok"));
        one.insert(1, QStringLiteral("S: <PAUSE 900>"));
        script << one;
    }
    server.setScript(script + quit());
    const QList<DirectoryAnswer> answers =
        probe(server.port(),
              {QStringLiteral("a@office.example"), QStringLiteral("b@office.example"),
               QStringLiteral("c@office.example")},
              2);
    // The outcome shows the one deadline, no clock reading needed: the third answer would
    // come at about 2.7 s and be Known if each reply had its own timeout.
    QCOMPARE(answers.size(), 3);
    QCOMPARE(answers.at(0).status, DirectoryStatus::Known);
    QCOMPARE(answers.at(1).status, DirectoryStatus::Known);
    QCOMPARE(answers.at(2).status, DirectoryStatus::Unavailable);
    QCOMPARE(answers.at(2).error, ErrorCode::Timeout);
}

void TestSmtpProbe::classify_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("status");
    QTest::newRow("250") << 250 << "2.1.5 Ok"
                         << "known";
    QTest::newRow("251-forward") << 251 << "User not local; will forward"
                                 << "known";
    QTest::newRow("550-5.1.1") << 550 << "5.1.1 User unknown"
                               << "unknown";
    QTest::newRow("550-5.1.10-null-mx") << 550 << "5.1.10 no such domain"
                                        << "unknown";
    QTest::newRow("551-5.1.6-moved") << 551 << "5.1.6 moved"
                                     << "unknown";
    QTest::newRow("550-bare") << 550 << "No such user here"
                              << "unknown";
    QTest::newRow("553-bare") << 553 << "mailbox name not allowed"
                              << "unknown";
    QTest::newRow("554-bare") << 554 << "Transaction failed"
                              << "unavailable";
    QTest::newRow("550-5.7.1") << 550 << "5.7.1 Relay access denied"
                               << "unavailable";
    QTest::newRow("552-5.2.2-full") << 552 << "5.2.2 Mailbox full"
                                    << "unavailable";
    QTest::newRow("450-4.1.1") << 450 << "4.1.1 try later"
                               << "unavailable";
    QTest::newRow("421") << 421 << "closing"
                         << "unavailable";
}

void TestSmtpProbe::classify()
{
    QFETCH(int, code);
    QFETCH(QString, text);
    QFETCH(QString, status);
    smtp::Reply r;
    r.code = code;
    r.text = text;
    QCOMPARE(statusName(SmtpProbeDirectory::classifyRcpt(r).status), status);
}

QTEST_GUILESS_MAIN(TestSmtpProbe)
#include "tst_smtpprobe.moc"
