// Odd and hostile message contents, end to end (Dovecot -> Pollux -> SMTP receiver): no
// header/body separator, a header of 1 MB and one past the 1 MB that routing reads, lone
// CR and LF and NUL bytes in the header, invalid UTF-8. Each arrives exactly once - for
// the staff, or for the postmaster when its recipients cannot be read - with its content,
// and nothing is left behind on the server.
#include "EngineRun.h"
#include "LogCapture.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Store.h"

#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

const QString kStaff = QStringLiteral("staff@office.example.com");
const QString kPostmaster = QStringLiteral("postmaster@office.example.com");

// A folded header field of about `bytes` bytes, lines of 78 characters.
QByteArray bigField(qsizetype bytes)
{
    QByteArray field = "X-Big: start";
    while (field.size() < bytes)
        field += "\r\n " + QByteArray(75, 'h');
    return field + "\r\n";
}

QByteArray seqLine(int seq)
{
    return "X-Pollux-Seq: " + QByteArray::number(seq) + "\r\n";
}

QByteArray standard(int seq)
{
    return "From: a@example.org\r\nTo: Staff <staff@office.example.com>\r\nSubject: odd " +
           QByteArray::number(seq) + "\r\nMessage-ID: <odd" + QByteArray::number(seq) +
           "@example.org>\r\n" + seqLine(seq);
}

} // namespace

class TestOddMessages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void arrivesOnce_data();
    void arrivesOnce();

private:
    DovecotServer m_dovecot;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestOddMessages::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
}

void TestOddMessages::arrivesOnce_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("marker");      // must arrive (the body, or the header's end)
    QTest::addColumn<bool>("recipientReadable"); // catch-all finds staff in To

    const int seq = 1; // every row is a mailbox of its own
    const QByteArray head = standard(seq);
    QTest::newRow("no-separator") << head + "X-Last: no body follows\r\n"
                                  << QByteArray("X-Last: no body follows") << true;
    QTest::newRow("no-separator-no-final-crlf")
        << head + "X-Last: and no line end" << QByteArray("X-Last: and no line end") << true;
    QTest::newRow("header-1mb") << head + bigField(1000 * 1000) + "\r\nbody after 1 MB\r\n"
                                << QByteArray("body after 1 MB") << true;
    // The 2 MB header comes first: routing reads 1 MB of it and never sees To.
    QTest::newRow("header-2mb-before-to")
        << bigField(2 * 1000 * 1000) + head + "\r\nbody after 2 MB\r\n"
        << QByteArray("body after 2 MB") << false;
    QTest::newRow("lone-cr-lf-in-header") << head + "X-Odd: one\rtwo\nthree\r\n\r\nbody\r\n"
                                          << QByteArray("body") << true;
    QTest::newRow("nul-in-header")
        << head + "X-Nul: a" + QByteArray(1, '\0') + "b\r\n\r\nbody nul\r\n"
        << QByteArray("body nul") << true;
    QTest::newRow("invalid-utf8") << head + "Subject: \xff\xfe\xc3\r\n\r\nbody \xc3\x28\r\n"
                                  << QByteArray("body \xc3\x28") << true;
}

// Single-user and catch-all, each row: delivered once, content there, mailbox empty.
void TestOddMessages::arrivesOnce()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, marker);
    QFETCH(bool, recipientReadable);

    for (const MailboxType mailbox : {MailboxType::SingleUser, MailboxType::CatchAll}) {
        const QString user = QStringLiteral("odd%1").arg(++m_users);
        m_dovecot.addUser(user, QStringLiteral("pw"));
        m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("pw"));
        QVERIFY(m_dovecot.deliver(user, message));
        SmtpSink sink;
        QString error;
        QVERIFY2(sink.start(&error), qPrintable(error));

        Config c;
        AccountConfig a;
        a.name = user;
        a.host = QStringLiteral("127.0.0.1");
        a.port = m_dovecot.pop3Port();
        a.username = user;
        a.allowPlaintextLogin = true;
        a.mailbox = mailbox;
        if (mailbox == MailboxType::SingleUser)
            a.recipient = kStaff;
        c.accounts << a;
        c.smtp.host = QStringLiteral("127.0.0.1");
        c.smtp.port = sink.port();
        c.postmaster = kPostmaster;
        c.acceptedDomains = {QStringLiteral("office.example.com")};
        c.dataDir = m_dir.filePath(user);

        LogCapture log;
        Engine engine(&m_secrets, Clock::system());
        QVERIFY(engine.start(c, {false, 0}).ok());
        bool ok = false;
        QVERIFY(runOnce(engine, ok));
        engine.stop();
        const QString lines = log.lines().join(QLatin1Char('\n'));
        QVERIFY2(ok, qPrintable(lines));

        const QList<ReceivedMessage> got = sink.messages();
        QCOMPARE(got.size(), 1);
        const QString expected =
            mailbox == MailboxType::SingleUser || recipientReadable ? kStaff : kPostmaster;
        QCOMPARE(got.first().recipients, QStringList{expected});
        QVERIFY2(got.first().data.contains(marker), qPrintable(lines));
        QVERIFY(got.first().data.contains("X-Pollux-Seq: 1"));
        QCOMPARE(m_dovecot.messageCount(user), 0);
        Store store(Engine::databasePath(c), Clock::system());
        QVERIFY(store.open().ok());
        QList<MessageRecord> records;
        QVERIFY(store.messages(user, records).ok());
        // The message, and for the postmaster its copy ("<uid>#postmaster"): all delivered.
        QCOMPARE(records.size(), expected == kPostmaster ? 2 : 1);
        for (const MessageRecord &r : std::as_const(records))
            QCOMPARE(r.state, DeliveryState::Delivered);
        QVERIFY(sink.stop());
    }
}

QTEST_GUILESS_MAIN(TestOddMessages)
#include "tst_odd_messages.moc"
