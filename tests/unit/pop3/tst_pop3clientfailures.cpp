#include "Pop3TestSupport.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using pollux::pop3::Pop3Client;

namespace {

// A two-message lockstep session; at `failAt` the server answers `errorLine` instead and
// the script ends there.
QList<QByteArray> scriptFailingAt(const QByteArray &failAt, const QByteArray &errorLine)
{
    QList<QByteArray> s;
    const auto answer = [&](const char *step, const QList<QByteArray> &ok) {
        if (failAt == step) {
            s << "S: " + errorLine;
            return false;
        }
        s << ok;
        return true;
    };
    const QList<QByteArray> capa{"C: CAPA", "S: +OK", "S: UIDL", "S: USER", "S: ."};
    if (!answer("greeting", {"S: +OK POP3 ready"}))
        return s;
    s << capa << "C: USER alice";
    if (!answer("user", {"S: +OK"}))
        return s;
    s << "C: PASS secret";
    if (!answer("pass", {"S: +OK Logged in."}))
        return s;
    s << capa << "C: UIDL";
    if (!answer("uidl", uidlAnswer(2)))
        return s;
    s << "C: LIST";
    if (!answer("list", listAnswer(2)))
        return s;
    s << "C: RETR 1" << retrAnswer(Message1) << "C: RETR 2";
    if (!answer("retr", retrAnswer(Message2)))
        return s;
    s << "C: DELE 1"
      << "S: +OK"
      << "C: DELE 2";
    if (!answer("dele", {"S: +OK"}))
        return s;
    s << "C: QUIT";
    answer("quit", {"S: +OK bye"});
    return s;
}

} // namespace

class TestPop3ClientFailures : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void errorAtStep_data();
    void errorAtStep();
    void serverWordsApart_data();
    void serverWordsApart();
    void badServerLine_data();
    void badServerLine();
    void greetingTimeout();
    void droppedMidRetr_data();
    void droppedMidRetr();
    void sinkFailureAbortsSession();
    void droppedBeforeQuitReply();
    void droppedWhileIdle();
    void callOutOfOrder();
    void refusedRetrAndDeleGoOn();
};

void TestPop3ClientFailures::initTestCase()
{
    qRegisterMetaType<pollux::Result>();
    qRegisterMetaType<QList<pollux::RemoteMessage>>();
    qRegisterMetaType<pollux::RemoteMessage>();
}

void TestPop3ClientFailures::errorAtStep_data()
{
    QTest::addColumn<QByteArray>("failAt");
    QTest::addColumn<QByteArray>("errorLine");
    QTest::addColumn<QString>("stoppedAt");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("mentions");
    QTest::addColumn<QByteArray>("lastCommand");

    const auto row = [](const char *name, const char *failAt, const char *line, const char *stopped,
                        ErrorCode code, const char *mentions, const char *last) {
        QTest::newRow(name) << QByteArray(failAt) << QByteArray(line)
                            << QString::fromLatin1(stopped) << code << QString::fromLatin1(mentions)
                            << QByteArray(last);
    };
    row("greeting-err", "greeting", "-ERR go away", "open", ErrorCode::ServerError, "go away", "");
    row("greeting-sys-temp", "greeting", "-ERR [SYS/TEMP] overloaded", "open",
        ErrorCode::TemporaryFailure, "overloaded", "");
    row("user-err", "user", "-ERR unknown user", "open", ErrorCode::AuthFailed, "unknown user",
        "USER alice");
    row("pass-err", "pass", "-ERR invalid password", "open", ErrorCode::AuthFailed,
        "invalid password", "PASS secret");
    row("pass-auth", "pass", "-ERR [AUTH] Authentication failed", "open", ErrorCode::AuthFailed,
        "login refused", "PASS secret");
    row("pass-in-use", "pass", "-ERR [IN-USE] Unable to lock maildrop", "open",
        ErrorCode::TemporaryFailure, "mailbox is locked", "PASS secret");
    row("pass-login-delay", "pass", "-ERR [LOGIN-DELAY] wait", "open", ErrorCode::TemporaryFailure,
        "LOGIN-DELAY", "PASS secret");
    row("pass-sys-temp", "pass", "-ERR [SYS/TEMP] try later", "open", ErrorCode::TemporaryFailure,
        "try later", "PASS secret");
    row("uidl-err", "uidl", "-ERR unknown command", "list", ErrorCode::ServerError, "UIDL", "UIDL");
    row("list-err", "list", "-ERR no", "list", ErrorCode::ServerError, "LIST", "LIST");
    row("quit-err", "quit", "-ERR some deleted messages not removed", "done", ErrorCode::None, "",
        "QUIT");
}

void TestPop3ClientFailures::errorAtStep()
{
    QFETCH(QByteArray, failAt);
    QFETCH(QByteArray, errorLine);
    QFETCH(QString, stoppedAt);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mentions);
    QFETCH(QByteArray, lastCommand);

    FakePop3Server server;
    server.setScript(scriptFailingAt(failAt, errorLine));
    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(run.stoppedAt, stoppedAt);
    QCOMPARE(run.error.code(), code);
    QVERIFY2(run.error.message().contains(mentions), qPrintable(run.error.message()));
    QVERIFY(!run.committed);

    // The client hangs up and sends nothing after the refused command: no QUIT, so
    // nothing marked for removal is removed.
    QVERIFY(server.waitForClientGone());
    const QList<QByteArray> received = server.received();
    QCOMPARE(received.isEmpty() ? QByteArray() : received.last(), lastCommand);
    if (failAt != "quit")
        QVERIFY(!received.contains("QUIT"));
    if (failAt == "retr")
        QCOMPARE(sink.events, QStringList({QStringLiteral("begin 1"), QStringLiteral("end 1")}));
}

// A -ERR's words travel apart from our English message (Result::serverSaid()), verbatim
// but bounded and cleaned, and the failure names the server it concerns.
void TestPop3ClientFailures::serverWordsApart_data()
{
    QTest::addColumn<QByteArray>("failAt");
    QTest::addColumn<QByteArray>("errorLine");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("said");

    QTest::newRow("greeting-err") << QByteArray("greeting") << QByteArray("-ERR go away")
                                  << ErrorCode::ServerError << QStringLiteral("-ERR go away");
    QTest::newRow("pass-auth") << QByteArray("pass")
                               << QByteArray("-ERR [AUTH] Authentication failed")
                               << ErrorCode::AuthFailed
                               << QStringLiteral("-ERR [AUTH] Authentication failed");
    QTest::newRow("pass-in-use") << QByteArray("pass") << QByteArray("-ERR [IN-USE] locked")
                                 << ErrorCode::TemporaryFailure
                                 << QStringLiteral("-ERR [IN-USE] locked");
    QTest::newRow("uidl-err") << QByteArray("uidl") << QByteArray("-ERR unknown command")
                              << ErrorCode::ServerError << QStringLiteral("-ERR unknown command");
    // Hostile servers: a line just under the line limit is cut to Result::MaxServerSaid
    // characters; escape sequences, bells and bidi overrides do not reach a window.
    QTest::newRow("hostile-long") << QByteArray("pass")
                                  << QByteArray("-ERR " + QByteArray(8000, 'x'))
                                  << ErrorCode::AuthFailed
                                  << QString(QStringLiteral("-ERR ") +
                                             QString(Result::MaxServerSaid - 5, QLatin1Char('x')) +
                                             QChar(0x2026));
    QTest::newRow("hostile-control")
        << QByteArray("pass") << QByteArray("-ERR bad\x1b[2J\x07\x7f here\t\tnow")
        << ErrorCode::AuthFailed << QStringLiteral("-ERR bad [2J here now");
    QTest::newRow("hostile-bidi") << QByteArray("pass")
                                  << QByteArray("-ERR \xe2\x80\xae"
                                                "evil")
                                  << ErrorCode::AuthFailed << QStringLiteral("-ERR evil");
    // 100 KB is no reply but a line too long: refused before it is read, nothing to show.
    QTest::newRow("hostile-100k") << QByteArray("pass")
                                  << QByteArray("-ERR " + QByteArray(100 * 1024, 'x'))
                                  << ErrorCode::LineTooLong << QString();
}

void TestPop3ClientFailures::serverWordsApart()
{
    QFETCH(QByteArray, failAt);
    QFETCH(QByteArray, errorLine);
    QFETCH(ErrorCode, code);
    QFETCH(QString, said);

    FakePop3Server server;
    server.setScript(scriptFailingAt(failAt, errorLine));
    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QCOMPARE(run.error.code(), code);
    QCOMPARE(run.error.serverSaid(), said);
    QVERIFY(run.error.serverSaid().size() <= Result::MaxServerSaid + 1);
    QCOMPARE(run.error.serverHost(), QStringLiteral("127.0.0.1"));
    QCOMPARE(run.error.serverPort(), server.port());
    // The English message (for the log) is bounded too.
    QVERIFY2(run.error.message().size() < 9000, qPrintable(run.error.message().left(300)));
}

void TestPop3ClientFailures::badServerLine_data()
{
    QTest::addColumn<QList<QByteArray>>("script");
    QTest::addColumn<QString>("stoppedAt");
    QTest::addColumn<ErrorCode>("code");

    const QByteArray huge(9000, 'x');
    QList<QByteArray> login = loginScript({"UIDL"});
    using L = QList<QByteArray>;
    QTest::newRow("oversize-greeting")
        << L{"S: +OK " + huge} << QStringLiteral("open") << ErrorCode::LineTooLong;
    QTest::newRow("oversize-unterminated-greeting")
        << L{"R: +OK " + huge} << QStringLiteral("open") << ErrorCode::LineTooLong;
    QTest::newRow("oversize-uidl-line") << (login + L{"C: UIDL", "S: +OK", "S: 1 " + huge})
                                        << QStringLiteral("list") << ErrorCode::LineTooLong;
    QTest::newRow("http-greeting")
        << L{"S: HTTP/1.1 200 OK"} << QStringLiteral("open") << ErrorCode::Protocol;
    QTest::newRow("imap-greeting")
        << L{"S: * OK IMAP4rev1 ready"} << QStringLiteral("open") << ErrorCode::Protocol;
    QTest::newRow("nul-in-greeting")
        << L{QByteArray("S: +OK \0x", 9)} << QStringLiteral("open") << ErrorCode::Protocol;
    QTest::newRow("garbage-uidl-line") << (login + L{"C: UIDL", "S: +OK", "S: one two", "S: ."})
                                       << QStringLiteral("list") << ErrorCode::Protocol;
    QTest::newRow("uidl-overflow")
        << (login + L{"C: UIDL", "S: +OK", "S: 99999999999999999999999 a", "S: ."})
        << QStringLiteral("list") << ErrorCode::Protocol;
    QTest::newRow("list-missing-message")
        << (login + L{"C: UIDL", "S: +OK", "S: 1 a", "S: 2 b", "S: .", "C: LIST", "S: +OK",
                      "S: 1 10", "S: ."})
        << QStringLiteral("list") << ErrorCode::Protocol;
    QByteArray capa;
    for (int i = 0; i < 1001; ++i)
        capa += "X-CAP-" + QByteArray::number(i) + "\r\n";
    QTest::newRow("endless-capa") << L{"S: +OK ready", "C: CAPA", "S: +OK", "R: " + capa}
                                  << QStringLiteral("open") << ErrorCode::Protocol;
    QTest::newRow("unsolicited-line")
        << (login + L{"S: +OK surprise"}) << QStringLiteral("list") << ErrorCode::Protocol;
}

void TestPop3ClientFailures::badServerLine()
{
    QFETCH(QList<QByteArray>, script);
    QFETCH(QString, stoppedAt);
    QFETCH(ErrorCode, code);

    FakePop3Server server;
    server.setScript(script);
    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QCOMPARE(run.stoppedAt, stoppedAt);
    QCOMPARE(run.error.code(), code);
    QVERIFY(server.waitForClientGone());
    QVERIFY(!server.received().contains("QUIT"));
}

void TestPop3ClientFailures::greetingTimeout()
{
    FakePop3Server server; // accepts, says nothing
    Pop3Client client;
    MemorySink sink;
    QElapsedTimer timer;
    timer.start();
    const SessionRun run = runSession(client, optionsFor(server, 500), sink);
    QCOMPARE(run.stoppedAt, QStringLiteral("open"));
    QCOMPARE(run.error.code(), ErrorCode::Timeout);
    QVERIFY2(timer.elapsed() >= 400, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(server.connections(), 1);
}

void TestPop3ClientFailures::droppedMidRetr_data()
{
    QTest::addColumn<bool>("pipelining");
    QTest::newRow("lockstep") << false;
    QTest::newRow("pipelined") << true;
}

// The connection drops inside message 2: message 1 is complete, message 2 is aborted in
// the sink, failed() is emitted, and neither DELE nor QUIT was ever sent.
void TestPop3ClientFailures::droppedMidRetr()
{
    QFETCH(bool, pipelining);
    FakePop3Server server;
    QList<QByteArray> script = loginScript(pipelining ? QList<QByteArray>{"UIDL", "PIPELINING"}
                                                      : QList<QByteArray>{"UIDL"});
    if (pipelining)
        script << "C: UIDL"
               << "C: LIST" << uidlAnswer(3) << listAnswer(3) << "C: RETR 1"
               << "C: RETR 2"
               << "C: RETR 3" << retrAnswer(Message1);
    else
        script << "C: UIDL" << uidlAnswer(3) << "C: LIST" << listAnswer(3) << "C: RETR 1"
               << retrAnswer(Message1) << "C: RETR 2";
    script << "S: +OK"
           << "R: Subject: two\r\n\r\npart"
           << "X:";
    server.setScript(script);

    Pop3Client client;
    MemorySink sink;
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(run.stoppedAt, QStringLiteral("retrieve"));
    QCOMPARE(run.error.code(), ErrorCode::Network);
    QCOMPARE(sink.events, QStringList({QStringLiteral("begin 1"), QStringLiteral("end 1"),
                                       QStringLiteral("begin 2"), QStringLiteral("abort 2")}));
    QCOMPARE(sink.messages.value(1), Message1);
    QVERIFY(!sink.messages.contains(2));
    for (const QByteArray &line : server.received())
        QVERIFY2(!line.startsWith("DELE") && line != "QUIT", line.constData());
}

// Disk full while writing message 2: the session ends at once, without QUIT.
void TestPop3ClientFailures::sinkFailureAbortsSession()
{
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"UIDL"});
    script << "C: UIDL" << uidlAnswer(3) << "C: LIST" << listAnswer(3) << "C: RETR 1"
           << retrAnswer(Message1) << "C: RETR 2" << retrAnswer(Message2) << "C: RETR 3"
           << retrAnswer(Message3);
    server.setScript(script);
    Pop3Client client;
    MemorySink sink;
    sink.failWriteOf = 2;
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QCOMPARE(run.stoppedAt, QStringLiteral("retrieve"));
    QCOMPARE(run.error.code(), ErrorCode::Storage);
    QCOMPARE(run.error.message(), QStringLiteral("disk full"));
    QCOMPARE(sink.events, QStringList({QStringLiteral("begin 1"), QStringLiteral("end 1"),
                                       QStringLiteral("begin 2"), QStringLiteral("abort 2")}));
    QVERIFY(server.waitForClientGone());
    QCOMPARE(server.received().last(), QByteArray("RETR 2"));
}

void TestPop3ClientFailures::droppedBeforeQuitReply()
{
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"UIDL"});
    script << "C: UIDL" << uidlAnswer(1) << "C: LIST" << listAnswer(1) << "C: RETR 1"
           << retrAnswer(Message1) << "C: DELE 1"
           << "S: +OK"
           << "C: QUIT"
           << "X:";
    server.setScript(script);
    Pop3Client client;
    MemorySink sink;
    QSignalSpy closed(&client, &MailboxClient::closed);
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QCOMPARE(run.stoppedAt, QStringLiteral("close"));
    QCOMPARE(run.error.code(), ErrorCode::Network);
    QVERIFY2(run.error.message().contains(QStringLiteral("not committed")),
             qPrintable(run.error.message()));
    QVERIFY(closed.isEmpty());
}

// The server hangs up while nobody waits: the next call reports it.
void TestPop3ClientFailures::droppedWhileIdle()
{
    FakePop3Server server;
    server.setScript(loginScript({"UIDL"}) << "X:");
    Pop3Client client;
    MemorySink sink;
    const SessionRun opened = runSession(client, optionsFor(server), sink, QStringLiteral("open"));
    QCOMPARE(opened.stoppedAt, QStringLiteral("done"));
    QVERIFY(server.waitForClientGone());
    QSignalSpy failed(&client, &MailboxClient::failed);
    QSignalSpy listed(&client, &MailboxClient::listed);
    client.list();
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().first().value<Result>().code(), ErrorCode::Network);
    QVERIFY(listed.isEmpty());
}

void TestPop3ClientFailures::callOutOfOrder()
{
    Pop3Client client;
    QSignalSpy failed(&client, &MailboxClient::failed);
    client.list();
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().first().value<Result>().code(), ErrorCode::Protocol);
}

// -ERR to one RETR and to one DELE: each is reported for its message, the session goes on
// with the others, and QUIT commits the removals that succeeded.
void TestPop3ClientFailures::refusedRetrAndDeleGoOn()
{
    QList<QByteArray> s = loginScript({"UIDL", "USER"});
    s << "C: UIDL" << uidlAnswer(2) << "C: LIST" << listAnswer(2) << "C: RETR 1"
      << "S: -ERR message 1 is damaged"
      << "C: RETR 2" << retrAnswer(Message2) << "C: DELE 1"
      << "S: +OK"
      << "C: DELE 2"
      << "S: -ERR [SYS/PERM] cannot delete"
      << "C: QUIT"
      << "S: +OK bye";
    FakePop3Server server;
    server.setScript(s);
    Pop3Client client;
    MemorySink sink;
    QSignalSpy refused(&client, &MailboxClient::messageRefused);
    QSignalSpy removalRefused(&client, &MailboxClient::removalRefused);
    const SessionRun run = runSession(client, optionsFor(server), sink);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QCOMPARE(run.stoppedAt, QStringLiteral("done"));
    QVERIFY(run.committed);
    QCOMPARE(sink.events, QStringList({QStringLiteral("begin 2"), QStringLiteral("end 2")}));
    QCOMPARE(sink.messages.value(2), Message2);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().at(0).value<RemoteMessage>().uid, QStringLiteral("uid-1"));
    const Result retr = refused.first().at(1).value<Result>();
    QCOMPARE(retr.code(), ErrorCode::ServerError);
    QVERIFY2(retr.message().contains(QLatin1String("message 1 is damaged")),
             qPrintable(retr.message()));
    QCOMPARE(removalRefused.size(), 1);
    QCOMPARE(removalRefused.first().at(0).value<RemoteMessage>().uid, QStringLiteral("uid-2"));
    QVERIFY(removalRefused.first().at(1).value<Result>().message().contains(
        QLatin1String("cannot delete")));
}

QTEST_GUILESS_MAIN(TestPop3ClientFailures)
#include "tst_pop3clientfailures.moc"
