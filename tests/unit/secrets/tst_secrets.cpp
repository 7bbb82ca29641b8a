// KeychainSecretStore against a real Secret Service (gnome-keyring in deploy/test.sh's
// private D-Bus session), plus the no-D-Bus case in a child process.
#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cstdio>
#include <memory>

using namespace pollux;

namespace {

constexpr int keychainTimeoutMs = 20000;
const char childModeVariable[] = "POLLUX_SECRETS_TEST_CHILD";

Result removeSync(SecretStore &store, const QString &key)
{
    bool done = false;
    Result outcome = Result::failure(ErrorCode::Secrets, QStringLiteral("no answer"));
    store.remove(key, [&done, &outcome](Result result) {
        outcome = result;
        done = true;
    });
    if (!QTest::qWaitFor([&done] { return done; }, keychainTimeoutMs))
        return Result::failure(ErrorCode::Secrets, QStringLiteral("remove did not answer"));
    return outcome;
}

// Child mode: one read without any D-Bus session; prints the outcome.
int runChild()
{
    KeychainSecretStore store(QStringLiteral("PolluxTest-child"));
    store.setRetryDelay(100);
    QString secret;
    const Result result = store.readSync(QStringLiteral("account/none"), secret, 15000);
    std::printf("RESULT %d %s\n", static_cast<int>(result.code()),
                result.message().toUtf8().constData());
    return 0;
}

} // namespace

class TestSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void writeReadOverwriteRemove();
    void readMissing();
    void roundTrip_data();
    void roundTrip();
    void keysAndServicesAreSeparate();
    void callbackInCallingThread();
    void storeDestroyedWhileRunning();
    void noDbusSessionReportsSecretsError();
    void passwordSetCommand_data();
    void passwordSetCommand();

private:
    QString m_service = QStringLiteral("PolluxTest-%1").arg(QCoreApplication::applicationPid());
    QStringList m_keys; // written by a test, removed in cleanup()
};

void TestSecrets::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") ||
        qEnvironmentVariableIsEmpty("POLLUX_TEST_KEYRING")) {
        QFAIL("No private D-Bus session with a test keyring: run the tests through deploy/test.sh "
              "(e.g. deploy/test.sh default -R secrets), which starts dbus-run-session and an "
              "unlocked gnome-keyring-daemon with a throw-away keyring.");
    }
}

void TestSecrets::cleanup()
{
    KeychainSecretStore store(m_service);
    for (const QString &key : std::as_const(m_keys))
        QVERIFY(removeSync(store, key).ok());
    m_keys.clear();
}

void TestSecrets::writeReadOverwriteRemove()
{
    KeychainSecretStore store(m_service);
    const QString key = QStringLiteral("account/overwrite");
    m_keys << key;
    QVERIFY(store.writeSync(key, QStringLiteral("one"), keychainTimeoutMs).ok());
    QString secret;
    QVERIFY(store.readSync(key, secret, keychainTimeoutMs).ok());
    QCOMPARE(secret, QStringLiteral("one"));

    QVERIFY(store.writeSync(key, QStringLiteral("two"), keychainTimeoutMs).ok());
    QVERIFY(store.readSync(key, secret, keychainTimeoutMs).ok());
    QCOMPARE(secret, QStringLiteral("two"));

    QVERIFY(removeSync(store, key).ok());
    secret = QStringLiteral("unchanged");
    const Result missing = store.readSync(key, secret, keychainTimeoutMs);
    QCOMPARE(missing.code(), ErrorCode::Secrets);
    // Names the entry and the command that stores it (issue 12, item 12).
    QCOMPARE(missing.message(),
             QStringLiteral("no password stored for account/overwrite in the keychain (service "
                            "\"%1\"); store it with: POLLUX_KEYCHAIN_SERVICE=%1 pollux password "
                            "set overwrite")
                 .arg(m_service));
    QCOMPARE(secret, QStringLiteral("unchanged"));
    // Removing what is not there is not an error.
    QVERIFY(removeSync(store, key).ok());
}

void TestSecrets::readMissing()
{
    KeychainSecretStore store(m_service);
    QString secret;
    const Result result =
        store.readSync(QStringLiteral("account/never-written"), secret, keychainTimeoutMs);
    QCOMPARE(result.code(), ErrorCode::Secrets);
    QVERIFY2(result.message().contains(QStringLiteral("account/never-written")),
             qPrintable(result.message()));
    QVERIFY(secret.isEmpty());
}

void TestSecrets::roundTrip_data()
{
    QTest::addColumn<QString>("secret");
    QTest::newRow("ascii") << QStringLiteral("correct horse battery staple");
    QTest::newRow("unicode") << QStringLiteral("pässwörd-密码-пароль-🔑");
    QTest::newRow("whitespace-and-symbols") << QStringLiteral("  a:b;c\"d'e\\f\tg  ");
    QTest::newRow("long-4k") << QString(4096, QLatin1Char('x'));
    QTest::newRow("long-64k-mixed")
        << QString(16384, QChar(0x00e4)) + QString(49152, QLatin1Char('y'));
}

void TestSecrets::roundTrip()
{
    QFETCH(QString, secret);
    KeychainSecretStore store(m_service);
    const QString key = QStringLiteral("account/") + QString::fromLatin1(QTest::currentDataTag());
    m_keys << key;
    QVERIFY(store.writeSync(key, secret, keychainTimeoutMs).ok());
    QString read;
    const Result result = store.readSync(key, read, keychainTimeoutMs);
    QVERIFY2(result.ok(), qPrintable(result.message()));
    QCOMPARE(read, secret);
}

void TestSecrets::keysAndServicesAreSeparate()
{
    KeychainSecretStore store(m_service);
    KeychainSecretStore other(m_service + QStringLiteral("-other"));
    m_keys << QStringLiteral("account/a") << QStringLiteral("smtp");
    QVERIFY(store.writeSync(QStringLiteral("account/a"), QStringLiteral("A")).ok());
    QVERIFY(store.writeSync(QStringLiteral("smtp"), QStringLiteral("S")).ok());
    QString secret;
    QVERIFY(store.readSync(QStringLiteral("account/a"), secret).ok());
    QCOMPARE(secret, QStringLiteral("A"));
    QVERIFY(store.readSync(QStringLiteral("smtp"), secret).ok());
    QCOMPARE(secret, QStringLiteral("S"));
    QCOMPARE(other.readSync(QStringLiteral("smtp"), secret).code(), ErrorCode::Secrets);
}

void TestSecrets::callbackInCallingThread()
{
    KeychainSecretStore store(m_service);
    const QString key = QStringLiteral("account/thread");
    m_keys << key;
    QVERIFY(store.writeSync(key, QStringLiteral("from-main")).ok());

    // A worker thread reads synchronously: the job runs in the main thread, whose event
    // loop we keep spinning; the result comes back to the worker.
    QThread worker;
    QString secret;
    Result result = Result::failure(ErrorCode::Secrets, QStringLiteral("not run"));
    QThread *callbackThread = nullptr;
    bool finished = false;
    QObject::connect(
        &worker, &QThread::started, &worker,
        [&] {
            result = store.readSync(key, secret, keychainTimeoutMs);
            store.read(key, [&](Result, QString) {
                callbackThread = QThread::currentThread();
                QThread::currentThread()->quit();
            });
        },
        Qt::DirectConnection);
    QObject::connect(&worker, &QThread::finished, this, [&] { finished = true; });
    worker.start();
    QTRY_VERIFY_WITH_TIMEOUT(finished, keychainTimeoutMs);
    worker.wait();
    QVERIFY2(result.ok(), qPrintable(result.message()));
    QCOMPARE(secret, QStringLiteral("from-main"));
    QCOMPARE(callbackThread, &worker);
}

void TestSecrets::storeDestroyedWhileRunning()
{
    auto store = std::make_unique<KeychainSecretStore>(m_service);
    bool called = false;
    Result result = Result::failure(ErrorCode::Secrets, QStringLiteral("not called"));
    store->read(QStringLiteral("account/missing"), [&](Result r, QString) {
        result = r;
        called = true;
    });
    store.reset();
    QTRY_VERIFY_WITH_TIMEOUT(called, keychainTimeoutMs);
    QCOMPARE(result.code(), ErrorCode::Secrets);
}

void TestSecrets::noDbusSessionReportsSecretsError()
{
    QTemporaryDir runtimeDir; // empty: no session bus socket to fall back to
    QVERIFY(runtimeDir.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"})
        env.remove(QLatin1String(name));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir.path());
    env.insert(QLatin1String(childModeVariable), QStringLiteral("no-dbus"));
    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.start(QCoreApplication::applicationFilePath(), QStringList());
    QVERIFY(child.waitForStarted());
    const bool exited = child.waitForFinished(30000);
    if (!exited) {
        child.kill();
        child.waitForFinished();
        QFAIL("the keychain hung without a D-Bus session");
    }
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);
    const QByteArray output = child.readAllStandardOutput();
    const int at = output.indexOf("RESULT ");
    QVERIFY2(at >= 0, output.constData());
    const QList<QByteArray> fields = output.mid(at).trimmed().split(' ');
    QCOMPARE(fields.value(1).toInt(), static_cast<int>(ErrorCode::Secrets));
    // A real "no keychain" answer, not our own timeout.
    QVERIFY2(!output.contains("did not answer"), output.constData());
}

void TestSecrets::passwordSetCommand_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("command");
    const QString pollux = QStringLiteral("Pollux");
    QTest::newRow("account") << "account/Alice" << pollux << "pollux password set Alice";
    QTest::newRow("account-with-space-and-quote")
        << "account/Bob's box" << pollux << "pollux password set 'Bob'\\''s box'";
    QTest::newRow("account-shell-chars")
        << "account/a;rm -rf" << pollux << "pollux password set 'a;rm -rf'";
    QTest::newRow("smtp") << "smtp" << pollux << "pollux password set --smtp";
    QTest::newRow("ldap") << "ldap" << pollux << "pollux password set --ldap";
    QTest::newRow("other-service") << "smtp"
                                   << "Test 1"
                                   << "POLLUX_KEYCHAIN_SERVICE='Test 1' pollux password set --smtp";
    QTest::newRow("unknown-key") << "something" << pollux << QString();
    QTest::newRow("empty-account") << "account/" << pollux << QString();
}

void TestSecrets::passwordSetCommand()
{
    QFETCH(QString, key);
    QFETCH(QString, service);
    QFETCH(QString, command);
    QCOMPARE(pollux::passwordSetCommand(key, service), command);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(childModeVariable))
        return runChild();
    TestSecrets test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secrets.moc"
