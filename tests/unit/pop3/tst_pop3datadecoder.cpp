#include "pop3/Pop3Parser.h"

#include <QRandomGenerator>
#include <QTest>

using namespace pollux;
using namespace pollux::pop3;

namespace {

struct Decoded
{
    QByteArray output;
    QByteArray rest; // input after the terminator
    bool finished = false;
    qsizetype largestOutput = 0; // most output produced by one feed()
};

// Feeds the chunks in order; whatever a feed() leaves unconsumed is the rest.
Decoded runDecoder(const QList<QByteArray> &chunks)
{
    DataDecoder decoder;
    Decoded d;
    for (const QByteArray &chunk : chunks) {
        if (decoder.finished()) {
            d.rest += chunk;
            continue;
        }
        QByteArray out;
        const qsizetype used = decoder.feed(chunk.constData(), chunk.size(), out);
        d.largestOutput = qMax(d.largestOutput, out.size());
        d.output += out;
        d.rest += chunk.mid(used);
        if (used < chunk.size() && !decoder.finished())
            d.rest += "<unconsumed without terminator>";
    }
    d.finished = decoder.finished();
    return d;
}

} // namespace

class TestPop3DataDecoder : public QObject
{
    Q_OBJECT
private slots:
    void decode_data();
    void decode();
    void longLineStreamsWithBoundedMemory();
    void resetStartsANewMessage();
    void randomRoundTrip();
};

void TestPop3DataDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<bool>("finished");
    QTest::addColumn<QByteArray>("rest");

    QTest::newRow("simple") << QByteArray("Subject: x\r\n\r\nbody\r\n.\r\n")
                            << QByteArray("Subject: x\r\n\r\nbody\r\n") << true << QByteArray();
    QTest::newRow("empty-message") << QByteArray(".\r\n") << QByteArray() << true << QByteArray();
    QTest::newRow("empty-line-message")
        << QByteArray("\r\n.\r\n") << QByteArray("\r\n") << true << QByteArray();
    QTest::newRow("dot-stuffed") << QByteArray("..hidden\r\n.\r\n") << QByteArray(".hidden\r\n")
                                 << true << QByteArray();
    QTest::newRow("dot-alone-stuffed") << QByteArray("a\r\n..\r\nb\r\n.\r\n")
                                       << QByteArray("a\r\n.\r\nb\r\n") << true << QByteArray();
    QTest::newRow("two-dots-stuffed")
        << QByteArray("...\r\n.\r\n") << QByteArray("..\r\n") << true << QByteArray();
    QTest::newRow("dot-mid-line") << QByteArray("a.b\r\n.\r\n") << QByteArray("a.b\r\n") << true
                                  << QByteArray();
    QTest::newRow("dot-crlf-mid-line")
        << QByteArray("a.\r\n.\r\n") << QByteArray("a.\r\n") << true << QByteArray();
    QTest::newRow("crlf-dot-crlf-inside-line")
        << QByteArray("x\r\n.y\r\n.\r\n") << QByteArray("x\r\ny\r\n") << true << QByteArray();
    QTest::newRow("next-response-left")
        << QByteArray("x\r\n.\r\n+OK next\r\n") << QByteArray("x\r\n") << true
        << QByteArray("+OK next\r\n");
    QTest::newRow("next-message-left")
        << QByteArray("x\r\n.\r\n+OK\r\ny\r\n.\r\n") << QByteArray("x\r\n") << true
        << QByteArray("+OK\r\ny\r\n.\r\n");
    // RFC 1939: only CRLF "." CRLF ends the response. LF "." LF inside a message (which a
    // server that stuffs after CRLF sends as it is) is content, not a forged end.
    QTest::newRow("bare-lf-dot-line-is-content")
        << QByteArray("x\n.\n+OK") << QByteArray("x\n.\n+OK") << false << QByteArray();
    QTest::newRow("forged-end-after-bare-lf")
        << QByteArray("x\n.\n+OK\r\nSubject: forged\r\n.\r\n+OK next")
        << QByteArray("x\n.\n+OK\r\nSubject: forged\r\n") << true << QByteArray("+OK next");
    QTest::newRow("dot-bare-lf-after-crlf-is-not-the-end")
        << QByteArray("a\r\n.\nrest") << QByteArray("a\r\n\nrest") << false << QByteArray();
    QTest::newRow("bare-lf-dot-crlf-is-content")
        << QByteArray("a\n.\r\nb\r\n.\r\n") << QByteArray("a\n.\r\nb\r\n") << true << QByteArray();
    QTest::newRow("terminator-only-after-crlf")
        << QByteArray("a\r\nb\n.\n.\r\n") << QByteArray("a\r\nb\n.\n.\r\n") << false
        << QByteArray();
    QTest::newRow("bare-lf-lines-kept")
        << QByteArray("a\nb\r\n.\r\n") << QByteArray("a\nb\r\n") << true << QByteArray();
    QTest::newRow("bare-lf-dot-stuffed")
        << QByteArray("a\n..b\r\n.\r\n") << QByteArray("a\n.b\r\n") << true << QByteArray();
    QTest::newRow("bare-cr-is-not-a-line-end")
        << QByteArray("a\r.\r\n.\r\n") << QByteArray("a\r.\r\n") << true << QByteArray();
    QTest::newRow("dot-cr-not-lf")
        << QByteArray("a\r\n.\rx\r\n.\r\n") << QByteArray("a\r\n\rx\r\n") << true << QByteArray();
    QTest::newRow("dot-cr-cr-lf") << QByteArray(".\r\r\n.\r\n") << QByteArray("\r\r\n") << true
                                  << QByteArray();
    QTest::newRow("no-terminator-yet")
        << QByteArray("abc\r\ndef") << QByteArray("abc\r\ndef") << false << QByteArray();
    QTest::newRow("dot-at-end-pending")
        << QByteArray("abc\r\n.") << QByteArray("abc\r\n") << false << QByteArray();
    QTest::newRow("binary-bytes") << QByteArray("\x00\xff\x01\r\n\x80.\r\n.\r\n", 12)
                                  << QByteArray("\x00\xff\x01\r\n\x80.\r\n", 9) << true
                                  << QByteArray();
    QTest::newRow("terminator-like-mid-line")
        << QByteArray("x.\r\n.\r\n") << QByteArray("x.\r\n") << true << QByteArray();
}

void TestPop3DataDecoder::decode()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, output);
    QFETCH(bool, finished);
    QFETCH(QByteArray, rest);

    const Decoded whole = runDecoder({input});
    QCOMPARE(whole.output, output);
    QCOMPARE(whole.finished, finished);
    QCOMPARE(whole.rest, rest);

    // Split at every byte position: identical result.
    for (qsizetype cut = 0; cut <= input.size(); ++cut) {
        const Decoded split = runDecoder({input.left(cut), input.mid(cut)});
        QVERIFY2(split.output == output, qPrintable(QStringLiteral("cut at %1").arg(cut)));
        QCOMPARE(split.finished, finished);
        QVERIFY2(split.rest == rest, qPrintable(QStringLiteral("cut at %1").arg(cut)));
    }

    // One byte at a time.
    QList<QByteArray> bytes;
    for (char c : input)
        bytes.append(QByteArray(1, c));
    const Decoded single = runDecoder(bytes);
    QCOMPARE(single.output, output);
    QCOMPARE(single.finished, finished);
    QCOMPARE(single.rest, rest);
}

void TestPop3DataDecoder::longLineStreamsWithBoundedMemory()
{
    // 1 MB without a line break, fed in 64 KiB chunks: every chunk comes out at once,
    // nothing is held back waiting for the end of the line.
    constexpr qsizetype Chunk = 64 * 1024;
    const QByteArray line(1024 * 1024, 'x');
    const QByteArray input = ".." + line + "\r\n.\r\n+OK";
    QList<QByteArray> chunks;
    for (qsizetype i = 0; i < input.size(); i += Chunk)
        chunks.append(input.mid(i, Chunk));
    const Decoded d = runDecoder(chunks);
    QVERIFY(d.finished);
    QCOMPARE(d.output.size(), line.size() + 3);
    QVERIFY(d.output == "." + line + "\r\n");
    QCOMPARE(d.rest, QByteArray("+OK"));
    QVERIFY(d.largestOutput <= Chunk);

    DataDecoder decoder;
    QByteArray out;
    const qsizetype used = decoder.feed(line.constData(), Chunk, out);
    QCOMPARE(used, Chunk);
    QCOMPARE(out.size(), Chunk); // streamed out, not buffered
}

void TestPop3DataDecoder::resetStartsANewMessage()
{
    DataDecoder decoder;
    QByteArray out;
    QByteArray input("a\r\n.\r\n");
    QCOMPARE(decoder.feed(input.constData(), input.size(), out), input.size());
    QVERIFY(decoder.finished());
    QByteArray more("ignored");
    QCOMPARE(decoder.feed(more.constData(), more.size(), out), 0);
    decoder.reset();
    QVERIFY(!decoder.finished());
    input = "..b\r\n.\r\n";
    out.clear();
    QCOMPARE(decoder.feed(input.constData(), input.size(), out), input.size());
    QCOMPARE(out, QByteArray(".b\r\n"));
}

// Any content ending in CRLF, dot-stuffed the way a server does it and cut into
// random chunks, decodes to itself; what follows the terminator is left over.
void TestPop3DataDecoder::randomRoundTrip()
{
    QRandomGenerator random(1939); // fixed seed: reproducible
    const char alphabet[] = {'.', '.', '\r', '\n', '\n', 'a', ' ', '\0', '\xff'};
    for (int round = 0; round < 3000; ++round) {
        QByteArray content;
        const int length = random.bounded(40);
        for (int i = 0; i < length; ++i)
            content += alphabet[random.bounded(int(sizeof(alphabet)))];
        content += "\r\n"; // a message ends with a line end; the terminator follows a CRLF
        QByteArray wire;
        bool lineStart = true;
        for (char c : content) {
            if (lineStart && c == '.')
                wire += '.';
            wire += c;
            lineStart = c == '\n';
        }
        wire += ".\r\n+OK";
        QList<QByteArray> chunks;
        for (qsizetype i = 0; i < wire.size();) {
            const qsizetype n = 1 + random.bounded(8);
            chunks.append(wire.mid(i, n));
            i += n;
        }
        const Decoded d = runDecoder(chunks);
        QVERIFY2(d.finished, wire.toHex().constData());
        QVERIFY2(d.output == content, wire.toHex().constData());
        QCOMPARE(d.rest, QByteArray("+OK"));
    }
}

QTEST_GUILESS_MAIN(TestPop3DataDecoder)
#include "tst_pop3datadecoder.moc"
