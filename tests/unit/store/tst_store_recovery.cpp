// What a restart after an interruption finds in the store and the spool, and how each state
// the order of writes allows (docs/RELIABILITY.md, "Power cuts") is resolved: without a
// loss, and without a message stuck or failed for good.
#include "ManualClock.h"
#include "store/Spool.h"
#include "store/Store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;

namespace {
const QString kAccount = QStringLiteral("acct");
}

class TestStoreRecovery : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ManualClock m_clock;
    int m_count = 0;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Spool> m_spool;

    // A message of `kind` recorded waiting, with its file in the spool.
    SpooledMessage spooled(const QString &uid, MessageKind kind = MessageKind::Collected)
    {
        Result error;
        auto writer = m_spool->create(kAccount, error);
        if (!writer)
            return {};
        const QByteArray body = "Subject: " + uid.toUtf8() + "\r\n\r\nbody\r\n";
        if (!writer->write(body.constData(), body.size()).ok() || !writer->finish().ok() ||
            !m_spool->makeDurable({writer->relativePath()}).ok())
            return {};
        SpooledMessage m;
        m.uid = uid;
        m.size = body.size();
        m.spoolPath = writer->relativePath();
        m.recipients = {QStringLiteral("a@example.com")};
        m.kind = kind;
        return m;
    }
    MessageRecord record(const QString &uid)
    {
        QList<MessageRecord> all;
        if (!m_store->messages(kAccount, all).ok())
            return {};
        for (const MessageRecord &r : all)
            if (r.uid == uid)
                return r;
        return {};
    }

private slots:
    void init()
    {
        const QString base = m_dir.filePath(QString::number(++m_count));
        m_store = std::make_unique<Store>(base + QStringLiteral("/pollux.db"), &m_clock);
        m_spool = std::make_unique<Spool>(base + QStringLiteral("/spool"));
        QVERIFY(m_store->open().ok());
        QVERIFY(m_spool->init().ok());
    }
    void cleanup()
    {
        m_store.reset();
        m_spool.reset();
    }

    void fileThereIsLeftAlone()
    {
        const SpooledMessage m = spooled(QStringLiteral("u1"));
        QVERIFY(m_store->recordSpooled(kAccount, {m}).ok());
        Store::Recovery recovery;
        QVERIFY(m_store->recoverMissingFiles(*m_spool, recovery).ok());
        QCOMPARE(recovery.collectAgain, 0);
        QCOMPARE(recovery.delivered, 0);
        QCOMPARE(record(QStringLiteral("u1")).state, DeliveryState::Waiting);
    }

    // Its removal survived, its mark did not; the provider still has it: collected again.
    void goneStillOnServerIsCollectedAgain()
    {
        const SpooledMessage m = spooled(QStringLiteral("u1"));
        const SpooledMessage other = spooled(QStringLiteral("u2"));
        QVERIFY(m_store->recordSpooled(kAccount, {m, other}).ok());
        QVERIFY(m_store->setMailboxState(kAccount, QStringLiteral("7:3:2")).ok());
        QVERIFY(QFile::remove(m_spool->absolutePath(m.spoolPath)));
        Store::Recovery recovery;
        QVERIFY(m_store->recoverMissingFiles(*m_spool, recovery).ok());
        QCOMPARE(recovery.collectAgain, 1);
        QCOMPARE(recovery.delivered, 0);
        QCOMPARE(recovery.uids, QStringList{QStringLiteral("acct u1")});
        QSet<QString> known;
        QVERIFY(m_store->knownUids(kAccount, known).ok());
        QCOMPARE(known, QSet<QString>{QStringLiteral("u2")}); // the next pass asks for u1
        QString state;
        QVERIFY(m_store->mailboxState(kAccount, state).ok());
        QVERIFY(state.isEmpty()); // an IMAP pass lists the mailbox instead of skipping it
        // And it can be recorded again when collected again.
        QVERIFY(m_store->recordSpooled(kAccount, {spooled(QStringLiteral("u1"))}).ok());
        QCOMPARE(record(QStringLiteral("u1")).state, DeliveryState::Waiting);
        // A second start finds nothing more to do.
        QVERIFY(m_store->recoverMissingFiles(*m_spool, recovery).ok());
        QVERIFY(recovery.uids.isEmpty());
    }

    // Gone from the server as well: the file can only have gone after its delivery.
    void goneRemovedFromServerCountsDelivered()
    {
        const SpooledMessage m = spooled(QStringLiteral("u1"));
        QVERIFY(m_store->recordSpooled(kAccount, {m}).ok());
        QVERIFY(m_store->markRemoved(kAccount, {QStringLiteral("u1")}).ok());
        QVERIFY(QFile::remove(m_spool->absolutePath(m.spoolPath)));
        Store::Recovery recovery;
        QVERIFY(m_store->recoverMissingFiles(*m_spool, recovery).ok());
        QCOMPARE(recovery.delivered, 1);
        QCOMPARE(recovery.collectAgain, 0);
        const MessageRecord r = record(QStringLiteral("u1"));
        QCOMPARE(r.state, DeliveryState::Delivered);
        QVERIFY(r.deliveredAt.isValid());
        QVERIFY2(r.lastReply.contains(QLatin1String("spool file gone")), qPrintable(r.lastReply));
        QList<DeliveryItem> due;
        QVERIFY(m_store->dueDeliveries(0, due).ok());
        QVERIFY(due.isEmpty()); // not stuck in the queue
    }

    // A copy Pollux made (no server copy), deferred when the cut came: counts as delivered.
    void goneDeferredCopyCountsDelivered()
    {
        const SpooledMessage m =
            spooled(QStringLiteral("u1 #postmaster"), MessageKind::PostmasterCopy);
        QVERIFY(m_store->recordSpooled(kAccount, {m}).ok());
        QList<DeliveryItem> due;
        QVERIFY(m_store->dueDeliveries(0, due).ok());
        QCOMPARE(due.size(), 1);
        QVERIFY(
            m_store->markDeferred(due[0].id, QStringLiteral("451 later"), m_clock.now().addSecs(60))
                .ok());
        QVERIFY(QFile::remove(m_spool->absolutePath(m.spoolPath)));
        Store::Recovery recovery;
        QVERIFY(m_store->recoverMissingFiles(*m_spool, recovery).ok());
        QCOMPARE(recovery.delivered, 1);
        QCOMPARE(record(QStringLiteral("u1 #postmaster")).state, DeliveryState::Delivered);
    }

    // Moved to quarantine, the move's record lost: left for the delivery stage, which records
    // the file where it found it (DeliveryWorker, "found in quarantine").
    void inQuarantineIsLeftToDelivery()
    {
        const SpooledMessage m = spooled(QStringLiteral("u1"));
        QVERIFY(m_store->recordSpooled(kAccount, {m}).ok());
        QString moved;
        QVERIFY(m_spool->quarantine(m.spoolPath, QuarantineFolder::BadMail, moved).ok());
        Store::Recovery recovery;
        QVERIFY(m_store->recoverMissingFiles(*m_spool, recovery).ok());
        QVERIFY(recovery.uids.isEmpty());
        QCOMPARE(record(QStringLiteral("u1")).state, DeliveryState::Waiting);
        QCOMPARE(m_spool->findQuarantined(m.spoolPath), moved);
    }

    // The mark survived, the file's removal did not: an orphan, swept at start.
    void deliveredWithFileIsAnOrphan()
    {
        const SpooledMessage m = spooled(QStringLiteral("u1"));
        QVERIFY(m_store->recordSpooled(kAccount, {m}).ok());
        QList<DeliveryItem> due;
        QVERIFY(m_store->dueDeliveries(0, due).ok());
        QCOMPARE(due.size(), 1);
        QVERIFY(m_store->markDelivered(due[0].id, QStringLiteral("250 ok")).ok());
        Store::Recovery recovery;
        QVERIFY(m_store->recoverMissingFiles(*m_spool, recovery).ok());
        QVERIFY(recovery.uids.isEmpty());
        QSet<QString> live;
        QVERIFY(m_store->liveSpoolPaths(live).ok());
        QVERIFY(!live.contains(m.spoolPath));
        QCOMPARE(m_spool->removeOrphans(live), 1);
        QVERIFY(!QFile::exists(m_spool->absolutePath(m.spoolPath)));
    }

    // Marks are durable in groups: a change is pending until syncCommits() or a durable
    // batch record (recordSpooled commits with a WAL sync, which covers every commit before).
    void marksAwaitTheGroupSync()
    {
        QVERIFY(!m_store->hasUnsyncedChanges());
        QVERIFY(m_store->syncCommits().ok()); // nothing to do
        QVERIFY(m_store
                    ->recordSpooled(kAccount,
                                    {spooled(QStringLiteral("u1")), spooled(QStringLiteral("u2"))})
                    .ok());
        QVERIFY(!m_store->hasUnsyncedChanges());
        QList<DeliveryItem> due;
        QVERIFY(m_store->dueDeliveries(0, due).ok());
        QCOMPARE(due.size(), 2);
        QVERIFY(m_store->markDelivered(due[0].id, QStringLiteral("250 ok")).ok());
        QVERIFY(m_store->hasUnsyncedChanges());
        QVERIFY(m_store->syncCommits().ok());
        QVERIFY(!m_store->hasUnsyncedChanges());
        QVERIFY(m_store->recordRoute(due[1].id, {QStringLiteral("b@example.com")}, {}).ok());
        QVERIFY(m_store->hasUnsyncedChanges());
        QVERIFY(m_store->recordSpooled(kAccount, {spooled(QStringLiteral("u3"))}).ok());
        QVERIFY(!m_store->hasUnsyncedChanges());
        // The sync changed nothing it rewrote.
        QCOMPARE(record(QStringLiteral("u1")).state, DeliveryState::Delivered);
        QCOMPARE(record(QStringLiteral("u3")).state, DeliveryState::Waiting);
        // And a second Store on the file (another thread's connection) reads every change.
        Store other(m_store->path(), &m_clock);
        QVERIFY(other.open(Store::Check::Quick).ok());
        QList<MessageRecord> all;
        QVERIFY(other.messages(kAccount, all).ok());
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[0].state, DeliveryState::Delivered);
        QCOMPARE(all[1].recipients, QStringList{QStringLiteral("b@example.com")});
    }
};

QTEST_GUILESS_MAIN(TestStoreRecovery)
#include "tst_store_recovery.moc"
