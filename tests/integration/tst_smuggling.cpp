// SMTP smuggling: messages crafted with bare LF, bare CR, "<LF>.<CR><LF>", "\r\n.\n",
// ".\r" at a line start and the like go through the whole pipeline -- from Dovecot (POP3
// and IMAP), and straight from the spool (the bytes exactly as crafted) -- to a receiver
// that records the raw bytes on the wire. No bare CR or LF, and no end-of-data sequence
// but the real one, may ever reach the office server.
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/DeliveryWorker.h"
#include "engine/Engine.h"
#include "engine/SpoolSink.h"
#include "store/Spool.h"
#include "store/Store.h"

#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

// A minimal, strict SMTP receiver: the end of data is the first CRLF.CRLF, and everything
// after it is read as commands -- so a smuggled "MAIL FROM" would show up as a command.
class RawSmtpReceiver : public QObject
{
public:
    RawSmtpReceiver()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                s->setParent(this);
                s->write("220 recorder ESMTP\r\n");
                auto buffer = std::make_shared<QByteArray>();
                auto inData = std::make_shared<bool>(false);
                connect(s, &QTcpSocket::readyRead, this, [this, s, buffer, inData] {
                    const QByteArray chunk = s->readAll();
                    m_wire += chunk;
                    *buffer += chunk;
                    process(s, *buffer, *inData);
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    QList<QByteArray> commands() const { return m_commands; }
    QList<QByteArray> dataSections() const { return m_data; } // raw, terminator excluded
    QByteArray wire() const { return m_wire; }

private:
    void process(QTcpSocket *s, QByteArray &buf, bool &inData)
    {
        for (;;) {
            if (inData) {
                const qsizetype end = buf.indexOf("\r\n.\r\n");
                if (end < 0 && !buf.startsWith(".\r\n"))
                    return;
                const qsizetype cut = end < 0 ? 0 : end + 2;
                m_data << buf.left(cut);
                buf.remove(0, cut + 3);
                inData = false;
                s->write("250 2.0.0 queued\r\n");
                continue;
            }
            const qsizetype lf = buf.indexOf("\r\n");
            if (lf < 0)
                return;
            const QByteArray line = buf.left(lf);
            buf.remove(0, lf + 2);
            m_commands << line;
            const QByteArray verb = line.left(4).toUpper();
            if (verb == "EHLO")
                s->write("250-recorder\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 50000000\r\n");
            else if (verb == "DATA") {
                s->write("354 go ahead\r\n");
                inData = true;
            } else if (verb == "QUIT") {
                s->write("221 bye\r\n");
                s->disconnectFromHost();
                return;
            } else
                s->write("250 ok\r\n");
        }
    }

    QTcpServer m_server;
    QByteArray m_wire;
    QList<QByteArray> m_commands;
    QList<QByteArray> m_data;
};

// The crafted bodies: each tries to end the data early and smuggle a second message.
QList<QByteArray> craftedBodies()
{
    const QByteArray evil = "MAIL FROM:<evil@attacker.example>\r\nRCPT TO:<ceo@office.example."
                            "com>\r\nDATA\r\nSubject: smuggled\r\n\r\nowned\r\n.\r\n";
    return {
        "bare LF end\n.\n" + evil,               // <LF>.<LF>
        "LF dot CRLF\n.\r\n" + evil,             // <LF>.<CR><LF>
        "CRLF dot LF\r\n.\n" + evil,             // <CR><LF>.<LF>
        "bare CR end\r.\r" + evil,               // <CR>.<CR>
        "CR dot CRLF\r.\r\n" + evil,             // <CR>.<CR><LF>
        "dot CR at line start\r\n.\rx\r\n",      // ".\r" at a line start
        "CRLF dot CR CRLF\r\n.\r\r\n" + evil,    // <CR><LF>.<CR><CR><LF>
        "bare LF lines\nonly\nhere\n",           // Unix line ends throughout
        "a NUL \0 and a lone CR\rin a line\r\n", // embedded NUL, lone CR
        "ends without a line end",               // no final CRLF
    };
}

QByteArray craftedMessage(int seq, const QByteArray &body)
{
    return "From: a@example.org\r\nTo: b@example.com\r\nSubject: crafted " +
           QByteArray::number(seq) + "\r\nMessage-ID: <crafted" + QByteArray::number(seq) +
           "@example.org>\r\nX-Pollux-Seq: " + QByteArray::number(seq) + "\r\n\r\n" + body;
}

} // namespace

class TestSmuggling : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void nothingSmuggled_data();
    void nothingSmuggled();

private:
    DovecotServer m_dovecot;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
};

void TestSmuggling::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
}

void TestSmuggling::nothingSmuggled_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("from-pop3") << QStringLiteral("pop3");
    QTest::newRow("from-imap") << QStringLiteral("imap");
    QTest::newRow("from-spool-exact-bytes") << QStringLiteral("spool");
}

void TestSmuggling::nothingSmuggled()
{
    QFETCH(QString, source);
    const QList<QByteArray> bodies = craftedBodies();
    const QString user = QStringLiteral("smuggle-") + source;
    m_dovecot.addUser(user, QStringLiteral("pw"));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("pw"));
    RawSmtpReceiver receiver;
    QVERIFY(receiver.port() != 0);

    Config c;
    AccountConfig a;
    a.name = user;
    a.type = source == QLatin1String("imap") ? ServerType::Imap : ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = source == QLatin1String("imap") ? m_dovecot.imapPort() : m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.recipient = QStringLiteral("staff@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = receiver.port();
    c.dataDir = m_dir.filePath(user);

    if (source == QLatin1String("spool")) {
        // The crafted bytes exactly, as a mailbox server might have sent them.
        QVERIFY(QDir().mkpath(c.dataDir));
        Spool spool(Engine::spoolDirectory(c));
        QVERIFY(spool.init().ok());
        Store store(Engine::databasePath(c), Clock::system());
        QVERIFY(store.open().ok());
        SpoolSink sink(spool, store, user, {a.recipient});
        for (int i = 0; i < bodies.size(); ++i) {
            const QByteArray m = craftedMessage(i + 1, bodies.at(i));
            RemoteMessage rm{QStringLiteral("crafted-%1").arg(i + 1), m.size(), i + 1};
            QVERIFY(sink.begin(rm).ok());
            QVERIFY(sink.write(m.constData(), m.size()).ok());
            QVERIFY(sink.end(rm).ok());
        }
        QVERIFY(sink.flush().ok());
        c.accounts.first().enabled = false; // only the delivery stage runs
    } else {
        for (int i = 0; i < bodies.size(); ++i)
            QVERIFY(m_dovecot.deliver(user, craftedMessage(i + 1, bodies.at(i))));
    }

    Engine engine(&m_secrets, Clock::system());
    QVERIFY(engine.start(c, {false, 0}).ok());
    QSignalSpy done(&engine, &Engine::onceFinished);
    engine.runOnce();
    QVERIFY(done.wait(60000));
    engine.stop();

    // Exactly one transaction per message, and no command but ours.
    const QList<QByteArray> data = receiver.dataSections();
    QCOMPARE(data.size(), bodies.size());
    int mails = 0;
    for (const QByteArray &cmd : receiver.commands()) {
        QVERIFY2(!cmd.contains("evil") && !cmd.contains("ceo@"), cmd.constData());
        const QByteArray verb = cmd.left(4).toUpper();
        QVERIFY2(verb == "EHLO" || verb == "MAIL" || verb == "RCPT" || verb == "DATA" ||
                     verb == "QUIT" || verb == "RSET" || verb == "NOOP",
                 cmd.constData());
        mails += verb == "MAIL" ? 1 : 0;
    }
    QCOMPARE(mails, bodies.size());
    // No bare CR, no bare LF anywhere on the wire.
    const QByteArray wire = receiver.wire();
    for (qsizetype i = 0; i < wire.size(); ++i) {
        if (wire.at(i) == '\r')
            QVERIFY2(i + 1 < wire.size() && wire.at(i + 1) == '\n',
                     qPrintable(QStringLiteral("bare CR at %1").arg(i)));
        if (wire.at(i) == '\n')
            QVERIFY2(i > 0 && wire.at(i - 1) == '\r',
                     qPrintable(QStringLiteral("bare LF at %1").arg(i)));
    }
    // Each message arrived whole: its last line is ours, and the smuggled text is still
    // inside its own message (as content, dot-stuffed where needed).
    for (const QByteArray &d : data)
        QVERIFY(d.contains("X-Pollux-Seq: "));
    int carriedEvil = 0;
    for (const QByteArray &d : data)
        carriedEvil += d.contains("MAIL FROM:<evil@attacker.example>") ? 1 : 0;
    QVERIFY(carriedEvil >= 1);
}

QTEST_GUILESS_MAIN(TestSmuggling)
#include "tst_smuggling.moc"
