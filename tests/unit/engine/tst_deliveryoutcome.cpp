// What the delivery stage makes of the office server's replies and of the routing, through
// the one applier: regressions for the integrity review (issue 11, defects 5-7).
#include "DeliveryFixture.h"
#include "engine/DeliveryOutcome.h"
#include "engine/OutcomeApplier.h"
#include "unit/smtp/SmtpTestSupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using smtptest::hello;

namespace {

smtp::Reply reply(int code, const char *text = "x")
{
    smtp::Reply r;
    r.code = code;
    r.text = QString::fromUtf8(text);
    return r;
}

const QByteArray Invoice = "From: Billing <billing@vendor.example>\r\n"
                           "To: b@example.org\r\n"
                           "Subject: Invoice 1001\r\n"
                           "Message-ID: <invoice-1001@vendor.example>\r\n"
                           "\r\n"
                           "Please pay 100 EUR to DE00 1111.\r\n";
} // namespace

class TestDeliveryOutcome : public DeliveryFixture
{
    Q_OBJECT

private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void classify_data();
    void classify();
    void intermediateReplyToFinalDotIsNotDelivered();
    void unsendableOnlyRecipientIsQuarantinedNotRetried();
    void borrowedMessageIdIsStillDelivered();
};

void TestDeliveryOutcome::classify_data()
{
    QTest::addColumn<int>("mail");
    QTest::addColumn<QList<int>>("rcpt");
    QTest::addColumn<int>("final");
    QTest::addColumn<int>("kind"); // DeliveryOutcome::Kind
    QTest::addColumn<QStringList>("recipients");
    QTest::addColumn<QStringList>("retry");
    QTest::addColumn<int>("refused");
    QTest::addColumn<int>("folder"); // QuarantineFolder, for Quarantine

    using K = DeliveryOutcome::Kind;
    const QStringList ab = {QStringLiteral("a@x"), QStringLiteral("b@x")};
    const QStringList a = {QStringLiteral("a@x")};
    const QStringList b = {QStringLiteral("b@x")};
    const int bad = int(QuarantineFolder::BadMail);
    const int big = int(QuarantineFolder::TooLarge);
    QTest::newRow("250-all") << 250 << QList<int>{250, 250} << 250 << int(K::Delivered) << ab
                             << QStringList() << 0 << bad;
    // Defect 5: only 2xx is a delivery.
    QTest::newRow("354-to-final-dot")
        << 250 << QList<int>{250, 250} << 354 << int(K::Defer) << QStringList() << ab << 0 << bad;
    QTest::newRow("334-to-final-dot")
        << 250 << QList<int>{250, 250} << 334 << int(K::Defer) << QStringList() << ab << 0 << bad;
    QTest::newRow("3xx-to-mail") << 354 << QList<int>{0, 0} << 0 << int(K::Defer) << QStringList()
                                 << ab << 0 << bad;
    QTest::newRow("3xx-to-rcpt") << 250 << QList<int>{354, 250} << 250 << int(K::Delivered) << b
                                 << a << 0 << bad;
    QTest::newRow("550-one") << 250 << QList<int>{550, 250} << 250 << int(K::Delivered) << b
                             << QStringList() << 1 << bad;
    QTest::newRow("552-rcpt-is-temporary")
        << 250 << QList<int>{250, 552} << 250 << int(K::Delivered) << a << b << 0 << bad;
    QTest::newRow("450-all") << 250 << QList<int>{450, 450} << 0 << int(K::Defer) << QStringList()
                             << ab << 0 << bad;
    QTest::newRow("550-450") << 250 << QList<int>{550, 450} << 0 << int(K::Defer) << QStringList()
                             << b << 1 << bad;
    // Defect 6: nobody left to retry is no retry loop.
    QTest::newRow("550-all") << 250 << QList<int>{550, 553} << 0 << int(K::Quarantine)
                             << QStringList() << QStringList() << 2 << bad;
    QTest::newRow("synthetic-553-all-not-sent")
        << 0 << QList<int>{553, 553} << 0 << int(K::Quarantine) << QStringList() << QStringList()
        << 2 << bad;
    QTest::newRow("451-final") << 250 << QList<int>{250, 550} << 451 << int(K::Defer)
                               << QStringList() << a << 1 << bad;
    QTest::newRow("554-final") << 250 << QList<int>{250, 250} << 554 << int(K::Quarantine)
                               << QStringList() << QStringList() << 0 << bad;
    QTest::newRow("552-final") << 250 << QList<int>{250, 250} << 552 << int(K::Quarantine)
                               << QStringList() << QStringList() << 0 << big;
    QTest::newRow("552-mail") << 552 << QList<int>{0, 0} << 0 << int(K::Quarantine) << QStringList()
                              << QStringList() << 0 << big;
    QTest::newRow("553-mail") << 553 << QList<int>{0, 0} << 0 << int(K::Quarantine) << QStringList()
                              << QStringList() << 0 << bad;
    QTest::newRow("451-mail") << 451 << QList<int>{0, 0} << 0 << int(K::Defer) << QStringList()
                              << ab << 0 << bad;
}

void TestDeliveryOutcome::classify()
{
    QFETCH(int, mail);
    QFETCH(QList<int>, rcpt);
    QFETCH(int, final);
    QFETCH(int, kind);
    QFETCH(QStringList, recipients);
    QFETCH(QStringList, retry);
    QFETCH(int, refused);
    QFETCH(int, folder);

    smtp::Envelope envelope;
    envelope.sender = QStringLiteral("s@x");
    envelope.recipients = {QStringLiteral("a@x"), QStringLiteral("b@x")};
    smtp::SendResult result;
    result.mailReply = reply(mail);
    if (mail == 0)
        result.mailReply = smtp::Reply();
    for (int code : rcpt) {
        smtp::Reply r = code ? reply(code) : smtp::Reply();
        r.synthetic = mail == 0 && code != 0; // refused by us: never on the wire
        result.recipientReplies << r;
    }
    if (final) {
        result.dataReply = reply(354);
        result.finalReply = reply(final);
    } else if (mail / 100 == 2 && rcpt.contains(250)) {
        result.dataReply = reply(554); // DATA refused
    }
    if (final == 552 || mail == 552)
        result.sizeRefused = true;
    result.judge();
    const DeliveryOutcome o = classifySend(envelope, result);
    QCOMPARE(int(o.kind), kind);
    QCOMPARE(o.recipients, recipients);
    QCOMPARE(o.retry, retry);
    QCOMPARE(o.refused.size(), refused);
    if (o.kind == DeliveryOutcome::Kind::Quarantine)
        QCOMPARE(int(o.folder), folder);
    QVERIFY(!o.reason.isEmpty());
}

// Defect 5 end to end: a 354 after the final dot was counted as delivered and the spool
// file removed. It is no delivery: the message waits, its file stays.
void TestDeliveryOutcome::intermediateReplyToFinalDotIsNotDelivered()
{
    QVERIFY(m_data->addMessage(Account, Uid, Message, {QStringLiteral("b@example.org")}).ok());
    const QString spoolPath = m_data->records(Account).value(0).spoolPath;
    m_server->setScript(hello({}) + fullTransaction("354 go on"));
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy deferred(worker, &DeliveryWorker::deferred);
    QVERIFY2(deferred.wait(Deadline), qPrintable(m_server->errors().join(QLatin1Char('\n'))));
    QCOMPARE(delivered.size(), 0);
    const MessageRecord m = m_data->record(Account, Uid);
    QCOMPARE(m.state, DeliveryState::Deferred);
    QVERIFY2(m.lastReply.contains(QStringLiteral("354 go on")), qPrintable(m.lastReply));
    QCOMPARE(m_data->readSpoolFile(spoolPath), Message);
}

// Defect 6: a recipient that cannot go on the wire (refused client-side with a synthetic
// 553) was the only one: the message was deferred for ever with the reason "0". Now it is
// quarantined with the reason, and the postmaster is told.
void TestDeliveryOutcome::unsendableOnlyRecipientIsQuarantinedNotRetried()
{
    const QString unsendable = QString(300, QLatin1Char('a')) + QStringLiteral("@example.org");
    QVERIFY(m_data->addMessage(Account, Uid, Message, {unsendable}).ok());
    m_config.postmaster = QStringLiteral("postmaster@example.org");
    m_server->setScript(hello({}));
    DeliveryWorker *worker = startWorker();
    QSignalSpy quarantined(worker, &DeliveryWorker::quarantined);
    QSignalSpy deferred(worker, &DeliveryWorker::deferred);
    QVERIFY(quarantined.wait(Deadline));
    QCOMPARE(quarantined.first().at(3).toString(), QStringLiteral("BADMAIL"));
    const MessageRecord m = m_data->record(Account, Uid);
    QCOMPARE(m.state, DeliveryState::Failed);
    QVERIFY2(m.lastReply.contains(QStringLiteral("553")), qPrintable(m.lastReply));
    QVERIFY(m.nextAttempt.isNull());
    // The notice for the postmaster is queued as a message of its own.
    const MessageRecord notice =
        m_data->record(Account, OutcomeApplier::derivedUid(Uid, QStringLiteral("quarantine")));
    QCOMPARE(notice.kind, MessageKind::QuarantineNotice);
    QCOMPARE(notice.recipients, QStringList{m_config.postmaster});
    for (const QList<QVariant> &d : std::as_const(deferred))
        QVERIFY2(d.at(1).toString() != Uid, "the refused message must not be retried");
}

// Defect 7: duplicate suppression keyed by Message-ID alone let a forged mail that borrows
// a predictable Message-ID (an invoice number) arriving first make the real one a
// "duplicate": never delivered. Now only a copy with the same content is suppressed - and
// its record stays, marked Duplicate.
void TestDeliveryOutcome::borrowedMessageIdIsStillDelivered()
{
    AccountConfig a;
    a.name = Account;
    a.mailbox = MailboxType::CatchAll;
    a.envelopeHeaders = {QStringLiteral("Delivered-To")};
    m_config.accounts = {a};
    m_config.acceptedDomains = {QStringLiteral("example.org")};
    m_config.postmaster = QStringLiteral("postmaster@example.org");

    QByteArray forged = Invoice;
    forged.replace("Please pay 100 EUR to DE00 1111.", "Please pay 100 EUR to XX99 6666.");
    forged.replace("Billing <billing@vendor.example>", "Billing <billing@vendor-example.test>");
    const QByteArray real = "Delivered-To: b@example.org\r\n" + Invoice;
    // The provider's second copy of the real one (for the same recipient): same content.
    const QByteArray copy = "Delivered-To: b@example.org\r\nX-Spam-Score: 0.1\r\n" + Invoice;
    QVERIFY(m_data
                ->addMessage(Account, QStringLiteral("1"),
                             "Delivered-To: b@example.org\r\n" + forged, {})
                .ok());
    m_data->clock.advance(1);
    QVERIFY(m_data->addMessage(Account, QStringLiteral("2"), real, {}).ok());
    m_data->clock.advance(1);
    QVERIFY(m_data->addMessage(Account, QStringLiteral("3"), copy, {}).ok());

    const auto one = [](const char *sender) {
        return QStringList{QStringLiteral("C: MAIL FROM:<%1>*").arg(QString::fromUtf8(sender)),
                           QStringLiteral("S: 250 Ok"),
                           QStringLiteral("C: RCPT TO:<b@example.org>"),
                           QStringLiteral("S: 250 Ok"),
                           QStringLiteral("C: DATA"),
                           QStringLiteral("S: 354 go"),
                           QStringLiteral("C: <DATA>"),
                           QStringLiteral("S: 250 queued")};
    };
    m_server->setScript(hello({}) + one("billing@vendor-example.test") +
                        one("billing@vendor.example"));
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, Deadline);
    QTRY_COMPARE_WITH_TIMEOUT(m_data->record(Account, QStringLiteral("3")).state,
                              DeliveryState::Duplicate, Deadline);
    QCOMPARE(m_server->errors(), QStringList());
    QCOMPARE(m_server->bodies().size(), 2);
    QVERIFY(m_server->bodies().at(1).contains("DE00 1111")); // the real invoice arrived
    const MessageRecord realRecord = m_data->record(Account, QStringLiteral("2"));
    QCOMPARE(realRecord.state, DeliveryState::Delivered);
    const MessageRecord dup = m_data->record(Account, QStringLiteral("3"));
    QVERIFY2(dup.lastReply.contains(QStringLiteral("duplicate of message %1").arg(realRecord.id)),
             qPrintable(dup.lastReply));
    // Nothing left waiting: the spool files go once the marks that cover them are durable
    // (the group's sync, when the queue has run empty).
    QTRY_COMPARE_WITH_TIMEOUT(m_data->messageFiles(), QStringList(), Deadline);
}

QTEST_GUILESS_MAIN(TestDeliveryOutcome)
#include "tst_deliveryoutcome.moc"
