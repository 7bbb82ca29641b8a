// The header corpus: what extractRecipients() finds in real-world and broken headers.
// Local domains: office.example and bücher.example (xn--bcher-kva.example).
#include "config/Config.h"
#include "routing/AcceptedDomains.h"
#include "routing/Recipients.h"

#include <QTest>

using namespace pollux;
using namespace pollux::routing;

namespace {

const QStringList kDefault = AccountConfig::defaultEnvelopeHeaders();

QString render(const Extraction &e)
{
    QStringList parts;
    for (const FoundRecipient &r : e.recipients)
        parts << r.address + QLatin1Char('(') + r.source + QLatin1Char(')');
    return parts.join(QLatin1Char(' '));
}

void row(const char *name, const QByteArray &header, const char *expected,
         const char *authority = "", const QStringList &envelope = kDefault,
         const char *skipped = "")
{
    QTest::newRow(name) << header << envelope << QString::fromUtf8(expected)
                        << QString::fromUtf8(authority) << QString::fromUtf8(skipped);
}

QByteArray many(int n)
{
    QByteArray h = "To: ";
    for (int i = 0; i < n; ++i)
        h += (i ? ",\r\n " : "") + QByteArray("user") + QByteArray::number(i) + "@office.example";
    return h + "\r\n";
}

QString manyExpected(int n)
{
    QStringList parts;
    for (int i = 0; i < n; ++i)
        parts << QStringLiteral("user%1@office.example(To)").arg(i);
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TestRecipients : public QObject
{
    Q_OBJECT
private slots:
    void corpus_data();
    void corpus();
    void manyRecipients();
    void noPredicateTakesFirstPresent();
};

void TestRecipients::corpus_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QStringList>("envelope");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("authority");
    QTest::addColumn<QString>("skipped");

    // --- plain visible headers ---
    row("to-bare", "To: bob@office.example\n", "bob@office.example(To)");
    row("to-display-name", "To: Bob Smith <bob@office.example>\n", "bob@office.example(To)");
    row("to-quoted-name-with-comma",
        "To: \"Smith, Bob\" <bob@office.example>, alice@office.example\n",
        "bob@office.example(To) alice@office.example(To)");
    row("to-trailing-comment", "To: bob@office.example (Bob Smith)\n", "bob@office.example(To)");
    row("to-leading-comment", "To: (the boss) bob@office.example\n", "bob@office.example(To)");
    row("to-comment-in-name", "To: Bob (work) Smith <bob@office.example>\n",
        "bob@office.example(To)");
    row("to-quoted-local-part-space", "To: \"bob smith\"@office.example\n",
        "\"bob smith\"@office.example(To)");
    row("to-plus-tag", "To: bob+news@office.example\n", "bob+news@office.example(To)");
    row("to-crlf", "From: a@foreign.example\r\nTo: bob@office.example\r\nSubject: x\r\n\r\n",
        "bob@office.example(To)");
    row("to-bare-cr", "Subject: x\rTo: bob@office.example\r", "bob@office.example(To)");
    row("to-semicolon-separated", "To: a@office.example; b@office.example\n",
        "a@office.example(To) b@office.example(To)");
    row("to-missing-close-angle", "To: Bob <bob@office.example\n", "bob@office.example(To)");
    row("to-name-with-space-before-colon", "To : bob@office.example\n", "bob@office.example(To)");
    row("to-lowercase-field-name", "to: bob@office.example\n", "bob@office.example(To)");
    row("cc-only", "Cc: carol@office.example\n", "carol@office.example(Cc)");
    row("bcc-only", "Bcc: hidden@office.example\n", "hidden@office.example(Bcc)");
    row("to-cc-bcc-order", "Bcc: c@office.example\nCc: b@office.example\nTo: a@office.example\n",
        "a@office.example(To) b@office.example(Cc) c@office.example(Bcc)");
    row("to-twice", "To: a@office.example\nTo: b@office.example\n",
        "a@office.example(To) b@office.example(To)");

    // --- encoded words and 8-bit ---
    row("encoded-name-b", "To: =?utf-8?B?SsO8cmdlbg==?= <juergen@office.example>\n",
        "juergen@office.example(To)");
    row("encoded-name-q-latin1", "To: =?iso-8859-1?Q?J=FCrgen_M=FCller?= <jm@office.example>\n",
        "jm@office.example(To)");
    row("encoded-name-broken", "To: =?utf-8?B?broken <x@office.example>\n", "x@office.example(To)");
    row("encoded-name-unknown-charset", "To: =?x-klingon?Q?abc?= <k@office.example>\n",
        "k@office.example(To)");
    row("encoded-word-pretending-address",
        "To: =?utf-8?q?evil=40office.example?= <bob@office.example>\n", "bob@office.example(To)");
    row("raw-utf8-name", "To: Jürgen Müller <jm@office.example>\n", "jm@office.example(To)");
    row("raw-latin1-name", "To: J\xfcrgen <jm@office.example>\n", "jm@office.example(To)");

    // --- groups ---
    row("group", "To: Team: a@office.example, b@office.example;\n",
        "a@office.example(To) b@office.example(To)");
    row("group-undisclosed", "To: undisclosed-recipients:;\n", "");
    row("group-undisclosed-and-bcc", "To: undisclosed-recipients:;\nBcc: bob@office.example\n",
        "bob@office.example(Bcc)");
    row("group-and-mailbox", "To: Team: a@office.example;, b@office.example\n",
        "a@office.example(To) b@office.example(To)");
    row("group-unterminated", "To: Team: a@office.example, b@office.example\n",
        "a@office.example(To) b@office.example(To)");

    // --- folding ---
    row("folded-list", "To: a@office.example,\n\tb@office.example,\n c@office.example\n",
        "a@office.example(To) b@office.example(To) c@office.example(To)");
    row("folded-display-name", "To: \"Very Long\n Name\" <a@office.example>\n",
        "a@office.example(To)");
    row("folded-before-angle", "To: Bob\r\n <bob@office.example>\r\n", "bob@office.example(To)");
    row("folded-empty-first-line", "To:\n  bob@office.example\n", "bob@office.example(To)");

    // --- duplicates and case ---
    row("duplicate-same", "To: a@office.example, a@office.example\n", "a@office.example(To)");
    row("duplicate-mixed-case", "To: Bob@Office.Example\nCc: bob@office.example\n",
        "Bob@office.example(To)");
    row("duplicate-across-headers",
        "To: a@office.example\nCc: A@OFFICE.EXAMPLE\nBcc: <a@office.example>\n",
        "a@office.example(To)");
    row("domain-upper-case", "To: bob@OFFICE.EXAMPLE\n", "bob@office.example(To)");
    row("local-part-case-kept", "To: Bob.Smith@office.example\n", "Bob.Smith@office.example(To)");
    row("domain-trailing-dot", "To: bob@office.example.\n", "bob@office.example(To)");

    // --- foreign and local ---
    row("foreign-and-local", "To: a@foreign.example, b@office.example\n",
        "a@foreign.example(To) b@office.example(To)");
    row("foreign-only", "To: someone@foreign.example\n", "someone@foreign.example(To)");

    // --- IDN ---
    row("idn-unicode", "To: bob@bücher.example\n", "bob@xn--bcher-kva.example(To)");
    row("idn-ace", "To: bob@xn--bcher-kva.example\n", "bob@xn--bcher-kva.example(To)");
    row("idn-upper-case", "To: bob@BÜCHER.example\n", "bob@xn--bcher-kva.example(To)");
    row("idn-duplicate-unicode-and-ace", "To: bob@bücher.example, bob@xn--bcher-kva.example\n",
        "bob@xn--bcher-kva.example(To)");

    // --- missing or unusable ---
    row("missing-to", "From: a@foreign.example\nSubject: hello\n", "");
    row("empty-to", "To:\nSubject: x\n", "");
    row("to-without-domain", "To: bob\n", "");
    row("to-ip-literal", "To: bob@[192.0.2.1]\n", "");
    row("to-punctuation-garbage", "To: <<<>>>@@@,,;;\n", "");
    row("empty-header", "", "");

    // --- envelope headers ---
    row("envelope-x-original-to", "To: alice@office.example\nX-Original-To: bob@office.example\n",
        "bob@office.example(X-Original-To)", "X-Original-To");
    row("envelope-bcc-recipient-via-envelope",
        "To: alice@foreign.example\nX-Original-To: hidden@office.example\n",
        "hidden@office.example(X-Original-To)", "X-Original-To");
    row("envelope-delivered-to-foreign-skipped",
        "Delivered-To: catchall@isp.example\nX-Original-To: bob@office.example\n",
        "bob@office.example(X-Original-To)", "X-Original-To",
        {QStringLiteral("Delivered-To"), QStringLiteral("X-Original-To")}, "Delivered-To");
    row("envelope-several-occurrences",
        "Delivered-To: a@office.example\nDelivered-To: b@office.example\nTo: c@office.example\n",
        "a@office.example(Delivered-To) b@office.example(Delivered-To)", "Delivered-To");
    row("envelope-mixed-local-foreign-occurrences",
        "Delivered-To: catchall@isp.example\nDelivered-To: bob@office.example\n",
        "catchall@isp.example(Delivered-To) bob@office.example(Delivered-To)", "Delivered-To");
    row("envelope-first-of-list-wins",
        "Envelope-To: a@office.example\nX-Original-To: b@office.example\n",
        "b@office.example(X-Original-To)", "X-Original-To");
    row("envelope-custom-order", "Envelope-To: a@office.example\nX-Original-To: b@office.example\n",
        "a@office.example(Envelope-To)", "Envelope-To",
        {QStringLiteral("Envelope-To"), QStringLiteral("X-Original-To")});
    row("envelope-absent-visible-used", "To: a@office.example\nCc: b@office.example\n",
        "a@office.example(To) b@office.example(Cc)");
    row("envelope-only-foreign-falls-back",
        "Delivered-To: catchall@isp.example\nTo: bob@office.example\n", "bob@office.example(To)",
        "", kDefault, "Delivered-To");
    row("envelope-empty-value", "X-Original-To:\nTo: bob@office.example\n",
        "bob@office.example(To)", "", kDefault, "X-Original-To");
    row("envelope-list-empty", "X-Original-To: bob@office.example\nTo: alice@office.example\n",
        "alice@office.example(To)", "", QStringList());
    row("envelope-x-rcpt-to", "X-RCPT-TO: <bob@office.example>\n", "bob@office.example(X-RCPT-TO)",
        "X-RCPT-TO");
    row("envelope-x-envelope-to", "X-Envelope-To: bob@office.example\n",
        "bob@office.example(X-Envelope-To)", "X-Envelope-To");
    row("envelope-to-list", "Envelope-To: a@office.example, b@office.example\n",
        "a@office.example(Envelope-To) b@office.example(Envelope-To)", "Envelope-To");
    row("envelope-field-name-case", "x-original-to: bob@office.example\n",
        "bob@office.example(X-Original-To)", "X-Original-To");
    row("envelope-with-display-name", "X-Original-To: Bob <bob@office.example>\n",
        "bob@office.example(X-Original-To)", "X-Original-To");
    row("envelope-garbage-falls-back", "X-Original-To: ((((\nTo: bob@office.example\n",
        "bob@office.example(To)", "", kDefault, "X-Original-To");

    // --- Received ... for ---
    const QStringList rcv{QStringLiteral("Received")};
    row("received-for-angle",
        "Received: from mx.foreign.example by mx.isp.example with ESMTP id 1\n"
        "\tfor <bob@office.example>; Mon, 1 Jan 2024 10:00:00 +0000\nTo: a@office.example\n",
        "bob@office.example(Received)", "Received", rcv);
    row("received-for-bare",
        "Received: by mx.isp.example id 2 for bob@office.example; Mon, 1 Jan 2024 10:00:00 +0000\n",
        "bob@office.example(Received)", "Received", rcv);
    row("received-for-comment",
        "Received: from x by y with LMTP for <bob@office.example> (single-drop); Mon, 1 Jan 2024\n",
        "bob@office.example(Received)", "Received", rcv);
    row("received-for-upper-case",
        "Received: from x by y FOR <Bob@Office.Example>; Mon, 1 Jan 2024\n",
        "Bob@office.example(Received)", "Received", rcv);
    row("received-topmost-only",
        "Received: by mx.isp.example for <bob@office.example>; Tue, 2 Jan 2024\n"
        "Received: by mx.sender.example for <carol@office.example>; Tue, 2 Jan 2024\n",
        "bob@office.example(Received)", "Received", rcv);
    row("received-topmost-without-for",
        "Received: by mx.isp.example; Tue, 2 Jan 2024\n"
        "Received: by lists.example for <bob@office.example>; Tue, 2 Jan 2024\n",
        "bob@office.example(Received)", "Received", rcv);
    row("received-without-for", "Received: from a by b; Mon, 1 Jan 2024\nTo: c@office.example\n",
        "c@office.example(To)", "", rcv);
    row("received-for-word-in-hostname",
        "Received: from forest.example (for.example [192.0.2.1]) by mx; Mon, 1 Jan 2024\n"
        "To: c@office.example\n",
        "c@office.example(To)", "", rcv);
    row("received-not-in-list",
        "Received: by mx for <bob@office.example>; Mon, 1 Jan 2024\nTo: alice@office.example\n",
        "alice@office.example(To)");
    row("received-after-other-envelope",
        "Received: by mx for <bob@office.example>; Mon, 1 Jan 2024\n"
        "Delivered-To: carol@office.example\n",
        "carol@office.example(Delivered-To)", "Delivered-To",
        {QStringLiteral("Delivered-To"), QStringLiteral("Received")});

    // --- mailing lists and resent ---
    row("mailing-list-with-envelope",
        "To: list@lists.foreign.example\nList-Id: <list.lists.foreign.example>\n"
        "X-Original-To: bob@office.example\n",
        "bob@office.example(X-Original-To)", "X-Original-To");
    row("mailing-list-without-envelope",
        "To: list@lists.foreign.example\nList-Id: <list.lists.foreign.example>\n",
        "list@lists.foreign.example(To)");
    row("resent-to-wins", "To: alice@office.example\nResent-To: bob@office.example\n",
        "bob@office.example(Resent-To)");
    row("resent-cc-bcc",
        "To: x@office.example\nResent-Cc: a@office.example\nResent-Bcc: b@office.example\n",
        "a@office.example(Resent-Cc) b@office.example(Resent-Bcc)");

    // --- garbage ---
    row("garbage-binary", QByteArray("\x01\x02\xff\xfe\x00\x7f", 6), "");
    row("garbage-lines-without-colon", "this is not a header\nTo: bob@office.example\n",
        "bob@office.example(To)");
    row("garbage-leading-continuation", " continuation\nTo: bob@office.example\n",
        "bob@office.example(To)");
    row("garbage-body-after-blank-line", "Subject: x\n\nTo: bob@office.example\n", "");
    row("garbage-mbox-from-line",
        "From someone@foreign.example Mon Jan  1 00:00:00 2024\nTo: bob@office.example\n",
        "bob@office.example(To)");
    row("garbage-nul-in-value", QByteArray("To: bob@office.example\0, x\n", 27),
        "bob@office.example(To)");
    row("garbage-angle-without-at", "To: <bob>, carol@office.example\n",
        "carol@office.example(To)");
    // A line break inside a quoted name ends the field: the next line is a real Bcc field
    // (with an unbalanced quote), as every mail server would read it.
    row("garbage-line-break-in-quoted-name",
        "To: \"a\r\nBcc: evil@office.example\" <bob@office.example>\n",
        "evil@office.example(Bcc) bob@office.example(Bcc)");
}

void TestRecipients::corpus()
{
    QFETCH(QByteArray, header);
    QFETCH(QStringList, envelope);
    QFETCH(QString, expected);
    QFETCH(QString, authority);
    QFETCH(QString, skipped);
    const AcceptedDomains domains(
        {QStringLiteral("office.example"), QStringLiteral("bücher.example")}, false);
    const Extraction e =
        extractRecipients(header, envelope, [&](const QString &a) { return domains.isLocal(a); });
    QCOMPARE(render(e), expected);
    QCOMPARE(e.authority, authority);
    QCOMPARE(e.skipped.join(QLatin1Char(',')), skipped);
}

void TestRecipients::manyRecipients()
{
    const Extraction e = extractRecipients(many(300), kDefault);
    QCOMPARE(render(e), manyExpected(300));
}

void TestRecipients::noPredicateTakesFirstPresent()
{
    const Extraction e = extractRecipients(
        QByteArray("Delivered-To: catchall@isp.example\nX-Original-To: bob@office.example\n"),
        {QStringLiteral("Delivered-To"), QStringLiteral("X-Original-To")});
    QCOMPARE(render(e), QStringLiteral("catchall@isp.example(Delivered-To)"));
}

QTEST_GUILESS_MAIN(TestRecipients)
#include "tst_recipients.moc"
