// The engine end to end against a real Dovecot (POP3, POP3-SSL) and a real SMTP server.
#include "EngineRun.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Store.h"

#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

class TestPop3Delivery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void thousandMixedMessagesArriveByteExact();
    void pop3sWithTestCa();
    void retention_data();
    void retention();
    void secondPassDeliversOnlyNewMail();
    void maxPerPassIsHonoured();
    void dovecotIsDrivenPipelined();
    void wrongPasswordKeepsMailOnServer();

private:
    Config makeConfig(const QString &user, ServerType type = ServerType::Pop3);
    QString newUser();
    QHash<int, QByteArray> sinkBySeq(const QString &recipient);

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestPop3Delivery::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    QVERIFY(m_dir.isValid());
}

void TestPop3Delivery::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

QString TestPop3Delivery::newUser()
{
    const QString user = QStringLiteral("user%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-secret").arg(m_users);
    m_dovecot.addUser(user, password);
    m_secrets.set(QStringLiteral("account/") + user, password);
    return user;
}

Config TestPop3Delivery::makeConfig(const QString &user, ServerType type)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = type;
    a.host = QStringLiteral("127.0.0.1");
    a.port = type == ServerType::Pop3Ssl ? m_dovecot.pop3sPort() : m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true; // USER/PASS over plain POP3: the documented default type
    a.timeoutSecs = 30;
    a.mailbox = MailboxType::SingleUser;
    a.recipient = user + QStringLiteral("@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.smtp.timeoutSecs = 30;
    c.smtp.retryIntervalSecs = 60;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(user);
    c.caFile = TestCa::instance().caCertPath();
    c.maxPerPass = 5000;
    return c;
}

QHash<int, QByteArray> TestPop3Delivery::sinkBySeq(const QString &recipient)
{
    QHash<int, QByteArray> out;
    const QList<ReceivedMessage> all = m_sink->messages();
    for (const ReceivedMessage &m : all) {
        if (!m.recipients.contains(recipient))
            continue;
        const qsizetype at = m.data.indexOf("X-Pollux-Seq: ");
        if (at < 0)
            continue;
        const int seq = m.data.mid(at + 14, m.data.indexOf('\r', at) - at - 14).toInt();
        if (out.contains(seq))
            out.insert(-seq, m.data); // a duplicate: make it visible to the test
        else
            out.insert(seq, m.data);
    }
    return out;
}

void TestPop3Delivery::thousandMixedMessagesArriveByteExact()
{
    const QString user = newUser();
    QHash<int, QByteArray> originals;
    for (int i = 1; i <= 1000; ++i) {
        const qint64 size = i % 100 == 0  ? 1024 * 1024
                            : i % 10 == 0 ? 120 * 1024
                                          : 500 + (i * 37) % 20000;
        originals.insert(i, makeMessage(i, size));
        QVERIFY(m_dovecot.deliver(user, originals.value(i)));
    }
    Engine engine(&m_secrets, nullptr);
    // Delivery starts as soon as the first batch is durable, not after the whole pass.
    int deliveredDuringPass = 0;
    bool passOver = false;
    connect(&engine, &Engine::delivered, this, [&] {
        if (!passOver)
            ++deliveredDuringPass;
    });
    connect(&engine, &Engine::passFinished, this, [&] { passOver = true; });
    QVERIFY(engine.start(makeConfig(user), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    qInfo("%d of 1000 messages were delivered while the pass was still running",
          deliveredDuringPass);
    QVERIFY(deliveredDuringPass > 0);
    const QString rcpt = user + QStringLiteral("@office.example.com");
    const QHash<int, QByteArray> got = sinkBySeq(rcpt);
    QCOMPARE(got.size(), 1000);
    for (int i = 1; i <= 1000; ++i) {
        QVERIFY2(got.contains(i), qPrintable(QStringLiteral("message %1 missing").arg(i)));
        QVERIFY2(got.value(i).startsWith("Received: by "), "our trace header comes first");
        QVERIFY2(withoutTrace(got.value(i)) == originals.value(i),
                 qPrintable(QStringLiteral("message %1 differs").arg(i)));
    }
    QCOMPARE(m_dovecot.messageCount(user), 0); // delete after download is the default

    // The store knows every message as delivered.
    Store store(Engine::databasePath(makeConfig(user)), Clock::system());
    QVERIFY(store.open().ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(user, records).ok());
    QCOMPARE(records.size(), 1000);
    for (const MessageRecord &r : std::as_const(records)) {
        QCOMPARE(r.state, DeliveryState::Delivered);
        QVERIFY(r.removedAt.isValid());
        QVERIFY(r.lastReply.startsWith(QLatin1String("250")));
    }
}

void TestPop3Delivery::pop3sWithTestCa()
{
    const QString user = newUser();
    for (int i = 1; i <= 5; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 3000)));
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user, ServerType::Pop3Ssl), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(sinkBySeq(user + QStringLiteral("@office.example.com")).size(), 5);
    QCOMPARE(m_dovecot.messageCount(user), 0);
}

void TestPop3Delivery::retention_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("delete") << int(Retention::Delete);
    QTest::newRow("keep") << int(Retention::Keep);
    QTest::newRow("keep-3-days") << int(Retention::KeepDays);
}

void TestPop3Delivery::retention()
{
    QFETCH(int, mode);
    const Retention retention = Retention(mode);
    const QString user = newUser();
    for (int i = 1; i <= 4; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 2000)));
    Config config = makeConfig(user);
    config.accounts[0].retention = retention;
    config.accounts[0].keepDays = 3;
    ManualClock clock;
    Engine engine(&m_secrets, &clock);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    const QString rcpt = user + QStringLiteral("@office.example.com");
    QCOMPARE(sinkBySeq(rcpt).size(), 4);
    QCOMPARE(m_dovecot.messageCount(user), retention == Retention::Delete ? 0 : 4);

    // Two days later: nothing is delivered twice; kept copies stay.
    clock.advance(2 * 86400);
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(sinkBySeq(rcpt).size(), 4);
    QCOMPARE(m_dovecot.messageCount(user), retention == Retention::Delete ? 0 : 4);

    // Three days after the first download: "for n days" copies go, "indefinitely" stays.
    clock.advance(86400);
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(sinkBySeq(rcpt).size(), 4);
    QCOMPARE(m_dovecot.messageCount(user), retention == Retention::Keep ? 4 : 0);
}

void TestPop3Delivery::secondPassDeliversOnlyNewMail()
{
    const QString user = newUser();
    for (int i = 1; i <= 3; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 1500)));
    Config config = makeConfig(user);
    config.accounts[0].retention = Retention::Keep;
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QVERIFY(runOnce(engine));
    for (int i = 4; i <= 6; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 1500)));
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    const QHash<int, QByteArray> got = sinkBySeq(user + QStringLiteral("@office.example.com"));
    QCOMPARE(got.size(), 6); // a duplicate would show up as a seventh (negative) key
    for (int i = 1; i <= 6; ++i)
        QVERIFY(got.contains(i));
    QCOMPARE(m_dovecot.messageCount(user), 6);
}

void TestPop3Delivery::maxPerPassIsHonoured()
{
    const QString user = newUser();
    for (int i = 1; i <= 25; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 1000)));
    Config config = makeConfig(user);
    config.maxPerPass = 10;
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    const QString rcpt = user + QStringLiteral("@office.example.com");
    const int expected[] = {10, 20, 25};
    for (int pass = 0; pass < 3; ++pass) {
        bool ok = false;
        QVERIFY(runOnce(engine, &ok));
        QVERIFY(ok);
        QCOMPARE(sinkBySeq(rcpt).size(), expected[pass]);
        QCOMPARE(m_dovecot.messageCount(user), 25 - expected[pass]);
    }
    // The oldest go first: the first pass took messages 1-10.
    const QHash<int, QByteArray> got = sinkBySeq(rcpt);
    for (int i = 1; i <= 25; ++i)
        QVERIFY(got.contains(i));
}

void TestPop3Delivery::dovecotIsDrivenPipelined()
{
    const QString user = newUser();
    for (int i = 1; i <= 20; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 800)));
    QTemporaryDir transcripts;
    qputenv("POLLUX_TRANSCRIPT_DIR", transcripts.path().toUtf8());
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    qunsetenv("POLLUX_TRANSCRIPT_DIR");
    QVERIFY(ok);
    QFile log(transcripts.filePath(QStringLiteral("pop3-%1.log").arg(user)));
    QVERIFY2(log.open(QIODevice::ReadOnly), qPrintable(log.fileName()));
    const QList<QByteArray> lines = log.readAll().split('\n');
    // Count the RETR commands written before the first reply to a RETR came back.
    int retrBeforeFirstReply = 0;
    bool sawRetr = false;
    for (const QByteArray &l : lines) {
        if (l.contains(" C: RETR ")) {
            sawRetr = true;
            ++retrBeforeFirstReply;
        } else if (sawRetr && l.contains(" S: ")) {
            break;
        }
    }
    QVERIFY2(retrBeforeFirstReply > 1,
             qPrintable(QStringLiteral("%1 RETR in flight").arg(retrBeforeFirstReply)));
    // The transcript never shows the password.
    QVERIFY(!lines.join('\n').contains("-secret"));
    QCOMPARE(sinkBySeq(user + QStringLiteral("@office.example.com")).size(), 20);
}

void TestPop3Delivery::wrongPasswordKeepsMailOnServer()
{
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(user, makeMessage(1, 1000)));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("wrong"));
    Engine engine(&m_secrets, nullptr);
    QSignalSpy passes(&engine, &Engine::passFinished);
    QVERIFY(engine.start(makeConfig(user), {false, 0}).ok());
    bool ok = true;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(!ok);
    QCOMPARE(passes.size(), 1);
    QCOMPARE(passes.first().at(1).value<Result>().code(), ErrorCode::AuthFailed);
    QCOMPARE(m_dovecot.messageCount(user), 1);
    QCOMPARE(sinkBySeq(user + QStringLiteral("@office.example.com")).size(), 0);
}

QTEST_GUILESS_MAIN(TestPop3Delivery)
#include "tst_pop3_delivery.moc"
