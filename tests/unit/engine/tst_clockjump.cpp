// The clock-jump log line (ClockJump.h): when a reading of the keep-days clock says the wall
// clock jumped, and what the line says.
#include "engine/ClockJump.h"

#include <QTest>

using namespace pollux;

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kDayMs = 24 * 60 * kMinuteMs;
const QDateTime kBefore(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
} // namespace

class TestClockJump : public QObject
{
    Q_OBJECT

private slots:
    void message_data()
    {
        QTest::addColumn<bool>("hasPrevious");
        QTest::addColumn<bool>("sameOrigin");
        QTest::addColumn<qint64>("wallMovedMs");
        QTest::addColumn<qint64>("passedMs");
        QTest::addColumn<QString>("expected"); // empty: no line
        QTest::newRow("first-reading") << false << true << qint64(0) << qint64(0) << QString();
        QTest::newRow("clocks-agree")
            << true << true << 10 * kMinuteMs << 10 * kMinuteMs << QString();
        QTest::newRow("ntp-step-under-5-minutes")
            << true << true << 14 * kMinuteMs << 10 * kMinuteMs << QString();
        QTest::newRow("forward-30-days")
            << true << true << 30 * kDayMs + kMinuteMs << kMinuteMs
            << QStringLiteral("clock jump: the wall clock was set forward by 30 days (it moved "
                              "from 2026-03-01T12:00:00Z to 2026-03-31T12:01:00Z while the "
                              "monotonic clock counted 1 minute); keep-days counts the time "
                              "that passed, not the clock");
        QTest::newRow("back-a-year")
            << true << true << -365 * kDayMs + 2 * kMinuteMs << 2 * kMinuteMs
            << QStringLiteral("clock jump: the wall clock was set back by 365 days (it moved "
                              "from 2026-03-01T12:00:00Z to 2025-03-01T12:02:00Z while the "
                              "monotonic clock counted 2 minutes); keep-days counts the time "
                              "that passed, not the clock");
        QTest::newRow("forward-2.5-hours") << true << true << 150 * kMinuteMs << qint64(0)
                                           << QStringLiteral("clock jump: the wall clock was set "
                                                             "forward by 2.5 hours (it moved from "
                                                             "2026-03-01T12:00:00Z to "
                                                             "2026-03-01T14:30:00Z while the "
                                                             "monotonic clock counted 0 seconds); "
                                                             "keep-days counts the time that "
                                                             "passed, not the clock");
        QTest::newRow("after-reboot-set-back")
            << true << false << -2 * kDayMs << qint64(0)
            << QStringLiteral("clock jump: the wall clock says 2026-02-27T12:00:00Z, 2 days "
                              "earlier than when Pollux last ran (2026-03-01T12:00:00Z); "
                              "keep-days counts the time in between as none");
        QTest::newRow("after-reboot-forward-is-downtime")
            << true << false << 40 * kDayMs << 40 * kDayMs << QString();
    }
    void message()
    {
        QFETCH(bool, hasPrevious);
        QFETCH(bool, sameOrigin);
        QFETCH(qint64, wallMovedMs);
        QFETCH(qint64, passedMs);
        QFETCH(QString, expected);
        ElapsedReading reading;
        if (hasPrevious)
            reading.previousWall = kBefore;
        reading.wall = kBefore.addMSecs(wallMovedMs);
        reading.wallMovedMs = wallMovedMs;
        reading.passedMs = passedMs;
        reading.sameOrigin = sameOrigin;
        QCOMPARE(clockJumpMessage(reading), expected);
    }
};

QTEST_GUILESS_MAIN(TestClockJump)
#include "tst_clockjump.moc"
