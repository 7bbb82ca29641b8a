#include "DeliveryFixture.h"
#include "mail/TraceHeader.h"
#include "unit/smtp/SmtpTestSupport.h"

#include <QSignalSpy>
#include <QTest>

// DeliveryWorker against a scripted SMTP server: what each reply does to the message, the
// file and the schedule; backoff; partial delivery.

using namespace pollux;
using namespace pollux::test;
using smtptest::hello;
using smtptest::lines;

class TestDeliveryWorker : public DeliveryFixture
{
    Q_OBJECT
private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void backoffSeconds_data();
    void backoffSeconds();
    void singleOutcome_data();
    void singleOutcome();
    void largeMessageByteExact();
    void deferralBackoffDoubles();
    void partialRecipients();
};

void TestDeliveryWorker::backoffSeconds_data()
{
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("first-retry") << 300 << 1 << qint64(300);
    QTest::newRow("second-doubles") << 300 << 2 << qint64(600);
    QTest::newRow("third-doubles-again") << 300 << 3 << qint64(1200);
    QTest::newRow("capped-at-4h") << 300 << 7 << qint64(4 * 3600);
    QTest::newRow("just-below-cap") << 300 << 6 << qint64(9600);
    QTest::newRow("huge-attempt-stays-capped") << 300 << 100000 << qint64(4 * 3600);
    QTest::newRow("interval-above-cap") << 20000 << 1 << qint64(4 * 3600);
    QTest::newRow("zero-interval") << 0 << 1 << qint64(1);
    QTest::newRow("negative-interval") << -5 << 3 << qint64(4);
    QTest::newRow("attempt-zero") << 300 << 0 << qint64(300);
    QTest::newRow("negative-attempt") << 300 << -3 << qint64(300);
}

void TestDeliveryWorker::backoffSeconds()
{
    QFETCH(int, interval);
    QFETCH(int, attempt);
    QTEST(DeliveryWorker::backoffSeconds(interval, attempt), "expected");
}

void TestDeliveryWorker::singleOutcome_data()
{
    QTest::addColumn<QStringList>("tail"); // after EHLO
    QTest::addColumn<DeliveryState>("state");
    QTest::addColumn<QString>("folder"); // quarantine folder for Failed
    QTest::addColumn<QString>("reply");  // lastReply contains this
    QTest::addColumn<bool>("serverError");

    const auto st = [](const char *text) { return QString::fromUtf8(text); };
    QTest::newRow("250-delivered")
        << fullTransaction("250 2.0.0 Ok: queued as X") << DeliveryState::Delivered << QString()
        << st("250 2.0.0 Ok: queued as X") << false;
    QTest::newRow("451-at-data-end")
        << fullTransaction("451 4.3.0 Local error") << DeliveryState::Deferred << QString()
        << st("451 4.3.0 Local error") << false;
    QTest::newRow("450-rcpt") << refusedRecipient("450 4.2.0 Mailbox busy")
                              << DeliveryState::Deferred << QString()
                              << st("450 4.2.0 Mailbox busy") << false;
    QTest::newRow("451-mail") << (lines({"C: MAIL FROM:*", "S: 451 4.3.0 Try later"}))
                              << DeliveryState::Deferred << QString() << st("451 4.3.0 Try later")
                              << false;
    QTest::newRow("550-only-recipient")
        << refusedRecipient("550 5.1.1 <b@example.org>: unknown user") << DeliveryState::Failed
        << st("BADMAIL") << st("550 5.1.1 <b@example.org>: unknown user") << false;
    QTest::newRow("554-at-data-end") << fullTransaction("554 5.7.1 Spam") << DeliveryState::Failed
                                     << st("BADMAIL") << st("554 5.7.1 Spam") << false;
    QTest::newRow("552-at-data-end")
        << fullTransaction("552 5.3.4 Message too big") << DeliveryState::Failed << st("TOOLARGE")
        << st("552 5.3.4 Message too big") << false;
    QTest::newRow("552-to-mail") << (lines({"C: MAIL FROM:*", "S: 552 5.3.4 Too big"}))
                                 << DeliveryState::Failed << st("TOOLARGE")
                                 << st("552 5.3.4 Too big") << false;
    // The server may have kept it: deferred (a duplicate is better than a loss).
    QTest::newRow("dropped-before-final-reply")
        << (transaction("250 Ok", "354 go") + lines({"C: <DATA>", "S: <CLOSE>"}))
        << DeliveryState::Deferred << QString() << QString() << true;
    QTest::newRow("dropped-before-data-reply")
        << (transaction("250 Ok", "354 go").mid(0, 5) + lines({"S: <CLOSE>"}))
        << DeliveryState::Deferred << QString() << QString() << true;
    QTest::newRow("421-to-mail") << (lines({"C: MAIL FROM:*", "S: 421 4.3.2 Shutting down"}))
                                 << DeliveryState::Deferred << QString() << st("421") << true;
}

void TestDeliveryWorker::singleOutcome()
{
    QFETCH(QStringList, tail);
    QFETCH(DeliveryState, state);
    QFETCH(QString, folder);
    QFETCH(QString, reply);
    QFETCH(bool, serverError);

    QVERIFY(m_data->addMessage(Account, Uid, Message, {QStringLiteral("b@example.org")}).ok());
    const QString spoolPath = m_data->records(Account).value(0).spoolPath;
    m_server->setScript(hello({}) + tail);
    const QDateTime start = m_data->clock.now();

    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy deferred(worker, &DeliveryWorker::deferred);
    QSignalSpy quarantined(worker, &DeliveryWorker::quarantined);
    QSignalSpy errors(worker, &DeliveryWorker::serverError);
    QSignalSpy storage(worker, &DeliveryWorker::storageError);
    QSignalSpy &expected = serverError                         ? errors
                           : state == DeliveryState::Delivered ? delivered
                           : state == DeliveryState::Deferred  ? deferred
                                                               : quarantined;
    QVERIFY2(expected.wait(Deadline), qPrintable(m_server->errors().join(QLatin1Char('\n'))));
    QCOMPARE(m_server->errors(), QStringList());
    QVERIFY(m_server->scriptDone());
    QCOMPARE(storage.size(), 0);
    QCOMPARE(delivered.size(), state == DeliveryState::Delivered ? 1 : 0);
    QCOMPARE(deferred.size(), state == DeliveryState::Deferred ? 1 : 0);
    QCOMPARE(quarantined.size(), state == DeliveryState::Failed ? 1 : 0);

    const MessageRecord m = m_data->record(Account, Uid);
    QCOMPARE(m.state, state);
    QVERIFY2(m.lastReply.contains(reply), qPrintable(m.lastReply));
    QCOMPARE(m.attempts, state == DeliveryState::Waiting ? 0 : 1);
    switch (state) {
    case DeliveryState::Delivered: {
        QCOMPARE(m_data->messageFiles(), QStringList()); // the spool file is gone
        QCOMPARE(m_server->bodies().size(), 1);
        const QByteArray trace = mail::traceHeader(QStringLiteral("client.test"),
                                                   QStringLiteral("POP3"), Account, Uid, start);
        QVERIFY(trace.startsWith("Received: by client.test"));
        QCOMPARE(m_server->bodies().constFirst(), dotStuff(trace + Message));
        break;
    }
    case DeliveryState::Deferred:
        QCOMPARE(m.nextAttempt, start.addSecs(300));
        QCOMPARE(m_data->messageFiles(), QStringList{spoolPath});
        QCOMPARE(m_data->readSpoolFile(spoolPath), Message);
        break;
    case DeliveryState::Duplicate:
    case DeliveryState::Waiting:
        QCOMPARE(m_data->messageFiles(), QStringList{spoolPath});
        QCOMPARE(m_data->readSpoolFile(spoolPath), Message);
        break;
    case DeliveryState::Failed:
        QCOMPARE(quarantined.first().at(3).toString(), folder);
        QCOMPARE(m_data->messageFiles(), QStringList());
        QCOMPARE(m_data->quarantineFiles(folder), QStringList{m.spoolPath});
        QCOMPARE(m_data->readSpoolFile(m.spoolPath), Message);
        break;
    }
}

// A message far larger than any read chunk: trace header and file joined without a gap.
void TestDeliveryWorker::largeMessageByteExact()
{
    QByteArray big = "From: <x@example.com>\r\nSubject: big\r\n\r\n";
    for (int i = 0; big.size() < 3 * 1024 * 1024; ++i)
        big += (i % 7 == 0 ? "." : "") + QByteArray::number(i) + " of a big message\r\n";
    QVERIFY(m_data->addMessage(Account, Uid, big, {QStringLiteral("b@example.org")}).ok());
    m_server->setScript(hello({}) + lines({"C: MAIL FROM:<x@example.com>", "S: 250 Ok",
                                           "C: RCPT TO:<b@example.org>", "S: 250 Ok", "C: DATA",
                                           "S: 354 go", "C: <DATA>", "S: 250 queued"}));
    const QDateTime start = m_data->clock.now();
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QVERIFY2(delivered.wait(Deadline), qPrintable(m_server->errors().join(QLatin1Char('\n'))));
    const QByteArray trace = mail::traceHeader(QStringLiteral("client.test"),
                                               QStringLiteral("POP3"), Account, Uid, start);
    QCOMPARE(m_server->bodies().size(), 1);
    QVERIFY(m_server->bodies().constFirst() == dotStuff(trace + big));
    QCOMPARE(m_data->messageFiles(), QStringList());
}

// Each failure of the same message doubles its delay; the file waits until it goes.
void TestDeliveryWorker::deferralBackoffDoubles()
{
    QVERIFY(m_data->addMessage(Account, Uid, Message, {QStringLiteral("b@example.org")}).ok());
    const QString spoolPath = m_data->records(Account).value(0).spoolPath;
    m_server->setScript(hello({}) + fullTransaction("451 4.3.0 first") +
                        lines({"C: RSET", "S: 250 Ok"}) + fullTransaction("451 4.3.0 second") +
                        lines({"C: RSET", "S: 250 Ok"}) + fullTransaction("250 Ok"));
    DeliveryWorker *worker = startWorker();
    QSignalSpy deferred(worker, &DeliveryWorker::deferred);
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);

    QVERIFY(deferred.wait(Deadline));
    QDateTime now = m_data->clock.now();
    QCOMPARE(deferred.at(0).at(3).toDateTime(), now.addSecs(300));
    QCOMPARE(m_data->record(Account, Uid).nextAttempt, now.addSecs(300));
    QCOMPARE(m_data->readSpoolFile(spoolPath), Message);

    // Not due yet: a wake delivers nothing.
    m_data->clock.advance(299);
    worker->wake();
    QCOMPARE(m_data->record(Account, Uid).attempts, 1);

    m_data->clock.advance(1);
    worker->wake();
    QTRY_COMPARE_WITH_TIMEOUT(deferred.size(), 2, Deadline);
    now = m_data->clock.now();
    QCOMPARE(m_data->record(Account, Uid).nextAttempt, now.addSecs(600));
    QCOMPARE(m_data->record(Account, Uid).attempts, 2);
    QCOMPARE(m_data->readSpoolFile(spoolPath), Message);

    m_data->clock.advance(600);
    worker->wake();
    QVERIFY(delivered.wait(Deadline));
    QCOMPARE(m_data->record(Account, Uid).state, DeliveryState::Delivered);
    QCOMPARE(m_data->messageFiles(), QStringList());
    QCOMPARE(m_server->bodies().size(), 3);
    QCOMPARE(m_server->errors(), QStringList());
    QVERIFY(m_server->scriptDone());
}

// 250 for one recipient, 450 for the other: delivered to the first, the second is kept
// (and only the second) for the retry. Nobody is dropped, nobody gets it twice.
void TestDeliveryWorker::partialRecipients()
{
    QVERIFY(m_data
                ->addMessage(Account, Uid, Message,
                             {QStringLiteral("b@example.org"), QStringLiteral("c@example.org")})
                .ok());
    m_server->setScript(
        hello({}) +
        lines({"C: MAIL FROM:<sender@example.com>", "S: 250 Ok", "C: RCPT TO:<b@example.org>",
               "S: 250 Ok", "C: RCPT TO:<c@example.org>", "S: 450 4.2.0 Mailbox busy", "C: DATA",
               "S: 354 go", "C: <DATA>", "S: 250 queued as A", "C: MAIL FROM:<sender@example.com>",
               "S: 250 Ok", "C: RCPT TO:<c@example.org>", "S: 250 Ok", "C: DATA", "S: 354 go",
               "C: <DATA>", "S: 250 queued as B"}));
    DeliveryWorker *worker = startWorker();
    QSignalSpy deferred(worker, &DeliveryWorker::deferred);
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QVERIFY(deferred.wait(Deadline));
    QCOMPARE(delivered.size(), 0);
    MessageRecord m = m_data->record(Account, Uid);
    QCOMPARE(m.state, DeliveryState::Deferred);
    QCOMPARE(m.recipients, QStringList{QStringLiteral("c@example.org")});
    QVERIFY2(m.lastReply.contains(QStringLiteral("c@example.org")), qPrintable(m.lastReply));
    QCOMPARE(m_data->messageFiles().size(), 1);

    m_data->clock.advance(300);
    worker->wake();
    QVERIFY(delivered.wait(Deadline));
    m = m_data->record(Account, Uid);
    QCOMPARE(m.state, DeliveryState::Delivered);
    QCOMPARE(m_server->bodies().size(), 2);
    QCOMPARE(m_server->errors(), QStringList());
    QVERIFY(m_server->scriptDone());
}

QTEST_GUILESS_MAIN(TestDeliveryWorker)
#include "tst_deliveryworker.moc"
