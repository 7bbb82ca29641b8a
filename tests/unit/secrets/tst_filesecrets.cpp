// The service's secret backend (FileSecretStore with systemd credentials) and the choice
// between it and the keychain (ChosenSecretStore), without any desktop keychain: every test
// here runs with the session bus out of reach unless it starts one itself.
#include "secrets/ChosenSecretStore.h"
#include "secrets/FileSecretStore.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <qplatformdefs.h>

#include <csignal>
#include <cstdio>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pollux;

namespace {

const char childModeVariable[] = "POLLUX_FILESECRETS_TEST_CHILD";
const QString kKey = QStringLiteral("account/Alice");

unsigned modeOf(const QString &path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 07777 + 1;
    return st.st_mode & 07777;
}

bool setMode(const QString &path, unsigned mode)
{
    return ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

unsigned ownerOf(const QString &path)
{
    struct stat st = {};
    ::lstat(QFile::encodeName(path).constData(), &st);
    return st.st_uid;
}

bool writeRaw(const QString &path, const QByteArray &data, unsigned mode = 0600)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const bool written = file.write(data) == data.size();
    file.close();
    return written && setMode(path, mode);
}

QByteArray readRaw(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

FileSecretStore::Options optionsFor(const QString &folder, const QString &credentials = {})
{
    FileSecretStore::Options options;
    options.folder = folder;
    options.credentialsDirectory = credentials;
    options.commandPrefix = QStringLiteral("POLLUX_SECRETS=file ");
    return options;
}

QStringList temporaries(const QString &folder)
{
    return QDir(folder).entryList({QStringLiteral(".*.tmp-*")}, QDir::Files | QDir::Hidden);
}

// The uid of "nobody", for the tests that need a second user (they run as root).
unsigned nobody()
{
    const struct passwd *pw = ::getpwnam("nobody");
    return pw ? pw->pw_uid : 65534;
}

// Child modes (the test binary run again): a failure injected with RLIMIT_FSIZE, and a
// read as another user. Each prints "RESULT <code> <message>".
int runChild()
{
    const QByteArray mode = qgetenv(childModeVariable);
    const QString folder = qEnvironmentVariable("POLLUX_FILESECRETS_TEST_FOLDER");
    FileSecretStore store(optionsFor(folder));
    Result result;
    if (mode == "fsize") {
        // Writes beyond 64 KiB fail with EFBIG (the signal is ignored), as on a full disk.
        std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limit = {64 * 1024, 64 * 1024};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0)
            return 3;
        result = store.writeNow(kKey, QString(200 * 1024, QLatin1Char('n')));
    } else if (mode == "as-nobody") {
        if (::setgid(nobody()) != 0 || ::setuid(nobody()) != 0)
            return 3;
        QString secret;
        result = store.readNow(kKey, secret);
    } else {
        return 4;
    }
    std::printf("RESULT %d %s\n", int(result.code()), result.message().toUtf8().constData());
    return 0;
}

QByteArray runChildMode(const char *mode, const QString &folder)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1String(childModeVariable), QLatin1String(mode));
    env.insert(QStringLiteral("POLLUX_FILESECRETS_TEST_FOLDER"), folder);
    QProcess child;
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), QStringList());
    if (!child.waitForFinished(30000)) {
        child.kill();
        child.waitForFinished();
        return "TIMEOUT";
    }
    if (child.exitCode() != 0)
        return "EXIT " + QByteArray::number(child.exitCode()) + child.readAllStandardError();
    return child.readAllStandardOutput().trimmed();
}

// Sets (or with a null value unsets) an environment variable for one test, and puts it
// back afterwards.
class ScopedEnv
{
public:
    ScopedEnv(const char *name, const QByteArray &value) : m_name(name)
    {
        m_wasSet = qEnvironmentVariableIsSet(name);
        m_old = qgetenv(name);
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_wasSet)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_wasSet = false;
    QByteArray m_old;
};

} // namespace

class TestFileSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void storeReadRotateRemove();
    void callbackComesAfterTheCall();
    void roundTrip_data();
    void roundTrip();
    void handWrittenFileLosesOneNewline();
    void fileNames_data();
    void fileNames();
    void credentialRead();
    void writeOverridesItsCredentialUntilTheCredentialChanges();
    void passwordSetWithoutCredentialWins();
    void removeHidesTheCredential();
    void wrongModeRefused_data();
    void wrongModeRefused();
    void symlinkRefused();
    void symlinkedFolderRefused();
    void wrongOwnerRefused();
    void rootGivesFilesToTheFolderOwner();
    void failedWriteLeavesOldSecretAndNoPartialFile();
    void staleTemporaryIsIgnoredAndCleaned();
    void choiceFromEnvironment_data();
    void choiceFromEnvironment();
    void folderFromEnvironment();
    void choiceWithAndWithoutSecretService();
    void chosenStoreWorksWithoutDbus();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString folder() const { return m_dir->filePath(QStringLiteral("secrets")); }
    QString credentials() const { return m_dir->filePath(QStringLiteral("credentials")); }
};

void TestFileSecrets::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir().mkdir(credentials()));
}

void TestFileSecrets::storeReadRotateRemove()
{
    FileSecretStore store(optionsFor(folder()));
    // Through the SecretStore interface, as the engine and TokenSource use it.
    QVERIFY(store.writeSync(kKey, QStringLiteral("one")).ok());
    QCOMPARE(modeOf(folder()), 0700u);
    const QString file = folder() + QStringLiteral("/account.Alice");
    QCOMPARE(modeOf(file), 0600u);
    QString secret;
    QVERIFY(store.readSync(kKey, secret).ok());
    QCOMPARE(secret, QStringLiteral("one"));

    // Rotation: the service writes the new value over the old one.
    const QString refresh = secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Alice"));
    QVERIFY(store.writeSync(refresh, QStringLiteral("refresh-1")).ok());
    QVERIFY(store.writeSync(refresh, QStringLiteral("refresh-2")).ok());
    QVERIFY(store.readSync(refresh, secret).ok());
    QCOMPARE(secret, QStringLiteral("refresh-2"));
    QCOMPARE(modeOf(folder() + QStringLiteral("/oauth2-refresh.Alice")), 0600u);
    QVERIFY(temporaries(folder()).isEmpty());

    QVERIFY(store.removeNow(kKey).ok());
    QVERIFY(!QFile::exists(file));
    secret = QStringLiteral("unchanged");
    const Result missing = store.readSync(kKey, secret);
    QCOMPARE(missing.code(), ErrorCode::Secrets);
    QCOMPARE(missing.message(),
             QStringLiteral("no password stored for account/Alice in the secrets folder %1; store "
                            "it with: POLLUX_SECRETS=file pollux password set Alice")
                 .arg(folder()));
    QCOMPARE(secret, QStringLiteral("unchanged"));
    QVERIFY(store.removeNow(kKey).ok()); // removing what is not there is not an error
    // A missing refresh token reads as missing too (TokenSource: sign-in needed).
    QVERIFY(store.removeNow(refresh).ok());
    QVERIFY(store.readSync(refresh, secret)
                .message()
                .startsWith(QLatin1String("no password stored for oauth2-refresh/Alice")));
}

void TestFileSecrets::callbackComesAfterTheCall()
{
    FileSecretStore store(optionsFor(folder()));
    QVERIFY(store.writeNow(kKey, QStringLiteral("x")).ok());
    bool called = false;
    QString value;
    store.read(kKey, [&](Result r, QString secret) {
        QVERIFY(r.ok());
        value = secret;
        called = true;
    });
    QVERIFY(!called); // posted to this thread's event loop, as the keychain answers
    QTRY_VERIFY_WITH_TIMEOUT(called, 5000);
    QCOMPARE(value, QStringLiteral("x"));
}

void TestFileSecrets::roundTrip_data()
{
    QTest::addColumn<QString>("secret");
    QTest::newRow("ascii") << QStringLiteral("correct horse battery staple");
    QTest::newRow("unicode") << QStringLiteral("pässwörd-密码-пароль-🔑");
    QTest::newRow("whitespace-and-symbols") << QStringLiteral("  a:b;c\"d'e\\f\tg  ");
    QTest::newRow("ends-with-newline") << QStringLiteral("line\n");
    QTest::newRow("looks-like-our-header") << QStringLiteral("pollux-secret 1\n\nx");
    QTest::newRow("long-64k-mixed")
        << QString(16384, QChar(0x00e4)) + QString(49152, QLatin1Char('y'));
}

void TestFileSecrets::roundTrip()
{
    QFETCH(QString, secret);
    FileSecretStore store(optionsFor(folder()));
    QVERIFY(store.writeNow(kKey, secret).ok());
    QString read;
    const Result r = store.readNow(kKey, read);
    QVERIFY2(r.ok(), qPrintable(r.message()));
    QCOMPARE(read, secret);
}

void TestFileSecrets::handWrittenFileLosesOneNewline()
{
    QVERIFY(QDir().mkdir(folder()));
    QVERIFY(setMode(folder(), 0700));
    QVERIFY(writeRaw(folder() + QStringLiteral("/smtp"), "by-hand\n")); // echo by-hand > smtp
    FileSecretStore store(optionsFor(folder()));
    QString read;
    QVERIFY(store.readNow(secretKey(SecretKind::Smtp), read).ok());
    QCOMPARE(read, QStringLiteral("by-hand"));
}

void TestFileSecrets::fileNames_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("name");
    QTest::newRow("account") << QStringLiteral("account/Alice") << QStringLiteral("account.Alice");
    QTest::newRow("smtp") << QStringLiteral("smtp") << QStringLiteral("smtp");
    QTest::newRow("ldap") << QStringLiteral("ldap") << QStringLiteral("ldap");
    QTest::newRow("refresh") << QStringLiteral("oauth2-refresh/Bob")
                             << QStringLiteral("oauth2-refresh.Bob");
    QTest::newRow("client") << QStringLiteral("oauth2-client/Bob")
                            << QStringLiteral("oauth2-client.Bob");
    QTest::newRow("mail-address") << QStringLiteral("account/info@firm.de")
                                  << QStringLiteral("account.info_40firm_2Ede");
    QTest::newRow("space-percent-colon")
        << QStringLiteral("account/a b%c:d") << QStringLiteral("account.a_20b_25c_3Ad");
    QTest::newRow("dots-cannot-climb")
        << QStringLiteral("account/../..") << QStringLiteral("account._2E_2E._2E_2E");
    QTest::newRow("umlaut") << QStringLiteral("account/Jörg")
                            << QStringLiteral("account.J_C3_B6rg");
    QTest::newRow("too-long") << QStringLiteral("account/") + QString(300, QLatin1Char('x'))
                              << QString();
}

void TestFileSecrets::fileNames()
{
    QFETCH(QString, key);
    QFETCH(QString, name);
    QCOMPARE(secretFileName(key), name);
}

void TestFileSecrets::credentialRead()
{
    // As systemd leaves a credential made with `echo ... | systemd-creds encrypt`.
    QVERIFY(writeRaw(credentials() + QStringLiteral("/account.Alice"), "from-credential\n", 0400));
    FileSecretStore store(optionsFor(folder(), credentials()));
    QString read;
    const Result r = store.readNow(kKey, read);
    QVERIFY2(r.ok(), qPrintable(r.message()));
    QCOMPARE(read, QStringLiteral("from-credential"));
    QVERIFY(!QFile::exists(folder())); // reading creates nothing

    const Result missing = store.readNow(QStringLiteral("account/Bob"), read);
    QVERIFY(missing.message().contains(
        QStringLiteral("in the secrets folder %1 nor as the systemd credential account.Bob")
            .arg(folder())));
}

void TestFileSecrets::writeOverridesItsCredentialUntilTheCredentialChanges()
{
    const QString refresh = secretKey(SecretKind::OAuth2Refresh, QStringLiteral("Alice"));
    const QString credential = credentials() + QStringLiteral("/oauth2-refresh.Alice");
    QVERIFY(writeRaw(credential, "refresh-from-admin\n", 0400));
    {
        FileSecretStore store(optionsFor(folder(), credentials()));
        QString read;
        QVERIFY(store.readNow(refresh, read).ok());
        QCOMPARE(read, QStringLiteral("refresh-from-admin"));
        // The provider rotated the token: the service writes the new one.
        QVERIFY(store.writeNow(refresh, QStringLiteral("rotated-1")).ok());
        QVERIFY(store.readNow(refresh, read).ok());
        QCOMPARE(read, QStringLiteral("rotated-1"));
        QCOMPARE(readRaw(credential), QByteArray("refresh-from-admin\n")); // never written
    }
    {
        // After a restart, with the same credential: the rotated value still counts.
        FileSecretStore store(optionsFor(folder(), credentials()));
        QString read;
        QVERIFY(store.readNow(refresh, read).ok());
        QCOMPARE(read, QStringLiteral("rotated-1"));
    }
    {
        // The admin signed in again and installed a new credential: it wins.
        QVERIFY(setMode(credential, 0600));
        QVERIFY(writeRaw(credential, "refresh-new-admin\n", 0400));
        FileSecretStore store(optionsFor(folder(), credentials()));
        QString read;
        QVERIFY(store.readNow(refresh, read).ok());
        QCOMPARE(read, QStringLiteral("refresh-new-admin"));
        // ... until the service rotates that one.
        QVERIFY(store.writeNow(refresh, QStringLiteral("rotated-2")).ok());
        QVERIFY(store.readNow(refresh, read).ok());
        QCOMPARE(read, QStringLiteral("rotated-2"));
    }
    {
        // The credential is taken away (LoadCredential= removed): the written value stays.
        QVERIFY(QFile::remove(credential));
        FileSecretStore store(optionsFor(folder(), credentials()));
        QString read;
        QVERIFY(store.readNow(refresh, read).ok());
        QCOMPARE(read, QStringLiteral("rotated-2"));
    }
}

void TestFileSecrets::passwordSetWithoutCredentialWins()
{
    // `pollux password set` from an admin's shell cannot see the service's credentials:
    // what it writes is the admin's latest word and wins over any credential.
    FileSecretStore shell(optionsFor(folder()));
    QVERIFY(shell.writeNow(kKey, QStringLiteral("typed-by-admin")).ok());
    QVERIFY(writeRaw(credentials() + QStringLiteral("/account.Alice"), "old-credential", 0400));
    FileSecretStore service(optionsFor(folder(), credentials()));
    QString read;
    QVERIFY(service.readNow(kKey, read).ok());
    QCOMPARE(read, QStringLiteral("typed-by-admin"));
}

void TestFileSecrets::removeHidesTheCredential()
{
    const QString credential = credentials() + QStringLiteral("/account.Alice");
    QVERIFY(writeRaw(credential, "cred", 0400));
    FileSecretStore store(optionsFor(folder(), credentials()));
    QVERIFY(store.removeNow(kKey).ok());
    QString read;
    const Result r = store.readNow(kKey, read);
    QVERIFY2(r.message().startsWith(QLatin1String("no password stored for account/Alice")),
             qPrintable(r.message()));
    // A new credential shows again.
    QVERIFY(setMode(credential, 0600));
    QVERIFY(writeRaw(credential, "cred-2", 0400));
    QVERIFY(store.readNow(kKey, read).ok());
    QCOMPARE(read, QStringLiteral("cred-2"));
}

void TestFileSecrets::wrongModeRefused_data()
{
    QTest::addColumn<bool>("onFolder");
    QTest::addColumn<unsigned>("mode");
    QTest::addColumn<QString>("expected"); // %1 is the path
    const QString folderText = QStringLiteral(
        "the secrets folder %1 is open to other users (mode %2); it must have mode 0700 and "
        "belong to the user Pollux runs as (%3): chmod 700 %1");
    const QString fileText = QStringLiteral(
        "the secret file %1 is open to other users (mode %2); it must have mode 0600 and belong "
        "to %3: chmod 600 %1");
    QTest::newRow("folder-0755") << true << 0755u
                                 << folderText.arg(QStringLiteral("%1"), QStringLiteral("0755"));
    QTest::newRow("folder-0750") << true << 0750u
                                 << folderText.arg(QStringLiteral("%1"), QStringLiteral("0750"));
    QTest::newRow("folder-0701") << true << 0701u
                                 << folderText.arg(QStringLiteral("%1"), QStringLiteral("0701"));
    QTest::newRow("folder-0770") << true << 0770u
                                 << folderText.arg(QStringLiteral("%1"), QStringLiteral("0770"));
    QTest::newRow("file-0644") << false << 0644u
                               << fileText.arg(QStringLiteral("%1"), QStringLiteral("0644"));
    QTest::newRow("file-0640") << false << 0640u
                               << fileText.arg(QStringLiteral("%1"), QStringLiteral("0640"));
    QTest::newRow("file-0604") << false << 0604u
                               << fileText.arg(QStringLiteral("%1"), QStringLiteral("0604"));
    QTest::newRow("file-0660") << false << 0660u
                               << fileText.arg(QStringLiteral("%1"), QStringLiteral("0660"));
}

void TestFileSecrets::wrongModeRefused()
{
    QFETCH(bool, onFolder);
    QFETCH(unsigned, mode);
    QFETCH(QString, expected);
    FileSecretStore store(optionsFor(folder()));
    QVERIFY(store.writeNow(kKey, QStringLiteral("secret")).ok());
    const QString file = folder() + QStringLiteral("/account.Alice");
    const QString path = onFolder ? folder() : file;
    QVERIFY(setMode(path, mode));
    const QString me = QString::fromLocal8Bit(::getpwuid(::geteuid())->pw_name);
    expected = expected.arg(path, me);

    QString read = QStringLiteral("unchanged");
    Result r = store.readNow(kKey, read);
    QCOMPARE(r.code(), ErrorCode::Secrets);
    QCOMPARE(r.message(), expected);
    QCOMPARE(read, QStringLiteral("unchanged"));
    if (onFolder) {
        // Nothing is written into a folder others can read.
        r = store.writeNow(QStringLiteral("smtp"), QStringLiteral("x"));
        QCOMPARE(r.message(), expected);
        QVERIFY(!QFile::exists(folder() + QStringLiteral("/smtp")));
        QVERIFY(temporaries(folder()).isEmpty());
    }
    // The message's own command fixes it.
    QVERIFY(setMode(path, onFolder ? 0700 : 0600));
    QVERIFY(store.readNow(kKey, read).ok());
    QCOMPARE(read, QStringLiteral("secret"));
}

void TestFileSecrets::symlinkRefused()
{
    FileSecretStore store(optionsFor(folder()));
    QVERIFY(store.writeNow(QStringLiteral("smtp"), QStringLiteral("elsewhere")).ok());
    const QString link = folder() + QStringLiteral("/account.Alice");
    QVERIFY(QFile::link(folder() + QStringLiteral("/smtp"), link));
    QString read;
    const Result r = store.readNow(kKey, read);
    QCOMPARE(r.message(), QStringLiteral("the secret file %1 is not a plain file (a symbolic link "
                                         "or another kind); it must be a file with mode 0600")
                              .arg(link));
    QVERIFY(read.isEmpty());
}

// The secrets folder itself swapped for a link (by whoever owns the folder it is in) leads
// nowhere: nothing is written where the link points, and nothing there changes owner.
void TestFileSecrets::symlinkedFolderRefused()
{
    QTemporaryDir elsewhere;
    QVERIFY(elsewhere.isValid());
    QVERIFY(setMode(elsewhere.path(), 0700));
    const QString link = m_dir->filePath(QStringLiteral("linked-secrets"));
    QVERIFY(QFile::link(elsewhere.path(), link));
    FileSecretStore store(optionsFor(link));
    const Result r = store.writeNow(kKey, QStringLiteral("secret"));
    QVERIFY2(!r.ok(), "a write through a linked secrets folder must be refused");
    QVERIFY(QDir(elsewhere.path())
                .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                .isEmpty());
    QT_STATBUF st;
    QVERIFY(QT_STAT(QFile::encodeName(elsewhere.path()).constData(), &st) == 0);
    QCOMPARE(uint(st.st_uid), uint(::geteuid()));
}

void TestFileSecrets::wrongOwnerRefused()
{
    if (::geteuid() != 0)
        QSKIP("needs root, to make files of another user");
    FileSecretStore store(optionsFor(folder()));
    QVERIFY(store.writeNow(kKey, QStringLiteral("secret")).ok());
    QVERIFY(setMode(m_dir->path(), 0711)); // nobody may pass through to the folder
    // Another user than the folder's runs Pollux.
    QCOMPARE(runChildMode("as-nobody", folder()),
             QByteArray("RESULT ") + QByteArray::number(int(ErrorCode::Secrets)) +
                 QStringLiteral(" the secrets folder %1 belongs to root, not to nobody whom "
                                "Pollux runs as; it must have mode 0700 and belong to the user "
                                "Pollux runs as: run Pollux as root, or chown "
                                "nobody %1")
                     .arg(folder())
                     .toUtf8());
    // A file that is not the folder owner's (made by hand as another user).
    const QString file = folder() + QStringLiteral("/account.Alice");
    QVERIFY(::chown(QFile::encodeName(file).constData(), nobody(), nobody()) == 0);
    QString read;
    const Result r = store.readNow(kKey, read);
    QCOMPARE(r.message(), QStringLiteral("the secret file %1 belongs to nobody, but its folder to "
                                         "root, so the service cannot read it; it must have mode "
                                         "0600 and belong to root: chown root %1")
                              .arg(file));
}

void TestFileSecrets::rootGivesFilesToTheFolderOwner()
{
    if (::geteuid() != 0)
        QSKIP("needs root: this is `sudo pollux password set` for the service");
    // The service's state folder belongs to its user; root creates the secrets folder in
    // it and every file for that user.
    const QString state = m_dir->filePath(QStringLiteral("state"));
    QVERIFY(QDir().mkdir(state));
    QVERIFY(::chown(QFile::encodeName(state).constData(), nobody(), nobody()) == 0);
    const QString secrets = state + QStringLiteral("/secrets");
    FileSecretStore store(optionsFor(secrets));
    QVERIFY(store.writeNow(kKey, QStringLiteral("for-the-service")).ok());
    QCOMPARE(ownerOf(secrets), nobody());
    QCOMPARE(modeOf(secrets), 0700u);
    const QString file = secrets + QStringLiteral("/account.Alice");
    QCOMPARE(ownerOf(file), nobody());
    QCOMPARE(modeOf(file), 0600u);
    QString read;
    QVERIFY(store.readNow(kKey, read).ok());
    QCOMPARE(read, QStringLiteral("for-the-service"));
    // The missing parent is named, not created (root would make it its own).
    FileSecretStore orphan(optionsFor(m_dir->filePath(QStringLiteral("none/secrets"))));
    const Result r = orphan.writeNow(kKey, QStringLiteral("x"));
    QVERIFY2(r.message().contains(QStringLiteral("the folder %1 does not exist")
                                      .arg(m_dir->filePath(QStringLiteral("none")))),
             qPrintable(r.message()));
}

void TestFileSecrets::failedWriteLeavesOldSecretAndNoPartialFile()
{
    FileSecretStore store(optionsFor(folder()));
    QVERIFY(store.writeNow(kKey, QStringLiteral("old")).ok());
    const QString file = folder() + QStringLiteral("/account.Alice");
    const QByteArray before = readRaw(file);
    // The child's write of 200 KiB fails at 64 KiB (RLIMIT_FSIZE: EFBIG).
    const QByteArray outcome = runChildMode("fsize", folder());
    const QByteArray expected = "RESULT " + QByteArray::number(int(ErrorCode::Secrets)) +
                                " cannot write " + file.toUtf8() + ": ";
    QVERIFY2(outcome.startsWith(expected), outcome.constData());
    QCOMPARE(readRaw(file), before);
    QVERIFY2(temporaries(folder()).isEmpty(), qPrintable(temporaries(folder()).join(u' ')));
    QString read;
    QVERIFY(store.readNow(kKey, read).ok());
    QCOMPARE(read, QStringLiteral("old"));
}

void TestFileSecrets::staleTemporaryIsIgnoredAndCleaned()
{
    FileSecretStore store(optionsFor(folder()));
    QVERIFY(store.writeNow(kKey, QStringLiteral("whole")).ok());
    // What a crash between write and rename leaves: a part of a new value.
    const QString stale = folder() + QStringLiteral("/.account.Alice.tmp-crashed");
    QVERIFY(writeRaw(stale, "pollux-secret 1\n\npart"));
    QString read;
    QVERIFY(store.readNow(kKey, read).ok());
    QCOMPARE(read, QStringLiteral("whole"));
    QVERIFY(store.writeNow(kKey, QStringLiteral("next")).ok());
    QVERIFY(!QFile::exists(stale));
    QVERIFY(store.readNow(kKey, read).ok());
    QCOMPARE(read, QStringLiteral("next"));
}

void TestFileSecrets::choiceFromEnvironment_data()
{
    QTest::addColumn<QByteArray>("secrets");     // POLLUX_SECRETS
    QTest::addColumn<QByteArray>("credentials"); // CREDENTIALS_DIRECTORY
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("reason");
    const QByteArray unset;
    QTest::newRow("auto-no-bus") << unset << unset << int(SecretBackend::Files)
                                 << QStringLiteral("no D-Bus session bus");
    QTest::newRow("auto-word-no-bus") << QByteArray("auto") << unset << int(SecretBackend::Files)
                                      << QStringLiteral("no D-Bus session bus");
    QTest::newRow("forced-file") << QByteArray("file") << unset << int(SecretBackend::Files)
                                 << QStringLiteral("POLLUX_SECRETS=file");
    QTest::newRow("forced-keychain")
        << QByteArray("keychain") << unset << int(SecretBackend::Keychain)
        << QStringLiteral("POLLUX_SECRETS=keychain");
    QTest::newRow("credentials") << unset << QByteArray("/run/credentials/pollux.service")
                                 << int(SecretBackend::Files)
                                 << QStringLiteral("systemd credentials given");
    QTest::newRow("unknown") << QByteArray("vault") << unset << int(SecretBackend::Invalid)
                             << QStringLiteral("POLLUX_SECRETS=vault is not one of keychain, "
                                               "file, auto");
}

void TestFileSecrets::choiceFromEnvironment()
{
    QFETCH(QByteArray, secrets);
    QFETCH(QByteArray, credentials);
    QFETCH(int, backend);
    QFETCH(QString, reason);
    ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", QByteArray());
    ScopedEnv runtime("XDG_RUNTIME_DIR", QByteArray());
    ScopedEnv choice("POLLUX_SECRETS", secrets);
    ScopedEnv creds("CREDENTIALS_DIRECTORY", credentials);
    ScopedEnv dir("POLLUX_SECRETS_DIR", folder().toUtf8());
    const SecretBackendChoice c = chooseSecretBackend(QStringLiteral("PolluxTest"));
    QCOMPARE(int(c.backend), backend);
    QCOMPARE(c.reason, reason);
    if (c.backend == SecretBackend::Files) {
        QCOMPARE(c.folder, folder());
        QCOMPARE(c.credentialsDirectory, QString::fromUtf8(credentials));
        QCOMPARE(c.commandPrefix,
                 QStringLiteral("POLLUX_SECRETS=file POLLUX_SECRETS_DIR=%1 ").arg(folder()));
        QCOMPARE(describe(c),
                 QStringLiteral("secrets: files in %1%2 (%3)")
                     .arg(folder(),
                          credentials.isEmpty() ? QString()
                                                : QStringLiteral(" and systemd credentials in ") +
                                                      QString::fromUtf8(credentials),
                          reason));
    }
    if (c.backend == SecretBackend::Invalid) {
        // Every operation says why.
        ChosenSecretStore store(c);
        QString read;
        const Result r = store.readSync(kKey, read, 5000);
        QCOMPARE(r.code(), ErrorCode::Secrets);
        QCOMPARE(r.message(), reason);
    }
}

void TestFileSecrets::folderFromEnvironment()
{
    ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", QByteArray());
    ScopedEnv runtime("XDG_RUNTIME_DIR", QByteArray());
    ScopedEnv choice("POLLUX_SECRETS", "file");
    ScopedEnv creds("CREDENTIALS_DIRECTORY", QByteArray());
    {
        ScopedEnv dir("POLLUX_SECRETS_DIR", QByteArray());
        ScopedEnv state("STATE_DIRECTORY", "/var/lib/pollux:/var/lib/other");
        QCOMPARE(chooseSecretBackend(QStringLiteral("x")).folder,
                 QStringLiteral("/var/lib/pollux/secrets"));
        QCOMPARE(chooseSecretBackend(QStringLiteral("x")).commandPrefix,
                 QStringLiteral("POLLUX_SECRETS=file "));
    }
    {
        ScopedEnv dir("POLLUX_SECRETS_DIR", "/srv/s");
        ScopedEnv state("STATE_DIRECTORY", "/var/lib/pollux");
        QCOMPARE(chooseSecretBackend(QStringLiteral("x")).folder, QStringLiteral("/srv/s"));
    }
    {
        ScopedEnv dir("POLLUX_SECRETS_DIR", QByteArray());
        ScopedEnv state("STATE_DIRECTORY", QByteArray());
        const QString expected =
            ::geteuid() == 0 ? QStringLiteral("/var/lib/pollux/secrets")
                             : QDir::homePath() + QStringLiteral("/.local/share/") +
                                   QCoreApplication::applicationName() + QStringLiteral("/secrets");
        QCOMPARE(chooseSecretBackend(QStringLiteral("x")).folder, expected);
    }
}

// A D-Bus session bus of the test's own (no service files, so nothing is activatable):
// first without a Secret Service, then with a connection that owns its name; and the
// suite's real one with gnome-keyring when deploy/test.sh provides it.
void TestFileSecrets::choiceWithAndWithoutSecretService()
{
    const QString config = m_dir->filePath(QStringLiteral("bus.conf"));
    QVERIFY(writeRaw(
        config,
        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
        "1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/"
        "busconfig.dtd\">\n<busconfig><type>session</type>"
        "<listen>unix:tmpdir=/tmp</listen><auth>EXTERNAL</auth>"
        "<policy context=\"default\"><allow send_destination=\"*\"/><allow eavesdrop=\"true\"/>"
        "<allow own=\"*\"/></policy></busconfig>\n"));
    QProcess daemon;
    daemon.start(QStringLiteral("dbus-daemon"),
                 {QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"),
                  QStringLiteral("--print-address=1")});
    QVERIFY2(daemon.waitForStarted(10000), "dbus-daemon (package dbus) is needed");
    QVERIFY(QTest::qWaitFor([&daemon] { return daemon.canReadLine(); }, 10000));
    const QByteArray address = daemon.readLine().trimmed();
    QVERIFY(!address.isEmpty());
    auto stop = qScopeGuard([&daemon] {
        daemon.terminate();
        if (!daemon.waitForFinished(5000)) {
            daemon.kill();
            daemon.waitForFinished();
        }
    });

    ScopedEnv choice("POLLUX_SECRETS", QByteArray());
    ScopedEnv creds("CREDENTIALS_DIRECTORY", QByteArray());
    ScopedEnv dir("POLLUX_SECRETS_DIR", folder().toUtf8());
    {
        ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", address);
        SecretBackendChoice c = chooseSecretBackend(QStringLiteral("PolluxTest"));
        QCOMPARE(int(c.backend), int(SecretBackend::Files));
        QCOMPARE(c.reason, QStringLiteral("no Secret Service (org.freedesktop.secrets) on the "
                                          "D-Bus session bus"));

        QDBusConnection owner =
            QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("owner"));
        QVERIFY(owner.isConnected());
        QVERIFY(owner.registerService(QStringLiteral("org.freedesktop.secrets")));
        c = chooseSecretBackend(QStringLiteral("PolluxTest"));
        QCOMPARE(int(c.backend), int(SecretBackend::Keychain));
        QCOMPARE(c.reason, QStringLiteral("Secret Service on the D-Bus session bus"));
        QCOMPARE(describe(c), QStringLiteral("secrets: the keychain, service \"PolluxTest\" "
                                             "(Secret Service on the D-Bus session bus)"));
        // Forced files win over a Secret Service.
        ScopedEnv forced("POLLUX_SECRETS", "file");
        QCOMPARE(int(chooseSecretBackend(QStringLiteral("PolluxTest")).backend),
                 int(SecretBackend::Files));
    }
    QDBusConnection::disconnectFromBus(QStringLiteral("owner"));
    {
        // A bus address that leads nowhere.
        ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS",
                      "unix:path=" + m_dir->filePath(QStringLiteral("no-bus")).toUtf8());
        const SecretBackendChoice c = chooseSecretBackend(QStringLiteral("PolluxTest"));
        QCOMPARE(int(c.backend), int(SecretBackend::Files));
        QVERIFY2(c.reason.startsWith(QLatin1String("the D-Bus session bus cannot be reached")),
                 qPrintable(c.reason));
    }
    if (qEnvironmentVariableIsEmpty("POLLUX_TEST_KEYRING"))
        return; // not under deploy/test.sh: no real keyring to find
    const SecretBackendChoice real = chooseSecretBackend(QStringLiteral("PolluxTest"));
    QCOMPARE(int(real.backend), int(SecretBackend::Keychain));
    QCOMPARE(real.reason, QStringLiteral("Secret Service on the D-Bus session bus"));
}

void TestFileSecrets::chosenStoreWorksWithoutDbus()
{
    ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", QByteArray());
    ScopedEnv runtime("XDG_RUNTIME_DIR", QByteArray());
    ScopedEnv choice("POLLUX_SECRETS", QByteArray());
    ScopedEnv creds("CREDENTIALS_DIRECTORY", QByteArray());
    ScopedEnv dir("POLLUX_SECRETS_DIR", folder().toUtf8());
    ChosenSecretStore store(QStringLiteral("PolluxTest"));
    QCOMPARE(int(store.choice().backend), int(SecretBackend::Files));
    QTest::ignoreMessage(
        QtInfoMsg,
        qPrintable(QStringLiteral("secrets: files in %1 (no D-Bus session bus)").arg(folder())));
    QVERIFY(store.writeSync(kKey, QStringLiteral("via-factory"), 5000).ok());
    QString read;
    QTest::ignoreMessage(
        QtInfoMsg,
        qPrintable(QStringLiteral("secrets: account/Alice from %1/account.Alice").arg(folder())));
    QVERIFY(store.readSync(kKey, read, 5000).ok());
    QCOMPARE(read, QStringLiteral("via-factory"));
    QCOMPARE(modeOf(folder() + QStringLiteral("/account.Alice")), 0600u);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(childModeVariable))
        return runChild();
    TestFileSecrets test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_filesecrets.moc"
