// Delivered marks in groups (OutcomeApplier::GroupLimits, docs/RELIABILITY.md "Power
// cuts"): each mark is committed at once, the group goes to the disk in one sync, and a
// delivered message's spool file is removed only after that sync.
#include "EngineTestSupport.h"

#include "engine/OutcomeApplier.h"

#include <QFile>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString Account = QStringLiteral("office");
const QByteArray Message = "From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n";

DeliveryOutcome deliveredTo(const QString &recipient)
{
    DeliveryOutcome o;
    o.kind = DeliveryOutcome::Kind::Delivered;
    o.reason = QStringLiteral("250 Ok");
    o.recipients = {recipient};
    return o;
}
} // namespace

class TestMarkGroups : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DataDir> m_data;
    QList<DeliveryItem> queue(int n)
    {
        for (int i = 0; i < n; ++i)
            if (!m_data
                     ->addMessage(Account, QString::number(i), Message,
                                  {QStringLiteral("b@example.org")})
                     .ok())
                return {};
        QList<DeliveryItem> due;
        if (!m_data->store().dueDeliveries(0, due).ok())
            return {};
        return due;
    }
    bool fileThere(const DeliveryItem &item) const
    {
        return QFile::exists(m_data->spoolDir() + QLatin1Char('/') + item.spoolPath);
    }

private slots:
    void init()
    {
        m_data = std::make_unique<DataDir>();
        QVERIFY(m_data->open().ok());
    }

    // Marked at once (another connection reads it), the file kept until the group syncs.
    void fileGoesAfterTheSync()
    {
        QList<DeliveryItem> due = queue(2);
        QCOMPARE(due.size(), 2);
        OutcomeApplier applier(Config(), m_data->store(), m_data->spool(), &m_data->clock);
        applier.setGroupLimits({100, 3600 * 1000});
        applier.apply(due[0], QByteArray(), deliveredTo(QStringLiteral("b@example.org")));
        QCOMPARE(m_data->record(Account, QStringLiteral("0")).state, DeliveryState::Delivered);
        QVERIFY(m_data->store().hasUnsyncedChanges());
        QVERIFY(fileThere(due[0])); // not before its mark is on the disk
        QCOMPARE(applier.filesAwaitingSync(), 1);
        QVERIFY(applier.syncGroup().ok());
        QVERIFY(!m_data->store().hasUnsyncedChanges());
        QVERIFY(!fileThere(due[0]));
        QVERIFY(fileThere(due[1])); // not delivered: untouched
        QCOMPARE(applier.filesAwaitingSync(), 0);
    }

    // A full group syncs by itself: after `deliveries` marks the files of all of them go.
    void fullGroupSyncs()
    {
        QList<DeliveryItem> due = queue(5);
        QCOMPARE(due.size(), 5);
        OutcomeApplier applier(Config(), m_data->store(), m_data->spool(), &m_data->clock);
        applier.setGroupLimits({2, 3600 * 1000});
        for (int i = 0; i < 5; ++i)
            applier.apply(due[i], QByteArray(), deliveredTo(QStringLiteral("b@example.org")));
        QVERIFY(!fileThere(due[0]));
        QVERIFY(!fileThere(due[1]));
        QVERIFY(!fileThere(due[2]));
        QVERIFY(!fileThere(due[3]));
        QVERIFY(fileThere(due[4])); // the third group has one mark so far
        QCOMPARE(applier.filesAwaitingSync(), 1);
        QVERIFY(m_data->store().hasUnsyncedChanges());
    }

    // An old group syncs at its next mark.
    void oldGroupSyncs()
    {
        QList<DeliveryItem> due = queue(2);
        QCOMPARE(due.size(), 2);
        OutcomeApplier applier(Config(), m_data->store(), m_data->spool(), &m_data->clock);
        applier.setGroupLimits({100, 0}); // any age is old enough
        applier.apply(due[0], QByteArray(), deliveredTo(QStringLiteral("b@example.org")));
        QVERIFY(!fileThere(due[0]));
        QCOMPARE(applier.filesAwaitingSync(), 0);
    }

    // A group that gets no further mark (a slow reply awaited) syncs when it is old.
    void idleGroupSyncsByItsTimer()
    {
        QList<DeliveryItem> due = queue(1);
        QCOMPARE(due.size(), 1);
        OutcomeApplier applier(Config(), m_data->store(), m_data->spool(), &m_data->clock);
        applier.setGroupLimits({100, 50});
        applier.apply(due[0], QByteArray(), deliveredTo(QStringLiteral("b@example.org")));
        QVERIFY(fileThere(due[0]));
        QTRY_VERIFY_WITH_TIMEOUT(!fileThere(due[0]), 10000);
        QVERIFY(!m_data->store().hasUnsyncedChanges());
    }

    // The applier's end syncs what is left (a stop, the worker going away).
    void endSyncs()
    {
        QList<DeliveryItem> due = queue(1);
        QCOMPARE(due.size(), 1);
        {
            OutcomeApplier applier(Config(), m_data->store(), m_data->spool(), &m_data->clock);
            applier.apply(due[0], QByteArray(), deliveredTo(QStringLiteral("b@example.org")));
            QVERIFY(fileThere(due[0]));
        }
        QVERIFY(!fileThere(due[0]));
        QVERIFY(!m_data->store().hasUnsyncedChanges());
    }
};

QTEST_GUILESS_MAIN(TestMarkGroups)
#include "tst_markgroups.moc"
