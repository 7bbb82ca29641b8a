#include "EngineTestSupport.h"
#include "engine/AccountPoller.h"
#include "store/Store.h"
#include "unit/pop3/FakePop3Server.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

// AccountPoller: passes never overlap; "poll now" during a pass queues exactly one more.
// A pass is held open at its first step (reading the password) until the test releases it.

using namespace pollux;
using namespace pollux::test;

namespace {

// Answers a read only when the test says so.
class HeldSecretStore final : public SecretStore
{
public:
    void read(const QString &key, ReadCallback done) override
    {
        keys << key;
        m_held.append(done);
    }
    void write(const QString &, const QString &, WriteCallback done) override
    {
        done(Result::success());
    }
    void remove(const QString &, WriteCallback done) override { done(Result::success()); }

    int held() const { return int(m_held.size()); }
    void release(const Result &result, const QString &secret)
    {
        if (!m_held.isEmpty())
            m_held.takeFirst()(result, secret);
    }

    QStringList keys;

private:
    QList<ReadCallback> m_held;
};

// Answers at once: a stored secret, or "missing"; records every key read.
class CountingSecretStore final : public SecretStore
{
public:
    void read(const QString &key, ReadCallback done) override
    {
        keys << key;
        if (secrets.contains(key))
            done(Result::success(), secrets.value(key));
        else
            done(missingSecret(key, QStringLiteral("test")), QString());
    }
    void write(const QString &key, const QString &secret, WriteCallback done) override
    {
        secrets.insert(key, secret);
        done(Result::success());
    }
    void remove(const QString &key, WriteCallback done) override
    {
        secrets.remove(key);
        done(Result::success());
    }
    QStringList keys;
    QHash<QString, QString> secrets;
};

// Every log line, for counting what the poller did.
QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;
void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_logLines << message;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}
int logCount(const QString &part)
{
    int n = 0;
    for (const QString &line : std::as_const(g_logLines))
        n += line.contains(part) ? 1 : 0;
    return n;
}

// Lets queued calls run (a queued extra pass would be posted by now).
void settle()
{
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents();
}

} // namespace

class TestAccountPoller : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void pollNowDuringPassQueuesOneMore_data();
    void pollNowDuringPassQueuesOneMore();
    void stopDuringPass();
    void databaseThatCouldNotBeOpenedIsTriedAgain();
    void longIntervalSchedulesThatFarAhead_data();
    void longIntervalSchedulesThatFarAhead();
    void signInNeededStopsScheduledTokenRequests();
    void oauthAccountsUseTokenMechanisms();
};

void TestAccountPoller::initTestCase()
{
    qRegisterMetaType<pollux::Result>();
}

void TestAccountPoller::pollNowDuringPassQueuesOneMore_data()
{
    QTest::addColumn<int>("extraPolls");
    QTest::newRow("poll-now-once") << 1;
    QTest::newRow("poll-now-three-times") << 3;
}

void TestAccountPoller::pollNowDuringPassQueuesOneMore()
{
    QFETCH(int, extraPolls);

    DataDir data;
    QVERIFY(data.open().ok());
    FakePop3Server server; // for the first pass only: an empty mailbox
    server.setScript(pop3Opening({}) + QList<QByteArray>{"C: QUIT", "S: +OK"});
    HeldSecretStore secrets;
    int started = 0;
    int finished = 0;
    bool overlapped = false;

    AccountPoller::Settings settings;
    settings.pass = passSettings(server.port(), Retention::Keep);
    settings.databasePath = data.databasePath();
    settings.spoolDir = data.spoolDir();
    settings.schedule = false; // passes only when asked
    AccountPoller poller(settings, &secrets, &data.clock);
    connect(&poller, &AccountPoller::passStarted, this, [&] {
        overlapped = overlapped || started != finished;
        ++started;
    });
    QSignalSpy passFinished(&poller, &AccountPoller::passFinished);
    connect(&poller, &AccountPoller::passFinished, this, [&] { ++finished; });

    poller.start();
    settle();
    QCOMPARE(started, 0);
    poller.pollNow();
    QCOMPARE(started, 1);
    QCOMPARE(secrets.held(), 1);
    QCOMPARE(secrets.keys, QStringList{QStringLiteral("account/office")});

    for (int i = 0; i < extraPolls; ++i)
        poller.pollNow();
    settle();
    QCOMPARE(started, 1); // still the first pass
    QCOMPARE(secrets.held(), 1);

    secrets.release(Result::success(), QStringLiteral("secret"));
    QVERIFY(passFinished.wait(Deadline));
    QCOMPARE(passFinished.first().at(1).value<Result>().code(), ErrorCode::None);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());

    // Exactly one more pass, and only after the first finished.
    QTRY_COMPARE_WITH_TIMEOUT(started, 2, Deadline);
    QTRY_COMPARE_WITH_TIMEOUT(secrets.held(), 1, Deadline);
    settle();
    QCOMPARE(started, 2);
    secrets.release(Result::failure(ErrorCode::Secrets, QStringLiteral("test: no password")),
                    QString());
    QCOMPARE(passFinished.size(), 2);
    QCOMPARE(passFinished.at(1).at(1).value<Result>().code(), ErrorCode::Secrets);
    settle();
    QCOMPARE(started, 2);
    QCOMPARE(secrets.held(), 0);
    QVERIFY(!overlapped);

    // Idle again: pollNow starts a pass at once.
    poller.pollNow();
    QCOMPARE(started, 3);
    QCOMPARE(secrets.held(), 1);
}

// stop() during a pass cancels it quietly; a late secret answer is harmless; no new passes.
void TestAccountPoller::stopDuringPass()
{
    DataDir data;
    QVERIFY(data.open().ok());
    HeldSecretStore secrets;
    AccountPoller::Settings settings;
    settings.pass = passSettings(1, Retention::Keep);
    settings.databasePath = data.databasePath();
    settings.spoolDir = data.spoolDir();
    settings.schedule = false;
    AccountPoller poller(settings, &secrets, &data.clock);
    QSignalSpy started(&poller, &AccountPoller::passStarted);
    QSignalSpy finished(&poller, &AccountPoller::passFinished);

    poller.start();
    poller.pollNow();
    poller.pollNow(); // queued
    QCOMPARE(started.size(), 1);
    poller.stop();
    secrets.release(Result::success(), QStringLiteral("secret")); // the pass is gone
    poller.pollNow();
    settle();
    QCOMPARE(started.size(), 1);
    QCOMPARE(finished.size(), 0);
}

// The database could not be opened when the poller started (here: its folder is a file;
// in life, another program holding it locked): each pass fails, says so in the log, and
// tries again - once the cause is gone, passes work without a restart.
void TestAccountPoller::databaseThatCouldNotBeOpenedIsTriedAgain()
{
    DataDir data;
    QVERIFY(data.open().ok());
    const QString blocker = data.filePath(QStringLiteral("later"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write("not a folder") > 0);
    }
    FakePop3Server server;
    server.setScript(pop3Opening({}) + QList<QByteArray>{"C: QUIT", "S: +OK"});
    MemorySecretStore secrets;
    secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    AccountPoller::Settings settings;
    settings.pass = passSettings(server.port(), Retention::Keep);
    settings.databasePath = blocker + QStringLiteral("/pollux.db");
    settings.spoolDir = data.spoolDir();
    settings.schedule = false;
    AccountPoller poller(settings, &secrets, &data.clock);
    QSignalSpy passFinished(&poller, &AccountPoller::passFinished);
    poller.start();

    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("^office: pass failed: storage error: ")));
    poller.pollNow();
    QTRY_COMPARE_WITH_TIMEOUT(passFinished.size(), 1, Deadline);
    QCOMPARE(passFinished.first().at(1).value<Result>().code(), ErrorCode::Storage);

    QVERIFY(QFile::remove(blocker)); // the cause is gone
    poller.pollNow();
    QTRY_COMPARE_WITH_TIMEOUT(passFinished.size(), 2, Deadline);
    const Result second = passFinished.at(1).at(1).value<Result>();
    QVERIFY2(second.ok(), qPrintable(second.message()));
    QVERIFY(QFile::exists(settings.databasePath));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());
}

void TestAccountPoller::longIntervalSchedulesThatFarAhead_data()
{
    QTest::addColumn<int>("intervalSecs");
    QTest::newRow("five-minutes") << 300;
    QTest::newRow("seven-days-the-most-validation-allows") << 7 * 86400;
    // Validation refuses it; the poller still must not turn it into 704 ms (int overflow of
    // secs * 1000), which made 18 logins at the provider in 12 s.
    QTest::newRow("past-int-milliseconds") << 4294968;
}

// After a pass, the next one is scheduled a whole interval later, in 64-bit milliseconds,
// by the injected clock and by the timers that will start it.
void TestAccountPoller::longIntervalSchedulesThatFarAhead()
{
    QFETCH(int, intervalSecs);
    DataDir data;
    QVERIFY(data.open().ok());
    FakePop3Server server;
    server.setScript(pop3Opening({}) + QList<QByteArray>{"C: QUIT", "S: +OK"});
    MemorySecretStore secrets;
    secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    AccountPoller::Settings settings;
    settings.pass = passSettings(server.port(), Retention::Keep);
    settings.databasePath = data.databasePath();
    settings.spoolDir = data.spoolDir();
    settings.pollIntervalSecs = intervalSecs;
    settings.schedule = true;
    AccountPoller poller(settings, &secrets, &data.clock);
    QSignalSpy started(&poller, &AccountPoller::passStarted);
    QSignalSpy finished(&poller, &AccountPoller::passFinished);
    QVERIFY(!poller.nextPassDue().isValid());
    QCOMPARE(poller.msUntilNextPass(), qint64(-1));

    poller.start(); // the first pass at once
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Deadline);
    QVERIFY2(finished.first().at(1).value<Result>().ok(),
             qPrintable(finished.first().at(1).value<Result>().message()));
    QVERIFY(server.scriptFinished());

    const qint64 intervalMs = qint64(intervalSecs) * 1000;
    QCOMPARE(poller.nextPassDue(), data.clock.now().addSecs(intervalSecs));
    const qint64 left = poller.msUntilNextPass();
    // A coarse QTimer may fire up to 5% late (of the one timer running now).
    const qint64 slack = qMin(intervalMs, AccountPoller::kMaxTimerMs) / 20;
    QVERIFY2(
        left > intervalMs - 60 * 1000 && left <= intervalMs + slack,
        qPrintable(
            QStringLiteral("next pass in %1 ms, expected about %2 ms").arg(left).arg(intervalMs)));
    settle();
    QCOMPARE(started.size(), 1);

    // "Poll now" replaces the wait; the pass after it (which fails: the fake server serves
    // one connection) waits the whole interval again.
    poller.pollNow();
    QVERIFY(!poller.nextPassDue().isValid());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, Deadline);
    QCOMPARE(poller.nextPassDue(), data.clock.now().addSecs(intervalSecs));
    QVERIFY(poller.msUntilNextPass() > intervalMs - 60 * 1000);
    poller.stop();
    QCOMPARE(poller.msUntilNextPass(), qint64(-1));
}

// An OAuth2 account with no sign-in stored: the first pass ends SignInNeeded (without any
// request: nothing to refresh with); scheduled passes after it report the state without a
// pass (skipped: neither the provider nor the mailbox is asked) while the keychain holds
// what was refused; "poll now" tries a real pass; a new refresh token in the keychain (a
// sign-in by another process) makes the next scheduled pass try it. signedIn() clears the
// state and polls. The state survives a restart (the store).
void TestAccountPoller::signInNeededStopsScheduledTokenRequests()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*=true"));
    g_previousHandler = qInstallMessageHandler(captureLog);
    auto restoreHandler = qScopeGuard([] { qInstallMessageHandler(g_previousHandler); });
    DataDir data;
    QVERIFY(data.open().ok());
    CountingSecretStore secrets;
    AccountPoller::Settings settings;
    settings.pass = passSettings(1, Retention::Keep);
    AccountConfig &a = settings.pass.account;
    a.signIn = SignInMethod::OAuth2;
    a.oauth2.clientId = QStringLiteral("pollux-public");
    a.oauth2.tokenUrl = QStringLiteral("http://127.0.0.1:1/token");
    a.oauth2.scopes = {QStringLiteral("mail")};
    settings.databasePath = data.databasePath();
    settings.spoolDir = data.spoolDir();
    settings.schedule = true;
    settings.pollIntervalSecs = 1;
    const QString refreshKey = secretKey(SecretKind::OAuth2Refresh, QStringLiteral("office"));
    const QString realPass = QStringLiteral("office: pass failed: sign-in needed");
    const QString skipped = QStringLiteral("office: pass skipped: sign-in needed");
    {
        AccountPoller poller(settings, &secrets, &data.clock);
        QSignalSpy passes(&poller, &AccountPoller::passFinished);
        QSignalSpy states(&poller, &AccountPoller::signInState);
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(passes.size() >= 1, Deadline);
        QCOMPARE(states.first().at(1).toBool(), false); // from the (empty) store, at start
        const Result first = passes.first().at(1).value<Result>();
        QCOMPARE(first.code(), ErrorCode::SignInNeeded);
        QVERIFY2(first.message().startsWith(
                     QStringLiteral("sign-in needed for account office: no sign-in is stored")),
                 qPrintable(first.message()));
        QCOMPARE(logCount(realPass), 1);
        QTRY_COMPARE_WITH_TIMEOUT(states.size(), 2, Deadline);
        QCOMPARE(states.last().at(1).toBool(), true);
        QCOMPARE(states.last().at(3).toString(), first.message());

        // Two scheduled passes: the same result, skipped (no pass ran).
        QTRY_VERIFY_WITH_TIMEOUT(passes.size() >= 3, 10000);
        for (const QList<QVariant> &args : std::as_const(passes))
            QCOMPARE(args.at(1).value<Result>().code(), ErrorCode::SignInNeeded);
        QVERIFY(logCount(skipped) >= 2);
        QCOMPARE(logCount(realPass), 1);
        QCOMPARE(states.size(), 2); // unchanged: not emitted again

        // "Poll now" runs a real pass.
        poller.pollNow();
        QTRY_COMPARE_WITH_TIMEOUT(logCount(realPass), 2, Deadline);

        // Another process signs in: the next scheduled pass tries the new refresh token (the
        // provider is unreachable here: a temporary error naming the token endpoint).
        secrets.secrets.insert(refreshKey, QStringLiteral("refresh-token-from-elsewhere"));
        const int before = int(passes.size());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (qsizetype i = before; i < passes.size(); ++i)
                    if (passes.at(i).at(1).value<Result>().code() == ErrorCode::Network)
                        return true;
                return false;
            }(),
            40000);
        secrets.secrets.remove(refreshKey);
    }
    // A restart reports the stored state at once.
    AccountPoller restarted(settings, &secrets, &data.clock);
    QSignalSpy states(&restarted, &AccountPoller::signInState);
    QSignalSpy passes(&restarted, &AccountPoller::passFinished);
    restarted.start();
    QVERIFY(!states.isEmpty());
    QCOMPARE(states.first().at(1).toBool(), true);
    // signedIn(): cleared, the expiry recorded, a pass at once (it asks again).
    QTRY_VERIFY_WITH_TIMEOUT(passes.size() >= 1, Deadline);
    const int reads = int(secrets.keys.count(refreshKey));
    const QDateTime expiry = QDateTime::currentDateTimeUtc().addDays(90);
    // The sign-in stored a refresh token; the provider is unreachable right now.
    secrets.secrets.insert(refreshKey, QStringLiteral("refresh-token-from-the-sign-in"));
    const int passesBefore = int(passes.size());
    restarted.signedIn(expiry);
    QVERIFY(!restarted.signInNeeded());
    QCOMPARE(states.last().at(1).toBool(), false);
    QCOMPARE(states.last().at(2).toDateTime(), expiry);
    QTRY_VERIFY_WITH_TIMEOUT(secrets.keys.count(refreshKey) > reads, Deadline);
    // An unreachable token endpoint is an ordinary temporary error naming the step; it does
    // not make the sign-in "needed".
    QTRY_VERIFY_WITH_TIMEOUT(passes.size() > passesBefore, 40000);
    const Result unreachable = passes.last().at(1).value<Result>();
    QCOMPARE(unreachable.code(), ErrorCode::Network);
    QVERIFY2(unreachable.message().startsWith(QStringLiteral("token endpoint 127.0.0.1: ")),
             qPrintable(unreachable.message()));
    QVERIFY(!restarted.signInNeeded());
    QCOMPARE(states.last().at(1).toBool(), false);
    restarted.stop();
    Store store(data.databasePath(), &data.clock);
    QVERIFY(store.open(Store::Check::Quick).ok());
    SignInRecord record;
    QVERIFY(store.signInState(QStringLiteral("office"), record).ok());
    QVERIFY(!record.needed);
    QCOMPARE(record.refreshExpiresAt, expiry.toUTC());
}

// What a pass asks the mailbox client for: an OAuth2 account's "auto" becomes "oauth2"
// (OAUTHBEARER or XOAUTH2, whichever the server offers); a method named stays; a password
// account's "auto" stays "auto".
void TestAccountPoller::oauthAccountsUseTokenMechanisms()
{
    PollPass::Settings s = passSettings(110, Retention::Keep);
    QCOMPARE(PollPass::mailboxOptions(s, QStringLiteral("pw")).authMethod, QStringLiteral("auto"));
    s.account.signIn = SignInMethod::Microsoft365;
    QCOMPARE(PollPass::mailboxOptions(s, QStringLiteral("t")).authMethod, QStringLiteral("oauth2"));
    QCOMPARE(PollPass::mailboxOptions(s, QStringLiteral("t")).password, QStringLiteral("t"));
    s.account.authMethod = QStringLiteral("xoauth2");
    QCOMPARE(PollPass::mailboxOptions(s, QStringLiteral("t")).authMethod,
             QStringLiteral("xoauth2"));
}

QTEST_GUILESS_MAIN(TestAccountPoller)
#include "tst_accountpoller.moc"
