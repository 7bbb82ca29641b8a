// ImapParser: framing (literals split anywhere, body literals streamed, bounds) and
// responses, including garbage and other protocols' greetings.
#include "imap/ImapCommands.h"
#include "imap/ImapParser.h"

#include <QTest>

using namespace pollux;
using namespace pollux::imap;

namespace {

struct Framed
{
    QList<RawResponse> responses;
    QList<QByteArray> bodies;
    Result error;
    int bodyChunks = 0;
    qsizetype maxChunk = 0;
};

// Feeds `input` in pieces of `step` bytes and collects what the reader produces.
Framed frame(const QByteArray &input, qsizetype step)
{
    Framed out;
    ResponseReader reader;
    for (qsizetype pos = 0; pos < input.size() && out.error.ok(); pos += step) {
        reader.append(input.constData() + pos, qMin(step, input.size() - pos));
        for (;;) {
            ResponseReader::Event e;
            out.error = reader.next(e);
            if (!out.error || e == ResponseReader::Event::NeedMore)
                break;
            if (e == ResponseReader::Event::Response)
                out.responses << reader.response();
            else if (e == ResponseReader::Event::BodyBegin)
                out.bodies << QByteArray();
            else if (e == ResponseReader::Event::BodyData) {
                out.bodies.last().append(reader.chunk(), reader.chunkSize());
                ++out.bodyChunks;
                out.maxChunk = qMax(out.maxChunk, reader.chunkSize());
            }
        }
    }
    return out;
}

Response parsed(const QByteArray &line)
{
    Framed f = frame(line + "\r\n", line.size() + 2);
    Response r;
    if (f.responses.size() == 1)
        (void)parseResponse(f.responses.first(), r);
    return r;
}

} // namespace

class TestImapParser : public QObject
{
    Q_OBJECT

private slots:
    void statusResponses_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("tag");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("code");
        QTest::addColumn<QByteArray>("codeArgs");
        QTest::addColumn<QByteArray>("text");
        const int T = int(Response::Kind::Tagged), U = int(Response::Kind::Untagged),
                  C = int(Response::Kind::Continuation);
        QTest::newRow("greeting-ok")
            << QByteArray("* OK Dovecot ready.") << U << QByteArray() << int(Status::Ok)
            << QByteArray() << QByteArray() << QByteArray("Dovecot ready.");
        QTest::newRow("greeting-capability")
            << QByteArray("* OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN] hi") << U << QByteArray()
            << int(Status::Ok) << QByteArray("CAPABILITY")
            << QByteArray("IMAP4rev1 IDLE AUTH=PLAIN") << QByteArray("hi");
        QTest::newRow("preauth") << QByteArray("* PREAUTH welcome") << U << QByteArray()
                                 << int(Status::Preauth) << QByteArray() << QByteArray()
                                 << QByteArray("welcome");
        QTest::newRow("bye") << QByteArray("* BYE shutting down") << U << QByteArray()
                             << int(Status::Bye) << QByteArray() << QByteArray()
                             << QByteArray("shutting down");
        QTest::newRow("tagged-ok-alert")
            << QByteArray("A1 OK [ALERT] read this") << T << QByteArray("A1") << int(Status::Ok)
            << QByteArray("ALERT") << QByteArray() << QByteArray("read this");
        QTest::newRow("tagged-no-lowercase")
            << QByteArray("a7 no [AUTHENTICATIONFAILED] bad password") << T << QByteArray("a7")
            << int(Status::No) << QByteArray("AUTHENTICATIONFAILED") << QByteArray()
            << QByteArray("bad password");
        QTest::newRow("tagged-bad-no-text")
            << QByteArray("A2 BAD") << T << QByteArray("A2") << int(Status::Bad) << QByteArray()
            << QByteArray() << QByteArray();
        QTest::newRow("uidvalidity") << QByteArray("* OK [UIDVALIDITY 3857529045] UIDs valid") << U
                                     << QByteArray() << int(Status::Ok) << QByteArray("UIDVALIDITY")
                                     << QByteArray("3857529045") << QByteArray("UIDs valid");
        QTest::newRow("permanentflags")
            << QByteArray("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited") << U
            << QByteArray() << int(Status::Ok) << QByteArray("PERMANENTFLAGS")
            << QByteArray("(\\Deleted \\Seen \\*)") << QByteArray("Limited");
        QTest::newRow("status-text-ending-in-braces")
            << QByteArray("* OK text that ends {5}") << U << QByteArray() << int(Status::Ok)
            << QByteArray() << QByteArray() << QByteArray("text that ends {5}");
        QTest::newRow("continuation")
            << QByteArray("+ idling") << C << QByteArray() << int(Status::None) << QByteArray()
            << QByteArray() << QByteArray("idling");
        QTest::newRow("continuation-empty")
            << QByteArray("+") << C << QByteArray() << int(Status::None) << QByteArray()
            << QByteArray() << QByteArray();
        // A POP3 greeting frames as a continuation: the client refuses it as a greeting.
        QTest::newRow("pop3-greeting")
            << QByteArray("+OK POP3 ready") << C << QByteArray() << int(Status::None)
            << QByteArray() << QByteArray() << QByteArray("OK POP3 ready");
    }
    void statusResponses()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, kind);
        QFETCH(QByteArray, tag);
        QFETCH(int, status);
        QFETCH(QByteArray, code);
        QFETCH(QByteArray, codeArgs);
        QFETCH(QByteArray, text);
        Framed f = frame(line + "\r\n", 1000);
        QVERIFY(f.error.ok());
        QCOMPARE(f.responses.size(), 1);
        Response r;
        QVERIFY2(parseResponse(f.responses.first(), r).ok(), line.constData());
        QCOMPARE(int(r.kind), kind);
        QCOMPARE(r.tag, tag);
        QCOMPARE(int(r.status), status);
        QCOMPARE(r.code, code);
        QCOMPARE(r.codeArgs, codeArgs);
        QCOMPARE(r.text, text);
    }

    void garbage_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("code");
        const int P = int(ErrorCode::Protocol), L = int(ErrorCode::LineTooLong);
        QTest::newRow("smtp-greeting") << QByteArray("220 smtp.example.com ESMTP\r\n") << P;
        QTest::newRow("http") << QByteArray("HTTP/1.1 400 Bad Request\r\n") << P;
        QTest::newRow("empty-line") << QByteArray("\r\n") << P;
        QTest::newRow("star-only") << QByteArray("*\r\n") << P;
        QTest::newRow("tag-without-status") << QByteArray("A1 FOO bar\r\n") << P;
        QTest::newRow("tagged-bye") << QByteArray("A1 BYE\r\n") << P;
        QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\r\n", 8) << P;
        QTest::newRow("nul") << QByteArray("* OK a\0b\r\n", 10) << P;
        QTest::newRow("exists-overflow") << QByteArray("* 4294967296 EXISTS\r\n") << P;
        QTest::newRow("number-20-digits") << QByteArray("* 99999999999999999999 EXISTS\r\n") << P;
        QTest::newRow("fetch-zero") << QByteArray("* 0 FETCH (UID 1)\r\n") << P;
        QTest::newRow("fetch-uid-overflow") << QByteArray("* 1 FETCH (UID 4294967296)\r\n") << P;
        QTest::newRow("fetch-unterminated") << QByteArray("* 1 FETCH (UID 1\r\n") << P;
        QTest::newRow("fetch-nested-deep")
            << QByteArray("* 1 FETCH (X " + QByteArray(100, '(') + QByteArray(100, ')') + ")\r\n")
            << P;
        QTest::newRow("fetch-unterminated-quote")
            << QByteArray("* 1 FETCH (BODY[HEADER] \"abc)\r\n") << P;
        QTest::newRow("search-garbage") << QByteArray("* SEARCH 1 two\r\n") << P;
        QTest::newRow("huge-literal-announced")
            << QByteArray("* 1 FETCH (UID 5 BODY[] {999999999999}\r\n") << P;
        QTest::newRow("huge-small-literal")
            << QByteArray("* LIST () \"/\" {4000000000}\r\nabc") << L;
        QTest::newRow("line-too-long") << QByteArray("* OK " + QByteArray(70000, 'x')) << L;
        QTest::newRow("literal-size-garbage") << QByteArray("* LIST () \"/\" {12a}\r\n") << P;
    }
    void garbage()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, code);
        for (qsizetype step : {qsizetype(1), qsizetype(7), input.size()}) {
            Framed f = frame(input, step);
            Result error = f.error;
            if (error.ok()) {
                QVERIFY2(!f.responses.isEmpty(), "a complete response or an error");
                Response r;
                error = parseResponse(f.responses.first(), r);
            }
            QVERIFY2(!error.ok(), qPrintable(QString::fromLatin1(input.left(60))));
            QCOMPARE(int(error.code()), code);
        }
    }

    void fetchItems_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<qint64>("uid");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<QByteArray>("body"); // streamed body, or empty
        QTest::addColumn<QByteArray>("section");
        QTest::addColumn<QByteArray>("sectionData");
        QTest::newRow("uid-size") << QByteArray("* 1 FETCH (UID 7 RFC822.SIZE 1234)\r\n")
                                  << qint64(7) << qint64(1234) << QByteArray() << QByteArray()
                                  << QByteArray();
        QTest::newRow("size-first-lowercase")
            << QByteArray("* 3 fetch (rfc822.size 0 uid 4294967295)\r\n") << qint64(4294967295LL)
            << qint64(0) << QByteArray() << QByteArray() << QByteArray();
        QTest::newRow("body-uid-first")
            << QByteArray("* 2 FETCH (UID 9 BODY[] {5}\r\nhello)\r\n") << qint64(9) << qint64(-1)
            << QByteArray("hello") << QByteArray() << QByteArray();
        QTest::newRow("body-uid-last")
            << QByteArray("* 2 FETCH (BODY[] {7}\r\nab\r\ncd) UID 9)\r\n") << qint64(9)
            << qint64(-1) << QByteArray("ab\r\ncd)") << QByteArray() << QByteArray();
        QTest::newRow("body-with-flags-and-origin")
            << QByteArray("* 2 FETCH (FLAGS (\\Seen $Junk) UID 3 BODY[]<0> {3}\r\nxyz)\r\n")
            << qint64(3) << qint64(-1) << QByteArray("xyz") << QByteArray() << QByteArray();
        QTest::newRow("body-literal-plus")
            << QByteArray("* 2 FETCH (UID 3 BODY[] {3+}\r\nxyz)\r\n") << qint64(3) << qint64(-1)
            << QByteArray("xyz") << QByteArray() << QByteArray();
        QTest::newRow("body-empty")
            << QByteArray("* 2 FETCH (UID 3 BODY[] {0}\r\n)\r\n") << qint64(3) << qint64(-1)
            << QByteArray("") << QByteArray() << QByteArray();
        QTest::newRow("header-literal")
            << QByteArray(
                   "* 4 FETCH (UID 8 RFC822.SIZE 99 BODY[HEADER] {12}\r\nSubject: x\r\n)\r\n")
            << qint64(8) << qint64(99) << QByteArray() << QByteArray("HEADER")
            << QByteArray("Subject: x\r\n");
        QTest::newRow("header-fields-quoted")
            << QByteArray(
                   "* 4 FETCH (UID 8 BODY[HEADER.FIELDS (MESSAGE-ID)] \"Message-ID: <a>\")\r\n")
            << qint64(8) << qint64(-1) << QByteArray() << QByteArray("HEADER.FIELDS (MESSAGE-ID)")
            << QByteArray("Message-ID: <a>");
        QTest::newRow("header-nil")
            << QByteArray("* 4 FETCH (UID 8 BODY[HEADER] NIL)\r\n") << qint64(8) << qint64(-1)
            << QByteArray() << QByteArray("HEADER") << QByteArray();
        QTest::newRow("envelope-and-modseq-skipped")
            << QByteArray("* 1 FETCH (ENVELOPE (\"d\" {3}\r\nabc NIL ((\"a\" NIL \"b\" \"c\"))) "
                          "MODSEQ (12) UID 2)\r\n")
            << qint64(2) << qint64(-1) << QByteArray() << QByteArray() << QByteArray();
        QTest::newRow("flags-only") << QByteArray("* 1 FETCH (FLAGS (\\Seen))\r\n") << qint64(0)
                                    << qint64(-1) << QByteArray() << QByteArray() << QByteArray();
    }
    void fetchItems()
    {
        QFETCH(QByteArray, input);
        QFETCH(qint64, uid);
        QFETCH(qint64, size);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, section);
        QFETCH(QByteArray, sectionData);
        // Split at every byte: the outcome never depends on how the bytes arrive.
        for (qsizetype step = 1; step <= input.size(); ++step) {
            Framed f = frame(input, step);
            QVERIFY2(f.error.ok(), qPrintable(f.error.message()));
            QCOMPARE(f.responses.size(), 1);
            QCOMPARE(f.bodies.size(), body.isNull() ? 0 : 1);
            if (!body.isNull())
                QCOMPARE(f.bodies.first(), body);
            Response r;
            QVERIFY2(parseResponse(f.responses.first(), r).ok(), input.constData());
            QCOMPARE(r.keyword, QByteArray("FETCH"));
            QCOMPARE(r.fetch.uid, uid);
            QCOMPARE(r.fetch.size, size);
            QCOMPARE(r.fetch.streamedBody, !body.isNull());
            QCOMPARE(r.fetch.section, section);
            QCOMPARE(r.fetch.sectionData, sectionData);
        }
    }

    void fetchStart()
    {
        ResponseReader reader;
        reader.append(QByteArray("* 12 FETCH (FLAGS () UID 77 BODY[] {4}\r\nab"));
        ResponseReader::Event e;
        QVERIFY(reader.next(e).ok());
        QCOMPARE(e, ResponseReader::Event::BodyBegin);
        QCOMPARE(reader.bodySize(), qint64(4));
        qint64 seq = 0, uid = 0;
        QVERIFY(parseFetchStart(reader.response(), seq, uid).ok());
        QCOMPARE(seq, qint64(12));
        QCOMPARE(uid, qint64(77));

        ResponseReader later;
        later.append(QByteArray("* 3 FETCH (BODY[] {2}\r\n"));
        QVERIFY(later.next(e).ok());
        QCOMPARE(e, ResponseReader::Event::BodyBegin);
        QVERIFY(parseFetchStart(later.response(), seq, uid).ok());
        QCOMPARE(seq, qint64(3));
        QCOMPARE(uid, qint64(0)); // comes after the body
    }

    void bodyStreamsInBoundedChunks()
    {
        // 3 MiB of body: delivered in chunks, never as one piece the size of the message.
        const QByteArray body(3 * 1024 * 1024, 'm');
        const QByteArray input = "* 1 FETCH (UID 1 BODY[] {" + QByteArray::number(body.size()) +
                                 "}\r\n" + body + ")\r\nA1 OK done\r\n";
        Framed f = frame(input, 16 * 1024);
        QVERIFY(f.error.ok());
        QCOMPARE(f.responses.size(), 2);
        QCOMPARE(f.bodies.first().size(), body.size());
        QVERIFY(f.bodyChunks > 100);
        QVERIFY(f.maxChunk <= 64 * 1024 + 16 * 1024);
    }

    void untaggedData()
    {
        Response r = parsed("* 23 EXISTS");
        QCOMPARE(r.number, qint64(23));
        QCOMPARE(r.keyword, QByteArray("EXISTS"));
        r = parsed("* 5 expunge");
        QCOMPARE(r.keyword, QByteArray("EXPUNGE"));
        r = parsed("* SEARCH 2 3 4294967295");
        QCOMPARE(r.numbers, (QList<qint64>{2, 3, 4294967295LL}));
        r = parsed("* SEARCH");
        QVERIFY(r.numbers.isEmpty());
        r = parsed("* CAPABILITY IMAP4rev1 UIDPLUS idle AUTH=SCRAM-SHA-256 AUTH=plain SASL-IR");
        QVERIFY(r.capabilities.has("UIDPLUS"));
        QVERIFY(r.capabilities.has("IDLE"));
        QCOMPARE(r.capabilities.sasl, (QList<QByteArray>{"SCRAM-SHA-256", "PLAIN"}));
        r = parsed("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
        QCOMPARE(r.keyword, QByteArray("FLAGS"));
    }

    void mailboxNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("inbox") << QStringLiteral("INBOX") << QByteArray("INBOX");
        QTest::newRow("ampersand") << QStringLiteral("A&B") << QByteArray("A&-B");
        QTest::newRow("umlaut") << QStringLiteral("Entw\u00fcrfe") << QByteArray("Entw&APw-rfe");
        QTest::newRow("rfc3501-example")
            << QStringLiteral("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e")
            << QByteArray("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    }
    void mailboxNames()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, encoded);
        QCOMPARE(encodeMailboxName(name), encoded);
        QCOMPARE(decodeMailboxName(encoded), name);
    }

    void quotingAndSets()
    {
        bool literal = true;
        QCOMPARE(quoteString("a\"b\\c", &literal), QByteArray("\"a\\\"b\\\\c\""));
        QVERIFY(!literal);
        QCOMPARE(quoteString("p\xc3\xa4ss", &literal), QByteArray("p\xc3\xa4ss"));
        QVERIFY(literal);
        QCOMPARE(uidSet({9, 1, 2, 3, 7, 10, 2}), QByteArray("1:3,7,9:10"));
        QCOMPARE(uidSet({5}), QByteArray("5"));
    }
};

QTEST_APPLESS_MAIN(TestImapParser)
#include "tst_imapparser.moc"
