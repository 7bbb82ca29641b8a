// The pollux binary as an administrator runs it: `password set`, `--headless --once`,
// against real Dovecot, a real SMTP server and the real keychain (Secret Service in the
// D-Bus session that deploy/test.sh starts).
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"
#include "support/PolluxBinary.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "secrets/KeychainSecretStore.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString kPassword = QStringLiteral("Kj8#unique-pass-7781");
}

class TestHeadless : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void onceDeliversAndPasswordStaysInKeychain();
    void largeMessageWithBoundedMemory();
    void wrongPasswordFailsWithStatusOne();
    void badConfigNamesTheField();
    void serviceModeStopsCleanlyOnSigterm();
    void accountTestCountsWithoutTouching();
    void passwordSetOnATerminalShowsNothing_data();
    void passwordSetOnATerminalShowsNothing();

private:
    int run(const QStringList &args, const QByteArray &stdinData = {}, QByteArray *err = nullptr);
    QString writeConfig(const QString &user, const QString &name);

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    QTemporaryDir m_transcripts;
    QString m_service;
    long m_smallRunPeakKib = 0;
};

// The peak resident memory pollux reports when it stops.
static long reportedPeakKib(const QByteArray &stderrText)
{
    const qsizetype at = stderrText.lastIndexOf("peak resident memory ");
    return at < 0 ? -1 : stderrText.mid(at + 21).split(' ').value(0).toLong();
}

void TestHeadless::initTestCase()
{
    QVERIFY2(
        !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
        "no D-Bus session: run the suite with deploy/test.sh, which starts one with a keyring");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    SmtpSink::Options options;
    options.maxSize = 256 * 1024 * 1024;
    m_sink = std::make_unique<SmtpSink>(options);
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-test-%1").arg(QCoreApplication::applicationPid());
}

void TestHeadless::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

int TestHeadless::run(const QStringList &args, const QByteArray &stdinData, QByteArray *err)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("POLLUX_TRANSCRIPT_DIR"), m_transcripts.path());
    p.setProcessEnvironment(env);
    p.start(polluxBinary(), args);
    if (!p.waitForStarted(10000))
        return -1;
    p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(600000)) {
        p.kill();
        p.waitForFinished();
        return -2;
    }
    const QByteArray e = p.readAllStandardError();
    if (err)
        *err = e;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        qWarning("pollux %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), p.exitCode(),
                 e.right(3000).constData());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
}

QString TestHeadless::writeConfig(const QString &user, const QString &name)
{
    Config c;
    AccountConfig a;
    a.name = name;
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3sPort();
    a.username = user;
    a.timeoutSecs = 30;
    a.recipient = QStringLiteral("boss@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(name + QStringLiteral("-data"));
    c.caFile = TestCa::instance().caCertPath();
    const QString path = m_dir.filePath(name + QStringLiteral(".json"));
    if (!c.save(path).ok())
        return {};
    return path;
}

void TestHeadless::onceDeliversAndPasswordStaysInKeychain()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("alice"), kPassword));
    for (int i = 1; i <= 10; ++i)
        QVERIFY(m_dovecot.deliver(QStringLiteral("alice"), makeMessage(i, 4000)));
    const QString config = writeConfig(QStringLiteral("alice"), QStringLiteral("Alice"));
    QVERIFY(!config.isEmpty());

    QCOMPARE(run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Alice"),
                  QStringLiteral("--config"), config},
                 kPassword.toUtf8() + '\n'),
             0);
    QByteArray err;
    QCOMPARE(run({QStringLiteral("--headless"), QStringLiteral("--once"),
                  QStringLiteral("--config"), config},
                 {}, &err),
             0);
    m_smallRunPeakKib = reportedPeakKib(err);
    QVERIFY(m_smallRunPeakKib > 0);
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("alice")), 0);
    int delivered = 0;
    for (const ReceivedMessage &m : m_sink->messages())
        delivered += m.recipients.contains(QStringLiteral("boss@office.example.com")) ? 1 : 0;
    QCOMPARE(delivered, 10);

    // The password is in the keychain only: not in the config, the database, the log,
    // the spool or the transcripts.
    QStringList searched;
    const QByteArray needle = kPassword.toUtf8();
    for (const QString &root : {m_dir.path(), m_transcripts.path()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(needle), qPrintable(path));
            searched << QFileInfo(path).fileName();
        }
    }
    // Make sure the search covered what it claims to.
    QVERIFY(searched.contains(QStringLiteral("Alice.json")));
    QVERIFY(searched.contains(QStringLiteral("pollux.db")));
    QVERIFY(searched.contains(QStringLiteral("pollux.log")));
    QVERIFY(searched.contains(QStringLiteral("pop3-Alice.log")));
}

void TestHeadless::largeMessageWithBoundedMemory()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("bob"), kPassword));
    const QByteArray big = makeMessage(1, 50 * 1024 * 1024);
    QVERIFY(m_dovecot.deliver(QStringLiteral("bob"), big));
    const QString config = writeConfig(QStringLiteral("bob"), QStringLiteral("Bob"));
    QCOMPARE(run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Bob"),
                  QStringLiteral("--config"), config},
                 kPassword.toUtf8()),
             0);
    m_sink->clear();
    QByteArray err;
    QCOMPARE(run({QStringLiteral("--headless"), QStringLiteral("--once"),
                  QStringLiteral("--config"), config},
                 {}, &err),
             0);
    // pollux reports its own peak resident memory when it stops.
    const long peakKib = reportedPeakKib(err);
    QVERIFY2(peakKib > 0, err.right(2000).constData());
    qInfo("peak RSS moving a 50 MB message: %ld KiB (10 small messages: %ld KiB)", peakKib,
          m_smallRunPeakKib);
#ifndef __SANITIZE_ADDRESS__
    // Bounded: the message never sits in memory, neither whole nor in large part.
    // (Not under AddressSanitizer: its quarantine keeps freed buffers resident.)
    QVERIFY2(peakKib < 64 * 1024, qPrintable(QStringLiteral("peak RSS %1 KiB").arg(peakKib)));
    if (m_smallRunPeakKib > 0)
        QVERIFY2(peakKib < m_smallRunPeakKib + 16 * 1024,
                 qPrintable(QStringLiteral("peak RSS %1 KiB").arg(peakKib)));
#endif

    const QList<ReceivedMessage> got = m_sink->messages();
    QCOMPARE(got.size(), 1);
    QVERIFY(withoutTrace(got.first().data) == big);
}

void TestHeadless::wrongPasswordFailsWithStatusOne()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("carol"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("carol"), makeMessage(1, 1000)));
    const QString config = writeConfig(QStringLiteral("carol"), QStringLiteral("Carol"));
    QCOMPARE(run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Carol"),
                  QStringLiteral("--config"), config},
                 QByteArrayLiteral("not-the-password\n")),
             0);
    QByteArray err;
    QCOMPARE(run({QStringLiteral("--headless"), QStringLiteral("--once"),
                  QStringLiteral("--config"), config},
                 {}, &err),
             1);
    QVERIFY2(err.contains("authentication"), err.constData());
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("carol")), 1);
}

void TestHeadless::badConfigNamesTheField()
{
    const QString path = m_dir.filePath(QStringLiteral("bad.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"accounts": [{"name": "X", "host": "h", "port": 99999, "recipient": "a@b.c"}],
               "smtp": {"host": "127.0.0.1"}})");
    f.close();
    QByteArray err;
    QCOMPARE(run({QStringLiteral("--headless"), QStringLiteral("--once"),
                  QStringLiteral("--config"), path},
                 {}, &err),
             2);
    QVERIFY2(err.contains("port"), err.constData());
}

void TestHeadless::serviceModeStopsCleanlyOnSigterm()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("dave"), kPassword));
    for (int i = 1; i <= 3; ++i)
        QVERIFY(m_dovecot.deliver(QStringLiteral("dave"), makeMessage(i, 1000)));
    const QString config = writeConfig(QStringLiteral("dave"), QStringLiteral("Dave"));
    QCOMPARE(run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Dave"),
                  QStringLiteral("--config"), config},
                 kPassword.toUtf8()),
             0);
    m_sink->clear();
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    p.setProcessEnvironment(env);
    p.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--config"), config});
    QVERIFY(p.waitForStarted(10000));
    // The service polls at start, then waits for the next interval.
    QVERIFY(m_sink->waitForMessages(3, 60000));
    QTRY_COMPARE_WITH_TIMEOUT(m_dovecot.messageCount(QStringLiteral("dave")), 0, 30000);
    p.terminate(); // SIGTERM
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("signal received, stopping"), err.right(2000).constData());
    QVERIFY2(err.contains("peak resident memory"), "the engine was stopped, not killed");
    QCOMPARE(m_sink->messages().size(), 3);
}

void TestHeadless::accountTestCountsWithoutTouching()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("erin"), kPassword));
    for (int i = 1; i <= 4; ++i)
        QVERIFY(m_dovecot.deliver(QStringLiteral("erin"), makeMessage(i, 1000)));
    const QString config = writeConfig(QStringLiteral("erin"), QStringLiteral("Erin"));
    const QStringList test = {QStringLiteral("account"), QStringLiteral("test"),
                              QStringLiteral("Erin"), QStringLiteral("--config"), config};
    // No password yet: the keychain has none.
    QByteArray err;
    QCOMPARE(run(test, {}, &err), 1);
    QVERIFY2(err.toLower().contains("keychain") || err.toLower().contains("password"),
             err.constData());
    QCOMPARE(run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Erin"),
                  QStringLiteral("--config"), config},
                 kPassword.toUtf8()),
             0);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    p.setProcessEnvironment(env);
    p.start(polluxBinary(), test);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(p.readAllStandardOutput().contains("4 messages"), "the count is reported");
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("erin")), 4); // nothing was changed
    QCOMPARE(run({QStringLiteral("account"), QStringLiteral("test"), QStringLiteral("Nobody"),
                  QStringLiteral("--config"), config}),
             2);
}

void TestHeadless::passwordSetOnATerminalShowsNothing_data()
{
    QTest::addColumn<QString>("account");
    QTest::addColumn<QString>("typed"); // "^C": Ctrl-C at the prompt
    QTest::newRow("typed-password") << QStringLiteral("Tty") << QStringLiteral("Tty#typed-9931");
    QTest::newRow("ctrl-c-at-the-prompt") << QStringLiteral("TtyBreak") << QStringLiteral("^C");
}

// Typed on a terminal (a pseudo-terminal that is the command's controlling terminal), the
// password is not shown, and the terminal echoes again afterwards, also after Ctrl-C.
void TestHeadless::passwordSetOnATerminalShowsNothing()
{
    QFETCH(QString, account);
    QFETCH(QString, typed);
    const QString config = writeConfig(account.toLower(), account);
    QVERIFY(!config.isEmpty());
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("python3"), {qEnvironmentVariable("POLLUX_SOURCE_DIR") +
                                            QStringLiteral("/tests/integration/pty_run.py"),
                                        QStringLiteral("Password for"), typed, QStringLiteral("--"),
                                        polluxBinary(), QStringLiteral("password"), QStringLiteral("set"),
                                        account, QStringLiteral("--config"), config});
    QVERIFY(p.waitForFinished(90000));
    const QByteArray shown = p.readAllStandardOutput();
    QVERIFY2(shown.contains(QByteArray("Password for account/" + account.toUtf8())),
             shown.constData());
    QVERIFY2(shown.endsWith("ECHO=1\n"), shown.constData()); // the terminal echoes again

    KeychainSecretStore keychain(m_service);
    QString stored;
    const Result read = keychain.readSync(secretKey(SecretKind::Account, account), stored);
    if (typed == QLatin1String("^C")) {
        QCOMPARE(p.exitCode(), 128 + SIGINT); // ended by the signal, as without Pollux
        QVERIFY(!read.ok());
        return;
    }
    QVERIFY2(p.exitCode() == 0, shown.constData());
    QVERIFY2(!shown.contains(typed.toUtf8()), shown.constData());
    QVERIFY2(shown.contains("stored in the keychain"), shown.constData());
    QVERIFY2(read.ok(), qPrintable(read.message()));
    QCOMPARE(stored, typed);
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
