// Schema 9: From and Subject recorded with a collected message, the time of a refusal, and
// the activity window's history (collected, delivered, refused per local day).
#include "ManualClock.h"
#include "store/ActivityQueries.h"
#include "store/Store.h"
#include "store/StoreSchema.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace pollux;

namespace {

const QString A = QStringLiteral("alpha");
const QString B = QStringLiteral("beta");

// Every row of a query (first column), on its own connection.
QStringList rawColumn(const QString &path, const QString &sql, int column = 0)
{
    static int counter = 0;
    const QString name = QStringLiteral("raw-history-") + QString::number(++counter);
    QStringList out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(sql)) {
                while (query.next())
                    out << query.value(column).toString();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

// A database as schema version 8 left it, with the statements run on it.
bool makeVersion8(const QString &path, const QStringList &statements)
{
    bool ok = true;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v8"));
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery query(db);
        for (int step = 0; ok && step < 8; ++step) {
            for (const QString &statement : schemaMigrations().at(step))
                ok = ok && query.exec(statement);
        }
        for (const QString &statement : statements)
            ok = ok && query.exec(statement);
        ok = ok && query.exec(QStringLiteral("PRAGMA user_version = 8"));
        query.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v8"));
    return ok;
}

DayCounts counts(int collected, int delivered, int refused)
{
    DayCounts d;
    d.collected = collected;
    d.delivered = delivered;
    d.refused = refused;
    return d;
}

} // namespace

namespace QTest {
template <> char *toString(const DayCounts &d)
{
    const QByteArray text = "collected " + QByteArray::number(d.collected) + ", delivered " +
                            QByteArray::number(d.delivered) + ", refused " +
                            QByteArray::number(d.refused);
    return qstrdup(text.constData());
}
} // namespace QTest

class TestStoreHistory : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fromAndSubjectAreRecorded();
    void refusalTimeIsRecordedAndKept();
    void perDayCounts();
    void perAccountAndTotals();
    void windowEdges();
    void localDayBoundary();
    void historyUsesTheIndexes();
    void upgradeFrom8KeepsMessages();
    void version8DatabaseHasNoHistory();

private:
    QDateTime berlin(int month, int day, int h, int m, int s = 0, int ms = 0) const
    {
        return QDateTime(QDate(2026, month, day), QTime(h, m, s, ms), m_zone);
    }
    // Collects `uid` for `account` at `when`.
    void collect(Store &store, const QString &account, const QString &uid, const QDateTime &when,
                 MessageKind kind = MessageKind::Collected);
    qint64 idOf(Store &store, const QString &account, const QString &uid);

    QTemporaryDir m_dir;
    QTimeZone m_zone;
    QString m_db; // the prepared database of the history cases
    ManualClock m_clock;
};

void TestStoreHistory::collect(Store &store, const QString &account, const QString &uid,
                               const QDateTime &when, MessageKind kind)
{
    m_clock.set(when);
    SpooledMessage m;
    m.uid = uid;
    m.size = 10;
    m.spoolPath = account + QLatin1Char('/') + uid + QStringLiteral(".eml");
    m.recipients << QStringLiteral("desk@example.org");
    m.kind = kind;
    QVERIFY(store.recordSpooled(account, {m}).ok());
}

qint64 TestStoreHistory::idOf(Store &store, const QString &account, const QString &uid)
{
    QList<MessageRecord> records;
    if (!store.messages(account, records).ok())
        return 0;
    for (const MessageRecord &r : std::as_const(records)) {
        if (r.uid == uid)
            return r.id;
    }
    return 0;
}

// A month with a change to summer time (Berlin, 29 March 2026: a day of 23 hours), days
// 2 to 31 March charted. Day index i is 2 March + i.
void TestStoreHistory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_zone = QTimeZone("Europe/Berlin");
    QVERIFY(m_zone.isValid());
    m_db = m_dir.filePath(QStringLiteral("history.db"));
    Store store(m_db, &m_clock);
    QVERIFY(store.open().ok());
    collect(store, A, QStringLiteral("before"), berlin(3, 1, 23, 59, 59, 999)); // not charted
    collect(store, A, QStringLiteral("first"), berlin(3, 2, 0, 0));             // day 0
    collect(store, A, QStringLiteral("late-10th"), berlin(3, 10, 23, 30));      // day 8
    collect(store, A, QStringLiteral("early-11th"), berlin(3, 11, 0, 30));      // day 9
    collect(store, B, QStringLiteral("b1"), berlin(3, 11, 12, 0));              // day 9
    collect(store, B, QStringLiteral("b2"), berlin(3, 11, 12, 0));              // day 9
    collect(store, B, QStringLiteral("b1#postmaster"), berlin(3, 11, 12, 1),
            MessageKind::PostmasterCopy); // made by Pollux: not counted
    collect(store, A, QStringLiteral("refused"), berlin(3, 14, 10, 0));      // day 12
    collect(store, A, QStringLiteral("summer-eve"), berlin(3, 29, 23, 30));  // day 27
    collect(store, A, QStringLiteral("after-summer"), berlin(3, 30, 0, 10)); // day 28
    collect(store, A, QStringLiteral("last"), berlin(3, 31, 23, 59, 59));    // day 29
    collect(store, A, QStringLiteral("after"), berlin(4, 1, 0, 0));          // not charted

    m_clock.set(berlin(3, 11, 12, 5));
    QVERIFY(store.markDelivered(idOf(store, B, QStringLiteral("b1")), QStringLiteral("250")).ok());
    QVERIFY(
        store.markDelivered(idOf(store, B, QStringLiteral("b1#postmaster")), QStringLiteral("250"))
            .ok());
    m_clock.set(berlin(3, 12, 9, 0));
    QVERIFY(store.markDelivered(idOf(store, A, QStringLiteral("early-11th")), QStringLiteral("250"))
                .ok()); // day 10
    m_clock.set(berlin(3, 15, 8, 0));
    QVERIFY(store
                .markFailed(idOf(store, A, QStringLiteral("refused")), QStringLiteral("550"),
                            QStringLiteral("quarantine/BADMAIL/r.eml"))
                .ok()); // day 13
}

void TestStoreHistory::fromAndSubjectAreRecorded()
{
    const QString path = m_dir.filePath(QStringLiteral("headers.db"));
    Store store(path, &m_clock);
    QVERIFY(store.open().ok());
    SpooledMessage m;
    m.uid = QStringLiteral("1");
    m.spoolPath = QStringLiteral("a/1.eml");
    m.from = QStringLiteral("Anna Müller <anna@example.org>");
    m.subject = QStringLiteral("Grüße");
    SpooledMessage none;
    none.uid = QStringLiteral("2");
    none.spoolPath = QStringLiteral("a/2.eml");
    QVERIFY(store.recordSpooled(A, {m, none}).ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(A, records).ok());
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).from, m.from);
    QCOMPARE(records.at(0).subject, m.subject);
    QVERIFY(records.at(1).from.isEmpty());
    QVERIFY(records.at(1).subject.isEmpty());
    // Unknown is NULL, not an empty string.
    QCOMPARE(rawColumn(path, QStringLiteral("SELECT COUNT(*) FROM messages WHERE header_from IS "
                                            "NULL AND header_subject IS NULL")),
             QStringList{QStringLiteral("1")});
    // The activity window's connection reads them too, and searches them.
    ActivityQueries queries(path);
    QVERIFY(queries.open().ok());
    QList<MessageRecord> found;
    QVERIFY(queries.recentMessages(10, QStringLiteral("müller"), found).ok());
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().subject, QStringLiteral("Grüße"));
    QVERIFY(queries.recentMessages(10, QStringLiteral("Grüße"), found).ok());
    QCOMPARE(found.size(), 1);
}

void TestStoreHistory::refusalTimeIsRecordedAndKept()
{
    const QString path = m_dir.filePath(QStringLiteral("refusal.db"));
    Store store(path, &m_clock);
    QVERIFY(store.open().ok());
    collect(store, A, QStringLiteral("r"), berlin(5, 1, 10, 0));
    const qint64 id = idOf(store, A, QStringLiteral("r"));
    m_clock.set(berlin(5, 2, 11, 0));
    QVERIFY(store.markFailed(id, QStringLiteral("550"), QString()).ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(A, records).ok());
    QCOMPARE(records.first().refusedAt, berlin(5, 2, 11, 0));
    // Sent again and delivered: it was still refused on the 2nd.
    m_clock.set(berlin(5, 3, 9, 0));
    QVERIFY(store.requeue(id).ok());
    QVERIFY(store.markDelivered(id, QStringLiteral("250")).ok());
    QVERIFY(store.messages(A, records).ok());
    QCOMPARE(records.first().refusedAt, berlin(5, 2, 11, 0));
    QCOMPARE(records.first().deliveredAt, berlin(5, 3, 9, 0));
    ActivityQueries queries(path);
    QVERIFY(queries.open().ok());
    ActivityHistory h;
    QVERIFY(queries.history(QDate(2026, 5, 3), m_zone, 3, h).ok());
    QCOMPARE(h.days(A), QList<DayCounts>({counts(1, 0, 0), counts(0, 0, 1), counts(0, 1, 0)}));
}

void TestStoreHistory::perDayCounts()
{
    ActivityQueries queries(m_db);
    QVERIFY(queries.open().ok());
    ActivityHistory h;
    QVERIFY(queries.history(QDate(2026, 3, 31), m_zone, ActivityQueries::kHistoryDays, h).ok());
    QCOMPARE(h.dayCount, 30);
    QCOMPARE(h.firstDay, QDate(2026, 3, 2));
    QCOMPARE(h.lastDay(), QDate(2026, 3, 31));
    const QList<DayCounts> all = h.days();
    QCOMPARE(all.size(), 30);
    QList<DayCounts> expected(30);
    expected[0] = counts(1, 0, 0);
    expected[8] = counts(1, 0, 0);
    expected[9] = counts(3, 1, 0); // alpha's early-11th, beta's b1 and b2; b1 delivered
    expected[10] = counts(0, 1, 0);
    expected[12] = counts(1, 0, 0);
    expected[13] = counts(0, 0, 1);
    expected[27] = counts(1, 0, 0);
    expected[28] = counts(1, 0, 0);
    expected[29] = counts(1, 0, 0);
    for (int i = 0; i < 30; ++i) {
        QVERIFY2(all.at(i) == expected.at(i),
                 qPrintable(QStringLiteral("day %1 (%2)")
                                .arg(i)
                                .arg(h.firstDay.addDays(i).toString(Qt::ISODate))));
    }
    // Days with nothing are there, as zeros.
    QCOMPARE(all.at(5), DayCounts());
}

void TestStoreHistory::perAccountAndTotals()
{
    ActivityQueries queries(m_db);
    QVERIFY(queries.open().ok());
    ActivityHistory h;
    QVERIFY(queries.history(QDate(2026, 3, 31), m_zone, 30, h).ok());
    QCOMPARE(h.accounts.keys(), QStringList({A, B}));
    QCOMPARE(h.days(B).at(9), counts(2, 1, 0)); // the postmaster copy is not counted
    QCOMPARE(h.days(A).at(9), counts(1, 0, 0));
    QCOMPARE(h.totals(A), counts(7, 1, 1));
    QCOMPARE(h.totals(B), counts(2, 1, 0));
    QCOMPARE(h.totals(), counts(9, 2, 1));
    // An account without anything in these days: zeros, not an empty list.
    QCOMPARE(h.days(QStringLiteral("nobody")), QList<DayCounts>(30));
    QCOMPARE(h.totals(QStringLiteral("nobody")), DayCounts());
}

// The first day starts at its local midnight; the last ends before the next one.
void TestStoreHistory::windowEdges()
{
    ActivityQueries queries(m_db);
    QVERIFY(queries.open().ok());
    ActivityHistory h;
    // One day later: "first" (2 March) drops out, "after" (1 April, 00:00) comes in.
    QVERIFY(queries.history(QDate(2026, 4, 1), m_zone, 30, h).ok());
    QCOMPARE(h.firstDay, QDate(2026, 3, 3));
    QCOMPARE(h.totals(A), counts(7, 1, 1));
    QCOMPARE(h.days(A).constFirst(), DayCounts());
    QCOMPARE(h.days(A).constLast(), counts(1, 0, 0));
    // One day earlier: "before" (1 March, 23:59:59.999) comes in, "last" drops out.
    QVERIFY(queries.history(QDate(2026, 3, 30), m_zone, 30, h).ok());
    QCOMPARE(h.firstDay, QDate(2026, 3, 1));
    QCOMPARE(h.days(A).at(0), counts(1, 0, 0));
    QCOMPARE(h.days(A).at(1), counts(1, 0, 0));
    QCOMPARE(h.totals(A), counts(7, 1, 1));
    // Nothing asked: an error, nothing read.
    QVERIFY(!queries.history(QDate(), m_zone, 30, h).ok());
    QVERIFY(!queries.history(QDate(2026, 3, 30), m_zone, 0, h).ok());
}

// Days are local days: 23:30 and 00:30 in Berlin are two days there, one day in UTC;
// the day clocks go forward has 23 hours.
void TestStoreHistory::localDayBoundary()
{
    ActivityQueries queries(m_db);
    QVERIFY(queries.open().ok());
    ActivityHistory h;
    QVERIFY(queries.history(QDate(2026, 3, 31), m_zone, 30, h).ok());
    QCOMPARE(h.days(A).at(8), counts(1, 0, 0));  // 10 March, 23:30
    QCOMPARE(h.days(A).at(9), counts(1, 0, 0));  // 11 March, 00:30
    QCOMPARE(h.days(A).at(27), counts(1, 0, 0)); // 29 March (23 hours), 23:30
    QCOMPARE(h.days(A).at(28), counts(1, 0, 0)); // 30 March, 00:10
    QVERIFY(queries.history(QDate(2026, 3, 31), QTimeZone::utc(), 30, h).ok());
    QCOMPARE(h.days(A).at(8), counts(2, 0, 0)); // 22:30 and 23:30 UTC on 10 March
    QCOMPARE(h.days(A).at(9), DayCounts());
    QCOMPARE(h.days(A).at(27), counts(2, 0, 0)); // 21:30 and 22:10 UTC on 29 March
    // In UTC "first" (2 March 00:00 Berlin) was 1 March, 23:00; "last" falls on
    // the 31st at 21:59:59 UTC, "after" at 22:00 UTC.
    QCOMPARE(h.days(A).at(0), DayCounts());
    QCOMPARE(h.days(A).at(29), counts(2, 0, 0));
}

// A range of days is counted from an index alone (the window never scans a big table, nor
// reads the rows of the days).
void TestStoreHistory::historyUsesTheIndexes()
{
    for (const QString &column : {QStringLiteral("first_seen"), QStringLiteral("delivered_at"),
                                  QStringLiteral("refused_at")}) {
        const QStringList plan = rawColumn(
            m_db,
            QStringLiteral("EXPLAIN QUERY PLAN SELECT account, COUNT(*) FROM messages WHERE ") +
                column + QStringLiteral(" >= 1 AND ") + column +
                QStringLiteral(" < 2 AND kind = 0 GROUP BY account"),
            3);
        QVERIFY2(
            plan.join(QLatin1Char(' ')).contains(QStringLiteral("USING COVERING INDEX messages_")),
            qPrintable(plan.join(QStringLiteral("; "))));
    }
}

// Schema 8 to 9: every message stays; From and Subject of old messages are unknown; an old
// refusal counts from the time it was collected.
void TestStoreHistory::upgradeFrom8KeepsMessages()
{
    const QString path = m_dir.filePath(QStringLiteral("v8.db"));
    const qint64 collected = berlin(3, 20, 10, 0).toMSecsSinceEpoch();
    const qint64 delivered = berlin(3, 21, 10, 0).toMSecsSinceEpoch();
    QVERIFY(makeVersion8(
        path, {QStringLiteral("INSERT INTO messages (account, uid, size, first_seen, spool_path, "
                              "recipients, state, delivered_at) VALUES ('alpha', 'd', 10, %1, "
                              "'alpha/d.eml', 'a@example.com', 2, %2)")
                   .arg(collected)
                   .arg(delivered),
               QStringLiteral("INSERT INTO messages (account, uid, size, first_seen, spool_path, "
                              "recipients, state) VALUES ('alpha', 'f', 20, %1, "
                              "'quarantine/BADMAIL/f.eml', 'a@example.com', 3)")
                   .arg(collected)}));
    {
        Store store(path, &m_clock);
        const Result r = store.open();
        QVERIFY2(r.ok(), qPrintable(r.message()));
        QVERIFY(Store::schemaVersion() >= 9);
        QCOMPARE(rawColumn(path, QStringLiteral("PRAGMA user_version")),
                 QStringList{QString::number(Store::schemaVersion())});
        QList<MessageRecord> records;
        QVERIFY(store.messages(A, records).ok());
        QCOMPARE(records.size(), 2);
        QCOMPARE(records.at(0).uid, QStringLiteral("d"));
        QCOMPARE(records.at(0).state, DeliveryState::Delivered);
        QCOMPARE(records.at(0).deliveredAt.toMSecsSinceEpoch(), delivered);
        QVERIFY(records.at(0).refusedAt.isNull());
        QCOMPARE(records.at(1).uid, QStringLiteral("f"));
        QCOMPARE(records.at(1).size, 20);
        QCOMPARE(records.at(1).spoolPath, QStringLiteral("quarantine/BADMAIL/f.eml"));
        QCOMPARE(records.at(1).refusedAt.toMSecsSinceEpoch(), collected);
        for (const MessageRecord &m : std::as_const(records)) {
            QVERIFY(m.from.isEmpty());
            QVERIFY(m.subject.isEmpty());
        }
        QSet<QString> uids;
        QVERIFY(store.knownUids(A, uids).ok());
        QCOMPARE(uids, QSet<QString>({QStringLiteral("d"), QStringLiteral("f")}));
        // New messages record From and Subject in the upgraded file.
        SpooledMessage m;
        m.uid = QStringLiteral("new");
        m.spoolPath = QStringLiteral("alpha/new.eml");
        m.subject = QStringLiteral("after the upgrade");
        QVERIFY(store.recordSpooled(A, {m}).ok());
        QVERIFY(store.messages(A, records).ok());
        QCOMPARE(records.constLast().subject, QStringLiteral("after the upgrade"));
    }
    ActivityQueries queries(path);
    QVERIFY(queries.open().ok());
    ActivityHistory h;
    QVERIFY(queries.history(QDate(2026, 3, 21), m_zone, 2, h).ok());
    QCOMPARE(h.days(A), QList<DayCounts>({counts(2, 0, 1), counts(0, 1, 0)}));
}

// The window's read-only connection cannot upgrade a file: an older program's database
// has no history, and its messages are read without From and Subject.
void TestStoreHistory::version8DatabaseHasNoHistory()
{
    const QString path = m_dir.filePath(QStringLiteral("old-service.db"));
    QVERIFY(makeVersion8(
        path,
        {QStringLiteral("INSERT INTO messages (account, uid, size, first_seen, spool_path, "
                        "recipients) VALUES ('alpha', 'x', 10, 1, 'alpha/x.eml', 'a@b.c')")}));
    ActivityQueries queries(path);
    QVERIFY(queries.open().ok());
    ActivityHistory h;
    QVERIFY(queries.history(QDate(2026, 3, 31), m_zone, 30, h).ok());
    QCOMPARE(h.dayCount, 30);
    QVERIFY(h.accounts.isEmpty());
    QList<MessageRecord> found;
    QVERIFY(queries.recentMessages(10, QStringLiteral("alpha"), found).ok());
    QCOMPARE(found.size(), 1);
    QVERIFY(found.first().subject.isEmpty());
}

QTEST_GUILESS_MAIN(TestStoreHistory)
#include "tst_store_history.moc"
