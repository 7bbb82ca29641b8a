// RFC 5321 Quoted-string local parts on the wire, against a real Postfix (issue 11, defect 6):
// smtp::SmtpClient sends "john q. public"@office.example and friends as quoted mailboxes
// that Postfix delivers to the right Maildir, an unknown one is refused as unknown (not as
// bad syntax), a
// non-ASCII address is refused by the client when the server has no SMTPUTF8, and
// SmtpProbeDirectory asks about such addresses.
#include "support/PostfixServer.h"

#include "routing/SmtpProbeDirectory.h"
#include "smtp/SmtpClient.h"

#include <QBuffer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::smtp;
using namespace pollux::test;

namespace {

constexpr int Wait = 20000;
const QString Domain = QStringLiteral("office.example");

} // namespace

class TestSmtpQuoted : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void quotedRecipientDelivered_data();
    void quotedRecipientDelivered();
    void unknownQuotedRecipientNamedByPostfix();
    void nonAsciiWithoutSmtpUtf8();
    void probeQuotedRecipients();

private:
    Options options() const;
    // Opens a client, sends one message, closes; the result (empty on failure, with a warning).
    SendResult sendOne(const Envelope &envelope);

    PostfixServer m_postfix{Domain};
};

void TestSmtpQuoted::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    // Mailboxes whose local parts need RFC 5321 quoting.
    for (const char *user : {"alice", "john q. public", "a..b", "say\"hi\"", "back\\slash", "a,b"})
        QVERIFY(m_postfix.addUser(QString::fromUtf8(user)));
    QString error;
    QVERIFY2(m_postfix.start(&error), qPrintable(error));
}

void TestSmtpQuoted::cleanupTestCase()
{
    QVERIFY(m_postfix.stop());
}

Options TestSmtpQuoted::options() const
{
    Options o;
    o.endpoint.host = QStringLiteral("127.0.0.1");
    o.endpoint.port = m_postfix.port();
    o.endpoint.timeoutMs = Wait;
    o.heloName = QStringLiteral("gw.office.example");
    o.label = QStringLiteral("quoted");
    return o;
}

SendResult TestSmtpQuoted::sendOne(const Envelope &envelope)
{
    SmtpClient client;
    QSignalSpy opened(&client, &SmtpClient::opened);
    QSignalSpy sent(&client, &SmtpClient::sent);
    QSignalSpy failed(&client, &SmtpClient::failed);
    QSignalSpy closed(&client, &SmtpClient::closed);
    client.open(options());
    if (!opened.wait(Wait)) {
        qWarning() << "not opened:" << failed;
        return {};
    }
    QByteArray data("Subject: quoted local parts\r\n\r\nHello.\r\n");
    QBuffer body(&data);
    body.open(QIODevice::ReadOnly);
    client.send(envelope, &body, data.size());
    if (!sent.wait(Wait)) {
        qWarning() << "not sent:"
                   << (failed.isEmpty() ? QString() : failed.at(0).at(0).value<Result>().message());
        return {};
    }
    client.close();
    closed.wait(Wait);
    return sent.at(0).at(0).value<SendResult>();
}

void TestSmtpQuoted::quotedRecipientDelivered_data()
{
    QTest::addColumn<QString>("address"); // as routing hands it over (header form)
    QTest::addColumn<QString>("user");    // the Postfix mailbox it must reach
    QTest::newRow("space") << QStringLiteral("\"john q. public\"@office.example")
                           << QStringLiteral("john q. public");
    QTest::newRow("unquoted-space")
        << QStringLiteral("john q. public@office.example") << QStringLiteral("john q. public");
    QTest::newRow("double-dot") << QStringLiteral("\"a..b\"@office.example")
                                << QStringLiteral("a..b");
    QTest::newRow("escaped-quote")
        << QStringLiteral("\"say\\\"hi\\\"\"@office.example") << QStringLiteral("say\"hi\"");
    QTest::newRow("backslash") << QStringLiteral("\"back\\\\slash\"@office.example")
                               << QStringLiteral("back\\slash");
    QTest::newRow("comma") << QStringLiteral("\"a,b\"@office.example") << QStringLiteral("a,b");
    QTest::newRow("unquoted-comma")
        << QStringLiteral("a,b@office.example") << QStringLiteral("a,b");
}

void TestSmtpQuoted::quotedRecipientDelivered()
{
    QFETCH(QString, address);
    QFETCH(QString, user);
    const int before = m_postfix.messageCount(user);
    Envelope e;
    e.sender = QStringLiteral("alice@") + Domain;
    e.recipients = QStringList{address};
    const SendResult result = sendOne(e);
    QCOMPARE(result.recipientReplies.size(), 1);
    QVERIFY2(result.recipientReplies.at(0).isSuccess(),
             qPrintable(result.recipientReplies.at(0).toString()));
    QCOMPARE(result.verdict, Verdict::Accepted);
    QVERIFY2(m_postfix.waitForMessages(user, before + 1), qPrintable(m_postfix.logTail()));
}

void TestSmtpQuoted::unknownQuotedRecipientNamedByPostfix()
{
    // Postfix reads the quoted string as one mailbox (local part "mary ann", which it names
    // in its internal, unquoted form) and refuses it as unknown - not as bad syntax
    // (501 5.1.3), which is what the unquoted form would get.
    Envelope e;
    e.sender = QStringLiteral("alice@") + Domain;
    e.recipients = QStringList{QStringLiteral("\"mary ann\"@") + Domain};
    const SendResult result = sendOne(e);
    QCOMPARE(result.recipientReplies.size(), 1);
    const Reply &r = result.recipientReplies.at(0);
    QCOMPARE(r.code, 550);
    QVERIFY2(r.text.startsWith(QStringLiteral("5.1.1 <mary ann@office.example>")),
             qPrintable(r.toString()));
    QCOMPARE(result.verdict, Verdict::Permanent);
}

void TestSmtpQuoted::nonAsciiWithoutSmtpUtf8()
{
    // The test Postfix has smtputf8_enable = no: the client refuses the non-ASCII recipient
    // itself (553 5.6.7) and delivers to the other.
    const int before = m_postfix.messageCount(QStringLiteral("alice"));
    Envelope e;
    e.recipients =
        QStringList{QStringLiteral("j\u00f6rg@") + Domain, QStringLiteral("alice@") + Domain};
    const SendResult result = sendOne(e);
    QCOMPARE(result.recipientReplies.size(), 2);
    QCOMPARE(result.recipientReplies.at(0).code, 553);
    QVERIFY(result.recipientReplies.at(0).synthetic);
    QVERIFY(result.recipientReplies.at(0).text.startsWith(QStringLiteral("5.6.7")));
    QCOMPARE(result.verdict, Verdict::Accepted);
    QCOMPARE(result.recipientVerdicts, (QList<Verdict>{Verdict::Permanent, Verdict::Accepted}));
    QVERIFY(m_postfix.waitForMessages(QStringLiteral("alice"), before + 1));
}

void TestSmtpQuoted::probeQuotedRecipients()
{
    // The probe directory speaks through the same client: quoted local parts are asked
    // about, Postfix's 5.1.1 makes them Unknown, real users are Known.
    routing::SmtpProbeDirectory::Options o;
    o.host = QStringLiteral("127.0.0.1");
    o.port = m_postfix.port();
    o.heloName = QStringLiteral("gw.office.example");
    o.timeoutSecs = 20;
    routing::SmtpProbeDirectory directory(o);
    const QList<routing::DirectoryAnswer> answers = directory.lookupAll(
        {QStringLiteral("alice@") + Domain, QStringLiteral("\"mary ann\"@") + Domain,
         QStringLiteral("\"john q. public\"@") + Domain});
    QCOMPARE(answers.size(), 3);
    QCOMPARE(answers.at(0).status, routing::DirectoryStatus::Known);
    QCOMPARE(answers.at(1).status, routing::DirectoryStatus::Unknown);
    QVERIFY2(answers.at(1).detail.contains(QStringLiteral("mary ann@office.example")),
             qPrintable(answers.at(1).detail));
    QCOMPARE(answers.at(2).status, routing::DirectoryStatus::Known);
}

QTEST_GUILESS_MAIN(TestSmtpQuoted)
#include "tst_smtp_quoted.moc"
