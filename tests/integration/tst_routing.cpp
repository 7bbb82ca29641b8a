// Catch-all routing end to end (issue 4): a real Dovecot as the provider's mailbox, a
// private Postfix as the office server (550 5.1.1 for unknown users of office.example) and
// a real OpenLDAP as the directory, driven through the Engine.
#include "EngineRun.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/FreePort.h"
#include "support/LdapServer.h"
#include "support/PostfixServer.h"
#include "support/ProcessUtil.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "engine/RouteDryRun.h"
#include "mail/TraceHeader.h"
#include "store/Store.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Domain = QStringLiteral("office.example");
const QString Alice = QStringLiteral("alice@office.example");
const QString Bob = QStringLiteral("bob@office.example");
const QString Postmaster = QStringLiteral("postmaster@office.example");

// A plain TCP forwarder on a fixed port to 127.0.0.1:upstream, started late: until then
// nothing listens on the port (the directory is unreachable).
class Forwarder : public QObject
{
public:
    Forwarder(quint16 port, quint16 upstream) : m_port(port), m_upstream(upstream)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                client->setParent(this);
                auto *up = new QTcpSocket(this);
                connect(client, &QTcpSocket::readyRead, up,
                        [client, up] { up->write(client->readAll()); });
                connect(up, &QTcpSocket::readyRead, client,
                        [client, up] { client->write(up->readAll()); });
                connect(up, &QTcpSocket::connected, up,
                        [client, up] { up->write(client->readAll()); });
                connect(client, &QTcpSocket::disconnected, up, &QTcpSocket::disconnectFromHost);
                connect(up, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                up->connectToHost(QHostAddress::LocalHost, m_upstream);
            }
        });
    }
    bool open() { return m_server.listen(QHostAddress::LocalHost, m_port); }

private:
    QTcpServer m_server;
    quint16 m_port;
    quint16 m_upstream;
};

QByteArray letter(const QByteArray &headers, const QByteArray &marker)
{
    return "From: Sender <sender@outside.example>\r\n" + headers + "Subject: " + marker +
           "\r\n"
           "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\n" +
           (headers.contains("Message-ID:") ? QByteArray()
                                            : "Message-ID: <" + marker + "@outside.example>\r\n") +
           "\r\nBody of " + marker + "\r\n";
}

// What the provider (isp.example) writes on top of a message it received from outside:
// `envelope` (its X-Original-To, Delivered-To, ...), then its inbound Received: line.
QByteArray provider(const QByteArray &envelope)
{
    return envelope +
           "Received: from mail.outside.example (mail.outside.example [198.51.100.7])\r\n"
           "\tby mx.isp.example (Postfix) with ESMTPS id 4Q1x2y; Mon, 05 Jan 2026 09:00:00 "
           "+0000\r\n";
}

} // namespace

class TestRouting : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void singleUserGoesToFixedRecipient();
    void catchAllDistributes();
    void rerouteUnknownToPostmaster_data();
    void rerouteUnknownToPostmaster();
    void partiallyRejectedNotifiesPostmaster();
    void duplicatesAreSuppressed();
    void loopIsQuarantined();
    void directoryUnreachableWaits();
    void dryRunShowsRoutesAndChangesNothing();
    void forgedEnvelopeAndRelayTricksAreNotDelivered();
    void recipientFieldsReadCompletelyOrPostmasterTold();

private:
    QString newUser();
    Config makeConfig(const QString &user, MailboxType mailbox);
    bool runOnce(Engine &engine, bool *ok = nullptr);
    QList<QByteArray> withMarker(const QString &rcpt, const QByteArray &marker) const;
    QList<MessageRecord> records(const Config &config, const QString &account);

    DovecotServer m_dovecot;
    PostfixServer m_postfix{Domain};
    LdapServer m_ldap;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestRouting::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    for (const QString &u : {Alice, Bob, Postmaster})
        QVERIFY(m_postfix.addUser(u));
    QVERIFY2(m_postfix.start(&error), qPrintable(error));
    QVERIFY2(m_ldap.start(&error), qPrintable(error));
    m_secrets.set(QStringLiteral("ldap"), LdapServer::bindPassword());
    QVERIFY(m_dir.isValid());
}

void TestRouting::cleanupTestCase()
{
    QVERIFY(m_ldap.stop());
    QVERIFY(m_postfix.stop());
    QVERIFY(m_dovecot.stop());
}

QString TestRouting::newUser()
{
    const QString user = QStringLiteral("catchall%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-secret").arg(m_users);
    m_dovecot.addUser(user, password);
    m_secrets.set(QStringLiteral("account/") + user, password);
    return user;
}

Config TestRouting::makeConfig(const QString &user, MailboxType mailbox)
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
        a.recipient = Bob;
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_postfix.port();
    c.smtp.heloName = QStringLiteral("pollux.office.example");
    c.smtp.timeoutSecs = 30;
    c.smtp.retryIntervalSecs = 60;
    c.postmaster = Postmaster;
    c.acceptedDomains = {Domain};
    c.dataDir = m_dir.filePath(user);
    c.caFile = TestCa::instance().caCertPath();
    c.directory.type = DirectoryType::Ldap;
    c.directory.ldapUrl = m_ldap.url();
    c.directory.baseDn = LdapServer::baseDn();
    c.directory.bindDn = LdapServer::bindDn();
    return c;
}

bool TestRouting::runOnce(Engine &engine, bool *ok)
{
    if (!test::runOnce(engine, ok))
        return false;
    // Postfix delivers after it answered 250: wait until it is done, so that what did not
    // arrive can be checked too.
    return m_postfix.waitForEmptyQueue();
}

// Messages in the Maildir of `rcpt` whose text contains the marker.
QList<QByteArray> TestRouting::withMarker(const QString &rcpt, const QByteArray &marker) const
{
    QList<QByteArray> out;
    for (const QByteArray &m : m_postfix.messages(rcpt))
        if (m.contains(marker))
            out << m;
    return out;
}

QList<MessageRecord> TestRouting::records(const Config &config, const QString &account)
{
    Store store(Engine::databasePath(config), Clock::system());
    QList<MessageRecord> out;
    if (!store.open().ok() || !store.messages(account, out).ok())
        return {};
    return out;
}

// single-user: everything goes to the fixed recipient, whatever the header says.
void TestRouting::singleUserGoesToFixedRecipient()
{
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(
        user, letter("To: someone@foreign.example\r\nCc: alice@office.example\r\n", "su-1")));
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user, MailboxType::SingleUser), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(withMarker(Bob, "su-1").size(), 1);
    QCOMPARE(withMarker(Alice, "su-1").size(), 0);
    QCOMPARE(withMarker(Postmaster, "su-1").size(), 0);
}

// catch-all: the local recipients of To/Cc in one transaction, a BCC-only recipient from
// the trusted envelope header, foreign ones dropped, no local one -> the postmaster.
void TestRouting::catchAllDistributes()
{
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(user, letter("To: Alice <ALICE@Office.Example>, x@foreign.example\r\n"
                                           "Cc: \"Bob B.\" <bob@office.example>\r\n",
                                           "ca-both")));
    QVERIFY(m_dovecot.deliver(user, provider("X-Original-To: bob@office.example\r\n"
                                             "Delivered-To: catchall@provider.example\r\n") +
                                        letter("To: list@lists.foreign.example\r\n", "ca-bcc")));
    QVERIFY(m_dovecot.deliver(user, letter("To: x@foreign.example\r\n", "ca-none")));
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user, MailboxType::CatchAll), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);

    // One message with both recipients: one SMTP transaction (one queue id, nrcpt=2).
    const QList<QByteArray> toAlice = withMarker(Alice, "ca-both");
    const QList<QByteArray> toBob = withMarker(Bob, "ca-both");
    QCOMPARE(toAlice.size(), 1);
    QCOMPARE(toBob.size(), 1);
    const QString queueId = PostfixServer::queueId(toAlice.first());
    QVERIFY(!queueId.isEmpty());
    QCOMPARE(PostfixServer::queueId(toBob.first()), queueId);
    QVERIFY2(
        m_postfix.log().contains(queueId + QStringLiteral(": from=<sender@outside.example>")) &&
            m_postfix.log().contains(QRegularExpression(queueId + QStringLiteral(":.*nrcpt=2 "))),
        qPrintable(m_postfix.logTail()));
    QVERIFY(!m_postfix.log().contains(QStringLiteral("x@foreign.example")));
    QCOMPARE(withMarker(Postmaster, "ca-both").size(), 0);

    // BCC-only: X-Original-To is the authority, the visible To: is not ours.
    QCOMPARE(withMarker(Bob, "ca-bcc").size(), 1);
    QCOMPARE(withMarker(Alice, "ca-bcc").size(), 0);
    QCOMPARE(withMarker(Postmaster, "ca-bcc").size(), 0);

    // No local recipient: the postmaster, with the reason in a header.
    const QList<QByteArray> pm = withMarker(Postmaster, "ca-none");
    QCOMPARE(pm.size(), 1);
    QVERIFY2(pm.first().contains("X-Pollux-Reason: ") && pm.first().contains("no local recipient"),
             pm.first().constData());
}

void TestRouting::rerouteUnknownToPostmaster_data()
{
    QTest::addColumn<int>("directory");
    QTest::newRow("ldap") << int(DirectoryType::Ldap);
    QTest::newRow("smtp-probe") << int(DirectoryType::SmtpProbe);
}

// catch-all-reroute: an unknown local recipient is replaced by the postmaster, the known
// ones get the message, in both directory modes.
void TestRouting::rerouteUnknownToPostmaster()
{
    QFETCH(int, directory);
    const QByteArray marker = "rr-" + QByteArray(QTest::currentDataTag());
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(
        user, letter("To: alice@office.example, carol@office.example\r\n", marker)));
    Config config = makeConfig(user, MailboxType::CatchAllReroute);
    config.directory.type = DirectoryType(directory);
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(withMarker(Alice, marker).size(), 1);
    const QList<QByteArray> pm = withMarker(Postmaster, marker);
    QCOMPARE(pm.size(), 1);
    QVERIFY2(pm.first().contains("X-Pollux-Reason: ") &&
                 pm.first().contains("carol@office.example"),
             pm.first().constData());
    // Delivery never tried carol: no failure left for anyone.
    for (const MessageRecord &r : records(config, user))
        QCOMPARE(r.state, DeliveryState::Delivered);
}

// The office server refuses one recipient (catch-all without re-route): the other keeps
// the message and the postmaster gets a notice naming the refused one.
void TestRouting::partiallyRejectedNotifiesPostmaster()
{
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(
        user, letter("To: alice@office.example, nobody@office.example\r\n", "partial-1")));
    const Config config = makeConfig(user, MailboxType::CatchAll);
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(withMarker(Alice, "partial-1").size(), 1);
    const QList<QByteArray> pm = withMarker(Postmaster, "partial-1");
    QCOMPARE(pm.size(), 1);
    QVERIFY2(pm.first().contains("nobody@office.example") && pm.first().contains("5.1.1"),
             pm.first().constData());
}

// A provider that stores one copy per recipient: the same Message-ID for the same
// recipient is delivered once; another recipient of it still gets it.
void TestRouting::duplicatesAreSuppressed()
{
    const QString user = newUser();
    const QByteArray headers = "To: alice@office.example, bob@office.example\r\n"
                               "Message-ID: <dup-1@outside.example>\r\n";
    QVERIFY(m_dovecot.deliver(user, provider("X-Original-To: bob@office.example\r\n") +
                                        letter(headers, "dup-1")));
    QVERIFY(m_dovecot.deliver(user, provider("X-Original-To: bob@office.example\r\n") +
                                        letter(headers, "dup-1")));
    QVERIFY(m_dovecot.deliver(user, provider("X-Original-To: alice@office.example\r\n") +
                                        letter(headers, "dup-1")));
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user, MailboxType::CatchAll), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(withMarker(Bob, "dup-1").size(), 1);
    QCOMPARE(withMarker(Alice, "dup-1").size(), 1);
    QCOMPARE(withMarker(Postmaster, "dup-1").size(), 0);
    QCOMPARE(m_dovecot.messageCount(user), 0); // all three were collected
}

// A message that already carries our trace for this account is a loop: quarantined in
// BADMAIL, the postmaster told, nobody else gets it.
void TestRouting::loopIsQuarantined()
{
    const QString user = newUser();
    const QByteArray trace =
        mail::traceHeader(QStringLiteral("pollux.office.example"), QStringLiteral("POP3"), user,
                          QStringLiteral("u1"), QDateTime::currentDateTimeUtc());
    QVERIFY(m_dovecot.deliver(user, trace + letter("To: alice@office.example\r\n", "loop-1")));
    const Config config = makeConfig(user, MailboxType::CatchAll);
    Engine engine(&m_secrets, nullptr);
    QSignalSpy quarantined(&engine, &Engine::quarantined);
    QVERIFY(engine.start(config, {false, 0}).ok());
    QVERIFY(runOnce(engine));
    QCOMPARE(withMarker(Alice, "loop-1").size(), 0);
    QCOMPARE(quarantined.size(), 1);
    QCOMPARE(quarantined.first().at(3).toString(), QStringLiteral("BADMAIL"));
    bool found = false;
    for (const MessageRecord &r : records(config, user)) {
        if (r.uid.contains(QLatin1Char('#')))
            continue; // the notice
        found = true;
        QCOMPARE(r.state, DeliveryState::Failed);
        QVERIFY2(r.spoolPath.contains(QLatin1String("BADMAIL")), qPrintable(r.spoolPath));
        QVERIFY(QFile::exists(Engine::spoolDirectory(config) + QLatin1Char('/') + r.spoolPath));
    }
    QVERIFY(found);
    const QList<QByteArray> pm = withMarker(Postmaster, "loop-1");
    QCOMPARE(pm.size(), 1);
    QVERIFY2(pm.first().contains("BADMAIL") && pm.first().contains("loop"), pm.first().constData());
}

// The directory does not answer: the message waits (nobody gets it, not even the
// postmaster) and goes out once the directory is back.
void TestRouting::directoryUnreachableWaits()
{
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(user, letter("To: alice@office.example\r\n", "wait-1")));
    const quint16 port = freePort();
    QVERIFY(port != 0);
    Config config = makeConfig(user, MailboxType::CatchAllReroute);
    config.directory.ldapUrl = QStringLiteral("ldap://127.0.0.1:%1").arg(port);
    ManualClock clock(QDateTime::currentDateTimeUtc());
    Engine engine(&m_secrets, &clock);
    QSignalSpy deferred(&engine, &Engine::deferred);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = true;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(!ok); // something is left waiting
    QVERIFY(!deferred.isEmpty());
    QCOMPARE(withMarker(Alice, "wait-1").size(), 0);
    QCOMPARE(withMarker(Postmaster, "wait-1").size(), 0);
    QList<MessageRecord> rs = records(config, user);
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs.first().state, DeliveryState::Deferred);
    QCOMPARE(m_dovecot.messageCount(user), 0); // collected and safe in the spool

    Forwarder directoryBack(port, m_ldap.port());
    QVERIFY(directoryBack.open());
    clock.advance(3600);
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);
    QCOMPARE(withMarker(Alice, "wait-1").size(), 1);
    QCOMPARE(withMarker(Postmaster, "wait-1").size(), 0);
    rs = records(config, user);
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs.first().state, DeliveryState::Delivered);
}

// The dry run reads the newest messages' headers, says where each would go, and leaves
// the mailbox exactly as it was.
void TestRouting::dryRunShowsRoutesAndChangesNothing()
{
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(user, letter("To: x@foreign.example\r\n", "dry-old")));
    QVERIFY(m_dovecot.deliver(user, provider("X-Original-To: bob@office.example\r\n") +
                                        letter("To: list@lists.foreign.example\r\n"
                                               "X-Original-To: alice@office.example\r\n",
                                               "dry-bcc")));
    QVERIFY(m_dovecot.deliver(user, letter("To: alice@office.example, carol@office.example\r\n"
                                           "Cc: x@foreign.example\r\n",
                                           "dry-visible")));
    const QList<QByteArray> before = m_dovecot.messages(user);
    const Config config = makeConfig(user, MailboxType::CatchAllReroute);
    RouteDryRun dryRun(&m_secrets, nullptr);
    QSignalSpy finished(&dryRun, &RouteDryRun::finished);
    dryRun.start(config, user, 2);
    QVERIFY(finished.wait(60000));
    const Result result = finished.first().at(0).value<Result>();
    QVERIFY2(result.ok(), qPrintable(result.message()));
    const auto results = finished.first().at(1).value<QList<routing::DryRunResult>>();
    QCOMPARE(results.size(), 2); // --limit 2: the newest two
    QString text;
    for (const routing::DryRunResult &r : results)
        text += routing::describe(r);
    qInfo("%s", qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("dry-old")));
    QVERIFY(text.contains(QLatin1String("dry-bcc")));
    QVERIFY(text.contains(QLatin1String("recipients from X-Original-To")));
    QVERIFY(text.contains(
        QRegularExpression(QStringLiteral("bob@office.example +X-Original-To +deliver"))));
    QVERIFY(text.contains(QLatin1String("recipients from the visible headers")));
    QVERIFY(text.contains(QRegularExpression(QStringLiteral("alice@office.example +To +deliver"))));
    QVERIFY(
        text.contains(QRegularExpression(QStringLiteral("carol@office.example +To +postmaster"))));
    QVERIFY(text.contains(QRegularExpression(QStringLiteral("x@foreign.example +Cc +foreign"))));
    // The sender's own X-Original-To (below the provider's trace) is shown, never used.
    QVERIFY(text.contains(QRegularExpression(QStringLiteral(
        "alice@office.example +X-Original-To +untrusted \\(below the provider's trace\\)"))));
    // Which envelope header this provider writes (defect 9).
    const QString detected = routing::describe(dryRun.detection());
    qInfo("%s", qPrintable(detected));
    QVERIFY2(detected.contains(QLatin1String("X-Original-To     names a local recipient in 1")),
             qPrintable(detected));
    QVERIFY2(detected.contains(QLatin1String("=> envelopeHeaders: X-Original-To, Received")),
             qPrintable(detected));
    QVERIFY2(detected.contains(QLatin1String("=> providerHosts: mx.isp.example")),
             qPrintable(detected));

    // Nothing was deleted or changed, nothing delivered.
    QCOMPARE(m_dovecot.messages(user), before);
    QVERIFY(m_postfix.waitForEmptyQueue());
    QCOMPARE(withMarker(Alice, "dry-visible").size(), 0);
    QCOMPARE(withMarker(Postmaster, "dry-visible").size(), 0);
}

// Issue 11, defects 8 and 10, through the real Postfix: a sender's X-Original-To below the
// provider's trace reaches nobody, whether the provider wrote its own X-Original-To or only
// Delivered-To; a local part with relay syntax (% or !) is never given to the office server
// in a RCPT (Postfix's percent hack / bang path could relay it): the postmaster gets a copy
// with the reason.
void TestRouting::forgedEnvelopeAndRelayTricksAreNotDelivered()
{
    const QString user = newUser();
    QVERIFY(m_dovecot.deliver(user, provider("X-Original-To: bob@office.example\r\n"
                                             "Delivered-To: catchall@isp.example\r\n") +
                                        letter("To: list@lists.foreign.example\r\n"
                                               "X-Original-To: alice@office.example\r\n",
                                               "forged-add")));
    QVERIFY(m_dovecot.deliver(user, provider("Delivered-To: bob@office.example\r\n") +
                                        letter("To: list@lists.foreign.example\r\n"
                                               "x-original-TO : alice@office.example\r\n",
                                               "forged-replace")));
    QVERIFY(m_dovecot.deliver(user, provider("Delivered-To: catchall@isp.example\r\n") +
                                        letter("To: alice%outside.example@office.example, "
                                               "outside.example!alice@office.example,\r\n"
                                               " bob@office.example\r\n",
                                               "relay-1")));
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user, MailboxType::CatchAll), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);

    for (const char *marker : {"forged-add", "forged-replace"}) {
        QCOMPARE(withMarker(Bob, marker).size(), 1);
        QCOMPARE(withMarker(Alice, marker).size(), 0);
        QCOMPARE(withMarker(Postmaster, marker).size(), 0);
    }

    QCOMPARE(withMarker(Bob, "relay-1").size(), 1);
    QCOMPARE(withMarker(Alice, "relay-1").size(), 0);
    const QList<QByteArray> pm = withMarker(Postmaster, "relay-1");
    QCOMPARE(pm.size(), 1);
    QVERIFY2(pm.first().contains("X-Pollux-Reason: not a local address, relay syntax"),
             pm.first().constData());
    // Never offered to the office server: no RCPT for them in its log.
    const QString log = m_postfix.log();
    QVERIFY2(!log.contains(QLatin1String("alice%outside.example")) &&
                 !log.contains(QLatin1String("outside.example!alice")),
             qPrintable(m_postfix.logTail()));
}

// Issue 12, item 6: a To field past 64 KB was cut before parsing and the recipients after
// the cut never got the message, without a word. A long field is read completely; one
// routing cannot read completely (here: a comment that never ends) reaches the recipients
// read and the postmaster, with the reason.
void TestRouting::recipientFieldsReadCompletelyOrPostmasterTold()
{
    const QString user = newUser();
    QByteArray to = "To: alice@office.example";
    for (int i = 0; i < 3000; ++i)
        to += ",\r\n x" + QByteArray::number(i) + "@foreign.example";
    to += ",\r\n bob@office.example\r\n";
    QVERIFY(to.size() > 64 * 1024);
    QVERIFY(m_dovecot.deliver(user, letter(to, "long-to")));
    QVERIFY(m_dovecot.deliver(
        user, letter("To: alice@office.example, (unclosed bob@office.example\r\n", "open-cmt")));
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(makeConfig(user, MailboxType::CatchAll), {false, 0}).ok());
    bool ok = false;
    QVERIFY(runOnce(engine, &ok));
    QVERIFY(ok);

    QCOMPARE(withMarker(Alice, "long-to").size(), 1);
    QCOMPARE(withMarker(Bob, "long-to").size(), 1);
    QCOMPARE(withMarker(Postmaster, "long-to").size(), 0);

    QCOMPARE(withMarker(Alice, "open-cmt").size(), 1);
    QCOMPARE(withMarker(Bob, "open-cmt").size(), 0);
    const QList<QByteArray> pm = withMarker(Postmaster, "open-cmt");
    QCOMPARE(pm.size(), 1);
    const QByteArray unfolded = QByteArray(pm.first()).replace("\r\n\t", " ").replace("\n\t", " ");
    QVERIFY2(unfolded.contains("X-Pollux-Reason: recipients not read completely: To: a comment at "
                               "byte 22 never ends"),
             pm.first().constData());
}

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
