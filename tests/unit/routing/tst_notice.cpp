// Postmaster notices are well-formed messages: GMime parses them back with the text and the
// original header (text/rfc822-headers) intact.
#include <gmime/gmime.h> // before Qt: GMime's headers use "signals" as an identifier

#include "routing/Address.h"
#include "routing/Notice.h"

#include <QTest>

using namespace pollux::routing;

namespace {

struct Parsed
{
    QByteArray from, to, subject, autoSubmitted, contentType;
    QByteArray text;
    QByteArray headersPart;
    QByteArray headersType;
    int parts = 0;
};

QByteArray content(GMimeObject *object)
{
    if (!GMIME_IS_PART(object))
        return {};
    GMimeDataWrapper *wrapper = g_mime_part_get_content(GMIME_PART(object));
    GMimeStream *out = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(wrapper, out); // decodes the transfer encoding
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    const QByteArray result(reinterpret_cast<const char *>(bytes->data), int(bytes->len));
    g_object_unref(out);
    return result;
}

bool parse(const QByteArray &message, Parsed &p)
{
    ensureGMime();
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(message.constData(), message.size());
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *m = g_mime_parser_construct_message(parser, nullptr);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!m)
        return false;
    GMimeObject *object = GMIME_OBJECT(m);
    p.from = g_mime_object_get_header(object, "From");
    p.to = g_mime_object_get_header(object, "To");
    p.subject = g_mime_message_get_subject(m);
    p.autoSubmitted = g_mime_object_get_header(object, "Auto-Submitted");
    GMimeObject *body = g_mime_message_get_mime_part(m);
    char *type = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(body));
    p.contentType = type;
    g_free(type);
    if (GMIME_IS_MULTIPART(body)) {
        GMimeMultipart *mp = GMIME_MULTIPART(body);
        p.parts = g_mime_multipart_get_count(mp);
        if (p.parts >= 2) {
            p.text = content(g_mime_multipart_get_part(mp, 0));
            GMimeObject *h = g_mime_multipart_get_part(mp, 1);
            char *ht = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(h));
            p.headersType = ht;
            g_free(ht);
            p.headersPart = content(h);
        }
    }
    g_object_unref(m);
    return true;
}

NoticeContext context(const QString &account = QStringLiteral("office"))
{
    NoticeContext c;
    c.postmaster = QStringLiteral("postmaster@office.example");
    c.hostName = QStringLiteral("gw.office.example");
    c.account = account;
    c.uid = QStringLiteral("uid-42");
    c.when = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);
    return c;
}

const QByteArray kOriginal = "From: a@foreign.example\r\nTo: bob@office.example, "
                             "nobody@office.example\r\nSubject: hello\r\n";

} // namespace

class TestNotice : public QObject
{
    Q_OBJECT
private slots:
    void rejectedRecipients();
    void quarantine();
    void nonAsciiAndBinaryHeader();
};

void TestNotice::rejectedRecipients()
{
    const QByteArray notice = rejectedRecipientsNotice(
        context(),
        {{QStringLiteral("nobody@office.example"), QStringLiteral("550 5.1.1 User unknown")}},
        {QStringLiteral("bob@office.example")}, kOriginal);
    QVERIFY(!notice.contains("\n\n")); // CRLF only
    Parsed p;
    QVERIFY(parse(notice, p));
    QVERIFY2(p.from.contains("postmaster@office.example"), p.from.constData());
    QVERIFY2(p.to.contains("postmaster@office.example"), p.to.constData());
    QCOMPARE(p.autoSubmitted, QByteArray("auto-generated"));
    QCOMPARE(p.contentType, QByteArray("multipart/mixed"));
    QCOMPARE(p.parts, 2);
    QVERIFY2(p.subject.contains("1 recipient(s) refused"), p.subject.constData());
    QVERIFY2(p.text.contains("nobody@office.example: 550 5.1.1 User unknown"), p.text.constData());
    QVERIFY2(p.text.contains("bob@office.example"), p.text.constData());
    QCOMPARE(p.headersType, QByteArray("text/rfc822-headers"));
    QCOMPARE(p.headersPart, kOriginal);
}

void TestNotice::quarantine()
{
    const QByteArray notice =
        quarantineNotice(context(), QStringLiteral("TOOLARGE"),
                         QStringLiteral("552 5.3.4 Message too big"), kOriginal);
    Parsed p;
    QVERIFY(parse(notice, p));
    QVERIFY2(p.subject.contains("quarantined in TOOLARGE"), p.subject.constData());
    QVERIFY2(p.text.contains("Folder: TOOLARGE"), p.text.constData());
    QVERIFY2(p.text.contains("Reason: 552 5.3.4 Message too big"), p.text.constData());
    QCOMPARE(p.headersPart, kOriginal);
}

void TestNotice::nonAsciiAndBinaryHeader()
{
    QByteArray original = "Subject: Gr\xfc\xdf"
                          "e\r\nX-Long: " +
                          QByteArray(2000, 'x') + "\r\n";
    const QByteArray notice =
        quarantineNotice(context(QStringLiteral("Büro\r\nBcc: x@y")), QStringLiteral("BADMAIL"),
                         QStringLiteral("loop"), original);
    for (const QByteArray &line : notice.split('\n'))
        QVERIFY(line.size() <= 1000);
    QVERIFY(!notice.contains("\nBcc:"));
    Parsed p;
    QVERIFY(parse(notice, p));
    QVERIFY2(p.subject.contains("account Büro Bcc: x@y"), p.subject.constData());
    QVERIFY2(p.text.contains("Account: Büro"), p.text.constData());
    QCOMPARE(p.headersPart, original);
}

QTEST_GUILESS_MAIN(TestNotice)
#include "tst_notice.moc"
