// Keep-days against a wall clock that jumps (issue 12, item 9): the store counts the time
// that passed (schema 6), so a clock set forward removes nothing early and a message first
// seen while the clock was ahead is not kept for as long as it was ahead.
#include "ManualClock.h"
#include "store/Store.h"
#include "store/StoreSchema.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;

namespace {

constexpr qint64 kDayMs = qint64(24) * 3600 * 1000;
const QString kAccount = QStringLiteral("a");

SpooledMessage msg(const QString &uid)
{
    return SpooledMessage{uid, 100, QStringLiteral("a/") + uid + QStringLiteral(".eml"),
                          QStringList{QStringLiteral("a@example.com")}};
}

// What keepDays retention would remove now, of messages all still on the server.
QStringList due(Store &store, int keepDays = 7)
{
    const QSet<QString> onServer{QStringLiteral("m"), QStringLiteral("old"),
                                 QStringLiteral("ahead"), QStringLiteral("new")};
    QStringList out;
    const Result r =
        store.removalCandidates(kAccount, Retention::KeepDays, keepDays, onServer, out);
    if (!r)
        out = QStringList{QStringLiteral("error: ") + r.message()};
    out.sort();
    return out;
}

} // namespace

class TestRetentionClock : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_count = 0;
    QString dbPath() { return m_dir.filePath(QStringLiteral("%1.db").arg(++m_count)); }

private slots:
    // The wall clock set forward (after `daysBefore` days of real time) removes nothing:
    // the message goes once keepDays of time have passed, not when the clock says so.
    void forwardJumpRemovesNothingEarly_data()
    {
        QTest::addColumn<int>("daysBefore");
        QTest::addColumn<int>("jumpDays");
        QTest::newRow("30-days-at-once") << 0 << 30;
        QTest::newRow("30-days-after-3") << 3 << 30;
        QTest::newRow("a-year-after-6") << 6 << 365;
        QTest::newRow("8-days-at-once") << 0 << 8;
    }
    void forwardJumpRemovesNothingEarly()
    {
        QFETCH(int, daysBefore);
        QFETCH(int, jumpDays);
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        QVERIFY(store.recordSpooled(kAccount, {msg(QStringLiteral("m"))}).ok());
        clock.advanceDays(daysBefore);
        clock.jumpWallDays(jumpDays);
        QCOMPARE(due(store), QStringList());
        clock.advanceMs((7 - daysBefore) * kDayMs - 1);
        QCOMPARE(due(store), QStringList()); // a millisecond short of 7 days
        clock.advanceMs(1);
        QCOMPARE(due(store), QStringList{QStringLiteral("m")});
    }

    // First seen while the clock was ahead, then the clock is set right: the message goes
    // after keepDays, not after keepDays plus however far the clock was ahead.
    void clockAheadAtCollection_data()
    {
        QTest::addColumn<int>("aheadDays");
        QTest::newRow("a-year-ahead") << 365;
        QTest::newRow("10-days-ahead") << 10;
        QTest::newRow("8-days-ahead") << 8;
    }
    void clockAheadAtCollection()
    {
        QFETCH(int, aheadDays);
        ManualClock clock;
        clock.jumpWallDays(aheadDays);
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        QVERIFY(store.recordSpooled(kAccount, {msg(QStringLiteral("ahead"))}).ok());
        clock.advanceDays(1);
        clock.jumpWallDays(-aheadDays); // set right
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(6 * kDayMs - 1);
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(1);
        QCOMPARE(due(store), QStringList{QStringLiteral("ahead")});
    }

    // The counted time is in the database: a restart after a reboot (another origin of the
    // monotonic clock) carries it on, a clock set back meanwhile does not take it back, and
    // the downtime counts as far as the wall clock moved forward. The message was first
    // seen while the clock was a year ahead, so its wall age cannot help it go.
    void elapsedSurvivesRestart_data()
    {
        QTest::addColumn<bool>("setRightWhileRunning"); // or while down
        QTest::addColumn<int>("downtimeWallDays");      // how far the wall clock moved while down
        QTest::addColumn<int>("creditDays");            // what counts of the downtime
        QTest::newRow("set-right-while-down") << false << -365 + 2 << 0;
        QTest::newRow("set-back-a-year-while-down") << true << -365 << 0;
        // The counted time is a year ahead of the wall clock (it started while the clock was
        // ahead): downtime counts only once the wall clock passes it. Late, never early.
        QTest::newRow("down-2-days") << true << 2 << 0;
    }
    void elapsedSurvivesRestart()
    {
        QFETCH(bool, setRightWhileRunning);
        QFETCH(int, downtimeWallDays);
        QFETCH(int, creditDays);
        const QString path = dbPath();
        ManualClock clock;
        clock.jumpWallDays(365);
        qint64 before = 0;
        {
            Store store(path, &clock);
            QVERIFY(store.open().ok());
            QVERIFY(store.recordSpooled(kAccount, {msg(QStringLiteral("ahead"))}).ok());
            clock.advanceDays(3);
            if (setRightWhileRunning)
                clock.jumpWallDays(-365);
            ElapsedReading reading;
            QVERIFY(store.advanceElapsed(reading).ok());
            before = reading.elapsedMs;
        }
        clock.restart();
        clock.jumpWallDays(downtimeWallDays);
        Store store(path, &clock);
        QVERIFY(store.open().ok());
        ElapsedReading reading;
        QVERIFY(store.advanceElapsed(reading).ok());
        QVERIFY(!reading.sameOrigin);
        QCOMPARE(reading.elapsedMs, before + creditDays * kDayMs);
        QCOMPARE(due(store), QStringList());
        clock.advanceMs((4 - creditDays) * kDayMs - 1);
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(1);
        QCOMPARE(due(store), QStringList{QStringLiteral("ahead")});
    }

    // Downtime across a reboot counts as far as the wall clock moved forward - but a clock
    // set back during the last boot and set right for this one does not make the setback
    // count as time that passed (a message first seen meanwhile would go at once).
    void rebootAfterClockSetBack_data()
    {
        QTest::addColumn<int>("setBackDays"); // during the first boot, before the message came
        QTest::newRow("clock-right-throughout") << 0;
        QTest::newRow("set-back-60-days-then-right") << 60;
    }
    void rebootAfterClockSetBack()
    {
        QFETCH(int, setBackDays);
        const QString path = dbPath();
        ManualClock clock;
        {
            Store store(path, &clock);
            QVERIFY(store.open().ok());
            ElapsedReading reading;
            QVERIFY(store.advanceElapsed(reading).ok());
            clock.jumpWallDays(-setBackDays);
            QVERIFY(store.advanceElapsed(reading).ok());
            QVERIFY(store.recordSpooled(kAccount, {msg(QStringLiteral("m"))}).ok());
            clock.advanceDays(1);
            QVERIFY(store.advanceElapsed(reading).ok());
        }
        clock.restart();
        clock.jumpWallDays(setBackDays); // set right for the new boot
        clock.jumpWallDays(2);           // and two days of downtime
        Store store(path, &clock);
        QVERIFY(store.open().ok());
        ElapsedReading reading;
        QVERIFY(store.advanceElapsed(reading).ok());
        // One day before the reboot, two days down: 3 of 7 days have passed.
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(4 * kDayMs - 1);
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(1);
        QCOMPARE(due(store), QStringList{QStringLiteral("m")});
    }

    // The other guard: a clock set forward while Pollux was down counts as downtime (the
    // counted time jumps with it); set right again after the start, the wall age holds the
    // message until keepDays have passed by the wall clock too.
    void countedJumpAloneRemovesNothingEarly()
    {
        const QString path = dbPath();
        ManualClock clock;
        {
            Store store(path, &clock);
            QVERIFY(store.open().ok());
            QVERIFY(store.recordSpooled(kAccount, {msg(QStringLiteral("m"))}).ok());
        }
        clock.restart();
        clock.jumpWallDays(30);
        Store store(path, &clock);
        QVERIFY(store.open().ok());
        ElapsedReading reading;
        QVERIFY(store.advanceElapsed(reading).ok());
        clock.jumpWallDays(-30);
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(7 * kDayMs - 1);
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(1);
        QCOMPARE(due(store), QStringList{QStringLiteral("m")});
    }

    // Each reading is recorded: a jump shows in the first reading after it, and only there,
    // whichever connection (account thread) takes it; the time counted is the same.
    void jumpReportedOnce()
    {
        const QString path = dbPath();
        ManualClock clock;
        Store first(path, &clock);
        Store second(path, &clock);
        QVERIFY(first.open().ok());
        QVERIFY(second.open().ok());
        ElapsedReading start;
        QVERIFY(first.advanceElapsed(start).ok());
        clock.advanceMs(60000);
        clock.jumpWallDays(30);
        ElapsedReading reading;
        QVERIFY(second.advanceElapsed(reading).ok());
        QVERIFY(reading.sameOrigin);
        QCOMPARE(reading.jumpMs(), 30 * kDayMs);
        QCOMPARE(reading.passedMs, qint64(60000));
        QCOMPARE(reading.previousWall, start.wall);
        QCOMPARE(reading.wall, clock.now());
        QVERIFY(first.advanceElapsed(reading).ok());
        QCOMPARE(reading.jumpMs(), qint64(0));
        clock.advanceMs(1000);
        clock.jumpWallDays(-400);
        QVERIFY(first.advanceElapsed(reading).ok());
        QCOMPARE(reading.jumpMs(), -400 * kDayMs);
        QCOMPARE(reading.elapsedMs, start.elapsedMs + 61000); // never back
        QVERIFY(second.advanceElapsed(reading).ok());
        QCOMPARE(reading.jumpMs(), qint64(0));
        // After a reboot the monotonic clock cannot tell; a clock set back still shows.
        clock.restart();
        clock.jumpWallDays(-1);
        QVERIFY(second.advanceElapsed(reading).ok());
        QVERIFY(!reading.sameOrigin);
        QCOMPARE(reading.jumpMs(), -kDayMs);
        QCOMPARE(reading.elapsedMs, start.elapsedMs + 61000);
    }

    // A database of schema 5: its messages are counted from their first_seen, so none goes
    // earlier than before the upgrade; one dated in the future is counted from the upgrade.
    void upgradeFromSchema5KeepsAges()
    {
        const QString path = dbPath();
        ManualClock clock;
        const qint64 now = clock.now().toMSecsSinceEpoch();
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v5"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            for (int step = 0; step < 5; ++step)
                for (const QString &statement : schemaMigrations().at(step))
                    QVERIFY2(query.exec(statement), qPrintable(statement));
            const QString insert = QStringLiteral(
                "INSERT INTO messages (account, uid, size, first_seen, spool_path, recipients) "
                "VALUES ('a', '%1', 10, %2, 'a/%1.eml', 'a@example.com')");
            QVERIFY(query.exec(insert.arg(QStringLiteral("old")).arg(now - 5 * kDayMs)));
            QVERIFY(query.exec(insert.arg(QStringLiteral("ahead")).arg(now + 100 * kDayMs)));
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 5")));
            query.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v5"));
        Store store(path, &clock);
        QVERIFY(store.open().ok());
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(2 * kDayMs - 1);
        QCOMPARE(due(store), QStringList());
        clock.advanceMs(1);
        QCOMPARE(due(store), QStringList{QStringLiteral("old")});
        clock.advanceMs(5 * kDayMs - 1);
        QCOMPARE(due(store), QStringList{QStringLiteral("old")});
        clock.advanceMs(1);
        QCOMPARE(due(store), (QStringList{QStringLiteral("ahead"), QStringLiteral("old")}));
    }

    // Delete and Keep do not look at time at all.
    // A deferred delivery's next attempt and a refused message's next try were set by the
    // wall clock; a clock set back afterwards must not hold them for as long as it went back
    // (a year: mail stranded in the spool, a message left on the provider).
    void clockSetBackHoldsNothing_data()
    {
        QTest::addColumn<qint64>("backMs");
        QTest::addColumn<bool>("due");
        QTest::newRow("set-back-a-year") << 365 * kDayMs << true;
        QTest::newRow("set-back-2-days") << 2 * kDayMs << true;
        QTest::newRow("not-set-back") << qint64(0) << false;
    }
    void clockSetBackHoldsNothing()
    {
        QFETCH(qint64, backMs);
        QFETCH(bool, due);
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        QVERIFY(store.recordSpooled(kAccount, {msg(QStringLiteral("m"))}).ok());
        QList<DeliveryItem> queue;
        QVERIFY(store.dueDeliveries(10, queue).ok());
        QCOMPARE(queue.size(), 1);
        // The longest backoff there is: 4 hours.
        QVERIFY(store.markDeferred(queue.first().id, QStringLiteral("451 later"),
                                   clock.now().addSecs(4 * 3600))
                    .ok());
        RetrievalRefusal refusal;
        QVERIFY(store.recordRefusal(kAccount, QStringLiteral("r"), QStringLiteral("refused"),
                                    30 * 60 * 1000, refusal)
                    .ok());
        clock.jumpWallMs(-backMs);
        QVERIFY(store.dueDeliveries(10, queue).ok());
        QCOMPARE(queue.size(), due ? 1 : 0);
        QDateTime next;
        QVERIFY(store.nextDeferredAt(next).ok());
        QVERIFY(!next.isNull());
        QCOMPARE(next <= clock.now(), due);
        QList<RetrievalRefusal> waiting;
        QVERIFY(store.refusalsWaiting(kAccount, waiting).ok());
        QCOMPARE(waiting.size(), due ? 0 : 1);
    }

    void deleteAndKeepIgnoreTheClock()
    {
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        QVERIFY(store.recordSpooled(kAccount, {msg(QStringLiteral("m"))}).ok());
        clock.jumpWallDays(-1000);
        const QSet<QString> onServer{QStringLiteral("m")};
        QStringList out;
        QVERIFY(store.removalCandidates(kAccount, Retention::Delete, 7, onServer, out).ok());
        QCOMPARE(out, QStringList{QStringLiteral("m")});
        clock.jumpWallDays(5000);
        QVERIFY(store.removalCandidates(kAccount, Retention::Keep, 7, onServer, out).ok());
        QCOMPARE(out, QStringList());
    }
};

QTEST_GUILESS_MAIN(TestRetentionClock)
#include "tst_retentionclock.moc"
