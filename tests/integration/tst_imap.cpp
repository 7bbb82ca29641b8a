// The engine end to end against a real Dovecot over IMAP and IMAP-SSL, delivering to a real
// SMTP server: retention, \Seen set by another client, a UIDVALIDITY change, IDLE, and a
// 1,000-message pipelined run.
#include "EngineRun.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Store.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

class TestImap : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void thousandMessagesPipelinedByteExact();
    void imapsWithTestCa();
    void retention_data();
    void retention();
    void seenByAnotherClientIsStillCollected();
    void uidValidityChangeDeliversNothingTwice();
    void idleDeliversWithinSeconds();

private:
    Config makeConfig(const QString &user, ServerType type = ServerType::Imap);
    QString newUser();
    QString rcpt(const QString &user) const { return user + QStringLiteral("@office.example.com"); }
    QHash<int, QByteArray> sinkBySeq(const QString &recipient);

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestImap::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    QVERIFY(m_dir.isValid());
}

void TestImap::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

QString TestImap::newUser()
{
    const QString user = QStringLiteral("imapuser%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-secret").arg(m_users);
    m_dovecot.addUser(user, password);
    m_secrets.set(QStringLiteral("account/") + user, password);
    return user;
}

Config TestImap::makeConfig(const QString &user, ServerType type)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = type;
    a.host = QStringLiteral("127.0.0.1");
    a.port = type == ServerType::ImapSsl ? m_dovecot.imapsPort() : m_dovecot.imapPort();
    a.username = user;
    a.allowPlaintextLogin = type == ServerType::Imap; // plain IMAP on loopback
    a.timeoutSecs = 30;
    a.recipient = rcpt(user);
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.smtp.timeoutSecs = 30;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(user);
    c.caFile = TestCa::instance().caCertPath();
    c.maxPerPass = 5000;
    return c;
}

QHash<int, QByteArray> TestImap::sinkBySeq(const QString &recipient)
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
        out.insert(out.contains(seq) ? -seq : seq, m.data); // a duplicate shows as -seq
    }
    return out;
}

void TestImap::thousandMessagesPipelinedByteExact()
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
    QTemporaryDir transcripts;
    qputenv("POLLUX_TRANSCRIPT_DIR", transcripts.path().toUtf8());
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    qunsetenv("POLLUX_TRANSCRIPT_DIR");
    QVERIFY(ok);
    const QHash<int, QByteArray> got = sinkBySeq(rcpt(user));
    QCOMPARE(got.size(), 1000);
    for (int i = 1; i <= 1000; ++i) {
        QVERIFY2(got.contains(i), qPrintable(QStringLiteral("message %1 missing").arg(i)));
        QVERIFY2(withoutTrace(got.value(i)) == originals.value(i),
                 qPrintable(QStringLiteral("message %1 differs").arg(i)));
    }
    QCOMPARE(m_dovecot.messageCount(user), 0);

    // Several UID FETCH commands were in flight before the first answer came back.
    QFile log(transcripts.filePath(QStringLiteral("imap-%1.log").arg(user)));
    QVERIFY2(log.open(QIODevice::ReadOnly), qPrintable(log.fileName()));
    const QList<QByteArray> lines = log.readAll().split('\n');
    int fetchesBeforeReply = 0;
    for (const QByteArray &l : lines) {
        if (l.contains("BODY.PEEK[]"))
            ++fetchesBeforeReply;
        else if (fetchesBeforeReply > 0 && l.contains(" S: "))
            break;
    }
    QVERIFY2(fetchesBeforeReply > 1, qPrintable(QString::number(fetchesBeforeReply)));
    QVERIFY(!lines.join('\n').contains("-secret")); // never the password

    Store store(Engine::databasePath(makeConfig(user)), Clock::system());
    QVERIFY(store.open().ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(user, records).ok());
    QCOMPARE(records.size(), 1000);
    for (const MessageRecord &r : std::as_const(records)) {
        QCOMPARE(r.state, DeliveryState::Delivered);
        QVERIFY(r.removedAt.isValid());
        QVERIFY(r.uid.contains(QLatin1Char(':'))); // "<uidvalidity>:<uid>"
    }
}

void TestImap::imapsWithTestCa()
{
    const QString user = newUser();
    for (int i = 1; i <= 5; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 3000)));
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user, ServerType::ImapSsl), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(sinkBySeq(rcpt(user)).size(), 5);
    QCOMPARE(m_dovecot.messageCount(user), 0);
}

void TestImap::retention_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("type");
    QTest::newRow("delete-imap") << int(Retention::Delete) << int(ServerType::Imap);
    QTest::newRow("keep-imap") << int(Retention::Keep) << int(ServerType::Imap);
    QTest::newRow("keep-3-days-imap") << int(Retention::KeepDays) << int(ServerType::Imap);
    QTest::newRow("delete-imaps") << int(Retention::Delete) << int(ServerType::ImapSsl);
    QTest::newRow("keep-imaps") << int(Retention::Keep) << int(ServerType::ImapSsl);
    QTest::newRow("keep-3-days-imaps") << int(Retention::KeepDays) << int(ServerType::ImapSsl);
}

void TestImap::retention()
{
    QFETCH(int, mode);
    QFETCH(int, type);
    const Retention retention = Retention(mode);
    const QString user = newUser();
    for (int i = 1; i <= 4; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 2000)));
    Config config = makeConfig(user, ServerType(type));
    config.accounts[0].retention = retention;
    config.accounts[0].keepDays = 3;
    ManualClock clock;
    Engine engine(&m_secrets, &clock);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(sinkBySeq(rcpt(user)).size(), 4);
    QCOMPARE(m_dovecot.messageCount(user), retention == Retention::Delete ? 0 : 4);

    clock.advance(2 * 86400); // two days later: nothing twice, kept copies stay
    QVERIFY(m_dovecot.deliver(user, makeMessage(5, 2000)));
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(sinkBySeq(rcpt(user)).size(), 5);
    QCOMPARE(m_dovecot.messageCount(user), retention == Retention::Delete ? 0 : 5);

    clock.advance(86400); // three days after the first: "n days" copies of then go
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(sinkBySeq(rcpt(user)).size(), 5);
    const int left = retention == Retention::Keep ? 5 : retention == Retention::KeepDays ? 1 : 0;
    QCOMPARE(m_dovecot.messageCount(user), left);
}

void TestImap::seenByAnotherClientIsStillCollected()
{
    const QString user = newUser();
    for (int i = 1; i <= 4; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 1500)));
    // Another client read messages 1 and 3: they live in cur/ with the S flag.
    QDir maildir(m_dovecot.maildir(user));
    QStringList files =
        QDir(maildir.filePath(QStringLiteral("new"))).entryList(QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 4);
    for (int i : {0, 2})
        QVERIFY(QFile::rename(
            maildir.filePath(QStringLiteral("new/") + files.at(i)),
            maildir.filePath(QStringLiteral("cur/") + files.at(i) + QStringLiteral(":2,S"))));
    Config config = makeConfig(user);
    config.accounts[0].retention = Retention::Keep;
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    const QHash<int, QByteArray> got = sinkBySeq(rcpt(user));
    QCOMPARE(got.size(), 4);
    // We only peeked: messages 2 and 4 are still unread for the user.
    const QStringList cur = QDir(maildir.filePath(QStringLiteral("cur"))).entryList(QDir::Files);
    int seen = 0;
    for (const QString &f : cur)
        seen += f.section(QStringLiteral(":2,"), 1).contains(QLatin1Char('S')) ? 1 : 0;
    QCOMPARE(seen, 2);
}

void TestImap::uidValidityChangeDeliversNothingTwice()
{
    const QString user = newUser();
    for (int i = 1; i <= 3; ++i)
        QVERIFY(m_dovecot.deliver(user, makeMessage(i, 1500)));
    Config config = makeConfig(user);
    config.accounts[0].retention = Retention::Keep;
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(sinkBySeq(rcpt(user)).size(), 3);

    // The server renumbers the mailbox: a new UIDVALIDITY in dovecot-uidlist (rewritten in
    // place, keeping its owner), and the indexes that remember the old one are gone.
    QDir maildir(m_dovecot.maildir(user));
    QFile uidlist(maildir.filePath(QStringLiteral("dovecot-uidlist")));
    QVERIFY(uidlist.open(QIODevice::ReadWrite));
    QByteArray content = uidlist.readAll();
    const qsizetype v = content.indexOf(" V");
    QVERIFY(v > 0);
    const qsizetype vEnd = content.indexOf(' ', v + 2);
    const qint64 oldValidity = content.mid(v + 2, vEnd - v - 2).toLongLong();
    content.replace(v + 2, vEnd - v - 2, QByteArray::number(oldValidity + 1000));
    QVERIFY(uidlist.resize(0));
    QVERIFY(uidlist.seek(0));
    QCOMPARE(uidlist.write(content), content.size());
    uidlist.close();
    for (const QString &f : maildir.entryList({QStringLiteral("dovecot.index*")}, QDir::Files))
        QVERIFY(maildir.remove(f));
    QVERIFY(m_dovecot.deliver(user, makeMessage(4, 1500))); // arrives meanwhile

    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    const QHash<int, QByteArray> got = sinkBySeq(rcpt(user));
    QCOMPARE(got.size(), 4); // a duplicate would show up as a negative key
    for (int i = 1; i <= 4; ++i)
        QVERIFY(got.contains(i));

    // Every message is known under the new UIDVALIDITY.
    Store store(Engine::databasePath(config), Clock::system());
    QVERIFY(store.open().ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(user, records).ok());
    QCOMPARE(records.size(), 4);
    const QString prefix = QString::number(oldValidity + 1000) + QLatin1Char(':');
    for (const MessageRecord &r : std::as_const(records))
        QVERIFY2(r.uid.startsWith(prefix) && r.removedAt.isNull(), qPrintable(r.uid));
}

void TestImap::idleDeliversWithinSeconds()
{
    const QString user = newUser();
    Config config = makeConfig(user);
    config.pollIntervalSecs = 3600; // far away: only IDLE can be this quick
    config.accounts[0].idle = true;
    Engine engine(&m_secrets, nullptr);
    QSignalSpy passes(&engine, &Engine::passFinished);
    QVERIFY(engine.start(config).ok());
    // The scheduled first pass, and the one the watcher asks for when IDLE begins (mail
    // that came before IDLE raised no notification). The next poll is an hour away...
    QTRY_COMPARE_WITH_TIMEOUT(passes.size(), 2, 30000);
    // ...but a new message arrives within seconds: only IDLE's EXISTS can start that pass.
    QElapsedTimer timer;
    timer.start();
    QVERIFY(m_dovecot.deliver(user, makeMessage(1, 1500)));
    QTRY_VERIFY_WITH_TIMEOUT(sinkBySeq(rcpt(user)).contains(1), 10000);
    qInfo("delivered %lld ms after it reached the Maildir", timer.elapsed());
    QTRY_COMPARE_WITH_TIMEOUT(passes.size(), 3, 10000);
    engine.stop();
}

QTEST_GUILESS_MAIN(TestImap)
#include "tst_imap.moc"
