// A directory that hangs (issue 12, item 7), end to end through the Engine with a real
// OpenLDAP slapd behind a fault proxy and a real SMTP server:
//  - catch-all mail waits (deferred, not lost, not quarantined) and costs one connection
//    for everything queued, while single-user mail queued behind it is delivered;
//  - once the directory answers again the breaker closes and the waiting mail is delivered,
//    each message once;
//  - Engine::stop() while a lookup hangs returns promptly and records nothing: the message
//    is routed at the next start.
#include "EngineRun.h"
#include "LogCapture.h"
#include "TestDoubles.h"
#include "support/FaultProxy.h"
#include "support/LdapServer.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Spool.h"
#include "store/Store.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

const QString CatchAll = QStringLiteral("catchall");
const QString Single = QStringLiteral("single");

QByteArray catchAllMessage(const QString &tag, const QStringList &to)
{
    return QStringLiteral("Return-Path: <x@vendor.example>\r\nTo: %1\r\nSubject: %2\r\n"
                          "Message-ID: <%2@vendor.example>\r\n\r\nbody of %2\r\n")
        .arg(to.join(QStringLiteral(", ")), tag)
        .toUtf8();
}

// A port nobody listens on: the pollers' passes fail at once (they are not the subject).
quint16 closedPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 1;
    return s.serverPort();
}

int countFor(const QSignalSpy &spy, const QString &uid)
{
    int n = 0;
    for (const QList<QVariant> &args : spy)
        n += args.at(1).toString() == uid;
    return n;
}

} // namespace

class TestDirectoryHang : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void catchAllWaitsSingleUserFlows();
    void stopIsPromptWhileALookupHangs();

private:
    Config makeConfig(quint16 directoryPort, quint16 smtpPort, int timeoutSecs);
    bool seed(const Config &config, const QString &account, const QString &uid,
              const QByteArray &content);
    MessageRecord record(const Config &config, const QString &account, const QString &uid);

    LdapServer m_ldap;
    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;
    MemorySecretStore m_secrets;
};

void TestDirectoryHang::initTestCase()
{
    qRegisterMetaType<pollux::Result>();
    QString error;
    QVERIFY2(m_ldap.start(&error), qPrintable(error));
}

void TestDirectoryHang::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

Config TestDirectoryHang::makeConfig(quint16 directoryPort, quint16 smtpPort, int timeoutSecs)
{
    Config c;
    const quint16 pop3 = closedPort();
    AccountConfig catchAll;
    catchAll.name = CatchAll;
    catchAll.host = QStringLiteral("127.0.0.1");
    catchAll.port = pop3;
    catchAll.username = CatchAll;
    catchAll.allowPlaintextLogin = true;
    catchAll.mailbox = MailboxType::CatchAllReroute;
    AccountConfig single = catchAll;
    single.name = Single;
    single.username = Single;
    single.mailbox = MailboxType::SingleUser;
    single.recipient = QStringLiteral("desk@office.example");
    c.accounts = {catchAll, single};
    c.acceptedDomains = {QStringLiteral("office.example")};
    c.postmaster = QStringLiteral("postmaster@office.example");
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = smtpPort;
    c.smtp.timeoutSecs = 10;
    c.smtp.retryIntervalSecs = 60;
    c.directory.type = DirectoryType::Ldap;
    c.directory.ldapUrl = QStringLiteral("ldap://127.0.0.1:%1").arg(directoryPort);
    c.directory.baseDn = LdapServer::baseDn(); // anonymous reads are allowed
    c.directory.timeoutSecs = timeoutSecs;
    c.dataDir = m_dir->path();
    return c;
}

bool TestDirectoryHang::seed(const Config &config, const QString &account, const QString &uid,
                             const QByteArray &content)
{
    Store store(Engine::databasePath(config), &m_clock);
    Spool spool(Engine::spoolDirectory(config));
    if (!store.open().ok() || !spool.init().ok())
        return false;
    Result error;
    std::unique_ptr<Spool::Writer> writer = spool.create(account, error);
    if (!writer || !writer->write(content.constData(), content.size()).ok() ||
        !writer->finish().ok() || !spool.makeDurable({writer->relativePath()}).ok())
        return false;
    SpooledMessage m;
    m.uid = uid;
    m.size = writer->size();
    m.spoolPath = writer->relativePath();
    m_clock.advance(1); // oldest first: the order of seeding
    return store.recordSpooled(account, {m}).ok();
}

MessageRecord TestDirectoryHang::record(const Config &config, const QString &account,
                                        const QString &uid)
{
    Store store(Engine::databasePath(config), &m_clock);
    QList<MessageRecord> all;
    if (!store.open().ok() || !store.messages(account, all).ok())
        return {};
    for (const MessageRecord &m : std::as_const(all)) {
        if (m.uid == uid)
            return m;
    }
    return {};
}

// The directory hangs: the first catch-all message spends one budget on one connection and
// waits; the breaker answers for the second one without a connection; the single-user
// message between them is delivered. The directory answers again: both are delivered once.
void TestDirectoryHang::catchAllWaitsSingleUserFlows()
{
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    FaultProxy proxy(m_ldap.port());
    QVERIFY(proxy.listen());
    FaultProxy::Fault stall;
    stall.action = FaultProxy::Action::Stall;
    stall.afterBytes = 0;
    stall.connection = 0; // every connection
    proxy.setFault(stall);
    const Config config = makeConfig(proxy.port(), sink.port(), 2);
    const QStringList six = {
        QStringLiteral("alice@office.example"),  QStringLiteral("bob@office.example"),
        QStringLiteral("robert@office.example"), QStringLiteral("carol@office.example"),
        QStringLiteral("dave@office.example"),   QStringLiteral("erin@office.example")};
    QVERIFY(
        seed(config, CatchAll, QStringLiteral("c1"), catchAllMessage(QStringLiteral("c1"), six)));
    QVERIFY(seed(config, Single, QStringLiteral("s1"), "Subject: s1\r\n\r\nfor the desk\r\n"));
    QVERIFY(seed(config, CatchAll, QStringLiteral("c2"),
                 catchAllMessage(QStringLiteral("c2"), {QStringLiteral("alice@office.example")})));

    LogCapture log;
    Engine engine(&m_secrets, &m_clock);
    QSignalSpy delivered(&engine, &Engine::delivered);
    QSignalSpy deferred(&engine, &Engine::deferred);
    QSignalSpy quarantined(&engine, &Engine::quarantined);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(countFor(deferred, QStringLiteral("c2")) == 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(countFor(delivered, QStringLiteral("s1")), 1, 60000);
    QVERIFY(sink.waitForMessages(1, 30000));
    QCOMPARE(sink.messages().first().recipients,
             QStringList{QStringLiteral("desk@office.example")});
    QCOMPARE(countFor(deferred, QStringLiteral("c1")), 1);
    QCOMPARE(proxy.connections(), 1); // one budget for six recipients; none for c2
    QCOMPARE(quarantined.size(), 0);
    QCOMPARE(log.count({QStringLiteral("circuit open")}), 1);

    // The directory answers again; the waiting messages are due.
    proxy.clearFault();
    m_clock.advance(3600);
    bool ok = false;
    QVERIFY(runOnce(engine, ok, 120000));
    QTRY_COMPARE_WITH_TIMEOUT(countFor(delivered, QStringLiteral("c2")), 1, 60000);
    QCOMPARE(countFor(delivered, QStringLiteral("c1")), 1);
    QCOMPARE(countFor(deferred, QStringLiteral("c1")), 1); // routed once per cycle, never twice
    QCOMPARE(quarantined.size(), 0);
    QCOMPARE(log.count({QStringLiteral("circuit closed")}), 1);
    engine.stop();

    int toAlice = 0;
    for (const ReceivedMessage &m : sink.messages())
        toAlice += m.recipients.contains(QStringLiteral("alice@office.example"));
    QCOMPARE(toAlice, 2); // c1 and c2, each once
    QCOMPARE(record(config, CatchAll, QStringLiteral("c1")).state, DeliveryState::Delivered);
    QCOMPARE(record(config, CatchAll, QStringLiteral("c2")).state, DeliveryState::Delivered);
}

// A budget of two minutes, a directory that never answers: Engine::stop() returns within
// seconds (a generous correctness bound), the message is left unrouted and untouched, and
// the next start routes and delivers it.
void TestDirectoryHang::stopIsPromptWhileALookupHangs()
{
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    FaultProxy proxy(m_ldap.port());
    QVERIFY(proxy.listen());
    FaultProxy::Fault stall;
    stall.action = FaultProxy::Action::Stall;
    stall.afterBytes = 0;
    stall.connection = 0;
    proxy.setFault(stall);
    const Config config = makeConfig(proxy.port(), sink.port(), 120);
    QVERIFY(seed(config, CatchAll, QStringLiteral("c1"),
                 catchAllMessage(QStringLiteral("c1"), {QStringLiteral("alice@office.example"),
                                                        QStringLiteral("bob@office.example")})));
    {
        Engine engine(&m_secrets, &m_clock);
        QSignalSpy deferred(&engine, &Engine::deferred);
        QVERIFY(engine.start(config, {false, 0}).ok());
        // Connected: the bind is sent and its answer awaited (a stop before it is no test).
        QTRY_VERIFY_WITH_TIMEOUT(proxy.connections() >= 1, 30000);
        QElapsedTimer timer;
        timer.start();
        engine.stop();
        QVERIFY2(timer.elapsed() < 10000,
                 qPrintable(QStringLiteral("stop took %1 ms").arg(timer.elapsed())));
        QCOMPARE(deferred.size(), 0);
    }
    const MessageRecord stopped = record(config, CatchAll, QStringLiteral("c1"));
    QCOMPARE(stopped.state, DeliveryState::Waiting);
    QCOMPARE(stopped.attempts, 0);
    QVERIFY(stopped.recipients.isEmpty());

    proxy.clearFault();
    Engine engine(&m_secrets, &m_clock);
    QSignalSpy delivered(&engine, &Engine::delivered);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 60000);
    engine.stop();
    QCOMPARE(record(config, CatchAll, QStringLiteral("c1")).state, DeliveryState::Delivered);
    QCOMPARE(sink.messages().size(), 1);
}

QTEST_GUILESS_MAIN(TestDirectoryHang)
#include "tst_directory_hang.moc"
