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
    void summaryTellsWhatMattersMost();
    void summaryFitsTheWindowsLimit();
    void notSetUpYet();
    void waitingCountsIncludeUntriedMessages();
    void summaryInGerman();
};

namespace {
Config fourMailboxes(const QStringList &names = {
                         QStringLiteral("fine"), QStringLiteral("wrong password"),
                         QStringLiteral("unknown host"), QStringLiteral("refused port")})
{
    Config c;
    c.smtp.host = QStringLiteral("mail.office.example");
    for (const QString &name : names) {
        AccountConfig a;
        a.name = name;
        a.host = QStringLiteral("pop.example.com");
        c.accounts << a;
    }
    return c;
}

QString localTime(const QDateTime &when)
{
    return QLocale().toString(when.time(), QLocale::ShortFormat);
}
} // namespace

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
                        Result::failure(ErrorCode::AuthFailed, QStringLiteral("login refused"))
                            .withServerSaid(QByteArray("-ERR [AUTH] login refused")),
                        0);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    // The server's words, apart; our English message (for the log) is not shown.
    QVERIFY2(tray.details().contains(QLatin1String("The server said: -ERR [AUTH] login refused")),
             qPrintable(tray.details()));
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
    const Result down = Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("smtp down"))
                            .withServer(QStringLiteral("smtp.office.example"), 25);
    tray.onDeliveryError(down);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.officeServerFailing());
    QCOMPARE(tray.problems().size(), 1);
    const QString line = tray.problems().first();
    QVERIFY2(line.startsWith(QLatin1String("Pollux: error: ")), qPrintable(line));
    QVERIFY2(line.contains(QLatin1String("office server")), qPrintable(line));
    QVERIFY2(line.contains(ui::ErrorText::sentence(down)), qPrintable(line));
    QVERIFY2(line.contains(QLatin1String("smtp.office.example")), qPrintable(line));
    QVERIFY2(!line.contains(QLatin1String("smtp down")), qPrintable(line));
    QVERIFY(tray.details().contains(line));
    QVERIFY(tray.failingAccounts().isEmpty()); // no account is to blame
    QCOMPARE(notified.count(), 1);
    QVERIFY2(notified.last().at(0).toString().contains(QLatin1String("office server")),
             qPrintable(notified.last().at(0).toString()));
    QVERIFY2(notified.last().at(1).toString().contains(QLatin1String("smtp.office.example")) &&
                 !notified.last().at(1).toString().contains(QLatin1String("smtp down")),
             qPrintable(notified.last().at(1).toString()));

    // Still down: the text follows the latest error, no new notification.
    const Result quiet = Result::failure(ErrorCode::Timeout, QStringLiteral("no answer"));
    tray.onDeliveryError(quiet);
    QCOMPARE(notified.count(), 1);
    QVERIFY(tray.details().contains(ui::ErrorText::sentence(quiet)));
    QVERIFY(!tray.details().contains(ui::ErrorText::sentence(down)));

    // A successful pass does not mean the office server works again.
    tray.onPassStarted(QStringLiteral("Office"));
    QCOMPARE(tray.state(), TrayIcon::State::Polling);
    tray.onPassFinished(QStringLiteral("Office"), Result::success(), 1);
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.details().contains(ui::ErrorText::sentence(quiet)));

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
    QVERIFY(!tray.details().contains(QLatin1String("No space left on device"))); // in the log
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
    QVERIFY(!tray.details().contains(QLatin1String("smtp.host: empty"))); // in the log
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
    QVERIFY(!tray.problems().first().contains(QLatin1String("no answer"))); // in the log
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

// The tester's case: four mailboxes (one fine, one wrong password, one unknown host, one
// refused port), the office server down with the fine one's message stuck.
void TestTray::summaryTellsWhatMattersMost()
{
    TrayIcon tray;
    tray.setConfig(fourMailboxes());
    const auto pass = [&tray](const QString &account, const Result &r, int collected = 0) {
        tray.onPassStarted(account);
        tray.onPassFinished(account, r, collected);
    };
    pass(QStringLiteral("fine"), Result::success(), 1);
    pass(QStringLiteral("wrong password"),
         Result::failure(ErrorCode::AuthFailed,
                         QStringLiteral("-ERR [AUTH] Authentication failed")));
    pass(QStringLiteral("unknown host"),
         Result::failure(ErrorCode::HostNotFound, QStringLiteral("Host not found")));
    pass(QStringLiteral("refused port"),
         Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("Connection refused")));
    tray.onDeliveryError(
        Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("Connection refused")));
    const QString since = localTime(tray.officeServerFailingSince());
    // The message was never tried (the connection failed first): the engine's count has it.
    tray.setWaitingCounts({{QStringLiteral("fine"), 1}});
    QCOMPARE(tray.toolTip(),
             QStringLiteral("Pollux: 1 message(s) waiting: office server unreachable since %1")
                 .arg(since));
    QVERIFY(!tray.toolTip().contains(QLatin1Char('\n'))); // one line, not a log
    // The details stay for the window.
    QCOMPARE(tray.problems().size(), 4);

    // The office server takes the mail: the mailboxes come next, grouped by their state.
    tray.onDelivered(QStringLiteral("fine"), QStringLiteral("1"), QStringLiteral("250 ok"));
    QCOMPARE(tray.waitingCount(), 0);
    QCOMPARE(tray.toolTip(),
             QStringLiteral("Pollux: Refused login: wrong password; Cannot connect: 2 mailboxes"));
    // Sign-in needed comes first.
    tray.onSignInState(QStringLiteral("office catch-all"), true, {}, QStringLiteral("revoked"));
    QVERIFY2(tray.toolTip().startsWith(
                 QLatin1String("Pollux: Sign-in needed: office catch-all; Refused login")),
             qPrintable(tray.toolTip()));
    tray.onSignInState(QStringLiteral("office catch-all"), false, {}, {});
    pass(QStringLiteral("wrong password"), Result::success());
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Cannot connect: 2 mailboxes"));
    pass(QStringLiteral("unknown host"), Result::success());
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Cannot connect: refused port"));
    pass(QStringLiteral("refused port"), Result::success());
    QVERIFY2(tray.toolTip().startsWith(QStringLiteral("Pollux: All 4 mailbox(es) OK — last pass ")),
             qPrintable(tray.toolTip()));
    // Waiting mail with a working office server is still told.
    tray.setWaitingCounts({{QStringLiteral("fine"), 2}, {QStringLiteral("refused port"), 1}});
    QVERIFY2(tray.toolTip().endsWith(QStringLiteral(" — 3 message(s) waiting")),
             qPrintable(tray.toolTip()));
    // Paused says so, above everything but the set-up.
    tray.onDeliveryError(Result::failure(ErrorCode::Timeout, QStringLiteral("no answer")));
    tray.setPaused(true);
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Paused — 3 message(s) waiting"));
    tray.setPaused(false);
    // An office server that answers but refuses is not "unreachable".
    tray.onDeliveryError(Result::failure(ErrorCode::AuthFailed, QStringLiteral("535 no")));
    QVERIFY2(tray.toolTip().contains(QLatin1String("office server not accepting mail since")),
             qPrintable(tray.toolTip()));
    // The service gone beats everything.
    tray.setService(TrayIcon::Service::Down);
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Pollux service not running"));
}

void TestTray::summaryFitsTheWindowsLimit()
{
    // Long names, with a character outside the BMP (two UTF-16 units) where a cut would fall.
    QString longName = QString(90, QLatin1Char('x')) + QStringLiteral("\U0001F4E7") +
                       QString(60, QLatin1Char('y'));
    const QStringList names{longName, longName + QStringLiteral("2")};
    TrayIcon tray;
    tray.setConfig(fourMailboxes(names));
    const auto check = [&tray](const char *what) {
        const QString tip = tray.toolTip();
        QVERIFY2(tip.size() <= TrayIcon::kMaxToolTipLength, what);
        QVERIFY2(tip.isValidUtf16(), what); // no half of a character
        QVERIFY2(!tip.contains(QLatin1Char('\n')), what);
        QVERIFY2(tip.startsWith(QLatin1String("Pollux: ")), what);
    };
    tray.onPassStarted(longName);
    check("polling");
    tray.onPassFinished(longName, Result::failure(ErrorCode::AuthFailed, QStringLiteral("no")), 0);
    check("refused login");
    QVERIFY(tray.toolTip().contains(QStringLiteral("xxxxx")));
    tray.onPassFinished(names.at(1),
                        Result::failure(ErrorCode::Tls, QString(300, QLatin1Char('t'))), 0);
    check("two kinds");
    tray.onSignInState(longName + QStringLiteral("3"), true, {}, QStringLiteral("revoked"));
    check("three kinds");
    tray.onError(Result::failure(ErrorCode::Config, QString(500, QLatin1Char('e'))));
    check("other error");
    tray.onDeliveryError(Result::failure(ErrorCode::Timeout, QString(500, QLatin1Char('s'))));
    tray.setWaitingCounts({{longName, 123456}});
    check("office server");
    QVERIFY(tray.toolTip().contains(QLocale().toString(123456)) ||
            tray.toolTip().contains(QStringLiteral("123456")));
    // Names are cut between characters, never inside one.
    const QString mail = QStringLiteral("\U0001F4E7");
    TrayIcon named;
    named.onPassFinished(QString(48, QLatin1Char('x')) + mail + QString(20, QLatin1Char('y')),
                         Result::failure(ErrorCode::AuthFailed, QStringLiteral("no")), 0);
    QCOMPARE(named.toolTip(), QStringLiteral("Pollux: Refused login: ") +
                                  QString(48, QLatin1Char('x')) + QChar(0x2026));
    // So is the whole line: here a character of two UTF-16 units would end at unit 127.
    TrayIcon other;
    // (The server's words are the part of the line that comes from outside.)
    other.onError(Result::failure(ErrorCode::ServerError, QStringLiteral("x"))
                      .withServerSaid(QStringLiteral("z")));
    const int prefix = int(other.summary().indexOf(QLatin1Char('z')));
    QVERIFY2(prefix > 0 && prefix < 100, qPrintable(other.summary()));
    other.onError(Result::failure(ErrorCode::ServerError, QStringLiteral("x"))
                      .withServerSaid(QString(125 - prefix, QLatin1Char('z')) + mail +
                                      QString(100, QLatin1Char('z'))));
    QCOMPARE(other.summary().mid(125, 2), mail);
    QCOMPARE(other.toolTip(), other.summary().left(125) + QChar(0x2026));
    QVERIFY(other.toolTip().isValidUtf16());
}

void TestTray::notSetUpYet()
{
    TrayIcon tray;
    tray.setConfig(Config{}); // first start: nothing set up
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Not set up yet"));
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    Config noOffice = fourMailboxes();
    noOffice.smtp.host.clear();
    tray.setConfig(noOffice);
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Not set up yet"));
    Config noMailbox = fourMailboxes({});
    tray.setConfig(noMailbox);
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Not set up yet"));
    Config allOff = fourMailboxes({QStringLiteral("a")});
    allOff.accounts[0].enabled = false;
    tray.setConfig(allOff);
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: No mailbox is enabled"));
    tray.setConfig(fourMailboxes({QStringLiteral("a")}));
    QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: All 1 mailbox(es) OK"));
}

void TestTray::waitingCountsIncludeUntriedMessages()
{
    TrayIcon tray;
    QSignalSpy changed(&tray, &TrayIcon::changed);
    // Before the engine counted: what waits after a 4xx.
    tray.onDeferred(QStringLiteral("Office"), QStringLiteral("1"), QStringLiteral("451 later"));
    QCOMPARE(tray.waitingCount(), 1);
    // The engine's count has the untried messages too.
    tray.setWaitingCounts({{QStringLiteral("Office"), 3}, {QStringLiteral("Home"), 2}});
    QVERIFY(changed.count() >= 2);
    QCOMPARE(tray.waitingCount(), 5);
    QCOMPARE(tray.waitingCount(QStringLiteral("Office")), 3);
    QCOMPARE(tray.waitingCount(QStringLiteral("Nobody")), 0);
    QVERIFY2(
        tray.notes().first().contains(QLatin1String("5 message(s) wait for the office server")),
        qPrintable(tray.notes().join(QLatin1Char('\n'))));
    // Until the next count: a delivery or a refusal is one less; a pass's mail waits for the
    // count (some of it may be delivered before the pass ends).
    tray.onDelivered(QStringLiteral("Office"), QStringLiteral("1"), QStringLiteral("250"));
    tray.onQuarantined(QStringLiteral("Home"), QStringLiteral("7"), QStringLiteral("550"));
    QCOMPARE(tray.waitingCount(), 3);
    tray.onPassStarted(QStringLiteral("Home"));
    tray.onPassFinished(QStringLiteral("Home"), Result::success(), 4);
    QCOMPARE(tray.waitingCount(QStringLiteral("Home")), 1);
    tray.setWaitingCounts({{QStringLiteral("Office"), 2}, {QStringLiteral("Home"), 5}});
    QCOMPARE(tray.waitingCount(QStringLiteral("Home")), 5);
    // A refused message retried and delivered was not counted as waiting.
    tray.onDelivered(QStringLiteral("Home"), QStringLiteral("7"), QStringLiteral("250"));
    QCOMPARE(tray.waitingCount(QStringLiteral("Home")), 5);
    // The count is the truth again.
    tray.setWaitingCounts({});
    QCOMPARE(tray.waitingCount(), 0);
}

void TestTray::summaryInGerman()
{
    QTranslator *german = pollux::ui::installTranslator(QStringLiteral("de"));
    QVERIFY(german);
    {
        TrayIcon tray;
        tray.setConfig(Config{});
        QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Noch nicht eingerichtet"));
        tray.setConfig(fourMailboxes());
        tray.onPassStarted(QStringLiteral("fine"));
        tray.onPassFinished(QStringLiteral("fine"), Result::success(), 2);
        QVERIFY2(tray.toolTip().startsWith(QStringLiteral("Pollux: Alle 4 Postfächer OK")),
                 qPrintable(tray.toolTip()));
        tray.onPassFinished(QStringLiteral("unknown host"),
                            Result::failure(ErrorCode::HostNotFound, QStringLiteral("x")), 0);
        tray.onPassFinished(QStringLiteral("refused port"),
                            Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("x")), 0);
        QCOMPARE(tray.toolTip(), QStringLiteral("Pollux: Keine Verbindung: 2 Postfächer"));
        tray.onDeliveryError(Result::failure(ErrorCode::Timeout, QStringLiteral("x")));
        tray.setWaitingCounts({{QStringLiteral("fine"), 12}});
        QCOMPARE(tray.toolTip(),
                 QStringLiteral("Pollux: 12 Nachrichten warten: Mailserver im Büro nicht "
                                "erreichbar seit %1")
                     .arg(localTime(tray.officeServerFailingSince())));
    }
    for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
        QApplication::removeTranslator(t);
        delete t;
    }
}

QTEST_MAIN(TestTray)
#include "tst_tray.moc"
