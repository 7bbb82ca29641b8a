// Issue 12, item 6: what routing cannot read completely - a recipient field past a bound,
// syntax that never ends, a header that never ends or has too many fields - is never
// delivered to the recipients read alone: the postmaster gets a copy with the reason.
// Local domain: office.example.
#include "config/Config.h"
#include "routing/Address.h"
#include "routing/DryRun.h"
#include "routing/HeaderFields.h"
#include "routing/Recipients.h"
#include "routing/Router.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::routing;

namespace {

using Problem = AddressList::Problem;

QString problemName(Problem p)
{
    switch (p) {
    case Problem::None:
        return QStringLiteral("none");
    case Problem::Cut:
        return QStringLiteral("cut");
    case Problem::Unterminated:
        return QStringLiteral("unterminated");
    case Problem::TooMany:
        return QStringLiteral("too many");
    case Problem::Unreadable:
        return QStringLiteral("unreadable");
    }
    return {};
}

// "user0@office.example, user1@office.example, ..." (folded like a real header when `fold`).
QByteArray addresses(int n, bool fold = false)
{
    QByteArray out;
    out.reserve(n * 26);
    for (int i = 0; i < n; ++i) {
        if (i)
            out += fold ? ",\r\n " : ", ";
        out += "user" + QByteArray::number(i) + "@office.example";
    }
    return out;
}

QStringList expectedUsers(int n)
{
    QStringList out;
    for (int i = 0; i < n; ++i)
        out << QStringLiteral("user%1@office.example").arg(i);
    return out;
}

Config officeConfig(bool postmaster = true)
{
    Config c;
    if (postmaster)
        c.postmaster = QStringLiteral("postmaster@office.example");
    c.acceptedDomains = {QStringLiteral("office.example")};
    return c;
}

AccountConfig catchAll()
{
    AccountConfig a;
    a.name = QStringLiteral("office");
    a.mailbox = MailboxType::CatchAll;
    return a;
}

const QByteArray kInbound =
    "Received: from mx.sender.example (mx.sender.example [198.51.100.7])\r\n"
    "\tby mx.isp.example (Postfix) with ESMTP id 4AbC; Mon, 5 Jan 2026 09:00:00 +0000\r\n";

} // namespace

class TestRecipientBounds : public QObject
{
    Q_OBJECT
private slots:
    void addressList_data();
    void addressList();
    void headerBounds_data();
    void headerBounds();
    void largeRealisticFieldReadCompletely();
    void hundredThousandAddresses();
    void oneBudgetForAllFields();
    void route_data();
    void route();
    void noPostmasterQuarantines();
    void dryRunShowsTheReason();
    void dryRunOfAFileReadsAsDeliveryDoes();
};

void TestRecipientBounds::addressList_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("cut");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("detail"); // prefix

    const auto list = [](std::initializer_list<const char *> names) {
        QStringList out;
        for (const char *n : names)
            out << QString::fromLatin1(n);
        return out;
    };
    QTest::newRow("complete") << QByteArray("a@office.example, Bob <b@office.example>") << false
                              << list({"a@office.example", "b@office.example"}) << "none"
                              << "";
    QTest::newRow("group-expanded")
        << QByteArray("team: a@office.example, b@office.example;, c@office.example") << false
        << list({"a@office.example", "b@office.example", "c@office.example"}) << "none"
        << "";
    QTest::newRow("empty-group") << QByteArray("undisclosed-recipients:;") << false << list({})
                                 << "none"
                                 << "";
    QTest::newRow("outlook-semicolons") << QByteArray("a@office.example; b@office.example") << false
                                        << list({"a@office.example", "b@office.example"}) << "none"
                                        << "";
    QTest::newRow("colons-in-quoted-name") << QByteArray("\"Re: Fwd: Bob\" <b@office.example>")
                                           << false << list({"b@office.example"}) << "none"
                                           << "";
    QTest::newRow("source-route-in-angle") << QByteArray("<@a.example,@b.example:b@office.example>")
                                           << false << list({"b@office.example"}) << "none"
                                           << "";
    // An address literal is never local (normaliseDomain), but its ':' split nothing.
    QTest::newRow("ipv6-literal") << QByteArray(
                                         "a@office.example, b@[IPv6:2001:db8::1], c@office.example")
                                  << false << list({"a@office.example", "c@office.example"})
                                  << "none"
                                  << "";
    QTest::newRow("nested-comments-closed")
        << QByteArray("a@office.example (x (y (z)) w), b@office.example") << false
        << list({"a@office.example", "b@office.example"}) << "none"
        << "";
    // 100,000 nested groups: GMime alone recursed into each and overflowed the stack.
    QTest::newRow("groups-nested-100000-deep")
        << ("a@office.example, " + QByteArray(100000, 'g').replace("g", "g:") +
            "b@office.example, c@office.example")
        << false << list({"a@office.example", "b@office.example", "c@office.example"}) << "none"
        << "";
    // The same after a quote that never ends: the tail is not handed to GMime at all.
    QTest::newRow("unterminated-quote-before-nested-groups")
        << ("a@office.example, \"x " + QByteArray(100000, 'g').replace("g", "g:") +
            "b@office.example")
        << false << list({"a@office.example"}) << "unterminated"
        << "a quoted string at byte 18 never ends";
    // An unclosed comment made GMime return nothing at all for the field.
    QTest::newRow("unterminated-comment")
        << QByteArray("alice@office.example, (unclosed bob@office.example, carol@office.example")
        << false << list({"alice@office.example"}) << "unterminated"
        << "a comment at byte 22 never ends, what follows could not be read reliably (the last "
           "address read: alice@office.example)";
    QTest::newRow("unterminated-nested-comment")
        << QByteArray("alice@office.example, bob@office.example (a (b) c") << false
        << list({"alice@office.example"}) << "unterminated"
        << "a comment at byte 41 never ends";
    // GMime's loose reading recovers what it can of the rest, and it is still reported.
    QTest::newRow("unterminated-quote")
        << QByteArray("alice@office.example, \"Bob <bob@office.example>, carol@office.example")
        << false << list({"alice@office.example", "bob@office.example", "carol@office.example"})
        << "unterminated"
        << "a quoted string at byte 22 never ends";
    QTest::newRow("unterminated-angle") << QByteArray("Bob <bob@office.example") << false
                                        << list({"bob@office.example"}) << "unterminated"
                                        << "an address in <...> at byte 4 never ends";
    // Cut by the header's bound: the entry at the cut may be half an address
    // ("carol@office.exa" is not carol@office.example.net) and is left out.
    QTest::newRow("cut-mid-address")
        << QByteArray("a@office.example, b@office.example, carol@office.example") << true
        << list({"a@office.example", "b@office.example"}) << "cut"
        << "cut after 56 bytes, the rest was not read (the last address read: b@office.example)";
    QTest::newRow("cut-inside-a-quote")
        << QByteArray("a@office.example, \"Bob <bob@office.example") << true
        << QStringList{QStringLiteral("a@office.example")} << "cut"
        << "cut after 42 bytes";
    QTest::newRow("cut-single-address")
        << QByteArray("bob@office.example") << true << list({}) << "cut"
        << "cut after 18 bytes, the rest was not read";
    QTest::newRow("unreadable-entry")
        << QByteArray("a@office.example, b@@office.example, c@office.example") << false
        << list({"a@office.example", "c@office.example"}) << "unreadable"
        << "no address could be read from \"b@@office.example\"";
    QTest::newRow("too-many")
        << addresses(kMaxAddresses + 1) << false << expectedUsers(kMaxAddresses) << "too many"
        << QStringLiteral("more than %1 addresses, the rest was not read (the last address "
                          "read: user%2@office.example)")
               .arg(kMaxAddresses)
               .arg(kMaxAddresses - 1);
    // 500,000 entries of "@," are as much work as addresses: they count.
    QTest::newRow("unreadable-entries-count")
        << QByteArray(kMaxAddresses + 1, 'x').replace("x", "@,") << false << list({}) << "too many"
        << QStringLiteral("more than %1 addresses").arg(kMaxAddresses);
    QTest::newRow("exactly-the-bound")
        << addresses(kMaxAddresses) << false << expectedUsers(kMaxAddresses) << "none"
        << "";
    QTest::newRow("longer-than-the-bound")
        << (addresses(2) + ", " + QByteArray(kMaxAddressListBytes, 'x') + "@office.example")
        << false << expectedUsers(2) << "cut"
        << QStringLiteral("cut after %1 bytes").arg(kMaxAddressListBytes);
}

void TestRecipientBounds::addressList()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, cut);
    QFETCH(QStringList, expected);
    QFETCH(QString, problem);
    QFETCH(QString, detail);
    const AddressList list = readAddressList(value, cut);
    QCOMPARE(list.addresses, expected);
    QCOMPARE(problemName(list.problem), problem);
    if (!detail.isEmpty())
        QVERIFY2(list.detail.startsWith(detail), qPrintable(list.detail));
    QCOMPARE(list.complete(), problem == QLatin1String("none"));
    QCOMPARE(list.detail.isEmpty(), problem == QLatin1String("none"));
}

void TestRecipientBounds::headerBounds_data()
{
    QTest::addColumn<QByteArray>("block");
    QTest::addColumn<int>("fields");
    QTest::addColumn<QString>("reason");

    QByteArray manyFields;
    for (int i = 0; i <= kMaxHeaderFields; ++i)
        manyFields += "X-Filler-" + QByteArray::number(i) + ": x\r\n";
    QTest::newRow("ends") << QByteArray("To: a@office.example\r\n\r\nTo: body@office.example\r\n")
                          << 1 << "";
    QTest::newRow("header-only-message") << QByteArray("To: a@office.example\r\n") << 1 << "";
    QTest::newRow("more-fields-than-the-bound")
        << (manyFields + "To: bob@office.example\r\n") << kMaxHeaderFields
        << QStringLiteral("the header has more than %1 fields, the rest were not read")
               .arg(kMaxHeaderFields);
    QByteArray endless = "Subject: x\r\nTo: a@office.example";
    while (endless.size() < kMaxHeaderBytes)
        endless += ",\r\n b@office.example";
    QTest::newRow("never-ends-cut-in-to")
        << endless << 2
        << QStringLiteral("the header does not end within %1 bytes (cut in To:), what follows "
                          "was not read")
               .arg(kMaxHeaderBytes);
    QByteArray garbage = "To: a@office.example\r\n";
    while (garbage.size() < kMaxHeaderBytes)
        garbage += "garbage without a colon\r\n";
    QTest::newRow("never-ends-in-garbage")
        << garbage << 1
        << QStringLiteral("the header does not end within %1 bytes, what follows was not read")
               .arg(kMaxHeaderBytes);
}

void TestRecipientBounds::headerBounds()
{
    QFETCH(QByteArray, block);
    QFETCH(int, fields);
    QFETCH(QString, reason);
    const HeaderRead read = readHeaderFields(block);
    QCOMPARE(read.fields.size(), fields);
    QCOMPARE(read.incompleteReason(), reason);
    QCOMPARE(read.complete(), reason.isEmpty());
}

// 9,000 addresses (220 KB, a big but real To field): every one is read; the 64 KB cut
// read 2,730 of them and said nothing.
void TestRecipientBounds::largeRealisticFieldReadCompletely()
{
    const QByteArray header = "To: " + addresses(9000, true) + "\r\n" + "Subject: all\r\n";
    QVERIFY(header.size() > 200 * 1024);
    const Extraction e = extractRecipients(header, AccountConfig::defaultEnvelopeHeaders());
    QCOMPARE(e.addresses(), expectedUsers(9000));
    QCOMPARE(e.incomplete, QStringList());

    const RoutingDecision d = pollux::routing::route(catchAll(), officeConfig(), header, nullptr);
    QCOMPARE(d.action, RoutingDecision::Action::Deliver);
    QCOMPARE(d.recipients, expectedUsers(9000));
    QCOMPARE(d.postmasterReason, QString());
}

// The reported case: a To field of 100,000 addresses (2.6 MB). The header is read up to its
// bound (1 MiB) and at most kMaxAddresses addresses: those are delivered to, and the
// postmaster gets a copy naming both bounds.
void TestRecipientBounds::hundredThousandAddresses()
{
    const QByteArray header = "To: " + addresses(100000, true) + "\r\nSubject: all\r\n";
    QVERIFY(header.size() > 2 * kMaxHeaderBytes);
    const Extraction e = extractRecipients(header, AccountConfig::defaultEnvelopeHeaders());
    QCOMPARE(e.addresses(), expectedUsers(kMaxAddresses));
    QCOMPARE(e.incomplete.size(), 2);
    QCOMPARE(e.incomplete.at(0),
             QStringLiteral("the header does not end within %1 bytes (cut in To:), what follows "
                            "was not read")
                 .arg(kMaxHeaderBytes));
    QVERIFY2(e.incomplete.at(1).startsWith(
                 QStringLiteral("To: more than %1 addresses, the rest was not read (the last "
                                "address read: user%2@office.example)")
                     .arg(kMaxAddresses)
                     .arg(kMaxAddresses - 1)),
             qPrintable(e.incomplete.at(1)));

    const RoutingDecision d = pollux::routing::route(catchAll(), officeConfig(), header, nullptr);
    QCOMPARE(d.action, RoutingDecision::Action::Deliver);
    QCOMPARE(d.recipients, expectedUsers(kMaxAddresses));
    QCOMPARE(d.postmaster, QStringLiteral("postmaster@office.example"));
    QCOMPARE(d.postmasterReason,
             QStringLiteral("recipients not read completely: ") + e.incomplete.join(u"; "));
    QCOMPARE(d.incomplete, e.incomplete);
    // The reason header stays a valid header of bounded size.
    const QByteArray reason = reasonHeader(d.postmasterReason);
    QVERIFY(reason.startsWith("X-Pollux-Reason: recipients not read completely: the header"));
    QVERIFY(reason.size() < 2500);
}

// The fields of one header share one bound (kMaxHeaderAddresses): five To fields of 9,000
// unreadable entries each exhaust it, and the Cc after them is reported, not read.
void TestRecipientBounds::oneBudgetForAllFields()
{
    QByteArray header;
    for (int i = 0; i < 5; ++i)
        header += "To: " + QByteArray(9000, 'x').replace("x", "@,") + "\r\n";
    header += "Cc: bob@office.example\r\n";
    const Extraction e = extractRecipients(header, AccountConfig::defaultEnvelopeHeaders());
    QCOMPARE(e.addresses(), QStringList());
    QCOMPARE(e.incomplete.size(), 6);
    QCOMPARE(e.incomplete.last(),
             QStringLiteral("Cc: more than %1 addresses in all fields, the rest were not read")
                 .arg(kMaxHeaderAddresses));
}

void TestRecipientBounds::route_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QStringList>("recipients");
    QTest::addColumn<QString>("reason"); // the postmaster copy's, exactly

    const QString p = QStringLiteral("recipients not read completely: ");
    QTest::newRow("complete") << QByteArray("To: alice@office.example\r\n")
                              << QStringList{QStringLiteral("alice@office.example")} << "";
    QTest::newRow("unterminated-comment")
        << QByteArray("To: alice@office.example, (unclosed bob@office.example\r\n")
        << QStringList{QStringLiteral("alice@office.example")}
        << p + QStringLiteral("To: a comment at byte 22 never ends, what follows could not be "
                              "read reliably (the last address read: alice@office.example)");
    QTest::newRow("unterminated-comment-nothing-local-read")
        << QByteArray("To: x@foreign.example (unclosed bob@office.example\r\n") << QStringList()
        << p + QStringLiteral("To: a comment at byte 18 never ends, what follows could not be "
                              "read reliably");
    QTest::newRow("unreadable-cc")
        << QByteArray("To: alice@office.example\r\nCc: bob@@office.example\r\n")
        << QStringList{QStringLiteral("alice@office.example")}
        << p + QStringLiteral("Cc: no address could be read from \"bob@@office.example\"");
    QByteArray manyFields;
    for (int i = 0; i <= kMaxHeaderFields; ++i)
        manyFields += "X-Filler: " + QByteArray::number(i) + "\r\n";
    QTest::newRow("too-many-fields")
        << ("To: alice@office.example\r\n" + manyFields + "Cc: bob@office.example\r\n")
        << QStringList{QStringLiteral("alice@office.example")}
        << p + QStringLiteral("the header has more than %1 fields, the rest were not read")
                   .arg(kMaxHeaderFields);
    // The provider's envelope header is the authority: a broken To is not used at all.
    QTest::newRow("authority-ignores-broken-to")
        << ("X-Original-To: bob@office.example\r\n" + kInbound +
            "To: alice@office.example, (unclosed\r\n")
        << QStringList{QStringLiteral("bob@office.example")} << "";
    // ... but a broken envelope header that was tried is reported.
    QTest::newRow("tried-envelope-header-broken")
        << ("X-Original-To: catchall@isp.example (unclosed bob@office.example\r\n" + kInbound +
            "To: alice@office.example\r\n")
        << QStringList{QStringLiteral("alice@office.example")}
        << p + QStringLiteral("X-Original-To: a comment at byte 21 never ends, what follows "
                              "could not be read reliably");
    // What the sender wrote below the provider's trace is never used, broken or not.
    QTest::newRow("untrusted-broken-ignored")
        << ("X-Original-To: bob@office.example\r\n" + kInbound +
            "X-Original-To: (unclosed\r\nTo: alice@office.example\r\n")
        << QStringList{QStringLiteral("bob@office.example")} << "";
    QTest::newRow("with-unknown-relay-reason")
        << QByteArray("To: a%b@office.example, alice@office.example, (x\r\n")
        << QStringList{QStringLiteral("alice@office.example")}
        << p + QStringLiteral("To: a comment at byte 42 never ends, what follows could not be "
                              "read reliably (the last address read: alice@office.example); "
                              "not a local address, relay syntax (To: a%b@office.example)");
}

void TestRecipientBounds::route()
{
    QFETCH(QByteArray, header);
    QFETCH(QStringList, recipients);
    QFETCH(QString, reason);
    const RoutingDecision d = pollux::routing::route(catchAll(), officeConfig(), header, nullptr);
    QCOMPARE(d.action, RoutingDecision::Action::Deliver);
    QCOMPARE(d.recipients, recipients);
    QCOMPARE(d.postmasterReason, reason);
    QCOMPARE(d.incomplete.isEmpty(), reason.isEmpty());

    // Single-user mail does not read recipient fields: nothing to report.
    AccountConfig single = catchAll();
    single.mailbox = MailboxType::SingleUser;
    single.recipient = QStringLiteral("joe@office.example");
    const RoutingDecision s = pollux::routing::route(single, officeConfig(), header, nullptr);
    QCOMPARE(s.recipients, QStringList{QStringLiteral("joe@office.example")});
    QCOMPARE(s.postmasterReason, QString());
}

void TestRecipientBounds::noPostmasterQuarantines()
{
    const RoutingDecision d = pollux::routing::route(
        catchAll(), officeConfig(false),
        "To: alice@office.example, (unclosed bob@office.example\r\n", nullptr);
    QCOMPARE(d.action, RoutingDecision::Action::Quarantine);
    QVERIFY(d.recipients.isEmpty());
    QVERIFY2(d.quarantineReason.startsWith(QLatin1String(
                 "recipients not read completely: To: a comment at byte 22 never ends")),
             qPrintable(d.quarantineReason));
    QVERIFY(d.quarantineReason.endsWith(QLatin1String("; no postmaster configured")));
}

void TestRecipientBounds::dryRunShowsTheReason()
{
    const QByteArray header = "Subject: Offer\r\nTo: alice@office.example, (unclosed\r\n";
    const QList<DryRunResult> results =
        dryRun(catchAll(), officeConfig(), {{QStringLiteral("4"), header}}, nullptr);
    QCOMPARE(results.size(), 1);
    // The dry run routes with route(): the same decision as delivery.
    QCOMPARE(results.first().decision.postmasterReason,
             pollux::routing::route(catchAll(), officeConfig(), header, nullptr).postmasterReason);
    const QString text = describe(results.first());
    QVERIFY2(
        text.contains(QLatin1String("  not read completely: To: a comment at byte 22 never ends")),
        qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("=> deliver to alice@office.example\n")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("=> copy to the postmaster postmaster@office.example: "
                                         "recipients not read completely: To: a comment")),
             qPrintable(text));
}

// The dry run of a spooled file reads its header as delivery does (mail::readHeaderBlock),
// so a header past the bound gives the same decision and reason.
void TestRecipientBounds::dryRunOfAFileReadsAsDeliveryDoes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("msg.eml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray header = "Subject: all\r\nTo: " + addresses(60000, true) + "\r\n";
    QVERIFY(file.write(header + "\r\nbody\r\n") > 0);
    file.close();

    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray block = mail::readHeaderBlock(&file);
    QCOMPARE(block.size(), qsizetype(mail::kHeaderBlockLimit));
    const RoutingDecision delivery =
        pollux::routing::route(catchAll(), officeConfig(), block, nullptr);
    QVERIFY(delivery.postmasterReason.startsWith(
        QLatin1String("recipients not read completely: the header does not end within")));

    const QList<DryRunResult> results = dryRunFiles(catchAll(), officeConfig(), {path}, nullptr);
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.first().decision.recipients, delivery.recipients);
    QCOMPARE(results.first().decision.postmasterReason, delivery.postmasterReason);
    // And the whole header, as POP3 TOP or IMAP BODY.PEEK[HEADER] returns it, the same.
    const RoutingDecision whole =
        pollux::routing::route(catchAll(), officeConfig(), header + "\r\n", nullptr);
    QCOMPARE(whole.recipients, delivery.recipients);
    QCOMPARE(whole.postmasterReason, delivery.postmasterReason);
}

QTEST_GUILESS_MAIN(TestRecipientBounds)
#include "tst_recipientbounds.moc"
