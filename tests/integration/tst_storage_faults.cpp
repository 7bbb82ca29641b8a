// Disk full and a damaged or locked database, with the real binary: a clear error, no
// remote deletion while the spool cannot be written, recovery when space returns; a
// damaged database is reported and left as it is, never recreated; a locked one is
// waited for (busy timeout) or reported, and nothing is lost.
#include "EngineRun.h"
#include "ExclusiveLock.h"
#include "LogCapture.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"
#include "support/PolluxBinary.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "ui/ErrorText.h"
#include "ui/TrayIcon.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <QTimer>
#include <memory>

#include <csignal>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace pollux;
using namespace pollux::test;

namespace {
// Under the asan preset: OpenSSL's objects reported at exit are suppressed (lsan.supp).
QString lsanOptions()
{
    if (!qEnvironmentVariableIsEmpty("LSAN_OPTIONS"))
        return qEnvironmentVariable("LSAN_OPTIONS");
    return QStringLiteral("suppressions=") + qEnvironmentVariable("POLLUX_SOURCE_DIR") +
           QStringLiteral("/tests/crash/lsan.supp:print_suppressions=0");
}
} // namespace

namespace {
const QString kPassword = QStringLiteral("Storage#pw-5521");
const QString kAccount = QStringLiteral("Storage");

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}
} // namespace

class TestStorageFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void fileSizeLimitKeepsMailOnServer();
    void fullFilesystemKeepsMailOnServer();
    void damagedDatabaseIsReportedNotRecreated_data();
    void damagedDatabaseIsReportedNotRecreated();
    void lockedDatabaseIsWaitedFor();
    void lockedDatabaseIsReported();
    // The same faults with the engine in this process: what the tray says.
    void trayShowsAFullDiskUntilAPassWorks();
    void trayShowsADamagedDatabase();
    void trayShowsALockedDatabaseUntilItIsFree();

private:
    QString setUp(const QString &user, int messages, qint64 size, const QString &dataDir = {});
    int run(const QString &config, QByteArray *err, qint64 fileSizeLimit = 0);
    int delivered(const QString &user) const;

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    QString m_service;
    bool m_passwordSet = false;
    QString m_mounted;
    MemorySecretStore m_memorySecrets;
};

void TestStorageFaults::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-storage-%1").arg(QCoreApplication::applicationPid());
}

void TestStorageFaults::cleanupTestCase()
{
    if (!m_mounted.isEmpty())
        ::umount2(m_mounted.toLocal8Bit().constData(), MNT_DETACH);
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

// A user with `messages` messages of `size` bytes and a config (dataDir: default per user).
QString TestStorageFaults::setUp(const QString &user, int messages, qint64 size,
                                 const QString &dataDir)
{
    m_dovecot.addUser(user, kPassword);
    for (int i = 1; i <= messages; ++i)
        m_dovecot.deliver(user, makeMessage(i, size));
    Config c;
    AccountConfig a;
    a.name = kAccount;
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3sPort();
    a.username = user;
    a.timeoutSecs = 30;
    a.recipient = user + QStringLiteral("@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.dataDir = dataDir.isEmpty() ? m_dir.filePath(user + QStringLiteral("-data")) : dataDir;
    c.caFile = TestCa::instance().caCertPath();
    const QString path = m_dir.filePath(user + QStringLiteral(".json"));
    if (!c.save(path).ok())
        return {};
    if (!m_passwordSet) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
        env.insert(QStringLiteral("LSAN_OPTIONS"), lsanOptions());
        p.setProcessEnvironment(env);
        p.start(polluxBinary(), {QStringLiteral("password"), QStringLiteral("set"), kAccount,
                           QStringLiteral("--config"), path});
        p.waitForStarted();
        p.write(kPassword.toUtf8() + '\n');
        p.closeWriteChannel();
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            return {};
        m_passwordSet = true;
    }
    return path;
}

int TestStorageFaults::run(const QString &config, QByteArray *err, qint64 fileSizeLimit)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("LSAN_OPTIONS"), lsanOptions());
    p.setProcessEnvironment(env);
    if (fileSizeLimit > 0) {
        // In the child, before exec: no file may grow past the limit (EFBIG instead of
        // SIGXFSZ, whose ignored disposition survives exec) -- a disk that is full.
        p.setChildProcessModifier([fileSizeLimit] {
            ::signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{rlim_t(fileSizeLimit), rlim_t(fileSizeLimit)};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
    }
    p.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--once"),
                       QStringLiteral("--config"), config});
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return -2;
    }
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
}

int TestStorageFaults::delivered(const QString &user) const
{
    int n = 0;
    for (const ReceivedMessage &m : m_sink->messages())
        n += m.recipients.contains(user + QStringLiteral("@office.example.com")) ? 1 : 0;
    return n;
}

void TestStorageFaults::fileSizeLimitKeepsMailOnServer()
{
    const QString user = QStringLiteral("fsize");
    const QString config = setUp(user, 3, 300 * 1024);
    QVERIFY(!config.isEmpty());
    QByteArray err;
    QCOMPARE(run(config, &err, 200 * 1024), 1);
    QVERIFY2(err.contains("spool") || err.contains("too large") || err.contains("write"),
             err.right(2000).constData());
    QCOMPARE(m_dovecot.messageCount(user), 3); // nothing removed: nothing was durable
    QCOMPARE(delivered(user), 0);

    // Space is back: everything arrives, once.
    QVERIFY2(run(config, &err) == 0, err.right(3000).constData());
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QCOMPARE(delivered(user), 3);
}

void TestStorageFaults::fullFilesystemKeepsMailOnServer()
{
    if (::geteuid() != 0)
        QSKIP("mounting a small tmpfs needs root (CI runs as root); the RLIMIT_FSIZE test "
              "covers a full disk without it");
    const QString mountPoint = m_dir.filePath(QStringLiteral("tiny"));
    QVERIFY(QDir().mkpath(mountPoint));
    const QByteArray mp = mountPoint.toLocal8Bit();
    if (::mount("tmpfs", mp.constData(), "tmpfs", 0, "size=384k") != 0)
        QSKIP("cannot mount a tmpfs here (no CAP_SYS_ADMIN in this container)");
    m_mounted = mountPoint;
    const QString user = QStringLiteral("tmpfs");
    const QString config = setUp(user, 3, 300 * 1024, mountPoint + QStringLiteral("/data"));
    QVERIFY(!config.isEmpty());
    QByteArray err;
    const int status = run(config, &err);
    QCOMPARE(status, 1);
    QVERIFY2(err.contains("No space left") || err.contains("spool"), err.right(2000).constData());
    // At most what fitted before the disk filled up is gone from the server, and that is
    // durable here (or already delivered).
    const int left = m_dovecot.messageCount(user);
    QVERIFY2(left >= 2, qPrintable(QStringLiteral("%1 left on the server").arg(left)));

    // Space returns.
    QCOMPARE(::mount("tmpfs", mp.constData(), "tmpfs", MS_REMOUNT, "size=16m"), 0);
    QVERIFY2(run(config, &err) == 0, err.right(3000).constData());
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QCOMPARE(delivered(user), 3);
    QCOMPARE(::umount2(mp.constData(), MNT_DETACH), 0);
    m_mounted.clear();
}

void TestStorageFaults::damagedDatabaseIsReportedNotRecreated_data()
{
    QTest::addColumn<int>("damage");
    QTest::newRow("garbage-file") << 0;
    QTest::newRow("damaged-pages") << 1;
    QTest::newRow("truncated") << 2;
}

void TestStorageFaults::damagedDatabaseIsReportedNotRecreated()
{
    QFETCH(int, damage);
    const QString user = QStringLiteral("damaged%1").arg(damage);
    const QString config = setUp(user, 2, 2000);
    QVERIFY(!config.isEmpty());
    QByteArray err;
    QVERIFY2(run(config, &err) == 0, err.right(3000).constData()); // a database with content
    QCOMPARE(delivered(user), 2);
    for (int i = 3; i <= 4; ++i)
        m_dovecot.deliver(user, makeMessage(i, 2000));

    Config loaded;
    QVERIFY(Config::load(config, loaded).ok());
    const QString db = Engine::databasePath(loaded);
    QFile::remove(db + QStringLiteral("-wal"));
    QFile::remove(db + QStringLiteral("-shm"));
    {
        QFile f(db);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        QVERIFY(size >= 4096);
        if (damage == 0) {
            f.resize(0);
            f.write(QByteArray(8192, '\x5a'));
        } else if (damage == 1) {
            f.seek(4096); // every page after the header page
            f.write(QByteArray(size - 4096, '\xa5'));
        } else {
            f.resize(size / 2 + 100);
        }
    }
    const QByteArray before = sha256Of(db);
    const int status = run(config, &err);
    QVERIFY2(status != 0, "a damaged database was used");
    QVERIFY2(err.contains(QFile::encodeName(db)), err.right(2000).constData());
    QCOMPARE(sha256Of(db), before);            // reported, not recreated or repaired
    QCOMPARE(m_dovecot.messageCount(user), 2); // the new mail was not touched
    QCOMPARE(delivered(user), 2);
}

void TestStorageFaults::lockedDatabaseIsWaitedFor()
{
    const QString user = QStringLiteral("locked1");
    const QString config = setUp(user, 1, 2000);
    QByteArray err;
    QVERIFY2(run(config, &err) == 0, err.right(3000).constData());
    for (int i = 2; i <= 3; ++i)
        m_dovecot.deliver(user, makeMessage(i, 2000));
    Config loaded;
    QVERIFY(Config::load(config, loaded).ok());
    ExclusiveLock lock(Engine::databasePath(loaded));
    QVERIFY(lock.held());
    // Released after 3 s: within the busy timeout (10 s), so the run just waits.
    QTimer::singleShot(3000, this, [&lock] { lock.release(); });
    QElapsedTimer t;
    t.start();
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("LSAN_OPTIONS"), lsanOptions());
    p.setProcessEnvironment(env);
    p.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--once"),
                       QStringLiteral("--config"), config});
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 60000);
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().right(2000).constData());
    QVERIFY(t.elapsed() >= 2500);
    QVERIFY(!lock.held());
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QCOMPARE(delivered(user), 3);
}

void TestStorageFaults::lockedDatabaseIsReported()
{
    const QString user = QStringLiteral("locked2");
    const QString config = setUp(user, 1, 2000);
    QByteArray err;
    QVERIFY2(run(config, &err) == 0, err.right(3000).constData());
    for (int i = 2; i <= 3; ++i)
        m_dovecot.deliver(user, makeMessage(i, 2000));
    Config loaded;
    QVERIFY(Config::load(config, loaded).ok());
    const QString db = Engine::databasePath(loaded);
    ExclusiveLock lock(db);
    QVERIFY(lock.held());
    const int status = run(config, &err); // the lock outlives the busy timeout
    lock.release();
    QCOMPARE(status, 1);
    QVERIFY2(err.contains("locked") || err.contains("busy"), err.right(2000).constData());
    // Whatever left the server is durable here: a run without the lock delivers all.
    QVERIFY2(run(config, &err) == 0, err.right(3000).constData());
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QCOMPARE(delivered(user), 3);
}

// Files of this process may not grow past `bytes` while it lives (EFBIG, not SIGXFSZ): a
// full disk for the engine's threads, not for the servers, which are other processes.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_oldHandler = ::signal(SIGXFSZ, SIG_IGN);
        m_set = ::getrlimit(RLIMIT_FSIZE, &m_old) == 0;
        if (m_set) {
            rlimit limit = m_old;
            limit.rlim_cur = bytes; // the soft limit only: it can be raised again
            m_set = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
        }
    }
    ~FileSizeLimit()
    {
        if (m_set)
            ::setrlimit(RLIMIT_FSIZE, &m_old);
        ::signal(SIGXFSZ, m_oldHandler);
    }
    bool isSet() const { return m_set; }

private:
    rlimit m_old{};
    bool m_set = false;
    void (*m_oldHandler)(int) = nullptr;
};

void TestStorageFaults::trayShowsAFullDiskUntilAPassWorks()
{
    const QString user = QStringLiteral("fsize-tray");
    const QString path = setUp(user, 3, 300 * 1024);
    QVERIFY(!path.isEmpty());
    Config config;
    QVERIFY(Config::load(path, config).ok());
    m_memorySecrets.set(QStringLiteral("account/") + kAccount, kPassword);
    ui::TrayIcon tray;
    QSignalSpy notified(&tray, &ui::TrayIcon::notified);
    bool ok = true;
    {
        Engine engine(&m_memorySecrets, Clock::system());
        tray.watch(&engine);
        QSignalSpy passes(&engine, &Engine::passFinished);
        QVERIFY(engine.start(config, {false, 0}).ok());
        {
            FileSizeLimit full(200 * 1024);
            QVERIFY(full.isSet());
            QVERIFY(runOnce(engine, ok));
        }
        engine.stop();
        QVERIFY(!ok);
        QVERIFY(!passes.isEmpty());
        const Result pass = passes.last().at(1).value<Result>();
        qInfo("pass: %s: %s", qPrintable(errorCodeName(pass.code())), qPrintable(pass.message()));
    }
    QCOMPARE(m_dovecot.messageCount(user), 3); // nothing removed: nothing was durable
    QCOMPARE(delivered(user), 0);
    // The tray says the spool could not be written, for the account whose mail it was.
    QCOMPARE(tray.state(), ui::TrayIcon::State::Error);
    QCOMPARE(tray.failingAccounts(), QStringList{kAccount});
    QVERIFY2(tray.details().contains(QLatin1String("could not write to its spool or database")),
             qPrintable(tray.details()));
    QVERIFY(tray.details().contains(kAccount));
    QVERIFY(!notified.isEmpty());
    QVERIFY(notified.first().at(1).toString().contains(
        QLatin1String("could not write to its spool or database")));

    // Space is back: the next pass works, and the tray says so.
    Engine engine(&m_memorySecrets, Clock::system());
    tray.watch(&engine);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QVERIFY(runOnce(engine, ok));
    engine.stop();
    QVERIFY(ok);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QCOMPARE(delivered(user), 3);
    QCOMPARE(tray.state(), ui::TrayIcon::State::Idle);
    QVERIFY(tray.failingAccounts().isEmpty());
    QVERIFY2(tray.problems().isEmpty(), qPrintable(tray.details()));
    QVERIFY(notified.last().at(0).toString().contains(QLatin1String("works again")));
}

void TestStorageFaults::trayShowsADamagedDatabase()
{
    const QString user = QStringLiteral("damaged-tray");
    const QString path = setUp(user, 2, 2000);
    QVERIFY(!path.isEmpty());
    Config config;
    QVERIFY(Config::load(path, config).ok());
    m_memorySecrets.set(QStringLiteral("account/") + kAccount, kPassword);
    ui::TrayIcon tray;
    {
        Engine engine(&m_memorySecrets, Clock::system());
        tray.watch(&engine);
        QVERIFY(engine.start(config, {false, 0}).ok());
        bool ok = false;
        QVERIFY(runOnce(engine, ok)); // a database with content
        QVERIFY(ok);
        QCOMPARE(tray.state(), ui::TrayIcon::State::Idle);
    }
    QCOMPARE(delivered(user), 2);
    m_dovecot.deliver(user, makeMessage(3, 2000));

    const QString db = Engine::databasePath(config);
    QFile::remove(db + QStringLiteral("-wal"));
    QFile::remove(db + QStringLiteral("-shm"));
    {
        QFile f(db);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(0));
        QCOMPARE(f.write(QByteArray(8192, '\x5a')), qint64(8192));
    }
    const QByteArray before = sha256Of(db);
    QSignalSpy notified(&tray, &ui::TrayIcon::notified);
    Engine engine(&m_memorySecrets, Clock::system());
    tray.watch(&engine);
    QSignalSpy storageErrors(&engine, &Engine::storageError);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QVERIFY(storageErrors.wait(30000)); // the engine cannot start on it
    engine.stop();
    const Result error = storageErrors.first().first().value<Result>();
    qInfo("storage error: %s: %s", qPrintable(errorCodeName(error.code())),
          qPrintable(error.message()));
    // The tray shows the damaged database, told once (its path is in the log: the tray shows
    // no English engine message, issue 15).
    QCOMPARE(tray.state(), ui::TrayIcon::State::Error);
    QVERIFY(tray.storageFailing());
    QCOMPARE(tray.problems().size(), 1);
    QVERIFY2(tray.details().contains(ui::ErrorText::sentence(error)), qPrintable(tray.details()));
    QVERIFY2(!tray.details().contains(error.message()), qPrintable(tray.details()));
    QCOMPARE(notified.count(), 1);
    QCOMPARE(sha256Of(db), before);            // reported, not recreated or repaired
    QCOMPARE(m_dovecot.messageCount(user), 1); // the new mail was not touched
    QCOMPARE(delivered(user), 2);
}

// Another program holds the database locked longer than the busy timeout (10 s): the pass
// fails and the tray and the log say so; nothing leaves the mailbox. Once the lock is
// gone, the next pass delivers and the tray is idle again.
void TestStorageFaults::trayShowsALockedDatabaseUntilItIsFree()
{
    const QString user = QStringLiteral("locked-tray");
    const QString path = setUp(user, 2, 2000);
    QVERIFY(!path.isEmpty());
    Config config;
    QVERIFY(Config::load(path, config).ok());
    m_memorySecrets.set(QStringLiteral("account/") + kAccount, kPassword);
    ui::TrayIcon tray;
    LogCapture log;
    Engine engine(&m_memorySecrets, Clock::system());
    tray.watch(&engine);
    QSignalSpy notified(&tray, &ui::TrayIcon::notified);
    QSignalSpy started(&engine, &Engine::started);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QVERIFY(started.wait(30000)); // every thread has the database open

    auto lock = std::make_unique<ExclusiveLock>(Engine::databasePath(config));
    QVERIFY(lock->held());
    bool ok = true;
    QVERIFY(runOnce(engine, ok)); // waits out the busy timeout
    QVERIFY(!ok);
    QCOMPARE(m_dovecot.messageCount(user), 2); // nothing left the mailbox
    QCOMPARE(tray.state(), ui::TrayIcon::State::Error);
    QCOMPARE(tray.failingAccounts(), QStringList{kAccount});
    const QString tip = tray.details();
    QVERIFY2(
        tip.contains(kAccount + QStringLiteral(": ") +
                     ui::ErrorText::sentence(Result::failure(ErrorCode::Storage, QString()))),
        qPrintable(tip));
    QCOMPARE(notified.count(), 1);
    QVERIFY2(log.contains({QStringLiteral("pollux.pass: ") + kAccount +
                               QStringLiteral(": pass failed: storage error"),
                           QStringLiteral("locked")}),
             qPrintable(log.lines().join(QLatin1Char('\n'))));

    lock.reset();
    QVERIFY(runOnce(engine, ok));
    QVERIFY(ok);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QCOMPARE(delivered(user), 2);
    QCOMPARE(tray.state(), ui::TrayIcon::State::Idle);
    QVERIFY(tray.problems().isEmpty());
    engine.stop();
}

QTEST_MAIN(TestStorageFaults)
#include "tst_storage_faults.moc"
