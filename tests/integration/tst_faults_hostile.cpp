// Hostile servers over a real socket, through the whole engine: endless lines, endless
// multi-line responses, a huge IMAP literal announcement, an endless SMTP reply. Each
// time: bounded memory (the test process's resident set, the engine included, while the
// server pours out far more than that), a clear error, no crash, nothing collected.
// The parsers themselves are covered line by line in tests/unit/{pop3,imap,smtp}
// (LineTooLong, NUL bytes, huge literals, bare CR/LF) and fuzzed in tests/fuzz.
#include "LogCapture.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "engine/SpoolSink.h"
#include "store/Spool.h"
#include "store/Store.h"
#include "ui/ErrorText.h"
#include "ui/TrayIcon.h"

#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace pollux;
using namespace pollux::test;

namespace {

// Under AddressSanitizer freed memory sits in its quarantine (256 MB), so the resident set
// says nothing about what the code keeps: the memory bound is checked in normal builds.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kMaxGrowthKib = 1024 * 1024;
constexpr qint64 kFloodBytes = 64LL * 1024 * 1024; // ASan is slow: a smaller flood
#else
constexpr long kMaxGrowthKib = 96 * 1024;
constexpr qint64 kFloodBytes = 256LL * 1024 * 1024;
#endif

long residentKib()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    return -1;
}

// Answers commands from a small table; when the client sends the trigger command, pours
// out `flood` (its first part once, then the generator's chunks) until `limit` bytes went
// out or the client hung up.
class HostileServer : public QObject
{
public:
    QByteArray greeting;
    std::function<QByteArray(const QByteArray &command)> answer;
    QByteArray trigger;                    // command prefix that starts the flood ("" = greeting)
    QByteArray floodStart;                 // sent once before the generated chunks
    std::function<QByteArray(qint64)> gen; // chunk n of the flood
    qint64 limit = 0;
    qint64 sent = 0;
    bool clientHungUp = false;
    long peakKib = 0;

    HostileServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *s = m_server.nextPendingConnection();
            s->setParent(this);
            connect(s, &QTcpSocket::disconnected, this, [this] { clientHungUp = true; });
            connect(s, &QTcpSocket::bytesWritten, this, [this, s] { pump(s); });
            connect(s, &QTcpSocket::readyRead, this, [this, s] {
                while (s->canReadLine()) {
                    const QByteArray line = s->readLine().trimmed();
                    if (m_flooding)
                        continue;
                    if (!trigger.isEmpty() && line.toUpper().contains(trigger)) {
                        startFlood(s, line);
                        continue;
                    }
                    s->write(answer(line));
                }
            });
            s->write(greeting);
            if (trigger.isEmpty())
                startFlood(s, {});
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    void startFlood(QTcpSocket *s, const QByteArray &command)
    {
        m_flooding = true;
        QByteArray start = floodStart;
        // IMAP: the tag of the command starts the tagged reply the flood pretends to be.
        start.replace("$TAG", command.split(' ').value(0));
        s->write(start);
        pump(s);
    }
    void pump(QTcpSocket *s)
    {
        if (!m_flooding)
            return;
        peakKib = qMax(peakKib, residentKib());
        while (sent < limit && s->bytesToWrite() < 4 * 1024 * 1024 &&
               s->state() == QAbstractSocket::ConnectedState) {
            const QByteArray chunk = gen(m_chunk++);
            sent += chunk.size();
            s->write(chunk);
        }
        if (sent >= limit && s->bytesToWrite() == 0)
            s->disconnectFromHost();
    }

    QTcpServer m_server;
    bool m_flooding = false;
    qint64 m_chunk = 0;
};

QByteArray repeatLine(const QByteArray &line, qsizetype bytes)
{
    QByteArray out;
    out.reserve(bytes + line.size());
    while (out.size() < bytes)
        out += line;
    return out;
}
} // namespace

class TestFaultsHostile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void mailboxServer_data();
    void mailboxServer();
    void endlessSmtpReply();

private:
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_runs = 0;
};

void TestFaultsHostile::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
}

void TestFaultsHostile::mailboxServer_data()
{
    QTest::addColumn<bool>("imap");
    QTest::addColumn<QByteArray>("trigger");
    QTest::addColumn<QByteArray>("floodStart");
    QTest::addColumn<QByteArray>("floodLine"); // repeated ("#" is replaced by a number)
    const qsizetype mb = 1024 * 1024;
    Q_UNUSED(mb)
    QTest::newRow("pop3-endless-greeting-line")
        << false << QByteArray() << QByteArray("+OK ") << QByteArray("xxxxxxxxxxxxxxxx");
    QTest::newRow("pop3-endless-capa")
        << false << QByteArray("CAPA") << QByteArray("+OK\r\n") << QByteArray("X-CAP-#\r\n");
    QTest::newRow("pop3-endless-uidl")
        << false << QByteArray("UIDL") << QByteArray("+OK\r\n") << QByteArray("# uid-#\r\n");
    QTest::newRow("pop3-endless-error-text")
        << false << QByteArray("UIDL") << QByteArray("-ERR ") << QByteArray("no no no no ");
    QTest::newRow("imap-endless-greeting-line")
        << true << QByteArray() << QByteArray("* OK ") << QByteArray("xxxxxxxxxxxxxxxx");
    QTest::newRow("imap-endless-untagged")
        << true << QByteArray("UID FETCH") << QByteArray() << QByteArray("* OK still here #\r\n");
    QTest::newRow("imap-endless-listing") << true << QByteArray("UID FETCH") << QByteArray()
                                          << QByteArray("* # FETCH (UID # RFC822.SIZE 100)\r\n");
    QTest::newRow("imap-huge-literal-announced")
        << true << QByteArray("UID FETCH")
        << QByteArray("* 1 FETCH (UID 1 RFC822.SIZE {99999999999}\r\n") << QByteArray("yyyyyyyy");
    QTest::newRow("imap-nul-and-invalid-utf8")
        << true << QByteArray("UID FETCH") << QByteArray()
        << QByteArray("* OK \xff\xfe\xc3\x28 \0 bad\r\n", 17);
}

void TestFaultsHostile::mailboxServer()
{
    QFETCH(bool, imap);
    QFETCH(QByteArray, trigger);
    QFETCH(QByteArray, floodStart);
    QFETCH(QByteArray, floodLine);

    HostileServer server;
    server.greeting = trigger.isEmpty() ? QByteArray()
                      : imap ? QByteArray("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hostile\r\n")
                             : QByteArray("+OK hostile\r\n");
    auto saslTag = std::make_shared<QByteArray>(); // AUTHENTICATE waiting for its response
    server.answer = [imap, saslTag](const QByteArray &line) -> QByteArray {
        const QList<QByteArray> words = line.split(' ');
        if (imap && !saslTag->isEmpty()) {
            const QByteArray tag = *saslTag;
            saslTag->clear();
            return tag + " OK logged in\r\n";
        }
        if (!imap) {
            const QByteArray verb = words.value(0).toUpper();
            if (verb == "CAPA")
                return "+OK\r\nUSER\r\nUIDL\r\nSASL PLAIN\r\n.\r\n";
            return "+OK\r\n";
        }
        const QByteArray tag = words.value(0);
        const QByteArray verb = words.value(1).toUpper();
        if (verb == "CAPABILITY")
            return "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + " OK done\r\n";
        if (verb == "SELECT" || verb == "EXAMINE")
            return "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] done\r\n";
        if (line.isEmpty() || tag.isEmpty())
            return {};
        if (verb == "AUTHENTICATE" && words.size() < 4) {
            *saslTag = tag;
            return "+ \r\n";
        }
        return tag + " OK done\r\n";
    };
    server.trigger = trigger;
    server.floodStart = floodStart;
    server.gen = [floodLine](qint64 n) {
        QByteArray chunk;
        chunk.reserve(256 * 1024);
        qint64 i = n * 100000;
        while (chunk.size() < 256 * 1024) {
            QByteArray line = floodLine;
            chunk += line.replace('#', QByteArray::number(++i));
        }
        return chunk;
    };
    server.limit = kFloodBytes; // far more than any bound we allow ourselves
    QVERIFY(server.port() != 0);

    const QString name = QStringLiteral("hostile%1").arg(++m_runs);
    m_secrets.set(QStringLiteral("account/") + name, QStringLiteral("pw"));
    Config c;
    AccountConfig a;
    a.name = name;
    a.type = imap ? ServerType::Imap : ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = server.port();
    a.username = QStringLiteral("victim");
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 10;
    a.recipient = QStringLiteral("staff@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = 9; // never reached: nothing is collected
    c.dataDir = m_dir.filePath(name);

    ui::TrayIcon tray; // before the baseline: its widgets are not the engine's memory
    LogCapture log;
    const long before = residentKib();
    Engine engine(&m_secrets, Clock::system());
    tray.watch(&engine);
    QSignalSpy passes(&engine, &Engine::passFinished);
    QVERIFY(engine.start(c, {false, 0}).ok());
    engine.pollNow();
    QVERIFY(passes.wait(120000));
    const Result result = passes.first().at(1).value<Result>();
    const long growth = qMax(server.peakKib, residentKib()) - before;
    engine.stop();
    qInfo("%s: %lld bytes sent, RSS growth %ld KiB, error: %s", QTest::currentDataTag(),
          server.sent, growth, qPrintable(result.message()));
    QVERIFY2(!result.ok(), "a hostile server's pass succeeded");
    QVERIFY(!result.message().isEmpty());
    // The tray names the account and what went wrong (a line too long, a protocol error, a
    // timeout); the English detail is the log's, not the tray's (issue 15), and bounded.
    QCOMPARE(tray.state(), ui::TrayIcon::State::Error);
    QCOMPARE(tray.failingAccounts(), QStringList{name});
    QVERIFY2(tray.details().contains(name + QStringLiteral(": ") + ui::ErrorText::sentence(result)),
             qPrintable(tray.details()));
    QVERIFY2(!tray.details().contains(result.message().left(40)), qPrintable(tray.details()));
    QVERIFY2(result.serverSaid().size() <= Result::MaxServerSaid + 1, qPrintable(result.serverSaid()));
    QVERIFY2(tray.details().size() < 4000, qPrintable(tray.details().left(300)));
    QVERIFY(!tray.officeServerFailing()); // nothing was collected, nothing to deliver
    // The log: the account, that its pass failed, and why.
    QVERIFY2(log.contains({QStringLiteral("pollux.pass: ") + name +
                               QStringLiteral(": pass failed: ") + errorCodeName(result.code()),
                           result.message()}),
             qPrintable(log.lines().join(QLatin1Char('\n'))));
    QVERIFY2(growth < kMaxGrowthKib, qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(growth)));
    // Pollux gave up long before the server's 256 MB ran out (no row relies on the server
    // hanging up: endless CAPA and untagged chatter are bounded too).
    QVERIFY2(server.sent < server.limit, "the client read everything the server sent");
    Store store(Engine::databasePath(c), Clock::system());
    QVERIFY(store.open().ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(name, records).ok());
    QCOMPARE(records.size(), 0);
}

void TestFaultsHostile::endlessSmtpReply()
{
    // A message waits in the spool; the office server answers EHLO with an endless
    // multi-line reply.
    HostileServer office;
    office.greeting = "220 hostile ESMTP\r\n";
    office.answer = [](const QByteArray &) { return QByteArray("250 ok\r\n"); };
    office.trigger = "EHLO";
    office.gen = [](qint64) { return repeatLine("250-FEATURE\r\n", 256 * 1024); };
    office.limit = kFloodBytes;

    Config c;
    AccountConfig a;
    a.name = QStringLiteral("smtp-hostile");
    a.enabled = false;
    a.host = QStringLiteral("127.0.0.1");
    a.recipient = QStringLiteral("staff@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = office.port();
    c.smtp.timeoutSecs = 10;
    c.dataDir = m_dir.filePath(QStringLiteral("smtp-hostile"));
    QVERIFY(QDir().mkpath(c.dataDir));
    {
        Spool spool(Engine::spoolDirectory(c));
        QVERIFY(spool.init().ok());
        Store store(Engine::databasePath(c), Clock::system());
        QVERIFY(store.open().ok());
        SpoolSink sink(spool, store, a.name, {a.recipient});
        const QByteArray m = makeMessage(1, 2000);
        const RemoteMessage rm{QStringLiteral("waiting-1"), m.size(), 1};
        QVERIFY(sink.begin(rm).ok());
        QVERIFY(sink.write(m.constData(), m.size()).ok());
        QVERIFY(sink.end(rm).ok());
        QVERIFY(sink.flush().ok());
    }

    ui::TrayIcon tray;
    LogCapture log;
    const long before = residentKib();
    Engine engine(&m_secrets, Clock::system());
    tray.watch(&engine);
    QSignalSpy notified(&tray, &ui::TrayIcon::notified);
    QSignalSpy errors(&engine, &Engine::deliveryError);
    QVERIFY(engine.start(c, {false, 0}).ok());
    QSignalSpy done(&engine, &Engine::onceFinished);
    engine.runOnce();
    QVERIFY(done.wait(120000));
    engine.stop();
    const long growth = qMax(office.peakKib, residentKib()) - before;
    qInfo("endless EHLO reply: %lld bytes sent, RSS growth %ld KiB", office.sent, growth);
    QVERIFY(office.sent > 0); // the flood did start
    QVERIFY2(growth < kMaxGrowthKib, qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(growth)));
    QVERIFY(office.sent < office.limit || office.clientHungUp);
    QVERIFY(!errors.isEmpty());
    qInfo("error: %s", qPrintable(errors.first().first().value<Result>().message()));
    // The tray shows the office server's problem (not an account's) and told once.
    const Result officeError = errors.last().first().value<Result>();
    QCOMPARE(tray.state(), ui::TrayIcon::State::Error);
    QVERIFY(tray.officeServerFailing());
    QVERIFY(tray.failingAccounts().isEmpty());
    QCOMPARE(tray.problems().size(), 1);
    QVERIFY2(tray.problems().first().contains(QLatin1String("office server")) &&
                 tray.problems().first().contains(ui::ErrorText::sentence(officeError)),
             qPrintable(tray.details()));
    int told = 0;
    for (const QList<QVariant> &n : std::as_const(notified))
        told += n.at(0).toString().contains(QLatin1String("office server")) ? 1 : 0;
    QCOMPARE(told, 1);
    QVERIFY2(log.contains({QStringLiteral("pollux.delivery: office server: ") +
                           errorCodeName(officeError.code())}),
             qPrintable(log.lines().join(QLatin1Char('\n'))));
    // The message still waits, safe in the spool.
    Store store(Engine::databasePath(c), Clock::system());
    QVERIFY(store.open().ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(QString(), records).ok());
    QCOMPARE(records.size(), 1);
    QVERIFY(records.first().state == DeliveryState::Waiting ||
            records.first().state == DeliveryState::Deferred);
}

QTEST_MAIN(TestFaultsHostile)
#include "tst_faults_hostile.moc"
