// The tray icon follows the engine's signals; its strings are translated.
#include "ui/TrayIcon.h"

#include <QAction>
#include <QApplication>
#include <QLocale>
#include <QTest>
#include <QTranslator>

using namespace pollux;
using pollux::ui::TrayIcon;

class TestTray : public QObject
{
    Q_OBJECT

private slots:
    void followsPassSignals();
    void errorStaysVisibleUntilAPassSucceeds();
    void germanTranslationIsComplete();
};

void TestTray::followsPassSignals()
{
    TrayIcon tray;
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    tray.onPassStarted(QStringLiteral("Office"));
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    QVERIFY(tray.toolTip().contains(QLatin1String("Office")));
    tray.onPassProgress(QStringLiteral("Office"), 3, 10);
    QVERIFY2(tray.toolTip().contains(QLatin1String("3 of 10")), qPrintable(tray.toolTip()));
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 10);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY2(tray.toolTip().contains(QLatin1String("last pass")), qPrintable(tray.toolTip()));
}

void TestTray::errorStaysVisibleUntilAPassSucceeds()
{
    TrayIcon tray;
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onPassFinished(QStringLiteral("Office"),
                        Result::failure(ErrorCode::AuthFailed, QStringLiteral("login refused")), 0);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.toolTip().contains(QLatin1String("login refused")));
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 0);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
}

void TestTray::germanTranslationIsComplete()
{
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::German), QStringLiteral("pollux"), QStringLiteral("_"),
                            QStringLiteral(":/i18n")));
    QVERIFY(QApplication::installTranslator(&translator));
    {
        TrayIcon tray;
        QCOMPARE(tray.pollNowAction()->text(), QStringLiteral("Jetzt abrufen"));
        QCOMPARE(tray.quitAction()->text(), QStringLiteral("Beenden"));
        tray.onPassStarted(QStringLiteral("Office"));
        tray.onPassProgress(QStringLiteral("Office"), 1, 2);
        QVERIFY2(tray.toolTip().contains(QLatin1String("1 von 2 Nachrichten")),
                 qPrintable(tray.toolTip()));
    }
    QApplication::removeTranslator(&translator);

    // Every message of the German catalogue is translated.
    QFile ts(qEnvironmentVariable("POLLUX_SOURCE_DIR") +
             QStringLiteral("/translations/pollux_de.ts"));
    QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(ts.fileName()));
    const QByteArray text = ts.readAll();
    QVERIFY(text.contains("<translation>"));
    QVERIFY2(!text.contains("type=\"unfinished\""), "pollux_de.ts has untranslated messages");
}

QTEST_MAIN(TestTray)
#include "tst_tray.moc"
