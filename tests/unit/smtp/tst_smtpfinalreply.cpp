#include "SmtpTestSupport.h"

#include <QElapsedTimer>

// The end of a message (issue 12, items 2 and 3): the reply to the final "." (or to the
// LAST BDAT chunk) has its own bound, 10 minutes by default (RFC 5321 §4.5.3.2.6), every
// other wait the ordinary timeout; a body DATA cannot carry as it is goes byte for byte
// with BDAT + BODY=BINARYMIME where the server offers CHUNKING and BINARYMIME (RFC 3030).

using namespace smtptest;

namespace {

// One line of `length` octets, a bare CR, a NUL, a leading dot and a bare LF: nothing DATA
// could carry unchanged.
QByteArray binaryBody(qint64 length)
{
    QByteArray body = "Subject: long\r\n\r\n";
    body += QByteArray(length, 'x') + "\r\n";
    body += "a bare\rCR, a NUL ";
    body += '\0';
    body += " here\r\n.leading dot\r\nbare LF\nend\r\n";
    return body;
}

QStringList chunkingHello(bool pipelining, bool binaryMime = true)
{
    QStringList ext = lines({"SIZE 50000000", "8BITMIME", "CHUNKING"});
    if (binaryMime)
        ext << s("BINARYMIME");
    if (pipelining)
        ext << s("PIPELINING");
    return hello(ext);
}

} // namespace

class TestSmtpFinalReply : public ClientFixture
{
    Q_OBJECT
private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void finalReplyAfterOrdinaryTimeout_data();
    void finalReplyAfterOrdinaryTimeout();
    void finalReplyBoundHolds();
    void ordinaryTimeoutBeforeTheEnd();
    void binaryBodyGoesVerbatimWithBdat_data();
    void binaryBodyGoesVerbatimWithBdat();
    void ordinaryBodyStaysOnData();
    void longLineWithoutBinaryMimeGoesOverData();
    void bodyShapeScan_data();
    void bodyShapeScan();
    void judgeChunked_data();
    void judgeChunked();

private:
    SendResult sendShaped(const Envelope &e, QIODevice *body, qint64 size);
};

SendResult TestSmtpFinalReply::sendShaped(const Envelope &e, QIODevice *body, qint64 size)
{
    BodyShape shape;
    if (!scanBody(body, shape))
        qWarning("body not scanned");
    QSignalSpy sent(m_client, &SmtpClient::sent);
    m_client->send(e, body, size, shape);
    if (!sent.wait(Wait) || sent.size() != 1) {
        qWarning() << "no sent(); server:" << m_server->errors()
                   << "failed:" << (m_failed->isEmpty() ? QString() : firstError().message());
        return SendResult();
    }
    return sent.at(0).at(0).value<SendResult>();
}

void TestSmtpFinalReply::finalReplyAfterOrdinaryTimeout_data()
{
    QTest::addColumn<bool>("bdat");
    QTest::newRow("data-dot") << false;
    QTest::newRow("bdat-last") << true;
}

// A server that queues the message and answers after the ordinary timeout: delivered, once.
void TestSmtpFinalReply::finalReplyAfterOrdinaryTimeout()
{
    QFETCH(bool, bdat);
    Options o = options(400); // ordinary timeout 0.4 s
    o.finalReplyTimeoutMs = 10000;
    QStringList script = bdat ? chunkingHello(false) : hello({});
    script << lines(
        {"C: MAIL FROM:<a@example.org>*", "S: 250 ok", "C: RCPT TO:<b@example.org>", "S: 250 ok"});
    if (bdat)
        script << lines({"C: <BDAT>"});
    else
        script << lines({"C: DATA", "S: 354 go", "C: <DATA>"});
    script << lines({"S: <PAUSE 1500>", "S: 250 2.0.0 queued as LATE"});
    openClient(script, o);
    Body body(bdat ? binaryBody(2000) : QByteArray("Subject: hi\r\n\r\nhello\r\n"));
    const SendResult r = sendShaped(envelope({"b@example.org"}), &body.buffer, body.bytes.size());
    QVERIFY2(m_failed->isEmpty(), m_failed->isEmpty() ? "" : qPrintable(firstError().message()));
    QVERIFY(r.delivered());
    QCOMPARE(r.finalReply.code, 250);
    QCOMPARE(r.chunked, bdat);
    QCOMPARE(m_server->bodies().size(), 1);
    QVERIFY2(m_server->errors().isEmpty(), qPrintable(m_server->errors().join(s("\n"))));
    // After the reply the connection is reusable and the ordinary timeout is back.
    QVERIFY(m_client->isOpen());
    QVERIFY(!m_client->awaitingFinalReply());
    QVERIFY(m_failed->wait(Wait)); // idle: the ordinary inactivity timeout runs again
    QCOMPARE(firstError().code(), ErrorCode::Timeout);
}

// The final-reply wait is bounded: a server that never answers fails it, uncertain.
void TestSmtpFinalReply::finalReplyBoundHolds()
{
    Options o = options(300);
    o.finalReplyTimeoutMs = 1200;
    QStringList script = hello({});
    script << lines({"C: MAIL FROM:*", "S: 250 ok", "C: RCPT TO:*", "S: 250 ok", "C: DATA",
                     "S: 354 go", "C: <DATA>", "S: <HOLD>"});
    openClient(script, o);
    Body body("Subject: hi\r\n\r\nhello\r\n");
    QElapsedTimer clock;
    clock.start();
    m_client->send(envelope({"b@example.org"}), &body.buffer, body.bytes.size());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->awaitingFinalReply(), Wait);
    QVERIFY(m_failed->wait(Wait));
    QVERIFY2(clock.elapsed() >= 1100, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(firstError().code(), ErrorCode::Timeout);
    QVERIFY2(firstError().message().contains(s("end of the message")),
             qPrintable(firstError().message()));
    QVERIFY(m_client->deliveryUncertain());
}

// Only the final reply gets the long bound: a withheld RCPT reply fails at the ordinary one.
void TestSmtpFinalReply::ordinaryTimeoutBeforeTheEnd()
{
    Options o = options(400);
    o.finalReplyTimeoutMs = 60000;
    QStringList script = hello({});
    script << lines({"C: MAIL FROM:*", "S: 250 ok", "C: RCPT TO:*", "S: <HOLD>"});
    openClient(script, o);
    Body body("Subject: hi\r\n\r\nhello\r\n");
    QElapsedTimer clock;
    clock.start();
    m_client->send(envelope({"b@example.org"}), &body.buffer, body.bytes.size());
    QVERIFY(m_failed->wait(Wait));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(firstError().code(), ErrorCode::Timeout);
    QVERIFY(!m_client->deliveryUncertain());
}

void TestSmtpFinalReply::binaryBodyGoesVerbatimWithBdat_data()
{
    QTest::addColumn<bool>("pipelining");
    QTest::addColumn<qint64>("lineLength");
    QTest::newRow("lockstep-one-chunk") << false << qint64(5000);
    QTest::newRow("lockstep-many-chunks") << false << qint64(3 * 1024 * 1024 + 17);
    QTest::newRow("pipelined-many-chunks") << true << qint64(3 * 1024 * 1024 + 17);
}

// A server offering CHUNKING and BINARYMIME (that would refuse DATA lines over 1000: the
// script accepts BDAT only) gets the body byte for byte: long line, bare CR, NUL, dot.
void TestSmtpFinalReply::binaryBodyGoesVerbatimWithBdat()
{
    QFETCH(bool, pipelining);
    QFETCH(qint64, lineLength);
    m_server->setStrictLockstep(!pipelining);
    QStringList script = chunkingHello(pipelining);
    script << lines({"C: MAIL FROM:<a@example.org>*", "S: 250 ok", "C: RCPT TO:<b@example.org>",
                     "S: 250 ok", "C: <BDAT>", "S: 250 2.0.0 queued as BIN"});
    openClient(script);
    Body body(binaryBody(lineLength));
    const SendResult r = sendShaped(envelope({"b@example.org"}), &body.buffer, body.bytes.size());
    QVERIFY2(m_server->errors().isEmpty(), qPrintable(m_server->errors().join(s("\n"))));
    QVERIFY(r.delivered());
    QVERIFY(r.chunked);
    QCOMPARE(r.finalReply.code, 250);
    QCOMPARE(r.dataReply.code, 0);
    QCOMPARE(m_server->bodies().size(), 1);
    QVERIFY(m_server->bodies().at(0) == body.bytes); // byte-identical
    const QByteArray mail = m_server->receivedLines().value(1);
    QVERIFY2(mail.contains(" BODY=BINARYMIME") && !mail.contains("8BITMIME"), mail.constData());
    QVERIFY2(mail.contains(" SIZE="), mail.constData());
    // Bounded chunks, the last one marked LAST.
    int chunks = 0;
    for (const QByteArray &line : m_server->receivedLines()) {
        if (!line.startsWith("BDAT "))
            continue;
        ++chunks;
        QVERIFY2(line.split(' ').value(1).toLongLong() <= 512 * 1024, line.constData());
    }
    QVERIFY(chunks >= 1 + int(lineLength / (512 * 1024)));
    int last = 0;
    for (const QByteArray &line : m_server->receivedLines())
        last += line.startsWith("BDAT ") && line.endsWith(" LAST") ? 1 : 0;
    QCOMPARE(last, 1);
}

// CHUNKING and BINARYMIME offered, but the body is ordinary: DATA as always.
void TestSmtpFinalReply::ordinaryBodyStaysOnData()
{
    QStringList script = chunkingHello(false);
    script << lines({"C: MAIL FROM:<a@example.org> SIZE=*", "S: 250 ok",
                     "C: RCPT TO:<b@example.org>", "S: 250 ok", "C: DATA", "S: 354 go", "C: <DATA>",
                     "S: 250 ok"});
    openClient(script);
    Body body("Subject: hi\r\n\r\n.dot\r\nhello\r\n");
    const SendResult r = sendShaped(envelope({"b@example.org"}), &body.buffer, body.bytes.size());
    QVERIFY2(m_server->errors().isEmpty(), qPrintable(m_server->errors().join(s("\n"))));
    QVERIFY(r.delivered());
    QVERIFY(!r.chunked);
    QVERIFY(m_server->receivedLines().value(1).endsWith(" BODY=8BITMIME"));
}

// No BINARYMIME (Postfix offers CHUNKING only): DATA, the long line unchanged (not folded).
void TestSmtpFinalReply::longLineWithoutBinaryMimeGoesOverData()
{
    QStringList script = chunkingHello(false, false);
    script << lines({"C: MAIL FROM:<a@example.org> SIZE=*", "S: 250 ok",
                     "C: RCPT TO:<b@example.org>", "S: 250 ok", "C: DATA", "S: 354 go", "C: <DATA>",
                     "S: 500 5.5.2 line too long"});
    openClient(script);
    const QByteArray longLine(70000, 'y');
    Body body("Subject: long\r\n\r\n" + longLine + "\r\n");
    const SendResult r = sendShaped(envelope({"b@example.org"}), &body.buffer, body.bytes.size());
    QVERIFY2(m_server->errors().isEmpty(), qPrintable(m_server->errors().join(s("\n"))));
    QVERIFY(!r.chunked);
    QVERIFY(m_server->receivedLines().value(1).endsWith(" BODY=8BITMIME"));
    QCOMPARE(r.verdict, Verdict::Permanent);
    QCOMPARE(m_server->bodies().size(), 1);
    QVERIFY(m_server->bodies().at(0).contains(QByteArray("\r\n" + longLine + "\r\n")));
}

void TestSmtpFinalReply::bodyShapeScan_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("longest");
    QTest::addColumn<bool>("bareCr");
    QTest::addColumn<bool>("bareLf");
    QTest::addColumn<bool>("nul");
    QTest::newRow("crlf-lines") << QByteArray("ab\r\nabcd\r\n") << qint64(4) << false << false
                                << false;
    QTest::newRow("998-is-fine") << QByteArray(998, 'a') + "\r\n"
                                 << qint64(998) << false << false << false;
    QTest::newRow("999-is-long") << QByteArray(999, 'a') + "\r\n"
                                 << qint64(999) << false << false << false;
    QTest::newRow("no-final-crlf") << QByteArray("abc") << qint64(3) << false << false << false;
    QTest::newRow("bare-cr") << QByteArray("a\rb\r\n") << qint64(3) << true << false << false;
    QTest::newRow("cr-at-end") << QByteArray("ab\r") << qint64(3) << true << false << false;
    QTest::newRow("bare-lf") << QByteArray("ab\ncd\r\n") << qint64(2) << false << true << false;
    QTest::newRow("nul") << QByteArray("a\0b\r\n", 5) << qint64(3) << false << false << true;
    // The scan reads in 64 KiB pieces: a CRLF split across two pieces is one line ending.
    QTest::newRow("crlf-across-pieces") << QByteArray(64 * 1024 - 1, 'a') + "\r\nb\r\n"
                                        << qint64(64 * 1024 - 1) << false << false << false;
}

void TestSmtpFinalReply::bodyShapeScan()
{
    QFETCH(QByteArray, body);
    Body b(body);
    b.buffer.seek(0);
    BodyShape shape;
    QVERIFY(scanBody(&b.buffer, shape));
    QCOMPARE(b.buffer.pos(), qint64(0)); // sought back for the send
    QTEST(shape.longestLine, "longest");
    QTEST(shape.bareCr, "bareCr");
    QTEST(shape.bareLf, "bareLf");
    QTEST(shape.nul, "nul");
}

void TestSmtpFinalReply::judgeChunked_data()
{
    QTest::addColumn<int>("chunkReply");
    QTest::addColumn<int>("lastReply");
    QTest::addColumn<Verdict>("verdict");
    QTest::addColumn<int>("decisive");
    QTest::newRow("last-250") << 0 << 250 << Verdict::Accepted << 250;
    QTest::newRow("chunks-250-last-250") << 250 << 250 << Verdict::Accepted << 250;
    QTest::newRow("last-451") << 0 << 451 << Verdict::Transient << 451;
    QTest::newRow("last-554") << 0 << 554 << Verdict::Permanent << 554;
    QTest::newRow("chunk-552-refused") << 552 << 0 << Verdict::Permanent << 552;
    QTest::newRow("chunk-452-refused-last-503") << 452 << 503 << Verdict::Transient << 452;
}

// How the BDAT replies map onto the verdict (SendResult's comment).
void TestSmtpFinalReply::judgeChunked()
{
    QFETCH(int, chunkReply);
    QFETCH(int, lastReply);
    SendResult r;
    r.chunked = true;
    r.mailReply.code = 250;
    r.recipientReplies = {Reply{250, s("ok"), false}};
    r.dataReply.code = chunkReply;
    r.finalReply.code = lastReply;
    r.judge();
    QTEST(r.verdict, "verdict");
    QTEST(r.decisiveReply.code, "decisive");
}

QTEST_MAIN(TestSmtpFinalReply)
#include "tst_smtpfinalreply.moc"
