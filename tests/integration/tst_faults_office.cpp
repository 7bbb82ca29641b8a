// The office server refusing: 421 / 451 / 452 at each step of the transaction (the message
// waits and is retried with backoff; the spool is durable, so the mailbox copy may go),
// 552 / 554 (quarantine plus a postmaster notice, "<uid>#quarantine"), and the office
// server down for an hour while passes keep collecting into the spool.
#include "EngineRun.h"
#include "LogCapture.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/FaultProxy.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Store.h"
#include "ui/TrayIcon.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using pollux::ui::TrayIcon;

namespace {
const QString kStaff = QStringLiteral("staff@office.example.com");
const QString kPostmaster = QStringLiteral("postmaster@office.example.com");

QByteArray seqOf(const QByteArray &data)
{
    const qsizetype at = data.indexOf("X-Pollux-Seq: ");
    return at < 0 ? QByteArray() : data.mid(at + 14, data.indexOf('\r', at) - at - 14);
}
} // namespace

class TestFaultsOffice : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void transientAtEachStep_data();
    void transientAtEachStep();
    void backoffDoublesUntilAccepted();
    void permanentRefusal_data();
    void permanentRefusal();
    void downForAnHourWhileCollecting();

private:
    QString newUser(int messages);
    Config makeConfig(const QString &user, quint16 smtpPort);
    QList<MessageRecord> records(const Config &config);

    DovecotServer m_dovecot;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
    int m_seq = 0;
};

void TestFaultsOffice::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
}

QString TestFaultsOffice::newUser(int messages)
{
    const QString user = QStringLiteral("office%1").arg(++m_users);
    m_dovecot.addUser(user, QStringLiteral("pw"));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("pw"));
    for (int i = 0; i < messages; ++i)
        m_dovecot.deliver(user, makeMessage(++m_seq, 3000));
    return user;
}

Config TestFaultsOffice::makeConfig(const QString &user, quint16 smtpPort)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.recipient = kStaff;
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = smtpPort;
    c.smtp.timeoutSecs = 10;
    c.smtp.retryIntervalSecs = 120;
    c.postmaster = kPostmaster;
    c.alerts.enabled = false; // counts the postmaster's notices; alerts: tst_alerts
    c.dataDir = m_dir.filePath(user);
    return c;
}

QList<MessageRecord> TestFaultsOffice::records(const Config &config)
{
    Store store(Engine::databasePath(config), Clock::system());
    QList<MessageRecord> out;
    if (!store.open().ok() || !store.messages(QString(), out).ok())
        return {};
    return out;
}

void TestFaultsOffice::transientAtEachStep_data()
{
    QTest::addColumn<QString>("stage");
    QTest::addColumn<QString>("code");
    for (const char *stage : {"mail", "rcpt", "data"}) {
        for (const char *code : {"421 4.3.2 Service shutting down", "451 4.3.0 Try again later",
                                 "452 4.3.1 Insufficient system storage"}) {
            QTest::addRow("%s-%.3s", stage, code)
                << QString::fromLatin1(stage) << QString::fromLatin1(code);
        }
    }
    // RFC 5321 4.5.3.1.10: 552 to RCPT (too many recipients; "mailbox full" from some
    // servers) is treated as temporary - it was taken as a permanent refusal.
    QTest::newRow("rcpt-552") << QStringLiteral("rcpt") << QStringLiteral("552 5.2.2 Mailbox full");
}

void TestFaultsOffice::transientAtEachStep()
{
    QFETCH(QString, stage);
    QFETCH(QString, code);
    SmtpSink::Options options;
    options.tempFailFirst = 1;
    options.tempFailStage = stage;
    options.tempFailCode = code;
    SmtpSink sink(options);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = newUser(3);
    const Config config = makeConfig(user, sink.port());
    ManualClock clock(QDateTime::currentDateTimeUtc());
    LogCapture log;
    Engine engine(&m_secrets, &clock);
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy deferred(&engine, &Engine::deferred);
    QVERIFY(engine.start(config, {false, 0}).ok());

    bool ok = true;
    QVERIFY(runOnce(engine, ok));
    QVERIFY(!ok);
    QVERIFY(deferred.size() >= 1);
    // The tray: messages wait, with the office server's answer; that is no error. (A 421
    // closes the connection: the tray may then also say the office server fails.)
    QVERIFY(tray.waitingCount() >= 1);
    QVERIFY2(tray.details().contains(QLatin1String("wait for the office server (last answer: ")) &&
                 tray.details().contains(code.left(3)),
             qPrintable(tray.details()));
    QVERIFY(tray.failingAccounts().isEmpty());
    if (!code.startsWith(QLatin1String("421")))
        QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY2(deferred.first().at(2).toString().contains(code.left(3)),
             qPrintable(deferred.first().at(2).toString()));
    QCOMPARE(clock.now().secsTo(deferred.first().at(3).toDateTime()), 120);
    // The log: which message waits, until when, and the office server's answer.
    QVERIFY2(log.contains({QStringLiteral("pollux.delivery: ") + user + QStringLiteral(": UID "),
                           QStringLiteral(" deferred until "), code.left(3)}),
             qPrintable(log.lines().join(QLatin1Char('\n'))));
    // Collected and durable: the mailbox copy is gone, the spool holds what waits.
    QCOMPARE(m_dovecot.messageCount(user), 0);
    int waiting = 0;
    for (const MessageRecord &r : records(config)) {
        if (r.state == DeliveryState::Delivered)
            continue;
        // Deferred; or, after a 421 closed the connection, not yet tried.
        QVERIFY(r.state == DeliveryState::Deferred || r.state == DeliveryState::Waiting);
        QVERIFY(QFile::exists(Engine::spoolDirectory(config) + QLatin1Char('/') + r.spoolPath));
        ++waiting;
    }
    QCOMPARE(waiting + sink.messages().size(), 3);

    clock.advance(121);
    QVERIFY(runOnce(engine, ok));
    QVERIFY(ok);
    QHash<QByteArray, int> copies;
    for (const ReceivedMessage &m : sink.messages())
        ++copies[seqOf(m.data)];
    QCOMPARE(copies.size(), 3);
    for (int n : std::as_const(copies))
        QCOMPARE(n, 1);
    for (const MessageRecord &r : records(config))
        QCOMPARE(r.state, DeliveryState::Delivered);
    QTRY_COMPARE_WITH_TIMEOUT(tray.waitingCount(), 0, 5000); // counted again shortly after
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY2(tray.problems().isEmpty() && tray.notes().isEmpty(), qPrintable(tray.details()));
    engine.stop();
    QVERIFY(sink.stop());
}

void TestFaultsOffice::backoffDoublesUntilAccepted()
{
    SmtpSink::Options options;
    options.tempFailFirst = 3;
    options.tempFailStage = QStringLiteral("data");
    SmtpSink sink(options);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = newUser(1);
    ManualClock clock(QDateTime::currentDateTimeUtc());
    LogCapture log;
    Engine engine(&m_secrets, &clock);
    QSignalSpy deferred(&engine, &Engine::deferred);
    QVERIFY(engine.start(makeConfig(user, sink.port()), {false, 0}).ok());
    bool ok = true;
    for (qint64 delay : {120, 240, 480}) {
        deferred.clear();
        QVERIFY(runOnce(engine, ok));
        QVERIFY(!ok);
        QCOMPARE(deferred.size(), 1);
        QCOMPARE(clock.now().secsTo(deferred.first().at(3).toDateTime()), delay);
        clock.advance(delay - 1); // not yet due
        QVERIFY(runOnce(engine, ok));
        QVERIFY(!ok);
        QCOMPARE(sink.messages().size(), 0);
        clock.advance(1);
    }
    QVERIFY(runOnce(engine, ok));
    QVERIFY(ok);
    QCOMPARE(sink.messages().size(), 1);
    QCOMPARE(log.count({user, QStringLiteral(" deferred until ")}), 3);
    engine.stop();
    QVERIFY(sink.stop());
}

void TestFaultsOffice::permanentRefusal_data()
{
    QTest::addColumn<QString>("code");
    QTest::newRow("554-policy") << QStringLiteral("554 5.7.1 Rejected by policy");
    QTest::newRow("553-bad-address") << QStringLiteral("553 5.1.3 Bad recipient address syntax");
    QTest::newRow("550-no-such-user") << QStringLiteral("550 5.1.1 No such user");
}

void TestFaultsOffice::permanentRefusal()
{
    QFETCH(QString, code);
    SmtpSink::Options options;
    options.rejectRecipients = QStringList{kStaff};
    options.rejectCode = code;
    SmtpSink sink(options);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = newUser(2);
    const Config config = makeConfig(user, sink.port());
    LogCapture log;
    Engine engine(&m_secrets, Clock::system());
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy notified(&tray, &TrayIcon::notified);
    QSignalSpy quarantined(&engine, &Engine::quarantined);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = true;
    QVERIFY(runOnce(engine, ok));
    QVERIFY(!ok);
    engine.stop();
    QCOMPARE(quarantined.size(), 2);
    QVERIFY2(quarantined.first().at(2).toString().contains(code.left(3)),
             qPrintable(quarantined.first().at(2).toString()));
    // The tray: two refused messages (see Activity), one notification each with the reply;
    // the office server itself works, so no error.
    QCOMPARE(tray.refusedCount(), 2);
    QVERIFY2(tray.details().contains(QLatin1String("refused by the office server; see Activity")),
             qPrintable(tray.details()));
    QCOMPARE(notified.size(), 2);
    for (const QList<QVariant> &n : std::as_const(notified))
        QVERIFY2(n.at(0).toString().contains(user) && n.at(1).toString().contains(code.left(3)),
                 qPrintable(n.at(0).toString() + QLatin1Char('\n') + n.at(1).toString()));
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    // The log: each refused message, where it went, and the answer.
    QVERIFY2(log.count({QStringLiteral("pollux.delivery: ") + user,
                        QStringLiteral(" refused, moved to BADMAIL: "), code}) == 2,
             qPrintable(log.lines().join(QLatin1Char('\n'))));

    // Nothing for the staff; one notice per refused message for the postmaster.
    int notices = 0;
    for (const ReceivedMessage &m : sink.messages()) {
        QCOMPARE(m.recipients, QStringList{kPostmaster});
        ++notices;
    }
    QCOMPARE(notices, 2);
    int failed = 0, noticeRecords = 0;
    for (const MessageRecord &r : records(config)) {
        if (r.uid.endsWith(QLatin1String("#quarantine"))) {
            QCOMPARE(r.state, DeliveryState::Delivered);
            QCOMPARE(r.recipients, QStringList{kPostmaster});
            ++noticeRecords;
            continue;
        }
        QCOMPARE(r.state, DeliveryState::Failed);
        QVERIFY(r.spoolPath.startsWith(QLatin1String("quarantine/")));
        QVERIFY(QFile::exists(Engine::spoolDirectory(config) + QLatin1Char('/') + r.spoolPath));
        ++failed;
    }
    QCOMPARE(failed, 2);
    QCOMPARE(noticeRecords, 2);
    QCOMPARE(m_dovecot.messageCount(user), 0); // safe in quarantine, not lost
    QVERIFY(sink.stop());
}

// The office server is down for an hour; passes go on every ten minutes and collect into
// the spool until the spool limit (10 MiB here): then new mail stays on the provider's
// server, untouched, and the engine says so. When the office server is back, everything is
// delivered exactly once and what stayed behind is collected.
void TestFaultsOffice::downForAnHourWhileCollecting()
{
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    FaultProxy office(sink.port());
    QVERIFY(office.listen());
    QVERIFY(office.setDown(true)); // connection refused
    const QString user = newUser(0);
    Config config = makeConfig(user, office.port());
    config.spoolLimitMiB = 10;
    const qint64 limit = qint64(config.spoolLimitMiB) * 1024 * 1024;
    const qint64 messageSize = 1300 * 1024; // 7 fit in 10 MiB, 8 do not
    const int fit = int(limit / messageSize);
    QCOMPARE(fit, 7);
    ManualClock clock(QDateTime::currentDateTimeUtc());
    LogCapture log;
    Engine engine(&m_secrets, &clock);
    TrayIcon tray;
    tray.watch(&engine);
    QSignalSpy notified(&tray, &TrayIcon::notified);
    QSignalSpy deliveryErrors(&engine, &Engine::deliveryError);
    QSignalSpy limitReached(&engine, &Engine::spoolLimitReached);
    QVERIFY(engine.start(config, {false, 0}).ok());

    // Six passes over an hour, two new messages each.
    bool ok = true;
    for (int pass = 1; pass <= 6; ++pass) {
        for (int i = 0; i < 2; ++i)
            QVERIFY(m_dovecot.deliver(user, makeMessage(++m_seq, messageSize)));
        limitReached.clear();
        QVERIFY(runOnce(engine, ok));
        QVERIFY(!ok);
        const int arrived = pass * 2;
        const int collected = qMin(arrived, fit);
        QCOMPARE(m_dovecot.messageCount(user), arrived - collected); // the rest is safe there
        const QList<MessageRecord> held = records(config);
        QCOMPARE(held.size(), collected);
        qint64 spooled = 0;
        for (const MessageRecord &r : held) {
            QVERIFY(r.state == DeliveryState::Waiting || r.state == DeliveryState::Deferred);
            const QFileInfo file(Engine::spoolDirectory(config) + QLatin1Char('/') + r.spoolPath);
            QVERIFY(file.exists());
            spooled += file.size();
        }
        QVERIFY2(spooled <= limit + collected * 1024, // our trace header on each
                 qPrintable(QString::number(spooled)));
        // The tray: the office server fails; past the limit, mail stays on the server.
        QCOMPARE(tray.state(), TrayIcon::State::Error);
        QVERIFY(tray.officeServerFailing());
        QVERIFY2(tray.details().contains(
                     QLatin1String("mail cannot be delivered to the office server: The server ")) &&
                     tray.details().contains(QLatin1String("refused the connection on port")),
                 qPrintable(tray.details()));
        QCOMPARE(tray.spoolLimitedAccounts(), arrived > fit ? QStringList{user} : QStringList());
        if (arrived > fit)
            QVERIFY2(tray.details().contains(
                         QStringLiteral("the spool limit (10 MiB) is reached: %1 new message")
                             .arg(arrived - collected)) &&
                         tray.details().contains(user),
                     qPrintable(tray.details()));
        // The log says both too (the office server's error once it was tried: at first).
        if (pass == 1)
            QVERIFY2(log.contains(
                         {QStringLiteral("pollux.delivery: office server: connection refused")}),
                     qPrintable(log.lines().join(QLatin1Char('\n'))));
        QCOMPARE(log.count({QStringLiteral("pollux.pass: ") + user +
                                QStringLiteral(": spool limit reached"),
                            QStringLiteral("new messages stay on the server")}),
                 arrived > fit ? 1 : 0);
        log.clear();
        if (arrived > fit) {
            QCOMPARE(limitReached.size(), 1);
            QCOMPARE(limitReached.first().at(0).toString(), user);
            QCOMPARE(limitReached.first().at(1).toInt(), arrived - collected);
            QVERIFY(limitReached.first().at(2).toLongLong() <= limit);
            QCOMPARE(limitReached.first().at(3).toLongLong(), limit);
        } else {
            QCOMPARE(limitReached.size(), 0);
        }
        clock.advance(600);
    }
    QVERIFY(!deliveryErrors.isEmpty());
    QCOMPARE(deliveryErrors.first().first().value<Result>().code(), ErrorCode::ConnectionRefused);
    QCOMPARE(sink.messages().size(), 0);

    // Back after the hour: what waits goes out (the backoff is at most 4 hours), which makes
    // room; the next pass collects what stayed on the server.
    QVERIFY(office.setDown(false));
    clock.advance(4 * 3600);
    for (int run = 0; run < 4 && (m_dovecot.messageCount(user) > 0 || !ok); ++run)
        QVERIFY(runOnce(engine, ok));
    QVERIFY(ok);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QHash<QByteArray, int> copies;
    for (const ReceivedMessage &m : sink.messages())
        ++copies[seqOf(m.data)];
    QCOMPARE(copies.size(), 12);
    for (int n : std::as_const(copies))
        QCOMPARE(n, 1);
    const QList<MessageRecord> all = records(config);
    QCOMPARE(all.size(), 12);
    for (const MessageRecord &r : all)
        QCOMPARE(r.state, DeliveryState::Delivered);
    // The tray is back to idle; it told when the office server failed and when it recovered.
    QCOMPARE(tray.state(), TrayIcon::State::Idle);
    QVERIFY2(tray.problems().isEmpty() && tray.notes().isEmpty(), qPrintable(tray.details()));
    int failing = 0, recovered = 0;
    for (const QList<QVariant> &n : std::as_const(notified)) {
        const QString text = n.at(0).toString() + QLatin1Char(' ') + n.at(1).toString();
        failing +=
            text.contains(QLatin1String("office server")) && !text.contains(QLatin1String("again"));
        recovered += text.contains(QLatin1String("again"));
    }
    QVERIFY2(failing >= 1 && recovered == 1, qPrintable(QString::number(notified.size())));
    engine.stop();
    QVERIFY(sink.stop());
}

QTEST_MAIN(TestFaultsOffice)
#include "tst_faults_office.moc"
