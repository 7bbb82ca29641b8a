#include "EngineTestSupport.h"
#include "unit/imap/FakeImapServer.h"
#include "unit/imap/ImapTestSupport.h"
#include "unit/pop3/FakePop3Server.h"

#include <QTest>
#include <QtDebug>

// What the provider refuses, through PollPass (docs/RELIABILITY.md, "Messages the provider
// refuses"): a message the server will not return (POP3 -ERR to RETR; IMAP NO/BAD to its
// FETCH, or no body) or returns not provably complete is skipped for the pass, the others are
// collected, and it is asked for again after a backoff (1, 2, 4... passes, at most a day);
// a message the server will not remove (POP3 -ERR to DELE; IMAP STORE refused, or no EXPUNGE
// response for it) stays unrecorded as removed while the others' removal is committed.

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Account = QStringLiteral("office");
using Script = QList<QByteArray>;

struct Pop3Message
{
    QByteArray uid;
    QByteArray content;
    qint64 listed = -1; // the size LIST announces; -1: the content's
};
using Mailbox = QList<Pop3Message>;

QByteArray content(int n)
{
    return "From: a@example.com\r\nSubject: message " + QByteArray::number(n) +
           "\r\n\r\n.dotted line\r\nbody " + QByteArray::number(n) + "\r\n";
}

// One POP3 session on `box` (messages 1..n): RETR of `retrieved`, those in `retrErr`
// answered -ERR; DELE of `deleted`, those in `deleErr` answered -ERR; QUIT. Pipelined: the
// server offers PIPELINING and the client sends each group of commands at once.
Script pop3Session(const Mailbox &box, const QList<int> &retrieved, const QList<int> &retrErr,
                   const QList<int> &deleted, const QList<int> &deleErr, bool pipelined)
{
    const QByteArray capa = pipelined ? "S: PIPELINING" : "S: USER";
    Script s{"S: +OK POP3 ready", "C: CAPA", "S: +OK",
             "S: UIDL",           capa,      "S: .",
             "C: USER alice",     "S: +OK",  "C: PASS secret",
             "S: +OK in",         "C: CAPA", "S: +OK",
             "S: UIDL",           capa,      "S: ."};
    Script uidl{"S: +OK"};
    Script list{"S: +OK"};
    for (int i = 1; i <= box.size(); ++i) {
        const Pop3Message &m = box.at(i - 1);
        uidl << "S: " + QByteArray::number(i) + ' ' + m.uid;
        list << "S: " + QByteArray::number(i) + ' ' +
                    QByteArray::number(m.listed >= 0 ? m.listed : m.content.size());
    }
    uidl << "S: .";
    list << "S: .";
    if (pipelined)
        s << "C: UIDL"
          << "C: LIST" << uidl << list;
    else
        s << "C: UIDL" << uidl << "C: LIST" << list;
    const auto group = [&](const QList<int> &numbers, const QByteArray &verb,
                           const QList<int> &refused) {
        QByteArray answers;
        for (int n : numbers) {
            const QByteArray command = "C: " + verb + ' ' + QByteArray::number(n);
            QByteArray answer;
            if (refused.contains(n))
                answer = "-ERR message " + QByteArray::number(n) + " is damaged\r\n";
            else if (verb == "RETR")
                answer = "+OK\r\n" + dotStuff(box.at(n - 1).content) + ".\r\n";
            else
                answer = "+OK\r\n";
            if (pipelined) {
                s << command;
                answers += answer;
            } else {
                s << command << "R: " + answer;
            }
        }
        if (pipelined && !answers.isEmpty())
            s << "R: " + answers;
    };
    group(retrieved, "RETR", retrErr);
    group(deleted, "DELE", deleErr);
    s << "C: QUIT"
      << "S: +OK bye";
    return s;
}

QStringList names(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *name : list)
        out << QString::fromLatin1(name);
    return out;
}

QList<RetrievalRefusal> refusalsOf(DataDir &data)
{
    QList<RetrievalRefusal> out;
    if (Result r = data.store().refusals(Account, out); !r)
        qWarning().noquote() << r.message();
    return out;
}

// A record is removed when removedAt is set; these UIDs are, the others are not.
QStringList removedUids(DataDir &data)
{
    QStringList out;
    for (const MessageRecord &m : data.records(Account))
        if (m.removedAt.isValid())
            out << m.uid;
    out.sort();
    return out;
}

QList<QByteArray> commands(const ScriptedServer &server, const QByteArray &verb)
{
    return linesStartingWith(server.received(), verb);
}

// IMAP, UIDVALIDITY 42, pipelined: open with `exists` messages; the listing of `uids`.
Script imapListing(const QList<int> &uids)
{
    Script s = imapOpenScript("IMAP4rev1 UIDPLUS", int(uids.size()));
    s << "C: A3 UID FETCH 1:* (UID RFC822.SIZE)";
    for (int i = 0; i < uids.size(); ++i)
        s << "S: * " + QByteArray::number(i + 1) + " FETCH (UID " + QByteArray::number(uids.at(i)) +
                 " RFC822.SIZE " + QByteArray::number(imapMessage(uids.at(i)).size()) + ")";
    s << "S: A3 OK done";
    return s;
}

// The body of `uid` at sequence `sequence`.
Script imapBody(int sequence, int uid)
{
    const QByteArray body = imapMessage(uid);
    return {"S: * " + QByteArray::number(sequence) + " FETCH (UID " + QByteArray::number(uid) +
                " BODY[] {" + QByteArray::number(body.size()) + '}',
            "R: " + body, "S: )"};
}

PollPass::Settings imapSettings(quint16 port)
{
    PollPass::Settings s = passSettings(port, Retention::Delete);
    s.account.type = ServerType::Imap;
    return s;
}

} // namespace

class TestPollPassRefusals : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<pollux::Result>(); }
    void pop3MessageRefused_data();
    void pop3MessageRefused();
    void pop3DeleRefused_data();
    void pop3DeleRefused();
    void imapFetchRefused_data();
    void imapFetchRefused();
    void imapRemovalRefused_data();
    void imapRemovalRefused();
    void backoff_data();
    void backoff();

private:
    DataDir *newData();
    std::unique_ptr<DataDir> m_data;
};

DataDir *TestPollPassRefusals::newData()
{
    m_data = std::make_unique<DataDir>();
    if (!m_data->open().ok())
        return nullptr;
    m_data->secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    return m_data.get();
}

void TestPollPassRefusals::pop3MessageRefused_data()
{
    // err: the server answers -ERR to RETR; otherwise LIST announces another size than the
    // message has (the completeness rule refuses it).
    QTest::addColumn<bool>("err");
    QTest::addColumn<bool>("pipelined");
    QTest::newRow("retr-err-lockstep") << true << false;
    QTest::newRow("retr-err-pipelined") << true << true;
    QTest::newRow("size-mismatch-lockstep") << false << false;
    QTest::newRow("size-mismatch-pipelined") << false << true;
}

// Message 1 (the oldest) is broken. Each pass collects the others and later mail; message 1
// is asked for at the next pass, then after 2 passes; when the server returns it, it comes.
void TestPollPassRefusals::pop3MessageRefused()
{
    QFETCH(bool, err);
    QFETCH(bool, pipelined);
    DataDir *data = newData();
    QVERIFY(data);
    Pop3Message broken{"uid-1", content(1), err ? -1 : content(1).size() + 7};
    const Pop3Message fixed{"uid-1", content(1)};
    const PollPass::Settings settings = passSettings(0, Retention::Delete);
    const auto pass = [&](const Mailbox &box, const QList<int> &retrieved,
                          const QList<int> &retrErr, const QList<int> &deleted) {
        auto server = std::make_unique<FakePop3Server>();
        server->setScript(pop3Session(box, retrieved, retrErr, deleted, {}, pipelined));
        PollPass::Settings s = settings;
        s.account.port = server->port();
        s.pollIntervalSecs = 300;
        const PassRun run = runPass(*data, s);
        [&] {
            QCOMPARE(run.finishedCount, 1);
            QVERIFY(server->waitForClientGone(Deadline));
            QVERIFY2(server->error().isEmpty(), qPrintable(server->error()));
        }();
        return std::make_pair(run, std::move(server));
    };

    // 1: message 1 refused, 2 and 3 collected and removed; the refusal is recorded.
    {
        const auto [run, server] = pass({broken, {"uid-2", content(2)}, {"uid-3", content(3)}},
                                        {1, 2, 3}, err ? QList<int>{1} : QList<int>{}, {2, 3});
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(run.result.code(), err ? ErrorCode::ServerError : ErrorCode::Integrity);
        if (err)
            QVERIFY2(run.result.message().contains(
                         QLatin1String("1 messages the server would not return; the others were "
                                       "collected")),
                     qPrintable(run.result.message()));
        QVERIFY2(run.result.message().contains(QLatin1String("uid-1")),
                 qPrintable(run.result.message()));
        QCOMPARE(run.collected, 2);
        QCOMPARE(data->knownUids(Account), (names({"uid-2", "uid-3"})));
        QCOMPARE(removedUids(*data), (names({"uid-2", "uid-3"})));
        QCOMPARE(commands(*server, "DELE"), (QList<QByteArray>{"DELE 2", "DELE 3"}));
        QCOMPARE(refusalsOf(*data).size(), 1);
        QCOMPARE(refusalsOf(*data).first().uid, QStringLiteral("uid-1"));
        QCOMPARE(refusalsOf(*data).first().refusals, 1);
        if (err)
            QVERIFY(refusalsOf(*data).first().reason.contains(QLatin1String("is damaged")));
    }
    // 2, a minute later ("poll now"): message 1 is not asked for; new mail is collected.
    data->clock.advance(60);
    {
        const auto [run, server] = pass({broken, {"uid-4", content(4)}}, {2}, {}, {2});
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(commands(*server, "RETR"), QList<QByteArray>{"RETR 2"});
        QCOMPARE(run.collected, 1);
        QCOMPARE(data->knownUids(Account), (names({"uid-2", "uid-3", "uid-4"})));
        QVERIFY(!run.result.ok()); // the tray still says that uid-1 stays on the server
        QVERIFY2(run.result.message().contains(QLatin1String("uid-1")),
                 qPrintable(run.result.message()));
        QCOMPARE(refusalsOf(*data).first().refusals, 1);
    }
    // 3, the next scheduled pass: asked again, refused again: now not before 2 passes.
    data->clock.advance(300);
    {
        const auto [run, server] = pass({broken}, {1}, err ? QList<int>{1} : QList<int>{}, {});
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(commands(*server, "RETR"), QList<QByteArray>{"RETR 1"});
        QVERIFY(!run.result.ok());
        QCOMPARE(refusalsOf(*data).first().refusals, 2);
    }
    // 4, one interval later: skipped.
    data->clock.advance(300);
    {
        const auto [run, server] = pass({broken}, {}, {}, {});
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(commands(*server, "RETR"), QList<QByteArray>());
    }
    // 5, two intervals after the second refusal: the server returns it whole at last.
    data->clock.advance(300);
    {
        const auto [run, server] = pass({fixed}, {1}, {}, {1});
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(run.result.ok(), qPrintable(run.result.message()));
        QCOMPARE(run.collected, 1);
        QCOMPARE(data->readSpoolFile(data->record(Account, QStringLiteral("uid-1")).spoolPath),
                 content(1));
        QVERIFY(refusalsOf(*data).isEmpty());
        QCOMPARE(removedUids(*data), (names({"uid-1", "uid-2", "uid-3", "uid-4"})));
    }
}

void TestPollPassRefusals::pop3DeleRefused_data()
{
    QTest::addColumn<bool>("pipelined");
    QTest::newRow("lockstep") << false;
    QTest::newRow("pipelined") << true;
}

// DELE 2 refused: QUIT commits the others, only they are recorded removed; the next pass
// asks for the removal of message 2 again.
void TestPollPassRefusals::pop3DeleRefused()
{
    QFETCH(bool, pipelined);
    DataDir *data = newData();
    QVERIFY(data);
    for (int n = 1; n <= 3; ++n)
        QVERIFY(data->addMessage(Account, QStringLiteral("uid-%1").arg(n), content(n),
                                 {QStringLiteral("desk@example.org")})
                    .ok());
    const Mailbox box{
        {"uid-1", content(1)}, {"uid-2", content(2)}, {"uid-3", content(3)}, {"uid-4", content(4)}};
    {
        FakePop3Server server;
        server.setScript(pop3Session(box, {4}, {}, {1, 2, 3, 4}, {2}, pipelined));
        const PassRun run = runPass(*data, passSettings(server.port(), Retention::Delete));
        QCOMPARE(run.finishedCount, 1);
        QVERIFY(server.waitForClientGone(Deadline));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(commands(server, "QUIT").size(), 1);
        QCOMPARE(run.collected, 1); // later mail is collected
        QCOMPARE(removedUids(*data), (names({"uid-1", "uid-3", "uid-4"})));
        QCOMPARE(run.result.code(), ErrorCode::ServerError);
        QVERIFY2(run.result.message().contains(
                     QLatin1String("1 messages could not be removed from the server; tried "
                                   "again next pass (UIDs uid-2)")),
                 qPrintable(run.result.message()));
    }
    {
        FakePop3Server server;
        server.setScript(pop3Session({{"uid-2", content(2)}}, {}, {}, {1}, {}, pipelined));
        const PassRun run = runPass(*data, passSettings(server.port(), Retention::Delete));
        QCOMPARE(run.finishedCount, 1);
        QVERIFY(server.waitForClientGone(Deadline));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QVERIFY2(run.result.ok(), qPrintable(run.result.message()));
        QCOMPARE(removedUids(*data), (names({"uid-1", "uid-2", "uid-3", "uid-4"})));
    }
}

void TestPollPassRefusals::imapFetchRefused_data()
{
    QTest::addColumn<Script>("answer"); // to "A4 UID FETCH 1 (UID BODY.PEEK[])"
    QTest::newRow("fetch-no") << Script{"S: A4 NO [SERVERBUG] cannot read message"};
    QTest::newRow("fetch-bad") << Script{"S: A4 BAD internal error"};
    QTest::newRow("no-body") << Script{"S: * 1 FETCH (UID 1 FLAGS (\\Seen))", "S: A4 OK done"};
}

// UID 1 cannot be fetched: UIDs 2 and 3 are collected and removed; the next pass (a minute
// later) does not ask for UID 1 and collects the new UID 4.
void TestPollPassRefusals::imapFetchRefused()
{
    QFETCH(Script, answer);
    DataDir *data = newData();
    QVERIFY(data);
    {
        Script s = imapListing({1, 2, 3});
        s << "C: A4 UID FETCH 1 (UID BODY.PEEK[])"
          << "C: A5 UID FETCH 2 (UID BODY.PEEK[])"
          << "C: A6 UID FETCH 3 (UID BODY.PEEK[])" << answer << imapBody(2, 2) << "S: A5 OK done"
          << imapBody(3, 3) << "S: A6 OK done"
          << "C: A7 UID STORE 2:3 +FLAGS.SILENT (\\Deleted)"
          << "S: A7 OK done"
          << "C: A8 UID EXPUNGE 2:3"
          << "S: * 2 EXPUNGE"
          << "S: * 2 EXPUNGE"
          << "S: A8 OK done"
          << "C: A9 LOGOUT"
          << "S: A9 OK bye";
        FakeImapServer server;
        server.setScript(s);
        const PassRun run = runPass(*data, imapSettings(server.port()));
        QCOMPARE(run.finishedCount, 1);
        QVERIFY(server.waitForClientGone(Deadline));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.result.code(), ErrorCode::ServerError);
        QVERIFY2(run.result.message().contains(QLatin1String("would not return")) &&
                     run.result.message().contains(QLatin1String("42:1")),
                 qPrintable(run.result.message()));
        QCOMPARE(data->knownUids(Account), (names({"42:2", "42:3"})));
        QCOMPARE(removedUids(*data), (names({"42:2", "42:3"})));
        QCOMPARE(refusalsOf(*data).size(), 1);
        QCOMPARE(refusalsOf(*data).first().uid, QStringLiteral("42:1"));
    }
    data->clock.advance(60);
    {
        Script s = imapListing({1, 4});
        s << "C: A4 UID FETCH 4 (UID BODY.PEEK[])" << imapBody(2, 4) << "S: A4 OK done"
          << "C: A5 UID STORE 4 +FLAGS.SILENT (\\Deleted)"
          << "S: A5 OK done"
          << "C: A6 UID EXPUNGE 4"
          << "S: * 2 EXPUNGE"
          << "S: A6 OK done"
          << "C: A7 LOGOUT"
          << "S: A7 OK bye";
        FakeImapServer server;
        server.setScript(s);
        const PassRun run = runPass(*data, imapSettings(server.port()));
        QCOMPARE(run.finishedCount, 1);
        QVERIFY(server.waitForClientGone(Deadline));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.collected, 1);
        QCOMPARE(data->knownUids(Account), (names({"42:2", "42:3", "42:4"})));
        QVERIFY2(!run.result.ok() && run.result.message().contains(QLatin1String("42:1")),
                 qPrintable(run.result.message()));
    }
}

void TestPollPassRefusals::imapRemovalRefused_data()
{
    QTest::addColumn<Script>("removal"); // from the first STORE to the LOGOUT command
    QTest::newRow("store-refused-for-one")
        << Script{"C: A4 UID STORE 1:3 +FLAGS.SILENT (\\Deleted)",
                  "S: A4 NO [CANNOT] message 2 is locked",
                  "C: A5 UID STORE 1 +FLAGS.SILENT (\\Deleted)",
                  "C: A6 UID STORE 2 +FLAGS.SILENT (\\Deleted)",
                  "C: A7 UID STORE 3 +FLAGS.SILENT (\\Deleted)",
                  "S: A5 OK done",
                  "S: A6 NO [CANNOT] message 2 is locked",
                  "S: A7 OK done",
                  "C: A8 UID EXPUNGE 1,3",
                  "S: * 1 EXPUNGE",
                  "S: * 2 EXPUNGE",
                  "S: A8 OK done",
                  "C: A9 LOGOUT"};
    QTest::newRow("expunge-ok-without-one")
        << Script{"C: A4 UID STORE 1:3 +FLAGS.SILENT (\\Deleted)",
                  "S: A4 OK done",
                  "C: A5 UID EXPUNGE 1:3",
                  "S: * 1 EXPUNGE",
                  "S: * 2 EXPUNGE",
                  "S: A5 OK done",
                  "C: A6 LOGOUT"};
    // GNU Mailutils' imap4d spells the response "EXPUNGED".
    QTest::newRow("expunged-spelling-without-one")
        << Script{"C: A4 UID STORE 1:3 +FLAGS.SILENT (\\Deleted)",
                  "S: A4 OK done",
                  "C: A5 UID EXPUNGE 1:3",
                  "S: * 1 EXPUNGED",
                  "S: * 2 EXPUNGED",
                  "S: A5 OK done",
                  "C: A6 LOGOUT"};
    QTest::newRow("expunge-no-after-one") << Script{"C: A4 UID STORE 1:3 +FLAGS.SILENT (\\Deleted)",
                                                    "S: A4 OK done",
                                                    "C: A5 UID EXPUNGE 1:3",
                                                    "S: * 1 EXPUNGE",
                                                    "S: * 1 EXPUNGE",
                                                    "S: A5 NO [SERVERBUG] expunge failed half way",
                                                    "C: A6 LOGOUT"};
}

// Three known messages due for removal; the server removes some. Only those are recorded
// removed; the others stay due for the next pass.
void TestPollPassRefusals::imapRemovalRefused()
{
    QFETCH(Script, removal);
    DataDir *data = newData();
    QVERIFY(data);
    for (int uid = 1; uid <= 3; ++uid)
        QVERIFY(data->addMessage(Account, QStringLiteral("42:%1").arg(uid), imapMessage(uid),
                                 {QStringLiteral("desk@example.org")})
                    .ok());
    Script s = imapListing({1, 2, 3});
    s << removal << "S: " + removal.last().mid(3, 2) + " OK bye";
    FakeImapServer server;
    server.setScript(s);
    const PassRun run = runPass(*data, imapSettings(server.port()));
    QCOMPARE(run.finishedCount, 1);
    QVERIFY(server.waitForClientGone(Deadline));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    const bool half = QByteArray(QTest::currentDataTag()) == "expunge-no-after-one";
    const QStringList removed = half ? names({"42:1", "42:2"}) : names({"42:1", "42:3"});
    QCOMPARE(removedUids(*data), removed);
    QCOMPARE(run.result.code(), ErrorCode::ServerError);
    const QString kept = half ? QStringLiteral("42:3") : QStringLiteral("42:2");
    QVERIFY2(run.result.message().contains(QLatin1String("could not be removed from the server")) &&
                 run.result.message().contains(kept),
             qPrintable(run.result.message()));
}

void TestPollPassRefusals::backoff_data()
{
    QTest::addColumn<int>("refusals");
    QTest::addColumn<qint64>("delaySecs");
    // Passes 300 s apart: the next pass, then 2, 4, 8... passes later, at most a day.
    QTest::newRow("first") << 1 << qint64(150);
    QTest::newRow("second") << 2 << qint64(450);
    QTest::newRow("third") << 3 << qint64(1050);
    QTest::newRow("capped-at-a-day") << 12 << qint64(86400 - 150);
    QTest::newRow("huge-count-stays-capped") << 1000000 << qint64(86400 - 150);
}

void TestPollPassRefusals::backoff()
{
    QFETCH(int, refusals);
    QFETCH(qint64, delaySecs);
    QCOMPARE(Store::refusalDelayMs(refusals, 300 * 1000), delaySecs * 1000);
}

QTEST_GUILESS_MAIN(TestPollPassRefusals)
#include "tst_pollpassrefusals.moc"
