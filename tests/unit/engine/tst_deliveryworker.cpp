#include "EngineTestSupport.h"
#include "engine/DeliveryWorker.h"
#include "mail/TraceHeader.h"
#include "unit/smtp/SmtpTestSupport.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

// DeliveryWorker against a scripted SMTP server: what each reply does to the message, the
// file and the schedule; one connection for many messages; partial delivery; the office
// server down; drain reports.

using namespace pollux;
using namespace pollux::test;
using smtptest::hello;
using smtptest::lines;

namespace {

const QString Account = QStringLiteral("office");
const QString Uid = QStringLiteral("uid-1");
const QByteArray Message =
    "Return-Path: <sender@example.com>\r\nSubject: hi\r\n\r\n.leading dot\r\n.\r\nbye\r\n";

// Everything the fake must see for one message to b@example.org, up to the DATA reply.
QStringList transaction(const char *rcptReply, const char *dataReply)
{
    return QStringList{QStringLiteral("C: MAIL FROM:<sender@example.com>"),
                       QStringLiteral("S: 250 2.1.0 Ok"), QStringLiteral("C: RCPT TO:<b@example.org>"),
                       QStringLiteral("S: ") + QString::fromUtf8(rcptReply),
                       QStringLiteral("C: DATA"), QStringLiteral("S: ") + QString::fromUtf8(dataReply)};
}

// The only recipient refused: no DATA follows (lockstep).
QStringList refusedRecipient(const char *rcptReply)
{
    return transaction(rcptReply, "").mid(0, 4);
}

// A message with its data and the final reply.
QStringList fullTransaction(const char *finalReply)
{
    return transaction("250 2.1.5 Ok", "354 go ahead") +
           QStringList{QStringLiteral("C: <DATA>"), QStringLiteral("S: ") + QString::fromUtf8(finalReply)};
}

} // namespace

class TestDeliveryWorker : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void backoffSeconds_data();
    void backoffSeconds();
    void singleOutcome_data();
    void singleOutcome();
    void largeMessageByteExact();
    void deferralBackoffDoubles();
    void partialRecipients();
    void officeServerDown();
    void manyMessagesOneConnection();
    void drainReport_data();
    void drainReport();

private:
    // A worker for the fake server (or `port`), started; the fake's script must be set.
    DeliveryWorker *startWorker(int idleCloseMs = 60000, quint16 port = 0);

    std::unique_ptr<DataDir> m_data;
    std::unique_ptr<FakeSmtpServer> m_server;
    std::unique_ptr<DeliveryWorker> m_worker;
};

void TestDeliveryWorker::initTestCase()
{
    qRegisterMetaType<pollux::Result>();
}

void TestDeliveryWorker::init()
{
    m_data = std::make_unique<DataDir>();
    QVERIFY(m_data->open().ok());
    m_server = std::make_unique<FakeSmtpServer>();
    QVERIFY(m_server->listen());
}

void TestDeliveryWorker::cleanup()
{
    m_worker.reset();
    m_server.reset();
    m_data.reset();
}

DeliveryWorker *TestDeliveryWorker::startWorker(int idleCloseMs, quint16 port)
{
    DeliveryWorker::Settings s;
    s.smtp.host = QStringLiteral("127.0.0.1");
    s.smtp.port = port ? port : m_server->port();
    s.smtp.heloName = QStringLiteral("client.test");
    s.smtp.timeoutSecs = 10;
    s.smtp.retryIntervalSecs = 300;
    s.databasePath = m_data->databasePath();
    s.spoolDir = m_data->spoolDir();
    s.idleCloseMs = idleCloseMs;
    m_worker = std::make_unique<DeliveryWorker>(s, &m_data->secrets, &m_data->clock);
    QSignalSpy ready(m_worker.get(), &DeliveryWorker::ready);
    m_worker->start();
    if (ready.size() != 1)
        qWarning("DeliveryWorker did not start");
    return m_worker.get();
}

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
    QTest::newRow("250-delivered") << fullTransaction("250 2.0.0 Ok: queued as X")
                                   << DeliveryState::Delivered << QString()
                                   << st("250 2.0.0 Ok: queued as X") << false;
    QTest::newRow("451-at-data-end") << fullTransaction("451 4.3.0 Local error")
                                     << DeliveryState::Deferred << QString()
                                     << st("451 4.3.0 Local error") << false;
    QTest::newRow("450-rcpt") << refusedRecipient("450 4.2.0 Mailbox busy")
                              << DeliveryState::Deferred << QString()
                              << st("450 4.2.0 Mailbox busy") << false;
    QTest::newRow("451-mail") << (lines({"C: MAIL FROM:*", "S: 451 4.3.0 Try later"}))
                              << DeliveryState::Deferred << QString() << st("451 4.3.0 Try later")
                              << false;
    QTest::newRow("550-only-recipient")
        << refusedRecipient("550 5.1.1 <b@example.org>: unknown user")
        << DeliveryState::Failed << st("BADMAIL") << st("550 5.1.1 <b@example.org>: unknown user")
        << false;
    QTest::newRow("554-at-data-end") << fullTransaction("554 5.7.1 Spam") << DeliveryState::Failed
                                     << st("BADMAIL") << st("554 5.7.1 Spam") << false;
    QTest::newRow("552-at-data-end") << fullTransaction("552 5.3.4 Message too big")
                                     << DeliveryState::Failed << st("TOOLARGE")
                                     << st("552 5.3.4 Message too big") << false;
    QTest::newRow("552-to-mail") << (lines({"C: MAIL FROM:*", "S: 552 5.3.4 Too big"}))
                                 << DeliveryState::Failed << st("TOOLARGE") << st("552 5.3.4 Too big")
                                 << false;
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
    QSignalSpy &expected = serverError           ? errors
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
    const QByteArray trace =
        mail::traceHeader(QStringLiteral("client.test"), QStringLiteral("POP3"), Account, Uid, start);
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
        hello({}) + lines({"C: MAIL FROM:<sender@example.com>", "S: 250 Ok",
                           "C: RCPT TO:<b@example.org>", "S: 250 Ok", "C: RCPT TO:<c@example.org>",
                           "S: 450 4.2.0 Mailbox busy", "C: DATA", "S: 354 go", "C: <DATA>",
                           "S: 250 queued as A", "C: MAIL FROM:<sender@example.com>", "S: 250 Ok",
                           "C: RCPT TO:<c@example.org>", "S: 250 Ok", "C: DATA", "S: 354 go",
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

// Nobody listening: the message stays where it is, the error is reported, a retry is due.
void TestDeliveryWorker::officeServerDown()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();

    QVERIFY(m_data->addMessage(Account, Uid, Message, {QStringLiteral("b@example.org")}).ok());
    const QString spoolPath = m_data->records(Account).value(0).spoolPath;
    DeliveryWorker *worker = startWorker(60000, port);
    QSignalSpy errors(worker, &DeliveryWorker::serverError);
    QSignalSpy drained(worker, &DeliveryWorker::drained);
    QVERIFY(errors.wait(Deadline));
    QCOMPARE(errors.first().first().value<Result>().code(), ErrorCode::ConnectionRefused);

    const MessageRecord m = m_data->record(Account, Uid);
    QVERIFY(m.state == DeliveryState::Waiting || m.state == DeliveryState::Deferred);
    QCOMPARE(m_data->messageFiles(), QStringList{spoolPath});
    QCOMPARE(m_data->readSpoolFile(spoolPath), Message);

    worker->requestDrainReport();
    QVERIFY(drained.wait(Deadline));
    QCOMPARE(drained.first().first().toBool(), false);
    QCOMPARE(errors.size(), 2);
    QCOMPARE(m_data->messageFiles(), QStringList{spoolPath});
}

// Three messages, one connection (the fake refuses a second one), oldest first, then QUIT
// once idle.
void TestDeliveryWorker::manyMessagesOneConnection()
{
    QStringList script = hello({});
    for (int i = 1; i <= 3; ++i) {
        const QByteArray content = "Subject: " + QByteArray::number(i) + "\r\n\r\nbody\r\n";
        QVERIFY(m_data->addMessage(Account, QStringLiteral("uid-%1").arg(i), content,
                                   {QStringLiteral("r%1@example.org").arg(i)})
                    .ok());
        script << lines({"C: MAIL FROM:<>", "S: 250 Ok"})
               << QStringLiteral("C: RCPT TO:<r%1@example.org>").arg(i)
               << lines({"S: 250 Ok", "C: DATA", "S: 354 go", "C: <DATA>", "S: 250 queued"});
    }
    script << lines({"C: QUIT", "S: 221 bye"});
    m_server->setScript(script);

    DeliveryWorker *worker = startWorker(50);
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 3, Deadline);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->scriptDone(), Deadline); // QUIT after idleCloseMs
    QTRY_VERIFY_WITH_TIMEOUT(m_server->clientDisconnected(), Deadline);
    QCOMPARE(m_server->errors(), QStringList()); // would say "second connection"
    QCOMPARE(m_server->bodies().size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(delivered.at(i).at(1).toString(), QStringLiteral("uid-%1").arg(i + 1));
        const QByteArray content = "Subject: " + QByteArray::number(i + 1) + "\r\n\r\nbody\r\n";
        QVERIFY(m_server->bodies().at(i).endsWith(content));
    }
    QCOMPARE(m_data->messageFiles(), QStringList());
}

void TestDeliveryWorker::drainReport_data()
{
    QTest::addColumn<QString>("secondFinal");
    QTest::addColumn<bool>("allDelivered");
    QTest::newRow("all-delivered") << QStringLiteral("250 Ok") << true;
    QTest::newRow("one-deferred") << QStringLiteral("451 4.3.0 later") << false;
    QTest::newRow("one-quarantined") << QStringLiteral("554 5.7.1 no") << true;
}

// drained() comes once everything due has been tried, not before.
void TestDeliveryWorker::drainReport()
{
    QFETCH(QString, secondFinal);
    QFETCH(bool, allDelivered);

    QVERIFY(m_data->addMessage(Account, QStringLiteral("uid-1"), Message,
                               {QStringLiteral("b@example.org")})
                .ok());
    QVERIFY(m_data->addMessage(Account, QStringLiteral("uid-2"), Message,
                               {QStringLiteral("b@example.org")})
                .ok());
    m_server->setScript(hello({}) + fullTransaction("250 Ok") +
                        transaction("250 Ok", "354 go") + lines({"C: <DATA>"}) +
                        QStringList{QStringLiteral("S: ") + secondFinal});
    DeliveryWorker *worker = startWorker();
    QSignalSpy drained(worker, &DeliveryWorker::drained);
    worker->requestDrainReport(); // while the first message is on its way
    QVERIFY(drained.wait(Deadline));
    QCOMPARE(drained.size(), 1);
    QCOMPARE(drained.first().first().toBool(), allDelivered);
    QVERIFY(m_server->scriptDone());
    QCOMPARE(m_data->record(Account, QStringLiteral("uid-1")).state, DeliveryState::Delivered);
    QVERIFY(m_data->record(Account, QStringLiteral("uid-2")).state != DeliveryState::Waiting);

    // Asked again with nothing due: answered at once.
    worker->requestDrainReport();
    QTRY_COMPARE_WITH_TIMEOUT(drained.size(), 2, Deadline);
    QCOMPARE(drained.at(1).first().toBool(), allDelivered);
}

QTEST_GUILESS_MAIN(TestDeliveryWorker)
#include "tst_deliveryworker.moc"
