// Long lines to a real Postfix (issue 12, item 3). Debian 12's Postfix offers CHUNKING but
// not BINARYMIME, so a line over SMTP's 998 octets goes over DATA as it is (never folded):
// Postfix takes it (smtpd cuts it into line_length_limit records and its delivery agents
// join them again) and the mailbox holds the line unchanged.
#include "support/PostfixServer.h"

#include "smtp/SmtpClient.h"

#include <QBuffer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::smtp;
using namespace pollux::test;

namespace {
constexpr int Wait = 30000;
const QString Domain = QStringLiteral("office.example");
} // namespace

class TestLongLines : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void singleLineDeliveredVerbatim_data();
    void singleLineDeliveredVerbatim();

private:
    PostfixServer m_postfix{Domain};
};

void TestLongLines::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY(m_postfix.addUser(QStringLiteral("alice")));
    QString error;
    QVERIFY2(m_postfix.start(&error), qPrintable(error));
}

void TestLongLines::cleanupTestCase()
{
    QVERIFY(m_postfix.stop());
}

void TestLongLines::singleLineDeliveredVerbatim_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("1000-octets") << 1000;
    QTest::newRow("70-kib") << 70 * 1024;
    QTest::newRow("3-mib") << 3 * 1024 * 1024;
}

void TestLongLines::singleLineDeliveredVerbatim()
{
    QFETCH(int, length);
    const QByteArray marker = "long-" + QByteArray::number(length);
    QByteArray line;
    line.reserve(length);
    for (int i = 0; line.size() < length; ++i)
        line += QByteArray::number(i % 10);
    line.truncate(length);
    QByteArray data = "Subject: " + marker + "\r\nMessage-ID: <" + marker +
                      "@outside.example>\r\n\r\n" + line + "\r\n";
    QBuffer body(&data);
    QVERIFY(body.open(QIODevice::ReadOnly));
    BodyShape shape;
    QVERIFY(scanBody(&body, shape));
    QCOMPARE(shape.longestLine, qint64(length));

    Options o;
    o.endpoint.host = QStringLiteral("127.0.0.1");
    o.endpoint.port = m_postfix.port();
    o.endpoint.timeoutMs = Wait;
    o.heloName = QStringLiteral("gw.office.example");
    o.label = QStringLiteral("long");
    SmtpClient client;
    QSignalSpy opened(&client, &SmtpClient::opened);
    QSignalSpy sent(&client, &SmtpClient::sent);
    QSignalSpy failed(&client, &SmtpClient::failed);
    client.open(o);
    QVERIFY(opened.wait(Wait));
    QVERIFY(!client.binaryMime()); // the DATA fallback is what this server gets
    Envelope envelope;
    envelope.sender = QStringLiteral("sender@outside.example");
    envelope.recipients = {QStringLiteral("alice@office.example")};
    client.send(envelope, &body, data.size(), shape);
    QVERIFY2(sent.wait(Wait),
             failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).value<Result>().message()));
    const SendResult r = sent.at(0).at(0).value<SendResult>();
    QVERIFY2(r.delivered(), qPrintable(r.decisiveReply.toString()));
    QVERIFY(!r.chunked);
    client.abort();

    QVERIFY(m_postfix.waitForEmptyQueue(Wait));
    QByteArray got;
    for (const QByteArray &m : m_postfix.messages(QStringLiteral("alice")))
        if (m.contains(QByteArray(marker + "@outside.example")))
            got = m;
    QVERIFY2(!got.isEmpty(), qPrintable(m_postfix.logTail()));
    // Maildir line ends are LF: the long line whole, between two line ends.
    QVERIFY2(got.contains(QByteArray("\n" + line + "\n")), qPrintable(m_postfix.logTail()));
}

QTEST_MAIN(TestLongLines)
#include "tst_long_lines.moc"
