// What waits for the office server, per account: the store's count (messages spooled and
// not tried yet count as much as deferred ones) and the engine's signal that carries it.
#include "EngineTestSupport.h"

#include "engine/Engine.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

class TestWaitingCount : public QObject
{
    Q_OBJECT

private slots:
    void storeCountsUntriedAndDeferred();
    void engineReportsTheCountAtStartAndAfterADeferral();
};

namespace {
const QByteArray kMessage = "From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n";

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 1;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

qint64 idOf(DataDir &data, const QString &account, const QString &uid)
{
    return data.record(account, uid).id;
}
} // namespace

void TestWaitingCount::storeCountsUntriedAndDeferred()
{
    DataDir data;
    QVERIFY(data.open().ok());
    const QStringList to{QStringLiteral("desk@example.org")};
    const QString anna = QStringLiteral("anna");
    const QString bert = QStringLiteral("bert");
    QMap<QString, WaitingCount> counts;
    QVERIFY(data.store().waitingByAccount(counts).ok());
    QVERIFY(counts.isEmpty()); // an empty store waits for nothing

    for (const char *uid : {"a1", "a2", "a3"})
        QVERIFY(data.addMessage(anna, QLatin1String(uid), kMessage, to).ok());
    for (const char *uid : {"b1", "b2"})
        QVERIFY(data.addMessage(bert, QLatin1String(uid), kMessage, to).ok());
    QVERIFY(data.store().waitingByAccount(counts).ok());
    QCOMPARE(counts.value(anna).untried, 3); // never tried: counted all the same
    QCOMPARE(counts.value(anna).deferred, 0);
    QCOMPARE(counts.value(bert).total(), 2);

    QVERIFY(data.store()
                .markDeferred(idOf(data, anna, QStringLiteral("a1")), QStringLiteral("451 later"),
                              data.clock.now().addSecs(300))
                .ok());
    QVERIFY(data.store()
                .markDelivered(idOf(data, bert, QStringLiteral("b1")), QStringLiteral("250 ok"))
                .ok());
    QVERIFY(
        data.store()
            .markFailed(idOf(data, bert, QStringLiteral("b2")), QStringLiteral("550 no"), QString())
            .ok());
    QVERIFY(data.store().waitingByAccount(counts).ok());
    QCOMPARE(counts.value(anna).untried, 2);
    QCOMPARE(counts.value(anna).deferred, 1);
    QCOMPARE(counts.value(anna).total(), 3);
    QVERIFY(!counts.contains(bert)); // delivered and refused mail waits for nothing
}

void TestWaitingCount::engineReportsTheCountAtStartAndAfterADeferral()
{
    DataDir data;
    QVERIFY(data.open().ok());
    const QStringList to{QStringLiteral("desk@example.org")};
    for (const char *uid : {"a1", "a2", "a3"})
        QVERIFY(data.addMessage(QStringLiteral("anna"), QLatin1String(uid), kMessage, to).ok());
    QVERIFY(data.addMessage(QStringLiteral("gone"), QStringLiteral("g1"), kMessage, to).ok());

    Config c;
    AccountConfig a;
    a.name = QStringLiteral("anna");
    a.type = ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = closedPort();
    a.username = QStringLiteral("anna");
    a.allowPlaintextLogin = true;
    a.mailbox = MailboxType::SingleUser;
    a.recipient = QStringLiteral("desk@example.org");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = closedPort(); // the office server is down: nothing leaves the spool
    c.smtp.timeoutSecs = 10;
    c.postmaster = QStringLiteral("postmaster@example.org");
    c.dataDir = QFileInfo(data.databasePath()).path();

    Engine engine(&data.secrets, &data.clock);
    QSignalSpy counted(&engine, &Engine::waitingCounted);
    QSignalSpy deliveryError(&engine, &Engine::deliveryError);
    Engine::Options options;
    options.schedule = false; // no pass: only what the spool already holds
    const Result started = engine.start(c, options);
    QVERIFY2(started.ok(),
             qPrintable(errorCodeName(started.code()) + QLatin1Char(' ') + started.message()));
    QVERIFY(counted.wait(Deadline));
    auto counts = counted.last().first().value<QMap<QString, int>>();
    QCOMPARE(counts.value(QStringLiteral("anna")), 3);
    QCOMPARE(counts.value(QStringLiteral("gone")), 1); // an account no longer configured
    // The delivery attempt fails; the messages still wait, now deferred.
    QTRY_VERIFY_WITH_TIMEOUT(deliveryError.count() >= 1, Deadline);
    QTRY_VERIFY_WITH_TIMEOUT(counted.count() >= 2, Deadline);
    counts = counted.last().first().value<QMap<QString, int>>();
    QCOMPARE(counts.value(QStringLiteral("anna")), 3);
    engine.stop();
}

QTEST_GUILESS_MAIN(TestWaitingCount)
#include "tst_waitingcount.moc"
