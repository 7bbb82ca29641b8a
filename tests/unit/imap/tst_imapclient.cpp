// ImapClient against scripted servers: a whole session, pipelining, literals split at every
// byte, removal with and without UIDPLUS, IDLE.
#include "ImapTestSupport.h"
#include "imap/ImapClient.h"
#include "imap/ImapIdleWatcher.h"

#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

// Open, list 3, retrieve (3 UID FETCH commands in flight), remove with UIDPLUS, logout.
QList<QByteArray> fullScript(bool uidFirst = true)
{
    QList<QByteArray> s = imapOpenScript();
    s << "C: A3 UID FETCH 1:* (UID RFC822.SIZE)" << imapListAnswer("A3", 3)
      << "C: A4 UID FETCH 1 (UID BODY.PEEK[])"
      << "C: A5 UID FETCH 2 (UID BODY.PEEK[])"
      << "C: A6 UID FETCH 3 (UID BODY.PEEK[])";
    for (int uid = 1; uid <= 3; ++uid)
        s << imapBodyAnswer(uid, uidFirst || uid != 2)
          << "S: * " + QByteArray::number(uid) + " FETCH (FLAGS (\\Recent))"
          << "S: A" + QByteArray::number(3 + uid) + " OK Fetch completed";
    s << "C: A7 UID STORE 1:3 +FLAGS.SILENT (\\Deleted)"
      << "S: A7 OK Store completed"
      << "C: A8 UID EXPUNGE 1:3"
      << "S: * 1 EXPUNGE"
      << "S: * 1 EXPUNGE"
      << "S: * 1 EXPUNGE"
      << "S: A8 OK Expunge completed"
      << "C: A9 LOGOUT"
      << "S: * BYE Logging out"
      << "S: A9 OK Logout completed";
    return s;
}

} // namespace

class TestImapClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<pollux::Result>();
        qRegisterMetaType<pollux::RemoteMessage>();
    }

    void fullSession_data()
    {
        QTest::addColumn<bool>("oneByte");
        QTest::newRow("whole-writes") << false;
        QTest::newRow("literal-split-at-every-byte") << true;
    }
    void fullSession()
    {
        QFETCH(bool, oneByte);
        FakeImapServer server;
        server.setScript(fullScript(false));
        server.setOneBytePerWrite(oneByte);
        imap::ImapClient client;
        MemorySink sink;
        const SessionRun run = runSession(client, imapOptionsFor(server), sink);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.stoppedAt, QStringLiteral("done"));
        QVERIFY(run.committed);
        QCOMPARE(run.listed.size(), 3);
        QCOMPARE(run.listed.at(1).uid, QStringLiteral("42:2"));
        QCOMPARE(run.listed.at(1).index, qint64(2));
        QCOMPARE(run.listed.at(1).size, qint64(imapMessage(2).size()));
        for (int uid = 1; uid <= 3; ++uid)
            QCOMPARE(sink.messages.value(uid), imapMessage(uid));
        QVERIFY(client.pipelined());
        QVERIFY2(server.maxOutstanding() >= 3, "the UID FETCH batches were pipelined");
        QCOMPARE(client.uidValidity(), qint64(42));
        for (const QByteArray &line : server.received())
            QVERIFY2(!line.contains("BODY[]"), "only BODY.PEEK[]: \\Seen is never set");
    }

    // The completeness rule for IMAP: only the whole body (BODY[] as a literal, literal8 or
    // quoted string) of the size RFC822.SIZE announced is a message; a partial, another
    // section, NIL or a disagreeing size is refused, and the others are retrieved all the same.
    void bodyForms_data()
    {
        QTest::addColumn<QList<QByteArray>>("answer2"); // the untagged FETCH for UID 2
        QTest::addColumn<qint64>("listedSize2");        // RFC822.SIZE of UID 2 in the listing
        QTest::addColumn<QByteArray>("stored2");        // what the sink holds; empty: refused
        QTest::addColumn<QString>("mentions");          // in the refusal

        const QByteArray body = imapMessage(2);
        const QByteArray n = QByteArray::number(body.size());
        const qint64 size = body.size();
        using Lines = QList<QByteArray>;
        QTest::newRow("literal") << Lines{"S: * 2 FETCH (UID 2 BODY[] {" + n + "}", "R: " + body,
                                          "S: )"}
                                 << size << body << QString();
        QTest::newRow("literal8") << Lines{"S: * 2 FETCH (UID 2 BODY[] ~{" + n + "}", "R: " + body,
                                           "S: )"}
                                  << size << body << QString();
        QTest::newRow("quoted-string")
            << Lines{"S: * 2 FETCH (UID 2 BODY[] \"Subject: \\\"q\\\" \\\\ one line\")"}
            << qint64(23) << QByteArray("Subject: \"q\" \\ one line") << QString();
        QTest::newRow("lf-counted-size")
            << Lines{"S: * 2 FETCH (UID 2 BODY[] {" + n + "}", "R: " + body, "S: )"}
            << qint64(size - body.count("\r\n")) << body << QString();
        QTest::newRow("partial-origin-0")
            << Lines{"S: * 2 FETCH (UID 2 BODY[]<0> {" + n + "}", "R: " + body, "S: )"} << size
            << QByteArray() << QStringLiteral("BODY[]<0>");
        QTest::newRow("header-section")
            << Lines{"S: * 2 FETCH (UID 2 BODY[HEADER] {" + n + "}", "R: " + body, "S: )"} << size
            << QByteArray() << QStringLiteral("BODY[HEADER]");
        QTest::newRow("binary-section")
            << Lines{"S: * 2 FETCH (UID 2 BINARY[] {" + n + "}", "R: " + body, "S: )"} << size
            << QByteArray() << QStringLiteral("BINARY[]");
        QTest::newRow("nil") << Lines{"S: * 2 FETCH (UID 2 BODY[] NIL)"} << size << QByteArray()
                             << QStringLiteral("NIL");
        QTest::newRow("larger-than-announced")
            << Lines{"S: * 2 FETCH (UID 2 BODY[] {" + n + "}", "R: " + body, "S: )"}
            << qint64(size - 1) << QByteArray() << QStringLiteral("announced %1").arg(size - 1);
        QTest::newRow("smaller-than-announced")
            << Lines{"S: * 2 FETCH (UID 2 BODY[] {" + n + "}", "R: " + body, "S: )"}
            << qint64(size + 7) << QByteArray() << QStringLiteral("announced %1").arg(size + 7);
    }
    void bodyForms()
    {
        QFETCH(QList<QByteArray>, answer2);
        QFETCH(qint64, listedSize2);
        QFETCH(QByteArray, stored2);
        QFETCH(QString, mentions);

        QList<QByteArray> s = imapOpenScript();
        s << "C: A3 UID FETCH 1:* (UID RFC822.SIZE)";
        for (int uid = 1; uid <= 3; ++uid) {
            const qint64 size = uid == 2 ? listedSize2 : imapMessage(uid).size();
            s << "S: * " + QByteArray::number(uid) + " FETCH (UID " + QByteArray::number(uid) +
                     " RFC822.SIZE " + QByteArray::number(size) + ")";
        }
        s << "S: A3 OK Fetch completed"
          << "C: A4 UID FETCH 1 (UID BODY.PEEK[])"
          << "C: A5 UID FETCH 2 (UID BODY.PEEK[])"
          << "C: A6 UID FETCH 3 (UID BODY.PEEK[])" << imapBodyAnswer(1) << "S: A4 OK done"
          << answer2 << "S: A5 OK done" << imapBodyAnswer(3) << "S: A6 OK done";
        FakeImapServer server;
        server.setScript(s);
        imap::ImapClient client;
        QSignalSpy refused(&client, &MailboxClient::messageRefused);
        MemorySink sink;
        const SessionRun run =
            runSession(client, imapOptionsFor(server), sink, QStringLiteral("retrieve"));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.stoppedAt, QStringLiteral("done"));
        QCOMPARE(sink.messages.value(1), imapMessage(1));
        QCOMPARE(sink.messages.value(3), imapMessage(3)); // the others go on
        if (!stored2.isEmpty()) {
            QCOMPARE(sink.messages.value(2), stored2);
            QCOMPARE(refused.size(), 0);
            return;
        }
        QVERIFY(!sink.messages.contains(2));
        QVERIFY(!sink.events.contains(QStringLiteral("end 2")));
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.at(0).at(0).value<RemoteMessage>().uid, QStringLiteral("42:2"));
        const Result reason = refused.at(0).at(1).value<Result>();
        QCOMPARE(reason.code(), ErrorCode::Integrity);
        QVERIFY2(reason.message().contains(QStringLiteral("42:2")) &&
                     reason.message().contains(mentions),
                 qPrintable(reason.message()));
    }

    void batchesCoverManyUids()
    {
        QCOMPARE(imap::ImapClient::batchSize(1), 1);
        QCOMPARE(imap::ImapClient::batchSize(10), 3);
        QCOMPARE(imap::ImapClient::batchSize(1000), 32);
    }

    void greetings_data()
    {
        QTest::addColumn<QByteArray>("greeting");
        QTest::addColumn<int>("code");
        QTest::newRow("pop3") << QByteArray("+OK POP3 ready") << int(ErrorCode::Protocol);
        QTest::newRow("smtp") << QByteArray("220 mail.example.com ESMTP")
                              << int(ErrorCode::Protocol);
        QTest::newRow("garbage") << QByteArray("\x01\x02garbage") << int(ErrorCode::Protocol);
        QTest::newRow("tagged") << QByteArray("A1 OK hello") << int(ErrorCode::Protocol);
        QTest::newRow("untagged-no") << QByteArray("* NO go away") << int(ErrorCode::Protocol);
        QTest::newRow("bye") << QByteArray("* BYE too many connections")
                             << int(ErrorCode::ServerError);
        QTest::newRow("bye-unavailable")
            << QByteArray("* BYE [UNAVAILABLE] later") << int(ErrorCode::TemporaryFailure);
        QTest::newRow("preauth-plain") << QByteArray("* PREAUTH welcome") << int(ErrorCode::Tls);
    }
    void greetings()
    {
        QFETCH(QByteArray, greeting);
        QFETCH(int, code);
        FakeImapServer server;
        server.setScript({"S: " + greeting});
        imap::ImapClient client;
        MemorySink sink;
        const SessionRun run = runSession(client, imapOptionsFor(server), sink);
        QCOMPARE(run.stoppedAt, QStringLiteral("open"));
        QCOMPARE(int(run.error.code()), code);
        QVERIFY2(server.received().isEmpty(), "nothing, least of all a password, was sent");
    }

    void preauthUnderStartTlsIsRefused()
    {
        FakeImapServer server;
        server.setScript({"S: * PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome"});
        imap::ImapClient client;
        MemorySink sink;
        MailboxOptions o = imapOptionsFor(server);
        o.endpoint.tls = net::TlsMode::StartTls;
        const SessionRun run = runSession(client, o, sink);
        QCOMPARE(run.stoppedAt, QStringLiteral("open"));
        QCOMPARE(run.error.code(), ErrorCode::Tls);
        QVERIFY(server.received().isEmpty());
    }

    void startTlsNotOfferedSendsNoPassword()
    {
        FakeImapServer server;
        server.setScript({"S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready"});
        imap::ImapClient client;
        MemorySink sink;
        MailboxOptions o = imapOptionsFor(server);
        o.endpoint.tls = net::TlsMode::StartTls;
        const SessionRun run = runSession(client, o, sink);
        QCOMPARE(run.error.code(), ErrorCode::Tls);
        QVERIFY(server.received().isEmpty());
    }

    void plaintextLoginNeedsConsent()
    {
        FakeImapServer server;
        server.setScript({"S: * OK [CAPABILITY IMAP4rev1] ready"});
        imap::ImapClient client;
        MemorySink sink;
        MailboxOptions o = imapOptionsFor(server);
        o.allowPlaintextLogin = false;
        const SessionRun run = runSession(client, o, sink);
        QCOMPARE(run.stoppedAt, QStringLiteral("open"));
        QCOMPARE(run.error.code(), ErrorCode::Tls);
        QVERIFY(server.received().isEmpty());
    }

    void capabilityAskedWhenNotInGreeting()
    {
        FakeImapServer server;
        server.setScript({"S: * OK ready", "C: A1 CAPABILITY", "S: * CAPABILITY IMAP4rev1 LITERAL+",
                          "S: A1 OK done",
                          // a non-ASCII password goes as a literal; LITERAL+: no round trip
                          "C: A2 LOGIN \"alice\" {6+}", "C: p\xc3\xa4ss!", "S: A2 OK in",
                          "C: A3 CAPABILITY", "S: * CAPABILITY IMAP4rev1", "S: A3 OK done",
                          "C: A4 SELECT \"Entw&APw-rfe\"", "S: * 0 EXISTS",
                          "S: * OK [UIDVALIDITY 7] x", "S: A4 OK done"});
        imap::ImapClient client;
        MemorySink sink;
        MailboxOptions o = imapOptionsFor(server);
        o.password = QString::fromUtf8("p\xc3\xa4ss!");
        o.folder = QString::fromUtf8("Entw\xc3\xbcrfe");
        const SessionRun run = runSession(client, o, sink, QStringLiteral("list"));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.stoppedAt, QStringLiteral("done"));
        QVERIFY(run.listed.isEmpty()); // an empty mailbox is listed without a FETCH
    }

    void literalWaitsForContinuation()
    {
        FakeImapServer server;
        server.setScript({"S: * OK [CAPABILITY IMAP4rev1] ready", "C: A1 LOGIN \"alice\" {5}",
                          "S: + go ahead", "C: s\xc3\xa9\"c", "S: A1 OK in", "C: A2 CAPABILITY",
                          "S: A2 OK done", "C: A3 SELECT \"INBOX\"", "S: * 0 EXISTS",
                          "S: * OK [UIDVALIDITY 7] x", "S: A3 OK done"});
        imap::ImapClient client;
        MemorySink sink;
        MailboxOptions o = imapOptionsFor(server);
        o.password = QString::fromUtf8("s\xc3\xa9\"c");
        const SessionRun run = runSession(client, o, sink, QStringLiteral("open"));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.stoppedAt, QStringLiteral("done"));
    }

    void failureAtEachStep_data()
    {
        QTest::addColumn<QList<QByteArray>>("tail");
        QTest::addColumn<QString>("stoppedAt");
        QTest::addColumn<int>("code");
        const QList<QByteArray> greeting{"S: * OK [CAPABILITY IMAP4rev1 UIDPLUS] ready",
                                         "C: A1 LOGIN \"alice\" \"secret\""};
        QTest::newRow("login-no") << (greeting +
                                      QList<QByteArray>{"S: A1 NO [AUTHENTICATIONFAILED] no"})
                                  << "open" << int(ErrorCode::AuthFailed);
        QTest::newRow("login-unavailable")
            << (greeting + QList<QByteArray>{"S: A1 NO [UNAVAILABLE] try later"}) << "open"
            << int(ErrorCode::TemporaryFailure);
        QTest::newRow("login-bad") << (greeting + QList<QByteArray>{"S: A1 BAD what"}) << "open"
                                   << int(ErrorCode::AuthFailed);
        QList<QByteArray> login = greeting;
        login << "S: A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] in"
              << "C: A2 SELECT \"INBOX\"";
        QByteArray chatter;
        for (int i = 0; i < 10001; ++i)
            chatter += "* OK still here\r\n";
        QTest::newRow("endless-untagged-ok")
            << (login + QList<QByteArray>{"R: " + chatter}) << "open" << int(ErrorCode::Protocol);
        QTest::newRow("select-no") << (login + QList<QByteArray>{"S: A2 NO no such folder"})
                                   << "open" << int(ErrorCode::ServerError);
        QTest::newRow("select-without-uidvalidity")
            << (login + QList<QByteArray>{"S: * 1 EXISTS", "S: A2 OK done"}) << "open"
            << int(ErrorCode::Protocol);
        QList<QByteArray> selected = login;
        selected << "S: * 1 EXISTS"
                 << "S: * OK [UIDVALIDITY 42] x"
                 << "S: A2 OK done"
                 << "C: A3 UID FETCH 1:* (UID RFC822.SIZE)";
        QTest::newRow("list-no") << (selected + QList<QByteArray>{"S: A3 NO broken"}) << "list"
                                 << int(ErrorCode::ServerError);
        QTest::newRow("list-bad") << (selected + QList<QByteArray>{"S: A3 BAD syntax"}) << "list"
                                  << int(ErrorCode::ServerError);
        QTest::newRow("list-unknown-tag") << (selected + QList<QByteArray>{"S: B9 OK what"})
                                          << "list" << int(ErrorCode::Protocol);
        QTest::newRow("list-drop")
            << (selected + QList<QByteArray>{"X:"}) << "list" << int(ErrorCode::Network);
        QList<QByteArray> listed = selected + imapListAnswer("A3", 1);
        listed << "C: A4 UID FETCH 1 (UID BODY.PEEK[])";
        QTest::newRow("fetch-foreign-uid")
            << (listed + QList<QByteArray>{"S: * 1 FETCH (UID 9 BODY[] {2}", "R: ab", "S: )"})
            << "retrieve" << int(ErrorCode::Protocol);
        QTest::newRow("fetch-huge-literal")
            << (listed +
                QList<QByteArray>{"S: * 1 FETCH (UID 1 BODY[] {999999999999}", "R: xxxxxxxx"})
            << "retrieve" << int(ErrorCode::Protocol);
        QTest::newRow("fetch-huge-header-literal")
            << (listed +
                QList<QByteArray>{"S: * 1 FETCH (UID 1 BODY[HEADER] {4000000000}", "R: xxxxxxxx"})
            << "retrieve" << int(ErrorCode::LineTooLong);
    }
    void failureAtEachStep()
    {
        QFETCH(QList<QByteArray>, tail);
        QFETCH(QString, stoppedAt);
        QFETCH(int, code);
        FakeImapServer server;
        server.setScript(tail);
        imap::ImapClient client;
        MemorySink sink;
        const SessionRun run = runSession(client, imapOptionsFor(server), sink);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.stoppedAt, stoppedAt);
        QCOMPARE(int(run.error.code()), code);
        QVERIFY(sink.messages.isEmpty() || stoppedAt == QLatin1String("remove"));
    }

    // A NO/BAD's words travel apart from our English message (Result::serverSaid()): the
    // status, the response code and the text, no tag; bounded and cleaned.
    void serverWordsApart_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("said");
        QTest::newRow("login-no") << QByteArray("A1 NO [AUTHENTICATIONFAILED] Invalid credentials")
                                  << int(ErrorCode::AuthFailed)
                                  << QStringLiteral(
                                         "NO [AUTHENTICATIONFAILED] Invalid credentials");
        QTest::newRow("login-bad") << QByteArray("A1 BAD what") << int(ErrorCode::AuthFailed)
                                   << QStringLiteral("BAD what");
        QTest::newRow("login-inuse")
            << QByteArray("A1 NO [INUSE] mailbox in use") << int(ErrorCode::TemporaryFailure)
            << QStringLiteral("NO [INUSE] mailbox in use");
        // Hostile: 60 KB of text (under the 64 KB line limit) and terminal escapes.
        QTest::newRow("hostile-long")
            << QByteArray("A1 NO " + QByteArray(60 * 1024, 'y')) << int(ErrorCode::AuthFailed)
            << QString(QStringLiteral("NO ") +
                       QString(Result::MaxServerSaid - 3, QLatin1Char('y')) + QChar(0x2026));
        QTest::newRow("hostile-control")
            << QByteArray("A1 NO bad\x1b]0;owned\x07 login") << int(ErrorCode::AuthFailed)
            << QStringLiteral("NO bad ]0;owned login");
    }
    void serverWordsApart()
    {
        QFETCH(QByteArray, answer);
        QFETCH(int, code);
        QFETCH(QString, said);
        FakeImapServer server;
        server.setScript({"S: * OK [CAPABILITY IMAP4rev1 UIDPLUS] ready",
                          "C: A1 LOGIN \"alice\" \"secret\"", "S: " + answer});
        imap::ImapClient client;
        MemorySink sink;
        const SessionRun run = runSession(client, imapOptionsFor(server), sink);
        QCOMPARE(int(run.error.code()), code);
        QCOMPARE(run.error.serverSaid(), said);
        QCOMPARE(run.error.serverHost(), QStringLiteral("127.0.0.1"));
        QCOMPARE(run.error.serverPort(), server.port());
        QVERIFY(!run.error.serverSaid().contains(QLatin1String("secret")));
    }

    // A FETCH of two UIDs refused: each fetched alone, and only the one the server still
    // refuses is reported; the EXPUNGE answered OK without that one: reported kept. The
    // session goes on and its other removals count.
    void refusalsGoOn()
    {
        FakeImapServer server;
        QList<QByteArray> s = imapOpenScript("IMAP4rev1 UIDPLUS", 5);
        s << "C: A3 UID FETCH 1:* (UID RFC822.SIZE)" << imapListAnswer("A3", 5)
          << "C: A4 UID FETCH 1:2 (UID BODY.PEEK[])"
          << "C: A5 UID FETCH 3:4 (UID BODY.PEEK[])"
          << "C: A6 UID FETCH 5 (UID BODY.PEEK[])" << imapBodyAnswer(1)
          << "S: A4 NO [SERVERBUG] cannot read a message"
          << "C: A7 UID FETCH 2 (UID BODY.PEEK[])" << imapBodyAnswer(3) << imapBodyAnswer(4)
          << "S: A5 OK done" << imapBodyAnswer(5) << "S: A6 OK done"
          << "S: A7 NO [SERVERBUG] cannot read message 2"
          << "C: A8 UID STORE 1:5 +FLAGS.SILENT (\\Deleted)"
          << "S: A8 OK done"
          << "C: A9 UID EXPUNGE 1:5"
          << "S: * 1 EXPUNGE"
          << "S: * 2 EXPUNGE"
          << "S: * 2 EXPUNGE"
          << "S: * 2 EXPUNGE"
          << "S: A9 OK done"
          << "C: A10 LOGOUT"
          << "S: A10 OK bye";
        server.setScript(s);
        imap::ImapClient client;
        MemorySink sink;
        QSignalSpy refused(&client, &MailboxClient::messageRefused);
        QSignalSpy removalRefused(&client, &MailboxClient::removalRefused);
        const SessionRun run = runSession(client, imapOptionsFor(server), sink);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.stoppedAt, QStringLiteral("done"));
        QVERIFY(run.committed);
        QCOMPARE(sink.messages.keys(), (QList<qint64>{1, 3, 4, 5}));
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().at(0).value<RemoteMessage>().uid, QStringLiteral("42:2"));
        const Result reason = refused.first().at(1).value<Result>();
        QCOMPARE(reason.code(), ErrorCode::ServerError);
        QVERIFY2(reason.message().contains(QLatin1String("cannot read message 2")),
                 qPrintable(reason.message()));
        QCOMPARE(removalRefused.size(), 1);
        QCOMPARE(removalRefused.first().at(0).value<RemoteMessage>().uid, QStringLiteral("42:2"));
    }

    void dropMidLiteralAbortsTheMessage()
    {
        FakeImapServer server;
        QList<QByteArray> s = imapOpenScript("IMAP4rev1 UIDPLUS", 2);
        s << "C: A3 UID FETCH 1:* (UID RFC822.SIZE)" << imapListAnswer("A3", 2)
          << "C: A4 UID FETCH 1 (UID BODY.PEEK[])"
          << "C: A5 UID FETCH 2 (UID BODY.PEEK[])" << imapBodyAnswer(1) << "S: A4 OK done"
          << "S: * 2 FETCH (UID 2 BODY[] {500}"
          << "R: only part of the message"
          << "X:";
        server.setScript(s);
        imap::ImapClient client;
        MemorySink sink;
        const SessionRun run = runSession(client, imapOptionsFor(server), sink);
        QCOMPARE(run.stoppedAt, QStringLiteral("retrieve"));
        QCOMPARE(run.error.code(), ErrorCode::Network);
        QCOMPARE(sink.events, (QStringList{QStringLiteral("begin 1"), QStringLiteral("end 1"),
                                           QStringLiteral("begin 2"), QStringLiteral("abort 2")}));
        QCOMPARE(sink.messages.keys(), QList<qint64>{1});
        for (const QByteArray &line : server.received())
            QVERIFY(!line.contains("STORE") && !line.contains("EXPUNGE"));
    }

    void vanishedMessageIsSkipped()
    {
        FakeImapServer server;
        QList<QByteArray> s = imapOpenScript("IMAP4rev1 UIDPLUS", 2);
        s << "C: A3 UID FETCH 1:* (UID RFC822.SIZE)" << imapListAnswer("A3", 2)
          << "C: A4 UID FETCH 1 (UID BODY.PEEK[])"
          << "C: A5 UID FETCH 2 (UID BODY.PEEK[])"
          << "S: * 1 EXPUNGE"
          << "S: A4 OK nothing for you" << imapBodyAnswer(1) // now sequence 1 is UID 2...
          << "S: A5 OK done";
        // ...so the server sends UID 2 as sequence 1 with the UID: fix the answer up.
        s[s.size() - 4] =
            "S: * 1 FETCH (UID 2 BODY[] {" + QByteArray::number(imapMessage(2).size()) + "}";
        s[s.size() - 3] = "R: " + imapMessage(2);
        server.setScript(s);
        imap::ImapClient client;
        MemorySink sink;
        const SessionRun run =
            runSession(client, imapOptionsFor(server), sink, QStringLiteral("retrieve"));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.stoppedAt, QStringLiteral("done"));
        QCOMPARE(sink.messages.keys(), QList<qint64>{2});
        QCOMPARE(sink.messages.value(2), imapMessage(2));
    }

    void removalWithoutUidplus_data()
    {
        QTest::addColumn<QByteArray>("searchAnswer");
        QTest::addColumn<bool>("expunge");
        QTest::newRow("no-foreign-deleted") << QByteArray("* SEARCH") << true;
        QTest::newRow("only-ours-deleted") << QByteArray("* SEARCH 1") << true;
        QTest::newRow("foreign-deleted-kept") << QByteArray("* SEARCH 9 12") << false;
        QTest::newRow("ours-and-foreign") << QByteArray("* SEARCH 1 12") << false;
    }
    void removalWithoutUidplus()
    {
        QFETCH(QByteArray, searchAnswer);
        QFETCH(bool, expunge);
        FakeImapServer server;
        QList<QByteArray> s = imapOpenScript("IMAP4rev1", 1);
        s << "C: A3 UID FETCH 1:* (UID RFC822.SIZE)" << imapListAnswer("A3", 1)
          << "C: A4 UID FETCH 1 (UID BODY.PEEK[])" << imapBodyAnswer(1) << "S: A4 OK done"
          << "C: A5 UID STORE 1 +FLAGS.SILENT (\\Deleted)"
          << "S: A5 OK done"
          << "C: A6 UID SEARCH DELETED"
          << "S: " + searchAnswer << "S: A6 OK done";
        if (expunge)
            s << "C: A7 EXPUNGE"
              << "S: * 1 EXPUNGE"
              << "S: A7 OK done"
              << "C: A8 LOGOUT"
              << "S: A8 OK bye";
        else
            s << "C: A7 LOGOUT"
              << "S: A7 OK bye";
        server.setScript(s);
        imap::ImapClient client;
        MemorySink sink;
        const SessionRun run = runSession(client, imapOptionsFor(server), sink);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        QCOMPARE(run.stoppedAt, QStringLiteral("done"));
        QCOMPARE(run.committed, expunge);
    }

    void idle()
    {
        FakeImapServer server;
        QList<QByteArray> s = imapOpenScript("IMAP4rev1 IDLE", 1);
        s << "C: A3 IDLE"
          << "S: + idling"
          << "S: * 2 EXISTS"
          << "C: DONE"
          << "S: A3 OK Idle completed";
        server.setScript(s);
        imap::ImapClient client;
        QSignalSpy opened(&client, &MailboxClient::opened);
        QSignalSpy idling(&client, &imap::ImapClient::idling);
        QSignalSpy grew(&client, &imap::ImapClient::mailboxGrew);
        QSignalSpy stopped(&client, &imap::ImapClient::idleStopped);
        client.open(imapOptionsFor(server));
        QVERIFY(opened.wait(5000));
        QVERIFY(client.hasCapability("IDLE"));
        client.idle();
        QTRY_COMPARE_WITH_TIMEOUT(grew.size(), 1, 5000);
        QCOMPARE(idling.size(), 1);
        QCOMPARE(grew.first().first().toLongLong(), qint64(2));
        client.stopIdle();
        QVERIFY(stopped.wait(5000));
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    }

    void idleWatcherRenewsAndReportsNewMail()
    {
        FakeImapServer server;
        QList<QByteArray> s = imapOpenScript("IMAP4rev1 IDLE", 1);
        s << "C: A3 IDLE"
          << "S: + idling"
          << "C: DONE" // renewed after renewMs
          << "S: A3 OK Idle completed"
          << "C: A4 IDLE"
          << "S: + idling"
          << "S: * 2 EXISTS";
        server.setScript(s);
        imap::ImapIdleWatcher::Settings settings;
        settings.renewMs = 200;
        imap::ImapIdleWatcher watcher(settings);
        QSignalSpy newMail(&watcher, &imap::ImapIdleWatcher::newMail);
        QSignalSpy idling(&watcher, &imap::ImapIdleWatcher::idling);
        watcher.start(imapOptionsFor(server));
        // Once when IDLE first starts (mail may have come before), once for the EXISTS.
        QTRY_COMPARE_WITH_TIMEOUT(newMail.size(), 2, 5000);
        QCOMPARE(idling.size(), 2);
        QVERIFY(server.scriptFinished());
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        watcher.stop();
        QVERIFY(server.waitForClientGone());
    }

    void idleWatcherGivesUpWithoutIdle()
    {
        FakeImapServer server;
        server.setScript(imapOpenScript("IMAP4rev1", 1));
        imap::ImapIdleWatcher watcher(imap::ImapIdleWatcher::Settings{});
        QSignalSpy unsupported(&watcher, &imap::ImapIdleWatcher::unsupported);
        watcher.start(imapOptionsFor(server));
        QVERIFY(unsupported.wait(5000));
        QVERIFY(server.waitForClientGone());
    }
};

QTEST_MAIN(TestImapClient)
#include "tst_imapclient.moc"
