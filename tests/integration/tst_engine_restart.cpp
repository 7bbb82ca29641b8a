// Saving the settings and Pause restart the engine from the window's thread. A worker
// thread can be busy in a slow call (here: waiting for a database another process holds
// locked); the restart must not wait for it - the window would freeze - and the new
// threads must not start before the old ones are gone (two pollers of one account, or a
// poller beside another delivery worker's orphan sweep, could fetch or lose a message).
#include "EngineRun.h"
#include "ExclusiveLock.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/Engine.h"

#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace pollux;
using namespace pollux::test;

namespace {

// No pass may have failed: a pass that waited for the lock past the busy timeout fails
// with "database is locked" - which is what happens when the restart holds this thread.
bool noPassFailed(const QSignalSpy &passes, QString *detail)
{
    for (const QList<QVariant> &args : passes) {
        const Result r = args.at(1).value<Result>();
        if (!r.ok()) {
            *detail = r.message();
            return false;
        }
    }
    return true;
}

} // namespace

class TestEngineRestart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void restartDoesNotWaitForABusyThread_data();
    void restartDoesNotWaitForABusyThread();

private:
    Config makeConfig(const QString &user, quint16 smtpPort);
    // Starts the engine, then makes the account's poller wait for the locked database.
    bool startAndBlock(Engine &engine, const Config &config, std::unique_ptr<ExclusiveLock> &lock,
                       QSignalSpy &passStarted);

    DovecotServer m_dovecot;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestEngineRestart::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
}

Config TestEngineRestart::makeConfig(const QString &user, quint16 smtpPort)
{
    m_dovecot.addUser(user, QStringLiteral("pw"));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("pw"));
    for (int i = 1; i <= 2; ++i)
        m_dovecot.deliver(user, makeMessage(i, 3000));
    Config c;
    AccountConfig a;
    a.name = user;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.recipient = QStringLiteral("staff@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = smtpPort;
    c.smtp.timeoutSecs = 10;
    c.dataDir = m_dir.filePath(user);
    return c;
}

bool TestEngineRestart::startAndBlock(Engine &engine, const Config &config,
                                      std::unique_ptr<ExclusiveLock> &lock, QSignalSpy &passStarted)
{
    // A first pass delivers the two messages; every thread has its database open.
    bool ok = false;
    if (!engine.start(config, {false, 0}).ok() || !runOnce(engine, ok) || !ok)
        return false;
    // Two more arrive. Lock the database, then ask for a pass: its first step records the
    // pass, and waits for the lock.
    for (int i = 3; i <= 4; ++i)
        m_dovecot.deliver(config.accounts.first().name, makeMessage(i, 3000));
    lock = std::make_unique<ExclusiveLock>(Engine::databasePath(config));
    if (!lock->held())
        return false;
    passStarted.clear();
    engine.pollNow();
    return passStarted.wait(30000);
}

void TestEngineRestart::restartDoesNotWaitForABusyThread_data()
{
    QTest::addColumn<bool>("pause"); // else: start() with a changed configuration (Save)
    QTest::newRow("save-restarts") << false;
    QTest::newRow("pause-then-resume") << true;
}

void TestEngineRestart::restartDoesNotWaitForABusyThread()
{
    QFETCH(bool, pause);
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = QStringLiteral("restart%1").arg(++m_users);
    const Config config = makeConfig(user, sink.port());
    Engine engine(&m_secrets, nullptr);
    QSignalSpy passStarted(&engine, &Engine::passStarted);
    QSignalSpy passes(&engine, &Engine::passFinished);
    QSignalSpy started(&engine, &Engine::started);
    std::unique_ptr<ExclusiveLock> lock;
    QVERIFY(startAndBlock(engine, config, lock, passStarted));

    // Each call returns while the poller still waits for the lock.
    started.clear();
    if (pause) {
        engine.setPaused(true);
        QVERIFY(engine.isPaused());
        QVERIFY(!engine.isRunning());
        engine.setPaused(false); // the old threads are still busy: starts when they are gone
        QVERIFY(!engine.isPaused());
    } else {
        Config changed = config;
        changed.maxPerPass = 50;
        QVERIFY(engine.start(changed, {false, 0}).ok());
    }
    QVERIFY(engine.isRunning());
    QVERIFY(lock->held());
    QCOMPARE(started.size(), 0); // the new threads wait until the old ones are gone
    lock.reset();                // in time: this thread was not held up
    QVERIFY(started.wait(30000));
    QString detail;
    QVERIFY2(noPassFailed(passes, &detail), qPrintable(detail));

    // The new threads work: the two new messages are delivered, each once.
    bool ok = false;
    QVERIFY(runOnce(engine, ok));
    QVERIFY(ok);
    QVERIFY(sink.waitForMessages(4));
    QCOMPARE(sink.messages().size(), 4);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    engine.stop();
    QVERIFY(!engine.isRunning());
    QVERIFY(sink.stop());
}

QTEST_GUILESS_MAIN(TestEngineRestart)
#include "tst_engine_restart.moc"
