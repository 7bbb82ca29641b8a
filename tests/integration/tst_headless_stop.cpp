// The stop rule (issue 12, item 2) with the real binary: SIGTERM to `pollux --headless`
// while the office server withholds its reply to the final dot. The process keeps the
// connection, records the reply when it comes and exits; a restart sends nothing again.
// A second SIGTERM stops at once. The office server is the scripted fake (it can withhold
// a reply); the provider is a real Dovecot, the password in the real keychain.
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/TestCa.h"
#include "support/PolluxBinary.h"
#include "unit/smtp/FakeSmtpServer.h"

#include "config/Config.h"
#include "store/Store.h"
#include "util/Clock.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString kPassword = QStringLiteral("Stop#pass-4411");
const QString kRecipient = QStringLiteral("boss@office.example.com");

QStringList heldTransaction()
{
    return {QStringLiteral("S: 220 fake.test ESMTP"),
            QStringLiteral("C: EHLO *"),
            QStringLiteral("S: 250 fake.test"),
            QStringLiteral("C: MAIL FROM:*"),
            QStringLiteral("S: 250 2.1.0 Ok"),
            QStringLiteral("C: RCPT TO:<boss@office.example.com>"),
            QStringLiteral("S: 250 2.1.5 Ok"),
            QStringLiteral("C: DATA"),
            QStringLiteral("S: 354 go ahead"),
            QStringLiteral("C: <DATA>"),
            QStringLiteral("S: <HOLD>"),
            QStringLiteral("S: 250 2.0.0 Ok: queued as HELD")};
}
} // namespace

class TestHeadlessStop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sigtermWaitsForTheFinalReply();
    void secondSigtermStopsAtOnce();

private:
    QString writeConfig(const QString &user, quint16 smtpPort);
    void startService(QProcess &p, const QString &config);
    QList<MessageRecord> records(const QString &config);

    DovecotServer m_dovecot;
    QTemporaryDir m_dir;
    QString m_service;
    QByteArray m_stderr;
};

void TestHeadlessStop::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-stoptest-%1").arg(QCoreApplication::applicationPid());
}

void TestHeadlessStop::cleanupTestCase()
{
    QVERIFY(m_dovecot.stop());
}

QString TestHeadlessStop::writeConfig(const QString &user, quint16 smtpPort)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3sPort();
    a.username = user;
    a.timeoutSecs = 30;
    a.recipient = kRecipient;
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = smtpPort;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(user + QStringLiteral("-data"));
    c.caFile = TestCa::instance().caCertPath();
    const QString path = m_dir.filePath(user + QStringLiteral(".json"));
    if (!c.save(path).ok())
        return {};
    // The password, as an administrator stores it.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    p.setProcessEnvironment(env);
    p.start(polluxBinary(), {QStringLiteral("password"), QStringLiteral("set"), user,
                       QStringLiteral("--config"), path});
    p.write(kPassword.toUtf8() + '\n');
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return path;
}

void TestHeadlessStop::startService(QProcess &p, const QString &config)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    p.setProcessEnvironment(env);
    m_stderr.clear();
    QObject::connect(&p, &QProcess::readyReadStandardError, &p,
                     [this, &p] { m_stderr += p.readAllStandardError(); });
    p.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--config"), config});
}

QList<MessageRecord> TestHeadlessStop::records(const QString &config)
{
    Config c;
    QList<MessageRecord> out;
    if (!Config::load(config, c).ok())
        return out;
    Store store(c.dataDir + QStringLiteral("/pollux.db"), Clock::system());
    if (!store.open().ok() || !store.messages(c.accounts.value(0).name, out).ok())
        qWarning("cannot read the store");
    return out;
}

void TestHeadlessStop::sigtermWaitsForTheFinalReply()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("gina"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("gina"), makeMessage(1, 2000)));
    FakeSmtpServer office;
    QVERIFY(office.listen());
    office.setScript(heldTransaction());
    const QString config = writeConfig(QStringLiteral("gina"), office.port());
    QVERIFY(!config.isEmpty());

    QProcess p;
    startService(p, config);
    QVERIFY(p.waitForStarted(10000));
    // The message is out, its reply withheld.
    QTRY_VERIFY_WITH_TIMEOUT(office.holding() && office.bodies().size() == 1, 60000);
    p.terminate(); // SIGTERM
    QTRY_VERIFY2_WITH_TIMEOUT(m_stderr.contains("waiting up to 600 s for the office server's "
                                                "reply"),
                              m_stderr.right(2000).constData(), 30000);
    QCOMPARE(p.state(), QProcess::Running);
    QVERIFY(!office.clientDisconnected());

    office.release(); // 250
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 30000);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(m_stderr.contains("peak resident memory"), m_stderr.right(2000).constData());
    const QList<MessageRecord> recs = records(config);
    QCOMPARE(recs.size(), 1);
    QCOMPARE(int(recs.at(0).state), int(DeliveryState::Delivered));
    QVERIFY2(recs.at(0).lastReply.contains(QStringLiteral("queued as HELD")),
             qPrintable(recs.at(0).lastReply));

    // A restart sends nothing again: a second connection would be an error of the fake.
    QProcess again;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    again.setProcessEnvironment(env);
    again.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--once"),
                           QStringLiteral("--config"), config});
    QVERIFY(again.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(again.state() == QProcess::NotRunning, 120000);
    QCOMPARE(again.exitCode(), 0);
    QCOMPARE(office.bodies().size(), 1);
    QVERIFY2(office.errors().isEmpty(), qPrintable(office.errors().join(QLatin1Char('\n'))));
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("gina")), 0); // removed after delivery
}

// A second SIGTERM does not wait: the message stays queued (it may arrive twice; logged).
void TestHeadlessStop::secondSigtermStopsAtOnce()
{
    QVERIFY(m_dovecot.addUser(QStringLiteral("hank"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("hank"), makeMessage(2, 2000)));
    FakeSmtpServer office;
    QVERIFY(office.listen());
    office.setScript(heldTransaction());
    const QString config = writeConfig(QStringLiteral("hank"), office.port());
    QVERIFY(!config.isEmpty());

    QProcess p;
    startService(p, config);
    QVERIFY(p.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(office.holding() && office.bodies().size() == 1, 60000);
    p.terminate();
    QTRY_VERIFY_WITH_TIMEOUT(m_stderr.contains("for the office server's reply"), 30000);
    p.terminate(); // the second one
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 30000);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(m_stderr.contains("may reach the office server twice"),
             m_stderr.right(2000).constData());
    QVERIFY(office.clientDisconnected());
    const QList<MessageRecord> recs = records(config);
    QCOMPARE(recs.size(), 1);
    QVERIFY(recs.at(0).state != DeliveryState::Delivered); // queued, sent again later
}

QTEST_MAIN(TestHeadlessStop)
#include "tst_headless_stop.moc"
