#include "EngineTestSupport.h"
#include "unit/pop3/FakePop3Server.h"

#include <QSignalSpy>
#include <QTest>

// The completeness rule through PollPass (docs/RELIABILITY.md): a message is recorded, and
// so removed from the server, only when its copy is provably complete: a proper CRLF "."
// CRLF terminator and the size LIST announced. A message that is not is refused, stays on
// the server, and the pass ends with ErrorCode::Integrity naming it; when the stream cannot
// be trusted any more, nothing after the last proven message is recorded.

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Account = QStringLiteral("office");
using Script = QList<QByteArray>;
using Contents = QList<QByteArray>;

const QByteArray Dotty =
    "From: a@example.com\r\nSubject: dots\r\n\r\n.hidden\r\n.\r\n..\r\nend.\r\n";
const QByteArray Plain = "From: b@example.com\r\nSubject: two\r\n\r\nHello there\r\n";
const QByteArray Bare = "Subject: three\r\n\r\nbare\nline feed\r\n\r\n";
// A "." line after bare LFs, then what looks like the next reply and a forged message. A
// server that dot-stuffs after CRLF (RFC 1939) sends it as it is.
const QByteArray BareLfDot =
    "Subject: cut\r\n\r\nbefore\n.\n+OK\r\nSubject: sneaked\r\n\r\nsneaked body\r\n";
// CRLF "." CRLF inside the message: only a server that does not dot-stuff sends it raw.
const QByteArray ForgedEndGarbage = "Subject: two\r\n\r\nhello\r\n.\r\nnot a status line\r\n";
const QByteArray ForgedEndNext =
    "Subject: one\r\n\r\nhello\r\n.\r\n+OK\r\nSubject: forged\r\n\r\nforged body\r\n";

// LIST with these sizes, for messages 1..n.
Script listWith(const QList<qint64> &sizes)
{
    Script s{"C: LIST", "S: +OK"};
    for (int i = 1; i <= sizes.size(); ++i)
        s << "S: " + QByteArray::number(i) + ' ' + QByteArray::number(sizes.at(i - 1));
    s << "S: .";
    return s;
}

QList<qint64> sizesOf(const Contents &contents)
{
    QList<qint64> out;
    for (const QByteArray &c : contents)
        out << c.size();
    return out;
}

// RETR n answered with `wire` (already stuffed, or raw) and the terminator.
Script retrRaw(int number, const QByteArray &wire)
{
    return {"C: RETR " + QByteArray::number(number), "S: +OK", "R: " + wire + ".\r\n"};
}

QStringList uids(std::initializer_list<int> numbers)
{
    QStringList out;
    for (int n : numbers)
        out << QStringLiteral("uid-%1").arg(n);
    return out;
}

bool spoolHolds(DataDir &data, const QByteArray &text)
{
    for (const QString &path : data.messageFiles())
        if (data.readSpoolFile(path).contains(text))
            return true;
    return false;
}

} // namespace

class TestPollPassCompleteness : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<pollux::Result>(); }
    void lockstep_data();
    void lockstep();
    void forgedNextMessagePipelined();

private:
    DataDir *newData();
    std::unique_ptr<DataDir> m_data;
};

DataDir *TestPollPassCompleteness::newData()
{
    m_data = std::make_unique<DataDir>();
    if (!m_data->open().ok())
        return nullptr;
    m_data->secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    return m_data.get();
}

void TestPollPassCompleteness::lockstep_data()
{
    QTest::addColumn<Contents>("contents");    // what is sent and stored, messages 1..n
    QTest::addColumn<QList<qint64>>("listed"); // the sizes LIST announces
    QTest::addColumn<Script>("retrieval");     // the RETR exchanges and what follows
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QStringList>("kept");      // recorded, byte-exact, and DELEd
    QTest::addColumn<QStringList>("mentioned"); // in the pass's error
    QTest::addColumn<bool>("quit");

    const Script deleteOneAndThree{"C: DELE 1", "S: +OK",  "C: DELE 3",
                                   "S: +OK",    "C: QUIT", "S: +OK bye"};
    const Script deleteAll{"C: DELE 1", "S: +OK", "C: DELE 2", "S: +OK",
                           "C: DELE 3", "S: +OK", "C: QUIT",   "S: +OK bye"};
    {
        const Contents c{BareLfDot, Plain, Bare};
        QTest::newRow("bare-lf-dot-line-is-content")
            << c << sizesOf(c)
            << (retrRaw(1, BareLfDot) + pop3Retr(2, Plain) + pop3Retr(3, Bare) + deleteAll)
            << ErrorCode::None << uids({1, 2, 3}) << QStringList() << true;
    }
    {
        const Contents c{Dotty, Plain, Bare};
        QTest::newRow("larger-than-announced-refused-others-go-on")
            << c << QList<qint64>{Dotty.size(), Plain.size() - 3, Bare.size()}
            << (pop3Retr(1, Dotty) + pop3Retr(2, Plain) + pop3Retr(3, Bare) + deleteOneAndThree)
            << ErrorCode::Integrity << uids({1, 3}) << QStringList{QStringLiteral("uid-2")} << true;
        QTest::newRow("smaller-than-announced-refused-others-go-on")
            << c << QList<qint64>{Dotty.size(), Plain.size() + 3, Bare.size()}
            << (pop3Retr(1, Dotty) + pop3Retr(2, Plain) + pop3Retr(3, Bare) + deleteOneAndThree)
            << ErrorCode::Integrity << uids({1, 3}) << QStringList{QStringLiteral("uid-2")} << true;
        // Dovecot ends a message without a final line end with CRLF before the terminator:
        // two octets more than LIST said, and stored as they came.
        const QByteArray noEol = "Subject: x\r\n\r\nno line end";
        QTest::newRow("final-crlf-added-by-server")
            << Contents{noEol + "\r\n", Plain, Bare}
            << QList<qint64>{noEol.size(), Plain.size(), Bare.size()}
            << (retrRaw(1, noEol + "\r\n") + pop3Retr(2, Plain) + pop3Retr(3, Bare) + deleteAll)
            << ErrorCode::None << uids({1, 2, 3}) << QStringList() << true;
        QTest::newRow("lf-counted-size-accepted")
            << c << QList<qint64>{Dotty.size(), Plain.size() - Plain.count("\r\n"), Bare.size()}
            << (pop3Retr(1, Dotty) + pop3Retr(2, Plain) + pop3Retr(3, Bare) + deleteAll)
            << ErrorCode::None << uids({1, 2, 3}) << QStringList() << true;
    }
    {
        // A pass that fails after a message that "ended": the forged end cut message 2
        // short (refused), then garbage. Message 1 was proven complete before it and is kept.
        const Contents c{Dotty, ForgedEndGarbage, Bare};
        QTest::newRow("forged-end-then-garbage")
            << c << sizesOf(c) << (pop3Retr(1, Dotty) + retrRaw(2, ForgedEndGarbage))
            << ErrorCode::Protocol << uids({1}) << QStringList{QStringLiteral("uid-2")} << false;
    }
}

void TestPollPassCompleteness::lockstep()
{
    QFETCH(Contents, contents);
    QFETCH(QList<qint64>, listed);
    QFETCH(Script, retrieval);
    QFETCH(QStringList, kept);
    QFETCH(QStringList, mentioned);
    QFETCH(bool, quit);

    DataDir *data = newData();
    QVERIFY(data);
    FakePop3Server server;
    server.setScript(pop3Login() + pop3Uidl(contents) + listWith(listed) + retrieval);
    const PassRun run = runPass(*data, passSettings(server.port(), Retention::Delete));
    QCOMPARE(run.finishedCount, 1);
    QTEST(run.result.code(), "code");
    for (const QString &uid : std::as_const(mentioned))
        QVERIFY2(run.result.message().contains(uid), qPrintable(run.result.message()));
    QCOMPARE(run.collected, kept.size());
    QVERIFY(server.waitForClientGone(Deadline));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));

    // Only the provably complete messages are recorded, each byte-exact...
    QCOMPARE(data->knownUids(Account), kept);
    for (const MessageRecord &m : data->records(Account)) {
        const int number = m.uid.mid(4).toInt();
        QCOMPARE(data->readSpoolFile(m.spoolPath), contents.at(number - 1));
    }
    QCOMPARE(data->messageFiles(), data->liveSpoolPaths());
    QVERIFY(!spoolHolds(*data, "forged body"));
    // ...and only they are removed from the server.
    QList<QByteArray> deleted;
    for (const QString &uid : std::as_const(kept))
        deleted << "DELE " + uid.mid(4).toLatin1();
    QCOMPARE(linesStartingWith(server.received(), "DELE"), quit ? deleted : QList<QByteArray>());
    QCOMPARE(linesStartingWith(server.received(), "QUIT").size(), quit ? 1 : 0);
}

// Pipelined RETR 1-3 from a server that does not dot-stuff: message 1 holds CRLF "." CRLF,
// "+OK" and a forged message. The cut message 1 falls short of its LIST size, the forged one
// is taken for message 2 and does not have its size, and message 2 read as message 3 does
// not have that one's: all refused. Nothing is stored (least of all the forged mail), and
// nothing is deleted: message 2 and 3 stay on the server, neither removed nor replaced.
void TestPollPassCompleteness::forgedNextMessagePipelined()
{
    DataDir *data = newData();
    QVERIFY(data);
    const Contents c{ForgedEndNext, Plain, Bare};
    Script script{"S: +OK ready",     "C: CAPA", "S: +OK",        "S: PIPELINING", "S: UIDL",
                  "S: USER",          "S: .",    "C: USER alice", "S: +OK",        "C: PASS secret",
                  "S: +OK Logged in", "C: CAPA", "S: +OK",        "S: PIPELINING", "S: UIDL",
                  "S: USER",          "S: .",    "C: UIDL",       "C: LIST"};
    script << pop3Uidl(c).mid(1) << pop3List(c).mid(1) << "C: RETR 1"
           << "C: RETR 2"
           << "C: RETR 3"
           << "R: +OK\r\n" + ForgedEndNext + ".\r\n+OK\r\n" + dotStuff(Plain) + ".\r\n+OK\r\n" +
                  dotStuff(Bare) + ".\r\n";
    FakePop3Server server;
    server.setScript(script);
    const PassRun run = runPass(*data, passSettings(server.port(), Retention::Delete));
    QCOMPARE(run.finishedCount, 1);
    QVERIFY(!run.result.ok());
    QCOMPARE(run.collected, 0);
    QVERIFY(server.waitForClientGone(Deadline));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.maxOutstanding() > 1); // it did pipeline
    QCOMPARE(data->knownUids(Account), QStringList());
    QCOMPARE(data->messageFiles(), QStringList());
    QCOMPARE(linesStartingWith(server.received(), "DELE"), QList<QByteArray>());
    for (const char *uid : {"uid-1", "uid-2"})
        QVERIFY2(run.result.message().contains(QLatin1String(uid)),
                 qPrintable(run.result.message()));
}

QTEST_GUILESS_MAIN(TestPollPassCompleteness)
#include "tst_pollpasscompleteness.moc"
