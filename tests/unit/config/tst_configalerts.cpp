// The "alerts" section of the configuration: defaults, read and written field by field,
// validated with the field named, unknown keys refused with a suggestion.
#include "config/Config.h"

#include <QTest>

using namespace pollux;

class TestConfigAlerts : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        Config c;
        QVERIFY(Config::parse("{}", QStringLiteral("t"), c).ok());
        QVERIFY(c.alerts.enabled);
        QCOMPARE(c.alerts.failingThresholdMinutes, 120);
        QCOMPARE(c.alerts.officeOutageMinutes, 15);
        QVERIFY(c.alerts.extraAddress.isEmpty());
        QVERIFY(c.alerts.from.isEmpty());
        QVERIFY(c.validate().ok());
    }

    void roundTrip()
    {
        Config c;
        c.alerts.enabled = false;
        c.alerts.extraAddress = QStringLiteral("it@service.example");
        c.alerts.from = QStringLiteral("pollux@office.example");
        c.alerts.failingThresholdMinutes = 45;
        c.alerts.officeOutageMinutes = 0;
        Config back;
        const Result r = Config::parse(c.toJson(), QStringLiteral("t"), back);
        QVERIFY2(r.ok(), qPrintable(r.message()));
        QCOMPARE(back.alerts.enabled, false);
        QCOMPARE(back.alerts.extraAddress, c.alerts.extraAddress);
        QCOMPARE(back.alerts.from, c.alerts.from);
        QCOMPARE(back.alerts.failingThresholdMinutes, 45);
        QCOMPARE(back.alerts.officeOutageMinutes, 0);
    }

    void readErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        QTest::newRow("typo")
            << QByteArray(R"({"alerts": {"extraAdress": "a@b.example"}})")
            << QStringLiteral("alerts.extraAdress: unknown key; did you mean \"extraAddress\"?");
        QTest::newRow("not-object")
            << QByteArray(R"({"alerts": true})") << QStringLiteral("alerts: expected an object");
        QTest::newRow("wrong-type")
            << QByteArray(R"({"alerts": {"failingThresholdMinutes": "2h"}})")
            << QStringLiteral("alerts.failingThresholdMinutes: expected a number");
        QTest::newRow("enabled-type") << QByteArray(R"({"alerts": {"enabled": "yes"}})")
                                      << QStringLiteral("alerts.enabled: expected true or false");
        QTest::newRow("twice") << QByteArray("{\"alerts\": {\"from\": \"\",\n\"from\": \"\"}}")
                               << QStringLiteral("alerts.from: given twice (lines 1 and 2)");
    }

    void readErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        Config c;
        const Result r = Config::parse(json, QStringLiteral("t"), c);
        QVERIFY(!r.ok());
        QVERIFY2(r.message().contains(problem), qPrintable(r.message()));
    }

    void notes()
    {
        Config c;
        const Result r =
            Config::parse(R"({"alerts": {"comment": "for the IT firm", "x-ticket": 12}})",
                          QStringLiteral("t"), c);
        QVERIFY2(r.ok(), qPrintable(r.message()));
    }

    void validation_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("which");
        QTest::newRow("extra-address") << QStringLiteral("alerts.extraAddress") << 0;
        QTest::newRow("from") << QStringLiteral("alerts.from") << 1;
        QTest::newRow("threshold-low")
            << QStringLiteral("alerts.failingThresholdMinutes: must be 5-10080") << 2;
        QTest::newRow("threshold-high")
            << QStringLiteral("alerts.failingThresholdMinutes: must be 5-10080") << 3;
        QTest::newRow("outage") << QStringLiteral("alerts.officeOutageMinutes: must be 0-1440")
                                << 4;
    }

    void validation()
    {
        QFETCH(QString, field);
        QFETCH(int, which);
        Config c;
        switch (which) {
        case 0:
            c.alerts.extraAddress = QStringLiteral("IT service <it@x.example>");
            break;
        case 1:
            c.alerts.from = QStringLiteral("pollux");
            break;
        case 2:
            c.alerts.failingThresholdMinutes = 4;
            break;
        case 3:
            c.alerts.failingThresholdMinutes = 7 * 24 * 60 + 1;
            break;
        case 4:
            c.alerts.officeOutageMinutes = -1;
            break;
        }
        const Result r = c.validate();
        QVERIFY(!r.ok());
        QVERIFY2(r.message().contains(field), qPrintable(r.message()));
    }

    void describe()
    {
        Config c;
        c.postmaster = QStringLiteral("pm@office.example");
        c.alerts.extraAddress = QStringLiteral("it@service.example");
        QVERIFY2(c.describe().contains(QStringLiteral(
                     "Alerts by e-mail: to pm@office.example, it@service.example (a mailbox "
                     "failing 120 min or longer)")),
                 qPrintable(c.describe()));
        c.alerts.enabled = false;
        QVERIFY(c.describe().contains(QStringLiteral("Alerts by e-mail: off")));
    }
};

QTEST_GUILESS_MAIN(TestConfigAlerts)
#include "tst_configalerts.moc"
