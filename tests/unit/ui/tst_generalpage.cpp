// The General page: durations in minutes, hours or days (exact round trip), the alerts
// settings (round trip, validation naming the field, the test button), in English and German.
#include "UiTestSupport.h"

#include "ui/DurationEdit.h"
#include "ui/ErrorText.h"
#include "ui/GeneralPage.h"
#include "ui/SettingsWindow.h"
#include "ui/TrayApp.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTranslator>

using namespace pollux;
using namespace pollux::test;
using namespace pollux::ui;

namespace {
Config alertsConfig()
{
    Config c;
    c.alerts.enabled = false;
    c.alerts.extraAddress = QStringLiteral("it-support@example.com");
    c.alerts.from = QStringLiteral("pollux@office.example");
    c.alerts.failingThresholdMinutes = 90;
    c.alerts.officeOutageMinutes = 0;
    c.pollIntervalSecs = 90;
    return c;
}
} // namespace

class TestGeneralPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void durationShownInItsUnit_data();
    void durationShownInItsUnit();
    void changingTheUnitKeepsTheNumber();
    void pollIntervalRoundTrip_data();
    void pollIntervalRoundTrip();
    void alertsRoundTrip();
    void alertsThroughTheSettingsWindow();
    void badAlertAddressNamesTheField();
    void testButtonAsksAndShowsTheAnswer();
    void testButtonOffWhileAlertsAreOff();
    void speaksGerman();

private:
    QTranslator *m_english = nullptr;
};

void TestGeneralPage::initTestCase()
{
    // The English catalogue has the plural forms ("1 minute", "2 minutes").
    m_english = ui::installTranslator(QStringLiteral("en"));
    QVERIFY(m_english);
}

void TestGeneralPage::cleanupTestCase()
{
    QApplication::removeTranslator(m_english);
    delete m_english;
}

void TestGeneralPage::durationShownInItsUnit_data()
{
    QTest::addColumn<int>("smallest");
    QTest::addColumn<int>("secs");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<int>("unit");
    const int s = DurationEdit::Seconds;
    const int m = DurationEdit::Minutes;
    QTest::newRow("5-minutes") << s << 300 << "5 minutes" << m;
    QTest::newRow("1-minute") << s << 60 << "1 minute" << m;
    QTest::newRow("2-hours") << s << 7200 << "2 hours" << int(DurationEdit::Hours);
    QTest::newRow("1-day") << s << 86400 << "1 day" << int(DurationEdit::Days);
    QTest::newRow("7-days") << s << 7 * 86400 << "7 days" << int(DurationEdit::Days);
    QTest::newRow("not-whole-minutes") << s << 90 << "90 seconds" << s;
    QTest::newRow("not-whole-hours") << s << 5400 << "90 minutes" << m;
    QTest::newRow("not-whole-days") << s << 90000 << "25 hours" << int(DurationEdit::Hours);
    QTest::newRow("kept-in-minutes") << m << 120 * 60 << "2 hours" << int(DurationEdit::Hours);
}

void TestGeneralPage::durationShownInItsUnit()
{
    QFETCH(int, smallest);
    QFETCH(int, secs);
    QFETCH(QString, shown);
    QFETCH(int, unit);
    DurationEdit edit{DurationEdit::Unit(smallest)};
    edit.setRange(smallest, 7 * 86400);
    edit.setValue(secs);
    QCOMPARE(edit.text(), shown);
    QCOMPARE(int(edit.unit()), unit);
    QCOMPARE(edit.value(), secs);
    QVERIFY(!edit.units().contains(DurationEdit::Seconds) || smallest == DurationEdit::Seconds);
}

void TestGeneralPage::changingTheUnitKeepsTheNumber()
{
    DurationEdit edit;
    edit.setRange(60, 7 * 86400);
    edit.setValue(300);
    QSignalSpy changed(&edit, &DurationEdit::valueChanged);
    edit.unitBox()->setCurrentIndex(int(edit.units().indexOf(DurationEdit::Hours)));
    QCOMPARE(edit.value(), 5 * 3600);
    QCOMPARE(edit.text(), QStringLiteral("5 hours"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().first().toInt(), 5 * 3600);
    // Past the range: the most it allows.
    edit.unitBox()->setCurrentIndex(int(edit.units().indexOf(DurationEdit::Days)));
    QCOMPARE(edit.value(), 5 * 86400);
    edit.number()->setValue(30);
    QCOMPARE(edit.value(), 7 * 86400);
    // Below the range: the least.
    edit.unitBox()->setCurrentIndex(int(edit.units().indexOf(DurationEdit::Seconds)));
    edit.number()->setValue(1);
    QCOMPARE(edit.value(), 60);
}

void TestGeneralPage::pollIntervalRoundTrip_data()
{
    QTest::addColumn<int>("secs");
    QTest::addColumn<QString>("shown");
    QTest::newRow("default") << 300 << "5 minutes";
    QTest::newRow("minimum") << 60 << "1 minute";
    QTest::newRow("by-hand-90s") << 90 << "90 seconds";
    QTest::newRow("hour") << 3600 << "1 hour";
    QTest::newRow("week") << 7 * 86400 << "7 days";
}

void TestGeneralPage::pollIntervalRoundTrip()
{
    QFETCH(int, secs);
    QFETCH(QString, shown);
    GeneralPage page;
    Config c;
    c.pollIntervalSecs = secs;
    page.load(c, false, QString());
    QCOMPARE(page.pollInterval()->text(), shown);
    Config out;
    out.pollIntervalSecs = 1234; // whatever was there before
    page.apply(out);
    QCOMPARE(out.pollIntervalSecs, secs);
}

void TestGeneralPage::alertsRoundTrip()
{
    GeneralPage page;
    const Config in = alertsConfig();
    page.load(in, false, QString());
    QVERIFY(!page.alertsEnabled()->isChecked());
    QCOMPARE(page.alertExtraAddress()->text(), in.alerts.extraAddress);
    QCOMPARE(page.alertFrom()->text(), in.alerts.from);
    QCOMPARE(page.alertFailingThreshold()->text(), QStringLiteral("90 minutes"));
    QCOMPARE(page.alertOfficeOutage()->text(), QStringLiteral("any length"));
    QVERIFY(!page.alertExtraAddress()->isEnabled()); // alerts off
    Config out;
    page.apply(out);
    QCOMPARE(out.alerts.enabled, false);
    QCOMPARE(out.alerts.extraAddress, in.alerts.extraAddress);
    QCOMPARE(out.alerts.from, in.alerts.from);
    QCOMPARE(out.alerts.failingThresholdMinutes, 90);
    QCOMPARE(out.alerts.officeOutageMinutes, 0);

    // The defaults: on, 2 hours, 15 minutes.
    page.load(Config{}, false, QString());
    QVERIFY(page.alertsEnabled()->isChecked());
    QCOMPARE(page.alertFailingThreshold()->text(), QStringLiteral("2 hours"));
    QCOMPARE(page.alertOfficeOutage()->text(), QStringLiteral("15 minutes"));
    // Edited: a day, an hour; trimmed addresses.
    page.alertFailingThreshold()->setValue(86400);
    page.alertOfficeOutage()->setValue(3600);
    page.alertExtraAddress()->setText(QStringLiteral("  it@example.com "));
    page.apply(out);
    QCOMPARE(out.alerts.enabled, true);
    QCOMPARE(out.alerts.failingThresholdMinutes, 1440);
    QCOMPARE(out.alerts.officeOutageMinutes, 60);
    QCOMPARE(out.alerts.extraAddress, QStringLiteral("it@example.com"));
    QVERIFY(out.validate().ok());
}

void TestGeneralPage::alertsThroughTheSettingsWindow()
{
    FakeSecretStore secrets;
    SettingsWindow window(&secrets, QStringLiteral("/nonexistent/pollux.json"));
    const Config in = alertsConfig();
    window.setConfig(in);
    const Config out = window.config();
    QCOMPARE(out.alerts.enabled, in.alerts.enabled);
    QCOMPARE(out.alerts.extraAddress, in.alerts.extraAddress);
    QCOMPARE(out.alerts.from, in.alerts.from);
    QCOMPARE(out.alerts.failingThresholdMinutes, in.alerts.failingThresholdMinutes);
    QCOMPARE(out.alerts.officeOutageMinutes, in.alerts.officeOutageMinutes);
    QCOMPARE(out.pollIntervalSecs, 90);
    QCOMPARE(out.toJson(), in.toJson());
}

void TestGeneralPage::badAlertAddressNamesTheField()
{
    GeneralPage page;
    page.load(Config{}, false, QString());
    QStringList problems;
    QVERIFY(page.validate(problems));
    QVERIFY(problems.isEmpty());
    page.alertExtraAddress()->setText(QStringLiteral("it support"));
    page.alertFrom()->setText(QStringLiteral("<pollux@example.com>"));
    QVERIFY(!page.validate(problems));
    QCOMPARE(problems,
             QStringList({QStringLiteral("Also send alerts to: “it support” is not an email "
                                         "address like it-support@example.com."),
                          QStringLiteral("Sender of alerts: “<pollux@example.com>” is not an "
                                         "email address like pollux@example.com.")}));
}

void TestGeneralPage::testButtonAsksAndShowsTheAnswer()
{
    GeneralPage page;
    page.load(Config{}, false, QString());
    QSignalSpy asked(&page, &GeneralPage::testAlertRequested);
    QVERIFY(page.testAlertButton()->isEnabled());
    page.testAlertButton()->click();
    QCOMPARE(asked.count(), 1);
    QCOMPARE(page.testAlertResult()->text(), QStringLiteral("Sending a test alert…"));
    page.showTestAlertResult(Result::success());
    QVERIFY2(page.testAlertResult()->text().contains(QLatin1String("on its way")),
             qPrintable(page.testAlertResult()->text()));
    const Result refused =
        Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("connection refused"));
    page.showTestAlertResult(refused);
    QCOMPARE(page.testAlertResult()->text(), ErrorText::describe(refused));
    page.showTestAlertResult(refused, QStringLiteral("The Pollux service is not running."));
    QCOMPARE(page.testAlertResult()->text(), QStringLiteral("The Pollux service is not running."));
    // A new load forgets the last answer.
    page.load(Config{}, false, QString());
    QVERIFY(page.testAlertResult()->text().isEmpty());
}

void TestGeneralPage::testButtonOffWhileAlertsAreOff()
{
    GeneralPage page;
    page.load(alertsConfig(), false, QString()); // alerts off
    QSignalSpy asked(&page, &GeneralPage::testAlertRequested);
    QVERIFY(!page.testAlertButton()->isEnabled());
    page.testAlertButton()->click();
    QCOMPARE(asked.count(), 0);
    page.alertsEnabled()->setChecked(true);
    QVERIFY(page.testAlertButton()->isEnabled());
    QVERIFY(page.alertExtraAddress()->isEnabled());
    page.testAlertButton()->click();
    QCOMPARE(asked.count(), 1);
}

void TestGeneralPage::speaksGerman()
{
    QTranslator *translator = ui::installTranslator(QStringLiteral("de"));
    QVERIFY(translator);
    {
        GeneralPage page;
        Config c;
        c.pollIntervalSecs = 60;
        page.load(c, false, QString());
        QCOMPARE(page.pollInterval()->text(), QStringLiteral("1 Minute"));
        QCOMPARE(page.alertFailingThreshold()->text(), QStringLiteral("2 Stunden"));
        page.alertOfficeOutage()->setValue(0);
        QCOMPARE(page.alertOfficeOutage()->text(), QStringLiteral("jede Dauer"));
        page.alertFailingThreshold()->setValue(86400 * 2);
        QCOMPARE(page.alertFailingThreshold()->text(), QStringLiteral("2 Tage"));
        QCOMPARE(page.testAlertButton()->text(), QStringLiteral("Testalarm senden"));
        page.alertExtraAddress()->setText(QStringLiteral("it support"));
        QStringList problems;
        QVERIFY(!page.validate(problems));
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().startsWith(QStringLiteral("Alarme auch senden an: ")),
                 qPrintable(problems.first()));
    }
    QApplication::removeTranslator(translator);
    delete translator;
}

QTEST_MAIN(TestGeneralPage)
#include "tst_generalpage.moc"
