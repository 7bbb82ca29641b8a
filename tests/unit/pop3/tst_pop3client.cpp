#include "Pop3TestSupport.h"
#include "pop3/Pop3Parser.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using pollux::pop3::Pop3Client;

// Sessions that work: lockstep, pipelined, byte by byte, APOP, big messages.
class TestPop3Client : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void lockstepSession_data();
    void lockstepSession();
    void pipelinedSession();
    void pipelineWindowIsBounded();
    void capaRefused();
    void login_data();
    void login();
    void largeMessageStreams();
    void emptyMailbox();
    void transcriptRedactsPassword();
    void fetchIdentitiesReadsHeadersWithTop_data();
    void fetchIdentitiesReadsHeadersWithTop();
    void fetchIdentitiesTopRefused();
};

void TestPop3Client::initTestCase()
{
    qRegisterMetaType<pollux::Result>();
    qRegisterMetaType<QList<pollux::RemoteMessage>>();
    qRegisterMetaType<pollux::RemoteMessage>();
}

void TestPop3Client::lockstepSession_data()
{
    QTest::addColumn<bool>("oneByte");
    QTest::newRow("whole-writes") << false;
    QTest::newRow("one-byte-per-write") << true;
}

// Without PIPELINING: strictly one command at a time, everything exact.
void TestPop3Client::lockstepSession()
{
    QFETCH(bool, oneByte);
    FakePop3Server server;
    server.setOneBytePerWrite(oneByte);
    QList<QByteArray> script = loginScript({"TOP", "UIDL", "USER", "RESP-CODES"});
    script << "C: UIDL" << uidlAnswer(3) << "C: LIST" << listAnswer(3);
    for (int i = 1; i <= 3; ++i)
        script << "C: RETR " + QByteArray::number(i) << retrAnswer(message(i));
    for (int i = 1; i <= 3; ++i)
        script << "C: DELE " + QByteArray::number(i) << "S: +OK marked";
    script << "C: QUIT"
           << "S: +OK bye";
    server.setScript(script);

    Pop3Client client;
    MemorySink sink;
    QSignalSpy retrievedOne(&client, &MailboxClient::messageRetrieved);
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QVERIFY(run.committed);
    QVERIFY(server.scriptFinished());
    QVERIFY(!client.pipelined());
    QCOMPARE(server.maxOutstanding(), 1);

    QCOMPARE(run.listed.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(run.listed.at(i).uid, QStringLiteral("uid-%1").arg(i + 1));
        QCOMPARE(run.listed.at(i).index, qint64(i + 1));
        QCOMPARE(run.listed.at(i).size, qint64(message(i + 1).size()));
        QCOMPARE(sink.messages.value(i + 1), message(i + 1)); // byte-exact
    }
    QCOMPARE(sink.events, QStringList({QStringLiteral("begin 1"), QStringLiteral("end 1"),
                                       QStringLiteral("begin 2"), QStringLiteral("end 2"),
                                       QStringLiteral("begin 3"), QStringLiteral("end 3")}));
    QCOMPARE(retrievedOne.size(), 3);
    QCOMPARE(retrievedOne.at(2).first().value<RemoteMessage>().uid, QStringLiteral("uid-3"));
}

// With PIPELINING: the fake answers only after the whole burst has arrived, which a
// lockstep client would never send (the run would time out).
void TestPop3Client::pipelinedSession()
{
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"PIPELINING", "UIDL", "USER"});
    script << "C: UIDL"
           << "C: LIST" << uidlAnswer(4) << listAnswer(4);
    for (int i = 1; i <= 4; ++i)
        script << "C: RETR " + QByteArray::number(i);
    for (int i = 1; i <= 4; ++i) // all answers in one burst
        script << retrAnswer(message(i));
    for (int i = 1; i <= 4; ++i)
        script << "C: DELE " + QByteArray::number(i);
    for (int i = 1; i <= 4; ++i)
        script << "S: +OK";
    script << "C: QUIT"
           << "S: +OK";
    server.setScript(script);

    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QVERIFY(run.committed);
    QVERIFY(client.pipelined());
    QCOMPARE(server.maxOutstanding(), 4);
    for (int i = 1; i <= 4; ++i)
        QCOMPARE(sink.messages.value(i), message(i));
}

// Window 2: never more than two RETR in flight, and the next one goes out as soon as
// an answer is complete.
void TestPop3Client::pipelineWindowIsBounded()
{
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"PIPELINING", "UIDL"});
    script << "C: UIDL"
           << "C: LIST" << uidlAnswer(5) << listAnswer(5) << "C: RETR 1"
           << "C: RETR 2";
    for (int i = 1; i <= 5; ++i) {
        script << retrAnswer(message(i));
        if (i + 2 <= 5)
            script << "C: RETR " + QByteArray::number(i + 2);
    }
    script << "C: QUIT"
           << "S: +OK";
    server.setScript(script);

    Pop3Client client;
    MemorySink sink;
    MailboxOptions options = optionsFor(server);
    options.pipelineWindow = 2;
    const SessionRun run = runSession(client, options, sink, QStringLiteral("retrieve"));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QCOMPARE(server.maxOutstanding(), 2);
    QCOMPARE(sink.messages.size(), 5);
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(sink.messages.value(i), message(i));
}

// An RFC 1939-only server: CAPA is refused, the session goes on, lockstep.
void TestPop3Client::capaRefused()
{
    FakePop3Server server;
    server.setScript({"S: +OK hello", "C: CAPA", "S: -ERR unknown command", "C: USER alice",
                      "S: +OK", "C: PASS secret", "S: +OK", "C: CAPA", "S: -ERR what?", "C: UIDL",
                      "S: +OK", "S: 1 a", "S: .", "C: LIST", "S: +OK", "S: 1 5", "S: ."});
    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink, QStringLiteral("list"));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QVERIFY(!client.pipelined());
    QCOMPARE(run.listed.size(), 1);
    QCOMPARE(run.listed.first().uid, QStringLiteral("a"));
    QCOMPARE(run.listed.first().size, qint64(5));
}

void TestPop3Client::login_data()
{
    QTest::addColumn<QByteArray>("greeting");
    QTest::addColumn<bool>("allowApop");
    QTest::addColumn<QList<QByteArray>>("expected");

    const QByteArray stamp = "<1896.697170952@dbc.mtview.ca.us>";
    const QByteArray apop = "APOP alice " + pop3::apopDigest(stamp, "secret");
    using L = QList<QByteArray>;
    QTest::newRow("apop") << "+OK POP3 server ready " + stamp << true << L{"CAPA", apop, "CAPA"};
    QTest::newRow("apop-not-allowed") << "+OK POP3 server ready " + stamp << false
                                      << L{"CAPA", "USER alice", "PASS secret", "CAPA"};
    QTest::newRow("no-timestamp") << QByteArray("+OK ready") << true
                                  << L{"CAPA", "USER alice", "PASS secret", "CAPA"};
    QTest::newRow("malformed-timestamp")
        << QByteArray("+OK ready <a b>") << true << L{"CAPA", "USER alice", "PASS secret", "CAPA"};
}

void TestPop3Client::login()
{
    QFETCH(QByteArray, greeting);
    QFETCH(bool, allowApop);
    QFETCH(QList<QByteArray>, expected);

    FakePop3Server server;
    QList<QByteArray> script{"S: " + greeting, "C: CAPA", "S: +OK", "S: UIDL", "S: ."};
    for (int i = 1; i < expected.size(); ++i)
        script << "C: " + expected.at(i) << "S: +OK";
    script.removeLast();
    script << "S: +OK"
           << "S: UIDL"
           << "S: .";
    server.setScript(script);

    Pop3Client client;
    MemorySink sink;
    MailboxOptions options = optionsFor(server);
    options.allowApop = allowApop;
    const SessionRun run = runSession(client, options, sink, QStringLiteral("open"));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QCOMPARE(server.received(), expected);
}

// A 1 MB line streams through and arrives exactly.
void TestPop3Client::largeMessageStreams()
{
    const QByteArray big = "Subject: big\r\n\r\n." + QByteArray(1024 * 1024, 'x') + "\r\n";
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"UIDL"});
    script << "C: UIDL"
           << "S: +OK"
           << "S: 1 big"
           << "S: ."
           << "C: LIST"
           << "S: +OK"
           << "S: 1 " + QByteArray::number(big.size()) << "S: ."
           << "C: RETR 1" << retrAnswer(big);
    server.setScript(script);
    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink, QStringLiteral("retrieve"));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QCOMPARE(sink.messages.value(1).size(), big.size());
    QVERIFY(sink.messages.value(1) == big);
}

void TestPop3Client::emptyMailbox()
{
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"UIDL"});
    script << "C: UIDL"
           << "S: +OK"
           << "S: ."
           << "C: LIST"
           << "S: +OK 0 messages"
           << "S: ."
           << "C: QUIT"
           << "S: +OK";
    server.setScript(script);
    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QVERIFY(run.listed.isEmpty());
    QVERIFY(run.committed);
    QCOMPARE(server.received().last(), QByteArray("QUIT"));
}

// The transcript shows the protocol, never the password or message content.
void TestPop3Client::transcriptRedactsPassword()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    qputenv("POLLUX_TRANSCRIPT_DIR", QFile::encodeName(dir.path()));
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"UIDL"});
    script << "C: UIDL" << uidlAnswer(1) << "C: LIST" << listAnswer(1) << "C: RETR 1"
           << retrAnswer(message(1)) << "C: DELE 1"
           << "S: +OK"
           << "C: QUIT"
           << "S: +OK";
    server.setScript(script);
    {
        Pop3Client client;
        MemorySink sink;
        const SessionRun run = runSession(client, optionsFor(server), sink);
        QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    }
    qunsetenv("POLLUX_TRANSCRIPT_DIR");
    QFile log(dir.filePath(QStringLiteral("pop3-test-account.log")));
    QVERIFY2(log.open(QIODevice::ReadOnly), qPrintable(log.fileName()));
    const QByteArray text = log.readAll();
    QVERIFY(text.contains("PASS <redacted>"));
    QVERIFY(text.contains("USER alice"));
    QVERIFY(text.contains("S: +OK Logged in."));
    QVERIFY(!text.contains("secret"));
    QVERIFY(!text.contains("Subject: one"));
    QVERIFY(!text.contains("Hello"));
}

namespace {
QByteArray headerOf(const QByteArray &message)
{
    const qsizetype end = message.indexOf("\r\n\r\n");
    return end < 0 ? message : message.left(end + 4);
}
} // namespace

// The routing dry run reads headers with "TOP n 0": nothing retrieved, marked or removed.
void TestPop3Client::fetchIdentitiesReadsHeadersWithTop_data()
{
    QTest::addColumn<bool>("pipelining");
    QTest::newRow("lockstep") << false;
    QTest::newRow("pipelined") << true;
}

void TestPop3Client::fetchIdentitiesReadsHeadersWithTop()
{
    QFETCH(bool, pipelining);
    FakePop3Server server;
    QList<QByteArray> capa{"UIDL", "TOP"};
    if (pipelining)
        capa << "PIPELINING";
    QList<QByteArray> script = loginScript(capa);
    script << "C: UIDL";
    if (pipelining)
        script << "C: LIST";
    script << uidlAnswer(3);
    if (!pipelining)
        script << "C: LIST";
    script << listAnswer(3);
    if (pipelining) {
        script << "C: TOP 3 0"
               << "C: TOP 1 0" << retrAnswer(headerOf(message(3)))
               << retrAnswer(headerOf(message(1)));
    } else {
        script << "C: TOP 3 0" << retrAnswer(headerOf(message(3))) << "C: TOP 1 0"
               << retrAnswer(headerOf(message(1)));
    }
    script << "C: QUIT"
           << "S: +OK";
    server.setScript(script);

    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink, QStringLiteral("list"));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QCOMPARE(run.listed.size(), 3);
    QVERIFY(!client.canFetchIdentities()); // a pass never uses it for POP3
    QSignalSpy fetched(&client, &MailboxClient::identitiesFetched);
    QSignalSpy failed(&client, &MailboxClient::failed);
    client.fetchIdentities({run.listed.at(2), run.listed.at(0)});
    QVERIFY(fetched.wait(5000));
    QVERIFY(failed.isEmpty());
    const auto ids = fetched.first().first().value<QList<RemoteIdentity>>();
    QCOMPARE(ids.size(), 2);
    QCOMPARE(ids.at(0).message.index, qint64(3));
    QCOMPARE(ids.at(0).header, headerOf(message(3)));
    QCOMPARE(ids.at(1).message.uid, run.listed.at(0).uid);
    QCOMPARE(ids.at(1).header, headerOf(message(1)));
    QVERIFY(sink.messages.isEmpty()); // nothing went to the message sink

    QSignalSpy closed(&client, &MailboxClient::closed);
    client.close();
    QVERIFY(closed.wait(5000));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    for (const QByteArray &line : server.received())
        QVERIFY2(!line.startsWith("RETR") && !line.startsWith("DELE"), line.constData());
}

// TOP is optional (RFC 1939): a server that refuses it fails the call, with its answer.
void TestPop3Client::fetchIdentitiesTopRefused()
{
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"UIDL"});
    script << "C: UIDL" << uidlAnswer(1) << "C: LIST" << listAnswer(1) << "C: TOP 1 0"
           << "S: -ERR unknown command";
    server.setScript(script);
    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink, QStringLiteral("list"));
    QVERIFY2(run.stoppedAt == QStringLiteral("done"), qPrintable(run.error.message()));
    QSignalSpy failed(&client, &MailboxClient::failed);
    client.fetchIdentities(run.listed);
    QVERIFY(failed.wait(5000));
    const Result error = failed.first().first().value<Result>();
    QCOMPARE(error.code(), ErrorCode::ServerError);
    QVERIFY2(error.message().contains(QLatin1String("unknown command")),
             qPrintable(error.message()));
}

QTEST_GUILESS_MAIN(TestPop3Client)
#include "tst_pop3client.moc"
