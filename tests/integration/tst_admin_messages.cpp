// What the pollux binary tells an administrator who got something wrong (issue 12, item
// 12), against real Dovecot, the real keyring and real files: advice that fits the fault,
// quickly, and none that makes things worse.
//  - a wrong password over a trusted certificate: no advice to pin the certificate;
//  - a plain server type aimed at a TLS port: "speaks TLS: choose POP3-SSL", in seconds;
//  - an SSL server type aimed at a plain port: "does not speak TLS (the server sent: ...)";
//  - a read-only data folder: "not writable", never "damaged", never "unknown error";
//  - no password in the keychain: the command that stores it, and the tray's own sentence;
//  - the default configuration file: ~/.config/Pollux/pollux.json, as documented, and the
//    old ~/.config/pollux.json still read (and said so) when only that one exists.
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/PolluxBinary.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "secrets/FileSecretStore.h"
#include "secrets/KeychainSecretStore.h"
#include "ui/ErrorText.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/mount.h>
#include <unistd.h>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString kPassword = QStringLiteral("Admin#pw-3317");
constexpr int kKeychainMs = 30000;

struct Run
{
    int status = -1;
    qint64 elapsedMs = 0;
    QByteArray out;
    QByteArray err;
};

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
               ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
               : QByteArray();
}
} // namespace

class TestAdminMessages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void wrongPasswordGivesNoPinningAdvice_data();
    void wrongPasswordGivesNoPinningAdvice();
    void plainTypeAtTlsPortSaysSpeaksTls_data();
    void plainTypeAtTlsPortSaysSpeaksTls();
    void tlsTypeAtPlainPortSaysNoTls_data();
    void tlsTypeAtPlainPortSaysNoTls();
    void readOnlyDataFolderIsNotCalledDamaged();
    void missingPasswordNamesTheCommand();
    void defaultConfigPathIsTheDocumentedOne_data();
    void defaultConfigPathIsTheDocumentedOne();

private:
    // A config with one account `name` of `type` at `port` (Dovecot user `user`).
    QString writeConfig(const QString &name, ServerType type, quint16 port, const QString &user,
                        const QString &dataDir = {});
    void storePassword(const QString &account, const QString &password);
    Run run(const QStringList &args, const QProcessEnvironment &extra = {});

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    QString m_service;
    QStringList m_keys;
    QString m_mounted;
};

void TestAdminMessages::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh, which starts one with a "
             "keyring");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-admin-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(m_dovecot.addUser(QStringLiteral("carol"), kPassword));
}

void TestAdminMessages::cleanupTestCase()
{
    if (!m_mounted.isEmpty())
        ::umount2(m_mounted.toLocal8Bit().constData(), MNT_DETACH);
    KeychainSecretStore store(m_service);
    for (const QString &key : std::as_const(m_keys)) {
        QEventLoop loop;
        store.remove(key, [&loop](Result) { loop.quit(); });
        loop.exec();
    }
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

QString TestAdminMessages::writeConfig(const QString &name, ServerType type, quint16 port,
                                       const QString &user, const QString &dataDir)
{
    Config c;
    AccountConfig a;
    a.name = name;
    a.type = type;
    a.host = QStringLiteral("127.0.0.1");
    a.port = port;
    a.username = user;
    a.timeoutSecs = 60; // the plain-at-TLS-port case used to wait all of it
    a.allowPlaintextLogin = true;
    a.recipient = QStringLiteral("boss@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = dataDir.isEmpty() ? m_dir.filePath(name + QStringLiteral("-data")) : dataDir;
    c.caFile = TestCa::instance().caCertPath();
    const QString path = m_dir.filePath(name + QStringLiteral(".json"));
    return c.save(path).ok() ? path : QString();
}

void TestAdminMessages::storePassword(const QString &account, const QString &password)
{
    KeychainSecretStore store(m_service);
    const QString key = secretKey(SecretKind::Account, account);
    m_keys << key;
    const Result r = store.writeSync(key, password, kKeychainMs);
    QVERIFY2(r.ok(), qPrintable(r.message()));
}

Run TestAdminMessages::run(const QStringList &args, const QProcessEnvironment &extra)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    for (const QString &key : extra.keys()) {
        if (extra.value(key).isEmpty())
            env.remove(key);
        else
            env.insert(key, extra.value(key));
    }
    p.setProcessEnvironment(env);
    Run r;
    QElapsedTimer t;
    t.start();
    p.start(polluxBinary(), args);
    if (!p.waitForStarted(10000))
        return r;
    p.closeWriteChannel();
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        r.status = -2;
    } else {
        r.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
    }
    r.elapsedMs = t.elapsed();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// A wrong password over a certificate that was verified: the advice is about the login,
// never "to trust it, set pinnedFingerprint" (that certificate was trusted already).
void TestAdminMessages::wrongPasswordGivesNoPinningAdvice_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("startTls");
    QTest::newRow("pop3-ssl") << int(ServerType::Pop3Ssl) << false;
    QTest::newRow("pop3-starttls") << int(ServerType::Pop3) << true;
    QTest::newRow("imap-ssl") << int(ServerType::ImapSsl) << false;
}

void TestAdminMessages::wrongPasswordGivesNoPinningAdvice()
{
    QFETCH(int, type);
    QFETCH(bool, startTls);
    const auto t = ServerType(type);
    const quint16 port = t == ServerType::Pop3Ssl   ? m_dovecot.pop3sPort()
                         : t == ServerType::ImapSsl ? m_dovecot.imapsPort()
                                                    : m_dovecot.pop3Port();
    const QString name =
        QStringLiteral("Wrong-%1").arg(QString::fromLatin1(QTest::currentDataTag()));
    QString config = writeConfig(name, t, port, QStringLiteral("carol"));
    QVERIFY(!config.isEmpty());
    if (startTls) {
        Config c;
        QVERIFY(Config::load(config, c).ok());
        c.accounts[0].startTls = true;
        QVERIFY(c.save(config).ok());
    }
    storePassword(name, QStringLiteral("not-the-password"));
    const Run r = run({QStringLiteral("account"), QStringLiteral("test"), name,
                       QStringLiteral("--config"), config});
    QCOMPARE(r.status, 1);
    QVERIFY2(r.err.contains("rejected the login"), r.err.constData());
    QVERIFY2(!r.err.contains("pinnedFingerprint"), r.err.constData());
    QVERIFY2(!r.err.contains("to trust it"), r.err.constData());
}

// pop3 / imap aimed at Dovecot's pop3s / imaps port: the server waits in silence for a TLS
// handshake. Said within seconds (the account's timeout is 60 s), with the type to choose.
void TestAdminMessages::plainTypeAtTlsPortSaysSpeaksTls_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("choose");
    QTest::newRow("pop3-at-pop3s") << int(ServerType::Pop3) << QStringLiteral("POP3-SSL");
    QTest::newRow("imap-at-imaps") << int(ServerType::Imap) << QStringLiteral("IMAP-SSL");
}

void TestAdminMessages::plainTypeAtTlsPortSaysSpeaksTls()
{
    QFETCH(int, type);
    QFETCH(QString, choose);
    const auto t = ServerType(type);
    const quint16 port = t == ServerType::Pop3 ? m_dovecot.pop3sPort() : m_dovecot.imapsPort();
    const QString name =
        QStringLiteral("Plain-%1").arg(QString::fromLatin1(QTest::currentDataTag()));
    const QString config = writeConfig(name, t, port, QStringLiteral("carol"));
    QVERIFY(!config.isEmpty());
    storePassword(name, kPassword);
    const Run r = run({QStringLiteral("account"), QStringLiteral("test"), name,
                       QStringLiteral("--config"), config});
    QCOMPARE(r.status, 1);
    QVERIFY2(r.err.contains("speaks TLS"), r.err.constData());
    QVERIFY2(r.err.contains(choose.toUtf8()), r.err.constData());
    QVERIFY2(r.elapsedMs < 20000, qPrintable(QStringLiteral("took %1 ms").arg(r.elapsedMs)));
}

// pop3-ssl / imap-ssl aimed at Dovecot's plain port: not "wrong version number", but what
// the server said and what to choose instead.
void TestAdminMessages::tlsTypeAtPlainPortSaysNoTls_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("greeting");
    QTest::addColumn<QByteArray>("choose");
    QTest::newRow("pop3-ssl-at-pop3")
        << int(ServerType::Pop3Ssl) << QByteArray("the server sent: \"+OK ")
        << QByteArray("choose the server type POP3 or POP3 with STARTTLS");
    QTest::newRow("imap-ssl-at-imap")
        << int(ServerType::ImapSsl) << QByteArray("the server sent: \"* OK ")
        << QByteArray("choose the server type IMAP or IMAP with STARTTLS");
}

void TestAdminMessages::tlsTypeAtPlainPortSaysNoTls()
{
    QFETCH(int, type);
    QFETCH(QByteArray, greeting);
    QFETCH(QByteArray, choose);
    const auto t = ServerType(type);
    const quint16 port = t == ServerType::Pop3Ssl ? m_dovecot.pop3Port() : m_dovecot.imapPort();
    const QString name = QStringLiteral("Tls-%1").arg(QString::fromLatin1(QTest::currentDataTag()));
    const QString config = writeConfig(name, t, port, QStringLiteral("carol"));
    QVERIFY(!config.isEmpty());
    storePassword(name, kPassword);
    const Run r = run({QStringLiteral("account"), QStringLiteral("test"), name,
                       QStringLiteral("--config"), config});
    QCOMPARE(r.status, 1);
    QVERIFY2(r.err.contains("does not speak TLS"), r.err.constData());
    QVERIFY2(r.err.contains(greeting), r.err.constData());
    QVERIFY2(r.err.contains(choose), r.err.constData());
    QVERIFY2(!r.err.contains("wrong version number"), r.err.constData());
    QVERIFY2(r.elapsedMs < 20000, qPrintable(QStringLiteral("took %1 ms").arg(r.elapsedMs)));
}

// A data folder that cannot be written (a read-only mount as root, where file modes are not
// enforced; the folder's mode otherwise): said as such, and with the database untouched.
void TestAdminMessages::readOnlyDataFolderIsNotCalledDamaged()
{
    const QString base = m_dir.filePath(QStringLiteral("ro"));
    QVERIFY(QDir().mkpath(base));
    const bool root = ::geteuid() == 0;
    if (root) {
        if (::mount("tmpfs", base.toLocal8Bit().constData(), "tmpfs", 0, "size=16m") != 0)
            QSKIP("as root, only a read-only mount makes a folder unwritable, and no tmpfs "
                  "can be mounted here (no CAP_SYS_ADMIN)");
        m_mounted = base;
    }
    const QString data = base + QStringLiteral("/data");
    QVERIFY(m_dovecot.addUser(QStringLiteral("dora"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("dora"), makeMessage(1, 2000)));
    const QString config = writeConfig(QStringLiteral("ReadOnly"), ServerType::Pop3Ssl,
                                       m_dovecot.pop3sPort(), QStringLiteral("dora"), data);
    QVERIFY(!config.isEmpty());
    storePassword(QStringLiteral("ReadOnly"), kPassword);
    const QStringList once = {QStringLiteral("--headless"), QStringLiteral("--once"),
                              QStringLiteral("--config"), config};
    Run r = run(once);
    QVERIFY2(r.status == 0, r.err.right(3000).constData());
    QVERIFY(m_dovecot.deliver(QStringLiteral("dora"), makeMessage(2, 2000)));

    const QString db = data + QStringLiteral("/pollux.db");
    const QByteArray before = sha256Of(db);
    QVERIFY(!before.isEmpty());
    if (root) {
        QCOMPARE(::mount("tmpfs", base.toLocal8Bit().constData(), "tmpfs", MS_REMOUNT | MS_RDONLY,
                         "size=16m"),
                 0);
    } else {
        QVERIFY(QFile::setPermissions(data, QFile::ReadOwner | QFile::ExeOwner));
    }
    r = run(once);
    if (root)
        QCOMPARE(::mount("tmpfs", base.toLocal8Bit().constData(), "tmpfs", MS_REMOUNT, "size=16m"),
                 0);
    else
        QVERIFY(
            QFile::setPermissions(data, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    QVERIFY2(r.status != 0, "a read-only data folder was used");
    QVERIFY2(r.err.contains("not writable"), r.err.constData());
    QVERIFY2(r.err.contains(QFile::encodeName(data)), r.err.constData());
    QVERIFY2(!r.err.contains("damaged") || r.err.contains("nothing is damaged"), r.err.constData());
    QVERIFY2(!r.err.contains("unknown error"), r.err.constData());
    QVERIFY2(r.err.contains("do not delete"), r.err.constData());
    QCOMPARE(sha256Of(db), before);
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("dora")), 1); // the new one waits there
    if (root) {
        QCOMPARE(::umount2(base.toLocal8Bit().constData(), MNT_DETACH), 0);
        m_mounted.clear();
    }
}

// Nothing stored for the account: the terminal names `pollux password set ACCOUNT` (in the
// log of a run too), the tray and the dialog name their own way to store it.
void TestAdminMessages::missingPasswordNamesTheCommand()
{
    const QString name = QStringLiteral("NoPass");
    const QString config =
        writeConfig(name, ServerType::Pop3Ssl, m_dovecot.pop3sPort(), QStringLiteral("carol"));
    QVERIFY(!config.isEmpty());
    const QByteArray command =
        QByteArray("POLLUX_KEYCHAIN_SERVICE=" + m_service.toUtf8() + " pollux password set NoPass");

    Run r = run({QStringLiteral("account"), QStringLiteral("test"), name,
                 QStringLiteral("--config"), config});
    QCOMPARE(r.status, 1);
    QVERIFY2(r.err.contains("No password is stored"), r.err.constData());
    QVERIFY2(r.err.contains(QByteArray(command + " --config '" + config.toUtf8() + "'")),
             r.err.constData());

    r = run({QStringLiteral("--headless"), QStringLiteral("--once"), QStringLiteral("--config"),
             config});
    QCOMPARE(r.status, 1);
    QVERIFY2(r.err.contains(QByteArray("store it with: " + command)), r.err.constData());

    // The same keyring answer in the tray's words: its own action, no command line.
    KeychainSecretStore store(m_service);
    QString secret;
    const Result missing =
        store.readSync(secretKey(SecretKind::Account, name), secret, kKeychainMs);
    QVERIFY(ui::ErrorText::isMissingSecret(missing));
    const QString sentence = ui::ErrorText::sentence(missing);
    QVERIFY2(sentence.contains(name) && sentence.contains(QLatin1String("Settings")),
             qPrintable(sentence));
    QVERIFY2(!ui::ErrorText::describe(missing).contains(QLatin1String("pollux password set")),
             qPrintable(ui::ErrorText::describe(missing)));

    // The service's secrets folder says the same in its own words: the tray names the
    // account, not the folder.
    QTemporaryDir secretsDir;
    QVERIFY(secretsDir.isValid());
    QVERIFY(QFile::setPermissions(secretsDir.path(),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    FileSecretStore::Options folder;
    folder.folder = secretsDir.path();
    FileSecretStore files(folder);
    const Result missingFile =
        files.readSync(secretKey(SecretKind::Account, name), secret, kKeychainMs);
    QVERIFY2(ui::ErrorText::isMissingSecret(missingFile), qPrintable(missingFile.message()));
    const QString fileSentence = ui::ErrorText::sentence(missingFile);
    QVERIFY2(fileSentence.contains(QStringLiteral("“%1”").arg(name)), qPrintable(fileSentence));
}

// Without --config: the documented ~/.config/Pollux/pollux.json; an existing old
// ~/.config/pollux.json is still read when the new one does not exist, and said so.
void TestAdminMessages::defaultConfigPathIsTheDocumentedOne_data()
{
    QTest::addColumn<bool>("xdg");        // XDG_CONFIG_HOME set (else HOME/.config)
    QTest::addColumn<bool>("atNewPlace"); // a file at <config>/Pollux/pollux.json
    QTest::addColumn<bool>("atOldPlace"); // a file at <config>/pollux.json
    QTest::newRow("new-place") << false << true << false;
    QTest::newRow("new-place-xdg") << true << true << false;
    QTest::newRow("old-place-still-read") << false << false << true;
    QTest::newRow("both-new-wins") << false << true << true;
    QTest::newRow("neither-names-new") << false << false << false;
}

void TestAdminMessages::defaultConfigPathIsTheDocumentedOne()
{
    QFETCH(bool, xdg);
    QFETCH(bool, atNewPlace);
    QFETCH(bool, atOldPlace);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString configHome =
        xdg ? home.filePath(QStringLiteral("xdg")) : home.filePath(QStringLiteral(".config"));
    const QString newPath = configHome + QStringLiteral("/Pollux/pollux.json");
    const QString oldPath = configHome + QStringLiteral("/pollux.json");
    QVERIFY(QDir().mkpath(configHome + QStringLiteral("/Pollux")));
    const QString source =
        writeConfig(QStringLiteral("Path"), ServerType::Pop3Ssl, m_dovecot.pop3sPort(),
                    QStringLiteral("carol"), home.filePath(QStringLiteral("data")));
    QVERIFY(!source.isEmpty());
    if (atNewPlace)
        QVERIFY(QFile::copy(source, newPath));
    if (atOldPlace) {
        // Told apart from the new one by its account's name.
        Config c;
        QVERIFY(Config::load(source, c).ok());
        c.accounts[0].name = QStringLiteral("OldPlace");
        QVERIFY(c.save(oldPath).ok());
    }
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), home.path());
    if (xdg)
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    else
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), QString()); // unset: HOME/.config
    const Run r = run({QStringLiteral("config"), QStringLiteral("check")}, env);
    if (!atNewPlace && !atOldPlace) {
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains(QFile::encodeName(newPath)), r.err.constData());
        return;
    }
    QVERIFY2(r.status == 0, r.err.constData());
    const QString read = atNewPlace ? newPath : oldPath;
    QVERIFY2(r.out.startsWith(QByteArray(QFile::encodeName(read) + ": valid")), r.out.constData());
    QCOMPARE(r.out.contains("OldPlace"), !atNewPlace);
    if (atNewPlace) {
        QVERIFY2(!r.err.contains("earlier versions"), r.err.constData());
    } else {
        // Said, with where to move it; not moved.
        QVERIFY2(r.err.contains(QByteArray("move it to " + QFile::encodeName(newPath))),
                 r.err.constData());
        QVERIFY(QFile::exists(oldPath));
        QVERIFY(!QFile::exists(newPath));
    }
}

QTEST_GUILESS_MAIN(TestAdminMessages)
#include "tst_admin_messages.moc"
