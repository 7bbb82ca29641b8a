// The router for the three mailbox types, loop protection, accepted domains, the reason
// header, the duplicate key, the directory cache and the dry run.
#include "mail/TraceHeader.h"
#include "routing/AcceptedDomains.h"
#include "routing/Directory.h"
#include "routing/DirectoryFactory.h"
#include "routing/DryRun.h"
#include "routing/LdapDirectory.h"
#include "routing/MessageId.h"
#include "routing/Router.h"
#include "util/Clock.h"

#include <QRegularExpression>
#include <QTest>

using namespace pollux;
using namespace pollux::routing;

namespace {

class TestClock final : public Clock
{
public:
    QDateTime now() const override { return m_now; }
    void advance(int secs) { m_now = m_now.addSecs(secs); }

private:
    QDateTime m_now = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);
};

Config officeConfig()
{
    Config c;
    c.postmaster = QStringLiteral("postmaster@office.example");
    c.acceptedDomains = {QStringLiteral("office.example"), QStringLiteral("bücher.example")};
    return c;
}

AccountConfig account(MailboxType type)
{
    AccountConfig a;
    a.name = QStringLiteral("office catch-all");
    a.mailbox = type;
    a.recipient = QStringLiteral("joe@office.example");
    return a;
}

QByteArray trace(const QString &accountName)
{
    return mail::traceHeader(QStringLiteral("gw.office.example"), QStringLiteral("POP3"),
                             accountName, QStringLiteral("uid-1"),
                             QDateTime(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC));
}

QString actionName(RoutingDecision::Action a)
{
    switch (a) {
    case RoutingDecision::Action::Deliver:
        return QStringLiteral("deliver");
    case RoutingDecision::Action::Wait:
        return QStringLiteral("wait");
    case RoutingDecision::Action::Quarantine:
        return QStringLiteral("quarantine");
    }
    return {};
}

} // namespace

class TestRouter : public QObject
{
    Q_OBJECT
private slots:
    void route_data();
    void route();
    void rerouteAsksOnlyLocalRecipients();
    void loopReasons();
    void noPostmasterQuarantines();
    void acceptedDomains_data();
    void acceptedDomains();
    void reasonHeader_data();
    void reasonHeader();
    void duplicateKey_data();
    void duplicateKey();
    void cacheHonoursTtl();
    void factory();
    void ldapFilter_data();
    void ldapFilter();
    void dryRunDescribes();
};

void TestRouter::route_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QStringList>("recipients");
    QTest::addColumn<QString>("reason"); // postmaster, quarantine or wait reason (prefix)

    const int single = int(MailboxType::SingleUser);
    const int catchAll = int(MailboxType::CatchAll);
    const int reroute = int(MailboxType::CatchAllReroute);
    // The directory used for reroute rows: alice and bob are known, carol is down.
    QTest::newRow("single-user-ignores-headers")
        << single << QByteArray("To: bob@office.example\n") << "deliver"
        << QStringList{QStringLiteral("joe@office.example")} << "";
    QTest::newRow("single-user-no-to") << single << QByteArray("Subject: x\n") << "deliver"
                                       << QStringList{QStringLiteral("joe@office.example")} << "";
    QTest::newRow("catch-all-local-only")
        << catchAll
        << QByteArray("To: bob@office.example, x@foreign.example\nCc: alice@office.example\n")
        << "deliver"
        << QStringList{QStringLiteral("bob@office.example"), QStringLiteral("alice@office.example")}
        << "";
    QTest::newRow("catch-all-dedup")
        << catchAll << QByteArray("To: Bob@office.example\nCc: bob@OFFICE.example\n") << "deliver"
        << QStringList{QStringLiteral("Bob@office.example")} << "";
    QTest::newRow("catch-all-idn")
        << catchAll << QByteArray("To: anna@bücher.example\n") << "deliver"
        << QStringList{QStringLiteral("anna@xn--bcher-kva.example")} << "";
    QTest::newRow("catch-all-no-local-to-postmaster")
        << catchAll << QByteArray("To: a@foreign.example\n") << "deliver" << QStringList()
        << "no local recipient (To: a@foreign.example)";
    QTest::newRow("catch-all-no-recipient-to-postmaster")
        << catchAll << QByteArray("Subject: x\n") << "deliver" << QStringList()
        << "no recipient found in the header";
    QTest::newRow("catch-all-envelope-bcc")
        << catchAll
        << QByteArray("X-Original-To: hidden@office.example\n"
                      "Received: from a.example (a.example [198.51.100.1]) by mx.isp.example id 1;"
                      " Mon, 5 Jan 2026\nTo: a@foreign.example\n")
        << "deliver" << QStringList{QStringLiteral("hidden@office.example")} << "";
    // Defect 8: a forged X-Original-To below the provider's trace grants nothing.
    QTest::newRow("catch-all-forged-envelope-ignored")
        << catchAll
        << QByteArray("Delivered-To: catchall@isp.example\n"
                      "Received: from a.example (a.example [198.51.100.1]) by mx.isp.example id 1;"
                      " Mon, 5 Jan 2026\nX-Original-To: ceo@office.example\n"
                      "To: alice@office.example\n")
        << "deliver" << QStringList{QStringLiteral("alice@office.example")} << "";
    // Defect 10: relay syntax in an accepted domain is not local: the postmaster, never RCPT.
    QTest::newRow("catch-all-percent-hack")
        << catchAll << QByteArray("To: victim%evil.example@office.example, bob@office.example\n")
        << "deliver" << QStringList{QStringLiteral("bob@office.example")}
        << "not a local address, relay syntax (To: victim%evil.example@office.example)";
    QTest::newRow("catch-all-bang-path-only")
        << catchAll << QByteArray("To: evil!victim@office.example\n") << "deliver" << QStringList()
        << "not a local address, relay syntax (To: evil!victim@office.example)";
    QTest::newRow("catch-all-quoted-percent")
        << catchAll << QByteArray("To: \"victim%evil.example\"@office.example\n") << "deliver"
        << QStringList()
        << "not a local address, relay syntax (To: \"victim%evil.example\"@office.example)";
    QTest::newRow("catch-all-quoted-at")
        << catchAll << QByteArray("To: \"victim@evil.example\"@office.example\n") << "deliver"
        << QStringList()
        << "not a local address, relay syntax (To: \"victim@evil.example\"@office.example)";
    QTest::newRow("catch-all-envelope-percent")
        << catchAll
        << QByteArray("X-Original-To: victim%evil.example@office.example\n"
                      "Received: from a.example (a.example [198.51.100.1]) by mx.isp.example id 1;"
                      " Mon, 5 Jan 2026\nTo: alice@office.example\n")
        << "deliver" << QStringList()
        << "not a local address, relay syntax (X-Original-To: victim%evil.example@office.example)";
    QTest::newRow("catch-all-received-for-source-route")
        << catchAll
        << QByteArray("Received: from a.example (a.example [198.51.100.1]) by mx.isp.example id 1"
                      " for <@relay.example,@evil.example:victim@office.example>; Mon, 5 Jan 2026\n"
                      "To: alice@office.example\n")
        << "deliver" << QStringList() << "not a local address, relay syntax (Received: ";
    QTest::newRow("catch-all-source-route-in-to")
        << catchAll << QByteArray("To: <@evil.example:bob@office.example>\n") << "deliver"
        << QStringList{QStringLiteral("bob@office.example")} << "";
    QTest::newRow("reroute-percent-not-asked")
        << reroute << QByteArray("To: alice@office.example, a%b@office.example\n") << "deliver"
        << QStringList{QStringLiteral("alice@office.example")}
        << "not a local address, relay syntax (To: a%b@office.example)";
    QTest::newRow("catch-all-ignores-directory")
        << catchAll << QByteArray("To: nobody@office.example\n") << "deliver"
        << QStringList{QStringLiteral("nobody@office.example")} << "";
    QTest::newRow("reroute-known")
        << reroute << QByteArray("To: alice@office.example\n") << "deliver"
        << QStringList{QStringLiteral("alice@office.example")} << "";
    QTest::newRow("reroute-unknown-replaced")
        << reroute << QByteArray("To: alice@office.example, nobody@office.example\n") << "deliver"
        << QStringList{QStringLiteral("alice@office.example")}
        << "unknown recipient (To: nobody@office.example)";
    QTest::newRow("reroute-all-unknown")
        << reroute << QByteArray("To: nobody@office.example\n") << "deliver" << QStringList()
        << "unknown recipient (To: nobody@office.example)";
    QTest::newRow("reroute-foreign-only")
        << reroute << QByteArray("To: x@foreign.example\n") << "deliver" << QStringList()
        << "no local recipient (To: x@foreign.example)";
    QTest::newRow("reroute-directory-down-waits")
        << reroute << QByteArray("To: alice@office.example, carol@office.example\n") << "wait"
        << QStringList() << "recipient directory unavailable: carol@office.example";
    QTest::newRow("loop-own-trace")
        << catchAll << (trace(QStringLiteral("office catch-all")) + "To: bob@office.example\n")
        << "quarantine" << QStringList() << "loop: the message already passed through Pollux";
    QTest::newRow("loop-own-trace-single-user")
        << single << (trace(QStringLiteral("office catch-all")) + "To: bob@office.example\n")
        << "quarantine" << QStringList() << "loop:";
    QTest::newRow("trace-of-other-account-is-fine")
        << catchAll << (trace(QStringLiteral("other")) + "To: bob@office.example\n") << "deliver"
        << QStringList{QStringLiteral("bob@office.example")} << "";
    QByteArray many;
    for (int i = 0; i < 51; ++i)
        many += "Received: by hop" + QByteArray::number(i) + ".example; Mon, 1 Jan 2024\n";
    QTest::newRow("loop-51-received")
        << catchAll << (many + "To: bob@office.example\n") << "quarantine" << QStringList()
        << "loop: 51 Received: headers";
    QByteArray fifty;
    for (int i = 0; i < 50; ++i)
        fifty += "Received: by hop" + QByteArray::number(i) + ".example; Mon, 1 Jan 2024\n";
    QTest::newRow("fifty-received-is-fine")
        << catchAll << (fifty + "To: bob@office.example\n") << "deliver"
        << QStringList{QStringLiteral("bob@office.example")} << "";
}

void TestRouter::route()
{
    QFETCH(int, type);
    QFETCH(QByteArray, header);
    QFETCH(QString, action);
    QFETCH(QStringList, recipients);
    QFETCH(QString, reason);

    FixedDirectory directory(
        {{QStringLiteral("alice@office.example"), DirectoryStatus::Known},
         {QStringLiteral("bob@office.example"), DirectoryStatus::Known},
         {QStringLiteral("carol@office.example"), DirectoryStatus::Unavailable}});
    const RoutingDecision d =
        pollux::routing::route(account(MailboxType(type)), officeConfig(), header, &directory);
    QCOMPARE(actionName(d.action), action);
    QCOMPARE(d.recipients, recipients);
    const QString actual = d.action == RoutingDecision::Action::Quarantine ? d.quarantineReason
                           : d.action == RoutingDecision::Action::Wait     ? d.waitReason
                                                                           : d.postmasterReason;
    if (reason.isEmpty())
        QCOMPARE(actual, QString());
    else
        QVERIFY2(actual.startsWith(reason), qPrintable(actual));
    if (!d.postmasterReason.isEmpty())
        QCOMPARE(d.postmaster, QStringLiteral("postmaster@office.example"));
}

void TestRouter::rerouteAsksOnlyLocalRecipients()
{
    FixedDirectory directory({}, DirectoryStatus::Known);
    const RoutingDecision d = pollux::routing::route(
        account(MailboxType::CatchAllReroute), officeConfig(),
        "To: a@foreign.example, b@office.example, B@office.example\n", &directory);
    QCOMPARE(directory.lookups(), 1);
    QCOMPARE(d.details.size(), 2);
    QCOMPARE(d.details.at(0).fate, Fate::Foreign);
    QCOMPARE(d.details.at(1).fate, Fate::Deliver);
}

void TestRouter::loopReasons()
{
    const QByteArray folded =
        "Received: by gw (Pollux) with IMAP\r\n\t(account office_catch-all) id "
        "7;\r\n\tMon, 1 Jan 2024 10:00:00 +0000\r\n";
    // The trace writes spaces of the account name as '_' (mail/TraceHeader.cpp).
    QVERIFY(!loopReason(splitHeaderFields(folded), QStringLiteral("office catch-all")).isEmpty());
    QVERIFY(loopReason(splitHeaderFields(folded), QStringLiteral("office")).isEmpty());
    QVERIFY(loopReason(splitHeaderFields("Received: by x (account office catch-all); d\n"),
                       QStringLiteral("office catch-all"))
                .isEmpty());
}

void TestRouter::noPostmasterQuarantines()
{
    Config c = officeConfig();
    c.postmaster.clear();
    const RoutingDecision d = pollux::routing::route(account(MailboxType::CatchAll), c,
                                                     "To: x@foreign.example\n", nullptr);
    QCOMPARE(d.action, RoutingDecision::Action::Quarantine);
    QVERIFY(d.quarantineReason.contains(QLatin1String("no postmaster")));
}

void TestRouter::acceptedDomains_data()
{
    QTest::addColumn<bool>("subdomains");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("local");
    QTest::newRow("exact") << false << "a@office.example" << true;
    QTest::newRow("upper-case") << false << "a@OFFICE.Example" << true;
    QTest::newRow("bare-domain") << false << "office.example" << true;
    QTest::newRow("trailing-dot") << false << "a@office.example." << true;
    QTest::newRow("subdomain-off") << false << "a@sub.office.example" << false;
    QTest::newRow("subdomain-on") << true << "a@sub.office.example" << true;
    QTest::newRow("deep-subdomain-on") << true << "a@x.y.office.example" << true;
    QTest::newRow("suffix-is-not-subdomain") << true << "a@evil-office.example" << false;
    QTest::newRow("parent-is-not-local") << true << "a@example" << false;
    QTest::newRow("idn-unicode") << false << "a@Bücher.example" << true;
    QTest::newRow("idn-ace") << false << "a@xn--bcher-kva.example" << true;
    QTest::newRow("idn-subdomain") << true << "a@x.bücher.example" << true;
    QTest::newRow("foreign") << true << "a@foreign.example" << false;
    QTest::newRow("empty") << true << "" << false;
    QTest::newRow("garbage") << true << "@@@" << false;
}

void TestRouter::acceptedDomains()
{
    QFETCH(bool, subdomains);
    QFETCH(QString, address);
    QFETCH(bool, local);
    const AcceptedDomains d(
        {QStringLiteral("Office.Example"), QStringLiteral("xn--bcher-kva.example")}, subdomains);
    QCOMPARE(d.isLocal(address), local);
}

void TestRouter::reasonHeader_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("short") << "no local recipient (To: a@x.example)"
                           << QByteArray(
                                  "X-Pollux-Reason: no local recipient (To: a@x.example)\r\n");
    QTest::newRow("crlf-injection")
        << "x\r\nBcc: evil@x.example" << QByteArray("X-Pollux-Reason: x Bcc: evil@x.example\r\n");
    QTest::newRow("utf8") << QStringLiteral("für")
                          << QByteArray("X-Pollux-Reason: =?UTF-8?B?ZsO8cg==?=\r\n");
    QTest::newRow("long-folded")
        << QStringLiteral("unknown recipient (To: aaaaaaaaaaaaaaaa@office.example, Cc: "
                          "bbbbbbbbbbbbbbbbbbbb@office.example)")
        << QByteArray("X-Pollux-Reason: unknown recipient (To: aaaaaaaaaaaaaaaa@office.example, "
                      "Cc:\r\n\tbbbbbbbbbbbbbbbbbbbb@office.example)\r\n");
}

void TestRouter::reasonHeader()
{
    QFETCH(QString, reason);
    QFETCH(QByteArray, expected);
    QCOMPARE(pollux::routing::reasonHeader(reason), expected);
}

void TestRouter::duplicateKey_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("key");
    QTest::newRow("plain") << QByteArray("Message-ID: <abc@host.example>\n") << "abc@host.example";
    QTest::newRow("case-of-domain")
        << QByteArray("Message-Id: <AbC@HOST.Example>\n") << "AbC@host.example";
    QTest::newRow("comment-and-space")
        << QByteArray("Message-ID: (x) < abc@host.example > (y)\n") << "abc@host.example";
    QTest::newRow("folded") << QByteArray("Message-ID:\n <abc@host.example>\n")
                            << "abc@host.example";
    QTest::newRow("no-brackets") << QByteArray("Message-ID: abc@host.example\n")
                                 << "abc@host.example";
    QTest::newRow("first-of-two") << QByteArray("Message-ID: <a@x>\nMessage-ID: <b@x>\n") << "a@x";
    QTest::newRow("missing") << QByteArray("Subject: x\n") << "";
    QTest::newRow("empty") << QByteArray("Message-ID: <>\n") << "";
    QTest::newRow("garbage") << QByteArray("Message-ID: \x01\x02\n") << "";
}

void TestRouter::duplicateKey()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, key);
    QCOMPARE(pollux::routing::duplicateKey(header), key);
}

void TestRouter::cacheHonoursTtl()
{
    TestClock clock;
    auto inner = std::make_unique<FixedDirectory>(
        QHash<QString, DirectoryStatus>{
            {QStringLiteral("a@office.example"), DirectoryStatus::Known},
            {QStringLiteral("down@office.example"), DirectoryStatus::Unavailable}},
        DirectoryStatus::Unknown);
    FixedDirectory *fixed = inner.get();
    CachedDirectory cache(std::move(inner), 60, &clock);
    QCOMPARE(cache.lookup(QStringLiteral("a@office.example")).status, DirectoryStatus::Known);
    QCOMPARE(cache.lookup(QStringLiteral("A@Office.example")).status, DirectoryStatus::Known);
    QCOMPARE(cache.lookup(QStringLiteral("x@office.example")).status, DirectoryStatus::Unknown);
    QCOMPARE(cache.lookup(QStringLiteral("x@office.example")).status, DirectoryStatus::Unknown);
    QCOMPARE(fixed->lookups(), 2);
    QCOMPARE(cache.lookup(QStringLiteral("down@office.example")).status,
             DirectoryStatus::Unavailable);
    QCOMPARE(cache.lookup(QStringLiteral("down@office.example")).status,
             DirectoryStatus::Unavailable);
    QCOMPARE(fixed->lookups(), 4); // never cached
    clock.advance(59);
    (void)cache.lookup(QStringLiteral("a@office.example"));
    QCOMPARE(fixed->lookups(), 4);
    clock.advance(1);
    (void)cache.lookup(QStringLiteral("a@office.example"));
    QCOMPARE(fixed->lookups(), 5);
}

void TestRouter::factory()
{
    TestClock clock;
    Config c = officeConfig();
    QVERIFY(!makeDirectory(c, {}, {}, &clock));
    c.directory.type = DirectoryType::Ldap;
    c.directory.ldapUrl = QStringLiteral("ldaps://dc.office.example");
    QVERIFY(dynamic_cast<CachedDirectory *>(makeDirectory(c, {}, {}, &clock).get()));
    c.directory.type = DirectoryType::SmtpProbe;
    c.smtp.host = QStringLiteral("mail.office.example");
    QVERIFY(dynamic_cast<CachedDirectory *>(makeDirectory(c, {}, {}, &clock).get()));
}

void TestRouter::ldapFilter_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("filter");
    QTest::newRow("plain") << "a@x.example"
                           << "(|(mail=a@x.example)(proxyAddresses=smtp:a@x.example))";
    QTest::newRow("injection")
        << "\"a*)(uid=*\"@x"
        << "(|(mail=\"a\\2a\\29\\28uid=\\2a\"@x)(proxyAddresses=smtp:\"a\\2a\\29\\28uid=\\2a\"@x))";
    QTest::newRow("backslash") << "a\\b@x"
                               << "(|(mail=a\\5cb@x)(proxyAddresses=smtp:a\\5cb@x))";
    QTest::newRow("nul") << QStringLiteral("a") + QChar(0) + QStringLiteral("@x")
                         << "(|(mail=a\\00@x)(proxyAddresses=smtp:a\\00@x))";
    QTest::newRow("utf8-kept") << "jürgen@x"
                               << "(|(mail=jürgen@x)(proxyAddresses=smtp:jürgen@x))";
}

void TestRouter::ldapFilter()
{
    QFETCH(QString, address);
    QFETCH(QString, filter);
    QCOMPARE(buildFilter(QStringLiteral("(|(mail=%s)(proxyAddresses=smtp:%s))"), address), filter);
}

void TestRouter::dryRunDescribes()
{
    const QList<DryRunResult> results =
        dryRun(account(MailboxType::CatchAllReroute), officeConfig(),
               {{QStringLiteral("17"),
                 "From: =?utf-8?Q?J=C3=BCrgen?= <j@foreign.example>\nSubject: Offer\n"
                 "Delivered-To: catchall@isp.example\nX-Original-To: nobody@office.example\n"
                 "Received: from a.example (a.example [198.51.100.1]) by mx.isp.example id 1;"
                 " Mon, 5 Jan 2026\nX-Original-To: ceo@office.example\n"
                 "To: x@foreign.example\n"}},
               nullptr);
    QCOMPARE(results.size(), 1);
    const QString text = describe(results.first());
    QVERIFY2(
        text.startsWith(QStringLiteral("message 17: \"Offer\" from Jürgen <j@foreign.example>\n")),
        qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("recipients from X-Original-To")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("=> deliver to nobody@office.example")), qPrintable(text));
    // Defect 8: the forged copy below the provider's trace is shown and not used.
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral(
                 "ceo@office.example +X-Original-To +untrusted \\(below the provider's trace\\)"))),
             qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("deliver to ceo")), qPrintable(text));

    FixedDirectory none({}, DirectoryStatus::Unknown);
    const QString rerouted =
        describe(dryRun(account(MailboxType::CatchAllReroute), officeConfig(),
                        {{QStringLiteral("18"), "To: nobody@office.example\n"}}, &none)
                     .first());
    QVERIFY2(rerouted.contains(QLatin1String("postmaster")), qPrintable(rerouted));
    QVERIFY2(rerouted.contains(QLatin1String("=> copy to the postmaster postmaster@office.example: "
                                             "unknown recipient (To: nobody@office.example)")),
             qPrintable(rerouted));
}

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
