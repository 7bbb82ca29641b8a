// `pollux --headless` with a recipient directory that hangs (issue 12, item 7): SIGTERM while
// a lookup waits for an answer stops the service within seconds, not after the lookups'
// timeouts, and nothing is delivered or recorded for the message it was routing.
#include "support/DovecotServer.h"
#include "support/HangingLdapServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"
#include "support/PolluxBinary.h"

#include "config/Config.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString kPassword = QStringLiteral("Hx4#directory-hang-3391");
}

class TestHeadlessDirectory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void sigtermWhileALookupHangs();

private:
    QProcessEnvironment environment() const;

    DovecotServer m_dovecot;
    SmtpSink m_sink;
    QTemporaryDir m_dir;
    QString m_service;
};

QProcessEnvironment TestHeadlessDirectory::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    return env;
}

void TestHeadlessDirectory::initTestCase()
{
    QVERIFY2(
        !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
        "no D-Bus session: run the suite with deploy/test.sh, which starts one with a keyring");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    QVERIFY2(m_sink.start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-test-dir-%1").arg(QCoreApplication::applicationPid());
}

void TestHeadlessDirectory::sigtermWhileALookupHangs()
{
    HangingLdapServer ldap(HangingLdapServer::Mode::Silent);
    QVERIFY(ldap.start());
    QVERIFY(m_dovecot.addUser(QStringLiteral("erin"), kPassword));
    QVERIFY(m_dovecot.deliver(QStringLiteral("erin"),
                              "Return-Path: <x@vendor.example>\r\n"
                              "To: a@office.example.com, b@office.example.com, "
                              "c@office.example.com\r\nSubject: for three\r\n"
                              "Message-ID: <three@vendor.example>\r\n\r\nhello\r\n"));
    Config c;
    AccountConfig a;
    a.name = QStringLiteral("Erin");
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3sPort();
    a.username = QStringLiteral("erin");
    a.timeoutSecs = 30;
    a.mailbox = MailboxType::CatchAllReroute;
    c.accounts << a;
    c.acceptedDomains = {QStringLiteral("office.example.com")};
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink.port();
    c.directory.type = DirectoryType::Ldap;
    c.directory.ldapUrl = ldap.url();
    c.directory.baseDn = QStringLiteral("dc=office,dc=example,dc=com");
    c.directory.timeoutSecs = 120; // what a stop must not wait for
    c.dataDir = m_dir.filePath(QStringLiteral("data"));
    c.caFile = TestCa::instance().caCertPath();
    const QString config = m_dir.filePath(QStringLiteral("erin.json"));
    QVERIFY(c.save(config).ok());

    QProcess set;
    set.setProcessEnvironment(environment());
    set.start(polluxBinary(), {QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("Erin"),
                         QStringLiteral("--config"), config});
    QVERIFY(set.waitForStarted(10000));
    set.write(kPassword.toUtf8());
    set.closeWriteChannel();
    QVERIFY(set.waitForFinished(60000));
    QCOMPARE(set.exitCode(), 0);

    QProcess p;
    p.setProcessEnvironment(environment());
    p.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--config"), config});
    QVERIFY(p.waitForStarted(10000));
    // The message is collected and its routing asks the directory, which never answers.
    QVERIFY2(ldap.waitForConnections(1, 90000), p.readAllStandardError().right(2000).constData());
    QElapsedTimer timer;
    timer.start();
    p.terminate();                                  // SIGTERM
    const bool finished = p.waitForFinished(10000); // a generous bound: the budget is 120 s
    if (!finished) {
        p.kill();
        p.waitForFinished();
    }
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(finished,
             qPrintable(QStringLiteral("still running %1 ms after SIGTERM").arg(timer.elapsed())));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(err.contains("signal received, stopping"), err.right(2000).constData());
    QVERIFY2(err.contains("peak resident memory"), "the engine was stopped, not killed");
    QVERIFY2(!err.contains("deferred"), err.right(2000).constData()); // nothing recorded
    QCOMPARE(m_sink.messages().size(), 0);
    QCOMPARE(ldap.connections(), 1);
}

QTEST_GUILESS_MAIN(TestHeadlessDirectory)
#include "tst_headless_directory.moc"
