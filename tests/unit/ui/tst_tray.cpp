// The tray icon follows the engine's signals; its strings are translated.
#include "engine/Engine.h"
#include "ui/Autostart.h"
#include "ui/ErrorText.h"
#include "ui/SingleInstance.h"
#include "ui/TrayApp.h"
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
    void officeServerProblemShowsUntilADelivery();
    void storageProblemShowsUntilAPassOrADelivery();
    void otherErrorsShowUntilAPassSucceeds();
    void waitingMessagesAreCountedUntilDeliveredOrRefused();
    void refusedMessagesAreCountedAndNotified();
    void spoolLimitShowsUntilTheAccountsNextPass();
    void problemsAreKeptApart();
    void resetForgetsEverything();
    void restartKeepsWhatIsStillTrue();
    void backlogFromTheDatabaseIsCountedOnce();
    void watchFollowsTheEngine();
    void englishPluralForms();
    void pauseAndResume();
    void menuHasEveryAction();
    void secondInstanceActivatesTheFirst();
    void autostartEntry();
    void germanTranslationIsComplete();
    void qtsOwnTextsAreGermanToo();
};

void TestTray::followsPassSignals()
{
    TrayIcon tray;
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    tray.onPassStarted(QStringLiteral("Office"));
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    QVERIFY(tray.details().contains(QLatin1String("Office")));
    tray.onPassProgress(QStringLiteral("Office"), 3, 10);
    QVERIFY2(tray.details().contains(QLatin1String("3 of 10")), qPrintable(tray.details()));
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 10);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY2(tray.details().contains(QLatin1String("last pass")), qPrintable(tray.details()));
}

void TestTray::errorStaysVisibleUntilAPassSucceeds()
{
    TrayIcon tray;
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onPassFinished(QStringLiteral("Office"),
                        Result::failure(ErrorCode::AuthFailed, QStringLiteral("login refused")), 0);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.details().contains(QLatin1String("login refused")));
    QVERIFY2(tray.details().contains(
                 QLatin1String("Office: The server refused the username or password.")),
             qPrintable(tray.details()));
    QCOMPARE(tray.problems().size(), 1);
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
    QVERIFY(tray.details().contains(QLatin1String("Home")));
    pass(QStringLiteral("Office"), Result::success());
    QCOMPARE(notified.count(), 3);
    pass(QStringLiteral("Home"), Result::success());
    QCOMPARE(notified.count(), 4);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
}

void TestTray::officeServerProblemShowsUntilADelivery()
{
    TrayIcon tray;
    QSignalSpy notified(&tray, &TrayIcon::notified);
    const Result down = Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("smtp down"));
    tray.onDeliveryError(down);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.officeServerFailing());
    QCOMPARE(tray.problems().size(), 1);
    const QString line = tray.problems().first();
    QVERIFY2(line.startsWith(QLatin1String("Pollux: error: ")), qPrintable(line));
    QVERIFY2(line.contains(QLatin1String("office server")), qPrintable(line));
    QVERIFY2(line.contains(ui::ErrorText::sentence(down)), qPrintable(line));
    QVERIFY2(line.contains(QLatin1String("smtp down")), qPrintable(line));
    QVERIFY(tray.details().contains(line));
    QVERIFY(tray.failingAccounts().isEmpty()); // no account is to blame
    QCOMPARE(notified.count(), 1);
    QVERIFY2(notified.last().at(0).toString().contains(QLatin1String("office server")),
             qPrintable(notified.last().at(0).toString()));
    QVERIFY(notified.last().at(1).toString().contains(QLatin1String("smtp down")));

    // Still down: the text follows the latest error, no new notification.
    tray.onDeliveryError(Result::failure(ErrorCode::Timeout, QStringLiteral("no answer")));
    QCOMPARE(notified.count(), 1);
    QVERIFY(tray.details().contains(QLatin1String("no answer")));
    QVERIFY(!tray.details().contains(QLatin1String("smtp down")));

    // A successful pass does not mean the office server works again.
    tray.onPassStarted(QStringLiteral("Office"));
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 1);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.details().contains(QLatin1String("no answer")));

    // A delivery does.
    tray.onDelivered(QStringLiteral("Office"), QStringLiteral("uid-1"), QStringLiteral("250 ok"));
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY(!tray.officeServerFailing());
    QVERIFY(tray.problems().isEmpty());
    QVERIFY(!tray.details().contains(QLatin1String("office server")));
    QCOMPARE(notified.count(), 2);
    QCOMPARE(notified.last().at(1).toString(),
             QStringLiteral("Mail is delivered to the office server again."));
    tray.onDelivered(QStringLiteral("Office"), QStringLiteral("uid-2"), QStringLiteral("250 ok"));
    QCOMPARE(notified.count(), 2); // working is no news
}

void TestTray::storageProblemShowsUntilAPassOrADelivery()
{
    TrayIcon tray;
    QSignalSpy notified(&tray, &TrayIcon::notified);
    const Result full =
        Result::failure(ErrorCode::Storage, QStringLiteral("spool: No space left on device"));
    tray.onStorageError(full);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.storageFailing());
    QVERIFY2(tray.details().contains(QLatin1String("could not write to its spool or database")),
             qPrintable(tray.details()));
    QVERIFY(tray.details().contains(QLatin1String("No space left on device")));
    QCOMPARE(notified.count(), 1);
    tray.onStorageError(full);
    QCOMPARE(notified.count(), 1); // once when it starts

    // A failed pass wrote nothing: the problem stays.
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onPassFinished(QStringLiteral("Office"),
                        Result::failure(ErrorCode::Network, QStringLiteral("reset")), 0);
    QVERIFY(tray.storageFailing());
    QCOMPARE(tray.problems().size(), 2);
    // A successful pass wrote the store.
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 0);
    QVERIFY(!tray.storageFailing());
    QCOMPARE(tray.state(), TrayIcon::State::Idle);

    // So did a delivery.
    tray.onStorageError(full);
    QCOMPARE(notified.count(), 4); // Office failed, Office works again, storage again
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    tray.onDelivered(QStringLiteral("Office"), QStringLiteral("uid-1"), QStringLiteral("250 ok"));
    QVERIFY(!tray.storageFailing());
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
}

void TestTray::otherErrorsShowUntilAPassSucceeds()
{
    TrayIcon tray;
    tray.onError(Result::failure(ErrorCode::Config, QStringLiteral("smtp.host: empty")));
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.details().contains(QLatin1String("smtp.host: empty")));
    QVERIFY(tray.details().contains(QLatin1String("The settings are not valid.")));
    tray.onPassStarted(QStringLiteral("Office"));
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 1);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
}

void TestTray::waitingMessagesAreCountedUntilDeliveredOrRefused()
{
    TrayIcon tray;
    QSignalSpy notified(&tray, &TrayIcon::notified);
    const QString office = QStringLiteral("Office");
    const QString home = QStringLiteral("Home");
    tray.onDeferred(office, QStringLiteral("1"), QStringLiteral("451 4.3.0 Try again later"));
    QCOMPARE(tray.state(), TrayIcon::State::Idle); // waiting alone is no error
    QCOMPARE(tray.waitingCount(), 1);
    QVERIFY(tray.problems().isEmpty());
    QCOMPARE(tray.notes().size(), 1);
    QVERIFY2(tray.details().contains(QLatin1String("1 message(s) wait for the office server "
                                                   "(last answer: 451 4.3.0 Try again later)")),
             qPrintable(tray.details()));
    // The same message again counts once; the same uid of another account is another one.
    tray.onDeferred(office, QStringLiteral("1"), QStringLiteral("451 4.3.0 Try again later"));
    tray.onDeferred(office, QStringLiteral("2"), QStringLiteral("452 4.3.1 Mailbox full"));
    tray.onDeferred(home, QStringLiteral("1"), QStringLiteral("452 4.3.1 Mailbox full"));
    QCOMPARE(tray.waitingCount(), 3);
    QVERIFY2(tray.details().contains(QLatin1String("3 message(s) wait for the office server "
                                                   "(last answer: 452 4.3.1 Mailbox full)")),
             qPrintable(tray.details()));
    QCOMPARE(notified.count(), 0); // the retry is routine

    tray.onDelivered(office, QStringLiteral("1"), QStringLiteral("250 ok"));
    QCOMPARE(tray.waitingCount(), 2);
    QVERIFY(tray.details().contains(QLatin1String("2 message(s) wait")));
    tray.onQuarantined(home, QStringLiteral("1"), QStringLiteral("550 5.1.1 No such user"));
    QCOMPARE(tray.waitingCount(), 1);
    QCOMPARE(tray.refusedCount(), 1);
    tray.onDelivered(QStringLiteral("Other"), QStringLiteral("2"), QStringLiteral("250 ok"));
    QCOMPARE(tray.waitingCount(), 1); // another account's uid 2
    tray.onDelivered(office, QStringLiteral("2"), QStringLiteral("250 ok"));
    QCOMPARE(tray.waitingCount(), 0);
    QVERIFY(!tray.details().contains(QLatin1String("wait for the office server")));
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
}

void TestTray::refusedMessagesAreCountedAndNotified()
{
    TrayIcon tray;
    QSignalSpy notified(&tray, &TrayIcon::notified);
    const QString reply = QStringLiteral("550 5.1.1 No such user");
    tray.onQuarantined(QStringLiteral("Office"), QStringLiteral("1"), reply);
    QCOMPARE(tray.state(), TrayIcon::State::Idle); // the activity window handles them
    QCOMPARE(tray.refusedCount(), 1);
    QVERIFY(tray.problems().isEmpty());
    QVERIFY2(tray.details().contains(
                 QLatin1String("1 message(s) refused by the office server; see Activity")),
             qPrintable(tray.details()));
    QCOMPARE(notified.count(), 1);
    QVERIFY(notified.last().at(0).toString().contains(QLatin1String("Office")));
    QVERIFY(notified.last().at(1).toString().contains(reply));

    // One notification per refusal.
    tray.onQuarantined(QStringLiteral("Home"), QStringLiteral("7"),
                       QStringLiteral("552 5.3.4 Message too big"));
    QCOMPARE(notified.count(), 2);
    QVERIFY(notified.last().at(0).toString().contains(QLatin1String("Home")));
    QVERIFY(notified.last().at(1).toString().contains(QLatin1String("552 5.3.4 Message too big")));
    QVERIFY(tray.details().contains(QLatin1String("2 message(s) refused by the office server")));

    // Retried from the activity window: deferred, then delivered.
    tray.onDeferred(QStringLiteral("Home"), QStringLiteral("7"), QStringLiteral("451 later"));
    QCOMPARE(tray.refusedCount(), 1);
    QCOMPARE(tray.waitingCount(), 1);
    tray.onDelivered(QStringLiteral("Office"), QStringLiteral("1"), QStringLiteral("250 ok"));
    tray.onDelivered(QStringLiteral("Home"), QStringLiteral("7"), QStringLiteral("250 ok"));
    QCOMPARE(tray.refusedCount(), 0);
    QCOMPARE(tray.waitingCount(), 0);
    QVERIFY(!tray.details().contains(QLatin1String("refused")));
    QCOMPARE(notified.count(), 2);
}

void TestTray::spoolLimitShowsUntilTheAccountsNextPass()
{
    TrayIcon tray;
    QSignalSpy notified(&tray, &TrayIcon::notified);
    const QString office = QStringLiteral("Office");
    const qint64 limit = 2048LL * 1024 * 1024;
    // The signal comes during the pass, before its end.
    tray.onPassStarted(office);
    tray.onSpoolLimitReached(office, 5, limit + 10, limit);
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    tray.onPassFinished(office, Result::success(), 0);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QCOMPARE(tray.spoolLimitedAccounts(), QStringList{office});
    QVERIFY(tray.failingAccounts().isEmpty()); // the pass itself worked
    QCOMPARE(tray.problems().size(), 1);
    const QString line = tray.problems().first();
    QVERIFY2(
        line.contains(
            QStringLiteral("the spool limit (%1 MiB) is reached").arg(QLocale().toString(2048))),
        qPrintable(line));
    QVERIFY2(line.contains(QLatin1String("5 new message(s) stay on the server of Office")),
             qPrintable(line));
    QVERIFY(tray.details().contains(line));
    QCOMPARE(notified.count(), 1);
    QVERIFY(notified.last().at(1).toString().contains(office));

    // The next pass starts: the problem is gone until the pass says it again.
    tray.onPassStarted(office);
    QVERIFY(tray.problems().isEmpty());
    tray.onSpoolLimitReached(office, 3, limit + 10, limit);
    tray.onPassFinished(office, Result::success(), 0);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.details().contains(QLatin1String("3 new message(s)")));
    QCOMPARE(notified.count(), 1); // still full: no news

    // Another account's pass does not clear it.
    tray.onPassStarted(QStringLiteral("Home"));
    tray.onPassFinished(QStringLiteral("Home"), Result::success(), 2);
    QCOMPARE(tray.state(), TrayIcon::State::Error);

    // A pass below the limit clears it; reaching it again is news again.
    tray.onPassStarted(office);
    tray.onPassFinished(office, Result::success(), 3);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY(tray.spoolLimitedAccounts().isEmpty());
    tray.onPassStarted(office);
    tray.onSpoolLimitReached(office, 1, limit, limit);
    tray.onPassFinished(office, Result::success(), 0);
    QCOMPARE(notified.count(), 2);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
}

void TestTray::problemsAreKeptApart()
{
    TrayIcon tray;
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onPassFinished(QStringLiteral("Office"),
                        Result::failure(ErrorCode::Timeout, QStringLiteral("no answer")), 0);
    tray.onDeliveryError(Result::failure(ErrorCode::Network, QStringLiteral("reset by peer")));
    tray.onStorageError(Result::failure(ErrorCode::Storage, QStringLiteral("disk full")));
    tray.onDeferred(QStringLiteral("Office"), QStringLiteral("1"), QStringLiteral("451 later"));
    tray.onQuarantined(QStringLiteral("Office"), QStringLiteral("2"), QStringLiteral("550 no"));
    QCOMPARE(tray.problems().size(), 3);
    QCOMPARE(tray.notes().size(), 2);
    QCOMPARE(tray.details().split(QLatin1Char('\n')).size(), 5);

    tray.onDelivered(QStringLiteral("Office"), QStringLiteral("3"), QStringLiteral("250 ok"));
    // The office server and the store work; the account still fails.
    QCOMPARE(tray.problems().size(), 1);
    QCOMPARE(tray.failingAccounts(), QStringList{QStringLiteral("Office")});
    QVERIFY(tray.problems().first().contains(QLatin1String("no answer")));
    QVERIFY(tray.problems().first().contains(QLatin1String("The server did not answer in time.")));
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 0);
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QCOMPARE(tray.notes().size(), 2); // the messages still wait or stay refused
}

void TestTray::resetForgetsEverything()
{
    TrayIcon tray;
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onSpoolLimitReached(QStringLiteral("Office"), 1, 20, 10);
    tray.onPassStarted(QStringLiteral("Home"));
    tray.onPassFinished(QStringLiteral("Home"),
                        Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR")), 0);
    tray.onDeliveryError(Result::failure(ErrorCode::Network, QStringLiteral("reset")));
    tray.onStorageError(Result::failure(ErrorCode::Storage, QStringLiteral("disk full")));
    tray.onError(Result::failure(ErrorCode::Config, QStringLiteral("bad")));
    tray.onDeferred(QStringLiteral("Home"), QStringLiteral("1"), QStringLiteral("451 later"));
    tray.onQuarantined(QStringLiteral("Home"), QStringLiteral("2"), QStringLiteral("550 no"));
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    tray.reset();
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY(tray.problems().isEmpty());
    QVERIFY(tray.notes().isEmpty());
    QVERIFY(tray.failingAccounts().isEmpty());
    QVERIFY(tray.spoolLimitedAccounts().isEmpty());
    QCOMPARE(tray.details(), QStringLiteral("Pollux: idle"));
}

void TestTray::restartKeepsWhatIsStillTrue()
{
    TrayIcon tray;
    tray.onPassStarted(QStringLiteral("Office"));
    tray.onPassFinished(QStringLiteral("Gone"),
                        Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR gone")), 0);
    tray.onPassFinished(QStringLiteral("Home"),
                        Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR home")), 0);
    tray.onSpoolLimitReached(QStringLiteral("Gone"), 2, 20, 10);
    tray.onDeliveryError(Result::failure(ErrorCode::Network, QStringLiteral("reset")));
    tray.onError(Result::failure(ErrorCode::Config, QStringLiteral("bad settings")));
    tray.onDeferred(QStringLiteral("Home"), QStringLiteral("1"), QStringLiteral("451 later"));
    tray.onQuarantined(QStringLiteral("Home"), QStringLiteral("2"), QStringLiteral("550 no"));

    tray.restarted({QStringLiteral("Office"), QStringLiteral("Home")});
    QCOMPARE(tray.state(), TrayIcon::State::Error); // no pass runs: Office's ended silently
    QCOMPARE(tray.failingAccounts(), QStringList{QStringLiteral("Home")});
    QVERIFY(tray.spoolLimitedAccounts().isEmpty());
    QVERIFY(tray.officeServerFailing());
    QVERIFY2(!tray.details().contains(QLatin1String("bad settings")), qPrintable(tray.details()));
    QCOMPARE(tray.waitingCount(), 1);
    QCOMPARE(tray.refusedCount(), 1);
    // And they clear by their own rules afterwards.
    tray.onDelivered(QStringLiteral("Home"), QStringLiteral("1"), QStringLiteral("250"));
    QCOMPARE(tray.waitingCount(), 0);
    QVERIFY(!tray.officeServerFailing());
}

void TestTray::backlogFromTheDatabaseIsCountedOnce()
{
    using Key = QPair<QString, QString>;
    const auto key = [](const char *uid) {
        return Key(QStringLiteral("Office"), QLatin1String(uid));
    };
    TrayIcon tray;
    // Since start, before the database's backlog arrives: d2 delivered, d3 refused.
    tray.onDelivered(QStringLiteral("Office"), QStringLiteral("d2"), QStringLiteral("250"));
    tray.onQuarantined(QStringLiteral("Office"), QStringLiteral("d3"), QStringLiteral("550"));
    tray.seedBacklog({key("d1"), key("d2"), key("d3")}, {key("r1"), key("d2")});
    QCOMPARE(tray.waitingCount(), 1);              // d1 (d2 went out, d3 was refused since)
    QCOMPARE(tray.refusedCount(), 2);              // r1 and d3 (d2 was delivered after all)
    QCOMPARE(tray.state(), TrayIcon::State::Idle); // counts, not errors
    QVERIFY2(tray.details().contains(QLatin1String("wait for the office server")) &&
                 tray.details().contains(QLatin1String("refused by the office server")),
             qPrintable(tray.details()));
    tray.seedBacklog({key("x1"), key("x2")}, {}); // later loads change nothing
    QCOMPARE(tray.waitingCount(), 1);
    tray.onDelivered(QStringLiteral("Office"), QStringLiteral("d1"), QStringLiteral("250"));
    QCOMPARE(tray.waitingCount(), 0);
}

void TestTray::watchFollowsTheEngine()
{
    Engine engine(nullptr, nullptr); // never started: the test emits its signals
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy notified(&tray, &TrayIcon::notified);
    const QString office = QStringLiteral("Office");
    emit engine.passStarted(office);
    emit engine.passProgress(office, 1, 4);
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    QVERIFY(tray.details().contains(QLatin1String("1 of 4")));
    emit engine.spoolLimitReached(office, 3, 11LL << 20, 10LL << 20);
    emit engine.passFinished(office, Result::failure(ErrorCode::Network, QStringLiteral("x")), 1);
    QCOMPARE(tray.failingAccounts(), QStringList{office});
    QCOMPARE(tray.spoolLimitedAccounts(), QStringList{office});
    emit engine.deliveryError(Result::failure(ErrorCode::Network, QStringLiteral("y")));
    QVERIFY(tray.officeServerFailing());
    emit engine.storageError(Result::failure(ErrorCode::Storage, QStringLiteral("z")));
    QVERIFY(tray.storageFailing());
    emit engine.deferred(office, QStringLiteral("1"), QStringLiteral("451"),
                         QDateTime::currentDateTimeUtc());
    QCOMPARE(tray.waitingCount(), 1);
    emit engine.quarantined(office, QStringLiteral("2"), QStringLiteral("550"),
                            QStringLiteral("BADMAIL"));
    QCOMPARE(tray.refusedCount(), 1);
    emit engine.delivered(office, QStringLiteral("1"), QStringLiteral("250"));
    QCOMPARE(tray.waitingCount(), 0);
    QVERIFY(!tray.officeServerFailing());
    QVERIFY(!tray.storageFailing());
    // failure, spool limit, office server, storage, refusal, office server again
    QCOMPARE(notified.count(), 6);
}

void TestTray::englishPluralForms()
{
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral("pollux_en"), QStringLiteral(":/i18n")));
    QVERIFY(QApplication::installTranslator(&translator));
    {
        TrayIcon tray;
        tray.onDeferred(QStringLiteral("Office"), QStringLiteral("1"), QStringLiteral("451"));
        tray.onQuarantined(QStringLiteral("Office"), QStringLiteral("2"), QStringLiteral("550"));
        tray.onQuarantined(QStringLiteral("Office"), QStringLiteral("3"), QStringLiteral("550"));
        tray.onPassStarted(QStringLiteral("Office"));
        tray.onSpoolLimitReached(QStringLiteral("Office"), 1, 20LL << 20, 10LL << 20);
        tray.onPassFinished(QStringLiteral("Office"), Result::success(), 0);
        const QString tip = tray.details();
        QVERIFY2(tip.contains(QLatin1String("1 message waits for the office server")),
                 qPrintable(tip));
        QVERIFY2(tip.contains(QLatin1String("2 messages refused by the office server")),
                 qPrintable(tip));
        QVERIFY2(tip.contains(QLatin1String("1 new message stays on the server of Office")),
                 qPrintable(tip));
    }
    QApplication::removeTranslator(&translator);
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
    QVERIFY(tray.details().contains(QLatin1String("paused")));
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
        QVERIFY2(tray.details().contains(QLatin1String("1 von 2 Nachrichten")),
                 qPrintable(tray.details()));
        tray.onPassFinished(QStringLiteral("Office"), Result::success(), 2);
        tray.onDeliveryError(Result::failure(ErrorCode::Network, QStringLiteral("reset")));
        tray.onQuarantined(QStringLiteral("Office"), QStringLiteral("1"), QStringLiteral("550"));
        tray.onQuarantined(QStringLiteral("Office"), QStringLiteral("2"), QStringLiteral("550"));
        QVERIFY2(tray.details().contains(QStringLiteral(
                     "Pollux: Fehler: E-Mails können nicht an den Mailserver im Büro zugestellt "
                     "werden: Die Netzwerkverbindung")),
                 qPrintable(tray.details()));
        QVERIFY2(tray.details().contains(
                     QStringLiteral("2 Nachrichten vom Mailserver im Büro abgelehnt")),
                 qPrintable(tray.details()));
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

// The language the application installs also covers Qt's own texts (file dialog, standard
// buttons), from Debian's qt6-translations-l10n; English installs none of them.
void TestTray::qtsOwnTextsAreGermanToo()
{
    const auto cancel = [] { return QCoreApplication::translate("QPlatformTheme", "Cancel"); };
    QCOMPARE(cancel(), QStringLiteral("Cancel"));
    {
        QTranslator *ours = pollux::ui::installTranslator(QStringLiteral("de"));
        QVERIFY(ours);
        QCOMPARE(cancel(), QStringLiteral("Abbrechen"));
        QCOMPARE(QCoreApplication::translate("QFileDialog", "File &name:"),
                 QStringLiteral("Datei&name:"));
        // Remove them again (both children of the application).
        for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
            QApplication::removeTranslator(t);
            delete t;
        }
    }
    QCOMPARE(cancel(), QStringLiteral("Cancel"));
    QTranslator *english = pollux::ui::installTranslator(QStringLiteral("en"));
    QVERIFY(english);
    QCOMPARE(cancel(), QStringLiteral("Cancel"));
    QCOMPARE(qApp->findChildren<QTranslator *>().size(), 1);
    QApplication::removeTranslator(english);
    delete english;
}

QTEST_MAIN(TestTray)
#include "tst_tray.moc"
