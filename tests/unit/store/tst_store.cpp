#include "ManualClock.h"
#include "store/Store.h"
#include "store/StoreSchema.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace pollux;

namespace {

SpooledMessage msg(const QString &uid, const QStringList &recipients = {})
{
    return SpooledMessage{uid, 100, QStringLiteral("acct/") % uid % QStringLiteral(".eml"),
                          recipients.isEmpty() ? QStringList{QStringLiteral("a@example.com")}
                                               : recipients};
}

// Runs one query on its own connection, outside the Store under test.
QVariant rawQuery(const QString &path, const QString &sql)
{
    static int counter = 0;
    const QString name = QStringLiteral("raw-") % QString::number(++counter);
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(sql) && query.next())
                value = query.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

QSet<QString> set(const QStringList &list)
{
    return QSet<QString>(list.cbegin(), list.cend());
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ManualClock m_clock;
    QString dbPath(const QString &name = QStringLiteral("pollux.db")) const
    {
        return m_dir.filePath(QString::number(++m_count) % QLatin1Char('-') % name);
    }
    mutable int m_count = 0;

private slots:
    void createAndReopen()
    {
        const QString path = dbPath();
        {
            Store store(path, &m_clock);
            QVERIFY2(store.open().ok(), "first open");
            QVERIFY(store.recordSpooled(QStringLiteral("home"), {msg(QStringLiteral("u1"))}).ok());
        }
        QCOMPARE(rawQuery(path, QStringLiteral("PRAGMA user_version")).toInt(),
                 Store::schemaVersion());
        Store again(path, &m_clock);
        QVERIFY(again.open().ok());
        QList<MessageRecord> records;
        QVERIFY(again.messages(QStringLiteral("home"), records).ok());
        QCOMPARE(records.size(), 1);
        QCOMPARE(records[0].uid, QStringLiteral("u1"));
        QCOMPARE(records[0].firstSeen, m_clock.now());
        QCOMPARE(records[0].recipients, QStringList{QStringLiteral("a@example.com")});
        QCOMPARE(records[0].state, DeliveryState::Waiting);
        QVERIFY(records[0].removedAt.isNull());
    }

    void upgradeFromEmptyFile()
    {
        const QString path = dbPath();
        QFile empty(path);
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        Store store(path, &m_clock);
        const Result r = store.open();
        QVERIFY2(r.ok(), qPrintable(r.message()));
        QCOMPARE(rawQuery(path, QStringLiteral("PRAGMA user_version")).toInt(),
                 Store::schemaVersion());
        QCOMPARE(rawQuery(path, QStringLiteral("PRAGMA journal_mode")).toString(),
                 QStringLiteral("wal"));
        QVERIFY(rawQuery(path, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE "
                                              "name IN ('messages', 'passes', 'messages_queue')"))
                    .toInt() == 3);
    }

    void newerSchemaIsRefused()
    {
        const QString path = dbPath();
        rawQuery(path, QStringLiteral("PRAGMA user_version = 99"));
        Store store(path, &m_clock);
        const Result r = store.open();
        QCOMPARE(r.code(), ErrorCode::Storage);
        QVERIFY2(r.message().contains(path), qPrintable(r.message()));
        QCOMPARE(rawQuery(path, QStringLiteral("PRAGMA user_version")).toInt(), 99);
        QSet<QString> uids;
        QCOMPARE(store.knownUids(QStringLiteral("x"), uids).code(), ErrorCode::Storage);
    }

    void notOpenIsAnError()
    {
        Store store(dbPath(), &m_clock);
        QSet<QString> uids;
        QCOMPARE(store.knownUids(QStringLiteral("x"), uids).code(), ErrorCode::Storage);
        QCOMPARE(store.recordSpooled(QStringLiteral("x"), {msg(QStringLiteral("1"))}).code(),
                 ErrorCode::Storage);
    }

    void knownUidsPerAccount()
    {
        Store store(dbPath(), &m_clock);
        QVERIFY(store.open().ok());
        QVERIFY(store
                    .recordSpooled(QStringLiteral("a"),
                                   {msg(QStringLiteral("1")), msg(QStringLiteral("2"))})
                    .ok());
        QVERIFY(store.recordSpooled(QStringLiteral("b"), {msg(QStringLiteral("1"))}).ok());
        QSet<QString> uids;
        QVERIFY(store.knownUids(QStringLiteral("a"), uids).ok());
        QCOMPARE(uids, set({QStringLiteral("1"), QStringLiteral("2")}));
        QVERIFY(store.knownUids(QStringLiteral("b"), uids).ok());
        QCOMPARE(uids, set({QStringLiteral("1")}));
        QVERIFY(store.knownUids(QStringLiteral("nobody"), uids).ok());
        QVERIFY(uids.isEmpty());
    }

    void knownUidsLarge()
    {
        Store store(dbPath(), &m_clock);
        QVERIFY(store.open().ok());
        QList<SpooledMessage> batch;
        for (int i = 0; i < 20000; ++i)
            batch.append(msg(QStringLiteral("uid-") % QString::number(i)));
        QVERIFY(store.recordSpooled(QStringLiteral("big"), batch).ok());
        QVERIFY(store.recordSpooled(QStringLiteral("other"), {msg(QStringLiteral("x"))}).ok());
        QElapsedTimer timer;
        timer.start();
        QSet<QString> uids;
        QVERIFY(store.knownUids(QStringLiteral("big"), uids).ok());
        // One indexed query: a few ms here; the bound only catches a per-row query.
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(uids.size(), 20000);
        QVERIFY(uids.contains(QStringLiteral("uid-19999")));
    }

    void duplicateFailsWholeBatch_data()
    {
        QTest::addColumn<QStringList>("batch");
        QTest::newRow("duplicate-of-recorded")
            << QStringList{QStringLiteral("n1"), QStringLiteral("old"), QStringLiteral("n2")};
        QTest::newRow("duplicate-within-batch")
            << QStringList{QStringLiteral("n1"), QStringLiteral("n2"), QStringLiteral("n1")};
        QTest::newRow("duplicate-first")
            << QStringList{QStringLiteral("old"), QStringLiteral("n1")};
    }
    void duplicateFailsWholeBatch()
    {
        QFETCH(QStringList, batch);
        Store store(dbPath(), &m_clock);
        QVERIFY(store.open().ok());
        QVERIFY(store.recordSpooled(QStringLiteral("a"), {msg(QStringLiteral("old"))}).ok());
        QList<SpooledMessage> messages;
        for (const QString &uid : std::as_const(batch))
            messages.append(msg(uid));
        const Result r = store.recordSpooled(QStringLiteral("a"), messages);
        QCOMPARE(r.code(), ErrorCode::Storage);
        QVERIFY2(r.message().contains(QLatin1String("duplicate")), qPrintable(r.message()));
        QSet<QString> uids;
        QVERIFY(store.knownUids(QStringLiteral("a"), uids).ok());
        QCOMPARE(uids, set({QStringLiteral("old")}));
        // The store is still usable afterwards (the transaction was rolled back).
        QVERIFY(store.recordSpooled(QStringLiteral("a"), {msg(QStringLiteral("n1"))}).ok());
    }

    void removalCandidates_data()
    {
        QTest::addColumn<int>("retention");
        QTest::addColumn<int>("keepDays");
        QTest::addColumn<int>("daysLater");
        QTest::addColumn<QStringList>("expected");
        const QStringList both{QStringLiteral("old"), QStringLiteral("new")};
        QTest::newRow("delete-all") << int(Retention::Delete) << 7 << 0 << both;
        QTest::newRow("keep-none") << int(Retention::Keep) << 7 << 100 << QStringList();
        QTest::newRow("keep-days-none-yet") << int(Retention::KeepDays) << 7 << 0 << QStringList();
        QTest::newRow("keep-days-old-one-due")
            << int(Retention::KeepDays) << 7 << 5 << QStringList{QStringLiteral("old")};
        QTest::newRow("keep-days-both-due") << int(Retention::KeepDays) << 7 << 30 << both;
    }
    void removalCandidates()
    {
        QFETCH(int, retention);
        QFETCH(int, keepDays);
        QFETCH(int, daysLater);
        QFETCH(QStringList, expected);
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        const QString a = QStringLiteral("a");
        // "old" first seen 2 days before "new"; "gone" was removed; "deleted-elsewhere" is
        // recorded but no longer on the server.
        QVERIFY(store
                    .recordSpooled(a, {msg(QStringLiteral("old")), msg(QStringLiteral("gone")),
                                       msg(QStringLiteral("deleted-elsewhere"))})
                    .ok());
        QVERIFY(store.markRemoved(a, {QStringLiteral("gone")}).ok());
        clock.advanceDays(2);
        QVERIFY(store.recordSpooled(a, {msg(QStringLiteral("new"))}).ok());
        QVERIFY(store.recordSpooled(QStringLiteral("b"), {msg(QStringLiteral("other"))}).ok());
        clock.advanceDays(daysLater);
        const QSet<QString> onServer{QStringLiteral("old"), QStringLiteral("new"),
                                     QStringLiteral("gone"), QStringLiteral("other"),
                                     QStringLiteral("unknown")};
        QStringList out;
        QVERIFY(store.removalCandidates(a, Retention(retention), keepDays, onServer, out).ok());
        QCOMPARE(set(out), set(expected));
    }

    void keepDaysBoundaryIsInclusive()
    {
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        QVERIFY(store.recordSpooled(QStringLiteral("a"), {msg(QStringLiteral("m"))}).ok());
        const QSet<QString> onServer{QStringLiteral("m")};
        QStringList out;
        clock.advanceMs(qint64(3) * 24 * 3600 * 1000 - 1);
        QVERIFY(store.removalCandidates(QStringLiteral("a"), Retention::KeepDays, 3, onServer, out)
                    .ok());
        QVERIFY(out.isEmpty());
        clock.advanceMs(1);
        QVERIFY(store.removalCandidates(QStringLiteral("a"), Retention::KeepDays, 3, onServer, out)
                    .ok());
        QCOMPARE(out, QStringList{QStringLiteral("m")});
    }

    void markRemovedAndVanished()
    {
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        const QString a = QStringLiteral("a");
        QVERIFY(store
                    .recordSpooled(a, {msg(QStringLiteral("1")), msg(QStringLiteral("2")),
                                       msg(QStringLiteral("3"))})
                    .ok());
        QVERIFY(store.recordSpooled(QStringLiteral("b"), {msg(QStringLiteral("1"))}).ok());
        clock.advanceSecs(10);
        const QDateTime removedTime = clock.now();
        QVERIFY(store.markRemoved(a, {QStringLiteral("1"), QStringLiteral("nope")}).ok());
        clock.advanceSecs(10);
        // The server still lists 2 only: 3 vanished; 1 keeps its earlier removal time.
        QVERIFY(store.markVanished(a, {QStringLiteral("2")}).ok());
        QList<MessageRecord> records;
        QVERIFY(store.messages(a, records).ok());
        QCOMPARE(records.size(), 3);
        QCOMPARE(records[0].removedAt, removedTime);
        QVERIFY(records[1].removedAt.isNull());
        QCOMPARE(records[2].removedAt, clock.now());
        QVERIFY(store.messages(QStringLiteral("b"), records).ok());
        QVERIFY(records[0].removedAt.isNull());
        // Removed UIDs stay known: they must never be collected again.
        QSet<QString> uids;
        QVERIFY(store.knownUids(a, uids).ok());
        QCOMPARE(uids.size(), 3);
        QVERIFY(store.messages(QString(), records).ok());
        QCOMPARE(records.size(), 4);
    }

    // Schema 5: refusals counted per account and UID, each pushing the next try further out;
    // a row goes when the message is recorded or no longer listed.
    void retrievalRefusals_data()
    {
        QTest::addColumn<int>("times");       // refusals recorded, 300 s apart in the pass clock
        QTest::addColumn<qint64>("waitSecs"); // after the last: not asked for before this
        QTest::newRow("once") << 1 << qint64(150);
        QTest::newRow("twice") << 2 << qint64(450);
        QTest::newRow("four-times") << 4 << qint64(2250);
    }
    void retrievalRefusals()
    {
        QFETCH(int, times);
        QFETCH(qint64, waitSecs);
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        const QString a = QStringLiteral("a");
        const QString uid = QStringLiteral("u1");
        RetrievalRefusal r;
        for (int i = 0; i < times; ++i) {
            if (i > 0)
                clock.advanceSecs(300);
            QVERIFY(store.recordRefusal(a, uid, QStringLiteral("-ERR broken"), 300000, r).ok());
        }
        QVERIFY(store.recordRefusal(QStringLiteral("b"), uid, QStringLiteral("x"), 300000, r).ok());
        QList<RetrievalRefusal> all;
        QVERIFY(store.refusals(a, all).ok());
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().refusals, times);
        QCOMPARE(all.first().reason, QStringLiteral("-ERR broken"));
        QCOMPARE(all.first().lastRefused, clock.now());
        QCOMPARE(all.first().notBefore, clock.now().addSecs(waitSecs));
        QList<RetrievalRefusal> waiting;
        clock.advanceMs(waitSecs * 1000 - 1);
        QVERIFY(store.refusalsWaiting(a, waiting).ok());
        QCOMPARE(waiting.size(), 1);
        clock.advanceMs(1);
        QVERIFY(store.refusalsWaiting(a, waiting).ok());
        QVERIFY(waiting.isEmpty()); // due now; the record stays until it is collected
        QVERIFY(store.refusals(a, all).ok());
        QCOMPARE(all.size(), 1);
        // Collected: the record goes, in the same transaction.
        QVERIFY(store.recordSpooled(a, {msg(uid)}).ok());
        QVERIFY(store.refusals(a, all).ok());
        QVERIFY(all.isEmpty());
        // No longer listed: forgotten; other accounts keep theirs.
        QVERIFY(store.recordRefusal(a, QStringLiteral("u2"), QString(), 300000, r).ok());
        QVERIFY(store.forgetRefusals(a, {QStringLiteral("u3")}).ok());
        QVERIFY(store.refusals(a, all).ok());
        QVERIFY(all.isEmpty());
        QVERIFY(store.refusals(QStringLiteral("b"), all).ok());
        QCOMPARE(all.size(), 1);
    }

    void deliveryQueue()
    {
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        QVERIFY(store.recordSpooled(QStringLiteral("b"), {msg(QStringLiteral("first"))}).ok());
        clock.advanceSecs(1);
        QVERIFY(store
                    .recordSpooled(QStringLiteral("a"), {msg(QStringLiteral("second"),
                                                             {QStringLiteral("x@example.com"),
                                                              QStringLiteral("y@example.com")}),
                                                         msg(QStringLiteral("third"))})
                    .ok());
        QList<DeliveryItem> due;
        QVERIFY(store.dueDeliveries(10, due).ok());
        QCOMPARE(due.size(), 3);
        QCOMPARE(due[0].uid, QStringLiteral("first"));
        QCOMPARE(due[1].uid, QStringLiteral("second"));
        QCOMPARE(due[1].recipients.size(), 2);
        QCOMPARE(due[2].uid, QStringLiteral("third"));
        QVERIFY(store.dueDeliveries(2, due).ok());
        QCOMPARE(due.size(), 2);
        QVERIFY(store.dueDeliveries(10, due).ok());
        const qint64 first = due[0].id, second = due[1].id, third = due[2].id;

        QDateTime next;
        QVERIFY(store.nextDeferredAt(next).ok());
        QVERIFY(next.isNull());
        const QDateTime retryAt = clock.now().addSecs(300);
        QVERIFY(store.markDeferred(first, QStringLiteral("451 try later"), retryAt).ok());
        QVERIFY(store.markDelivered(second, QStringLiteral("250 ok")).ok());
        QVERIFY(store
                    .markFailed(third, QStringLiteral("552 too big"),
                                QStringLiteral("quarantine/TOOLARGE/t.eml"))
                    .ok());
        QVERIFY(store.nextDeferredAt(next).ok());
        QCOMPARE(next, retryAt);
        QVERIFY(store.dueDeliveries(10, due).ok());
        QVERIFY(due.isEmpty());
        clock.advanceSecs(299);
        QVERIFY(store.dueDeliveries(10, due).ok());
        QVERIFY(due.isEmpty());
        clock.advanceSecs(1);
        QVERIFY(store.dueDeliveries(10, due).ok());
        QCOMPARE(due.size(), 1);
        QCOMPARE(due[0].id, first);
        QCOMPARE(due[0].attempts, 1);

        QList<MessageRecord> records;
        QVERIFY(store.messages(QStringLiteral("a"), records).ok());
        QCOMPARE(records[0].state, DeliveryState::Delivered);
        QCOMPARE(records[0].lastReply, QStringLiteral("250 ok"));
        QVERIFY(records[0].deliveredAt.isValid());
        QCOMPARE(records[0].spoolPath, QStringLiteral("acct/second.eml"));
        QCOMPARE(records[1].state, DeliveryState::Failed);
        QCOMPARE(records[1].spoolPath, QStringLiteral("quarantine/TOOLARGE/t.eml"));

        QSet<QString> live;
        QVERIFY(store.liveSpoolPaths(live).ok());
        QCOMPARE(live, set({QStringLiteral("acct/first.eml"),
                            QStringLiteral("quarantine/TOOLARGE/t.eml")}));
        QCOMPARE(store.markDelivered(9999, QStringLiteral("250")).code(), ErrorCode::Storage);
    }

    void partialDeliveryAndUnreadableFile()
    {
        ManualClock clock;
        Store store(dbPath(), &clock);
        QVERIFY(store.open().ok());
        QVERIFY(store
                    .recordSpooled(QStringLiteral("a"),
                                   {msg(QStringLiteral("m"), {QStringLiteral("x@example.com"),
                                                              QStringLiteral("y@example.com")}),
                                    msg(QStringLiteral("lost"))})
                    .ok());
        QList<DeliveryItem> due;
        QVERIFY(store.dueDeliveries(0, due).ok()); // 0: no limit
        QCOMPARE(due.size(), 2);
        QVERIFY(store.setRecipients(due[0].id, {QStringLiteral("y@example.com")}).ok());
        QVERIFY(store.markDeferred(due[0].id, QStringLiteral("450 later"), QDateTime()).ok());
        // The file of "lost" could not be read: failed, but its path stays live (not orphaned).
        QVERIFY(store.markFailed(due[1].id, QStringLiteral("unreadable"), QString()).ok());
        QCOMPARE(store.setRecipients(12345, {}).code(), ErrorCode::Storage);
        QVERIFY(store.dueDeliveries(10, due).ok());
        QCOMPARE(due.size(), 1); // deferred without a time: due at once
        QCOMPARE(due[0].recipients, QStringList{QStringLiteral("y@example.com")});
        QSet<QString> live;
        QVERIFY(store.liveSpoolPaths(live).ok());
        QCOMPARE(live, set({QStringLiteral("acct/m.eml"), QStringLiteral("acct/lost.eml")}));
    }

    void passes()
    {
        const QString path = dbPath();
        ManualClock clock;
        Store store(path, &clock);
        QVERIFY(store.open().ok());
        qint64 id = 0;
        QVERIFY(store.beginPass(QStringLiteral("a"), id).ok());
        QVERIFY(id > 0);
        clock.advanceSecs(5);
        QVERIFY(
            store
                .finishPass(id, 3, Result::failure(ErrorCode::Timeout, QStringLiteral("no answer")))
                .ok());
        const QString where = QStringLiteral(" FROM passes WHERE id = ") % QString::number(id);
        QCOMPARE(rawQuery(path, QStringLiteral("SELECT finished - started") % where).toLongLong(),
                 5000);
        QCOMPARE(rawQuery(path, QStringLiteral("SELECT collected") % where).toInt(), 3);
        QCOMPARE(rawQuery(path, QStringLiteral("SELECT error_code") % where).toInt(),
                 int(ErrorCode::Timeout));
        QCOMPARE(store.finishPass(id + 100, 0, Result::success()).code(), ErrorCode::Storage);
    }

    void twoThreadsOneFile()
    {
        const QString path = dbPath();
        {
            Store init(path, &m_clock);
            QVERIFY(init.open().ok());
        }
        auto worker = [this, path](const QString &account, QString *error) {
            Store store(path, &m_clock);
            Result r = store.open();
            for (int batch = 0; r && batch < 100; ++batch) {
                QList<SpooledMessage> messages;
                for (int i = 0; i < 5; ++i)
                    messages.append(msg(QString::number(batch * 5 + i)));
                r = store.recordSpooled(account, messages);
                QSet<QString> uids;
                if (r)
                    r = store.knownUids(account, uids);
            }
            if (!r)
                *error = r.message();
        };
        QString errorA, errorB;
        std::unique_ptr<QThread> a(QThread::create(worker, QStringLiteral("a"), &errorA));
        std::unique_ptr<QThread> b(QThread::create(worker, QStringLiteral("b"), &errorB));
        a->start();
        b->start();
        QVERIFY(a->wait(QDeadlineTimer(120000)));
        QVERIFY(b->wait(QDeadlineTimer(120000)));
        QVERIFY2(errorA.isEmpty(), qPrintable(errorA));
        QVERIFY2(errorB.isEmpty(), qPrintable(errorB));
        QCOMPARE(rawQuery(path, QStringLiteral("SELECT count(*) FROM messages")).toInt(), 1000);
    }

    void corruptedFileIsReportedNotRecreated_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::newRow("garbage-header") << qint64(0);
        QTest::newRow("garbage-page-2") << qint64(4096);
        QTest::newRow("garbage-page-5") << qint64(4 * 4096);
    }
    void corruptedFileIsReportedNotRecreated()
    {
        QFETCH(qint64, offset);
        const QString path = dbPath();
        {
            Store store(path, &m_clock);
            QVERIFY(store.open().ok());
            QList<SpooledMessage> batch;
            for (int i = 0; i < 2000; ++i)
                batch.append(msg(QStringLiteral("uid-") % QString::number(i)));
            QVERIFY(store.recordSpooled(QStringLiteral("a"), batch).ok());
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.size() > offset + 4096);
        QVERIFY(file.seek(offset));
        file.write(QByteArray(4096, '\xA5'));
        file.close();
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray damaged = file.readAll();
        file.close();

        Store store(path, &m_clock);
        const Result r = store.open();
        QCOMPARE(r.code(), ErrorCode::Storage);
        QVERIFY2(r.message().contains(path), qPrintable(r.message()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), damaged);
    }

    // An index that no longer matches its table (the pages themselves are sound) is found
    // by the full integrity check; PRAGMA quick_check would call this file "ok".
    void indexOutOfStepWithItsTableIsReported()
    {
        const QString path = dbPath();
        {
            Store store(path, &m_clock);
            QVERIFY(store.open().ok());
            QList<SpooledMessage> batch;
            for (int i = 0; i < 50; ++i) {
                SpooledMessage m = msg(QStringLiteral("uid-") % QString::number(i));
                m.fingerprint = QStringLiteral("fp-") % QString::number(i);
                batch.append(m);
            }
            QVERIFY(store.recordSpooled(QStringLiteral("a"), batch).ok());
        }
        // Declare the fingerprint index over another column: its stored entries now
        // disagree with the rows, as after a bug or a bad copy.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                        QStringLiteral("rewrite-schema"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("PRAGMA writable_schema = ON")));
            QVERIFY(query.exec(QStringLiteral(
                "UPDATE sqlite_master SET sql = 'CREATE INDEX messages_fingerprint ON messages "
                "(account, uid)' WHERE name = 'messages_fingerprint'")));
            QCOMPARE(query.numRowsAffected(), 1);
            query.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("rewrite-schema"));
        QCOMPARE(rawQuery(path, QStringLiteral("PRAGMA quick_check")).toString(),
                 QStringLiteral("ok"));

        Store store(path, &m_clock);
        const Result r = store.open();
        QCOMPARE(r.code(), ErrorCode::Storage);
        QVERIFY2(r.message().contains(QLatin1String("damaged")), qPrintable(r.message()));
        QVERIFY2(r.message().contains(QLatin1String("messages_fingerprint")),
                 qPrintable(r.message()));
    }

    void waitingBytesCountsWhatAwaitsDelivery()
    {
        Store store(dbPath(), &m_clock);
        QVERIFY(store.open().ok());
        qint64 bytes = -1;
        QVERIFY(store.waitingBytes(bytes).ok());
        QCOMPARE(bytes, 0);
        QList<SpooledMessage> batch;
        for (int i = 0; i < 4; ++i) {
            SpooledMessage m = msg(QStringLiteral("w") % QString::number(i));
            m.size = 1000 * (i + 1); // 1000, 2000, 3000, 4000
            batch.append(m);
        }
        QVERIFY(store.recordSpooled(QStringLiteral("a"), batch).ok());
        QVERIFY(store.waitingBytes(bytes).ok());
        QCOMPARE(bytes, 10000);
        QList<DeliveryItem> due;
        QVERIFY(store.dueDeliveries(10, due).ok());
        QCOMPARE(due.size(), 4);
        QVERIFY(
            store.markDeferred(due[0].id, QStringLiteral("451"), m_clock.now().addSecs(60)).ok());
        QVERIFY(store.markDelivered(due[1].id, QStringLiteral("250")).ok());
        QVERIFY(store.markFailed(due[2].id, QStringLiteral("554"), QString()).ok());
        QVERIFY(store.waitingBytes(bytes).ok());
        QCOMPARE(bytes, 1000 + 4000); // deferred + waiting; delivered and refused are not
    }

    // --- schema 2: fingerprints and delivered Message-IDs ---

    void upgradeFromVersion1KeepsMessages()
    {
        const QString path = dbPath();
        {
            // A database exactly as schema version 1 left it, with one message.
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            for (const QString &statement : schemaMigrations().at(0))
                QVERIFY2(query.exec(statement), qPrintable(statement));
            QVERIFY(query.exec(QStringLiteral(
                "INSERT INTO messages (account, uid, size, first_seen, spool_path, recipients) "
                "VALUES ('home', '7:1', 10, 1, 'home/a.eml', 'a@example.com')")));
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 1")));
            query.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        Store store(path, &m_clock);
        const Result r = store.open();
        QVERIFY2(r.ok(), qPrintable(r.message()));
        QCOMPARE(rawQuery(path, QStringLiteral("PRAGMA user_version")).toInt(),
                 Store::schemaVersion());
        QSet<QString> uids;
        QVERIFY(store.knownUids(QStringLiteral("home"), uids).ok());
        QCOMPARE(uids, QSet<QString>{QStringLiteral("7:1")});
        QHash<QString, QString> fingerprints;
        QVERIFY(store.knownFingerprints(QStringLiteral("home"), fingerprints).ok());
        QVERIFY(fingerprints.isEmpty()); // recorded before fingerprints existed
        SpooledMessage m = msg(QStringLiteral("7:2"));
        m.fingerprint = QStringLiteral("<b@example.org>|100");
        QVERIFY(store.recordSpooled(QStringLiteral("home"), {m}).ok());
        QVERIFY(store.knownFingerprints(QStringLiteral("home"), fingerprints).ok());
        QCOMPARE(fingerprints.value(m.fingerprint), QStringLiteral("7:2"));
        qint64 delivered = -1;
        const QString x = QStringLiteral("<x>");
        QVERIFY(store
                    .deliveredCopy(x, QStringLiteral("d"), QStringLiteral("a@example.com"),
                                   m_clock.now(), delivered)
                    .ok());
        QCOMPARE(delivered, 0);
    }

    void fingerprintsAndRenamedUids()
    {
        Store store(dbPath(), &m_clock);
        QVERIFY(store.open().ok());
        const QString acct = QStringLiteral("home");
        QList<SpooledMessage> batch;
        for (int i = 1; i <= 3; ++i) {
            SpooledMessage m = msg(QStringLiteral("1:%1").arg(i));
            if (i < 3)
                m.fingerprint = QStringLiteral("<%1@x>|100").arg(i);
            batch << m;
        }
        QVERIFY(store.recordSpooled(acct, batch).ok());
        SpooledMessage other = msg(QStringLiteral("1:1"));
        other.fingerprint = QStringLiteral("<1@x>|100");
        QVERIFY(store.recordSpooled(QStringLiteral("other"), {other}).ok());

        QHash<QString, QString> fps;
        QVERIFY(store.knownFingerprints(acct, fps).ok());
        QCOMPARE(fps.size(), 2);
        QCOMPARE(fps.value(QStringLiteral("<2@x>|100")), QStringLiteral("1:2"));

        // Renamed in place: same row, same state and first_seen, new UID.
        QVERIFY(store.renameUid(acct, QStringLiteral("1:2"), QStringLiteral("9:5")).ok());
        QSet<QString> uids;
        QVERIFY(store.knownUids(acct, uids).ok());
        QCOMPARE(uids, set({QStringLiteral("1:1"), QStringLiteral("9:5"), QStringLiteral("1:3")}));
        QVERIFY(store.knownFingerprints(acct, fps).ok());
        QCOMPARE(fps.value(QStringLiteral("<2@x>|100")), QStringLiteral("9:5"));
        // The other account's message of the same UID is untouched.
        QVERIFY(store.knownUids(QStringLiteral("other"), uids).ok());
        QCOMPARE(uids, QSet<QString>{QStringLiteral("1:1")});

        QCOMPARE(store.renameUid(acct, QStringLiteral("nope"), QStringLiteral("9:9")).code(),
                 ErrorCode::Storage);
        QCOMPARE(store.renameUid(acct, QStringLiteral("1:1"), QStringLiteral("9:5")).code(),
                 ErrorCode::Storage); // the new UID is taken

        // Gone from the server: no longer offered for recognition.
        QVERIFY(store.markVanished(acct, set({QStringLiteral("9:5")})).ok());
        QVERIFY(store.knownFingerprints(acct, fps).ok());
        QCOMPARE(fps.keys(), QList<QString>{QStringLiteral("<2@x>|100")});
    }

    // Duplicate suppression remembers Message-ID *and* content digest: a message that
    // borrows a Message-ID with other content is no copy of the delivered one.
    void deliveredCopies()
    {
        Store store(dbPath(), &m_clock);
        QVERIFY(store.open().ok());
        QList<MessageRecord> list;
        QVERIFY(store.recordSpooled(QStringLiteral("home"), {msg(QStringLiteral("1"))}).ok());
        const qint64 row = store.messages(QStringLiteral("home"), list).ok() ? list.value(0).id : 0;
        QVERIFY(row > 0);
        const QString id = QStringLiteral("m1@example.org");
        const QString digest = QStringLiteral("aaaa");
        const QString a = QStringLiteral("a@example.com");
        const QString b = QStringLiteral("b@example.com");
        const QDateTime start = m_clock.now();
        QVERIFY(store.markDelivered(row, QStringLiteral("250 ok"), {id, digest, {a, b}}).ok());
        qint64 seen = 0;
        QVERIFY(store.deliveredCopy(id, digest, a, start.addDays(-7), seen).ok());
        QCOMPARE(seen, row);
        QVERIFY(store.deliveredCopy(id, digest, b, start, seen).ok());
        QCOMPARE(seen, row); // inclusive
        QVERIFY(store.deliveredCopy(id, QStringLiteral("bbbb"), a, start, seen).ok());
        QCOMPARE(seen, 0); // same Message-ID, other content
        QVERIFY(store.deliveredCopy(id, digest, QStringLiteral("c@example.com"), start, seen).ok());
        QCOMPARE(seen, 0);
        QVERIFY(store.deliveredCopy(QStringLiteral("other"), digest, a, start, seen).ok());
        QCOMPARE(seen, 0);
        QVERIFY(store.deliveredCopy(id, digest, a, start.addMSecs(1), seen).ok());
        QCOMPARE(seen, 0);
        // A copy suppressed as a duplicate keeps its record, in a state of its own.
        QVERIFY(store.recordSpooled(QStringLiteral("home"), {msg(QStringLiteral("2"))}).ok());
        QVERIFY(store.messages(QStringLiteral("home"), list).ok());
        const qint64 second = list.value(1).id;
        QVERIFY(store.markDuplicate(second, QStringLiteral("duplicate of 1")).ok());
        QVERIFY(store.messages(QStringLiteral("home"), list).ok());
        QCOMPARE(list.value(1).state, DeliveryState::Duplicate);
        QCOMPARE(list.value(1).lastReply, QStringLiteral("duplicate of 1"));
        QList<DeliveryItem> due;
        QVERIFY(store.dueDeliveries(10, due).ok());
        QVERIFY(due.isEmpty());
    }

    // Schema 7: the sign-in state of OAuth2 accounts, per account, across a reopen; the
    // expiry only where stated; no column that could hold a token.
    void signInState()
    {
        const QString path = dbPath();
        const QString a = QStringLiteral("m365");
        const QString b = QStringLiteral("google");
        const QDateTime expiry = QDateTime::fromMSecsSinceEpoch(1900000000000, Qt::UTC);
        {
            Store store(path, &m_clock);
            QVERIFY(store.open().ok());
            SignInRecord r;
            QVERIFY(store.signInState(a, r).ok());
            QVERIFY(!r.needed);
            QVERIFY(r.detail.isEmpty());
            QVERIFY(!r.refreshExpiresAt.isValid());
            QVERIFY(store.setRefreshExpiry(a, expiry).ok());
            QVERIFY(store.setSignInNeeded(b, true, QStringLiteral("invalid_grant: revoked")).ok());
        }
        Store store(path, &m_clock);
        QVERIFY(store.open().ok());
        SignInRecord r;
        QVERIFY(store.signInState(a, r).ok());
        QVERIFY(!r.needed);
        QCOMPARE(r.refreshExpiresAt, expiry);
        QVERIFY(store.signInState(b, r).ok());
        QVERIFY(r.needed);
        QCOMPARE(r.detail, QStringLiteral("invalid_grant: revoked"));
        QVERIFY(!r.refreshExpiresAt.isValid());
        // Needed, then cleared: the expiry stays, the detail goes.
        QVERIFY(store.setSignInNeeded(a, true, QStringLiteral("x")).ok());
        QVERIFY(store.setSignInNeeded(a, false, QStringLiteral("ignored")).ok());
        QVERIFY(store.signInState(a, r).ok());
        QVERIFY(!r.needed);
        QVERIFY(r.detail.isEmpty());
        QCOMPARE(r.refreshExpiresAt, expiry);
        // Not stated at the next sign-in: forgotten.
        QVERIFY(store.setRefreshExpiry(a, QDateTime()).ok());
        QVERIFY(store.signInState(a, r).ok());
        QVERIFY(!r.refreshExpiresAt.isValid());
        QCOMPARE(rawQuery(path, QStringLiteral("SELECT group_concat(name) FROM "
                                               "pragma_table_info('sign_in_state')"))
                     .toString(),
                 QStringLiteral("account,needed,detail,refresh_expires_at"));
    }

    // A database of schema 6 (before the sign-in state) upgrades with its messages.
    void upgradeFromVersion6AddsSignInState()
    {
        const QString path = dbPath();
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v6"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            for (int step = 0; step < 6; ++step)
                for (const QString &statement : schemaMigrations().at(step))
                    QVERIFY2(query.exec(statement), qPrintable(statement));
            QVERIFY(query.exec(QStringLiteral(
                "INSERT INTO messages (account, uid, size, first_seen, spool_path, recipients) "
                "VALUES ('home', '7:1', 10, 1, 'home/a.eml', 'a@example.com')")));
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 6")));
            query.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v6"));
        Store store(path, &m_clock);
        QVERIFY(store.open().ok());
        QVERIFY(Store::schemaVersion() >= 7); // later steps (alerts: 8) come on top
        QCOMPARE(rawQuery(path, QStringLiteral("PRAGMA user_version")).toInt(),
                 Store::schemaVersion());
        QSet<QString> uids;
        QVERIFY(store.knownUids(QStringLiteral("home"), uids).ok());
        QCOMPARE(uids.size(), 1);
        QVERIFY(store.setSignInNeeded(QStringLiteral("home"), true, QStringLiteral("d")).ok());
        SignInRecord r;
        QVERIFY(store.signInState(QStringLiteral("home"), r).ok());
        QVERIFY(r.needed);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
