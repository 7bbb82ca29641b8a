// The activity window: passes, messages (with From/Subject from the spool), quarantine
// with Delete; the read-only queries behind it.
#include "store/ActivityQueries.h"
#include "store/Store.h"
#include "ui/ActivityLoader.h"
#include "ui/ActivityModels.h"
#include "ui/ActivityWindow.h"
#include "ui/HistoryChart.h"
#include "ui/MessageBox.h"
#include "ui/TrayApp.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace pollux;
using namespace pollux::ui;

class TestActivity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void decodesHeaderText_data();
    void decodesHeaderText();
    void queriesOnAMissingDatabaseAnswerNothing();
    void querySearchIsLiteral();
    void windowShowsPassesMessagesAndQuarantine();
    void quarantineRetryNamesTheStoredMessage();
    void quarantineDeleteAsksFirst();
    void backlogListsDeferredAndRefused();
    void chartPaintsWhatItIsGiven();
    void windowChartsTheLastDays();
    void windowInGerman();

private:
    void write(const QString &relative, const QByteArray &header);
    QTemporaryDir m_dir;
    QString m_db;
    QString m_spool;
};

void TestActivity::write(const QString &relative, const QByteArray &header)
{
    QDir().mkpath(QFileInfo(m_spool + QLatin1Char('/') + relative).absolutePath());
    QFile f(m_spool + QLatin1Char('/') + relative);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(header + "\r\n\r\nbody\r\n");
}

void TestActivity::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(QStringLiteral("pollux.db"));
    m_spool = m_dir.filePath(QStringLiteral("spool"));
    Store store(m_db, nullptr);
    QVERIFY(store.open().ok());
    qint64 pass = 0;
    QVERIFY(store.beginPass(QStringLiteral("joe"), pass).ok());
    QVERIFY(store.finishPass(pass, 3, Result::success()).ok());
    QVERIFY(store.beginPass(QStringLiteral("office"), pass).ok());
    QVERIFY(store
                .finishPass(pass, 0,
                            Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR denied")))
                .ok());
    QList<SpooledMessage> batch;
    for (int i = 0; i < 3; ++i) {
        SpooledMessage m;
        m.uid = QStringLiteral("u%1").arg(i);
        m.size = 100 + i;
        m.spoolPath = QStringLiteral("joe/%1.eml").arg(i);
        m.recipients << (i == 2 ? QStringLiteral("x_y%z@office.example")
                                : QStringLiteral("joe@office.example"));
        if (i == 0) { // recorded at collection (schema 9); the others from their files
            m.from = QStringLiteral("Stored Sender <stored@example.org>");
            m.subject = QStringLiteral("Stored Grüße");
        }
        write(m.spoolPath,
              "From: Anna <anna@example.org>\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= " +
                  QByteArray::number(i));
        batch << m;
    }
    QVERIFY(store.recordSpooled(QStringLiteral("joe"), batch).ok());
    QList<DeliveryItem> due;
    QVERIFY(store.dueDeliveries(10, due).ok());
    QCOMPARE(due.size(), 3);
    QVERIFY(store.markDelivered(due[0].id, QStringLiteral("250 2.0.0 queued")).ok());
    write(QStringLiteral("quarantine/BADMAIL/1.eml"), "From: bad@example.org\r\nSubject: Bad");
    QVERIFY(store
                .markFailed(due[1].id, QStringLiteral("550 5.1.1 unknown"),
                            QStringLiteral("quarantine/BADMAIL/1.eml"))
                .ok());
    write(QStringLiteral("quarantine/TOOLARGE/9.eml"), "Subject: Huge");
}

void TestActivity::decodesHeaderText_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QByteArray("Hello") << QStringLiteral("Hello");
    QTest::newRow("utf8-raw") << QByteArray("Gr\xc3\xbc\xc3\x9f"
                                            "e")
                              << QStringLiteral("Grüße");
    QTest::newRow("q-utf8") << QByteArray("=?utf-8?q?Gr=C3=BC=C3=9Fe_aus?= K")
                            << QStringLiteral("Grüße aus K");
    QTest::newRow("b-latin1") << QByteArray("=?ISO-8859-1?B?SGFsbG8g5A==?=")
                              << QStringLiteral("Hallo ä");
    QTest::newRow("adjacent-words-join")
        << QByteArray("=?utf-8?q?a?= =?utf-8?q?b?=") << QStringLiteral("ab");
    QTest::newRow("unknown-charset") << QByteArray("=?x-nonsense?q?abc?=") << QStringLiteral("abc");
    QTest::newRow("unterminated") << QByteArray("=?utf-8?q?abc") << QStringLiteral("=?utf-8?q?abc");
    QTest::newRow("bad-q-escape") << QByteArray("=?utf-8?q?a=ZZb?=") << QStringLiteral("a=ZZb");
    QTest::newRow("empty") << QByteArray() << QString();
}

void TestActivity::decodesHeaderText()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, text);
    QCOMPARE(decodeHeaderText(raw), text);
}

void TestActivity::queriesOnAMissingDatabaseAnswerNothing()
{
    ActivityQueries q(m_dir.filePath(QStringLiteral("nothing-here.db")));
    QVERIFY(q.open().ok());
    QList<PassRecord> passes;
    QVERIFY(q.recentPasses(QString(), 10, passes).ok());
    QVERIFY(passes.isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("nothing-here.db")))); // not created
}

void TestActivity::querySearchIsLiteral()
{
    ActivityQueries q(m_db);
    QVERIFY(q.open().ok());
    QList<MessageRecord> found;
    QVERIFY(q.recentMessages(10, QStringLiteral("y%z"), found).ok());
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().uid, QStringLiteral("u2"));
    QVERIFY(q.recentMessages(10, QStringLiteral("%"), found).ok());
    QCOMPARE(found.size(), 1); // '%' is a character here, not a wildcard
    QVERIFY(q.recentMessages(10, QStringLiteral("JOE@"), found).ok());
    QCOMPARE(found.size(), 2);
    QVERIFY(q.recentMessages(2, QString(), found).ok());
    QCOMPARE(found.size(), 2);
    QHash<QString, PassRecord> last;
    QVERIFY(q.lastPasses(last).ok());
    QCOMPARE(last.size(), 2);
    QCOMPARE(last.value(QStringLiteral("office")).errorCode, ErrorCode::AuthFailed);
    QCOMPARE(last.value(QStringLiteral("office")).errorMessage, QStringLiteral("-ERR denied"));
}

void TestActivity::windowShowsPassesMessagesAndQuarantine()
{
    ActivityWindow window;
    window.setLocation(m_db, m_spool);
    QSignalSpy refreshed(&window, &ActivityWindow::refreshed);
    QSignalSpy backlog(&window, &ActivityWindow::backlogLoaded);
    window.refresh();
    QVERIFY(refreshed.wait(10000));
    // The tray's backlog comes with it: nothing deferred, u1 refused.
    QCOMPARE(backlog.size(), 1);
    using Keys = QList<ActivityQueries::MessageKey>;
    QCOMPARE(backlog.first().at(0).value<Keys>(), Keys());
    QCOMPARE(backlog.first().at(1).value<Keys>(),
             Keys({{QStringLiteral("joe"), QStringLiteral("u1")}}));
    QCOMPARE(window.passesModel()->rowCount(), 2);
    MessagesModel *m = window.messagesModel();
    QCOMPARE(m->rowCount(), 3);
    QHash<QString, int> byUid;
    for (int row = 0; row < m->rowCount(); ++row)
        byUid.insert(m->message(row).record.uid, row);
    // Delivered: its file is gone, From and Subject are as recorded when it was collected.
    QCOMPARE(m->index(byUid.value(QStringLiteral("u0")), MessagesModel::From).data().toString(),
             QStringLiteral("Stored Sender <stored@example.org>"));
    QCOMPARE(m->index(byUid.value(QStringLiteral("u0")), MessagesModel::Subject).data().toString(),
             QStringLiteral("Stored Grüße"));
    QCOMPARE(m->index(byUid.value(QStringLiteral("u0")), MessagesModel::State).data().toString(),
             QStringLiteral("delivered"));
    QCOMPARE(m->index(byUid.value(QStringLiteral("u1")), MessagesModel::From).data().toString(),
             QStringLiteral("bad@example.org"));
    QCOMPARE(m->index(byUid.value(QStringLiteral("u2")), MessagesModel::Subject).data().toString(),
             QStringLiteral("Grüße 2"));
    QCOMPARE(m->index(byUid.value(QStringLiteral("u1")), MessagesModel::Reply).data().toString(),
             QStringLiteral("550 5.1.1 unknown"));
    window.searchEdit()->setText(QStringLiteral("GRÜßE 2")); // case-insensitive
    QCOMPARE(window.messagesView()->rowCount(), 1);
    window.searchEdit()->setText(QStringLiteral("stored sender"));
    QCOMPARE(window.messagesView()->rowCount(), 1);
    window.searchEdit()->setText(QStringLiteral("nothing like this"));
    QCOMPARE(window.messagesView()->rowCount(), 0);
    QCOMPARE(window.quarantineModel()->rowCount(), 2);
}

void TestActivity::quarantineRetryNamesTheStoredMessage()
{
    ActivityWindow window;
    window.setLocation(m_db, m_spool);
    QSignalSpy refreshed(&window, &ActivityWindow::refreshed);
    window.refresh();
    QVERIFY(refreshed.wait(10000));
    QuarantineModel *q = window.quarantineModel();
    QSignalSpy retry(&window, &ActivityWindow::retryRequested);
    qint64 expected = 0;
    for (int i = 0; i < q->rowCount(); ++i) {
        window.quarantineTable()->selectRow(i);
        window.retrySelectedQuarantine();
        if (q->entry(i).folder == QuarantineFolder::BadMail)
            expected = q->entry(i).messageId;
        else
            QCOMPARE(q->entry(i).messageId, qint64(0)); // a file the store does not know
    }
    QVERIFY(expected > 0);
    QCOMPARE(retry.count(), 1); // only the message the store knows
    QCOMPARE(retry.first().first().toLongLong(), expected);
}

void TestActivity::quarantineDeleteAsksFirst()
{
    ActivityWindow window;
    window.setLocation(m_db, m_spool);
    QSignalSpy refreshed(&window, &ActivityWindow::refreshed);
    window.refresh();
    QVERIFY(refreshed.wait(10000));
    QuarantineModel *q = window.quarantineModel();
    int row = -1;
    for (int i = 0; i < q->rowCount(); ++i) {
        if (q->entry(i).folder == QuarantineFolder::TooLarge)
            row = i;
    }
    QVERIFY(row >= 0);
    const QString file = q->entry(row).absolutePath;
    window.quarantineTable()->selectRow(row);
    MessageBox::setNextAnswer(QMessageBox::No);
    window.deleteSelectedQuarantine();
    QVERIFY(QFile::exists(file));
    window.quarantineTable()->selectRow(row);
    MessageBox::setNextAnswer(QMessageBox::Yes);
    window.deleteSelectedQuarantine();
    QVERIFY(!QFile::exists(file));
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(q->rowCount(), 1);

    // A refused message the store knows is discarded by the engine (which keeps the record
    // straight), not deleted behind the store's back.
    QSignalSpy discard(&window, &ActivityWindow::discardRequested);
    const qint64 known = q->entry(0).messageId;
    QVERIFY(known > 0);
    const QString knownFile = q->entry(0).absolutePath;
    window.quarantineTable()->selectRow(0);
    MessageBox::setNextAnswer(QMessageBox::Yes);
    window.deleteSelectedQuarantine();
    QCOMPARE(discard.count(), 1);
    QCOMPARE(discard.first().first().toLongLong(), known);
    QVERIFY(QFile::exists(knownFile));
}

// Deferred messages, and refused ones not yet discarded, by (account, uid).
void TestActivity::backlogListsDeferredAndRefused()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("pollux.db"));
    {
        Store store(db, nullptr);
        QVERIFY(store.open().ok());
        QList<SpooledMessage> batch;
        for (int i = 0; i < 5; ++i)
            batch << SpooledMessage{QStringLiteral("m%1").arg(i),
                                    10,
                                    QStringLiteral("a/m%1.eml").arg(i),
                                    {QStringLiteral("x@example.org")}};
        QVERIFY(store.recordSpooled(QStringLiteral("acct"), batch).ok());
        QList<DeliveryItem> due;
        QVERIFY(store.dueDeliveries(10, due).ok());
        QCOMPARE(due.size(), 5);
        const QDateTime later = QDateTime::currentDateTimeUtc().addSecs(600);
        QVERIFY(store.markDeferred(due[0].id, QStringLiteral("451"), later).ok());
        QVERIFY(store.markDeferred(due[1].id, QStringLiteral("452"), later).ok());
        QVERIFY(
            store.markFailed(due[2].id, QStringLiteral("550"), QStringLiteral("q/m2.eml")).ok());
        QVERIFY(
            store.markFailed(due[3].id, QStringLiteral("554"), QStringLiteral("q/m3.eml")).ok());
        QString file;
        QVERIFY(store.discard(due[3].id, file).ok()); // given up: no longer refused-and-kept
        // m4 stays Waiting: not yet tried, not in the backlog.
    }
    ActivityQueries queries(db);
    QVERIFY(queries.open().ok());
    QList<ActivityQueries::MessageKey> deferred, refused;
    QVERIFY(queries.backlog(100, deferred, refused).ok());
    using Key = ActivityQueries::MessageKey;
    QCOMPARE(deferred, QList<Key>({{QStringLiteral("acct"), QStringLiteral("m0")},
                                   {QStringLiteral("acct"), QStringLiteral("m1")}}));
    QCOMPARE(refused, QList<Key>({{QStringLiteral("acct"), QStringLiteral("m2")}}));
    QVERIFY(queries.backlog(1, deferred, refused).ok());
    QCOMPARE(deferred.size(), 1); // the limit holds
}

namespace {
DayCounts counts(int collected, int delivered, int refused)
{
    DayCounts d;
    d.collected = collected;
    d.delivered = delivered;
    d.refused = refused;
    return d;
}

int pixelsOf(const QImage &image, const QColor &color)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += image.pixelColor(x, y).rgb() == color.rgb() ? 1 : 0;
    return n;
}
} // namespace

// The chart: its scale, the day under the mouse, what hovering says, and bars in the
// series' colours only for the series that have counts.
void TestActivity::chartPaintsWhatItIsGiven()
{
    HistoryChart chart;
    chart.resize(620, 300);
    QList<DayCounts> days(30);
    days[0] = counts(7, 5, 0);
    days[29] = counts(23, 20, 0);
    const QDate first(2026, 11, 3);
    chart.setDays(first, days);
    QCOMPARE(chart.days().size(), 30);
    QCOMPARE(chart.firstDay(), first);
    QCOMPARE(chart.scaleMaximum(), 30); // lines every 10 for 23
    const QString text = chart.dayText(29);
    QVERIFY2(text.contains(QLocale().toString(QDate(2026, 12, 2), QLocale::LongFormat)),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Collected: 23")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Delivered: 20")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Refused: 0")), qPrintable(text));
    QVERIFY(chart.dayText(30).isEmpty());
    QCOMPARE(chart.dayAt(QPoint(chart.width() - 12, chart.height() / 2)), 29);
    QCOMPARE(chart.dayAt(QPoint(2, chart.height() / 2)), -1); // the axis labels
    QCOMPARE(HistoryChart::dateLabel(QDate(2026, 12, 2)),
             QLocale().toString(QDate(2026, 12, 2), QStringLiteral("d MMM")));

    QImage image = chart.grab().toImage();
    const int collected = pixelsOf(image, HistoryChart::seriesColor(HistoryChart::Collected));
    const int delivered = pixelsOf(image, HistoryChart::seriesColor(HistoryChart::Delivered));
    const int refusedLegend = pixelsOf(image, HistoryChart::seriesColor(HistoryChart::Refused));
    QVERIFY(collected > delivered);     // bars of 30 (7 + 23) against 25 (5 + 20)
    QVERIFY(delivered > refusedLegend); // refused: only its legend box
    QVERIFY(refusedLegend > 0);
    days[15] = counts(0, 0, 25);
    chart.setDays(first, days);
    image = chart.grab().toImage();
    QVERIFY(pixelsOf(image, HistoryChart::seriesColor(HistoryChart::Refused)) > refusedLegend);
    // Nothing at all: a scale of 1 and no bars.
    chart.setDays(first, QList<DayCounts>(30));
    QCOMPARE(chart.scaleMaximum(), 1);
    image = chart.grab().toImage();
    QCOMPARE(pixelsOf(image, HistoryChart::seriesColor(HistoryChart::Collected)),
             pixelsOf(image, HistoryChart::seriesColor(HistoryChart::Refused))); // legends
}

// The window's chart: the last 30 days to today, all accounts or one, with totals.
void TestActivity::windowChartsTheLastDays()
{
    ActivityWindow window;
    window.setLocation(m_db, m_spool);
    QSignalSpy refreshed(&window, &ActivityWindow::refreshed);
    window.refresh();
    QVERIFY(refreshed.wait(10000));
    const ActivityHistory &h = window.history();
    QCOMPARE(h.dayCount, ActivityQueries::kHistoryDays);
    QVERIFY(h.lastDay() == QDate::currentDate() || // the load ran just after midnight
            h.lastDay() == QDate::currentDate().addDays(-1));
    // initTestCase: joe's three collected today, one delivered, one refused (the ones of
    // deleted and discarded files in later cases count just the same).
    QCOMPARE(h.totals(), counts(3, 1, 1));
    Store store(m_db, nullptr);
    QVERIFY(store.open().ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(QStringLiteral("joe"), records).ok());
    const int day = int(h.firstDay.daysTo(records.first().firstSeen.toLocalTime().date()));
    QVERIFY(day >= 0 && day < 30);
    QCOMPARE(h.days(QStringLiteral("joe")).at(day), counts(3, 1, 1));

    HistoryChart *chart = window.historyChart();
    QCOMPARE(chart->firstDay(), h.firstDay);
    QCOMPARE(chart->days(), h.days());
    QVERIFY2(window.historyTotals()->text().endsWith(
                 QStringLiteral(": 3 collected, 1 delivered, 1 refused.")),
             qPrintable(window.historyTotals()->text()));

    // Per account: joe has it all, office (passes only) nothing.
    QComboBox *box = window.historyAccountBox();
    QCOMPARE(box->itemData(0).toString(), QString()); // all accounts
    const int joe = box->findData(QStringLiteral("joe"));
    const int office = box->findData(QStringLiteral("office"));
    QVERIFY(joe > 0);
    QVERIFY(office > 0);
    box->setCurrentIndex(office);
    QCOMPARE(chart->days(), QList<DayCounts>(30));
    QVERIFY2(window.historyTotals()->text().endsWith(
                 QStringLiteral(": 0 collected, 0 delivered, 0 refused.")),
             qPrintable(window.historyTotals()->text()));
    box->setCurrentIndex(joe);
    QCOMPARE(chart->days().at(day), counts(3, 1, 1));
    // A refresh keeps the choice.
    window.refresh();
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(box->currentData().toString(), QStringLiteral("joe"));
    QCOMPARE(chart->days().at(day), counts(3, 1, 1));
}

void TestActivity::windowInGerman()
{
    QTranslator *german = installTranslator(QStringLiteral("de"));
    QVERIFY(german);
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    {
        ActivityWindow window;
        window.setLocation(m_db, m_spool);
        QSignalSpy refreshed(&window, &ActivityWindow::refreshed);
        window.refresh();
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(window.tabs()->tabText(3), QStringLiteral("Letzte 30 Tage"));
        QCOMPARE(window.historyAccountBox()->itemText(0), QStringLiteral("Alle Konten"));
        QVERIFY2(window.historyTotals()->text().endsWith(
                     QStringLiteral(": 3 abgeholt, 1 zugestellt, 1 abgelehnt.")),
                 qPrintable(window.historyTotals()->text()));
        QCOMPARE(HistoryChart::seriesName(HistoryChart::Collected), QStringLiteral("Abgeholt"));
        QCOMPARE(HistoryChart::seriesName(HistoryChart::Delivered), QStringLiteral("Zugestellt"));
        QCOMPARE(HistoryChart::seriesName(HistoryChart::Refused), QStringLiteral("Abgelehnt"));
        QCOMPARE(HistoryChart::dateLabel(QDate(2026, 12, 2)), QStringLiteral("2. Dez."));
        HistoryChart *chart = window.historyChart();
        const QString tip = chart->dayText(int(chart->days().size()) - 1);
        QVERIFY2(tip.contains(QStringLiteral("Abgeholt: ")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("Abgelehnt: ")), qPrintable(tip));
        const MessagesModel *m = window.messagesModel();
        bool shown = false;
        for (int row = 0; row < m->rowCount(); ++row) {
            if (m->message(row).record.uid == QStringLiteral("u0")) {
                shown = true;
                QCOMPARE(m->index(row, MessagesModel::Subject).data().toString(),
                         QStringLiteral("Stored Grüße"));
                QCOMPARE(m->index(row, MessagesModel::State).data().toString(),
                         QStringLiteral("zugestellt"));
            }
        }
        QVERIFY(shown);
    }
    QLocale::setDefault(before);
    for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
        QApplication::removeTranslator(t);
        delete t;
    }
}

QTEST_MAIN(TestActivity)
#include "tst_activity.moc"
