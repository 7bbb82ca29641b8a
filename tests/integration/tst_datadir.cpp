// The data folder with the real binary, Dovecot, the SMTP sink and the keychain: one Pollux
// per data folder (a second one - headless, --once or the tray app - stops with a message
// naming the folder and the PID, and touches nothing of the first one's), a lock left by a
// dead process never blocks a start, and what Pollux writes is its user's alone whatever
// the umask.
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/PolluxBinary.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Spool.h"
#include "ui/MessageBox.h"
#include "ui/TrayApp.h"
#include "util/DataDirLock.h"

#include <QDirIterator>
#include <QProcess>
#include <QScopeGuard>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <memory>
#include <sys/stat.h>

using namespace pollux;
using namespace pollux::test;

namespace {

const QString kPassword = QStringLiteral("Dd#folder-pass-4410");

QString lsanOptions()
{
    if (!qEnvironmentVariableIsEmpty("LSAN_OPTIONS"))
        return qEnvironmentVariable("LSAN_OPTIONS");
    return QStringLiteral("suppressions=") + qEnvironmentVariable("POLLUX_SOURCE_DIR") +
           QStringLiteral("/tests/crash/lsan.supp:print_suppressions=0");
}

mode_t modeOf(const QString &path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777 : 07777;
}

// The spool's message files (not quarantine), relative to the spool.
QStringList spoolFiles(const QString &dataDir)
{
    const QString spool = dataDir + QStringLiteral("/spool");
    QStringList files;
    QDirIterator it(spool, {QStringLiteral("*.eml")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = QDir(spool).relativeFilePath(it.next());
        if (!relative.startsWith(QLatin1String("quarantine/")))
            files << relative;
    }
    files.sort();
    return files;
}

// Stops a process we started (SIGSTOP) for a scope; it continues whatever happens.
class Stopped
{
public:
    explicit Stopped(qint64 pid) : m_pid(pid) { ::kill(pid_t(pid), SIGSTOP); }
    ~Stopped() { resume(); }
    void resume()
    {
        if (m_pid > 0)
            ::kill(pid_t(m_pid), SIGCONT);
        m_pid = 0;
    }

private:
    qint64 m_pid;
};

class UmaskScope
{
public:
    explicit UmaskScope(mode_t mask) : m_old(::umask(mask)) {}
    ~UmaskScope() { ::umask(m_old); }

private:
    mode_t m_old;
};

// A lock file as QLockFile writes it: PID, program, host, machine id, boot id.
// The lock file exists and its first line is `pid`.
bool lockFileNames(const QString &lockFile, const QByteArray &pid)
{
    QFile f(lockFile);
    return f.open(QIODevice::ReadOnly) && f.readLine().trimmed() == pid;
}

bool writeLockFile(const QString &path, qint64 pid, const QByteArray &bootId, int ageSecs)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    if (pid != 0)
        f.write(QByteArray::number(pid) + "\npollux\n" + QSysInfo::machineHostName().toUtf8() +
                '\n' + QSysInfo::machineUniqueId() + '\n' + bootId + '\n');
    f.flush(); // setFileTime() needs the file open
    return ageSecs == 0 || f.setFileTime(QDateTime::currentDateTime().addSecs(-ageSecs),
                                         QFileDevice::FileModificationTime);
}

} // namespace

class TestDataDir : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void secondInstanceStopsAndTouchesNothing();
    void staleLockDoesNotBlock_data();
    void staleLockDoesNotBlock();
    void filesArePrivateWhateverTheUmask_data();
    void filesArePrivateWhateverTheUmask();

private:
    std::unique_ptr<QProcess> start(const QStringList &args,
                                    const QString &transcripts = QString());
    int run(const QStringList &args, const QByteArray &stdinData = {}, QByteArray *err = nullptr,
            const QString &transcripts = QString(), int timeoutMs = 120000);
    QString writeConfig(const QString &user, const QString &name, const QString &dataDir);
    bool setPassword(const QString &account, const QString &config);

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    QString m_service;
    int m_seq = 100;
};

void TestDataDir::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-datadir-%1").arg(QCoreApplication::applicationPid());
}

void TestDataDir::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

std::unique_ptr<QProcess> TestDataDir::start(const QStringList &args, const QString &transcripts)
{
    auto p = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("LSAN_OPTIONS"), lsanOptions());
    if (!transcripts.isEmpty())
        env.insert(QStringLiteral("POLLUX_TRANSCRIPT_DIR"), transcripts);
    p->setProcessEnvironment(env);
    p->start(polluxBinary(), args);
    p->waitForStarted(10000);
    return p;
}

int TestDataDir::run(const QStringList &args, const QByteArray &stdinData, QByteArray *err,
                     const QString &transcripts, int timeoutMs)
{
    std::unique_ptr<QProcess> p = start(args, transcripts);
    p->write(stdinData);
    p->closeWriteChannel();
    // The SMTP sink and Dovecot are other processes: waiting blocks nothing they need.
    if (!p->waitForFinished(timeoutMs)) {
        p->kill();
        p->waitForFinished();
        if (err)
            *err = p->readAllStandardError();
        return -2;
    }
    const QByteArray e = p->readAllStandardError();
    if (err)
        *err = e;
    return p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -3;
}

QString TestDataDir::writeConfig(const QString &user, const QString &name, const QString &dataDir)
{
    Config c;
    AccountConfig a;
    a.name = name;
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3sPort();
    a.username = user;
    a.timeoutSecs = 30;
    a.recipient = user + QStringLiteral("@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = dataDir;
    c.caFile = TestCa::instance().caCertPath();
    const QString path = m_dir.filePath(name + QStringLiteral(".json"));
    return c.save(path).ok() ? path : QString();
}

bool TestDataDir::setPassword(const QString &account, const QString &config)
{
    return run({QStringLiteral("password"), QStringLiteral("set"), account,
                QStringLiteral("--config"), config},
               kPassword.toUtf8() + '\n') == 0;
}

// Two `pollux --headless` on one data folder once delivered every message twice, and the
// second one's orphan sweep removed the first one's new spool files.
void TestDataDir::secondInstanceStopsAndTouchesNothing()
{
    const QString user = QStringLiteral("tina");
    QVERIFY(m_dovecot.addUser(user, kPassword));
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(++m_seq, 2000)));
    const QString dataDir = m_dir.filePath(QStringLiteral("shared-data"));
    const QString config = writeConfig(user, QStringLiteral("Tina"), dataDir);
    QVERIFY(!config.isEmpty());
    QVERIFY(setPassword(QStringLiteral("Tina"), config));
    m_sink->clear();

    // The office server hangs (stopped): the first one's messages wait in its spool.
    Stopped office(m_sink->pid());
    std::unique_ptr<QProcess> first =
        start({QStringLiteral("--headless"), QStringLiteral("--config"), config});
    QVERIFY(first->state() == QProcess::Running);
    QTRY_COMPARE_WITH_TIMEOUT(m_dovecot.messageCount(user), 0, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(spoolFiles(dataDir).size(), 3, 30000);
    const QStringList held = spoolFiles(dataDir);

    const QByteArray firstPid = QByteArray::number(first->processId());
    for (const QStringList &second :
         {QStringList{QStringLiteral("--headless"), QStringLiteral("--config"), config},
          QStringList{QStringLiteral("--headless"), QStringLiteral("--once"),
                      QStringLiteral("--config"), config}}) {
        QByteArray err;
        QCOMPARE(run(second, {}, &err, QString(), 30000), DataDirLock::kExitStatusInUse);
        QVERIFY2(err.contains(QFile::encodeName(dataDir)), err.constData());
        QVERIFY2(err.contains(QByteArray("process " + firstPid)), err.constData());
        QCOMPARE(spoolFiles(dataDir), held);
    }

    // The tray app on the same folder says so and closes (the box answered in advance).
    const int answered = ui::MessageBox::answeredInAdvance();
    ui::MessageBox::setNextAnswer(QMessageBox::Ok);
    QCOMPARE(ui::runTrayApp(config, m_service + QStringLiteral("-tray")),
             DataDirLock::kExitStatusInUse);
    QCOMPARE(ui::MessageBox::answeredInAdvance(), answered + 1);
    QCOMPARE(spoolFiles(dataDir), held);

    // What only reads runs beside the service: it takes no lock.
    QByteArray err;
    QCOMPARE(run({QStringLiteral("account"), QStringLiteral("test"), QStringLiteral("Tina"),
                  QStringLiteral("--config"), config},
                 {}, &err),
             0);
    QCOMPARE(run({QStringLiteral("account"), QStringLiteral("route"), QStringLiteral("Tina"),
                  QStringLiteral("--dry-run"), QStringLiteral("--config"), config},
                 {}, &err),
             0);
    QVERIFY(setPassword(QStringLiteral("Tina"), config));
    QCOMPARE(spoolFiles(dataDir), held);
    QCOMPARE(first->state(), QProcess::Running);

    office.resume();
    QVERIFY(m_sink->waitForMessages(3, 90000));
    QTRY_VERIFY_WITH_TIMEOUT(spoolFiles(dataDir).isEmpty(), 30000); // delivered, removed
    QCOMPARE(m_sink->messages().size(), 3);
    first->terminate();
    QVERIFY(first->waitForFinished(30000));
    QCOMPARE(first->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_sink->messages().size(), 3);
    QVERIFY2(!QFile::exists(DataDirLock::lockFilePath(dataDir)), "released at exit");
}

void TestDataDir::staleLockDoesNotBlock_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("dead-process") << QStringLiteral("dead");
    QTest::newRow("pid-now-another-program") << QStringLiteral("other-program");
    QTest::newRow("pollux-pid-before-a-reboot") << QStringLiteral("reboot");
    QTest::newRow("pid-reused-by-another-pollux") << QStringLiteral("reused");
    QTest::newRow("empty-lock-file") << QStringLiteral("empty");
    QTest::newRow("killed-with-sigkill") << QStringLiteral("sigkill");
}

void TestDataDir::staleLockDoesNotBlock()
{
    QFETCH(QString, kind);
    const QString user = QStringLiteral("stale-") + kind;
    QVERIFY(m_dovecot.addUser(user, kPassword));
    QVERIFY(m_dovecot.deliver(user, makeMessage(++m_seq, 1500)));
    const QString dataDir = m_dir.filePath(user + QStringLiteral("-data"));
    const QString config = writeConfig(user, user, dataDir);
    QVERIFY(!config.isEmpty());
    QVERIFY(setPassword(user, config));
    QVERIFY(QDir().mkpath(dataDir));
    const QString lockFile = DataDirLock::lockFilePath(dataDir);
    const QByteArray bootId = QSysInfo::bootUniqueId();

    // A live `sleep` (another program) and a live Pollux on a folder of its own: PIDs to
    // put in lock files.
    QProcess sleeper;
    std::unique_ptr<QProcess> otherPollux;
    if (kind == QLatin1String("dead") || kind == QLatin1String("other-program")) {
        sleeper.start(QStringLiteral("sleep"), {QStringLiteral("60")});
        QVERIFY(sleeper.waitForStarted());
        const qint64 pid = sleeper.processId();
        if (kind == QLatin1String("dead")) {
            sleeper.kill();
            QVERIFY(sleeper.waitForFinished());
        }
        QVERIFY(writeLockFile(lockFile, pid, bootId, 0));
    } else if (kind == QLatin1String("reboot") || kind == QLatin1String("reused")) {
        // Its own mailbox (empty) and folder; without a password its passes fail, and it
        // runs on all the same.
        const QString otherUser = user + QStringLiteral("-other");
        QVERIFY(m_dovecot.addUser(otherUser, kPassword));
        const QString otherData = m_dir.filePath(otherUser + QStringLiteral("-data"));
        const QString otherConfig = writeConfig(otherUser, otherUser, otherData);
        otherPollux =
            start({QStringLiteral("--headless"), QStringLiteral("--config"), otherConfig});
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(DataDirLock::lockFilePath(otherData)), 30000);
        QVERIFY(otherPollux->state() == QProcess::Running);
        if (kind == QLatin1String("reboot"))
            QVERIFY(writeLockFile(lockFile, otherPollux->processId(),
                                  QUuid::createUuid().toByteArray(QUuid::WithoutBraces), 0));
        else
            QVERIFY(writeLockFile(lockFile, otherPollux->processId(), bootId, 60));
    } else if (kind == QLatin1String("empty")) {
        QVERIFY(writeLockFile(lockFile, 0, bootId, 60)); // a crash before its content
    } else if (kind == QLatin1String("sigkill")) {
        std::unique_ptr<QProcess> killed =
            start({QStringLiteral("--headless"), QStringLiteral("--config"), config});
        // Killed once the lock names it: a lock file killed before its content counts as in
        // use for a few seconds (QLockFile's stale time), the "empty-lock-file" row's case.
        const QByteArray pid = QByteArray::number(killed->processId());
        QTRY_VERIFY_WITH_TIMEOUT(lockFileNames(lockFile, pid), 30000);
        killed->kill(); // SIGKILL: nothing removes the lock file
        QVERIFY(killed->waitForFinished(10000));
        QVERIFY(QFile::exists(lockFile));
    }
    QVERIFY(QFile::exists(lockFile));

    // Whatever the outcome, the helper processes end with this row.
    auto cleanup = qScopeGuard([&] {
        if (sleeper.state() != QProcess::NotRunning) {
            sleeper.kill();
            sleeper.waitForFinished();
        }
        if (otherPollux && otherPollux->state() != QProcess::NotRunning) {
            otherPollux->terminate();
            if (!otherPollux->waitForFinished(30000)) {
                otherPollux->kill();
                otherPollux->waitForFinished();
            }
        }
    });

    QByteArray err;
    const int status = run({QStringLiteral("--headless"), QStringLiteral("--once"),
                            QStringLiteral("--config"), config},
                           {}, &err);
    QVERIFY2(
        status == 0,
        qPrintable(QStringLiteral("exit %1; stderr:\n%2").arg(status).arg(QString::fromUtf8(err))));
    QCOMPARE(m_dovecot.messageCount(user), 0);
    QVERIFY(!QFile::exists(lockFile));
    if (otherPollux) {
        otherPollux->terminate();
        QVERIFY(otherPollux->waitForFinished(30000));
        QCOMPARE(otherPollux->exitStatus(), QProcess::NormalExit);
    }
}

void TestDataDir::filesArePrivateWhateverTheUmask_data()
{
    QTest::addColumn<int>("mask");
    QTest::addColumn<bool>("folderExists"); // made 0755 beforehand, as an older version did
    QTest::newRow("umask-022") << 0022 << false;
    QTest::newRow("umask-000") << 0000 << false;
    QTest::newRow("umask-000-existing-0755-folder") << 0000 << true;
}

void TestDataDir::filesArePrivateWhateverTheUmask()
{
    QFETCH(int, mask);
    QFETCH(bool, folderExists);
    const QString tag = QString::fromLatin1(QTest::currentDataTag());
    const QString user = QStringLiteral("mode-") + tag;
    QVERIFY(m_dovecot.addUser(user, kPassword));
    for (int i = 0; i < 2; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(++m_seq, 3000)));
    // Folders that do not exist yet, a few levels deep.
    const QString dataDir = m_dir.filePath(tag + QStringLiteral("/new/data"));
    const QString transcripts = m_dir.filePath(tag + QStringLiteral("/new/transcripts"));
    if (folderExists) {
        QVERIFY(QDir().mkpath(dataDir));
        QVERIFY(QFile::setPermissions(
            dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                         QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther));
    }
    QString config;
    {
        // The child processes inherit the umask, as from a login shell.
        const UmaskScope scope{mode_t(mask)};
        config = writeConfig(user, user, dataDir); // Config::save, as the settings window
        QVERIFY(!config.isEmpty());
        QVERIFY(setPassword(user, config));
        QByteArray err;
        QCOMPARE(run({QStringLiteral("--headless"), QStringLiteral("--once"),
                      QStringLiteral("--config"), config},
                     {}, &err, transcripts),
                 0);
    }
    QCOMPARE(m_dovecot.messageCount(user), 0);

    QStringList open;
    QStringList seen;
    const auto check = [&](const QString &path) {
        seen << QFileInfo(path).fileName();
        if (modeOf(path) & 077)
            open << path + QLatin1Char(' ') + QString::number(modeOf(path), 8);
    };
    check(config);
    QStringList roots = {dataDir, transcripts};
    if (!folderExists)
        roots << QFileInfo(dataDir).path() << m_dir.filePath(tag); // created by Pollux too
    for (const QString &root : std::as_const(roots)) {
        check(root);
        QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            check(it.next());
    }
    QVERIFY2(open.isEmpty(), qPrintable(open.join(QLatin1Char('\n'))));
    const QStringList expected = {QStringLiteral("pollux.db"),
                                  QStringLiteral("pollux.log"),
                                  QStringLiteral("spool"),
                                  QStringLiteral("quarantine"),
                                  QStringLiteral("BADMAIL"),
                                  Spool::accountKey(user),
                                  QString(QStringLiteral("pop3-") + user + QStringLiteral(".log"))};
    for (const QString &name : expected)
        QVERIFY2(seen.contains(name),
                 qPrintable(name + QStringLiteral(" not seen: ") + seen.join(QLatin1Char(' '))));
}

QTEST_MAIN(TestDataDir)
#include "tst_datadir.moc"
