#include "DeliveryFixture.h"
#include "unit/smtp/SmtpTestSupport.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

// DeliveryWorker as a queue: one connection for many messages, the office server down,
// drain reports, the SMTP password, a spool file that has gone.

using namespace pollux;
using namespace pollux::test;
using smtptest::hello;
using smtptest::lines;

class TestDeliveryQueue : public DeliveryFixture
{
    Q_OBJECT
private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void officeServerDown();
    void manyMessagesOneConnection();
    void drainReport_data();
    void drainReport();
    void smtpPasswordFromSecrets_data();
    void smtpPasswordFromSecrets();
    void unreadableSpoolFile();
    void goneAtStartIsCollectedAgain();
};

// Nobody listening: the message stays where it is, the error is reported, a retry is due.
void TestDeliveryQueue::officeServerDown()
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
void TestDeliveryQueue::manyMessagesOneConnection()
{
    QStringList script = hello({});
    for (int i = 1; i <= 3; ++i) {
        const QByteArray content = "Subject: " + QByteArray::number(i) + "\r\n\r\nbody\r\n";
        QVERIFY(m_data
                    ->addMessage(Account, QStringLiteral("uid-%1").arg(i), content,
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

void TestDeliveryQueue::drainReport_data()
{
    QTest::addColumn<QString>("secondFinal");
    QTest::addColumn<bool>("allDelivered");
    QTest::newRow("all-delivered") << QStringLiteral("250 Ok") << true;
    QTest::newRow("one-deferred") << QStringLiteral("451 4.3.0 later") << false;
    QTest::newRow("one-quarantined") << QStringLiteral("554 5.7.1 no") << true;
}

// drained() comes once everything due has been tried, not before.
void TestDeliveryQueue::drainReport()
{
    QFETCH(QString, secondFinal);
    QFETCH(bool, allDelivered);

    QVERIFY(m_data
                ->addMessage(Account, QStringLiteral("uid-1"), Message,
                             {QStringLiteral("b@example.org")})
                .ok());
    QVERIFY(m_data
                ->addMessage(Account, QStringLiteral("uid-2"), Message,
                             {QStringLiteral("b@example.org")})
                .ok());
    m_server->setScript(hello({}) + fullTransaction("250 Ok") + transaction("250 Ok", "354 go") +
                        lines({"C: <DATA>"}) + QStringList{QStringLiteral("S: ") + secondFinal});
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

void TestDeliveryQueue::smtpPasswordFromSecrets_data()
{
    QTest::addColumn<QString>("key");
    QTest::newRow("found-under-smtp") << QStringLiteral("smtp");
    QTest::newRow("missing") << QString();
    QTest::newRow("account-key-only") << QStringLiteral("account/office");
}

// With a username, the password is read from the secret store under "smtp"; without it
// nothing is sent and the message waits.
void TestDeliveryQueue::smtpPasswordFromSecrets()
{
    QFETCH(QString, key);
    const bool found = key == QStringLiteral("smtp");
    if (!key.isEmpty())
        m_data->secrets.set(key, QStringLiteral("secret"));
    QVERIFY(m_data->addMessage(Account, Uid, Message, {QStringLiteral("b@example.org")}).ok());
    m_server->setScript(hello(lines({"AUTH PLAIN LOGIN"})) +
                        lines({"C: AUTH PLAIN AHVzZXIAc2VjcmV0", "S: 235 2.7.0 Ok"}) +
                        fullTransaction("250 Ok"));
    m_smtpUser = QStringLiteral("user");
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy errors(worker, &DeliveryWorker::serverError);
    QVERIFY((found ? delivered : errors).wait(Deadline));
    QCOMPARE(m_server->errors(), QStringList());
    if (found) {
        QVERIFY(m_server->scriptDone());
        QCOMPARE(m_data->record(Account, Uid).state, DeliveryState::Delivered);
    } else {
        QCOMPARE(errors.first().first().value<Result>().code(), ErrorCode::Secrets);
        QVERIFY(m_server->received().isEmpty()); // never connected
        QCOMPARE(m_data->record(Account, Uid).state, DeliveryState::Waiting);
        QCOMPARE(m_data->messageFiles().size(), 1);
    }
}

// A message whose spool file cannot be read cannot be sent: recorded as failed (never
// silently dropped), and the next message still goes. (A file that is gone at start is the
// restart's to resolve: goneAtStartIsCollectedAgain.)
void TestDeliveryQueue::unreadableSpoolFile()
{
    QVERIFY(m_data
                ->addMessage(Account, QStringLiteral("uid-1"), Message,
                             {QStringLiteral("b@example.org")})
                .ok());
    QVERIFY(m_data
                ->addMessage(Account, QStringLiteral("uid-2"), Message,
                             {QStringLiteral("b@example.org")})
                .ok());
    const MessageRecord gone = m_data->record(Account, QStringLiteral("uid-1"));
    const QString path = m_data->spoolDir() + QLatin1Char('/') + gone.spoolPath;
    QVERIFY(QFile::remove(path));
    QVERIFY(QDir().mkdir(path)); // there, but not a file that can be read (even by root)
    m_server->setScript(hello({}) + fullTransaction("250 Ok"));
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy quarantined(worker, &DeliveryWorker::quarantined);
    QVERIFY(delivered.wait(Deadline));
    QCOMPARE(delivered.first().at(1).toString(), QStringLiteral("uid-2"));
    QCOMPARE(quarantined.size(), 1);
    QCOMPARE(quarantined.first().at(1).toString(), QStringLiteral("uid-1"));
    const MessageRecord m = m_data->record(Account, QStringLiteral("uid-1"));
    QCOMPARE(m.state, DeliveryState::Failed);
    QVERIFY2(m.lastReply.contains(QStringLiteral("unreadable")), qPrintable(m.lastReply));
    QCOMPARE(m_server->bodies().size(), 1);
    QCOMPARE(m_server->errors(), QStringList());
}

// A queued message whose file is gone at start (a power cut kept the file's removal and
// lost the record before it): the restart forgets it while the server still has it, so the
// next pass collects it again - not a permanent failure. The next message still goes.
void TestDeliveryQueue::goneAtStartIsCollectedAgain()
{
    QVERIFY(m_data
                ->addMessage(Account, QStringLiteral("uid-1"), Message,
                             {QStringLiteral("b@example.org")})
                .ok());
    QVERIFY(m_data
                ->addMessage(Account, QStringLiteral("uid-2"), Message,
                             {QStringLiteral("b@example.org")})
                .ok());
    const MessageRecord gone = m_data->record(Account, QStringLiteral("uid-1"));
    QVERIFY(QFile::remove(m_data->spoolDir() + QLatin1Char('/') + gone.spoolPath));
    m_server->setScript(hello({}) + fullTransaction("250 Ok"));
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy quarantined(worker, &DeliveryWorker::quarantined);
    QVERIFY(delivered.wait(Deadline));
    QCOMPARE(delivered.first().at(1).toString(), QStringLiteral("uid-2"));
    QCOMPARE(quarantined.size(), 0);
    QCOMPARE(m_data->record(Account, QStringLiteral("uid-1")).id, qint64(0)); // forgotten
    QCOMPARE(m_server->bodies().size(), 1);
}

QTEST_GUILESS_MAIN(TestDeliveryQueue)
#include "tst_deliveryqueue.moc"
