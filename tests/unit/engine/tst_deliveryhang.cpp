// DeliveryWorker with a directory that hangs (issue 12, item 7): a message handled in a
// cycle is never taken again by the re-read of the queue in that cycle, even when its retry
// time has passed meanwhile (the lookups of the messages after it took that long).
#include "DeliveryFixture.h"
#include "support/HangingLdapServer.h"
#include "unit/smtp/SmtpTestSupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using smtptest::hello;

namespace {

const QString Desk = QStringLiteral("desk");

int countFor(const QSignalSpy &spy, const QString &uid)
{
    int n = 0;
    for (const QList<QVariant> &args : spy)
        n += args.at(1).toString() == uid;
    return n;
}

} // namespace

class TestDeliveryHang : public DeliveryFixture
{
    Q_OBJECT
private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void deferredMessageNotRoutedTwiceInACycle();
};

void TestDeliveryHang::deferredMessageNotRoutedTwiceInACycle()
{
    HangingLdapServer ldap(HangingLdapServer::Mode::Silent);
    QVERIFY(ldap.start());
    AccountConfig catchAll;
    catchAll.name = Account;
    catchAll.mailbox = MailboxType::CatchAllReroute;
    AccountConfig desk;
    desk.name = Desk;
    desk.mailbox = MailboxType::SingleUser;
    desk.recipient = QStringLiteral("b@example.org");
    m_config.accounts = {catchAll, desk};
    m_config.acceptedDomains = {QStringLiteral("example.org")};
    m_config.postmaster = QStringLiteral("postmaster@example.org");
    m_config.directory.type = DirectoryType::Ldap;
    m_config.directory.ldapUrl = ldap.url();
    m_config.directory.baseDn = QStringLiteral("dc=example,dc=org");
    m_config.directory.timeoutSecs = 1;

    QVERIFY(m_data
                ->addMessage(Account, QStringLiteral("c1"),
                             "Return-Path: <x@vendor.example>\r\nTo: a1@example.org, "
                             "a2@example.org, a3@example.org\r\nSubject: c1\r\n\r\nc1\r\n",
                             {})
                .ok());
    m_data->clock.advance(1);
    QVERIFY(m_data->addMessage(Desk, QStringLiteral("s1"), Message, {}).ok());
    m_server->setScript(hello({}) +
                        QStringList{QStringLiteral("C: MAIL FROM:*"), QStringLiteral("S: 250 Ok"),
                                    QStringLiteral("C: RCPT TO:<b@example.org>"),
                                    QStringLiteral("S: 250 Ok"), QStringLiteral("C: DATA"),
                                    QStringLiteral("S: 354 go"), QStringLiteral("C: <DATA>"),
                                    QStringLiteral("S: 250 queued")});

    // The cycle's end shows as the QUIT of the idle close (idleCloseMs 0); a later cycle
    // would need a second connection, which the fake refuses: whatever routing happens
    // before the QUIT happens in the first cycle.
    DeliveryWorker *worker = startWorker(0);
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy deferred(worker, &DeliveryWorker::deferred);
    // Time passes while the cycle goes on: c1's retry time (300 s) is over before its end.
    connect(worker, &DeliveryWorker::delivered, this, [this] { m_data->clock.advance(3600); });
    QTRY_VERIFY_WITH_TIMEOUT(m_server->scriptDone(), 120000);

    QCOMPARE(countFor(delivered, QStringLiteral("s1")), 1);
    QCOMPARE(countFor(deferred, QStringLiteral("c1")), 1);
    QCOMPARE(ldap.connections(), 1); // one budget for three recipients, no second routing
    const MessageRecord c1 = m_data->record(Account, QStringLiteral("c1"));
    QCOMPARE(c1.state, DeliveryState::Deferred);
    QCOMPARE(c1.attempts, 1);
}

QTEST_GUILESS_MAIN(TestDeliveryHang)
#include "tst_deliveryhang.moc"
