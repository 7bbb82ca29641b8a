#include "pop3/Pop3Parser.h"

#include <QRandomGenerator>
#include <QTest>

using namespace pollux;
using namespace pollux::pop3;

Q_DECLARE_METATYPE(pollux::pop3::ResponseCode)

class TestPop3Parser : public QObject
{
    Q_OBJECT
private slots:
    void status_data();
    void status();
    void lineSplitter_data();
    void lineSplitter();
    void lineSplitterKeepsRestForData();
    void greetingTimestamp_data();
    void greetingTimestamp();
    void apopDigestRfcExample();
    void capabilities_data();
    void capabilities();
    void multilineHelpers();
    void uidlLine_data();
    void uidlLine();
    void listLine_data();
    void listLine();
    void joinListing_data();
    void joinListing();
    void loginFailure_data();
    void loginFailure();
    void randomGarbage();
};

void TestPop3Parser::status_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<ResponseCode>("code");

    const auto none = ResponseCode::None;
    QTest::newRow("ok-bare") << QByteArray("+OK") << true << true << QByteArray() << none;
    QTest::newRow("ok-text") << QByteArray("+OK 2 messages (320 octets)") << true << true
                             << QByteArray("2 messages (320 octets)") << none;
    QTest::newRow("err-text") << QByteArray("-ERR no such message") << true << false
                              << QByteArray("no such message") << none;
    QTest::newRow("ok-lowercase") << QByteArray("+ok fine") << true << true << QByteArray("fine")
                                  << none;
    QTest::newRow("err-mixedcase")
        << QByteArray("-Err nope") << true << false << QByteArray("nope") << none;
    QTest::newRow("ok-extra-spaces")
        << QByteArray("+OK   hi  ") << true << true << QByteArray("hi") << none;
    QTest::newRow("err-tab") << QByteArray("-ERR\tgone") << true << false << QByteArray("gone")
                             << none;
    QTest::newRow("err-in-use") << QByteArray("-ERR [IN-USE] Unable to lock maildrop") << true
                                << false << QByteArray("[IN-USE] Unable to lock maildrop")
                                << ResponseCode::InUse;
    QTest::newRow("err-in-use-lowercase") << QByteArray("-ERR [in-use] locked") << true << false
                                          << QByteArray("[in-use] locked") << ResponseCode::InUse;
    QTest::newRow("err-login-delay")
        << QByteArray("-ERR [LOGIN-DELAY] wait 900 s") << true << false
        << QByteArray("[LOGIN-DELAY] wait 900 s") << ResponseCode::LoginDelay;
    QTest::newRow("err-sys-temp") << QByteArray("-ERR [SYS/TEMP] disk full") << true << false
                                  << QByteArray("[SYS/TEMP] disk full") << ResponseCode::SysTemp;
    QTest::newRow("err-sys-perm") << QByteArray("-ERR [SYS/PERM] broken") << true << false
                                  << QByteArray("[SYS/PERM] broken") << ResponseCode::SysPerm;
    QTest::newRow("err-auth") << QByteArray("-ERR [AUTH] Authentication failed") << true << false
                              << QByteArray("[AUTH] Authentication failed") << ResponseCode::Auth;
    QTest::newRow("err-unknown-code") << QByteArray("-ERR [FOO/BAR] hmm") << true << false
                                      << QByteArray("[FOO/BAR] hmm") << ResponseCode::Other;
    QTest::newRow("err-unclosed-bracket") << QByteArray("-ERR [IN-USE locked") << true << false
                                          << QByteArray("[IN-USE locked") << none;
    QTest::newRow("err-code-not-first") << QByteArray("-ERR mailbox [IN-USE]") << true << false
                                        << QByteArray("mailbox [IN-USE]") << none;
    QTest::newRow("garbage-http") << QByteArray("HTTP/1.1 200 OK") << false << false << QByteArray()
                                  << none;
    QTest::newRow("garbage-smtp") << QByteArray("220 mail.example.com ESMTP") << false << false
                                  << QByteArray() << none;
    QTest::newRow("garbage-imap") << QByteArray("* OK IMAP4rev1 ready") << false << false
                                  << QByteArray() << none;
    QTest::newRow("garbage-empty") << QByteArray() << false << false << QByteArray() << none;
    QTest::newRow("garbage-okay") << QByteArray("+OKAY") << false << false << QByteArray() << none;
    QTest::newRow("garbage-error-word")
        << QByteArray("-ERROR bad") << false << false << QByteArray() << none;
    QTest::newRow("garbage-plus") << QByteArray("+") << false << false << QByteArray() << none;
    QTest::newRow("garbage-leading-space")
        << QByteArray(" +OK") << false << false << QByteArray() << none;
    QTest::newRow("garbage-nul") << QByteArray("+OK \0hidden", 11) << false << false << QByteArray()
                                 << none;
    QTest::newRow("garbage-nul-first")
        << QByteArray("\0+OK", 4) << false << false << QByteArray() << none;
    QTest::newRow("garbage-binary")
        << QByteArray("\x16\x03\x01\x02\x00", 5) << false << false << QByteArray() << none;
}

void TestPop3Parser::status()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QFETCH(bool, ok);
    QFETCH(QByteArray, text);
    QFETCH(ResponseCode, code);

    Status s;
    const Result r = parseStatus(line, s);
    QCOMPARE(r.ok(), valid);
    if (!valid) {
        QCOMPARE(r.code(), ErrorCode::Protocol);
        QVERIFY2(r.message().contains(quoteLine(line)), qPrintable(r.message()));
        return;
    }
    QCOMPARE(s.ok, ok);
    QCOMPARE(s.text, text);
    QCOMPARE(s.code, code);
}

void TestPop3Parser::lineSplitter_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<bool>("tooLong");
    QTest::addColumn<QByteArray>("rest");

    using L = QList<QByteArray>;
    QTest::newRow("crlf") << L{"+OK a\r\n-ERR b\r\n"} << L{"+OK a", "-ERR b"} << false
                          << QByteArray();
    QTest::newRow("bare-lf") << L{"+OK a\n+OK b\n"} << L{"+OK a", "+OK b"} << false << QByteArray();
    QTest::newRow("mixed") << L{"a\r\nb\nc\r\n"} << L{"a", "b", "c"} << false << QByteArray();
    QTest::newRow("empty-line") << L{"\r\n"} << L{""} << false << QByteArray();
    QTest::newRow("incomplete") << L{"+OK a\r\n+OK b"} << L{"+OK a"} << false
                                << QByteArray("+OK b");
    QTest::newRow("split-crlf") << L{"+OK a\r", "\n+O", "K b\r\n"} << L{"+OK a", "+OK b"} << false
                                << QByteArray();
    QTest::newRow("cr-inside-kept") << L{"a\rb\r\n"} << L{"a\rb"} << false << QByteArray();
    QTest::newRow("exactly-max") << L{QByteArray(16, 'x') + "\r\n"} << L{QByteArray(16, 'x')}
                                 << false << QByteArray();
    QTest::newRow("exactly-max-bare-lf")
        << L{QByteArray(16, 'x') + "\n"} << L{QByteArray(16, 'x')} << false << QByteArray();
    QTest::newRow("max-plus-one-terminated")
        << L{QByteArray(17, 'x') + "\r\n"} << L{} << true << QByteArray();
    QTest::newRow("max-plus-two-unterminated")
        << L{QByteArray(18, 'x')} << L{} << true << QByteArray();
    QTest::newRow("max-plus-cr-waits")
        << L{QByteArray(16, 'x') + "\r"} << L{} << false << QByteArray(16, 'x') + "\r";
    QTest::newRow("long-after-good")
        << L{"ok\r\n" + QByteArray(100, 'y')} << L{"ok"} << true << QByteArray();
}

void TestPop3Parser::lineSplitter()
{
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<QByteArray>, lines);
    QFETCH(bool, tooLong);
    QFETCH(QByteArray, rest);

    LineSplitter splitter(16);
    QList<QByteArray> got;
    bool sawTooLong = false;
    for (const QByteArray &chunk : chunks) {
        splitter.append(chunk);
        for (;;) {
            QByteArray line;
            bool complete = false;
            const Result r = splitter.takeLine(line, complete);
            if (!r) {
                QCOMPARE(r.code(), ErrorCode::LineTooLong);
                sawTooLong = true;
                break;
            }
            if (!complete)
                break;
            got.append(line);
        }
        if (sawTooLong)
            break;
    }
    QCOMPARE(got, lines);
    QCOMPARE(sawTooLong, tooLong);
    if (!tooLong)
        QCOMPARE(QByteArray(splitter.pendingData(), splitter.pendingSize()), rest);
}

void TestPop3Parser::lineSplitterKeepsRestForData()
{
    LineSplitter splitter;
    splitter.append(QByteArray("+OK 5 octets\r\nHello\r\n.\r\n+OK next\r\n"));
    QByteArray line;
    bool complete = false;
    QVERIFY(splitter.takeLine(line, complete).ok());
    QVERIFY(complete);
    QCOMPARE(line, QByteArray("+OK 5 octets"));
    DataDecoder decoder;
    QByteArray out;
    const qsizetype used = decoder.feed(splitter.pendingData(), splitter.pendingSize(), out);
    splitter.consume(used);
    QVERIFY(decoder.finished());
    QCOMPARE(out, QByteArray("Hello\r\n"));
    QVERIFY(splitter.takeLine(line, complete).ok());
    QVERIFY(complete);
    QCOMPARE(line, QByteArray("+OK next"));
    QCOMPARE(splitter.pendingSize(), 0);
}

void TestPop3Parser::greetingTimestamp_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("timestamp");

    QTest::newRow("rfc-example") << QByteArray(
                                        "POP3 server ready <1896.697170952@dbc.mtview.ca.us>")
                                 << QByteArray("<1896.697170952@dbc.mtview.ca.us>");
    QTest::newRow("in-middle") << QByteArray("ready <a.1@b> for you") << QByteArray("<a.1@b>");
    QTest::newRow("no-at-sign") << QByteArray("hi <12345.678>") << QByteArray("<12345.678>");
    QTest::newRow("first-of-two") << QByteArray("<a@b> <c@d>") << QByteArray("<a@b>");
    QTest::newRow("none") << QByteArray("Dovecot ready.") << QByteArray();
    QTest::newRow("empty-brackets") << QByteArray("ready <>") << QByteArray();
    QTest::newRow("unclosed") << QByteArray("ready <abc@def") << QByteArray();
    QTest::newRow("space-inside") << QByteArray("ready <a b@c>") << QByteArray();
    QTest::newRow("nested-open") << QByteArray("ready <a<b@c>") << QByteArray();
    QTest::newRow("control-char") << QByteArray("ready <a\x01@c>") << QByteArray();
    QTest::newRow("eight-bit") << QByteArray("ready <a\xe9@c>") << QByteArray();
    QTest::newRow("too-long") << QByteArray("<" + QByteArray(600, 'a') + "@b>") << QByteArray();
}

void TestPop3Parser::greetingTimestamp()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, timestamp);
    QCOMPARE(apopTimestamp(text), timestamp);
}

void TestPop3Parser::apopDigestRfcExample()
{
    // RFC 1939, section 7.
    QCOMPARE(apopDigest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf"),
             QByteArray("c4c9334bac560ecc979e58001b3e22fb"));
}

void TestPop3Parser::capabilities_data()
{
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<bool>("pipelining");
    QTest::addColumn<bool>("uidl");
    QTest::addColumn<bool>("user");
    QTest::addColumn<bool>("top");
    QTest::addColumn<bool>("stls");
    QTest::addColumn<bool>("respCodes");
    QTest::addColumn<QList<QByteArray>>("sasl");

    using L = QList<QByteArray>;
    QTest::newRow("dovecot") << L{"CAPA",           "TOP",  "UIDL", "RESP-CODES",      "PIPELINING",
                                  "AUTH-RESP-CODE", "STLS", "USER", "SASL PLAIN LOGIN"}
                             << true << true << true << true << true << true << L{"PLAIN", "LOGIN"};
    QTest::newRow("lowercase") << L{"pipelining", "uidl", "sasl plain"} << true << true << false
                               << false << false << false << L{"PLAIN"};
    QTest::newRow("minimal") << L{"USER"} << false << false << true << false << false << false
                             << L{};
    QTest::newRow("empty") << L{} << false << false << false << false << false << false << L{};
    QTest::newRow("unknown-and-garbage")
        << L{"X-FOO bar", "", "   ", "\x01\x02", "IMPLEMENTATION Blah 1.0", "EXPIRE NEVER"} << false
        << false << false << false << false << false << L{};
    QTest::newRow("extra-spaces") << L{"  PIPELINING  ", "SASL  XOAUTH2   PLAIN "} << true << false
                                  << false << false << false << false << L{"XOAUTH2", "PLAIN"};
    QTest::newRow("pipelining-prefix-not-enough")
        << L{"PIPELININGX"} << false << false << false << false << false << false << L{};
}

void TestPop3Parser::capabilities()
{
    QFETCH(QList<QByteArray>, lines);
    Capabilities caps;
    for (const QByteArray &line : lines)
        addCapability(caps, line);
    QTEST(caps.pipelining, "pipelining");
    QTEST(caps.uidl, "uidl");
    QTEST(caps.user, "user");
    QTEST(caps.top, "top");
    QTEST(caps.stls, "stls");
    QTEST(caps.respCodes, "respCodes");
    QTEST(caps.sasl, "sasl");
}

void TestPop3Parser::multilineHelpers()
{
    QVERIFY(isEndOfResponse("."));
    QVERIFY(!isEndOfResponse(".."));
    QVERIFY(!isEndOfResponse(""));
    QVERIFY(!isEndOfResponse(". "));
    QCOMPARE(unstuff(".."), QByteArray("."));
    QCOMPARE(unstuff("..x"), QByteArray(".x"));
    QCOMPARE(unstuff("x.."), QByteArray("x.."));
}

void TestPop3Parser::uidlLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("number");
    QTest::addColumn<QByteArray>("uid");

    const QByteArray uid70(70, 'u');
    QTest::newRow("rfc-example") << QByteArray("1 whqtswO00WBw418f9t5JxYwZ") << true << qint64(1)
                                 << QByteArray("whqtswO00WBw418f9t5JxYwZ");
    QTest::newRow("all-printable") << QByteArray("7 !~\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}") << true
                                   << qint64(7) << QByteArray("!~\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}");
    QTest::newRow("max-number") << QByteArray("2147483647 a") << true << qint64(2147483647)
                                << QByteArray("a");
    QTest::newRow("uid-70") << "3 " + uid70 << true << qint64(3) << uid70;
    QTest::newRow("trailing-space")
        << QByteArray("4 abc  ") << true << qint64(4) << QByteArray("abc");
    QTest::newRow("leading-zero") << QByteArray("007 abc") << true << qint64(7)
                                  << QByteArray("abc");
    QTest::newRow("uid-71") << "3 " + uid70 + "u" << false << qint64(0) << QByteArray();
    QTest::newRow("zero-number") << QByteArray("0 abc") << false << qint64(0) << QByteArray();
    QTest::newRow("negative") << QByteArray("-1 abc") << false << qint64(0) << QByteArray();
    QTest::newRow("plus-sign") << QByteArray("+1 abc") << false << qint64(0) << QByteArray();
    QTest::newRow("hex") << QByteArray("0x1 abc") << false << qint64(0) << QByteArray();
    QTest::newRow("number-too-big")
        << QByteArray("2147483648 abc") << false << qint64(0) << QByteArray();
    QTest::newRow("overflow") << QByteArray("99999999999999999999999 abc") << false << qint64(0)
                              << QByteArray();
    QTest::newRow("int64-wrap") << QByteArray("18446744073709551617 abc") << false << qint64(0)
                                << QByteArray();
    QTest::newRow("missing-uid") << QByteArray("1") << false << qint64(0) << QByteArray();
    QTest::newRow("missing-uid-space") << QByteArray("1 ") << false << qint64(0) << QByteArray();
    QTest::newRow("uid-with-space") << QByteArray("1 ab cd") << false << qint64(0) << QByteArray();
    QTest::newRow("uid-del") << QByteArray("1 ab\x7f") << false << qint64(0) << QByteArray();
    QTest::newRow("uid-8bit") << QByteArray("1 ab\xe9") << false << qint64(0) << QByteArray();
    QTest::newRow("uid-nul") << QByteArray("1 ab\0c", 6) << false << qint64(0) << QByteArray();
    QTest::newRow("uid-control") << QByteArray("1 ab\x1b[0m") << false << qint64(0) << QByteArray();
    QTest::newRow("garbage") << QByteArray("hello world") << false << qint64(0) << QByteArray();
    QTest::newRow("empty") << QByteArray() << false << qint64(0) << QByteArray();
}

void TestPop3Parser::uidlLine()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    UidlEntry e;
    const Result r = parseUidlLine(line, e);
    QCOMPARE(r.ok(), valid);
    if (!valid) {
        QCOMPARE(r.code(), ErrorCode::Protocol);
        QVERIFY2(r.message().contains(quoteLine(line)), qPrintable(r.message()));
        return;
    }
    QTEST(e.number, "number");
    QTEST(e.uid, "uid");
}

void TestPop3Parser::listLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("number");
    QTest::addColumn<qint64>("size");

    QTest::newRow("simple") << QByteArray("1 120") << true << qint64(1) << qint64(120);
    QTest::newRow("zero-size") << QByteArray("3 0") << true << qint64(3) << qint64(0);
    QTest::newRow("extra-info") << QByteArray("2 300 more info") << true << qint64(2)
                                << qint64(300);
    QTest::newRow("max-size") << QByteArray("1 1099511627776") << true << qint64(1)
                              << (qint64(1) << 40);
    QTest::newRow("size-too-big") << QByteArray("1 1099511627777") << false << qint64(0)
                                  << qint64(0);
    QTest::newRow("size-overflow")
        << QByteArray("1 99999999999999999999") << false << qint64(0) << qint64(0);
    QTest::newRow("size-negative") << QByteArray("1 -5") << false << qint64(0) << qint64(0);
    QTest::newRow("size-hex") << QByteArray("1 0x10") << false << qint64(0) << qint64(0);
    QTest::newRow("size-missing") << QByteArray("1") << false << qint64(0) << qint64(0);
    QTest::newRow("number-letters") << QByteArray("a 12") << false << qint64(0) << qint64(0);
    QTest::newRow("number-zero") << QByteArray("0 12") << false << qint64(0) << qint64(0);
    QTest::newRow("number-too-big")
        << QByteArray("4294967297 12") << false << qint64(0) << qint64(0);
    QTest::newRow("empty") << QByteArray() << false << qint64(0) << qint64(0);
}

void TestPop3Parser::listLine()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    ListEntry e;
    const Result r = parseListLine(line, e);
    QCOMPARE(r.ok(), valid);
    if (!valid) {
        QCOMPARE(r.code(), ErrorCode::Protocol);
        return;
    }
    QTEST(e.number, "number");
    QTEST(e.size, "size");
}

void TestPop3Parser::joinListing_data()
{
    QTest::addColumn<QList<QByteArray>>("uidlLines");
    QTest::addColumn<QList<QByteArray>>("listLines");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QStringList>("expected"); // "uid/size/index"

    using L = QList<QByteArray>;
    QTest::newRow("matching") << L{"1 a", "2 b"} << L{"1 10", "2 20"} << true
                              << QStringList{QStringLiteral("a/10/1"), QStringLiteral("b/20/2")};
    QTest::newRow("list-other-order")
        << L{"1 a", "2 b"} << L{"2 20", "1 10"} << true
        << QStringList{QStringLiteral("a/10/1"), QStringLiteral("b/20/2")};
    QTest::newRow("gaps-in-numbers")
        << L{"3 c"} << L{"3 30"} << true << QStringList{QStringLiteral("c/30/3")};
    QTest::newRow("empty") << L{} << L{} << true << QStringList{};
    QTest::newRow("missing-in-list") << L{"1 a", "2 b"} << L{"1 10"} << false << QStringList{};
    QTest::newRow("duplicate-uidl-number")
        << L{"1 a", "1 b"} << L{"1 10"} << false << QStringList{};
    QTest::newRow("duplicate-uid")
        << L{"1 a", "2 a"} << L{"1 10", "2 20"} << false << QStringList{};
    QTest::newRow("duplicate-list-number")
        << L{"1 a"} << L{"1 10", "1 11"} << false << QStringList{};
}

void TestPop3Parser::joinListing()
{
    QFETCH(QList<QByteArray>, uidlLines);
    QFETCH(QList<QByteArray>, listLines);
    QFETCH(bool, valid);
    QFETCH(QStringList, expected);

    QList<UidlEntry> uids;
    for (const QByteArray &l : uidlLines) {
        UidlEntry e;
        QVERIFY(parseUidlLine(l, e).ok());
        uids.append(e);
    }
    QList<ListEntry> sizes;
    for (const QByteArray &l : listLines) {
        ListEntry e;
        QVERIFY(parseListLine(l, e).ok());
        sizes.append(e);
    }
    QList<RemoteMessage> messages;
    const Result r = pop3::joinListing(uids, sizes, messages);
    QCOMPARE(r.ok(), valid);
    if (!valid) {
        QCOMPARE(r.code(), ErrorCode::Protocol);
        return;
    }
    QStringList got;
    for (const RemoteMessage &m : messages)
        got << QStringLiteral("%1/%2/%3").arg(m.uid).arg(m.size).arg(m.index);
    QCOMPARE(got, expected);
}

void TestPop3Parser::loginFailure_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("plain-err") << QByteArray("-ERR invalid password") << ErrorCode::AuthFailed
                               << QStringLiteral("invalid password");
    QTest::newRow("auth-code") << QByteArray("-ERR [AUTH] bad credentials") << ErrorCode::AuthFailed
                               << QStringLiteral("login refused");
    QTest::newRow("in-use") << QByteArray("-ERR [IN-USE] Unable to lock maildrop")
                            << ErrorCode::TemporaryFailure << QStringLiteral("mailbox is locked");
    QTest::newRow("login-delay") << QByteArray("-ERR [LOGIN-DELAY] wait")
                                 << ErrorCode::TemporaryFailure << QStringLiteral("LOGIN-DELAY");
    QTest::newRow("sys-temp") << QByteArray("-ERR [SYS/TEMP] overloaded")
                              << ErrorCode::TemporaryFailure << QStringLiteral("temporary");
    QTest::newRow("sys-perm") << QByteArray("-ERR [SYS/PERM] broken") << ErrorCode::ServerError
                              << QStringLiteral("broken");
}

void TestPop3Parser::loginFailure()
{
    QFETCH(QByteArray, line);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mentions);
    Status s;
    QVERIFY(parseStatus(line, s).ok());
    const Result r = pop3::loginFailure("PASS", s);
    QCOMPARE(r.code(), code);
    QVERIFY2(r.message().contains(mentions), qPrintable(r.message()));
}

// Random bytes through every parser: typed errors or values, never a crash (run it under
// the sanitizers), and never a value that breaks the documented bounds.
void TestPop3Parser::randomGarbage()
{
    QRandomGenerator random(2449);
    const char alphabet[] = {'+', '-', 'O', 'K', 'E', 'R',  '[',  ']',  '<',    '>',    '@',
                             ' ', '1', '0', '9', '.', '\r', '\n', '\0', '\x7f', '\xff', 'u'};
    for (int round = 0; round < 5000; ++round) {
        QByteArray line;
        const int length = random.bounded(30);
        for (int i = 0; i < length; ++i)
            line += alphabet[random.bounded(int(sizeof(alphabet)))];
        Status s;
        (void)parseStatus(line, s);
        (void)apopTimestamp(line);
        Capabilities caps;
        addCapability(caps, line);
        UidlEntry u;
        if (parseUidlLine(line, u).ok()) {
            QVERIFY(u.number >= 1 && u.number <= MaxMessageNumber);
            QVERIFY(!u.uid.isEmpty() && u.uid.size() <= MaxUidLength);
        }
        ListEntry l;
        if (parseListLine(line, l).ok())
            QVERIFY(l.size >= 0 && l.size <= MaxMessageSize);
        LineSplitter splitter(8);
        splitter.append(line);
        QByteArray taken;
        bool complete = true;
        while (complete && splitter.takeLine(taken, complete).ok())
            QVERIFY(!complete || taken.size() <= 8);
    }
}

QTEST_GUILESS_MAIN(TestPop3Parser)
#include "tst_pop3parser.moc"
