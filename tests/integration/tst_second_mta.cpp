// Delivery end to end to a second real office MTA beside Postfix: a private Exim 4 (see
// tests/support/EximServer.h), with a real Dovecot as the provider's mailbox, driven through
// the Engine. Exim's dialect: its own RCPT replies ("550 5.1.1 <...>: User unknown", a
// chosen 552), CHUNKING and PIPECONNECT in EHLO, local parts compared without case, quoted
// local parts taken as they are.
#include "EngineRun.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/EximServer.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Store.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Domain = QStringLiteral("office.test");
const QString Postmaster = QStringLiteral("postmaster@office.test");
// A local part that must travel as an RFC 5321 quoted string.
const QString Quoted = QStringLiteral("john q. public");
const QString QuotedAddress = QStringLiteral("\"john q. public\"@office.test");

QByteArray letter(const QByteArray &headers, const QByteArray &marker)
{
    return "From: Sender <sender@outside.example>\r\n" + headers + "Subject: " + marker +
           "\r\n"
           "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\n"
           "Message-ID: <" +
           marker + "@outside.example>\r\n\r\nBody of " + marker + "\r\n";
}

} // namespace

class TestSecondMta : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void singleUserVerbatim_data();
    void singleUserVerbatim();
    void catchAllDistributes();
    void refusedRecipientNotifiesPostmaster_data();
    void refusedRecipientNotifiesPostmaster();
    void fixtureTakesQuotedLocalPart();
    void quotedLocalPart_data();
    void quotedLocalPart();

private:
    QString newUser();
    Config makeConfig(const QString &user, MailboxType mailbox);
    bool runOnce(Engine &engine, bool *ok);
    QList<QByteArray> withMarker(const QString &localPart, const QByteArray &marker) const;
    QList<MessageRecord> records(const Config &config, const QString &account);

    DovecotServer m_dovecot;
    EximServer m_exim{Domain};
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestSecondMta::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    for (const QString &u : {QStringLiteral("alice"), QStringLiteral("bob"),
                             QStringLiteral("carol"), QStringLiteral("postmaster"), Quoted})
        QVERIFY(m_exim.addUser(u));
    // carol has a mailbox, but it is full.
    QVERIFY(m_exim.refuseRecipient(QStringLiteral("carol"),
                                   QStringLiteral("552 5.2.2 <carol@office.test>: Mailbox full")));
    QVERIFY2(m_exim.start(&error), qPrintable(error));
}

void TestSecondMta::cleanupTestCase()
{
    QVERIFY(m_exim.stop());
    QVERIFY(m_dovecot.stop());
}

QString TestSecondMta::newUser()
{
    const QString user = QStringLiteral("mta%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-secret").arg(m_users);
    m_dovecot.addUser(user, password);
    m_secrets.set(QStringLiteral("account/") + user, password);
    return user;
}

Config TestSecondMta::makeConfig(const QString &user, MailboxType mailbox)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.mailbox = mailbox;
    if (mailbox == MailboxType::SingleUser)
        a.recipient = QStringLiteral("bob@office.test");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_exim.port();
    c.smtp.heloName = QStringLiteral("pollux.office.test");
    c.smtp.timeoutSecs = 30;
    c.smtp.retryIntervalSecs = 60;
    c.postmaster = Postmaster;
    c.acceptedDomains = {Domain};
    c.dataDir = m_dir.filePath(user);
    c.caFile = TestCa::instance().caCertPath();
    return c;
}

bool TestSecondMta::runOnce(Engine &engine, bool *ok)
{
    // Exim delivers after it answered 250: wait until its queue is empty, so that what did
    // not arrive can be checked too.
    return test::runOnce(engine, ok) && m_exim.waitForEmptyQueue();
}

QList<QByteArray> TestSecondMta::withMarker(const QString &localPart,
                                            const QByteArray &marker) const
{
    QList<QByteArray> out;
    for (const QByteArray &m : m_exim.messages(localPart))
        if (m.contains(marker))
            out << m;
    return out;
}

QList<MessageRecord> TestSecondMta::records(const Config &config, const QString &account)
{
    Store store(Engine::databasePath(config), Clock::system());
    QList<MessageRecord> out;
    if (!store.open().ok() || !store.messages(account, out).ok())
        return {};
    return out;
}

void TestSecondMta::singleUserVerbatim_data()
{
    QTest::addColumn<bool>("startTls");
    QTest::newRow("plain") << false;
    QTest::newRow("starttls") << true;
}

// Mixed messages (dot lines, 8-bit, a 990-byte line, 200 KB) arrive byte for byte: the
// stored message is Exim's Received: line, our trace line and the original.
void TestSecondMta::singleUserVerbatim()
{
    QFETCH(bool, startTls);
    const QString user = newUser();
    const quint32 seed = quint32(qHash(user));
    const qint64 sizes[] = {400, 2500, 200 * 1024, 700, 64 * 1024, 1500, 12000};
    QList<QByteArray> originals;
    for (int i = 1; i <= 7; ++i) {
        originals << makeMessage(i, sizes[i - 1], seed);
        QVERIFY(m_dovecot.deliver(user, originals.last()));
    }
    Config config = makeConfig(user, MailboxType::SingleUser);
    config.smtp.startTls = startTls;
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY2(ok, qPrintable(m_exim.logTail()));
    const QList<QByteArray> got =
        withMarker(QStringLiteral("bob"), "(account " + user.toUtf8() + ")"); // our trace
    QCOMPARE(got.size(), 7);
    QList<QByteArray> unwrapped;
    for (const QByteArray &m : got) {
        QVERIFY2(!EximServer::messageId(m).isEmpty(), m.left(500).constData());
        unwrapped << withoutTrace(EximServer::withoutReceived(m));
    }
    for (int i = 0; i < 7; ++i)
        QVERIFY2(unwrapped.contains(originals.at(i)),
                 qPrintable(QStringLiteral("message %1 differs or is missing").arg(i + 1)));
    if (startTls)
        QVERIFY2(m_exim.log().contains(QStringLiteral(" X=TLS")), qPrintable(m_exim.logTail()));
    QCOMPARE(m_dovecot.messageCount(user), 0);
    for (const QString &other : {QStringLiteral("alice"), QStringLiteral("postmaster")})
        QCOMPARE(withMarker(other, "X-Pollux-Seq: 1\r\n").size(), 0);
}

// catch-all: the local recipients of To/Cc in one transaction (one Exim message id), foreign
// ones dropped, no local one -> the postmaster.
void TestSecondMta::catchAllDistributes()
{
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(user, letter("To: Alice <ALICE@Office.Test>, x@foreign.example\r\n"
                                           "Cc: \"Bob B.\" <bob@office.test>\r\n",
                                           "ca-both")));
    QVERIFY(m_dovecot.deliver(user, letter("To: x@foreign.example\r\n", "ca-none")));
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user, MailboxType::CatchAll), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY2(ok, qPrintable(m_exim.logTail()));
    const QList<QByteArray> toAlice = withMarker(QStringLiteral("alice"), "ca-both");
    const QList<QByteArray> toBob = withMarker(QStringLiteral("bob"), "ca-both");
    QCOMPARE(toAlice.size(), 1);
    QCOMPARE(toBob.size(), 1);
    const QString id = EximServer::messageId(toAlice.first());
    QVERIFY(!id.isEmpty());
    QCOMPARE(EximServer::messageId(toBob.first()), id);
    QVERIFY2(m_exim.log().contains(id + QStringLiteral(" <= sender@outside.example")),
             qPrintable(m_exim.logTail()));
    QVERIFY(!m_exim.log().contains(QStringLiteral("x@foreign.example")));
    QCOMPARE(withMarker(QStringLiteral("postmaster"), "ca-both").size(), 0);
    const QList<QByteArray> pm = withMarker(QStringLiteral("postmaster"), "ca-none");
    QCOMPARE(pm.size(), 1);
    QVERIFY2(pm.first().contains("X-Pollux-Reason: ") && pm.first().contains("no local recipient"),
             pm.first().constData());
}

void TestSecondMta::refusedRecipientNotifiesPostmaster_data()
{
    QTest::addColumn<QString>("refused");
    QTest::addColumn<QByteArray>("code"); // the enhanced status code the notice must name
    QTest::addColumn<bool>("permanent");
    QTest::newRow("unknown-user-550")
        << QStringLiteral("nobody@office.test") << QByteArray("5.1.1") << true;
    // RFC 5321 4.5.3.1.10: 552 to RCPT is temporary. carol is kept for a retry (she was
    // dropped for good), nobody is told yet.
    QTest::newRow("mailbox-full-552")
        << QStringLiteral("carol@office.test") << QByteArray("5.2.2") << false;
}

// Exim refuses one of several recipients at RCPT (catch-all without re-route): the others
// get the message, the postmaster a notice naming the refused one and Exim's reason, and
// nothing is left to retry.
void TestSecondMta::refusedRecipientNotifiesPostmaster()
{
    QFETCH(QString, refused);
    QFETCH(QByteArray, code);
    QFETCH(bool, permanent);
    const QByteArray marker = "refused-" + QByteArray(QTest::currentDataTag());
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(
        user, letter("To: alice@office.test, " + refused.toUtf8() + "\r\nCc: bob@office.test\r\n",
                     marker)));
    const Config config = makeConfig(user, MailboxType::CatchAll);
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QCOMPARE(ok, permanent); // a temporary refusal leaves the message waiting for carol
    QCOMPARE(withMarker(QStringLiteral("alice"), marker).size(), 1);
    QCOMPARE(withMarker(QStringLiteral("bob"), marker).size(), 1);
    QCOMPARE(withMarker(QStringLiteral("carol"), marker).size(), 0);
    if (!permanent) {
        QCOMPARE(withMarker(QStringLiteral("postmaster"), marker).size(), 0);
        const QList<MessageRecord> rs = records(config, user);
        QCOMPARE(rs.size(), 1);
        QCOMPARE(rs.first().state, DeliveryState::Deferred);
        QCOMPARE(rs.first().recipients, QStringList{refused});
        QVERIFY2(rs.first().lastReply.contains(QString::fromUtf8(code)),
                 qPrintable(rs.first().lastReply));
        return;
    }
    const QList<QByteArray> pm = withMarker(QStringLiteral("postmaster"), marker);
    QCOMPARE(pm.size(), 1);
    QVERIFY2(pm.first().contains(refused.toUtf8()) && pm.first().contains(code),
             pm.first().constData());
    QVERIFY2(m_exim.log().contains(QStringLiteral("rejected RCPT <") + refused),
             qPrintable(m_exim.logTail()));
    for (const MessageRecord &r : records(config, user))
        QCOMPARE(r.state, DeliveryState::Delivered);
}

// The fixture itself, without Pollux: a plain SMTP client's RCPT TO:<"john q. public"@...>
// reaches that mailbox. (So a failing quotedLocalPart row is Pollux's, not Exim's.)
void TestSecondMta::fixtureTakesQuotedLocalPart()
{
    QTcpSocket smtp;
    smtp.connectToHost(QHostAddress::LocalHost, m_exim.port());
    QVERIFY(smtp.waitForConnected(10000));
    const auto reply = [&smtp]() -> QByteArray {
        QByteArray line;
        do {
            while (!smtp.canReadLine()) {
                if (!smtp.waitForReadyRead(10000))
                    return QByteArray();
            }
            line = smtp.readLine();
        } while (line.size() > 3 && line.at(3) == '-');
        return line.left(3);
    };
    QCOMPARE(reply(), QByteArray("220"));
    const QByteArray rcpt = "RCPT TO:<" + QuotedAddress.toUtf8() + ">\r\n";
    const QList<QPair<QByteArray, QByteArray>> dialogue = {
        {"EHLO client.office.test\r\n", "250"},
        {"MAIL FROM:<sender@outside.example>\r\n", "250"},
        {rcpt, "250"},
        {"DATA\r\n", "354"},
        {letter("To: " + QuotedAddress.toUtf8() + "\r\n", "fixture-quoted") + ".\r\n", "250"},
        {"QUIT\r\n", "221"},
    };
    for (const auto &[command, expected] : dialogue) {
        smtp.write(command);
        QCOMPARE(reply(), expected);
    }
    QVERIFY(m_exim.waitForEmptyQueue());
    QCOMPARE(withMarker(Quoted, "fixture-quoted").size(), 1);
    QCOMPARE(withMarker(QStringLiteral("postmaster"), "fixture-quoted").size(), 0);
}

void TestSecondMta::quotedLocalPart_data()
{
    QTest::addColumn<int>("mailbox");
    QTest::newRow("single-user") << int(MailboxType::SingleUser);
    QTest::newRow("catch-all") << int(MailboxType::CatchAll);
}

// "john q. public"@office.test goes out as the quoted string RFC 5321 asks for, and Exim
// puts it in that mailbox: nobody else gets it, the postmaster gets no notice.
void TestSecondMta::quotedLocalPart()
{
    QFETCH(int, mailbox);
    const QByteArray marker = "quoted-" + QByteArray(QTest::currentDataTag());
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(
        user, letter("To: John Q. Public <" + QuotedAddress.toUtf8() + ">\r\n", marker)));
    Config config = makeConfig(user, MailboxType(mailbox));
    if (MailboxType(mailbox) == MailboxType::SingleUser)
        config.accounts[0].recipient = QuotedAddress;
    Engine engine(&m_secrets, nullptr);
    const Result started = engine.start(config, {false, 0});
    QVERIFY2(started.ok(), qPrintable(started.message()));
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY2(ok, qPrintable(m_exim.logTail()));
    const QList<QByteArray> got = withMarker(Quoted, marker);
    QCOMPARE(got.size(), 1);
    QVERIFY2(m_exim.log().contains(QStringLiteral("=> ") + Quoted + QStringLiteral(" <") +
                                   QuotedAddress + QLatin1Char('>')),
             qPrintable(m_exim.logTail()));
    for (const QString &other : {QStringLiteral("bob"), QStringLiteral("postmaster")})
        QCOMPARE(withMarker(other, marker).size(), 0);
}

QTEST_GUILESS_MAIN(TestSecondMta)
#include "tst_second_mta.moc"
