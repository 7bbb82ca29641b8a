#include "EngineTestSupport.h"
#include "unit/pop3/FakePop3Server.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

// PollPass when the server plays along: retention, UIDs already known, the per-pass
// maximum.

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Account = QStringLiteral("office");
using Script = QList<QByteArray>;

QByteArray content(int number)
{
    switch (number) {
    case 1:
        return "From: a@example.com\r\nSubject: dots\r\n\r\n.hidden\r\n.\r\n..\r\nend.\r\n";
    case 2:
        return "Subject: two\r\n\r\nbare\nline feed\r\n\r\n";
    default:
        break;
    }
    return "Subject: " + QByteArray::number(number) + "\r\n\r\nbody " + QByteArray::number(number) +
           "\r\n";
}

QList<QByteArray> mailbox(int count)
{
    QList<QByteArray> out;
    for (int i = 1; i <= count; ++i)
        out << content(i);
    return out;
}

Script retrieveAll(int from, int to)
{
    Script s;
    for (int i = from; i <= to; ++i)
        s << pop3Retr(i, content(i));
    return s;
}

Script deleteAll(int count)
{
    Script s;
    for (int i = 1; i <= count; ++i)
        s << "C: DELE " + QByteArray::number(i) << "S: +OK marked";
    return s;
}

QStringList uids(std::initializer_list<int> numbers)
{
    QStringList out;
    for (int n : numbers)
        out << QStringLiteral("uid-%1").arg(n);
    out.sort();
    return out;
}

} // namespace

class TestPollPass : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deleteRetention_data();
    void deleteRetention();
    void keepDaysRetention();
    void knownUidsNotFetchedAgain_data();
    void knownUidsNotFetchedAgain();
    void maxPerPass_data();
    void maxPerPass();
    void spoolLimit_data();
    void spoolLimit();

private:
    DataDir *newData();
    std::unique_ptr<DataDir> m_data;
};

void TestPollPass::initTestCase()
{
    qRegisterMetaType<pollux::Result>();
}

DataDir *TestPollPass::newData()
{
    m_data = std::make_unique<DataDir>();
    if (!m_data->open().ok())
        return nullptr;
    m_data->secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    return m_data.get();
}

void TestPollPass::deleteRetention_data()
{
    QTest::addColumn<QByteArray>("quitAnswer"); // a script step
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<bool>("removed");
    QTest::newRow("quit-ok") << QByteArray("S: +OK bye") << ErrorCode::None << true;
    QTest::newRow("quit-err") << QByteArray("S: -ERR some deletes failed") << ErrorCode::None
                              << false;
    QTest::newRow("dropped-before-quit-answer") << QByteArray("X:") << ErrorCode::Network << false;
}

// Delete: DELE for every collected message, then QUIT; removed only once QUIT said +OK.
void TestPollPass::deleteRetention()
{
    QFETCH(QByteArray, quitAnswer);
    QFETCH(bool, removed);

    DataDir *data = newData();
    QVERIFY(data);
    {
        FakePop3Server server;
        server.setScript(pop3Opening(mailbox(3)) + retrieveAll(1, 3) + deleteAll(3) +
                         Script{"C: QUIT", quitAnswer});
        if (quitAnswer.startsWith("S: -ERR")) // said in the log, not only swallowed
            QTest::ignoreMessage(QtWarningMsg,
                                 QRegularExpression(QStringLiteral(
                                     "office: the server did not confirm the removal of 3 "
                                     "messages; they stay on the server")));
        const PassRun run = runPass(*data, passSettings(server.port(), Retention::Delete));
        QCOMPARE(run.finishedCount, 1);
        QTEST(run.result.code(), "code");
        QCOMPARE(run.collected, 3);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QVERIFY(server.scriptFinished());
        QVERIFY(server.waitForClientGone(Deadline));
        // Nothing after QUIT; QUIT after the last DELE.
        QCOMPARE(server.received().constLast(), QByteArray("QUIT"));
        QCOMPARE(linesStartingWith(server.received(), "DELE").size(), 3);
    }
    QCOMPARE(data->knownUids(Account), uids({1, 2, 3}));
    const QList<MessageRecord> records = data->records(Account);
    QCOMPARE(records.size(), 3);
    for (const MessageRecord &m : records) {
        QCOMPARE(!m.removedAt.isNull(), removed);
        if (removed)
            QCOMPARE(m.removedAt, data->clock.now());
        QCOMPARE(data->readSpoolFile(m.spoolPath), content(m.uid.mid(4).toInt()));
    }
    QCOMPARE(data->messageFiles(), data->liveSpoolPaths());

    // Next pass: nothing fetched again; whatever was not confirmed removed is removed now.
    data->clock.advance(60);
    FakePop3Server next;
    Script script = pop3Opening(removed ? mailbox(0) : mailbox(3));
    if (!removed)
        script << deleteAll(3);
    script << "C: QUIT"
           << "S: +OK bye";
    next.setScript(script);
    const PassRun run = runPass(*data, passSettings(next.port(), Retention::Delete));
    QCOMPARE(run.result.code(), ErrorCode::None);
    QCOMPARE(run.collected, 0);
    QVERIFY2(next.error().isEmpty(), qPrintable(next.error()));
    QVERIFY(next.scriptFinished());
    QCOMPARE(linesStartingWith(next.received(), "RETR"), QList<QByteArray>());
    for (const MessageRecord &m : data->records(Account))
        QVERIFY(!m.removedAt.isNull());
    QCOMPARE(data->records(Account).size(), 3);
}

// KeepDays: nothing removed while young; DELE once first seen keepDays ago.
void TestPollPass::keepDaysRetention()
{
    DataDir *data = newData();
    QVERIFY(data);
    {
        FakePop3Server server;
        server.setScript(pop3Opening(mailbox(2)) + retrieveAll(1, 2) + Script{"C: QUIT", "S: +OK"});
        const PassRun run = runPass(*data, passSettings(server.port(), Retention::KeepDays));
        QCOMPARE(run.result.code(), ErrorCode::None);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QVERIFY(server.scriptFinished());
    }
    data->clock.advance(6 * 86400);
    {
        FakePop3Server server;
        server.setScript(pop3Opening(mailbox(2)) + Script{"C: QUIT", "S: +OK"});
        const PassRun run = runPass(*data, passSettings(server.port(), Retention::KeepDays));
        QCOMPARE(run.result.code(), ErrorCode::None);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QVERIFY(server.scriptFinished());
    }
    data->clock.advance(86400);
    FakePop3Server server;
    server.setScript(pop3Opening(mailbox(2)) + deleteAll(2) + Script{"C: QUIT", "S: +OK"});
    const PassRun run = runPass(*data, passSettings(server.port(), Retention::KeepDays));
    QCOMPARE(run.result.code(), ErrorCode::None);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());
    for (const MessageRecord &m : data->records(Account))
        QCOMPARE(m.removedAt, data->clock.now());
}

void TestPollPass::knownUidsNotFetchedAgain_data()
{
    QTest::addColumn<Script>("second"); // the second pass, after the login
    QTest::addColumn<int>("collected");
    QTest::addColumn<QStringList>("known");
    QTest::addColumn<QStringList>("vanished"); // recorded as removed by someone else

    QTest::newRow("same-mailbox") << (pop3Uidl(mailbox(3)) + pop3List(mailbox(3))) << 0
                                  << uids({1, 2, 3}) << QStringList();
    QTest::newRow("one-new") << (pop3Uidl(mailbox(4)) + pop3List(mailbox(4)) +
                                 pop3Retr(4, content(4)))
                             << 1 << uids({1, 2, 3, 4}) << QStringList();
    // Another client removed message 1: the others are renumbered, uid-5 is new.
    // LIST sizes are the real ones: a message of another size is refused (completeness rule).
    const auto size = [](int number) { return QByteArray::number(content(number).size()); };
    const Script renumbered{
        "C: UIDL", "S: +OK", "S: 1 uid-2",      "S: 2 uid-3",      "S: 3 uid-5",      "S: .",
        "C: LIST", "S: +OK", "S: 1 " + size(2), "S: 2 " + size(3), "S: 3 " + size(5), "S: ."};
    QTest::newRow("renumbered-after-removal")
        << (renumbered + Script{"C: RETR 3", "S: +OK", "R: " + dotStuff(content(5)) + ".\r\n"}) << 1
        << uids({1, 2, 3, 5}) << uids({1});
    QTest::newRow("all-gone") << (pop3Uidl({}) + pop3List({})) << 0 << uids({1, 2, 3})
                              << uids({1, 2, 3});
    // UIDs are case-sensitive: "UID-1" is another message than "uid-1".
    const Script caseDiffers{"C: UIDL",    "S: +OK",  "S: 1 uid-1",      "S: 2 uid-2", "S: 3 uid-3",
                             "S: 4 UID-1", "S: .",    "C: LIST",         "S: +OK",     "S: 1 30",
                             "S: 2 30",    "S: 3 30", "S: 4 " + size(1), "S: ."};
    QStringList withUpper = uids({1, 2, 3}) << QStringLiteral("UID-1");
    withUpper.sort();
    QTest::newRow("uid-differing-in-case")
        << (caseDiffers + pop3Retr(4, content(1))) << 1 << withUpper << QStringList();
}

// Keep: a second pass fetches only UIDs the store does not know.
void TestPollPass::knownUidsNotFetchedAgain()
{
    QFETCH(Script, second);
    QFETCH(QStringList, known);
    QFETCH(QStringList, vanished);

    DataDir *data = newData();
    QVERIFY(data);
    {
        FakePop3Server server;
        server.setScript(pop3Opening(mailbox(3)) + retrieveAll(1, 3) + Script{"C: QUIT", "S: +OK"});
        const PassRun run = runPass(*data, passSettings(server.port(), Retention::Keep));
        QCOMPARE(run.result.code(), ErrorCode::None);
        QCOMPARE(run.collected, 3);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QVERIFY(server.scriptFinished());
        QCOMPARE(linesStartingWith(server.received(), "DELE"), QList<QByteArray>());
    }
    FakePop3Server server;
    server.setScript(pop3Login() + second + Script{"C: QUIT", "S: +OK"});
    const PassRun run = runPass(*data, passSettings(server.port(), Retention::Keep));
    QCOMPARE(run.result.code(), ErrorCode::None);
    QTEST(run.collected, "collected");
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished()); // a RETR of a known UID would not match the script
    QCOMPARE(data->knownUids(Account), known);
    QStringList gone;
    for (const MessageRecord &m : data->records(Account)) {
        if (!m.removedAt.isNull())
            gone << m.uid;
        QCOMPARE(data->readSpoolFile(m.spoolPath), content(m.uid.mid(4).toInt()));
    }
    gone.sort();
    QCOMPARE(gone, vanished);
    QCOMPARE(data->messageFiles(), data->liveSpoolPaths());
}

void TestPollPass::maxPerPass_data()
{
    QTest::addColumn<int>("onServer");
    QTest::addColumn<int>("maxPerPass");
    QTest::newRow("2-of-5") << 5 << 2;
    QTest::newRow("5-of-5") << 5 << 5;
    QTest::newRow("1-of-2") << 2 << 1;
    QTest::newRow("empty-mailbox") << 0 << 2;
}

// At most maxPerPass RETRs; more=true when some are left; only those collected are deleted.
void TestPollPass::maxPerPass()
{
    QFETCH(int, onServer);
    QFETCH(int, maxPerPass);
    const int fetched = qMin(onServer, maxPerPass);

    DataDir *data = newData();
    QVERIFY(data);
    FakePop3Server server;
    server.setScript(pop3Opening(mailbox(onServer)) + retrieveAll(1, fetched) + deleteAll(fetched) +
                     Script{"C: QUIT", "S: +OK"});
    PollPass::Settings settings = passSettings(server.port(), Retention::Delete);
    settings.maxPerPass = maxPerPass;
    const PassRun run = runPass(*data, settings);
    QCOMPARE(run.finishedCount, 1);
    QCOMPARE(run.result.code(), ErrorCode::None);
    QCOMPARE(run.collected, fetched);
    QCOMPARE(run.batched, fetched);
    QCOMPARE(run.more, onServer > maxPerPass);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());
    QCOMPARE(linesStartingWith(server.received(), "RETR").size(), fetched);
    QCOMPARE(linesStartingWith(server.received(), "DELE").size(), fetched);
    QCOMPARE(data->knownUids(Account).size(), fetched);
    QCOMPARE(data->messageFiles().size(), fetched);
}

void TestPollPass::spoolLimit_data()
{
    // Five messages on the server; another account's mail already waits in the spool.
    QTest::addColumn<qint64>("waiting"); // bytes of that mail (0: none)
    QTest::addColumn<qint64>("limit");   // PollPass::Settings::spoolLimitBytes
    QTest::addColumn<int>("fetched");
    const auto sizes = [](int count) {
        qint64 sum = 0;
        for (int i = 1; i <= count; ++i)
            sum += content(i).size();
        return sum;
    };
    QTest::newRow("no-limit") << qint64(0) << qint64(0) << 5;
    QTest::newRow("room-for-all") << qint64(500) << 500 + sizes(5) << 5;
    QTest::newRow("room-for-two-exactly") << qint64(500) << 500 + sizes(2) << 2;
    QTest::newRow("room-for-two-and-a-bit") << qint64(500) << 500 + sizes(3) - 1 << 2;
    QTest::newRow("full") << qint64(500) << qint64(500) << 0;
    QTest::newRow("over-full") << qint64(900) << qint64(500) << 0;
    QTest::newRow("oversized-into-empty-spool") << qint64(0) << qint64(10) << 1;
    QTest::newRow("oversized-behind-waiting-mail") << qint64(5) << qint64(10) << 0;
}

// The spool limit: a pass collects, oldest first, only what fits beside the mail already
// waiting for delivery (one message always fits into an empty spool); the rest stays on
// the server, is not deleted, and the pass says so with spoolLimitReached().
void TestPollPass::spoolLimit()
{
    QFETCH(qint64, waiting);
    QFETCH(qint64, limit);
    QFETCH(int, fetched);

    DataDir *data = newData();
    QVERIFY(data);
    if (waiting > 0)
        QVERIFY(data->addMessage(QStringLiteral("other"), QStringLiteral("waits"),
                                 QByteArray(waiting, 'w'), {QStringLiteral("a@example.org")})
                    .ok());
    FakePop3Server server;
    server.setScript(pop3Opening(mailbox(5)) + retrieveAll(1, fetched) + deleteAll(fetched) +
                     Script{"C: QUIT", "S: +OK"});
    PollPass::Settings settings = passSettings(server.port(), Retention::Delete);
    settings.spoolLimitBytes = limit;
    const PassRun run = runPass(*data, settings);
    QCOMPARE(run.finishedCount, 1);
    QCOMPARE(run.result.code(), ErrorCode::None);
    QCOMPARE(run.collected, fetched);
    QCOMPARE(run.more, false); // not at once: deliveries must make room first
    QCOMPARE(run.limitSignals, fetched < 5 ? 1 : 0);
    if (fetched < 5)
        QCOMPARE(run.leftOnServer, 5 - fetched);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());
    QCOMPARE(linesStartingWith(server.received(), "RETR").size(), fetched);
    QCOMPARE(linesStartingWith(server.received(), "DELE").size(), fetched);
    QCOMPARE(data->knownUids(Account).size(), fetched);
}

QTEST_GUILESS_MAIN(TestPollPass)
#include "tst_pollpass.moc"
