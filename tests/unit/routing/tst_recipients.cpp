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

// The provider's inbound hop, without a "for" clause (Postfix writes none for several
// recipients): the envelope fields above it are the provider's.
const QByteArray kInbound =
    "Received: from mx.sender.example (mx.sender.example [198.51.100.7])\n"
    "\tby mx.isp.example (Postfix) with ESMTP id 4AbC; Mon, 5 Jan 2026 09:00:00 +0000\n";

// A row whose header the provider received: its inbound Received: under the fields.
void envRow(const char *name, const QByteArray &header, const char *expected,
            const char *authority = "", const QStringList &envelope = kDefault,
            const char *skipped = "")
{
    row(name, header + kInbound, expected, authority, envelope, skipped);
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
    void trust_data();
    void trust();
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
    envRow("envelope-x-original-to",
           "To: alice@office.example\nX-Original-To: bob@office.example\n",
           "bob@office.example(X-Original-To)", "X-Original-To");
    envRow("envelope-bcc-recipient-via-envelope",
           "To: alice@foreign.example\nX-Original-To: hidden@office.example\n",
           "hidden@office.example(X-Original-To)", "X-Original-To");
    envRow("envelope-delivered-to-foreign-skipped",
           "Delivered-To: catchall@isp.example\nX-Original-To: bob@office.example\n",
           "bob@office.example(X-Original-To)", "X-Original-To",
           {QStringLiteral("Delivered-To"), QStringLiteral("X-Original-To")}, "Delivered-To");
    envRow("envelope-several-occurrences",
           "Delivered-To: a@office.example\nDelivered-To: b@office.example\nTo: c@office.example\n",
           "a@office.example(Delivered-To) b@office.example(Delivered-To)", "Delivered-To");
    envRow("envelope-mixed-local-foreign-occurrences",
           "Delivered-To: catchall@isp.example\nDelivered-To: bob@office.example\n",
           "catchall@isp.example(Delivered-To) bob@office.example(Delivered-To)", "Delivered-To");
    envRow("envelope-first-of-list-wins",
           "Envelope-To: a@office.example\nX-Original-To: b@office.example\n",
           "b@office.example(X-Original-To)", "X-Original-To");
    envRow("envelope-custom-order",
           "Envelope-To: a@office.example\nX-Original-To: b@office.example\n",
           "a@office.example(Envelope-To)", "Envelope-To",
           {QStringLiteral("Envelope-To"), QStringLiteral("X-Original-To")});
    envRow("envelope-absent-visible-used", "To: a@office.example\nCc: b@office.example\n",
           "a@office.example(To) b@office.example(Cc)");
    envRow("envelope-only-foreign-falls-back",
           "Delivered-To: catchall@isp.example\nTo: bob@office.example\n", "bob@office.example(To)",
           "", kDefault, "Delivered-To");
    envRow("envelope-empty-value", "X-Original-To:\nTo: bob@office.example\n",
           "bob@office.example(To)", "", kDefault, "X-Original-To");
    envRow("envelope-list-empty", "X-Original-To: bob@office.example\nTo: alice@office.example\n",
           "alice@office.example(To)", "", QStringList());
    envRow("envelope-x-rcpt-to", "X-RCPT-TO: <bob@office.example>\n",
           "bob@office.example(X-RCPT-TO)", "X-RCPT-TO");
    envRow("envelope-x-envelope-to", "X-Envelope-To: bob@office.example\n",
           "bob@office.example(X-Envelope-To)", "X-Envelope-To");
    envRow("envelope-to-list", "Envelope-To: a@office.example, b@office.example\n",
           "a@office.example(Envelope-To) b@office.example(Envelope-To)", "Envelope-To");
    envRow("envelope-field-name-case", "x-original-to: bob@office.example\n",
           "bob@office.example(X-Original-To)", "X-Original-To");
    envRow("envelope-with-display-name", "X-Original-To: Bob <bob@office.example>\n",
           "bob@office.example(X-Original-To)", "X-Original-To");
    envRow("envelope-garbage-falls-back", "X-Original-To: ((((\nTo: bob@office.example\n",
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
    // An earlier hop's "for" is not the provider's: it grants nothing (defect 8).
    row("received-lower-for-untrusted",
        "Received: by mx.isp.example; Tue, 2 Jan 2024\n"
        "Received: by lists.example for <bob@office.example>; Tue, 2 Jan 2024\n",
        "", "", rcv);
    row("received-without-for", "Received: from a by b; Mon, 1 Jan 2024\nTo: c@office.example\n",
        "c@office.example(To)", "", rcv);
    row("received-for-word-in-hostname",
        "Received: from forest.example (for.example [192.0.2.1]) by mx; Mon, 1 Jan 2024\n"
        "To: c@office.example\n",
        "c@office.example(To)", "", rcv);
    row("received-not-in-list",
        "Received: by mx for <bob@office.example>; Mon, 1 Jan 2024\nTo: alice@office.example\n",
        "alice@office.example(To)", "", {QStringLiteral("X-Original-To")});
    row("received-in-default-list",
        "Received: by mx for <bob@office.example>; Mon, 1 Jan 2024\nTo: alice@office.example\n",
        "bob@office.example(Received)", "Received");
    row("received-after-other-envelope",
        "Delivered-To: carol@office.example\n"
        "Received: by mx for <bob@office.example>; Mon, 1 Jan 2024\n",
        "carol@office.example(Delivered-To)", "Delivered-To",
        {QStringLiteral("Delivered-To"), QStringLiteral("Received")});

    // --- mailing lists and resent ---
    envRow("mailing-list-with-envelope",
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

// Defect 8 (issue 11): only what the provider's own hosts wrote counts. Real shapes of
// Postfix, Postfix -> Dovecot LMTP and Exim, each with copies the sender forged further down.
// Local domains as in corpus(); the provider is isp.example.
void TestRecipients::trust_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QStringList>("hosts");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("authority");
    QTest::addColumn<QString>("untrusted");

    const QStringList none;
    const QStringList isp{QStringLiteral("isp.example")};
    const QByteArray postfixIn = "Received: from mail.outside.example (mail.outside.example "
                                 "[198.51.100.7])\n\tby mx.isp.example (Postfix) with ESMTPS id "
                                 "4Q1x2y\n\tfor <bob@office.example>; Mon, 5 Jan 2026 09:00:00 "
                                 "+0000 (UTC)\n";
    const QByteArray postfixInNoFor =
        "Received: from mail.outside.example (mail.outside.example [198.51.100.7])\n"
        "\tby mx.isp.example (Postfix) with ESMTPS id 4Q1x2y; Mon, 5 Jan 2026 09:00:00 +0000\n";
    const QByteArray senderHop = "Received: by mail.outside.example (Postfix, from userid 1000)"
                                 " id 77; Mon, 5 Jan 2026 08:59:59 +0000\n";
    const QByteArray visible = "From: Mallory <m@outside.example>\nTo: list@lists.example\n"
                               "Subject: hello\n";
    const QByteArray dovecot = "Return-Path: <m@outside.example>\n"
                               "Delivered-To: catchall@isp.example\n"
                               "Received: from mx.isp.example ([10.0.0.5])\n\tby imap.isp.example"
                               " with LMTP\n\tid kLmNoP\n\t(envelope-from <m@outside.example>)\n"
                               "\tfor <catchall@isp.example>; Mon, 5 Jan 2026 09:00:01 +0000\n";
    auto add = [](const char *name, const QByteArray &header, const QStringList &hosts,
                  const char *expected, const char *authority, const char *untrusted) {
        QTest::newRow(name) << header << hosts << QString::fromUtf8(expected)
                            << QString::fromUtf8(authority) << QString::fromUtf8(untrusted);
    };

    // --- Postfix local delivery: X-Original-To / Delivered-To on top ---
    add("postfix-local",
        "Return-Path: <m@outside.example>\nX-Original-To: bob@office.example\n"
        "Delivered-To: catchall@isp.example\n" +
            postfixIn + senderHop + visible,
        none, "bob@office.example(X-Original-To)", "X-Original-To", "");
    add("postfix-local-forged-x-original-to-adds-nothing",
        "X-Original-To: bob@office.example\nDelivered-To: catchall@isp.example\n" + postfixIn +
            senderHop + "X-Original-To: ceo@office.example\n" + visible,
        none, "bob@office.example(X-Original-To)", "X-Original-To",
        "ceo@office.example(X-Original-To)");
    add("postfix-delivered-to-only-forged-x-original-to-replaces-nothing",
        "Delivered-To: bob@office.example\n" + postfixInNoFor + senderHop +
            "X-Original-To: ceo@office.example\n" + visible,
        none, "bob@office.example(Delivered-To)", "Delivered-To",
        "ceo@office.example(X-Original-To)");
    add("postfix-forged-only-falls-back-to-visible",
        "Delivered-To: catchall@isp.example\n" + postfixInNoFor + senderHop +
            "X-Original-To: ceo@office.example\nDelivered-To: ceo@office.example\n"
            "To: alice@office.example\n",
        isp, "alice@office.example(To)", "",
        "ceo@office.example(X-Original-To) ceo@office.example(Delivered-To)");
    add("postfix-several-recipients-lower-for-grants-nothing",
        "Delivered-To: catchall@isp.example\n" + postfixInNoFor +
            "Received: from x by mail.outside.example for <ceo@office.example>; Mon, 5 Jan 2026\n"
            "To: alice@office.example\n",
        none, "alice@office.example(To)", "", "ceo@office.example(Received)");
    add("postfix-forged-folded",
        "X-Original-To: bob@office.example\n" + postfixIn +
            "X-Original-To:\n\tceo@office.example\n" + visible,
        none, "bob@office.example(X-Original-To)", "X-Original-To",
        "ceo@office.example(X-Original-To)");
    add("postfix-forged-odd-case-and-space-before-colon",
        "Delivered-To: catchall@isp.example\n" + postfixInNoFor +
            "x-ORIGINAL-to  : ceo@office.example\nTo: alice@office.example\n",
        none, "alice@office.example(To)", "", "ceo@office.example(X-Original-To)");
    add("postfix-duplicated-on-top-both-count",
        "X-Original-To: bob@office.example\nX-Original-To: alice@office.example\n" + postfixIn,
        none, "bob@office.example(X-Original-To) alice@office.example(X-Original-To)",
        "X-Original-To", "");
    add("postfix-idn-upper-case",
        "X-Original-To: Bob@BÜCHER.example\n" + postfixIn + "X-Original-To: ceo@BÜCHER.EXAMPLE\n",
        none, "Bob@xn--bcher-kva.example(X-Original-To)", "X-Original-To",
        "ceo@xn--bcher-kva.example(X-Original-To)");

    // --- Postfix -> Dovecot LMTP: Delivered-To above Dovecot's line, X-Original-To between ---
    const QByteArray lmtp = dovecot + "X-Original-To: bob@office.example\n" + postfixInNoFor +
                            senderHop + "X-Original-To: ceo@office.example\n" +
                            "To: alice@office.example\n";
    add("dovecot-lmtp-with-provider-hosts", lmtp, isp, "bob@office.example(X-Original-To)",
        "X-Original-To", "ceo@office.example(X-Original-To)");
    add("dovecot-lmtp-exact-hosts", lmtp,
        {QStringLiteral("mx.isp.example"), QStringLiteral("imap.isp.example")},
        "bob@office.example(X-Original-To)", "X-Original-To", "ceo@office.example(X-Original-To)");
    add("dovecot-lmtp-without-hosts-trusts-only-the-top", lmtp, none, "alice@office.example(To)",
        "", "bob@office.example(X-Original-To) ceo@office.example(X-Original-To)");
    QByteArray lmtpFor = lmtp;
    lmtpFor.replace("for <catchall@isp.example>", "for <bob@office.example>");
    add("dovecot-lmtp-for-without-hosts", lmtpFor, none, "bob@office.example(Received)", "Received",
        "bob@office.example(X-Original-To) ceo@office.example(X-Original-To)");

    // --- Exim: Envelope-To on top ---
    const QByteArray exim = "Envelope-to: bob@office.example\n"
                            "Delivery-date: Mon, 05 Jan 2026 09:00:02 +0000\n"
                            "Received: from mail.outside.example ([198.51.100.7] "
                            "helo=mail.outside.example)\n\tby mx.isp.example with esmtps "
                            "(TLS1.3) tls TLS_AES_256_GCM_SHA384\n\t(Exim 4.96)\n"
                            "\t(envelope-from <m@outside.example>)\n\tid 1tUvWx-000AbC-2D\n"
                            "\tfor bob@office.example; Mon, 05 Jan 2026 09:00:02 +0000\n";
    add("exim", exim + senderHop + visible, none, "bob@office.example(Envelope-To)", "Envelope-To",
        "");
    add("exim-forged-envelope-to", exim + senderHop + "Envelope-To: ceo@office.example\n" + visible,
        isp, "bob@office.example(Envelope-To)", "Envelope-To", "ceo@office.example(Envelope-To)");

    // --- attacks on the trace itself ---
    add("no-received-at-all-trusts-nothing",
        "X-Original-To: ceo@office.example\nTo: alice@office.example\n", isp,
        "alice@office.example(To)", "", "ceo@office.example(X-Original-To)");
    add("helo-claims-provider-host-rdns-unknown",
        "Delivered-To: catchall@isp.example\n"
        "Received: from mx9.isp.example (unknown [203.0.113.5])\n\tby mx.isp.example (Postfix) "
        "with ESMTP id 1; Mon, 5 Jan 2026\nX-Original-To: ceo@office.example\n"
        "Received: from evil.example by mx2.isp.example; Mon, 5 Jan 2026\n"
        "To: alice@office.example\n",
        isp, "alice@office.example(To)", "", "ceo@office.example(X-Original-To)");
    add("exim-without-rdns-helo-localhost",
        "Received: from [203.0.113.5] (helo=localhost)\n\tby mx.isp.example with esmtp id 1;"
        " Mon, 5 Jan 2026\nX-Original-To: ceo@office.example\n"
        "Received: from evil.example by mx.isp.example; Mon, 5 Jan 2026\n"
        "To: alice@office.example\n",
        isp, "alice@office.example(To)", "", "ceo@office.example(X-Original-To)");
    add("bare-helo-from-public-address",
        "Received: from mx.isp.example ([203.0.113.5]) by mx.isp.example with ESMTP id 1; Mon, 5 "
        "Jan 2026\nX-Original-To: ceo@office.example\n"
        "Received: from evil.example by mx.isp.example; Mon, 5 Jan 2026\n"
        "To: alice@office.example\n",
        isp, "alice@office.example(To)", "", "ceo@office.example(X-Original-To)");
    add("for-inside-envelope-from-comment",
        "Received: from mx.isp.example ([10.0.0.5]) by imap.isp.example with LMTP id 1\n"
        "\t(envelope-from <\"x) for <ceo@office.example> (x\"@evil.example>); Mon, 5 Jan 2026\n"
        "To: alice@office.example\n",
        none, "alice@office.example(To)", "", "");
    add("for-in-helo-with-spaces",
        "Received: from x by evil for <ceo@office.example> (unknown [203.0.113.5])\n"
        "\tby mx.isp.example (Postfix) with ESMTP id 1; Mon, 5 Jan 2026\n"
        "To: alice@office.example\n",
        none, "alice@office.example(To)", "", "");
    add("for-word-in-comment-of-provider-line",
        "Received: from mail.outside.example (mail.outside.example [198.51.100.7]) by "
        "mx.isp.example (for <ceo@office.example>) with ESMTP id 1; Mon, 5 Jan 2026\n"
        "To: alice@office.example\n",
        none, "alice@office.example(To)", "", "");
    add("for-with-several-addresses",
        "Received: from mail.outside.example (mail.outside.example [198.51.100.7]) by "
        "mx.isp.example with ESMTP id 1 for <bob@office.example>, <alice@office.example>;"
        " Mon, 5 Jan 2026\nTo: x@office.example\n",
        none, "bob@office.example(Received) alice@office.example(Received)", "Received", "");
    add("for-followed-by-more-clauses",
        "Received: from mail.outside.example (mail.outside.example [198.51.100.7]) by "
        "mx.isp.example for <ceo@office.example> with ESMTP id 1; Mon, 5 Jan 2026\n"
        "To: alice@office.example\n",
        none, "alice@office.example(To)", "", "");
    // The sender's message starts with a continuation line: it is folded onto the
    // provider's inbound Received:, after the provider's date.
    add("sender-continuation-folded-onto-provider-line",
        "Received: from mail.outside.example (mail.outside.example [198.51.100.7]) by "
        "mx.isp.example with ESMTP id 1 for <bob@office.example>; Mon, 5 Jan 2026\n"
        "\tfor <ceo@office.example>; Mon, 5 Jan 2026\nTo: alice@office.example\n",
        none, "bob@office.example(Received)", "Received", "");
    add("received-header-name-odd-case",
        "RECEIVED : from mail.outside.example (mail.outside.example [198.51.100.7]) by "
        "mx.isp.example id 1 for <bob@office.example>; Mon, 5 Jan 2026\n"
        "received: from x by y for <ceo@office.example>; Mon, 5 Jan 2026\n",
        none, "bob@office.example(Received)", "Received", "ceo@office.example(Received)");
}

void TestRecipients::trust()
{
    QFETCH(QByteArray, header);
    QFETCH(QStringList, hosts);
    QFETCH(QString, expected);
    QFETCH(QString, authority);
    QFETCH(QString, untrusted);
    const AcceptedDomains domains(
        {QStringLiteral("office.example"), QStringLiteral("bücher.example")}, false);
    const Extraction e = extractRecipients(
        header, kDefault, [&](const QString &a) { return domains.isLocal(a); }, hosts);
    QCOMPARE(render(e), expected);
    QCOMPARE(e.authority, authority);
    QStringList parts;
    for (const FoundRecipient &r : e.untrusted)
        parts << r.address + QLatin1Char('(') + r.source + QLatin1Char(')');
    QCOMPARE(parts.join(QLatin1Char(' ')), untrusted);
}

void TestRecipients::manyRecipients()
{
    const Extraction e = extractRecipients(many(300), kDefault);
    QCOMPARE(render(e), manyExpected(300));
}

void TestRecipients::noPredicateTakesFirstPresent()
{
    const Extraction e = extractRecipients(
        QByteArray("Delivered-To: catchall@isp.example\nX-Original-To: bob@office.example\n") +
            kInbound,
        {QStringLiteral("Delivered-To"), QStringLiteral("X-Original-To")});
    QCOMPARE(render(e), QStringLiteral("catchall@isp.example(Delivered-To)"));
}

QTEST_GUILESS_MAIN(TestRecipients)
#include "tst_recipients.moc"
