// Pause and Resume while the engine is stopping (a reload, SIGTERM): the stop still ends with
// stopped(), and the wish is kept for whoever starts the engine again (review finding: a
// Resume during a reload started the engine at once, stopped() never came, and the service's
// reload waited forever while the old settings stayed in use).
#include "engine/Engine.h"
#include "integration/TestDoubles.h"
#include "support/FreePort.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;

class TestEnginePause : public QObject
{
    Q_OBJECT
private slots:
    void resumeWhileStoppingStillStops();
    void pauseWhileStoppingIsKept();

private:
    Config config(const QTemporaryDir &dir) const;
};

Config TestEnginePause::config(const QTemporaryDir &dir) const
{
    Config c;
    AccountConfig a;
    a.name = QStringLiteral("office");
    a.type = ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = test::freePort(); // nothing listens
    a.username = QStringLiteral("alice");
    a.recipient = QStringLiteral("desk@example.org");
    a.allowPlaintextLogin = true;
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = test::freePort();
    c.postmaster = QStringLiteral("postmaster@example.org");
    c.dataDir = dir.path();
    return c;
}

void TestEnginePause::resumeWhileStoppingStillStops()
{
    QTemporaryDir dir;
    test::MemorySecretStore secrets;
    Engine engine(&secrets, nullptr);
    QVERIFY(engine.start(config(dir), {false}).ok());
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.setPaused(true); // its threads are still ending
    engine.requestStop();   // a reload: stop, then start with the new settings
    engine.setPaused(false);
    QVERIFY(!engine.isPaused());
    QVERIFY2(stopped.wait(15000), "the stop never ended");
    QCOMPARE(stopped.size(), 1);
    // Nothing was started behind the stop's back: a start now is the only one.
    QVERIFY(engine.start(config(dir), {false}).ok());
    QVERIFY(!engine.isPaused());
    engine.stop();
}

void TestEnginePause::pauseWhileStoppingIsKept()
{
    QTemporaryDir dir;
    test::MemorySecretStore secrets;
    Engine engine(&secrets, nullptr);
    QVERIFY(engine.start(config(dir), {false}).ok());
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.requestStop();
    engine.setPaused(true);
    QVERIFY(engine.isPaused());
    QVERIFY2(stopped.wait(15000), "the stop never ended");
    QCOMPARE(stopped.size(), 1);
    engine.stop();
}

QTEST_GUILESS_MAIN(TestEnginePause)
#include "tst_enginepause.moc"
