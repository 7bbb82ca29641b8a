#include "EngineTestSupport.h"
#include "unit/pop3/FakePop3Server.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

// PollPass when something breaks: the connection, the server, the disk. Whatever was
// complete before the failure is kept (and never fetched again); nothing partial stays in
// the spool; nothing is removed from the server.

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Account = QStringLiteral("office");
const QByteArray Dotty =
    "From: a@example.com\r\nSubject: dots\r\n\r\n.hidden\r\n.\r\n..\r\nend.\r\n";
const QByteArray Plain = "From: b@example.com\r\nSubject: two\r\n\r\nHello there\r\n";
const QByteArray Bare = "Subject: three\r\n\r\nbare\nline feed\r\n\r\n";
const QList<QByteArray> Mailbox{Dotty, Plain, Bare};

using Script = QList<QByteArray>;

// The first `count` UIDs of the mailbox, "uid-1"...
QStringList firstUids(int count)
{
    QStringList out;
    for (int i = 1; i <= count; ++i)
        out << QStringLiteral("uid-%1").arg(i);
    return out;
}

// Restores the file size limit (and SIGXFSZ) when it goes out of scope.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_ok = ::getrlimit(RLIMIT_FSIZE, &m_saved) == 0;
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = m_saved;
        small.rlim_cur = bytes;
        m_ok = m_ok && ::setrlimit(RLIMIT_FSIZE, &small) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_handler);
    }
    bool ok() const { return m_ok; }

private:
    rlimit m_saved{};
    void (*m_handler)(int) = nullptr;
    bool m_ok = false;
};

} // namespace

class TestPollPassFailures : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void failureKeepsCompleteMessages_data();
    void failureKeepsCompleteMessages();
    void pipelinedDropKeepsCompleteMessages();
    void garbageListing_data();
    void garbageListing();
    void storageFailureAbortsPass_data();
    void storageFailureAbortsPass();
    void secrets_data();
    void secrets();
    void unknownServerType();

private:
    // After the pass: the store knows exactly `kept`, each byte-exact in the spool, and the
    // spool holds no other message file.
    void verifyKept(DataDir &data, const QStringList &kept, const QList<QByteArray> &contents);
};

void TestPollPassFailures::initTestCase()
{
    qRegisterMetaType<pollux::Result>();
}

void TestPollPassFailures::verifyKept(DataDir &data, const QStringList &kept,
                                      const QList<QByteArray> &contents)
{
    QCOMPARE(data.knownUids(Account), kept);
    const QList<MessageRecord> records = data.records(Account);
    QCOMPARE(records.size(), kept.size());
    for (const MessageRecord &m : records) {
        const int number = m.uid.mid(4).toInt(); // "uid-<n>"
        QVERIFY2(number >= 1 && number <= contents.size(), qPrintable(m.uid));
        QCOMPARE(data.readSpoolFile(m.spoolPath), contents.at(number - 1)); // byte-exact
        QCOMPARE(m.state, DeliveryState::Waiting);
        QVERIFY(m.removedAt.isNull());
    }
    // No partial file of the interrupted message: only what the store lists exists.
    QCOMPARE(data.messageFiles(), data.liveSpoolPaths());
    QCOMPARE(data.messageFiles().size(), kept.size());
}

void TestPollPassFailures::failureKeepsCompleteMessages_data()
{
    QTest::addColumn<Script>("tail"); // after the listing
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<int>("kept");

    const Script retr1 = pop3Retr(1, Dotty);
    const QByteArray stuffed2 = dotStuff(Plain);
    const QByteArray answer2 = "S: +OK " + QByteArray::number(Plain.size()) + " octets";
    QTest::newRow("dropped-mid-retr-2")
        << (retr1 + Script{"C: RETR 2", answer2, "R: " + stuffed2.left(stuffed2.size() / 2), "X:"})
        << ErrorCode::Network << 1;
    QTest::newRow("dropped-before-retr-2-answer")
        << (retr1 + Script{"C: RETR 2", "X:"}) << ErrorCode::Network << 1;
    QTest::newRow("dropped-before-retr-2-terminator")
        << (retr1 + Script{"C: RETR 2", answer2, "R: " + stuffed2, "X:"}) << ErrorCode::Network
        << 1;
    // A -ERR to one RETR no longer fails the pass (tst_pollpassrefusals); a drop after it does.
    QTest::newRow("err-to-retr-2-then-dropped")
        << (retr1 + Script{"C: RETR 2", "S: -ERR message 2 is gone", "C: RETR 3", "X:"})
        << ErrorCode::Network << 1;
    QTest::newRow("err-to-retr-1-then-dropped")
        << Script{"C: RETR 1", "S: -ERR [IN-USE] locked", "C: RETR 2", "X:"} << ErrorCode::Network
        << 0;
    QTest::newRow("dropped-after-last-retr")
        << (retr1 + pop3Retr(2, Plain) +
            Script{"C: RETR 3", "S: +OK " + QByteArray::number(Bare.size()) + " octets",
                   "R: " + Bare.left(10), "X:"})
        << ErrorCode::Network << 2;
}

void TestPollPassFailures::failureKeepsCompleteMessages()
{
    QFETCH(Script, tail);
    QFETCH(int, kept);

    DataDir data;
    QVERIFY(data.open().ok());
    data.secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    FakePop3Server server;
    server.setScript(pop3Opening(Mailbox) + tail);

    const PassRun run = runPass(data, passSettings(server.port(), Retention::Delete));
    QCOMPARE(run.finishedCount, 1);
    QTEST(run.result.code(), "code");
    QCOMPARE(run.collected, kept);
    QCOMPARE(run.batched, kept);
    QVERIFY(!run.more);

    QVERIFY(server.waitForClientGone(Deadline));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(linesStartingWith(server.received(), "DELE"), QList<QByteArray>());
    QCOMPARE(linesStartingWith(server.received(), "QUIT"), QList<QByteArray>());
    verifyKept(data, firstUids(kept), Mailbox);
}

// Pipelined (the server offers PIPELINING): RETR 1-3 in flight at once, the connection drops
// in the middle of message 2. Same outcome as in lockstep.
void TestPollPassFailures::pipelinedDropKeepsCompleteMessages()
{
    DataDir data;
    QVERIFY(data.open().ok());
    data.secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    FakePop3Server server;
    Script script{"S: +OK ready",     "C: CAPA", "S: +OK",        "S: PIPELINING", "S: UIDL",
                  "S: USER",          "S: .",    "C: USER alice", "S: +OK",        "C: PASS secret",
                  "S: +OK Logged in", "C: CAPA", "S: +OK",        "S: PIPELINING", "S: UIDL",
                  "S: USER",          "S: .",    "C: UIDL",       "C: LIST"};
    const Script uidl = pop3Uidl(Mailbox);
    const Script list = pop3List(Mailbox);
    script << uidl.mid(1) << list.mid(1) << "C: RETR 1"
           << "C: RETR 2"
           << "C: RETR 3";
    const QByteArray stuffed2 = dotStuff(Plain);
    script << pop3Retr(1, Dotty).mid(1) << "S: +OK " + QByteArray::number(Plain.size()) + " octets"
           << "R: " + stuffed2.left(stuffed2.size() - 5) << "X:";
    server.setScript(script);

    const PassRun run = runPass(data, passSettings(server.port(), Retention::Delete));
    QCOMPARE(run.finishedCount, 1);
    QCOMPARE(run.result.code(), ErrorCode::Network);
    QCOMPARE(run.collected, 1);
    QVERIFY(server.waitForClientGone(Deadline));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());
    QVERIFY(server.maxOutstanding() > 1); // it did pipeline
    QCOMPARE(linesStartingWith(server.received(), "DELE"), QList<QByteArray>());
    QCOMPARE(linesStartingWith(server.received(), "QUIT"), QList<QByteArray>());
    verifyKept(data, firstUids(1), Mailbox);
}

void TestPollPassFailures::garbageListing_data()
{
    QTest::addColumn<Script>("listing");
    const Script list2 = pop3List({Dotty, Plain});
    QTest::newRow("duplicate-uid")
        << (Script{"C: UIDL", "S: +OK", "S: 1 same", "S: 2 same", "S: ."} + list2);
    QTest::newRow("uid-not-in-list")
        << (Script{"C: UIDL", "S: +OK", "S: 1 a", "S: 3 c", "S: ."} + list2);
    QTest::newRow("message-number-twice")
        << (Script{"C: UIDL", "S: +OK", "S: 1 a", "S: 1 b", "S: ."} + list2);
    QTest::newRow("bad-uidl-line") << (Script{"C: UIDL", "S: +OK", "S: one a", "S: ."} + list2);
    QTest::newRow("bad-list-size")
        << (pop3Uidl({Dotty}) + Script{"C: LIST", "S: +OK", "S: 1 huge", "S: ."});
}

// A listing that cannot be trusted: nothing fetched, nothing removed, nothing recorded.
void TestPollPassFailures::garbageListing()
{
    QFETCH(Script, listing);

    DataDir data;
    QVERIFY(data.open().ok());
    data.secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    FakePop3Server server;
    server.setScript(pop3Login() + listing);
    const PassRun run = runPass(data, passSettings(server.port(), Retention::Delete));
    QCOMPARE(run.finishedCount, 1);
    QCOMPARE(run.result.code(), ErrorCode::Protocol);
    QCOMPARE(run.collected, 0);
    QVERIFY(server.waitForClientGone(Deadline));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(linesStartingWith(server.received(), "RETR"), QList<QByteArray>());
    QCOMPARE(linesStartingWith(server.received(), "DELE"), QList<QByteArray>());
    QCOMPARE(linesStartingWith(server.received(), "QUIT"), QList<QByteArray>());
    verifyKept(data, {}, {});
}

void TestPollPassFailures::storageFailureAbortsPass_data()
{
    QTest::addColumn<bool>("spoolUnderFile"); // else: file size limit
    QTest::addColumn<int>("kept");
    QTest::newRow("spool-dir-under-regular-file") << true << 0;
    QTest::newRow("file-size-limit-in-message-2") << false << 1;
}

void TestPollPassFailures::storageFailureAbortsPass()
{
    QFETCH(bool, spoolUnderFile);
    QFETCH(int, kept);

    DataDir data;
    QVERIFY(data.open().ok());
    data.secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    // Message 2 is far above the file size limit the second row sets.
    QByteArray big = "Subject: big\r\n\r\n";
    while (big.size() < 3 * 1024 * 1024)
        big += "a line of a big message, to fill the disk that the limit pretends is full\r\n";
    const QList<QByteArray> contents{Dotty, big, Bare};
    FakePop3Server server;
    server.setScript(pop3Opening(contents) + pop3Retr(1, Dotty) + pop3Retr(2, big) +
                     pop3Retr(3, Bare));

    PassRun run;
    if (spoolUnderFile) {
        QFile blocker(data.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        QVERIFY(blocker.write("not a directory") > 0);
        blocker.close();
        Spool unusable(blocker.fileName() + QStringLiteral("/spool"));
        run = runPass(data, passSettings(server.port(), Retention::Delete), &unusable);
    } else {
        FileSizeLimit limit(1024 * 1024);
        QVERIFY(limit.ok());
        run = runPass(data, passSettings(server.port(), Retention::Delete));
    }
    QCOMPARE(run.finishedCount, 1);
    QCOMPARE(run.result.code(), ErrorCode::Storage);
    QCOMPARE(run.collected, kept);
    QCOMPARE(run.batched, kept);
    if (!spoolUnderFile) // the system's reason, not "Unknown error"
        QVERIFY2(run.result.message().contains(QLatin1String("File too large")),
                 qPrintable(run.result.message()));

    QVERIFY(server.waitForClientGone(Deadline));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(linesStartingWith(server.received(), "DELE"), QList<QByteArray>());
    QCOMPARE(linesStartingWith(server.received(), "QUIT"), QList<QByteArray>());
    QCOMPARE(linesStartingWith(server.received(), "RETR 3"), QList<QByteArray>());
    verifyKept(data, firstUids(kept), contents);
}

void TestPollPassFailures::secrets_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("found-under-account-key") << QStringLiteral("account/office") << ErrorCode::None;
    QTest::newRow("missing") << QString() << ErrorCode::Secrets;
    QTest::newRow("other-account-only") << QStringLiteral("account/other") << ErrorCode::Secrets;
    QTest::newRow("bare-name-only") << QStringLiteral("office") << ErrorCode::Secrets;
    QTest::newRow("smtp-only") << QStringLiteral("smtp") << ErrorCode::Secrets;
}

void TestPollPassFailures::secrets()
{
    QFETCH(QString, key);
    QFETCH(ErrorCode, code);

    DataDir data;
    QVERIFY(data.open().ok());
    if (!key.isEmpty())
        data.secrets.set(key, QStringLiteral("s3cr#t"));
    FakePop3Server server;
    server.setScript(pop3Login("s3cr#t") + pop3Uidl({}) + pop3List({}) +
                     Script{"C: QUIT", "S: +OK bye"});

    const PassRun run = runPass(data, passSettings(server.port(), Retention::Keep));
    QCOMPARE(run.finishedCount, 1);
    QCOMPARE(run.result.code(), code);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    if (code == ErrorCode::None) {
        QVERIFY(server.scriptFinished()); // logged in with that password, then QUIT
        QCOMPARE(server.connections(), 1);
    } else {
        QVERIFY(!run.result.message().contains(QStringLiteral("s3cr#t")));
        QCOMPARE(server.connections(), 0); // never connected, so never sent USER
        QVERIFY(server.received().isEmpty());
    }
}

// A server type outside the enum (a damaged config): Config error, no connection.
void TestPollPassFailures::unknownServerType()
{
    DataDir data;
    QVERIFY(data.open().ok());
    data.secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    FakePop3Server server;
    PollPass::Settings settings = passSettings(server.port(), Retention::Delete);
    settings.account.type = static_cast<ServerType>(42);
    const PassRun run = runPass(data, settings);
    QCOMPARE(run.finishedCount, 1);
    QCOMPARE(run.result.code(), ErrorCode::Config);
    QCOMPARE(server.connections(), 0);
}

QTEST_GUILESS_MAIN(TestPollPassFailures)
#include "tst_pollpassfailures.moc"
