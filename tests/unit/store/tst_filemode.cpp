// What Pollux writes is its user's alone: every file 0600 and every folder 0700 under the
// data folder (spool, quarantine, database with its -wal and -shm, log and rotated log, the
// lock file) and the configuration it saves, whatever the umask.
#include "config/Config.h"
#include "store/Spool.h"
#include "store/Store.h"
#include "util/DataDirLock.h"
#include "util/FileLog.h"
#include "util/FileMode.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace pollux;

namespace {

// Sets the process's umask for a scope.
class UmaskScope
{
public:
    explicit UmaskScope(mode_t mask) : m_old(::umask(mask)) {}
    ~UmaskScope() { ::umask(m_old); }

private:
    mode_t m_old;
};

mode_t modeOf(const QString &path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777 : 07777;
}

QString octal(mode_t mode)
{
    return QString::number(mode, 8).rightJustified(4, QLatin1Char('0'));
}

// Every file and folder under `root` (and root itself) that group or others may use.
QStringList openToOthers(const QString &root, QStringList *seen)
{
    QStringList open;
    const auto check = [&](const QString &path) {
        seen->append(QFileInfo(path).fileName());
        if (modeOf(path) & 077)
            open << path + QLatin1Char(' ') + octal(modeOf(path));
    };
    check(root);
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        check(it.next());
    return open;
}

bool writeFile(const QString &path, const QByteArray &data, QFile::Permissions permissions)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size() &&
           file.setPermissions(permissions);
}

constexpr QFile::Permissions kWorldReadable =
    QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther;

} // namespace

class TestFileMode : public QObject
{
    Q_OBJECT

private slots:
    void everythingIsPrivate_data();
    void everythingIsPrivate();
    void whatAnOlderVersionLeftOpenIsClosed();

private:
    QTemporaryDir m_tmp;
};

void TestFileMode::everythingIsPrivate_data()
{
    QTest::addColumn<int>("mask");
    QTest::newRow("umask-022") << 0022;
    QTest::newRow("umask-000") << 0000;
}

void TestFileMode::everythingIsPrivate()
{
    QFETCH(int, mask);
    UmaskScope scope(mode_t(mask & 0777));
    // Folders that do not exist yet, several levels deep, as a first start finds them.
    const QString root =
        m_tmp.filePath(QString::fromLatin1(QTest::currentDataTag()) + QStringLiteral("/new/data"));
    QVERIFY(filemode::makePrivatePath(root));
    QCOMPARE(octal(modeOf(QFileInfo(root).path())), QStringLiteral("0700"));

    DataDirLock lock(root);
    QVERIFY(lock.acquire().ok());

    Spool spool(root + QStringLiteral("/spool"));
    QVERIFY(spool.init().ok());
    QStringList paths;
    for (int i = 0; i < 2; ++i) {
        Result error;
        auto writer = spool.create(QStringLiteral("Office Mail"), error);
        QVERIFY2(writer, qPrintable(error.message()));
        const QByteArray data = "Subject: private\r\n\r\nsalary list\r\n";
        QVERIFY(writer->write(data.constData(), data.size()).ok());
        QVERIFY(writer->finish().ok());
        paths << writer->relativePath();
    }
    QString quarantined;
    QVERIFY(spool.quarantine(paths.takeFirst(), QuarantineFolder::TooLarge, quarantined).ok());

    Store store(QString(root + QStringLiteral("/pollux.db")), nullptr);
    QVERIFY(store.open().ok());
    SpooledMessage message;
    message.uid = QStringLiteral("1");
    message.size = 30;
    message.spoolPath = paths.first();
    message.recipients = {QStringLiteral("boss@office.example.com")};
    QVERIFY(store.recordSpooled(QStringLiteral("Office Mail"), {message}).ok());

    const QString log = root + QStringLiteral("/log/pollux.log");
    QVERIFY(FileLog::install(log, 300));
    for (int i = 0; i < 10; ++i)
        qInfo("line %d of the log, long enough to make it rotate", i);
    FileLog::uninstall();

    const QString configPath = root + QStringLiteral("/pollux.json");
    QVERIFY(writeFile(configPath, "{}", kWorldReadable)); // one the administrator wrote
    Config config;
    QVERIFY(config.save(configPath).ok());

    QStringList seen;
    const QStringList open = openToOthers(root, &seen);
    QVERIFY2(open.isEmpty(), qPrintable(open.join(QLatin1Char('\n'))));
    // The walk saw what it claims to check (the store is still open: -wal and -shm exist).
    for (const QString &name :
         {QStringLiteral("pollux.lock"), QStringLiteral("pollux.db"),
          QStringLiteral("pollux.db-wal"), QStringLiteral("pollux.db-shm"),
          QStringLiteral("pollux.log"), QStringLiteral("pollux.log.1"),
          QStringLiteral("pollux.json"), QStringLiteral("quarantine"), QStringLiteral("TOOLARGE"),
          QStringLiteral("BADMAIL"), Spool::accountKey(QStringLiteral("Office Mail")),
          QFileInfo(paths.first()).fileName(), QFileInfo(quarantined).fileName()})
        QVERIFY2(seen.contains(name), qPrintable(name));
}

void TestFileMode::whatAnOlderVersionLeftOpenIsClosed()
{
    UmaskScope scope(0022);
    const QString root = m_tmp.filePath(QStringLiteral("older"));
    const QString spoolDir = root + QStringLiteral("/spool");
    const QString accountDir = spoolDir + QLatin1Char('/') + Spool::accountKey(QStringLiteral("a"));
    QVERIFY(QDir().mkpath(accountDir));
    const QString log = root + QStringLiteral("/pollux.log");
    QVERIFY(writeFile(accountDir + QStringLiteral("/1-old.eml"), "old mail", kWorldReadable));
    QVERIFY(writeFile(log, "old log line\n", kWorldReadable));
    {
        Store old(QString(root + QStringLiteral("/pollux.db")), nullptr);
        QVERIFY(old.open().ok());
    }
    QVERIFY(QFile::setPermissions(root + QStringLiteral("/pollux.db"), kWorldReadable));

    Spool spool(spoolDir);
    QVERIFY(spool.init().ok());
    Store store(QString(root + QStringLiteral("/pollux.db")), nullptr);
    QVERIFY(store.open().ok());
    QVERIFY(FileLog::install(log));
    FileLog::uninstall();

    // Its spool folder closes every message file in it; the database and log are private.
    QCOMPARE(octal(modeOf(spoolDir)), QStringLiteral("0700"));
    QCOMPARE(octal(modeOf(spoolDir + QStringLiteral("/quarantine"))), QStringLiteral("0700"));
    QCOMPARE(octal(modeOf(root + QStringLiteral("/pollux.db"))), QStringLiteral("0600"));
    QCOMPARE(octal(modeOf(log)), QStringLiteral("0600"));
}

QTEST_GUILESS_MAIN(TestFileMode)
#include "tst_filemode.moc"
