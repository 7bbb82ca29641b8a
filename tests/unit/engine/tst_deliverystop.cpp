#include "DeliveryFixture.h"
#include "mail/TraceHeader.h"
#include "unit/smtp/SmtpTestSupport.h"

#include <QSignalSpy>
#include <QTest>

// DeliveryWorker at the end of a message (issue 12, items 2 and 3): the reply to the final
// dot may come after the ordinary timeout (RFC 5321 §4.5.3.2.6: 10 minutes); a stop lets an
// awaited final reply arrive and records it (the stop rule of docs/RELIABILITY.md), a second
// stop does not wait; a stop anywhere else is prompt. Long lines: BDAT + BINARYMIME where
// offered, else DATA and, if refused, a reason that says why.

using namespace pollux;
using namespace pollux::test;
using smtptest::hello;
using smtptest::lines;

namespace {

const QString Rcpt = QStringLiteral("b@example.org");

// Up to and including the message's data: the final reply is the caller's.
QStringList upToTheDot()
{
    return transaction("250 2.1.5 Ok", "354 go ahead") + lines({"C: <DATA>"});
}

QByteArray longLineMessage(qint64 length)
{
    QByteArray m = "Return-Path: <sender@example.com>\r\nSubject: long\r\n\r\n";
    m += QByteArray(length, 'z') + "\r\nbare\rCR and NUL ";
    m += '\0';
    m += "\r\n.dot\r\n";
    return m;
}

} // namespace

class TestDeliveryStop : public DeliveryFixture
{
    Q_OBJECT
private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void lateFinalReplyDeliveredOnce();
    void stopWaitsForTheFinalReply_data();
    void stopWaitsForTheFinalReply();
    void secondStopDoesNotWait();
    void stopBeforeTheEndIsPrompt();
    void longLineGoesWithBdat();
    void longLineRefusedOverDataSaysWhy();
};

// The server queues the message and answers after the ordinary timeout (1 s here):
// delivered, once, and nothing is retried.
void TestDeliveryStop::lateFinalReplyDeliveredOnce()
{
    QVERIFY(m_data->addMessage(Account, Uid, Message, {Rcpt}).ok());
    m_smtpTimeoutSecs = 1;
    m_finalReplyTimeoutMs = 20000;
    m_server->setScript(hello({}) + upToTheDot() +
                        lines({"S: <PAUSE 2500>", "S: 250 2.0.0 queued as LATE"}));
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy deferred(worker, &DeliveryWorker::deferred);
    QVERIFY2(delivered.wait(Deadline), qPrintable(m_server->errors().join(QLatin1Char('\n'))));
    QCOMPARE(deferred.size(), 0);
    QCOMPARE(m_server->bodies().size(), 1);
    const MessageRecord r = m_data->record(Account, Uid);
    QCOMPARE(r.state, DeliveryState::Delivered);
    QVERIFY2(r.lastReply.contains(QStringLiteral("queued as LATE")), qPrintable(r.lastReply));
    QVERIFY(m_server->errors().isEmpty()); // no second connection
}

void TestDeliveryStop::stopWaitsForTheFinalReply_data()
{
    QTest::addColumn<QString>("reply");
    QTest::addColumn<DeliveryState>("state");
    QTest::newRow("250-delivered")
        << QStringLiteral("250 2.0.0 queued as GRACE") << DeliveryState::Delivered;
    QTest::newRow("451-deferred") << QStringLiteral("451 4.3.0 try later")
                                  << DeliveryState::Deferred;
}

// A stop while the final reply is awaited keeps the connection; the reply is recorded.
void TestDeliveryStop::stopWaitsForTheFinalReply()
{
    QFETCH(QString, reply);
    QVERIFY(m_data->addMessage(Account, Uid, Message, {Rcpt}).ok());
    m_server->setScript(hello({}) + upToTheDot() +
                        QStringList{QStringLiteral("S: <HOLD>"), QStringLiteral("S: ") + reply});
    DeliveryWorker *worker = startWorker();
    QSignalSpy stopped(worker, &DeliveryWorker::stopped);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->holding() && m_server->bodies().size() == 1, Deadline);
    QVERIFY(!worker->stopAfterReply()); // it waits
    QCoreApplication::processEvents();
    QVERIFY(!m_server->clientDisconnected());
    QCOMPARE(stopped.size(), 0);
    m_server->release();
    QVERIFY(stopped.wait(Deadline));
    QTEST(m_data->record(Account, Uid).state, "state");
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Deadline);
    QCOMPARE(m_server->bodies().size(), 1);
}

// Stopped again while waiting: at once; the message stays queued (it may arrive twice).
void TestDeliveryStop::secondStopDoesNotWait()
{
    QVERIFY(m_data->addMessage(Account, Uid, Message, {Rcpt}).ok());
    m_server->setScript(hello({}) + upToTheDot() + lines({"S: <HOLD>", "S: 250 late"}));
    DeliveryWorker *worker = startWorker();
    QSignalSpy stopped(worker, &DeliveryWorker::stopped);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->holding() && m_server->bodies().size() == 1, Deadline);
    QVERIFY(!worker->stopAfterReply());
    worker->stopHandle()->stopNow(); // as from another thread: queued
    QVERIFY(stopped.wait(Deadline));
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Deadline);
    const MessageRecord r = m_data->record(Account, Uid);
    QVERIFY(r.state == DeliveryState::Waiting || r.state == DeliveryState::Deferred);
    QCOMPARE(m_data->messageFiles().size(), 1); // still in the spool
}

// Before the end of the message nothing can be delivered: a stop does not wait.
void TestDeliveryStop::stopBeforeTheEndIsPrompt()
{
    QVERIFY(m_data->addMessage(Account, Uid, Message, {Rcpt}).ok());
    m_server->setScript(hello({}) + lines({"C: MAIL FROM:<sender@example.com>", "S: 250 Ok",
                                           "C: RCPT TO:<b@example.org>", "S: <HOLD>"}));
    DeliveryWorker *worker = startWorker();
    QTRY_VERIFY_WITH_TIMEOUT(m_server->holding(), Deadline);
    QVERIFY(worker->stopAfterReply()); // stopped at once
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Deadline);
    QCOMPARE(m_server->bodies().size(), 0);
    QCOMPARE(m_data->messageFiles().size(), 1);
}

// CHUNKING + BINARYMIME offered (DATA is not in the script: a server refusing long DATA
// lines): the message goes with BDAT, byte for byte behind our trace header.
void TestDeliveryStop::longLineGoesWithBdat()
{
    const QByteArray content = longLineMessage(200 * 1024);
    QVERIFY(m_data->addMessage(Account, Uid, content, {Rcpt}).ok());
    m_server->setScript(hello(lines({"CHUNKING", "BINARYMIME"})) +
                        lines({"C: MAIL FROM:<sender@example.com> BODY=BINARYMIME", "S: 250 Ok",
                               "C: RCPT TO:<b@example.org>", "S: 250 Ok", "C: <BDAT>",
                               "S: 250 2.0.0 queued as BIN"}));
    const QDateTime start = m_data->clock.now();
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QVERIFY2(delivered.wait(Deadline), qPrintable(m_server->errors().join(QLatin1Char('\n'))));
    const QByteArray trace = mail::traceHeader(QStringLiteral("client.test"),
                                               QStringLiteral("POP3"), Account, Uid, start);
    QCOMPARE(m_server->bodies().size(), 1);
    QVERIFY(m_server->bodies().constFirst() == trace + content);
    QCOMPARE(m_data->record(Account, Uid).state, DeliveryState::Delivered);
}

// No BINARYMIME: DATA as it is; refused with 5xx, the quarantine says why.
void TestDeliveryStop::longLineRefusedOverDataSaysWhy()
{
    QVERIFY(m_data->addMessage(Account, Uid, longLineMessage(5000), {Rcpt}).ok());
    m_server->setScript(hello(lines({"CHUNKING"})) + upToTheDot() +
                        lines({"S: 500 5.5.2 Line too long"}));
    DeliveryWorker *worker = startWorker();
    QSignalSpy quarantined(worker, &DeliveryWorker::quarantined);
    QVERIFY2(quarantined.wait(Deadline), qPrintable(m_server->errors().join(QLatin1Char('\n'))));
    const MessageRecord r = m_data->record(Account, Uid);
    QCOMPARE(r.state, DeliveryState::Failed);
    QVERIFY2(r.lastReply.contains(QStringLiteral("line too long")) &&
                 r.lastReply.contains(QStringLiteral("5000 octets")) &&
                 r.lastReply.contains(QStringLiteral("no BINARYMIME")) &&
                 r.lastReply.contains(QStringLiteral("500 5.5.2 Line too long")),
             qPrintable(r.lastReply));
    // Sent as it is: the long line unchanged.
    QCOMPARE(m_server->bodies().size(), 1);
    QVERIFY(m_server->bodies().constFirst().contains(
        QByteArray("\r\n" + QByteArray(5000, 'z') + "\r\n")));
}

QTEST_MAIN(TestDeliveryStop)
#include "tst_deliverystop.moc"
