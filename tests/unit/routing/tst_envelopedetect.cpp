// Defect 9 (issue 11): the Received: parser the trust rule rests on, and which envelope
// header a provider writes and which hosts form its trace, learned from realistic headers.
#include "routing/AcceptedDomains.h"
#include "routing/EnvelopeDetect.h"
#include "routing/Trace.h"

#include <QTest>

using namespace pollux;
using namespace pollux::routing;

namespace {

const AcceptedDomains kDomains({QStringLiteral("office.example")}, false);

bool isLocal(const QString &a)
{
    return kDomains.isLocal(a);
}

// The provider isp.example; the outside sender's own hop and visible header below.
QByteArray sender(const QByteArray &forged = {})
{
    return "Received: by mail.outside.example (Postfix, from userid 1000) id 77; Mon, 5 Jan "
           "2026 08:59:59 +0000\n" +
           forged + "From: m@outside.example\nTo: list@lists.example\nSubject: x\n";
}

QByteArray postfixLocal(const char *rcpt)
{
    return "Return-Path: <m@outside.example>\nX-Original-To: " + QByteArray(rcpt) +
           "\nDelivered-To: catchall@isp.example\n"
           "Received: from mail.outside.example (mail.outside.example [198.51.100.7])\n"
           "\tby mx.isp.example (Postfix) with ESMTPS id 4Q1x2y\n\tfor <" +
           rcpt + ">; Mon, 5 Jan 2026 09:00:00 +0000 (UTC)\n" + sender();
}

QByteArray dovecotLmtp(const char *rcpt, const char *mx = "mx.isp.example")
{
    return "Return-Path: <m@outside.example>\nDelivered-To: catchall@isp.example\n"
           "Received: from " +
           QByteArray(mx) +
           " ([10.0.0.5])\n\tby imap.isp.example with LMTP\n\tid kLmNoP\n"
           "\t(envelope-from <m@outside.example>)\n\tfor <catchall@isp.example>; Mon, 5 Jan 2026"
           " 09:00:01 +0000\nX-Original-To: " +
           rcpt +
           "\nReceived: from mail.outside.example (mail.outside.example [198.51.100.7])\n\tby " +
           mx + " (Postfix) with ESMTPS id 4Q1x2y; Mon, 5 Jan 2026 09:00:00 +0000\n" +
           sender("X-Original-To: ceo@office.example\n");
}

QByteArray exim(const char *rcpt)
{
    return "Envelope-to: " + QByteArray(rcpt) +
           "\nReceived: from mail.outside.example ([198.51.100.7] helo=mail.outside.example)\n"
           "\tby mx.isp.example with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384\n\t(Exim 4.96)\n"
           "\t(envelope-from <m@outside.example>)\n\tid 1tUvWx-000AbC-2D\n\tfor " +
           rcpt + "; Mon, 05 Jan 2026 09:00:02 +0000\n" + sender();
}

QByteArray receivedOnly(const char *rcpt)
{
    return "Received: from mail.outside.example (mail.outside.example [198.51.100.7])\n"
           "\tby mx1.isp.example (Postfix) with ESMTPS id 9Zz\n\tfor <" +
           QByteArray(rcpt) + ">; Mon, 5 Jan 2026 09:00:00 +0000\n" + sender();
}

QByteArray forgedOnly()
{
    return "Received: from mail.outside.example (mail.outside.example [198.51.100.7])\n"
           "\tby mx.isp.example (Postfix) with ESMTPS id 1; Mon, 5 Jan 2026 09:00:00 +0000\n" +
           sender("X-Original-To: ceo@office.example\n");
}

QByteArray dslCustomer()
{
    return "Delivered-To: catchall@isp.example\n"
           "Received: from dsl-1.dyn.isp.example (dsl-1.dyn.isp.example [203.0.113.9])\n"
           "\tby mx.isp.example (Postfix) with ESMTP id 2; Mon, 5 Jan 2026 09:00:00 +0000\n"
           "X-Original-To: ceo@office.example\n"
           "Received: from evil.example (evil.example [192.0.2.66]) by dsl-1.dyn.isp.example;"
           " Mon, 5 Jan 2026\n" +
           sender();
}

} // namespace

class TestEnvelopeDetect : public QObject
{
    Q_OBJECT
private slots:
    void parseReceived_data();
    void parseReceived();
    void providerHosts();
    void detect_data();
    void detect();
};

void TestEnvelopeDetect::parseReceived_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("from"); // fromNames joined
    QTest::addColumn<QString>("by");
    QTest::addColumn<QString>("forAddresses");

    QTest::newRow("postfix") << QByteArray("from mail.outside.example (mail.outside.example "
                                           "[198.51.100.7]) by mx.isp.example (Postfix) with "
                                           "ESMTPS id 4Q for <bob@office.example>; Mon, 5 Jan")
                             << "mail.outside.example,mail.outside.example"
                             << "mx.isp.example"
                             << "bob@office.example";
    QTest::newRow("postfix-tls-comments")
        << QByteArray("from h.example (unknown [192.0.2.1]) (using TLSv1.3 with cipher X (256/256 "
                      "bits)) (No client certificate requested) by mx.isp.example (Postfix) with "
                      "ESMTPS id 4Q; Mon, 5 Jan")
        << "h.example,unknown"
        << "mx.isp.example"
        << "";
    QTest::newRow("exim-helo") << QByteArray("from [192.0.2.1] (helo=x.example) by mx.isp.example "
                                             "with esmtp id 1 for bob@office.example; Mon")
                               << "x.example"
                               << "mx.isp.example"
                               << "bob@office.example";
    QTest::newRow("sendmail-may-be-forged")
        << QByteArray("from h.example (x.example [192.0.2.1] (may be forged)) by mx.isp.example "
                      "(8.15.2/8.15.2) with ESMTP id 1; Mon")
        << "h.example,x.example,may,be,forged"
        << "mx.isp.example"
        << "";
    QTest::newRow("gmail-trailing-dot-ipv6")
        << QByteArray("from mail-sor-f41.google.com (mail-sor-f41.google.com. [IPv6:2001:db8::1])"
                      " by mx.google.com with SMTPS id x for <bob@office.example>; Mon")
        << "mail-sor-f41.google.com,mail-sor-f41.google.com"
        << "mx.google.com"
        << "bob@office.example";
    QTest::newRow("no-from") << QByteArray("by mx.isp.example (Postfix, from userid 0) id 1; Mon")
                             << ""
                             << "mx.isp.example"
                             << "";
    QTest::newRow("qmail-comment-only")
        << QByteArray("(qmail 1234 invoked from network); Mon") << ""
        << ""
        << "";
    QTest::newRow("for-before-by-ignored")
        << QByteArray("from x for <ceo@office.example> by mx.isp.example id 1; Mon") << "x"
        << "mx.isp.example"
        << "";
    QTest::newRow("helo-with-by-and-for")
        << QByteArray("from x by evil.example for <ceo@office.example> (unknown [192.0.2.1]) by "
                      "mx.isp.example with ESMTP id 1; Mon")
        << "x"
        << "mx.isp.example"
        << "";
    QTest::newRow("unbalanced-comment")
        << QByteArray("from x(for <ceo@office.example> by mx.isp.example for <bob@office.example>")
        << "x,for,<ceo@office.example>,by,mx.isp.example,for,<bob@office.example>"
        << ""
        << "";
    // The quoted local part is one address, and not a usable one.
    QTest::newRow("for-quoted-local-part")
        << QByteArray("from a.example (a.example [192.0.2.1]) by mx.isp.example id 1 for "
                      "<\"x> for <ceo\"@office.example>; Mon")
        << "a.example,a.example"
        << "mx.isp.example"
        << "";
    QTest::newRow("semicolon-in-comment")
        << QByteArray("from a.example (a;b [192.0.2.1]) by mx.isp.example id 1 for "
                      "<bob@office.example> (x;y); Mon, 5 Jan")
        << "a.example,a;b"
        << "mx.isp.example"
        << "bob@office.example";
    QTest::newRow("garbage") << QByteArray("\x01\xff((((<<<;;;") << ""
                             << ""
                             << "";
    QTest::newRow("empty") << QByteArray() << ""
                           << ""
                           << "";
}

void TestEnvelopeDetect::parseReceived()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, from);
    QFETCH(QString, by);
    QFETCH(QString, forAddresses);
    const ReceivedLine line = routing::parseReceived(value);
    QCOMPARE(line.fromNames.join(QLatin1Char(',')), from);
    QCOMPARE(line.byHost, by);
    QCOMPARE(line.forAddresses.join(QLatin1Char(',')), forAddresses);
}

void TestEnvelopeDetect::providerHosts()
{
    const ProviderHosts hosts({QStringLiteral("isp.example"), QStringLiteral(".Other.Example"),
                               QStringLiteral("localhost")});
    QVERIFY(hosts.contains(QStringLiteral("isp.example")));
    QVERIFY(hosts.contains(QStringLiteral("MX1.isp.example")));
    QVERIFY(hosts.contains(QStringLiteral("a.other.example")));
    QVERIFY(!hosts.contains(QStringLiteral("evilisp.example")));
    QVERIFY(!hosts.contains(QStringLiteral("isp.example.evil.example")));
    QVERIFY(!hosts.contains(QStringLiteral("localhost"))); // never a provider host itself
    QVERIFY(!hosts.contains(QString()));
}

void TestEnvelopeDetect::detect_data()
{
    QTest::addColumn<QList<QByteArray>>("headers");
    QTest::addColumn<QString>("envelope");
    QTest::addColumn<QString>("hosts");
    QTest::addColumn<bool>("found");

    const QString defaults =
        QStringLiteral("X-Original-To,Envelope-To,X-Envelope-To,X-RCPT-TO,Delivered-To,Received");
    QTest::newRow("postfix-local") << QList<QByteArray>{postfixLocal("bob@office.example"),
                                                        postfixLocal("alice@office.example"),
                                                        postfixLocal("bob@office.example")}
                                   << "X-Original-To,Received"
                                   << "mx.isp.example" << true;
    QTest::newRow("postfix-dovecot-lmtp")
        << QList<QByteArray>{dovecotLmtp("bob@office.example"), dovecotLmtp("alice@office.example"),
                             dovecotLmtp("carol@office.example")}
        << "X-Original-To,Received"
        << "imap.isp.example,mx.isp.example" << true;
    // Two MX hosts, each in half of the messages: both count.
    QTest::newRow("postfix-dovecot-lmtp-two-mx")
        << QList<QByteArray>{dovecotLmtp("bob@office.example", "mx1.isp.example"),
                             dovecotLmtp("alice@office.example", "mx2.isp.example")}
        << "X-Original-To,Received"
        << "imap.isp.example,mx1.isp.example,mx2.isp.example" << true;
    QTest::newRow("exim") << QList<QByteArray>{exim("bob@office.example"),
                                               exim("alice@office.example")}
                          << "Envelope-To,Received"
                          << "mx.isp.example" << true;
    QTest::newRow("received-for-only") << QList<QByteArray>{receivedOnly("bob@office.example"),
                                                            receivedOnly("alice@office.example")}
                                       << "Received"
                                       << "mx1.isp.example" << true;
    QTest::newRow("forged-fields-only")
        << QList<QByteArray>{forgedOnly(), forgedOnly()} << defaults << "mx.isp.example" << false;
    // One message of four from another customer of the provider: its host is not proposed.
    QTest::newRow("customer-of-the-provider-not-proposed")
        << QList<QByteArray>{postfixLocal("bob@office.example"), dslCustomer(),
                             postfixLocal("alice@office.example"),
                             postfixLocal("bob@office.example")}
        << "X-Original-To,Received"
        << "mx.isp.example" << true;
    QTest::newRow("no-received") << QList<QByteArray>{QByteArray(
                                        "X-Original-To: bob@office.example\n"
                                        "To: bob@office.example\n")}
                                 << defaults << "" << false;
    QTest::newRow("no-messages") << QList<QByteArray>{} << defaults << "" << false;
}

void TestEnvelopeDetect::detect()
{
    QFETCH(QList<QByteArray>, headers);
    QFETCH(QString, envelope);
    QFETCH(QString, hosts);
    QFETCH(bool, found);
    const EnvelopeDetection d = detectEnvelope(headers, isLocal);
    const QString text = describe(d);
    QVERIFY2(d.envelopeHeaders.join(QLatin1Char(',')) == envelope, qPrintable(text));
    QVERIFY2(d.providerHosts.join(QLatin1Char(',')) == hosts, qPrintable(text));
    QCOMPARE(d.found, found);
    QCOMPARE(d.messages, int(headers.size()));
    QVERIFY(text.contains(QLatin1String("=> envelopeHeaders: ") +
                          d.envelopeHeaders.join(QStringLiteral(", "))));
}

QTEST_GUILESS_MAIN(TestEnvelopeDetect)
#include "tst_envelopedetect.moc"
