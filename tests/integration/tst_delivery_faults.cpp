// Delivery to a real SMTP server that refuses: 4xx is retried with backoff, 5xx goes to
// quarantine, an unreachable server keeps the mail in the spool until it is back.
#include "EngineRun.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/FreePort.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Store.h"
#include "ui/ErrorText.h"
#include "ui/TrayIcon.h"

#include <QDir>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using pollux::ui::TrayIcon;

namespace {
// How many desktop notifications had a title containing `text`.
int notificationsAbout(const QSignalSpy &notified, const QString &text)
{
    int n = 0;
    for (const QList<QVariant> &args : notified)
        n += args.at(0).toString().contains(text) ? 1 : 0;
    return n;
}
} // namespace

class TestDeliveryFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void transientFailureIsRetriedAfterBackoff();
    void permanentRefusalGoesToBadmail();
    void tooLargeGoesToToolarge();
    void unreachableServerKeepsMailUntilItIsBack();
    void refusedMessageCanBeRetried_data();
    void refusedMessageCanBeRetried();
    void refusedMessageCanBeDiscarded();
    void pauseStopsEverythingAndResumeStartsAgain();

private:
    QString newUser(int messages);
    Config makeConfig(const QString &user, quint16 smtpPort);
    QList<MessageRecord> records(const Config &config, const QString &user);

    DovecotServer m_dovecot;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestDeliveryFaults::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
}

QString TestDeliveryFaults::newUser(int messages)
{
    const QString user = QStringLiteral("fault%1").arg(++m_users);
    m_dovecot.addUser(user, QStringLiteral("secret-%1").arg(m_users));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("secret-%1").arg(m_users));
    for (int i = 1; i <= messages; ++i)
        m_dovecot.deliver(user, makeMessage(i, 2000 + i * 100));
    return user;
}

Config TestDeliveryFaults::makeConfig(const QString &user, quint16 smtpPort)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true; // USER/PASS over plain POP3: the documented default type
    a.timeoutSecs = 30;
    a.recipient = QStringLiteral("staff@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = smtpPort;
    c.smtp.timeoutSecs = 10;
    c.smtp.retryIntervalSecs = 120;
    c.dataDir = m_dir.filePath(user);
    return c;
}

QList<MessageRecord> TestDeliveryFaults::records(const Config &config, const QString &user)
{
    Store store(Engine::databasePath(config), Clock::system());
    QList<MessageRecord> out;
    if (!store.open().ok() || !store.messages(user, out).ok())
        return {};
    return out;
}

void TestDeliveryFaults::transientFailureIsRetriedAfterBackoff()
{
    SmtpSink::Options options;
    options.tempFailFirst = 1;
    options.tempFailStage = QStringLiteral("data");
    SmtpSink sink(options);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = newUser(3);
    const Config config = makeConfig(user, sink.port());
    ManualClock clock;
    Engine engine(&m_secrets, &clock);
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy deferred(&engine, &Engine::deferred);
    QVERIFY(engine.start(config, {false, 0}).ok());

    bool ok = true;
    QVERIFY(runOnce(engine, ok));
    QVERIFY(!ok); // something is still waiting
    QCOMPARE(deferred.size(), 1);
    // The tray counts the waiting message and shows the answer; a 4xx alone is no error.
    QCOMPARE(tray.waitingCount(), 1);
    QVERIFY2(tray.details().contains(QLatin1String(
                 "wait for the office server (last answer: 451 4.3.0 Try again later")),
             qPrintable(tray.details()));
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY(tray.problems().isEmpty());
    const QDateTime firstRetry = deferred.first().at(3).toDateTime();
    QCOMPARE(clock.now().secsTo(firstRetry), 120);
    // The mail is safe in the spool, so the server copy could go.
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QCOMPARE(sink.messages().size(), 2);

    // Not yet due: nothing happens.
    clock.advance(60);
    QVERIFY(runOnce(engine, ok));
    QVERIFY(!ok);
    QCOMPARE(sink.messages().size(), 2);

    clock.advance(61);
    QVERIFY(runOnce(engine, ok));
    QVERIFY(ok);
    QCOMPARE(sink.messages().size(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(tray.waitingCount(), 0, 5000); // counted again shortly after
    QVERIFY2(!tray.details().contains(QLatin1String("wait for the office server")),
             qPrintable(tray.details()));
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    for (const MessageRecord &r : records(config, user)) {
        QCOMPARE(r.state, DeliveryState::Delivered);
    }
    QVERIFY(sink.stop());
}

void TestDeliveryFaults::permanentRefusalGoesToBadmail()
{
    SmtpSink::Options options;
    options.rejectRecipients = QStringList{QStringLiteral("staff@office.example.com")};
    SmtpSink sink(options);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = newUser(2);
    const Config config = makeConfig(user, sink.port());
    Engine engine(&m_secrets, nullptr);
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy notified(&tray, &TrayIcon::notified);
    QSignalSpy quarantined(&engine, &Engine::quarantined);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = true;
    QVERIFY(runOnce(engine, ok));
    QVERIFY(!ok);
    QCOMPARE(quarantined.size(), 2);
    // The tray: a line for the refused messages and a notification for each, naming the
    // account and the answer; the activity window handles them, so no error state.
    QCOMPARE(tray.refusedCount(), 2);
    QVERIFY2(tray.details().contains(
                 QLatin1String("2 message(s) refused by the office server; see Activity")),
             qPrintable(tray.details()));
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QCOMPARE(notificationsAbout(notified, user), 2);
    QVERIFY(notified.last().at(1).toString().contains(QLatin1String("550 5.1.1")));
    QCOMPARE(quarantined.first().at(3).toString(), QStringLiteral("BADMAIL"));
    QCOMPARE(sink.messages().size(), 0);
    const QDir badmail(Engine::spoolDirectory(config) + QStringLiteral("/quarantine/BADMAIL"));
    QCOMPARE(badmail.entryList(QDir::Files).size(), 2);
    for (const MessageRecord &r : records(config, user)) {
        QCOMPARE(r.state, DeliveryState::Failed);
        QVERIFY2(r.lastReply.contains(QLatin1String("550")), qPrintable(r.lastReply));
        QVERIFY(QFile::exists(Engine::spoolDirectory(config) + QLatin1Char('/') + r.spoolPath));
    }
    QVERIFY(sink.stop());
}

void TestDeliveryFaults::tooLargeGoesToToolarge()
{
    SmtpSink::Options options;
    options.maxSize = 4000; // advertised SIZE: one of the two messages is bigger
    SmtpSink sink(options);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = newUser(0);
    m_dovecot.deliver(user, makeMessage(1, 1000));
    m_dovecot.deliver(user, makeMessage(2, 20000));
    const Config config = makeConfig(user, sink.port());
    Engine engine(&m_secrets, nullptr);
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy notified(&tray, &TrayIcon::notified);
    QSignalSpy quarantined(&engine, &Engine::quarantined);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = true;
    QVERIFY(runOnce(engine, ok));
    QVERIFY(!ok);
    QCOMPARE(sink.messages().size(), 1);
    QCOMPARE(quarantined.size(), 1);
    QCOMPARE(tray.refusedCount(), 1);
    QVERIFY2(tray.details().contains(QLatin1String("refused by the office server; see Activity")),
             qPrintable(tray.details()));
    QCOMPARE(notificationsAbout(notified, user), 1);
    QVERIFY(notified.last().at(1).toString().contains(quarantined.first().at(2).toString()));
    QCOMPARE(quarantined.first().at(3).toString(), QStringLiteral("TOOLARGE"));
    const QDir toolarge(Engine::spoolDirectory(config) + QStringLiteral("/quarantine/TOOLARGE"));
    QCOMPARE(toolarge.entryList(QDir::Files).size(), 1);
    QVERIFY(sink.stop());
}

void TestDeliveryFaults::unreachableServerKeepsMailUntilItIsBack()
{
    const QString user = newUser(4);
    const quint16 nobody = freePort(); // nothing listens there
    Config config = makeConfig(user, nobody);
    Engine engine(&m_secrets, nullptr);
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy notified(&tray, &TrayIcon::notified);
    QSignalSpy serverErrors(&engine, &Engine::deliveryError);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = true;
    QVERIFY(runOnce(engine, ok));
    QVERIFY(!ok);
    QVERIFY(serverErrors.size() >= 1);
    QCOMPARE(serverErrors.first().first().value<Result>().code(), ErrorCode::ConnectionRefused);
    // The tray shows the office server's problem, not the account's, and told once.
    QCOMPARE(tray.state(), TrayIcon::State::Error);
    QVERIFY(tray.officeServerFailing());
    QVERIFY(tray.failingAccounts().isEmpty());
    QCOMPARE(tray.problems().size(), 1);
    QVERIFY2(tray.problems().first().startsWith(QLatin1String("Pollux: error: ")) &&
                 tray.problems().first().contains(QLatin1String("office server")) &&
                 tray.problems().first().contains(
                     ui::ErrorText::sentence(serverErrors.last().first().value<Result>())),
             qPrintable(tray.details()));
    // The sentence names the office server and its port (Result::serverHost()).
    QVERIFY2(tray.details().contains(QLatin1String("The server 127.0.0.1 refused the connection "
                                                   "on port")),
             qPrintable(tray.details()));
    QCOMPARE(notificationsAbout(notified, QStringLiteral("office server")), 1);
    QCOMPARE(m_dovecot.messageCount(user), 0); // collected and safe in the spool
    const QList<MessageRecord> waiting = records(config, user);
    QCOMPARE(waiting.size(), 4);
    for (const MessageRecord &r : waiting) {
        QVERIFY(r.state == DeliveryState::Waiting || r.state == DeliveryState::Deferred);
        QVERIFY(QFile::exists(Engine::spoolDirectory(config) + QLatin1Char('/') + r.spoolPath));
    }
    engine.stop();

    // The office server is back (here: at another port); everything goes out once.
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    config.smtp.port = sink.port();
    ManualClock later(QDateTime::currentDateTimeUtc().addSecs(3600));
    Engine engine2(&m_secrets, &later);
    tray.watch(&engine2); // the same tray: the problem clears when mail is delivered
    // A pass alone does not clear it: the office server has not taken anything yet.
    QSignalSpy passes(&engine2, &Engine::passFinished);
    QSignalSpy delivered(&engine2, &Engine::delivered);
    bool clearedWithoutDelivery = false;
    connect(&engine2, &Engine::passFinished, this,
            [&] { clearedWithoutDelivery |= delivered.isEmpty() && !tray.officeServerFailing(); });
    QVERIFY(engine2.start(config, {false, 0}).ok());
    QVERIFY(runOnce(engine2, ok));
    QVERIFY(ok);
    QCOMPARE(sink.messages().size(), 4);
    QVERIFY(!passes.isEmpty());
    QVERIFY(!clearedWithoutDelivery);
    QVERIFY(!tray.officeServerFailing());
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY(tray.problems().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(tray.waitingCount(), 0, 5000); // counted again shortly after
    QCOMPARE(notified.last().at(1).toString(),
             QStringLiteral("Mail is delivered to the office server again."));
    QCOMPARE(notificationsAbout(notified, QStringLiteral("office server works again")), 1);
    for (const MessageRecord &r : records(config, user))
        QCOMPARE(r.state, DeliveryState::Delivered);
    QVERIFY(sink.stop());
}

void TestDeliveryFaults::refusedMessageCanBeRetried_data()
{
    QTest::addColumn<bool>("whilePaused"); // Retry pressed while paused: done on Resume
    QTest::newRow("running") << false;
    QTest::newRow("paused-then-resumed") << true;
}

void TestDeliveryFaults::refusedMessageCanBeRetried()
{
    QFETCH(bool, whilePaused);
    SmtpSink::Options options;
    options.rejectRecipients = QStringList{QStringLiteral("staff@office.example.com")};
    SmtpSink refusing(options);
    QString error;
    QVERIFY2(refusing.start(&error), qPrintable(error));
    const QString user = newUser(1);
    Config config = makeConfig(user, refusing.port());
    TrayIcon tray; // follows both engines, as the desktop app's does
    {
        Engine engine(&m_secrets, nullptr);
        tray.watch(&engine);
        QVERIFY(engine.start(config, {false, 0}).ok());
        bool ok = true;
        QVERIFY(runOnce(engine, ok));
        QVERIFY(!ok);
    }
    QCOMPARE(tray.refusedCount(), 1);
    QVERIFY(tray.details().contains(QLatin1String("refused by the office server")));
    const QList<MessageRecord> refused = records(config, user);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().state, DeliveryState::Failed);
    QVERIFY(refused.first().spoolPath.startsWith(QLatin1String("quarantine/BADMAIL/")));

    // The administrator fixed the mailbox on the office server and presses Retry.
    SmtpSink accepting;
    QVERIFY2(accepting.start(&error), qPrintable(error));
    config.smtp.port = accepting.port();
    Engine engine(&m_secrets, nullptr);
    tray.watch(&engine);
    QSignalSpy delivered(&engine, &Engine::delivered);
    QSignalSpy started(&engine, &Engine::started);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QVERIFY(started.wait(10000));
    if (whilePaused) {
        engine.setPaused(true);
        engine.retryRefused(refused.first().id);
        QVERIFY(!engine.isRunning()); // no delivery thread: the request waits
        QCOMPARE(records(config, user).first().state, DeliveryState::Failed);
        engine.setPaused(false);
    } else {
        engine.retryRefused(refused.first().id);
    }
    QVERIFY(delivered.wait(30000));
    QCOMPARE(accepting.messages().size(), 1);
    QCOMPARE(tray.refusedCount(), 0); // delivered after all
    QVERIFY(!tray.details().contains(QLatin1String("refused")));
    const QList<MessageRecord> after = records(config, user);
    QCOMPARE(after.first().state, DeliveryState::Delivered);
    // The file goes once the mark is on the disk: when the delivery group is synced (the
    // queue ran empty), a moment after delivered() (docs/RELIABILITY.md, "Power cuts").
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(Engine::spoolDirectory(config) + QLatin1Char('/') +
                                            refused.first().spoolPath),
                             10000);
    QVERIFY(refusing.stop());
    QVERIFY(accepting.stop());
}

void TestDeliveryFaults::refusedMessageCanBeDiscarded()
{
    SmtpSink::Options options;
    options.rejectRecipients = QStringList{QStringLiteral("staff@office.example.com")};
    SmtpSink refusing(options);
    QString error;
    QVERIFY2(refusing.start(&error), qPrintable(error));
    const QString user = newUser(1);
    const Config config = makeConfig(user, refusing.port());
    Engine engine(&m_secrets, nullptr);
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy notified(&tray, &TrayIcon::notified);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = true;
    QVERIFY(runOnce(engine, ok));
    QCOMPARE(tray.refusedCount(), 1);
    QCOMPARE(notificationsAbout(notified, user), 1);
    const QList<MessageRecord> refused = records(config, user);
    QCOMPARE(refused.size(), 1);
    const QString file =
        Engine::spoolDirectory(config) + QLatin1Char('/') + refused.first().spoolPath;
    QVERIFY(QFile::exists(file));
    engine.discardRefused(refused.first().id);
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(file), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        records(config, user).first().lastReply.endsWith(QLatin1String("(discarded)")), 10000);
    QCOMPARE(records(config, user).first().state, DeliveryState::Failed);
    QVERIFY(refusing.stop());
}

void TestDeliveryFaults::pauseStopsEverythingAndResumeStartsAgain()
{
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = newUser(2);
    Engine engine(&m_secrets, nullptr);
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy passes(&engine, &Engine::passFinished);
    // A scheduled engine polls at start; pause it before that can happen.
    QVERIFY(engine.start(makeConfig(user, sink.port())).ok());
    engine.setPaused(true);
    QVERIFY(engine.isPaused());
    QVERIFY(!engine.isRunning());
    engine.pollNow();
    QCOMPARE(m_dovecot.messageCount(user), 2); // nothing ran
    engine.setPaused(false);
    QVERIFY(!engine.isPaused());
    QVERIFY(engine.isRunning());
    // Resuming polls at once.
    QVERIFY(sink.waitForMessages(2, 30000));
    QTRY_COMPARE_WITH_TIMEOUT(m_dovecot.messageCount(user), 0, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(tray.state(), TrayIcon::State::Idle, 30000);
    QVERIFY(tray.problems().isEmpty());
    QVERIFY(tray.notes().isEmpty());
    QVERIFY(sink.stop());
}

QTEST_MAIN(TestDeliveryFaults)
#include "tst_delivery_faults.moc"
