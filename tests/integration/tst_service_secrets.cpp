// Secrets for the service (issue 14): the pollux binary as a system service meets it, with
// no D-Bus session at all: `pollux password set` writes the secrets folder, and
// `pollux --headless --once` reads it (or a systemd credential) and collects from real
// Dovecot into a real SMTP server. The keychain of deploy/test.sh's session stays out of it.
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/PolluxBinary.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "secrets/KeychainSecretStore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pollux;
using namespace pollux::test;

namespace {

unsigned modeOf(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 010000;
    return st.st_mode & 07777;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestServiceSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void passwordSetThenOnceWithoutAnyDbus();
    void credentialOnlyCollects();
    void openFolderRefusedWithClearMessage();
    void forcedFileEvenWithAKeychain();
    void rootStoresForTheServiceUser();

private:
    struct Run
    {
        int status = -1;
        QByteArray err;
    };
    // Without DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR (as under systemd as a system
    // service); `extra` adds variables, a null value removes one.
    // `program`: pollux, or a wrapper (setpriv) that runs it.
    Run run(const QStringList &args, const QHash<QString, QString> &extra,
            const QByteArray &stdinData = {}, bool withDbus = false, const QString &program = {});
    QString writeConfig(const QString &user, const QString &name);
    bool keychainHas(const QString &key);

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    QString m_service;
};

void TestServiceSecrets::initTestCase()
{
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>(SmtpSink::Options());
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-svc-test-%1").arg(QCoreApplication::applicationPid());
}

void TestServiceSecrets::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

TestServiceSecrets::Run TestServiceSecrets::run(const QStringList &args,
                                                const QHash<QString, QString> &extra,
                                                const QByteArray &stdinData, bool withDbus,
                                                const QString &program)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!withDbus) {
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
    }
    env.remove(QStringLiteral("POLLUX_SECRETS"));
    env.remove(QStringLiteral("CREDENTIALS_DIRECTORY"));
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (it.value().isNull())
            env.remove(it.key());
        else
            env.insert(it.key(), it.value());
    }
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program.isEmpty() ? polluxBinary() : program, args);
    Run result;
    if (!p.waitForStarted(10000))
        return result;
    p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        result.status = -2;
        return result;
    }
    result.err = p.readAllStandardError();
    result.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
    if (result.status != 0)
        qWarning("pollux %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), result.status,
                 result.err.right(3000).constData());
    return result;
}

QString TestServiceSecrets::writeConfig(const QString &user, const QString &name)
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

// Whether the suite's keychain has `key` for this test's service name (it must not: the
// secrets went to files). Without deploy/test.sh's session there is no keychain to ask.
bool TestServiceSecrets::keychainHas(const QString &key)
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return false;
    KeychainSecretStore keychain(m_service);
    QString secret;
    return keychain.readSync(key, secret, 20000).ok();
}

void TestServiceSecrets::passwordSetThenOnceWithoutAnyDbus()
{
    const QString password = QStringLiteral("Svc#pass-4471");
    QVERIFY(m_dovecot.addUser(QStringLiteral("svcalice"), password));
    for (int i = 1; i <= 5; ++i)
        QVERIFY(m_dovecot.deliver(QStringLiteral("svcalice"), makeMessage(i, 3000)));
    const QString config = writeConfig(QStringLiteral("svcalice"), QStringLiteral("Alice"));
    QVERIFY(!config.isEmpty());
    const QString secrets = m_dir.filePath(QStringLiteral("alice-secrets"));
    const QHash<QString, QString> env = {{QStringLiteral("POLLUX_SECRETS_DIR"), secrets}};

    // The admin stores the password; no POLLUX_SECRETS: chosen because there is no bus.
    Run set = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Alice"),
                   QStringLiteral("--config"), config},
                  env, password.toUtf8() + '\n');
    QCOMPARE(set.status, 0);
    QVERIFY2(
        set.err.contains(
            QStringLiteral("secrets: files in %1 (no D-Bus session bus)").arg(secrets).toUtf8()),
        set.err.constData());
    QVERIFY(!set.err.contains(password.toUtf8()));
    const QString file = secrets + QStringLiteral("/account.Alice");
    QCOMPARE(modeOf(secrets), 0700u);
    QCOMPARE(modeOf(file), 0600u);
    const QByteArray stored = readAll(file);
    QVERIFY(stored.endsWith(QByteArray(QByteArray("\n\n") + password.toUtf8())));
    QVERIFY(!keychainHas(secretKey(SecretKind::Account, QStringLiteral("Alice"))));

    // The service's pass reads it and collects.
    m_sink->clear();
    Run once = run({QStringLiteral("--headless"), QStringLiteral("--once"),
                    QStringLiteral("--config"), config},
                   env);
    QCOMPARE(once.status, 0);
    QVERIFY(m_sink->waitForMessages(5, 30000));
    QCOMPARE(m_sink->messages().size(), 5);
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("svcalice")), 0);
    // The backend is named in the log; the password is nowhere in it.
    const QByteArray log = readAll(m_dir.filePath(QStringLiteral("Alice-data/pollux.log")));
    QVERIFY2(
        log.contains(
            QStringLiteral("secrets: files in %1 (no D-Bus session bus)").arg(secrets).toUtf8()),
        log.right(2000).constData());
    QVERIFY(log.contains(QStringLiteral("secrets: account/Alice from %1").arg(file).toUtf8()));
    QVERIFY(!log.contains(password.toUtf8()));
    QVERIFY(!once.err.contains(password.toUtf8()));
}

void TestServiceSecrets::credentialOnlyCollects()
{
    const QString password = QStringLiteral("Cred#pass-9034");
    QVERIFY(m_dovecot.addUser(QStringLiteral("svcbob"), password));
    for (int i = 1; i <= 3; ++i)
        QVERIFY(m_dovecot.deliver(QStringLiteral("svcbob"), makeMessage(i, 2000)));
    const QString config = writeConfig(QStringLiteral("svcbob"), QStringLiteral("Bob"));
    // What systemd leaves for LoadCredentialEncrypted=account.Bob:... (the plain text, as
    // `echo ... | systemd-creds encrypt --name=account.Bob - ...` had it).
    const QString credentials = m_dir.filePath(QStringLiteral("bob-credentials"));
    QVERIFY(QDir().mkdir(credentials));
    QFile credential(credentials + QStringLiteral("/account.Bob"));
    QVERIFY(credential.open(QIODevice::WriteOnly));
    credential.write(password.toUtf8() + '\n');
    credential.close();
    const QString secrets = m_dir.filePath(QStringLiteral("bob-state/secrets"));
    m_sink->clear();
    Run once =
        run({QStringLiteral("--headless"), QStringLiteral("--once"), QStringLiteral("--config"),
             config},
            {{QStringLiteral("CREDENTIALS_DIRECTORY"), credentials},
             {QStringLiteral("STATE_DIRECTORY"), m_dir.filePath(QStringLiteral("bob-state"))}});
    QCOMPARE(once.status, 0);
    QVERIFY(m_sink->waitForMessages(3, 30000));
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("svcbob")), 0);
    const QByteArray log = readAll(m_dir.filePath(QStringLiteral("Bob-data/pollux.log")));
    QVERIFY2(log.contains(QStringLiteral("secrets: files in %1 and systemd credentials in %2 "
                                         "(systemd credentials given)")
                              .arg(secrets, credentials)
                              .toUtf8()),
             log.right(2000).constData());
    QVERIFY(log.contains("secrets: account/Bob from the systemd credential account.Bob"));
    QVERIFY(!QFile::exists(secrets)); // reading writes nothing
}

void TestServiceSecrets::openFolderRefusedWithClearMessage()
{
    const QString password = QStringLiteral("Open#pass-1187");
    QVERIFY(m_dovecot.addUser(QStringLiteral("svccarol"), password));
    QVERIFY(m_dovecot.deliver(QStringLiteral("svccarol"), makeMessage(1, 2000)));
    const QString config = writeConfig(QStringLiteral("svccarol"), QStringLiteral("Carol"));
    const QString secrets = m_dir.filePath(QStringLiteral("carol-secrets"));
    const QHash<QString, QString> env = {{QStringLiteral("POLLUX_SECRETS_DIR"), secrets}};
    QCOMPARE(run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Carol"),
                  QStringLiteral("--config"), config},
                 env, password.toUtf8())
                 .status,
             0);
    QVERIFY(::chmod(QFile::encodeName(secrets).constData(), 0755) == 0);
    m_sink->clear();
    Run once = run({QStringLiteral("--headless"), QStringLiteral("--once"),
                    QStringLiteral("--config"), config},
                   env);
    QVERIFY(once.status != 0);
    QVERIFY2(once.err.contains(QStringLiteral("the secrets folder %1 is open to other users (mode "
                                              "0755); it must have mode 0700")
                                   .arg(secrets)
                                   .toUtf8()),
             once.err.constData());
    QVERIFY2(once.err.contains(QStringLiteral("chmod 700 %1").arg(secrets).toUtf8()),
             once.err.constData());
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("svccarol")), 1); // nothing collected
    QVERIFY(m_sink->messages().isEmpty());
    // Nor does password set write into it.
    Run set = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Carol"),
                   QStringLiteral("--config"), config},
                  env, "other");
    QVERIFY(set.status != 0);
    QVERIFY2(set.err.contains("is open to other users (mode 0755)"), set.err.constData());
}

void TestServiceSecrets::forcedFileEvenWithAKeychain()
{
    if (qEnvironmentVariableIsEmpty("POLLUX_TEST_KEYRING"))
        QSKIP("needs deploy/test.sh's D-Bus session with a keyring");
    const QString config = writeConfig(QStringLiteral("svcdave"), QStringLiteral("Dave"));
    const QString secrets = m_dir.filePath(QStringLiteral("dave-secrets"));
    Run set = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Dave"),
                   QStringLiteral("--config"), config},
                  {{QStringLiteral("POLLUX_SECRETS"), QStringLiteral("file")},
                   {QStringLiteral("POLLUX_SECRETS_DIR"), secrets}},
                  "dave-secret", true);
    QCOMPARE(set.status, 0);
    QVERIFY2(
        set.err.contains(
            QStringLiteral("secrets: files in %1 (POLLUX_SECRETS=file)").arg(secrets).toUtf8()),
        set.err.constData());
    QCOMPARE(modeOf(secrets + QStringLiteral("/account.Dave")), 0600u);
    QVERIFY(!keychainHas(secretKey(SecretKind::Account, QStringLiteral("Dave"))));
    // And without POLLUX_SECRETS, the same session's keychain is chosen (as on a desktop).
    Run desktop = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Dave"),
                       QStringLiteral("--config"), config},
                      {{QStringLiteral("POLLUX_SECRETS_DIR"), secrets}}, "dave-keychain", true);
    QCOMPARE(desktop.status, 0);
    QVERIFY2(desktop.err.contains(
                 QStringLiteral("secrets: the keychain, service \"%1\"").arg(m_service).toUtf8()),
             desktop.err.constData());
    KeychainSecretStore keychain(m_service);
    QString stored;
    QVERIFY(keychain.readSync(secretKey(SecretKind::Account, QStringLiteral("Dave")), stored).ok());
    QCOMPARE(stored, QStringLiteral("dave-keychain"));
    bool removed = false;
    keychain.remove(secretKey(SecretKind::Account, QStringLiteral("Dave")),
                    [&removed](Result) { removed = true; });
    QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);
}

// The deployment as it is: the admin runs `pollux password set` as root, the service runs
// as its own unprivileged user (here "nobody", through setpriv) with the state folder
// systemd gives it, and reads what root stored.
void TestServiceSecrets::rootStoresForTheServiceUser()
{
    if (::geteuid() != 0)
        QSKIP("needs root: the admin's side of the deployment");
    const struct passwd *nobody = ::getpwnam("nobody");
    QVERIFY(nobody);
    const QString password = QStringLiteral("Root#pass-5520");
    QVERIFY(m_dovecot.addUser(QStringLiteral("svcerin"), password));
    for (int i = 1; i <= 2; ++i)
        QVERIFY(m_dovecot.deliver(QStringLiteral("svcerin"), makeMessage(i, 2000)));
    // What the service user may see: the temporary folder to pass through, its config and
    // CA, and its state folder (StateDirectory=, owned by it).
    QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0711) == 0);
    const QString state = m_dir.filePath(QStringLiteral("erin-state"));
    QVERIFY(QDir().mkdir(state));
    QVERIFY(::chown(QFile::encodeName(state).constData(), nobody->pw_uid, nobody->pw_gid) == 0);
    const QString ca = m_dir.filePath(QStringLiteral("erin-ca.pem"));
    QVERIFY(QFile::copy(TestCa::instance().caCertPath(), ca));
    QVERIFY(::chmod(QFile::encodeName(ca).constData(), 0644) == 0);
    Config c;
    QVERIFY(Config::load(writeConfig(QStringLiteral("svcerin"), QStringLiteral("Erin")), c).ok());
    c.dataDir = state + QStringLiteral("/data");
    c.caFile = ca;
    const QString config = m_dir.filePath(QStringLiteral("erin-service.json"));
    QVERIFY(c.save(config).ok());
    QVERIFY(::chmod(QFile::encodeName(config).constData(), 0644) == 0);

    // The admin, as root: the folder and the file go to the state folder's owner.
    const QString secrets = state + QStringLiteral("/secrets");
    Run set = run({QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Erin"),
                   QStringLiteral("--config"), config},
                  {{QStringLiteral("POLLUX_SECRETS"), QStringLiteral("file")},
                   {QStringLiteral("POLLUX_SECRETS_DIR"), secrets}},
                  password.toUtf8());
    QCOMPARE(set.status, 0);
    struct stat st = {};
    QVERIFY(::stat(QFile::encodeName(secrets).constData(), &st) == 0);
    QCOMPARE(st.st_uid, nobody->pw_uid);
    QCOMPARE(st.st_mode & 07777, 0700u);
    QVERIFY(::stat(QFile::encodeName(secrets + QStringLiteral("/account.Erin")).constData(), &st) ==
            0);
    QCOMPARE(st.st_uid, nobody->pw_uid);
    QCOMPARE(st.st_mode & 07777, 0600u);

    // The service, as its user, finds the folder from $STATE_DIRECTORY alone.
    m_sink->clear();
    const QString setpriv = QStringLiteral("setpriv");
    Run once = run({QStringLiteral("--reuid=%1").arg(nobody->pw_uid),
                    QStringLiteral("--regid=%1").arg(nobody->pw_gid),
                    QStringLiteral("--clear-groups"), polluxBinary(), QStringLiteral("--headless"),
                    QStringLiteral("--once"), QStringLiteral("--config"), config},
                   {{QStringLiteral("STATE_DIRECTORY"), state},
                    {QStringLiteral("POLLUX_SECRETS_DIR"), QString()},
                    {QStringLiteral("HOME"), state}},
                   {}, false, setpriv);
    QCOMPARE(once.status, 0);
    QVERIFY(m_sink->waitForMessages(2, 30000));
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("svcerin")), 0);
    const QByteArray log = readAll(state + QStringLiteral("/data/pollux.log"));
    QVERIFY2(
        log.contains(
            QStringLiteral("secrets: files in %1 (no D-Bus session bus)").arg(secrets).toUtf8()),
        log.right(2000).constData());
}

QTEST_GUILESS_MAIN(TestServiceSecrets)
#include "tst_service_secrets.moc"
