// The tray icon follows the engine's signals; its strings are translated.
#include "ui/Autostart.h"
#include "ui/SingleInstance.h"
#include "ui/TrayIcon.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLocale>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
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
    void notifiesWhenAnAccountFailsAndRecoversOnly();
    void deliveryErrorsShowUntilAPassSucceeds();
    void pauseAndResume();
    void menuHasEveryAction();
    void secondInstanceActivatesTheFirst();
    void autostartEntry();
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

void TestTray::notifiesWhenAnAccountFailsAndRecoversOnly()
{
    TrayIcon tray;
    QSignalSpy notified(&tray, &TrayIcon::notified);
    const Result refused = Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR no"));
    auto pass = [&tray](const QString &account, const Result &r) {
        tray.onPassStarted(account);
        tray.onPassFinished(account, r, 0);
    };
    pass(QStringLiteral("Office"), Result::success());
    QCOMPARE(notified.count(), 0); // a working account is no news
    pass(QStringLiteral("Office"), refused);
    QCOMPARE(notified.count(), 1);
    QVERIFY(notified.last().at(0).toString().contains(QLatin1String("Office")));
    QVERIFY2(notified.last().at(1).toString().contains(
                 QLatin1String("The server refused the username or password.")),
             qPrintable(notified.last().at(1).toString()));
    pass(QStringLiteral("Office"), refused);
    pass(QStringLiteral("Office"), refused);
    QCOMPARE(notified.count(), 1); // still failing: no new notification
    pass(QStringLiteral("Home"), refused);
    QCOMPARE(notified.count(), 2);
    QCOMPARE(tray.failingAccounts(),
             QStringList({QStringLiteral("Home"), QStringLiteral("Office")}));
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    pass(QStringLiteral("Office"), Result::success());
    QCOMPARE(notified.count(), 3);
    QVERIFY(notified.last().at(0).toString().contains(QLatin1String("works again")));
    QCOMPARE(tray.state(), TrayIcon::State::Error); // Home still fails
    QVERIFY(tray.toolTip().contains(QLatin1String("Home")));
    pass(QStringLiteral("Office"), Result::success());
    QCOMPARE(notified.count(), 3);
    pass(QStringLiteral("Home"), Result::success());
    QCOMPARE(notified.count(), 4);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
}

void TestTray::deliveryErrorsShowUntilAPassSucceeds()
{
    TrayIcon tray;
    tray.onError(Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("smtp down")));
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.toolTip().contains(QLatin1String("smtp down")));
    tray.onPassStarted(QStringLiteral("Office"));
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 1);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
}

void TestTray::pauseAndResume()
{
    TrayIcon tray;
    QSignalSpy requested(&tray, &TrayIcon::pauseRequested);
    tray.pauseAction()->trigger();
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.last().first().toBool(), true);
    tray.setPaused(true);
    QCOMPARE(tray.state(), TrayIcon::State::Paused);
    QCOMPARE(tray.pauseAction()->text(), QStringLiteral("Resume"));
    QVERIFY(!tray.pollNowAction()->isEnabled());
    QVERIFY(tray.toolTip().contains(QLatin1String("paused")));
    tray.pauseAction()->trigger();
    QCOMPARE(requested.last().first().toBool(), false);
    tray.setPaused(false);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QCOMPARE(tray.pauseAction()->text(), QStringLiteral("Pause"));
}

void TestTray::menuHasEveryAction()
{
    TrayIcon tray;
    QStringList texts;
    for (QAction *a : tray.menu()->actions()) {
        if (!a->isSeparator())
            texts << a->text();
    }
    QCOMPARE(texts, QStringList({QStringLiteral("Poll now"), QStringLiteral("Pause"),
                                 QStringLiteral("Settings…"), QStringLiteral("Activity…"),
                                 QStringLiteral("Quit")}));
    QSignalSpy settings(&tray, &TrayIcon::settingsRequested);
    QSignalSpy activity(&tray, &TrayIcon::activityRequested);
    QSignalSpy poll(&tray, &TrayIcon::pollNowRequested);
    tray.settingsAction()->trigger();
    tray.activityAction()->trigger();
    tray.pollNowAction()->trigger();
    QCOMPARE(settings.count(), 1);
    QCOMPARE(activity.count(), 1);
    QCOMPARE(poll.count(), 1);
}

void TestTray::secondInstanceActivatesTheFirst()
{
    const QString name = QStringLiteral("pollux-test-%1").arg(QCoreApplication::applicationPid());
    ui::SingleInstance first(name);
    QVERIFY(first.claim());
    QSignalSpy activated(&first, &ui::SingleInstance::activationRequested);
    ui::SingleInstance second(name);
    QVERIFY(!second.claim());
    QVERIFY(activated.wait(5000));
}

void TestTray::autostartEntry()
{
    QTemporaryDir dir;
    const QByteArray old = qgetenv("XDG_CONFIG_HOME");
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(dir.path()));
    QVERIFY(!ui::Autostart::isEnabled());
    QVERIFY(
        ui::Autostart::setEnabled(true, QStringLiteral("/opt/pol lux/pollux"),
                                  {QStringLiteral("--config"), QStringLiteral("/a \"$b.json")}));
    QVERIFY(ui::Autostart::isEnabled());
    QFile file(ui::Autostart::desktopFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY2(text.contains("Exec=\"/opt/pol lux/pollux\" \"--config\" \"/a \\\\\"\\\\$b.json\"\n"),
             text.constData());
    QVERIFY(text.startsWith("[Desktop Entry]\n"));
    QVERIFY(ui::Autostart::setEnabled(false, QString(), {}));
    QVERIFY(!ui::Autostart::isEnabled());
    qputenv("XDG_CONFIG_HOME", old);
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
