// Service life as an administrator meets it (issue 14), with the real binary against a
// real Dovecot, the SMTP sink and the real keychain: the exit status of a clean stop, a
// SIGHUP reload (a valid file takes effect without losing a pass, an invalid one is logged
// by field and ignored), the start line, `pollux status` with and without a running
// Pollux, each `--headless --once` exit status, and a start without a display.
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/PolluxBinary.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString kPassword = QStringLiteral("Life#pass-5127");
const QString kRecipient = QStringLiteral("boss@office.example.com");

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};
} // namespace

class TestServiceLife : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sigtermIsACleanStopWithTheStartLine();
    void sigintIsACleanStop();
    void sigtermWithMailQueuedIsACleanStop();
    void sighupReloadsWithoutLosingAPass();
    void onceExitStatusOk();
    void onceExitStatusFailed();
    void onceExitStatusBadConfig();
    void onceExitStatusInUseAndStatusWhileRunning();
    void onceExitStatusWaitingAndStatusFromTheDatabase();
    void withoutADisplayNamesHeadless();
    void controlSocketForStatusAndReload();

private:
    QProcessEnvironment env() const;
    Run run(const QStringList &args, const QByteArray &stdinData = {});
    // Writes the configuration (users = account names = Dovecot users) and stores the
    // passwords of the ones not stored yet.
    QString writeConfig(const QString &file, const QStringList &users, quint16 smtpPort,
                        const QString &dataName);
    void startService(QProcess &p, const QString &config);
    QByteArray stderrOf(QProcess &p);

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    QString m_service;
    QHash<QProcess *, QByteArray> m_stderr;
    QSet<QString> m_stored;
    QString m_controlSocket; // POLLUX_CONTROL_SOCKET for the processes started; empty: unset
};

void TestServiceLife::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-lifetest-%1").arg(QCoreApplication::applicationPid());
}

void TestServiceLife::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

QProcessEnvironment TestServiceLife::env() const
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    e.remove(QStringLiteral("RUNTIME_DIRECTORY"));
    if (m_controlSocket.isEmpty())
        e.remove(QStringLiteral("POLLUX_CONTROL_SOCKET"));
    else
        e.insert(QStringLiteral("POLLUX_CONTROL_SOCKET"), m_controlSocket);
    return e;
}

Run TestServiceLife::run(const QStringList &args, const QByteArray &stdinData)
{
    Run r;
    QProcess p;
    p.setProcessEnvironment(env());
    p.start(polluxBinary(), args);
    if (!p.waitForStarted(10000))
        return r;
    p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        r.status = -2;
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
    return r;
}

QString TestServiceLife::writeConfig(const QString &file, const QStringList &users,
                                     quint16 smtpPort, const QString &dataName)
{
    Config c;
    for (const QString &user : users) {
        AccountConfig a;
        a.name = user;
        a.type = ServerType::Pop3Ssl;
        a.host = QStringLiteral("127.0.0.1");
        a.port = m_dovecot.pop3sPort();
        a.username = user;
        a.timeoutSecs = 30;
        a.recipient = kRecipient;
        c.accounts << a;
    }
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = smtpPort;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(dataName);
    c.caFile = TestCa::instance().caCertPath();
    const QString path = m_dir.filePath(file);
    if (!c.save(path).ok())
        return {};
    for (const QString &user : users) {
        if (m_stored.contains(user))
            continue;
        const Run r = run({QStringLiteral("password"), QStringLiteral("set"), user,
                           QStringLiteral("--config"), path},
                          kPassword.toUtf8() + '\n');
        if (r.status != 0)
            return {};
        m_stored.insert(user);
    }
    return path;
}

void TestServiceLife::startService(QProcess &p, const QString &config)
{
    p.setProcessEnvironment(env());
    connect(&p, &QProcess::readyReadStandardError, this,
            [this, &p] { m_stderr[&p] += p.readAllStandardError(); });
    p.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--config"), config});
}

QByteArray TestServiceLife::stderrOf(QProcess &p)
{
    m_stderr[&p] += p.readAllStandardError();
    return m_stderr.value(&p);
}

// SIGTERM with nothing left to do is a clean stop: status 0 (systemd records no failure).
// The first line names version, configuration, data folder, log and secret backend, on
// stderr (the journal, under systemd) and in the log file alike.
void TestServiceLife::sigtermIsACleanStopWithTheStartLine()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("tess"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("tess"), makeMessage(1, 1500)));
    const QString config = writeConfig(QStringLiteral("tess.json"), {QStringLiteral("tess")},
                                       m_sink->port(), QStringLiteral("tess-data"));
    QVERIFY(!config.isEmpty());
    QProcess p;
    startService(p, config);
    QVERIFY(p.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_dovecot.messageCount(QStringLiteral("tess")) == 0, 60000);
    const QString data = m_dir.filePath(QStringLiteral("tess-data"));
    const QByteArray expected =
        QStringLiteral("pollux %1 starting: config %2, data folder %3, log %3/pollux.log, "
                       "secrets: the keychain, service \"%4\"")
            .arg(QStringLiteral(POLLUX_VERSION), config, data, m_service)
            .toUtf8();
    QVERIFY2(stderrOf(p).contains(expected), stderrOf(p).left(2000).constData());
    QFile log(data + QStringLiteral("/pollux.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY2(log.readAll().contains(expected), "the start line is in the log file too");
    // Started by hand (no POLLUX_CONTROL_SOCKET, no systemd RuntimeDirectory=): no socket.
    QVERIFY2(!stderrOf(p).contains("control socket"), stderrOf(p).left(2000).constData());

    p.terminate();
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 0, stderrOf(p).right(2000).constData());
}

void TestServiceLife::sigintIsACleanStop()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("ivan"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("ivan"), makeMessage(71, 1500)));
    const QString config = writeConfig(QStringLiteral("ivan.json"), {QStringLiteral("ivan")},
                                       m_sink->port(), QStringLiteral("ivan-data"));
    QVERIFY(!config.isEmpty());
    QProcess p;
    startService(p, config);
    QVERIFY(p.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_dovecot.messageCount(QStringLiteral("ivan")) == 0, 60000);
    ::kill(pid_t(p.processId()), SIGINT);
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 0, stderrOf(p).right(2000).constData());
}

// Mail the office server deferred stays in the spool across a stop: still a clean stop (0),
// and `pollux status` afterwards counts it.
void TestServiceLife::sigtermWithMailQueuedIsACleanStop()
{
    SmtpSink::Options options;
    options.tempFailFirst = 100;
    SmtpSink deferring(options);
    QString error;
    QVERIFY2(deferring.start(&error), qPrintable(error));
    QVERIFY(m_dovecot.addUser(QStringLiteral("quinn"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("quinn"), makeMessage(61, 1500)));
    const QString config = writeConfig(QStringLiteral("quinn.json"), {QStringLiteral("quinn")},
                                       deferring.port(), QStringLiteral("quinn-data"));
    QVERIFY(!config.isEmpty());
    QProcess p;
    startService(p, config);
    QVERIFY(p.waitForStarted(10000));
    // Deferred, as the database records it (read while the service runs).
    Run s;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (s = run({QStringLiteral("status"), QStringLiteral("--config"), config}),
         s.out.contains("Waiting for the office server: 1 (1 deferred)")),
        s.out.constData(), 60000);
    p.terminate();
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 0, stderrOf(p).right(2000).constData());
    QVERIFY(deferring.stop());
    s = run({QStringLiteral("status"), QStringLiteral("--config"), config});
    QVERIFY2(s.status == 0, s.err.constData());
    QVERIFY2(s.out.contains("Waiting for the office server: 1 (1 deferred)"), s.out.constData());
    QVERIFY2(s.out.contains("no Pollux works in it now"), s.out.constData());
}

// SIGHUP: a valid file with a second account takes effect after the running pass and
// delivery, and the new account is polled; nothing is lost or sent twice. An invalid file
// is logged by field and the running configuration goes on.
void TestServiceLife::sighupReloadsWithoutLosingAPass()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("rita"), kPassword));
    QVERIFY(m_dovecot.addUser(QStringLiteral("rolf"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("rita"), makeMessage(11, 1500)));
    QVERIFY(m_dovecot.deliver(QStringLiteral("rolf"), makeMessage(12, 1500)));
    const QString config = writeConfig(QStringLiteral("reload.json"), {QStringLiteral("rita")},
                                       m_sink->port(), QStringLiteral("reload-data"));
    QVERIFY(!config.isEmpty());
    // The second account's password is stored; the running file does not name it yet.
    QVERIFY(!writeConfig(QStringLiteral("reload-next.json"),
                         {QStringLiteral("rita"), QStringLiteral("rolf")}, m_sink->port(),
                         QStringLiteral("reload-data"))
                 .isEmpty());
    const int before = m_sink->messages().size();
    QProcess p;
    startService(p, config);
    QVERIFY(p.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_sink->messages().size() == before + 1, 60000);
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("rolf")), 1); // not polled yet

    // One more for the first account: the pass after the reload takes it.
    QVERIFY(m_dovecot.deliver(QStringLiteral("rita"), makeMessage(13, 1500)));
    QFile::remove(config);
    QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("reload-next.json")), config));
    ::kill(pid_t(p.processId()), SIGHUP);
    QTRY_VERIFY2_WITH_TIMEOUT(stderrOf(p).contains("reload: the new configuration is in use"),
                              stderrOf(p).right(2000).constData(), 60000);
    QVERIFY(stderrOf(p).contains("SIGHUP received: reloading the configuration"));
    QTRY_VERIFY_WITH_TIMEOUT(m_sink->messages().size() == before + 3, 60000);
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("rita")), 0);
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("rolf")), 0);
    QCOMPARE(p.state(), QProcess::Running);

    // An invalid file: the field named, the old configuration kept.
    QFile f(config);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray json = f.readAll();
    f.close();
    const QByteArray port = QByteArray::number(m_dovecot.pop3sPort());
    QVERIFY(json.contains(port));
    json.replace(QByteArray("\"port\": " + port), QByteArray("\"port\": 99999"));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(json);
    f.close();
    ::kill(pid_t(p.processId()), SIGHUP);
    QTRY_VERIFY2_WITH_TIMEOUT(stderrOf(p).contains("the running one stays in use"),
                              stderrOf(p).right(2000).constData(), 30000);
    QVERIFY2(stderrOf(p).contains("accounts[0].port"), stderrOf(p).right(2000).constData());
    QCOMPARE(p.state(), QProcess::Running);
    QCOMPARE(stderrOf(p).count("reload: the new configuration is in use"), 1);

    p.terminate();
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 0, stderrOf(p).right(2000).constData());
    QCOMPARE(m_sink->messages().size(), before + 3); // each message once
}

void TestServiceLife::onceExitStatusOk()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("olga"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("olga"), makeMessage(21, 1500)));
    const QString config = writeConfig(QStringLiteral("olga.json"), {QStringLiteral("olga")},
                                       m_sink->port(), QStringLiteral("olga-data"));
    QVERIFY(!config.isEmpty());
    const Run r = run({QStringLiteral("--headless"), QStringLiteral("--once"),
                       QStringLiteral("--config"), config});
    QVERIFY2(r.status == 0, r.err.right(2000).constData());
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("olga")), 0);
}

// 1: a pass failed (wrong password) or a message was refused for good (550).
void TestServiceLife::onceExitStatusFailed()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("fred"), QStringLiteral("another-password")));
    QVERIFY(m_dovecot.deliver(QStringLiteral("fred"), makeMessage(31, 1500)));
    const QString config = writeConfig(QStringLiteral("fred.json"), {QStringLiteral("fred")},
                                       m_sink->port(), QStringLiteral("fred-data"));
    QVERIFY(!config.isEmpty());
    Run r = run({QStringLiteral("--headless"), QStringLiteral("--once"), QStringLiteral("--config"),
                 config});
    QVERIFY2(r.status == 1, r.err.right(2000).constData());
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("fred")), 1);

    SmtpSink::Options options;
    options.rejectRecipients = {kRecipient};
    SmtpSink refusing(options);
    QString error;
    QVERIFY2(refusing.start(&error), qPrintable(error));
    QVERIFY(m_dovecot.addUser(QStringLiteral("fiona"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("fiona"), makeMessage(32, 1500)));
    const QString refused = writeConfig(QStringLiteral("fiona.json"), {QStringLiteral("fiona")},
                                        refusing.port(), QStringLiteral("fiona-data"));
    QVERIFY(!refused.isEmpty());
    r = run({QStringLiteral("--headless"), QStringLiteral("--once"), QStringLiteral("--config"),
             refused});
    QVERIFY2(r.status == 1, r.err.right(2000).constData());
    QVERIFY(refusing.stop());
}

void TestServiceLife::onceExitStatusBadConfig()
{
    const QString path = m_dir.filePath(QStringLiteral("bad.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"accounts": [{"name": "X", "host": "h", "port": 99999, "recipient": "a@b.c"}],
               "smtp": {"host": "127.0.0.1"}})");
    f.close();
    Run r = run(
        {QStringLiteral("--headless"), QStringLiteral("--once"), QStringLiteral("--config"), path});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains("accounts[0].port"), r.err.constData());
    r = run({QStringLiteral("--headless"), QStringLiteral("--once"), QStringLiteral("--bogus")});
    QCOMPARE(r.status, 2);
    r = run({QStringLiteral("status"), QStringLiteral("--config"), path});
    QCOMPARE(r.status, 2);
}

// 3: another Pollux works in the data folder. Meanwhile `pollux status` reads the database
// (read-only) and says who holds the folder.
void TestServiceLife::onceExitStatusInUseAndStatusWhileRunning()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("ursa"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("ursa"), makeMessage(41, 1500)));
    const QString config = writeConfig(QStringLiteral("ursa.json"), {QStringLiteral("ursa")},
                                       m_sink->port(), QStringLiteral("ursa-data"));
    QVERIFY(!config.isEmpty());
    QProcess p;
    startService(p, config);
    QVERIFY(p.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_dovecot.messageCount(QStringLiteral("ursa")) == 0, 60000);
    // The pass is recorded once the message is deleted from the server; status shows it.
    Run s;
    QTRY_VERIFY_WITH_TIMEOUT(
        (s = run({QStringLiteral("status"), QStringLiteral("--config"), config}),
         s.out.contains("ursa: last pass")),
        30000);
    QVERIFY2(s.status == 0, s.err.constData());
    QVERIFY2(s.out.contains(
                 QStringLiteral("a Pollux with PID %1 works in it").arg(p.processId()).toUtf8()),
             s.out.constData());
    QVERIFY2(s.out.contains(": ok, 1 collected; 0 waiting, 0 refused"), s.out.constData());
    QVERIFY2(s.out.contains("Waiting for the office server: 0"), s.out.constData());
    QVERIFY2(!s.out.contains("last delivery never"), s.out.constData());

    const Run r = run({QStringLiteral("--headless"), QStringLiteral("--once"),
                       QStringLiteral("--config"), config});
    QVERIFY2(r.status == 3, r.err.right(2000).constData());
    QCOMPARE(p.state(), QProcess::Running);
    p.terminate();
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
    QCOMPARE(p.exitCode(), 0);
}

// 4: nothing failed but mail still waits (the office server said 451): a cron job need not
// raise an alarm. The message waits in the spool; `pollux status` says so, with no Pollux
// running.
void TestServiceLife::onceExitStatusWaitingAndStatusFromTheDatabase()
{
    SmtpSink::Options options;
    options.tempFailFirst = 100;
    SmtpSink deferring(options);
    QString error;
    QVERIFY2(deferring.start(&error), qPrintable(error));
    QVERIFY(m_dovecot.addUser(QStringLiteral("wanda"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("wanda"), makeMessage(51, 1500)));
    const QString config = writeConfig(QStringLiteral("wanda.json"), {QStringLiteral("wanda")},
                                       deferring.port(), QStringLiteral("wanda-data"));
    QVERIFY(!config.isEmpty());
    Run before = run({QStringLiteral("status"), QStringLiteral("--config"), config});
    QVERIFY2(before.status == 0, before.err.constData());
    QVERIFY2(before.out.contains("not created yet"), before.out.constData());
    QVERIFY2(before.out.contains("wanda: no pass yet"), before.out.constData());

    const Run r = run({QStringLiteral("--headless"), QStringLiteral("--once"),
                       QStringLiteral("--config"), config});
    QVERIFY2(r.status == 4, r.err.right(2000).constData());
    QVERIFY(deferring.stop());

    const Run s = run({QStringLiteral("status"), QStringLiteral("--config"), config});
    QVERIFY2(s.status == 0, s.err.constData());
    QVERIFY2(s.out.contains("no Pollux works in it now"), s.out.constData());
    QVERIFY2(s.out.contains("wanda: last pass"), s.out.constData());
    QVERIFY2(s.out.contains("ok, 1 collected; 1 waiting, 0 refused"), s.out.constData());
    QVERIFY2(s.out.contains("Waiting for the office server: 1 (1 deferred)"), s.out.constData());
    QVERIFY2(s.out.contains("451"), s.out.constData());
    QVERIFY2(s.out.contains("last delivery never"), s.out.constData());
}

// The tray without a display: a message naming --headless and status 2, not Qt's abort.
void TestServiceLife::withoutADisplayNamesHeadless()
{
    const QString config = writeConfig(QStringLiteral("nodisplay.json"), {QStringLiteral("olga")},
                                       m_sink->port(), QStringLiteral("nodisplay-data"));
    QVERIFY(!config.isEmpty());
    QProcess p;
    QProcessEnvironment e = env();
    e.remove(QStringLiteral("DISPLAY"));
    e.remove(QStringLiteral("WAYLAND_DISPLAY"));
    e.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(e);
    p.start(polluxBinary(), {QStringLiteral("--config"), config});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit); // no abort, no core
    QCOMPARE(p.exitCode(), 2);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("pollux --headless"), err.constData());
    QVERIFY2(!err.contains("Reinstalling"), err.constData());
}

// As a service, pollux --headless opens its control socket: `pollux status` reads the running
// service through it (not the database), and a SIGHUP reload reaches its clients (the new
// account is listed).
void TestServiceLife::controlSocketForStatusAndReload()
{
    QTemporaryDir runtime;
    QVERIFY(runtime.isValid());
    m_controlSocket = runtime.filePath(QStringLiteral("control"));
    auto unset = qScopeGuard([this] { m_controlSocket.clear(); });
    QVERIFY(m_dovecot.addUser(QStringLiteral("vera"), kPassword));
    QVERIFY(m_dovecot.addUser(QStringLiteral("walt"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("vera"), makeMessage(61, 1500)));
    const QString config = writeConfig(QStringLiteral("vera.json"), {QStringLiteral("vera")},
                                       m_sink->port(), QStringLiteral("vera-data"));
    QVERIFY(!config.isEmpty());
    QProcess p;
    startService(p, config);
    QVERIFY(p.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_controlSocket).exists(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(m_dovecot.messageCount(QStringLiteral("vera")) == 0, 60000);
    QVERIFY2(
        stderrOf(p).contains(QByteArray(QByteArray("control socket: ") + m_controlSocket.toUtf8())),
        stderrOf(p).left(2000).constData());

    Run s;
    QTRY_VERIFY_WITH_TIMEOUT(
        (s = run({QStringLiteral("status"), QStringLiteral("--config"), config}),
         s.out.contains("vera: idle; last pass 2")),
        30000);
    QVERIFY2(s.status == 0, s.err.constData());
    QVERIFY2(
        s.out.contains(QByteArray(QByteArray("Read from: the running service (control socket ") +
                                  m_controlSocket.toUtf8())),
        s.out.constData());
    QVERIFY2(s.out.contains("1 collected"), s.out.constData());
    QVERIFY2(!s.out.contains("walt"), s.out.constData());

    QVERIFY(!writeConfig(QStringLiteral("vera.json"),
                         {QStringLiteral("vera"), QStringLiteral("walt")}, m_sink->port(),
                         QStringLiteral("vera-data"))
                 .isEmpty());
    ::kill(pid_t(p.processId()), SIGHUP);
    QTRY_VERIFY_WITH_TIMEOUT(
        (s = run({QStringLiteral("status"), QStringLiteral("--config"), config}),
         s.out.contains("  walt: ")),
        30000);
    QVERIFY2(s.out.contains("Read from: the running service"), s.out.constData());

    p.terminate();
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
    QCOMPARE(p.exitCode(), 0);
    // Once the service is gone, status reads the database again.
    s = run({QStringLiteral("status"), QStringLiteral("--config"), config});
    QVERIFY2(s.status == 0, s.err.constData());
    QVERIFY2(s.out.contains("Read from: the database"), s.out.constData());
}

QTEST_GUILESS_MAIN(TestServiceLife)
#include "tst_service_life.moc"
