#include "EngineTestSupport.h"
#include "engine/AccountPoller.h"
#include "unit/pop3/FakePop3Server.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

// AccountPoller: passes never overlap; "poll now" during a pass queues exactly one more.
// A pass is held open at its first step (reading the password) until the test releases it.

using namespace pollux;
using namespace pollux::test;

namespace {

// Answers a read only when the test says so.
class HeldSecretStore final : public SecretStore
{
public:
    void read(const QString &key, ReadCallback done) override
    {
        keys << key;
        m_held.append(done);
    }
    void write(const QString &, const QString &, WriteCallback done) override
    {
        done(Result::success());
    }
    void remove(const QString &, WriteCallback done) override { done(Result::success()); }

    int held() const { return int(m_held.size()); }
    void release(const Result &result, const QString &secret)
    {
        if (!m_held.isEmpty())
            m_held.takeFirst()(result, secret);
    }

    QStringList keys;

private:
    QList<ReadCallback> m_held;
};

// Lets queued calls run (a queued extra pass would be posted by now).
void settle()
{
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents();
}

} // namespace

class TestAccountPoller : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void pollNowDuringPassQueuesOneMore_data();
    void pollNowDuringPassQueuesOneMore();
    void stopDuringPass();
    void databaseThatCouldNotBeOpenedIsTriedAgain();
    void longIntervalSchedulesThatFarAhead_data();
    void longIntervalSchedulesThatFarAhead();
};

void TestAccountPoller::initTestCase()
{
    qRegisterMetaType<pollux::Result>();
}

void TestAccountPoller::pollNowDuringPassQueuesOneMore_data()
{
    QTest::addColumn<int>("extraPolls");
    QTest::newRow("poll-now-once") << 1;
    QTest::newRow("poll-now-three-times") << 3;
}

void TestAccountPoller::pollNowDuringPassQueuesOneMore()
{
    QFETCH(int, extraPolls);

    DataDir data;
    QVERIFY(data.open().ok());
    FakePop3Server server; // for the first pass only: an empty mailbox
    server.setScript(pop3Opening({}) + QList<QByteArray>{"C: QUIT", "S: +OK"});
    HeldSecretStore secrets;
    int started = 0;
    int finished = 0;
    bool overlapped = false;

    AccountPoller::Settings settings;
    settings.pass = passSettings(server.port(), Retention::Keep);
    settings.databasePath = data.databasePath();
    settings.spoolDir = data.spoolDir();
    settings.schedule = false; // passes only when asked
    AccountPoller poller(settings, &secrets, &data.clock);
    connect(&poller, &AccountPoller::passStarted, this, [&] {
        overlapped = overlapped || started != finished;
        ++started;
    });
    QSignalSpy passFinished(&poller, &AccountPoller::passFinished);
    connect(&poller, &AccountPoller::passFinished, this, [&] { ++finished; });

    poller.start();
    settle();
    QCOMPARE(started, 0);
    poller.pollNow();
    QCOMPARE(started, 1);
    QCOMPARE(secrets.held(), 1);
    QCOMPARE(secrets.keys, QStringList{QStringLiteral("account/office")});

    for (int i = 0; i < extraPolls; ++i)
        poller.pollNow();
    settle();
    QCOMPARE(started, 1); // still the first pass
    QCOMPARE(secrets.held(), 1);

    secrets.release(Result::success(), QStringLiteral("secret"));
    QVERIFY(passFinished.wait(Deadline));
    QCOMPARE(passFinished.first().at(1).value<Result>().code(), ErrorCode::None);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());

    // Exactly one more pass, and only after the first finished.
    QTRY_COMPARE_WITH_TIMEOUT(started, 2, Deadline);
    QTRY_COMPARE_WITH_TIMEOUT(secrets.held(), 1, Deadline);
    settle();
    QCOMPARE(started, 2);
    secrets.release(Result::failure(ErrorCode::Secrets, QStringLiteral("test: no password")),
                    QString());
    QCOMPARE(passFinished.size(), 2);
    QCOMPARE(passFinished.at(1).at(1).value<Result>().code(), ErrorCode::Secrets);
    settle();
    QCOMPARE(started, 2);
    QCOMPARE(secrets.held(), 0);
    QVERIFY(!overlapped);

    // Idle again: pollNow starts a pass at once.
    poller.pollNow();
    QCOMPARE(started, 3);
    QCOMPARE(secrets.held(), 1);
}

// stop() during a pass cancels it quietly; a late secret answer is harmless; no new passes.
void TestAccountPoller::stopDuringPass()
{
    DataDir data;
    QVERIFY(data.open().ok());
    HeldSecretStore secrets;
    AccountPoller::Settings settings;
    settings.pass = passSettings(1, Retention::Keep);
    settings.databasePath = data.databasePath();
    settings.spoolDir = data.spoolDir();
    settings.schedule = false;
    AccountPoller poller(settings, &secrets, &data.clock);
    QSignalSpy started(&poller, &AccountPoller::passStarted);
    QSignalSpy finished(&poller, &AccountPoller::passFinished);

    poller.start();
    poller.pollNow();
    poller.pollNow(); // queued
    QCOMPARE(started.size(), 1);
    poller.stop();
    secrets.release(Result::success(), QStringLiteral("secret")); // the pass is gone
    poller.pollNow();
    settle();
    QCOMPARE(started.size(), 1);
    QCOMPARE(finished.size(), 0);
}

// The database could not be opened when the poller started (here: its folder is a file;
// in life, another program holding it locked): each pass fails, says so in the log, and
// tries again - once the cause is gone, passes work without a restart.
void TestAccountPoller::databaseThatCouldNotBeOpenedIsTriedAgain()
{
    DataDir data;
    QVERIFY(data.open().ok());
    const QString blocker = data.filePath(QStringLiteral("later"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write("not a folder") > 0);
    }
    FakePop3Server server;
    server.setScript(pop3Opening({}) + QList<QByteArray>{"C: QUIT", "S: +OK"});
    MemorySecretStore secrets;
    secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    AccountPoller::Settings settings;
    settings.pass = passSettings(server.port(), Retention::Keep);
    settings.databasePath = blocker + QStringLiteral("/pollux.db");
    settings.spoolDir = data.spoolDir();
    settings.schedule = false;
    AccountPoller poller(settings, &secrets, &data.clock);
    QSignalSpy passFinished(&poller, &AccountPoller::passFinished);
    poller.start();

    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("^office: pass failed: storage error: ")));
    poller.pollNow();
    QTRY_COMPARE_WITH_TIMEOUT(passFinished.size(), 1, Deadline);
    QCOMPARE(passFinished.first().at(1).value<Result>().code(), ErrorCode::Storage);

    QVERIFY(QFile::remove(blocker)); // the cause is gone
    poller.pollNow();
    QTRY_COMPARE_WITH_TIMEOUT(passFinished.size(), 2, Deadline);
    const Result second = passFinished.at(1).at(1).value<Result>();
    QVERIFY2(second.ok(), qPrintable(second.message()));
    QVERIFY(QFile::exists(settings.databasePath));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());
}

void TestAccountPoller::longIntervalSchedulesThatFarAhead_data()
{
    QTest::addColumn<int>("intervalSecs");
    QTest::newRow("five-minutes") << 300;
    QTest::newRow("seven-days-the-most-validation-allows") << 7 * 86400;
    // Validation refuses it; the poller still must not turn it into 704 ms (int overflow of
    // secs * 1000), which made 18 logins at the provider in 12 s.
    QTest::newRow("past-int-milliseconds") << 4294968;
}

// After a pass, the next one is scheduled a whole interval later, in 64-bit milliseconds,
// by the injected clock and by the timers that will start it.
void TestAccountPoller::longIntervalSchedulesThatFarAhead()
{
    QFETCH(int, intervalSecs);
    DataDir data;
    QVERIFY(data.open().ok());
    FakePop3Server server;
    server.setScript(pop3Opening({}) + QList<QByteArray>{"C: QUIT", "S: +OK"});
    MemorySecretStore secrets;
    secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    AccountPoller::Settings settings;
    settings.pass = passSettings(server.port(), Retention::Keep);
    settings.databasePath = data.databasePath();
    settings.spoolDir = data.spoolDir();
    settings.pollIntervalSecs = intervalSecs;
    settings.schedule = true;
    AccountPoller poller(settings, &secrets, &data.clock);
    QSignalSpy started(&poller, &AccountPoller::passStarted);
    QSignalSpy finished(&poller, &AccountPoller::passFinished);
    QVERIFY(!poller.nextPassDue().isValid());
    QCOMPARE(poller.msUntilNextPass(), qint64(-1));

    poller.start(); // the first pass at once
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Deadline);
    QVERIFY2(finished.first().at(1).value<Result>().ok(),
             qPrintable(finished.first().at(1).value<Result>().message()));
    QVERIFY(server.scriptFinished());

    const qint64 intervalMs = qint64(intervalSecs) * 1000;
    QCOMPARE(poller.nextPassDue(), data.clock.now().addSecs(intervalSecs));
    const qint64 left = poller.msUntilNextPass();
    // A coarse QTimer may fire up to 5% late (of the one timer running now).
    const qint64 slack = qMin(intervalMs, AccountPoller::kMaxTimerMs) / 20;
    QVERIFY2(
        left > intervalMs - 60 * 1000 && left <= intervalMs + slack,
        qPrintable(
            QStringLiteral("next pass in %1 ms, expected about %2 ms").arg(left).arg(intervalMs)));
    settle();
    QCOMPARE(started.size(), 1);

    // "Poll now" replaces the wait; the pass after it (which fails: the fake server serves
    // one connection) waits the whole interval again.
    poller.pollNow();
    QVERIFY(!poller.nextPassDue().isValid());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, Deadline);
    QCOMPARE(poller.nextPassDue(), data.clock.now().addSecs(intervalSecs));
    QVERIFY(poller.msUntilNextPass() > intervalMs - 60 * 1000);
    poller.stop();
    QCOMPARE(poller.msUntilNextPass(), qint64(-1));
}

QTEST_GUILESS_MAIN(TestAccountPoller)
#include "tst_accountpoller.moc"
