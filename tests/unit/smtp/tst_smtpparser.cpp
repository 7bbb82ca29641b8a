#include "smtp/SmtpAddress.h"
#include "smtp/SmtpCommands.h"
#include "smtp/SmtpParser.h"

#include <QRandomGenerator>
#include <QTest>

using namespace pollux;
using namespace pollux::smtp;

namespace {

// Replies as "code|text" (text lines joined by "\n"), the reader's error last if any.
struct ReadOutcome
{
    QStringList replies;
    ErrorCode error = ErrorCode::None;
    QByteArray errorLine;
};

ReadOutcome readChunks(const QList<QByteArray> &chunks, int maxLines = 1000)
{
    ReadOutcome out;
    ReplyReader reader(ReplyReader::DefaultMaxLineLength, maxLines);
    for (const QByteArray &chunk : chunks) {
        reader.feed(chunk);
        Reply reply;
        while (reader.next(reply))
            out.replies << QString::number(reply.code) + QLatin1Char('|') + reply.text;
    }
    out.error = reader.error().code;
    out.errorLine = reader.error().line;
    return out;
}

QByteArray encodeChunks(const QList<QByteArray> &chunks)
{
    BodyEncoder encoder;
    QByteArray out;
    for (const QByteArray &chunk : chunks)
        out += encoder.encode(chunk);
    return out + encoder.finish();
}

// What the receiver reconstructs: lines, one dot removed where stuffed, LF line ends.
QByteArray decodeWire(const QByteArray &wire)
{
    QByteArray out;
    const QByteArray content = wire.left(wire.size() - 3); // without ".\r\n"
    if (content.isEmpty())
        return out;
    const QList<QByteArray> lines = content.chopped(2).split('\n');
    for (QByteArray line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.startsWith('.'))
            line.remove(0, 1);
        out += line + '\n';
    }
    return out;
}

// The input with every line ending made LF and a final LF added if missing.
QByteArray normalise(const QByteArray &input)
{
    QByteArray out = input;
    out.replace("\r\n", "\n");
    out.replace('\r', '\n');
    if (!out.isEmpty() && !out.endsWith('\n'))
        out += '\n';
    return out;
}

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

bool hasBareCrOrLf(const QByteArray &wire)
{
    for (qsizetype i = 0; i < wire.size(); ++i) {
        if (wire.at(i) == '\r' && (i + 1 >= wire.size() || wire.at(i + 1) != '\n'))
            return true;
        if (wire.at(i) == '\n' && (i == 0 || wire.at(i - 1) != '\r'))
            return true;
    }
    return false;
}

} // namespace

class TestSmtpParser : public QObject
{
    Q_OBJECT
private slots:
    void replies_data();
    void replies();
    void repliesSplitAnywhere_data() { replies_data(); }
    void repliesSplitAnywhere();
    void tooManyLines();
    void readerRandomBytes();
    void errorResultNamesLine();
    void replyToString();
    void capabilities_data();
    void capabilities();
    void encoder_data();
    void encoder();
    void encoderSplitAnywhere_data() { encoder_data(); }
    void encoderSplitAnywhere();
    void encoderProperty();
    void replyClasses_data();
    void replyClasses();
    void mailbox_data();
    void mailbox();
    void localPartRoundTrip_data() { mailbox_data(); }
    void localPartRoundTrip();
    void commandsLines();
    void commandsLoopback_data();
    void commandsLoopback();
};

void TestSmtpParser::replies_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<ErrorCode>("error");
    QTest::addColumn<QByteArray>("errorLine");

    const QByteArray none;
    const QString longText(4092, QLatin1Char('a'));
    QTest::newRow("single-line") << QByteArray("250 ok\r\n") << strings({"250|ok"})
                                 << ErrorCode::None << none;
    QTest::newRow("code-only") << QByteArray("250\r\n") << strings({"250|"}) << ErrorCode::None
                               << none;
    QTest::newRow("enhanced-status")
        << QByteArray("550 5.1.1 <x@y>: unknown user\r\n")
        << strings({"550|5.1.1 <x@y>: unknown user"}) << ErrorCode::None << none;
    QTest::newRow("multi-line-ehlo")
        << QByteArray("250-mx.example\r\n250-PIPELINING\r\n250 SIZE 100\r\n")
        << strings({"250|mx.example\nPIPELINING\nSIZE 100"}) << ErrorCode::None << none;
    QTest::newRow("multi-line-empty-continuation")
        << QByteArray("220-\r\n220 ready\r\n") << strings({"220|\nready"}) << ErrorCode::None
        << none;
    QTest::newRow("two-replies") << QByteArray("250 a\r\n354 go ahead\r\n")
                                 << strings({"250|a", "354|go ahead"}) << ErrorCode::None << none;
    QTest::newRow("bare-lf-tolerated") << QByteArray("220 hi\n250 ok\n")
                                       << strings({"220|hi", "250|ok"}) << ErrorCode::None << none;
    QTest::newRow("incomplete-line")
        << QByteArray("250 ok") << QStringList{} << ErrorCode::None << none;
    QTest::newRow("incomplete-multi-line")
        << QByteArray("250-a\r\n250-b\r\n") << QStringList{} << ErrorCode::None << none;
    QTest::newRow("longest-line-accepted")
        << QByteArray("250 " + longText.toLatin1() + "\r\n")
        << QStringList{QStringLiteral("250|") + longText} << ErrorCode::None << none;
    // Garbage and wrong protocols.
    QTest::newRow("http-response") << QByteArray("HTTP/1.1 400 Bad Request\r\n") << QStringList{}
                                   << ErrorCode::Protocol << QByteArray("HTTP/1.1 400 Bad Request");
    QTest::newRow("pop3-greeting") << QByteArray("+OK POP3 ready\r\n") << QStringList{}
                                   << ErrorCode::Protocol << QByteArray("+OK POP3 ready");
    QTest::newRow("no-code") << QByteArray("hello\r\n") << QStringList{} << ErrorCode::Protocol
                             << QByteArray("hello");
    QTest::newRow("short-code") << QByteArray("25\r\n") << QStringList{} << ErrorCode::Protocol
                                << QByteArray("25");
    QTest::newRow("empty-line") << QByteArray("\r\n") << QStringList{} << ErrorCode::Protocol
                                << QByteArray();
    QTest::newRow("code-1xx") << QByteArray("150 x\r\n") << QStringList{} << ErrorCode::Protocol
                              << QByteArray("150 x");
    QTest::newRow("code-6xx") << QByteArray("650 x\r\n") << QStringList{} << ErrorCode::Protocol
                              << QByteArray("650 x");
    QTest::newRow("bad-separator")
        << QByteArray("250xok\r\n") << QStringList{} << ErrorCode::Protocol << QByteArray("250xok");
    QTest::newRow("mixed-codes") << QByteArray("250-a\r\n251 b\r\n") << QStringList{}
                                 << ErrorCode::Protocol << QByteArray("251 b");
    QTest::newRow("valid-then-garbage")
        << QByteArray("250 ok\r\nxyz\r\n250 never\r\n") << strings({"250|ok"})
        << ErrorCode::Protocol << QByteArray("xyz");
    const QByteArray huge = "250 " + QByteArray(5000, 'a');
    QTest::newRow("oversize-line")
        << QByteArray(huge + "\r\n") << QStringList{} << ErrorCode::LineTooLong << huge.left(201);
    QTest::newRow("oversize-unterminated")
        << huge << QStringList{} << ErrorCode::LineTooLong << huge.left(201);
}

void TestSmtpParser::replies()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    QFETCH(ErrorCode, error);
    QFETCH(QByteArray, errorLine);
    const ReadOutcome out = readChunks({input});
    QCOMPARE(out.replies, expected);
    QCOMPARE(out.error, error);
    if (error != ErrorCode::None)
        QCOMPARE(out.errorLine, errorLine);
}

void TestSmtpParser::repliesSplitAnywhere()
{
    QFETCH(QByteArray, input);
    const ReadOutcome whole = readChunks({input});
    QList<QByteArray> bytes;
    for (const char c : input)
        bytes << QByteArray(1, c);
    const ReadOutcome oneByOne = readChunks(bytes);
    QCOMPARE(oneByOne.replies, whole.replies);
    QCOMPARE(oneByOne.error, whole.error);
    for (qsizetype i = 0; i <= input.size(); ++i) {
        const ReadOutcome split = readChunks({input.left(i), input.mid(i)});
        QVERIFY2(split.replies == whole.replies, qPrintable(QString::number(i)));
        QVERIFY2(split.error == whole.error, qPrintable(QString::number(i)));
    }
}

void TestSmtpParser::tooManyLines()
{
    const QByteArray input = "250-a\r\n250-b\r\n250-c\r\n250 d\r\n";
    QCOMPARE(readChunks({input}, 4).replies, strings({"250|a\nb\nc\nd"}));
    const ReadOutcome out = readChunks({input}, 3);
    QVERIFY(out.replies.isEmpty());
    QCOMPARE(out.error, ErrorCode::Protocol);
    QCOMPARE(out.errorLine, QByteArray("250 d"));
}

void TestSmtpParser::readerRandomBytes()
{
    // Garbage in any chunking: no crash, and the same outcome as fed at once.
    QRandomGenerator random(4242);
    const QList<QByteArray> pieces = {"250",        "-",        " ",  "\r\n", "\n",
                                      "ok",         "5",        "\r", "x",    QByteArray(1, '\0'),
                                      "354 go\r\n", "250-a\r\n"};
    for (int round = 0; round < 2000; ++round) {
        QByteArray input;
        const int count = random.bounded(30);
        for (int i = 0; i < count; ++i)
            input += pieces.at(random.bounded(int(pieces.size())));
        QList<QByteArray> chunks;
        for (qsizetype pos = 0; pos < input.size();) {
            const int n = 1 + random.bounded(7);
            chunks << input.mid(pos, n);
            pos += n;
        }
        const ReadOutcome whole = readChunks({input});
        const ReadOutcome split = readChunks(chunks);
        QVERIFY2(split.replies == whole.replies, input.toPercentEncoding().constData());
        QVERIFY2(split.error == whole.error, input.toPercentEncoding().constData());
    }
}

void TestSmtpParser::errorResultNamesLine()
{
    ReplyReader reader;
    reader.feed("\x01garbage\xff\r\n");
    Reply reply;
    QVERIFY(!reader.next(reply));
    QVERIFY(reader.hasError());
    const Result result = reader.error().toResult();
    QCOMPARE(result.code(), ErrorCode::Protocol);
    QVERIFY2(result.message().contains(QStringLiteral("\\x01garbage\\xff")),
             qPrintable(result.message()));
    reader.feed("250 ok\r\n"); // stays failed
    QVERIFY(!reader.next(reply));
}

void TestSmtpParser::replyToString()
{
    Reply reply;
    reply.code = 250;
    reply.text = QStringLiteral("2.0.0 Ok: queued as X");
    QCOMPARE(reply.toString(), QStringLiteral("250 2.0.0 Ok: queued as X"));
    reply.text = QStringLiteral("a\nb");
    QCOMPARE(reply.toString(), QStringLiteral("250-a\n250 b"));
    reply.text.clear();
    QCOMPARE(reply.toString(), QStringLiteral("250"));
}

void TestSmtpParser::capabilities_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("esmtp");
    QTest::addColumn<bool>("pipelining");
    QTest::addColumn<bool>("startTls");
    QTest::addColumn<bool>("eightBitMime");
    QTest::addColumn<bool>("size");
    QTest::addColumn<qint64>("maxSize");
    QTest::addColumn<QStringList>("auth");

    QTest::newRow("full") << 250
                          << QStringLiteral(
                                 "mx.example Hello\nPIPELINING\nSIZE 10240000\n8BITMIME\nSTARTTLS\n"
                                 "AUTH PLAIN LOGIN\nENHANCEDSTATUSCODES")
                          << true << true << true << true << true << qint64(10240000)
                          << strings({"PLAIN", "LOGIN"});
    QTest::newRow("greeting-only") << 250 << QStringLiteral("mx.example") << true << false << false
                                   << false << false << qint64(0) << QStringList{};
    QTest::newRow("keyword-in-greeting-ignored")
        << 250 << QStringLiteral("mx PIPELINING STARTTLS") << true << false << false << false
        << false << qint64(0) << QStringList{};
    QTest::newRow("size-without-limit") << 250 << QStringLiteral("mx\nSIZE") << true << false
                                        << false << false << true << qint64(0) << QStringList{};
    QTest::newRow("size-garbage") << 250 << QStringLiteral("mx\nSIZE lots") << true << false
                                  << false << false << true << qint64(0) << QStringList{};
    QTest::newRow("size-negative") << 250 << QStringLiteral("mx\nSIZE -5") << true << false << false
                                   << false << true << qint64(0) << QStringList{};
    QTest::newRow("lower-case") << 250
                                << QStringLiteral("mx\npipelining\nstarttls\nauth plain cram-md5")
                                << true << true << true << false << false << qint64(0)
                                << strings({"PLAIN", "CRAM-MD5"});
    QTest::newRow("auth-legacy-equals")
        << 250 << QStringLiteral("mx\nAUTH=LOGIN PLAIN") << true << false << false << false << false
        << qint64(0) << strings({"LOGIN", "PLAIN"});
    QTest::newRow("auth-both-forms")
        << 250 << QStringLiteral("mx\nAUTH LOGIN PLAIN\nAUTH=LOGIN") << true << false << false
        << false << false << qint64(0) << strings({"LOGIN", "PLAIN"});
    QTest::newRow("ehlo-refused") << 502 << QStringLiteral("5.5.2 what?\nPIPELINING") << false
                                  << false << false << false << false << qint64(0) << QStringList{};
}

void TestSmtpParser::capabilities()
{
    QFETCH(int, code);
    QFETCH(QString, text);
    Reply reply;
    reply.code = code;
    reply.text = text;
    const Capabilities caps = Capabilities::fromEhlo(reply);
    QTEST(caps.esmtp, "esmtp");
    QTEST(caps.pipelining, "pipelining");
    QTEST(caps.startTls, "startTls");
    QTEST(caps.eightBitMime, "eightBitMime");
    QTEST(caps.size, "size");
    QTEST(caps.maxSize, "maxSize");
    QTEST(caps.authMechanisms, "auth");
}

void TestSmtpParser::encoder_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("bare-lf") << QByteArray("a\nb\n") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("bare-cr") << QByteArray("a\rb\r") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("mixed") << QByteArray("a\r\nb\nc\rd") << QByteArray("a\r\nb\r\nc\r\nd\r\n.\r\n");
    QTest::newRow("cr-cr-lf") << QByteArray("a\r\r\nb") << QByteArray("a\r\n\r\nb\r\n.\r\n");
    QTest::newRow("lf-cr") << QByteArray("a\n\rb") << QByteArray("a\r\n\r\nb\r\n.\r\n");
    QTest::newRow("leading-dots") << QByteArray(".a\n..b\n") << QByteArray("..a\r\n...b\r\n.\r\n");
    QTest::newRow("dot-line-in-body")
        << QByteArray("a\r\n.\r\nb\r\n") << QByteArray("a\r\n..\r\nb\r\n.\r\n");
    QTest::newRow("dot-line-bare-lf")
        << QByteArray("a\n.\nb") << QByteArray("a\r\n..\r\nb\r\n.\r\n");
    QTest::newRow("lf-dot-crlf") << QByteArray("a\n.\r\n") << QByteArray("a\r\n..\r\n.\r\n");
    QTest::newRow("dot-only") << QByteArray(".") << QByteArray("..\r\n.\r\n");
    QTest::newRow("dot-first-line") << QByteArray(".\r\n") << QByteArray("..\r\n.\r\n");
    QTest::newRow("dot-mid-line") << QByteArray("a.b\n") << QByteArray("a.b\r\n.\r\n");
    QTest::newRow("dot-after-bare-cr") << QByteArray("a\r.b") << QByteArray("a\r\n..b\r\n.\r\n");
    QTest::newRow("empty") << QByteArray() << QByteArray(".\r\n");
    QTest::newRow("no-final-newline") << QByteArray("abc") << QByteArray("abc\r\n.\r\n");
    QTest::newRow("trailing-cr") << QByteArray("abc\r") << QByteArray("abc\r\n.\r\n");
    QTest::newRow("only-newlines") << QByteArray("\n\n") << QByteArray("\r\n\r\n.\r\n");
    QTest::newRow("binary-bytes") << QByteArray("\0\xff\x7f\n", 4)
                                  << QByteArray("\0\xff\x7f\r\n.\r\n", 8);
    QTest::newRow("header-and-body") << QByteArray("Subject: x\n\n.\n..\nbye")
                                     << QByteArray("Subject: x\r\n\r\n..\r\n...\r\nbye\r\n.\r\n");
}

void TestSmtpParser::encoder()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(encodeChunks({input}), expected);
}

void TestSmtpParser::encoderSplitAnywhere()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    for (qsizetype i = 0; i <= input.size(); ++i) {
        for (qsizetype j = i; j <= input.size(); ++j) {
            const QByteArray out = encodeChunks({input.left(i), input.mid(i, j - i), input.mid(j)});
            QVERIFY2(out == expected, qPrintable(QStringLiteral("split at %1,%2").arg(i).arg(j)));
        }
    }
    QList<QByteArray> bytes;
    for (const char c : input)
        bytes << QByteArray(1, c);
    QCOMPARE(encodeChunks(bytes), expected);
}

void TestSmtpParser::encoderProperty()
{
    QRandomGenerator random(20240607); // fixed seed: reproducible
    const char alphabet[] = {'a', '.', '\r', '\n', ' '};
    for (int round = 0; round < 2000; ++round) {
        QByteArray input;
        const int length = random.bounded(40);
        for (int i = 0; i < length; ++i)
            input += alphabet[random.bounded(int(sizeof alphabet))];
        QList<QByteArray> chunks;
        for (qsizetype pos = 0; pos < input.size();) {
            const int n = 1 + random.bounded(5);
            chunks << input.mid(pos, n);
            pos += n;
        }
        const QByteArray wire = encodeChunks(chunks);
        const QByteArray context = input.toPercentEncoding();
        QVERIFY2(wire == encodeChunks({input}), context.constData());
        QVERIFY2(!hasBareCrOrLf(wire), context.constData());
        QVERIFY2(wire.endsWith(".\r\n"), context.constData());
        QVERIFY2(wire == ".\r\n" || wire.endsWith("\r\n.\r\n"), context.constData());
        // The terminator line appears once, at the very end.
        const qsizetype terminator = wire.indexOf("\n.\r\n");
        QVERIFY2(terminator < 0 || terminator == wire.size() - 4, context.constData());
        QVERIFY2(!wire.startsWith(".\r\n") || wire.size() == 3, context.constData());
        QCOMPARE(decodeWire(wire), normalise(input));
    }
}

void TestSmtpParser::replyClasses_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("classes"); // of success, intermediate, transient, permanent
    QTest::newRow("none") << 0 << "";
    QTest::newRow("220-greeting") << 220 << "success";
    QTest::newRow("250-ok") << 250 << "success";
    QTest::newRow("300-bare") << 300 << "intermediate";
    QTest::newRow("334-auth-challenge") << 334 << "intermediate";
    QTest::newRow("354-start-input") << 354 << "intermediate";
    QTest::newRow("421-closing") << 421 << "transient";
    QTest::newRow("452-too-many") << 452 << "transient";
    QTest::newRow("550-refused") << 550 << "permanent";
    QTest::newRow("554-failed") << 554 << "permanent";
}

void TestSmtpParser::replyClasses()
{
    QFETCH(int, code);
    QFETCH(QString, classes);
    Reply r;
    r.code = code;
    QStringList got;
    if (r.isSuccess())
        got << QStringLiteral("success");
    if (r.isIntermediate())
        got << QStringLiteral("intermediate");
    if (r.isTransient())
        got << QStringLiteral("transient");
    if (r.isPermanent())
        got << QStringLiteral("permanent");
    QCOMPARE(got.join(QLatin1Char(',')), classes);
}

void TestSmtpParser::mailbox_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("allowNull");
    QTest::addColumn<QByteArray>("wire"); // between < and >; empty when refused
    QTest::addColumn<int>("problem");     // AddressProblem
    QTest::addColumn<bool>("utf8");

    const auto u = [](const char *text) { return QString::fromUtf8(text); };
    const int none = int(AddressProblem::None);
    QTest::newRow("plain") << u("a@example.org") << false << QByteArray("a@example.org") << none
                           << false;
    QTest::newRow("null-sender") << QString() << true << QByteArray() << none << false;
    QTest::newRow("null-recipient")
        << QString() << false << QByteArray() << int(AddressProblem::Empty) << false;
    QTest::newRow("dot-atom-specials") << u("o'brien+tag=x@example.org") << false
                                       << QByteArray("o'brien+tag=x@example.org") << none << false;
    QTest::newRow("quoted-with-space")
        << u("\"john q. public\"@example.test") << false
        << QByteArray("\"john q. public\"@example.test") << none << false;
    QTest::newRow("unquoted-with-space")
        << u("john q. public@example.test") << false
        << QByteArray("\"john q. public\"@example.test") << none << false;
    QTest::newRow("quoted-escaped-quote")
        << u("\"say \\\"hi\\\"\"@example.test") << false
        << QByteArray("\"say \\\"hi\\\"\"@example.test") << none << false;
    QTest::newRow("quoted-backslash")
        << u("\"back\\\\slash\"@example.test") << false
        << QByteArray("\"back\\\\slash\"@example.test") << none << false;
    QTest::newRow("quoted-pair-needless")
        << u("\"a\\b\"@example.test") << false << QByteArray("ab@example.test") << none << false;
    QTest::newRow("quotes-not-needed") << u("\"alice\"@example.test") << false
                                       << QByteArray("alice@example.test") << none << false;
    QTest::newRow("quoted-word-in-dot-atom")
        << u("first.\"mid dle\".last@example.test") << false
        << QByteArray("\"first.mid dle.last\"@example.test") << none << false;
    QTest::newRow("quoted-double-dot") << u("\"a..b\"@example.test") << false
                                       << QByteArray("\"a..b\"@example.test") << none << false;
    QTest::newRow("quoted-at") << u("\"a@b\"@example.test") << false
                               << QByteArray("\"a@b\"@example.test") << none << false;
    QTest::newRow("angle-in-local-part")
        << u("a>b@example.test") << false << QByteArray("\"a>b\"@example.test") << none << false;
    QTest::newRow("address-literal")
        << u("a@[192.0.2.1]") << false << QByteArray("a@[192.0.2.1]") << none << false;
    QTest::newRow("utf8-local-part") << u("j\u00f6rg@example.org") << false
                                     << QByteArray("j\xc3\xb6rg@example.org") << none << true;
    QTest::newRow("utf8-quoted") << u("\"j\u00f6rg m\"@example.org") << false
                                 << QByteArray("\"j\xc3\xb6rg m\"@example.org") << none << true;
    QTest::newRow("utf8-domain") << u("a@b\u00fccher.example") << false
                                 << QByteArray("a@b\xc3\xbc"
                                               "cher.example")
                                 << none << true;
    const int control = int(AddressProblem::Control);
    QTest::newRow("crlf-injection")
        << u("a@b>\r\nRCPT TO:<evil@x") << false << QByteArray() << control << false;
    QTest::newRow("quoted-cr") << u("\"a\rb\"@example.test") << false << QByteArray() << control
                               << false;
    QTest::newRow("quoted-pair-lf")
        << u("\"a\\\nb\"@example.test") << false << QByteArray() << control << false;
    QTest::newRow("nul") << QStringLiteral("a") + QChar(0) + u("@example.test") << false
                         << QByteArray() << control << false;
    QTest::newRow("tab") << u("\"a\tb\"@example.test") << false << QByteArray() << control << false;
    QTest::newRow("del") << u("a\x7f@example.test") << false << QByteArray() << control << false;
    const int malformed = int(AddressProblem::Malformed);
    QTest::newRow("bare-postmaster")
        << u("Postmaster") << false << QByteArray("Postmaster") << none << false;
    QTest::newRow("trailing-dot-domain")
        << u("a@b.example.") << false << QByteArray("a@b.example.") << none << false;
    QTest::newRow("odd-but-harmless-domain")
        << u("a@b!c_d") << false << QByteArray("a@b!c_d") << none << false;
    QTest::newRow("empty-local") << u("@example.test") << false << QByteArray() << malformed
                                 << false;
    QTest::newRow("empty-domain") << u("a@") << false << QByteArray() << malformed << false;
    QTest::newRow("angle-in-domain") << u("a@b>") << false << QByteArray() << malformed << false;
    QTest::newRow("space-in-domain") << u("a@b c") << false << QByteArray() << malformed << false;
    QTest::newRow("quote-in-domain") << u("a@b\"c") << false << QByteArray() << malformed << false;
    QTest::newRow("bracket-in-domain")
        << u("a@b[c]") << false << QByteArray() << malformed << false;
    QTest::newRow("domain-double-dot")
        << u("a@b..c") << false << QByteArray() << malformed << false;
    QTest::newRow("too-long") << QString(250, QLatin1Char('a')) + u("@b.cd") << false
                              << QByteArray() << int(AddressProblem::TooLong) << false;
    QTest::newRow("longest") << QString(249, QLatin1Char('a')) + u("@b.cd") << false
                             << QString(249, QLatin1Char('a')).toLatin1() + "@b.cd" << none
                             << false;
    QTest::newRow("too-long-after-quoting")
        << QString(240, QLatin1Char('"')).prepend(QLatin1Char('x')) + u("@b.cd") << false
        << QByteArray() << int(AddressProblem::TooLong) << false;
}

void TestSmtpParser::mailbox()
{
    QFETCH(QString, address);
    QFETCH(bool, allowNull);
    const WireAddress wire = encodeMailbox(address, allowNull);
    QTEST(int(wire.problem), "problem");
    QTEST(wire.mailbox, "wire");
    if (wire.ok())
        QTEST(wire.utf8, "utf8");
    QVERIFY(!wire.mailbox.contains('\r') && !wire.mailbox.contains('\n'));
    QVERIFY(wire.mailbox.size() <= MaxMailboxBytes);
    if (!wire.ok())
        QVERIFY(!problemText(wire.problem).isEmpty());
}

// What goes on the wire means the same mailbox: decoding it again gives the same local part.
void TestSmtpParser::localPartRoundTrip()
{
    QFETCH(QString, address);
    QFETCH(QByteArray, wire);
    if (wire.isEmpty())
        return;
    const QString sent = QString::fromUtf8(wire);
    const qsizetype at = sent.lastIndexOf(QLatin1Char('@'));
    const QString local = address.left(address.lastIndexOf(QLatin1Char('@')));
    QCOMPARE(decodeLocalPart(sent.left(at)), decodeLocalPart(local));
    QCOMPARE(encodeMailbox(sent).mailbox, wire); // stable
}

void TestSmtpParser::commandsLines()
{
    QCOMPARE(commands::mailFrom("a@b", -1, false), QByteArray("MAIL FROM:<a@b>\r\n"));
    QCOMPARE(commands::mailFrom(QByteArray(), 1234, true),
             QByteArray("MAIL FROM:<> SIZE=1234 BODY=8BITMIME\r\n"));
    QCOMPARE(commands::mailFrom("a@b", 5, true, true),
             QByteArray("MAIL FROM:<a@b> SIZE=5 BODY=8BITMIME SMTPUTF8\r\n"));
    QCOMPARE(commands::rcptTo("x@y"), QByteArray("RCPT TO:<x@y>\r\n"));
    QCOMPARE(commands::rcptTo("\"john q. public\"@example.test"),
             QByteArray("RCPT TO:<\"john q. public\"@example.test>\r\n"));
    // RFC 4616 example shape: base64("\0user\0secret").
    QCOMPARE(commands::authCommand("PLAIN", true, QByteArray("\0user\0secret", 12)),
             QByteArray("AUTH PLAIN AHVzZXIAc2VjcmV0\r\n"));
    QCOMPARE(commands::authCommand("EXTERNAL", true, QByteArray()),
             QByteArray("AUTH EXTERNAL =\r\n"));
    QCOMPARE(commands::authCommand("LOGIN", false, QByteArray()), QByteArray("AUTH LOGIN\r\n"));
    QVERIFY(commands::authCommand("PLAIN", true, QByteArray(400, 'x')).isEmpty()); // > 512
    QCOMPARE(commands::authResponse("user"), QByteArray("dXNlcg==\r\n"));
    QCOMPARE(commands::authResponse(QByteArray()), QByteArray("\r\n"));
    QCOMPARE(commands::heloName(QStringLiteral("client.example")),
             QStringLiteral("client.example"));
    QCOMPARE(commands::heloName(QStringLiteral("[192.0.2.1]")), QStringLiteral("[192.0.2.1]"));
    const QString fallback = commands::heloName(QStringLiteral("bad name\r\n"));
    QVERIFY(!fallback.isEmpty());
    QVERIFY(!fallback.contains(QLatin1Char(' ')) && !fallback.contains(QLatin1Char('\n')));
}

void TestSmtpParser::commandsLoopback_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("loopback");
    QTest::newRow("ipv4") << QStringLiteral("127.0.0.1") << true;
    QTest::newRow("ipv4-other") << QStringLiteral("127.1.2.3") << true;
    QTest::newRow("ipv6") << QStringLiteral("::1") << true;
    QTest::newRow("ipv6-bracketed") << QStringLiteral("[::1]") << true;
    QTest::newRow("localhost") << QStringLiteral("LocalHost") << true;
    QTest::newRow("lan-address") << QStringLiteral("192.168.1.10") << false;
    QTest::newRow("name") << QStringLiteral("mail.example.org") << false;
    QTest::newRow("localhost-lookalike") << QStringLiteral("localhost.evil.example") << false;
}

void TestSmtpParser::commandsLoopback()
{
    QFETCH(QString, host);
    QTEST(commands::isLoopbackHost(host), "loopback");
}

QTEST_GUILESS_MAIN(TestSmtpParser)
#include "tst_smtpparser.moc"
