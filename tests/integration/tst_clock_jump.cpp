// Keep-days against a wall clock that jumps (issue 12, item 9), end to end: the engine's
// POP3 passes against a real Dovecot and a real SMTP server, with the wall clock set
// forward or back under them. No kept copy leaves the server early, none stays for as long
// as the clock was ahead, and each jump is in the log once, with both clocks.
#include "EngineRun.h"
#include "LogCapture.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/Engine.h"

#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
constexpr qint64 kDaySecs = 24 * 3600;
}

class TestClockJump : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void keepDaysSurvivesClockJumps_data();
    void keepDaysSurvivesClockJumps();

private:
    Config makeConfig(const QString &user);

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestClockJump::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    QVERIFY(m_dir.isValid());
}

void TestClockJump::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

Config TestClockJump::makeConfig(const QString &user)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.mailbox = MailboxType::SingleUser;
    a.recipient = user + QStringLiteral("@office.example.com");
    a.retention = Retention::KeepDays;
    a.keepDays = 7;
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.smtp.timeoutSecs = 30;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(user);
    return c;
}

void TestClockJump::keepDaysSurvivesClockJumps_data()
{
    QTest::addColumn<qint64>("aheadAtCollection"); // seconds the clock is ahead at first
    QTest::addColumn<qint64>("jump");              // then it is set by this much
    QTest::addColumn<QString>("logged");
    QTest::newRow("set-forward-30-days")
        << qint64(0) << 30 * kDaySecs << QStringLiteral("set forward by 30 days");
    QTest::newRow("a-year-ahead-then-set-right")
        << 365 * kDaySecs << -365 * kDaySecs << QStringLiteral("set back by 365 days");
}

void TestClockJump::keepDaysSurvivesClockJumps()
{
    QFETCH(qint64, aheadAtCollection);
    QFETCH(qint64, jump);
    QFETCH(QString, logged);
    const QString user = QStringLiteral("clock%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-secret").arg(m_users);
    m_dovecot.addUser(user, password);
    m_secrets.set(QStringLiteral("account/") + user, password);
    for (int i = 1; i <= 3; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 1500)));

    LogCapture log; // before the engine, outliving its threads
    ManualClock clock;
    clock.jumpWall(aheadAtCollection);
    {
        Engine engine(&m_secrets, &clock);
        QVERIFY(engine.start(makeConfig(user), {false, 0}).ok());
        bool ok = false;
        QVERIFY(runOnce(engine, &ok));
        QVERIFY(ok);
        QCOMPARE(m_dovecot.messageCount(user), 3); // kept for 7 days

        // A minute later the wall clock jumps: the next passes remove nothing, and say why.
        clock.advance(60);
        clock.jumpWall(jump);
        QVERIFY(runOnce(engine, &ok));
        QVERIFY(ok);
        QCOMPARE(m_dovecot.messageCount(user), 3);
        const QStringList jumpLine{QStringLiteral("pollux.engine: clock jump"), logged,
                                   QStringLiteral("monotonic clock counted 1 minute)")};
        QVERIFY2(log.count(jumpLine) == 1, qPrintable(log.lines().join(QLatin1Char('\n'))));
        clock.advance(6 * kDaySecs);
        QVERIFY(runOnce(engine, &ok));
        QVERIFY(ok);
        QCOMPARE(m_dovecot.messageCount(user), 3);
        QCOMPARE(log.count({QStringLiteral("clock jump")}), 1); // once per jump
    }
    // Restarted (same boot): seven days after the download by the time that passed, the
    // copies go, whatever the clock said in between.
    clock.advance(kDaySecs - 60);
    Engine engine(&m_secrets, &clock);
    QVERIFY(engine.start(makeConfig(user), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QCOMPARE(log.count({QStringLiteral("clock jump")}), 1);
    QCOMPARE(m_sink->messages().size(), 3 * m_users); // each delivered once
}

QTEST_GUILESS_MAIN(TestClockJump)
#include "tst_clock_jump.moc"
