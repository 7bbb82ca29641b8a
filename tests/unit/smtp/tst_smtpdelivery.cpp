#include "SmtpTestSupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

// SmtpClient transactions: MAIL/RCPT/DATA pipelined and lockstep, replies, RSET, SIZE,
// dot-stuffing, dropped connections, bounded memory.

using namespace smtptest;

namespace {

// A large generated message that notes how far ahead of the server the client reads.
class GeneratedBody : public QIODevice
{
public:
    GeneratedBody(qint64 size, const FakeSmtpServer *server) : m_size(size), m_server(server)
    {
        open(QIODevice::ReadOnly);
    }
    qint64 size() const override { return m_size; }
    bool isSequential() const override { return false; }
    qint64 maxAhead = 0;

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = qMin(maxSize, m_size - pos());
        for (qint64 i = 0; i < n; ++i) {
            const qint64 p = pos() + i;
            data[i] = p % 80 == 79 ? '\n' : p % 80 == 0 ? '.' : char('a' + p % 26);
        }
        maxAhead = qMax(maxAhead, pos() + n - m_server->bodyBytesReceived());
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_size;
    const FakeSmtpServer *m_server;
};

} // namespace

class TestSmtpDelivery : public ClientFixture
{
    Q_OBJECT
private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }

    void pipelinedTransaction();
    void lockstepTransaction();
    void oneRecipientRefused();
    void allRecipientsRefusedLockstep();
    void transactionOutcomes_data();
    void transactionOutcomes();
    void sizeLimitPreCheck();
    void droppedMidData_data();
    void droppedMidData();
    void twoMessagesOneConnection();
    void dotStuffingOnWire();
    void largeMessageBoundedMemory();
    void addressesThatWouldBreakTheCommand();
    void intermediateReplies_data();
    void intermediateReplies();
    void quotedLocalPartsOnWire();
    void smtpUtf8_data();
    void smtpUtf8();
    void judge_data();
    void judge();
    void probePipelined();
    void probeLockstepMailRefused();
};

void TestSmtpDelivery::pipelinedTransaction()
{
    // The server answers only once DATA has arrived: a lockstep client would stall here.
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:<a@example.org> SIZE=8 BODY=8BITMIME",
                     "C: RCPT TO:<b@example.org>", "C: RCPT TO:<c@example.org>", "C: DATA",
                     "S: 250 2.1.0 Ok", "S: 250 2.1.5 Ok", "S: 250 2.1.5 Ok", "S: 354 go ahead",
                     "C: <DATA>", "S: 250 2.0.0 Ok: queued as X", "C: QUIT", "S: 221 bye"});
    openClient(script);
    QVERIFY(m_client->pipelining());
    QCOMPARE(m_client->maxSize(), qint64(50000000));

    Body body("Hi\nthere");
    const Envelope e = envelope({"b@example.org", "c@example.org"});
    const SendResult result = sendAndWait(e, &body.buffer, body.bytes.size());
    QCOMPARE(result.mailReply.code, 250);
    QCOMPARE(result.recipientReplies.size(), 2);
    QCOMPARE(result.finalReply.toString(), s("250 2.0.0 Ok: queued as X"));
    QCOMPARE(result.acceptedRecipients(e), e.recipients);
    QVERIFY(!result.sizeRefused);
    QCOMPARE(m_server->bodies(), QList<QByteArray>{"Hi\r\nthere\r\n"});

    QSignalSpy closed(m_client, &SmtpClient::closed);
    m_client->close();
    QVERIFY(closed.wait(Wait));
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
    QCOMPARE(m_failed->size(), 0);
}
void TestSmtpDelivery::lockstepTransaction()
{
    // Strict fake: any command sent before the previous reply is recorded as an error.
    QStringList script = hello(lines({"SIZE 1000000"}));
    script << lines({"C: MAIL FROM:<a@example.org> SIZE=3", "S: 250 Ok",
                     "C: RCPT TO:<b@example.org>", "S: 250 Ok", "C: RCPT TO:<c@example.org>",
                     "S: 250 Ok", "C: DATA", "S: 354 go", "C: <DATA>", "S: 250 queued"});
    openClient(script);
    QVERIFY(!m_client->pipelining());
    Body body("Hi\n");
    const Envelope e = envelope({"b@example.org", "c@example.org"});
    const SendResult result = sendAndWait(e, &body.buffer, 3);
    QCOMPARE(result.finalReply.code, 250);
    QCOMPARE(result.acceptedRecipients(e), e.recipients);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
}
void TestSmtpDelivery::oneRecipientRefused()
{
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:<nobody@example.org>",
                     "C: RCPT TO:<c@example.org>", "C: DATA", "S: 250 Ok",
                     "S: 550 5.1.1 <nobody@example.org>: Recipient address rejected", "S: 250 Ok",
                     "S: 354 go", "C: <DATA>", "S: 250 queued"});
    openClient(script);
    Body body("text\n");
    const Envelope e = envelope({"nobody@example.org", "c@example.org"});
    const SendResult result = sendAndWait(e, &body.buffer, 5);
    QCOMPARE(result.recipientReplies.size(), 2);
    QCOMPARE(result.recipientReplies.at(0).code, 550);
    QVERIFY(result.recipientReplies.at(0).text.contains(s("5.1.1")));
    QCOMPARE(result.recipientReplies.at(1).code, 250);
    QCOMPARE(result.finalReply.code, 250);
    QCOMPARE(result.acceptedRecipients(e), lines({"c@example.org"}));
    QCOMPARE(m_server->bodies(), QList<QByteArray>{"text\r\n"});
    QCOMPARE(m_server->errors(), QStringList());
}
void TestSmtpDelivery::allRecipientsRefusedLockstep()
{
    // Nobody accepted: no DATA; the next message starts with RSET.
    QStringList script = hello({});
    script << lines({"C: MAIL FROM:<a@example.org>", "S: 250 Ok", "C: RCPT TO:<x@example.org>",
                     "S: 550 5.1.1 unknown", "C: RSET", "S: 250 Ok", "C: MAIL FROM:<a@example.org>",
                     "S: 250 Ok", "C: RCPT TO:<b@example.org>", "S: 250 Ok", "C: DATA", "S: 354 go",
                     "C: <DATA>", "S: 250 queued"});
    openClient(script);
    Body first("one\n");
    const Envelope refused = envelope({"x@example.org"});
    SendResult result = sendAndWait(refused, &first.buffer, 4);
    QCOMPARE(result.recipientReplies.size(), 1);
    QCOMPARE(result.recipientReplies.at(0).code, 550);
    QCOMPARE(result.finalReply.code, 0);
    QVERIFY(result.acceptedRecipients(refused).isEmpty());
    QVERIFY(m_server->bodies().isEmpty());

    Body second("two\n");
    result = sendAndWait(envelope({"b@example.org"}), &second.buffer, 4);
    QCOMPARE(result.finalReply.code, 250);
    QCOMPARE(m_server->bodies(), QList<QByteArray>{"two\r\n"});
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
}
void TestSmtpDelivery::transactionOutcomes_data()
{
    QTest::addColumn<QString>("mail");
    QTest::addColumn<QString>("rcpt");
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("final");   // empty: the server does not expect a body
    QTest::addColumn<QByteArray>("body"); // what the server receives, if anything
    QTest::addColumn<int>("finalCode");
    QTest::addColumn<bool>("sizeRefused");
    QTest::addColumn<bool>("rsetNext");
    QTest::addColumn<Verdict>("verdict");

    const QByteArray msg("m\r\n");
    QTest::newRow("all-ok") << s("250 Ok") << s("250 Ok") << s("354 go") << s("250 queued") << msg
                            << 250 << false << false << Verdict::Accepted;
    QTest::newRow("rcpt-452-too-many")
        << s("250 Ok") << s("452 4.5.3 Too many recipients") << s("554 5.5.1 No valid recipients")
        << QString() << QByteArray() << 0 << false << true << Verdict::Transient;
    QTest::newRow("rcpt-451-greylisted")
        << s("250 Ok") << s("451 4.7.1 Greylisted") << s("554 5.5.1 No valid recipients")
        << QString() << QByteArray() << 0 << false << true << Verdict::Transient;
    // RFC 5321 §4.5.3.1.10: a 552 to RCPT means "too many recipients", temporary.
    QTest::newRow("rcpt-552-too-many")
        << s("250 Ok") << s("552 5.5.3 Too many recipients") << s("554 5.5.1 No valid recipients")
        << QString() << QByteArray() << 0 << false << true << Verdict::Transient;
    QTest::newRow("final-451") << s("250 Ok") << s("250 Ok") << s("354 go")
                               << s("451 4.3.0 Local error") << msg << 451 << false << true
                               << Verdict::Transient;
    QTest::newRow("final-552-size")
        << s("250 Ok") << s("250 Ok") << s("354 go") << s("552 5.3.4 Message too big") << msg << 552
        << true << true << Verdict::Permanent;
    QTest::newRow("mail-552-size")
        << s("552 5.3.4 Message too big") << s("503 5.5.1 need MAIL") << s("503 5.5.1 need RCPT")
        << QString() << QByteArray() << 0 << true << true << Verdict::Permanent;
    QTest::newRow("mail-451") << s("451 4.3.0 try later") << s("503 5.5.1 need MAIL")
                              << s("503 5.5.1 need RCPT") << QString() << QByteArray() << 0 << false
                              << true << Verdict::Transient;
    QTest::newRow("data-554") << s("250 Ok") << s("250 Ok") << s("554 5.5.1 no") << QString()
                              << QByteArray() << 0 << false << true << Verdict::Permanent;
    // Pipelined DATA accepted although no recipient was: only "." goes out.
    QTest::newRow("data-354-no-recipient")
        << s("250 Ok") << s("550 5.1.1 unknown") << s("354 go") << s("554 5.5.1 no recipients")
        << QByteArray("") << 0 << false << true << Verdict::Permanent;
}
void TestSmtpDelivery::transactionOutcomes()
{
    QFETCH(QString, mail);
    QFETCH(QString, rcpt);
    QFETCH(QString, data);
    QFETCH(QString, final);
    QFETCH(QByteArray, body);
    QFETCH(bool, rsetNext);

    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:<b@example.org>", "C: DATA"});
    script << s("S: ") + mail << s("S: ") + rcpt << s("S: ") + data;
    if (!final.isEmpty())
        script << s("C: <DATA>") << s("S: ") + final;
    // The next message: RSET pipelined in front of it after a failure.
    if (rsetNext)
        script << s("C: RSET");
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:<b@example.org>", "C: DATA"});
    if (rsetNext)
        script << s("S: 250 2.0.0 Ok");
    script << lines({"S: 250 Ok", "S: 250 Ok", "S: 354 go", "C: <DATA>", "S: 250 queued"});
    openClient(script);

    Body first("m\n");
    const Envelope e = envelope({"b@example.org"});
    SendResult result = sendAndWait(e, &first.buffer, 2);
    QCOMPARE(result.recipientReplies.size(), 1);
    QCOMPARE(result.mailReply.toString(), mail);
    QCOMPARE(result.recipientReplies.at(0).toString(), rcpt);
    QTEST(result.finalReply.code, "finalCode");
    QTEST(result.sizeRefused, "sizeRefused");
    QTEST(result.verdict, "verdict");
    QCOMPARE(result.recipientVerdicts.size(), 1);
    QCOMPARE(result.delivered(), result.finalReply.code == 250);
    QCOMPARE(result.acceptedRecipients(e).size(), result.finalReply.code == 250 ? 1 : 0);
    QCOMPARE(m_server->bodies(), final.isEmpty() ? QList<QByteArray>{} : QList<QByteArray>{body});

    Body second("n\n");
    result = sendAndWait(e, &second.buffer, 2);
    QCOMPARE(result.finalReply.code, 250);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
    QCOMPARE(m_failed->size(), 0);
}
void TestSmtpDelivery::sizeLimitPreCheck()
{
    QStringList script = hello(lines({"PIPELINING", "SIZE 1000"}));
    script << lines({"C: MAIL FROM:<a@example.org> SIZE=10", "C: RCPT TO:<b@example.org>",
                     "C: DATA", "S: 250 Ok", "S: 250 Ok", "S: 354 go", "C: <DATA>",
                     "S: 250 queued"});
    openClient(script);
    Body big(QByteArray(5000, 'x'));
    SendResult result = sendAndWait(envelope({"b@example.org"}), &big.buffer, 5000);
    QVERIFY(result.sizeRefused);
    QCOMPARE(result.mailReply.code, 552);
    QCOMPARE(result.finalReply.code, 0);
    QCOMPARE(m_server->receivedLines().size(), 1); // EHLO only: nothing was sent

    // Nothing reached the server, so no RSET is needed before the next message.
    Body small("0123456789");
    result = sendAndWait(envelope({"b@example.org"}), &small.buffer, 10);
    QCOMPARE(result.finalReply.code, 250);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
}
void TestSmtpDelivery::droppedMidData_data()
{
    QTest::addColumn<QStringList>("tail");
    QTest::addColumn<bool>("uncertain");
    QTest::newRow("during-body") << lines({"S: 354 go", "S: <CLOSE>"}) << false;
    QTest::newRow("before-final-reply") << lines({"S: 354 go", "C: <DATA>", "S: <CLOSE>"}) << true;
}
void TestSmtpDelivery::droppedMidData()
{
    QFETCH(QStringList, tail);
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:*", "C: DATA", "S: 250 Ok", "S: 250 Ok"})
           << tail;
    openClient(script);
    QSignalSpy sent(m_client, &SmtpClient::sent);
    QByteArray data;
    for (int i = 0; i < 30000; ++i)
        data += "a line of a fairly large message, to be cut off in the middle\n";
    Body body(data);
    m_client->send(envelope({"b@example.org"}), &body.buffer, data.size());
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(m_failed->at(0).at(0).value<Result>().code(), ErrorCode::Network);
    QCOMPARE(sent.size(), 0); // never reported as delivered
    QTEST(m_client->deliveryUncertain(), "uncertain");
    QTest::qWait(50);
    QCOMPARE(m_failed->size(), 1);
    QCOMPARE(sent.size(), 0);
}
void TestSmtpDelivery::twoMessagesOneConnection()
{
    QStringList script = pipeliningHello();
    for (const char *rcpt : {"C: RCPT TO:<b@example.org>", "C: RCPT TO:<c@example.org>"})
        script << s("C: MAIL FROM:*") << s(rcpt) << s("C: DATA") << s("S: 250 Ok") << s("S: 250 Ok")
               << s("S: 354 go") << s("C: <DATA>") << s("S: 250 queued");
    openClient(script);
    Body one("first\n");
    Body two("second\n");
    QCOMPARE(sendAndWait(envelope({"b@example.org"}), &one.buffer, 6).finalReply.code, 250);
    QCOMPARE(sendAndWait(envelope({"c@example.org"}), &two.buffer, 7).finalReply.code, 250);
    QCOMPARE(m_server->bodies(), (QList<QByteArray>{"first\r\n", "second\r\n"}));
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList()); // includes "second connection"
}
void TestSmtpDelivery::dotStuffingOnWire()
{
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:*", "C: DATA", "S: 250 Ok", "S: 250 Ok",
                     "S: 354 go", "C: <DATA>", "S: 250 queued"});
    openClient(script);
    Body body(".hidden\n..two\r\n.\rmid.dot\n.\r\nend");
    QCOMPARE(
        sendAndWait(envelope({"b@example.org"}), &body.buffer, body.bytes.size()).finalReply.code,
        250);
    QCOMPARE(m_server->bodies(),
             QList<QByteArray>{"..hidden\r\n...two\r\n..\r\nmid.dot\r\n..\r\nend\r\n"});
}
void TestSmtpDelivery::largeMessageBoundedMemory()
{
    const qint64 size = 24 * 1024 * 1024;
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:*", "C: DATA", "S: 250 Ok", "S: 250 Ok",
                     "S: 354 go", "C: <DATA>", "S: 250 queued"});
    openClient(script);
    GeneratedBody body(size, m_server);
    Envelope e = envelope({"b@example.org"});
    QSignalSpy sent(m_client, &SmtpClient::sent);
    m_client->send(e, &body, size);
    QVERIFY(sent.wait(60000));
    QCOMPARE(sent.at(0).at(0).value<SendResult>().finalReply.code, 250);
    // Every line starts with '.', stuffed; every bare LF became CRLF; the last, partial line
    // (also starting with '.') got its CRLF.
    const qint64 fullLines = size / 80;
    const qint64 partial = size % 80 ? 1 + 2 : 0;
    QCOMPARE(m_server->bodyBytesReceived(), size + 2 * fullLines + partial);
    // The client never reads far ahead of what the server has taken (socket buffers only).
    QVERIFY2(body.maxAhead < 12 * 1024 * 1024, qPrintable(QString::number(body.maxAhead)));
}
void TestSmtpDelivery::addressesThatWouldBreakTheCommand()
{
    // Only the good recipient goes on the wire; the bad one gets a made-up 553.
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:<b@example.org>", "C: DATA", "S: 250 Ok",
                     "S: 250 Ok", "S: 354 go", "C: <DATA>", "S: 250 queued"});
    openClient(script);
    Envelope e = envelope({"evil@x>\r\nRCPT TO:<victim@example.org", "b@example.org"});
    Body body("x\n");
    SendResult result = sendAndWait(e, &body.buffer, 2);
    QCOMPARE(result.recipientReplies.size(), 2);
    QCOMPARE(result.recipientReplies.at(0).code, 553);
    QVERIFY(result.recipientReplies.at(0).text.contains(s("not sent")));
    QCOMPARE(result.recipientReplies.at(1).code, 250);
    QCOMPARE(result.acceptedRecipients(e), lines({"b@example.org"}));
    QCOMPARE(result.recipientVerdicts, (QList<Verdict>{Verdict::Permanent, Verdict::Accepted}));
    QVERIFY(!m_server->received().contains("victim"));

    // A bad sender: nothing is sent at all.
    e = envelope({"b@example.org"});
    e.sender = s("a@b\nDATA");
    result = sendAndWait(e, &body.buffer, 2);
    QCOMPARE(result.mailReply.code, 553);
    QCOMPARE(result.finalReply.code, 0);
    QCOMPARE(result.verdict, Verdict::Permanent);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
    QCOMPARE(m_server->receivedLines().size(), 4); // EHLO, MAIL, RCPT, DATA
}

void TestSmtpDelivery::intermediateReplies_data()
{
    // A 3xx is never an acceptance: anywhere but 354 to DATA it is a protocol violation,
    // the session ends with failed(Protocol) - not sent() - and the message is certainly
    // not delivered (no 2xx came), so it will be retried.
    QTest::addColumn<QStringList>("tail"); // after the pipelined MAIL, RCPT, DATA
    const QStringList accepted = lines({"S: 250 Ok", "S: 250 Ok", "S: 354 go", "C: <DATA>"});
    QTest::newRow("354-to-final-dot") << accepted + lines({"S: 354 go ahead"});
    QTest::newRow("334-to-final-dot") << accepted + lines({"S: 334 VXNlcm5hbWU6"});
    QTest::newRow("300-bare-to-final-dot") << accepted + lines({"S: 300"});
    QTest::newRow("354-to-mail") << lines({"S: 354 go"});
    QTest::newRow("334-to-rcpt") << lines({"S: 250 Ok", "S: 334 eA=="});
    QTest::newRow("250-to-data") << lines({"S: 250 Ok", "S: 250 Ok", "S: 250 Ok"});
    QTest::newRow("334-to-data") << lines({"S: 250 Ok", "S: 250 Ok", "S: 334 eA=="});
    QTest::newRow("354-to-empty-dot")
        << lines({"S: 250 Ok", "S: 550 5.1.1 unknown", "S: 354 go", "C: <DATA>", "S: 354 go"});
}
void TestSmtpDelivery::intermediateReplies()
{
    QFETCH(QStringList, tail);
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:*", "C: RCPT TO:<b@example.org>", "C: DATA"}) << tail;
    openClient(script);
    QSignalSpy sent(m_client, &SmtpClient::sent);
    Body body("hello\n");
    m_client->send(envelope({"b@example.org"}), &body.buffer, 6);
    QVERIFY(m_failed->wait(Wait));
    QCOMPARE(sent.size(), 0); // never reported as a (delivered or refused) message
    QCOMPARE(firstError().code(), ErrorCode::Protocol);
    QVERIFY2(firstError().message().contains(s("not an acceptance")),
             qPrintable(firstError().message()));
    QVERIFY(!m_client->deliveryUncertain()); // the server answered, and not with a 2xx
    QVERIFY(!m_client->isOpen());
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Wait); // never reused
    QCOMPARE(m_server->bodies().size(), tail.contains(s("C: <DATA>")) ? 1 : 0);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
    QTest::qWait(50);
    QCOMPARE(m_failed->size(), 1);
    QCOMPARE(sent.size(), 0);
}
void TestSmtpDelivery::quotedLocalPartsOnWire()
{
    // RFC 5321 §4.1.2 Quoted-string local parts, as routing hands them over (quotes kept) or
    // unquoted; a needlessly quoted one goes out as a plain Dot-string.
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:<\"the boss\"@example.org> SIZE=2 BODY=8BITMIME",
                     "C: RCPT TO:<\"john q. public\"@example.test>",
                     "C: RCPT TO:<\"say \\\"hi\\\" \\\\o/\"@example.test>",
                     "C: RCPT TO:<alice@example.test>", "C: DATA", "S: 250 Ok", "S: 250 Ok",
                     "S: 250 Ok", "S: 250 Ok", "S: 354 go", "C: <DATA>", "S: 250 queued"});
    openClient(script);
    Envelope e;
    e.sender = s("the boss@example.org");
    e.recipients = lines({"\"john q. public\"@example.test",
                          "\"say \\\"hi\\\" \\\\o/\"@example.test", "\"alice\"@example.test"});
    Body body("x\n");
    const SendResult result = sendAndWait(e, &body.buffer, 2);
    QCOMPARE(result.verdict, Verdict::Accepted);
    QCOMPARE(result.acceptedRecipients(e), e.recipients);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
}
void TestSmtpDelivery::smtpUtf8_data()
{
    QTest::addColumn<bool>("offered");
    QTest::newRow("offered") << true;
    QTest::newRow("not-offered") << false;
}
void TestSmtpDelivery::smtpUtf8()
{
    // RFC 6531: a non-ASCII address goes out only with SMTPUTF8; without it that recipient
    // is refused by the client (553 5.6.7), the others still get the message.
    QFETCH(bool, offered);
    QStringList script = hello(offered ? lines({"PIPELINING", "8BITMIME", "SMTPUTF8"})
                                       : lines({"PIPELINING", "8BITMIME"}));
    if (offered)
        script << lines({"C: MAIL FROM:<a@example.org> BODY=8BITMIME SMTPUTF8",
                         "C: RCPT TO:<j\u00f6rg@example.org>", "C: RCPT TO:<b@example.org>",
                         "C: DATA", "S: 250 Ok", "S: 250 Ok"});
    else
        script << lines({"C: MAIL FROM:<a@example.org> BODY=8BITMIME", "C: RCPT TO:<b@example.org>",
                         "C: DATA", "S: 250 Ok"});
    script << lines({"S: 250 Ok", "S: 354 go", "C: <DATA>", "S: 250 queued"});
    openClient(script);
    const Envelope e = envelope({"j\u00f6rg@example.org", "b@example.org"});
    Body body("x\n");
    const SendResult result = sendAndWait(e, &body.buffer, 2);
    QCOMPARE(result.verdict, Verdict::Accepted);
    QCOMPARE(result.recipientVerdicts,
             (QList<Verdict>{offered ? Verdict::Accepted : Verdict::Permanent, Verdict::Accepted}));
    if (!offered) {
        const Reply &refused = result.recipientReplies.at(0);
        QCOMPARE(refused.code, 553);
        QVERIFY(refused.synthetic);
        QVERIFY2(refused.text.startsWith(s("5.6.7")) && refused.text.contains(s("SMTPUTF8")),
                 qPrintable(refused.text));
        QVERIFY(!m_server->received().contains("j\xc3\xb6rg"));
    }
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
}
namespace {
Reply reply(int code, const char *text = "", bool synthetic = false)
{
    Reply r;
    r.code = code;
    r.text = QString::fromUtf8(text);
    r.synthetic = synthetic;
    return r;
}
} // namespace
void TestSmtpDelivery::judge_data()
{
    QTest::addColumn<Reply>("mail");
    QTest::addColumn<QList<Reply>>("rcpt");
    QTest::addColumn<Reply>("data");
    QTest::addColumn<Reply>("final");
    QTest::addColumn<bool>("sizeRefused");
    QTest::addColumn<Verdict>("verdict");
    QTest::addColumn<QList<Verdict>>("perRecipient");
    QTest::addColumn<int>("decisiveCode");
    using V = Verdict;
    const Reply ok = reply(250, "Ok");
    const Reply go = reply(354, "go");
    const Reply none;
    QTest::newRow("delivered") << ok << QList<Reply>{ok, ok} << go << reply(250, "queued") << false
                               << V::Accepted << QList<V>{V::Accepted, V::Accepted} << 250;
    QTest::newRow("partly-refused")
        << ok << QList<Reply>{ok, reply(550, "5.1.1 unknown"), reply(451, "4.7.1 later")} << go
        << reply(250, "queued") << false << V::Accepted
        << QList<V>{V::Accepted, V::Permanent, V::Transient} << 250;
    QTest::newRow("final-354-is-not-delivered")
        << ok << QList<Reply>{ok} << go << reply(354, "go") << false << V::Transient
        << QList<V>{V::Transient} << 354;
    QTest::newRow("final-554-content")
        << ok << QList<Reply>{ok, reply(550, "5.1.1")} << go << reply(554, "5.7.1 spam") << false
        << V::Permanent << QList<V>{V::Permanent, V::Permanent} << 554;
    QTest::newRow("final-451") << ok << QList<Reply>{ok, reply(452, "4.5.3")} << go
                               << reply(451, "4.3.0") << false << V::Transient
                               << QList<V>{V::Transient, V::Transient} << 451;
    QTest::newRow("no-recipient-one-transient")
        << ok << QList<Reply>{reply(550, "5.1.1"), reply(450, "4.2.1")} << reply(554, "5.5.1")
        << none << false << V::Transient << QList<V>{V::Permanent, V::Transient} << 450;
    QTest::newRow("no-recipient-all-permanent")
        << ok << QList<Reply>{reply(550, "5.1.1"), reply(553, "x", true)} << reply(554, "5.5.1")
        << none << false << V::Permanent << QList<V>{V::Permanent, V::Permanent} << 550;
    QTest::newRow("all-unsendable")
        << none << QList<Reply>{reply(553, "5.1.3", true)} << none << none << false << V::Permanent
        << QList<V>{V::Permanent} << 553;
    QTest::newRow("no-recipients")
        << none << QList<Reply>{} << none << none << false << V::Permanent << QList<V>{} << 0;
    QTest::newRow("sender-unsendable")
        << reply(553, "5.1.7", true) << QList<Reply>{none} << none << none << false << V::Permanent
        << QList<V>{V::Permanent} << 553;
    QTest::newRow("mail-451") << reply(451, "4.3.0") << QList<Reply>{reply(503, "5.5.1")}
                              << reply(503, "5.5.1") << none << false << V::Transient
                              << QList<V>{V::Transient} << 451;
    QTest::newRow("mail-size-552")
        << reply(552, "5.3.4") << QList<Reply>{reply(503, "5.5.1")} << reply(503, "5.5.1") << none
        << true << V::Permanent << QList<V>{V::Permanent} << 552;
    QTest::newRow("data-451") << ok << QList<Reply>{ok} << reply(451, "4.3.0") << none << false
                              << V::Transient << QList<V>{V::Transient} << 451;
    QTest::newRow("rcpt-552-temporary")
        << ok << QList<Reply>{ok, reply(552, "5.5.3 too many")} << go << reply(250, "queued")
        << false << V::Accepted << QList<V>{V::Accepted, V::Transient} << 250;
}
void TestSmtpDelivery::judge()
{
    QFETCH(Reply, mail);
    QFETCH(QList<Reply>, rcpt);
    QFETCH(Reply, data);
    QFETCH(Reply, final);
    SendResult r;
    r.mailReply = mail;
    r.recipientReplies = rcpt;
    r.dataReply = data;
    r.finalReply = final;
    QFETCH(bool, sizeRefused);
    r.sizeRefused = sizeRefused;
    r.judge();
    QTEST(r.verdict, "verdict");
    QTEST(r.recipientVerdicts, "perRecipient");
    QTEST(r.decisiveReply.code, "decisiveCode");
    QCOMPARE(r.delivered(), r.verdict == Verdict::Accepted);
}
void TestSmtpDelivery::probePipelined()
{
    // MAIL, the RCPTs and RSET in one burst; never DATA; the connection stays usable.
    m_server->setStrictLockstep(false);
    QStringList script = pipeliningHello();
    script << lines({"C: MAIL FROM:<>", "C: RCPT TO:<a@example.org>",
                     "C: RCPT TO:<\"john q. public\"@example.org>", "C: RSET", "S: 250 Ok",
                     "S: 250 2.1.5 Ok", "S: 550 5.1.1 unknown", "S: 250 2.0.0 Ok", "C: MAIL FROM:*",
                     "C: RCPT TO:<b@example.org>", "C: DATA", "S: 250 Ok", "S: 250 Ok", "S: 354 go",
                     "C: <DATA>", "S: 250 queued"});
    openClient(script);
    QSignalSpy probed(m_client, &SmtpClient::probed);
    m_client->probe(QString(), lines({"a@example.org", "\"john q. public\"@example.org",
                                      "bad\r\n@example.org"}));
    QVERIFY(probed.wait(Wait));
    const ProbeResult result = probed.at(0).at(0).value<ProbeResult>();
    QCOMPARE(result.mailReply.code, 250);
    QCOMPARE(result.recipientReplies.size(), 3);
    QCOMPARE(result.recipientReplies.at(0).code, 250);
    QCOMPARE(result.recipientReplies.at(1).code, 550);
    QCOMPARE(result.recipientReplies.at(2).code, 553);
    QVERIFY(result.recipientReplies.at(2).synthetic);
    QVERIFY(m_client->isOpen());
    Body body("x\n");
    QCOMPARE(sendAndWait(envelope({"b@example.org"}), &body.buffer, 2).verdict, Verdict::Accepted);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
    QCOMPARE(m_server->receivedLines().count("DATA"), 1); // the message's, not the probe's
    QCOMPARE(m_server->bodies().size(), 1);
}
void TestSmtpDelivery::probeLockstepMailRefused()
{
    // Lockstep: a refused MAIL ends the probe; the next one starts with RSET.
    QStringList script = hello({});
    script << lines({"C: MAIL FROM:<>", "S: 550 5.7.1 no null sender", "C: RSET", "S: 250 Ok",
                     "C: MAIL FROM:<>", "S: 250 Ok", "C: RCPT TO:<a@example.org>", "S: 250 Ok",
                     "C: RSET", "S: 250 Ok"});
    openClient(script);
    QSignalSpy probed(m_client, &SmtpClient::probed);
    m_client->probe(QString(), lines({"a@example.org"}));
    QVERIFY(probed.wait(Wait));
    QCOMPARE(probed.at(0).at(0).value<ProbeResult>().mailReply.code, 550);
    m_client->probe(QString(), lines({"a@example.org"}));
    QTRY_COMPARE_WITH_TIMEOUT(probed.size(), 2, Wait);
    const ProbeResult second = probed.at(1).at(0).value<ProbeResult>();
    QCOMPARE(second.mailReply.code, 250);
    QCOMPARE(second.recipientReplies.value(0).code, 250);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_server->errors(), QStringList());
    QCOMPARE(m_failed->size(), 0);
}

QTEST_GUILESS_MAIN(TestSmtpDelivery)
#include "tst_smtpdelivery.moc"
