// LdapDirectory against a real OpenLDAP slapd (tests/support/LdapServer): known and unknown
// recipients, AD proxyAddresses, filter escaping, TLS, and every way of being unavailable.
#include "routing/LdapDirectory.h"
#include "routing/Router.h"
#include "support/FreePort.h"
#include "support/LdapServer.h"
#include "support/ProcessUtil.h"
#include "util/Clock.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTest>

using namespace pollux;
using namespace pollux::routing;

namespace {

QString statusName(DirectoryStatus s)
{
    switch (s) {
    case DirectoryStatus::Known:
        return QStringLiteral("known");
    case DirectoryStatus::Unknown:
        return QStringLiteral("unknown");
    case DirectoryStatus::Unavailable:
        return QStringLiteral("unavailable");
    }
    return {};
}

} // namespace

class TestLdapDirectory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void lookup_data();
    void lookup();
    void escaping_data();
    void escaping();
    void oneConnectionForManyLookups();
    void anonymousBind();
    void ldapsAndStartTls_data();
    void ldapsAndStartTls();
    void unavailable_data();
    void unavailable();
    void silentServerTimesOut();
    void plaintextPasswordRefused();
    void serverGoneIsUnavailable();
    void routesWithTheDirectory();

private:
    LdapDirectory::Options options() const;
    test::LdapServer m_server;
};

LdapDirectory::Options TestLdapDirectory::options() const
{
    LdapDirectory::Options o;
    o.url = m_server.url();
    o.baseDn = test::LdapServer::baseDn();
    o.bindDn = test::LdapServer::bindDn();
    o.password = test::LdapServer::bindPassword();
    o.caFile = m_server.caFile();
    o.timeoutSecs = 5;
    return o;
}

void TestLdapDirectory::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
}

void TestLdapDirectory::cleanupTestCase()
{
    const qint64 pid = m_server.pid();
    QVERIFY(m_server.stop());
    QVERIFY(!test::processAlive(pid));
}

void TestLdapDirectory::lookup_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("status");
    QTest::newRow("mail") << "alice@office.example"
                          << "known";
    QTest::newRow("mail-other-case") << "Alice@Office.Example"
                                     << "known";
    QTest::newRow("proxy-primary") << "bob@office.example"
                                   << "known";
    QTest::newRow("proxy-alias-only") << "robert@office.example"
                                      << "known";
    QTest::newRow("proxy-alias-upper-case") << "ROBERT@office.example"
                                            << "known";
    QTest::newRow("idn-ace") << "anna@xn--bcher-kva.example"
                             << "known";
    QTest::newRow("unknown") << "nobody@office.example"
                             << "unknown";
    QTest::newRow("other-domain") << "alice@foreign.example"
                                  << "unknown";
    QTest::newRow("x500-proxy-is-not-smtp") << "/o=Office/ou=Exchange/cn=Recipients/cn=bob"
                                            << "unknown";
}

void TestLdapDirectory::lookup()
{
    QFETCH(QString, address);
    QFETCH(QString, status);
    LdapDirectory directory(options());
    const DirectoryAnswer a = directory.lookup(address);
    QVERIFY2(statusName(a.status) == status,
             qPrintable(a.detail + QLatin1Char('\n') + m_server.logTail()));
}

void TestLdapDirectory::escaping_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("status");
    // Unescaped, these would widen the filter to match every entry (or break it).
    QTest::newRow("injection-uid-star") << "\"a*)(uid=*\"@office.example"
                                        << "unknown";
    QTest::newRow("injection-or-true") << "x)(|(objectClass=*)@office.example"
                                       << "unknown";
    QTest::newRow("lone-star") << "*"
                               << "unknown";
    QTest::newRow("star-local-part") << "*@office.example"
                                     << "unknown";
    QTest::newRow("prefix-wildcard") << "s*"
                                     << "unknown";
    QTest::newRow("backslash") << "a\\2a@office.example"
                               << "unknown";
    // The metacharacters are matched literally.
    QTest::newRow("literal-metacharacters") << "star*(x)@office.example"
                                            << "known";
}

void TestLdapDirectory::escaping()
{
    QFETCH(QString, address);
    QFETCH(QString, status);
    LdapDirectory directory(options());
    const DirectoryAnswer a = directory.lookup(address);
    QVERIFY2(statusName(a.status) == status, qPrintable(a.detail));
}

void TestLdapDirectory::oneConnectionForManyLookups()
{
    LdapDirectory directory(options());
    const QList<DirectoryAnswer> answers = directory.lookupAll(
        {QStringLiteral("alice@office.example"), QStringLiteral("nobody@office.example"),
         QStringLiteral("robert@office.example")});
    QCOMPARE(answers.size(), 3);
    QCOMPARE(answers.at(0).status, DirectoryStatus::Known);
    QCOMPARE(answers.at(1).status, DirectoryStatus::Unknown);
    QCOMPARE(answers.at(2).status, DirectoryStatus::Known);
}

void TestLdapDirectory::anonymousBind()
{
    LdapDirectory::Options o = options();
    o.bindDn.clear();
    o.password.clear();
    LdapDirectory directory(o);
    QCOMPARE(directory.lookup(QStringLiteral("alice@office.example")).status,
             DirectoryStatus::Known);
}

void TestLdapDirectory::ldapsAndStartTls_data()
{
    QTest::addColumn<bool>("ldaps");
    QTest::addColumn<bool>("trustCa");
    QTest::addColumn<QString>("status");
    QTest::newRow("ldaps-trusted") << true << true << "known";
    QTest::newRow("starttls-trusted") << false << true << "known";
    QTest::newRow("ldaps-untrusted") << true << false << "unavailable";
    QTest::newRow("starttls-untrusted") << false << false << "unavailable";
}

void TestLdapDirectory::ldapsAndStartTls()
{
    QFETCH(bool, ldaps);
    QFETCH(bool, trustCa);
    QFETCH(QString, status);
    LdapDirectory::Options o = options();
    o.url = ldaps ? m_server.ldapsUrl() : m_server.url();
    o.startTls = !ldaps;
    if (!trustCa)
        o.caFile.clear();
    LdapDirectory directory(o);
    const DirectoryAnswer a = directory.lookup(QStringLiteral("bob@office.example"));
    QVERIFY2(statusName(a.status) == status, qPrintable(a.detail));
    if (!trustCa && !ldaps)
        QCOMPARE(a.error, ErrorCode::Tls);
}

void TestLdapDirectory::unavailable_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<int>("error");
    QTest::newRow("wrong-bind-password") << "password" << int(ErrorCode::AuthFailed);
    QTest::newRow("unknown-bind-dn") << "binddn" << int(ErrorCode::AuthFailed);
    QTest::newRow("nothing-listening") << "port" << int(ErrorCode::Network);
    QTest::newRow("broken-filter") << "filter" << int(ErrorCode::Config);
    QTest::newRow("missing-base-dn") << "base" << int(ErrorCode::ServerError);
    QTest::newRow("not-an-ldap-url") << "url" << int(ErrorCode::Config);
}

void TestLdapDirectory::unavailable()
{
    QFETCH(QString, what);
    QFETCH(int, error);
    LdapDirectory::Options o = options();
    if (what == QLatin1String("password"))
        o.password = QStringLiteral("wrong");
    else if (what == QLatin1String("binddn"))
        o.bindDn = QStringLiteral("cn=ghost,ou=services,dc=office,dc=example");
    else if (what == QLatin1String("port"))
        o.url = QStringLiteral("ldap://127.0.0.1:%1").arg(test::freePort());
    else if (what == QLatin1String("filter"))
        o.filter = QStringLiteral("(mail=%s");
    else if (what == QLatin1String("base"))
        o.baseDn = QStringLiteral("dc=nowhere,dc=example");
    else if (what == QLatin1String("url"))
        o.url = QStringLiteral("http://127.0.0.1/");
    LdapDirectory directory(o);
    const DirectoryAnswer a = directory.lookup(QStringLiteral("alice@office.example"));
    QCOMPARE(statusName(a.status), QStringLiteral("unavailable"));
    QVERIFY2(int(a.error) == error,
             qPrintable(errorCodeName(a.error) + QStringLiteral(": ") + a.detail));
    QVERIFY(!a.detail.contains(test::LdapServer::bindPassword()));
    QVERIFY(!a.detail.contains(QLatin1String("wrong")));
}

void TestLdapDirectory::silentServerTimesOut()
{
    QTcpServer silent; // accepts (kernel backlog) but never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    LdapDirectory::Options o = options();
    o.url = QStringLiteral("ldap://127.0.0.1:%1").arg(silent.serverPort());
    o.timeoutSecs = 1;
    LdapDirectory directory(o);
    QElapsedTimer timer;
    timer.start();
    const DirectoryAnswer a = directory.lookup(QStringLiteral("alice@office.example"));
    QCOMPARE(a.status, DirectoryStatus::Unavailable);
    QVERIFY2(a.error == ErrorCode::Timeout || a.error == ErrorCode::Network, qPrintable(a.detail));
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
}

void TestLdapDirectory::plaintextPasswordRefused()
{
    LdapDirectory::Options o = options();
    o.url = QStringLiteral("ldap://192.0.2.1:389"); // TEST-NET: never contacted
    LdapDirectory directory(o);
    const DirectoryAnswer a = directory.lookup(QStringLiteral("alice@office.example"));
    QCOMPARE(a.status, DirectoryStatus::Unavailable);
    QCOMPARE(a.error, ErrorCode::Tls);
}

void TestLdapDirectory::serverGoneIsUnavailable()
{
    test::LdapServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    LdapDirectory::Options o = options();
    o.url = server.url();
    LdapDirectory directory(o);
    QCOMPARE(directory.lookup(QStringLiteral("alice@office.example")).status,
             DirectoryStatus::Known);
    QVERIFY(server.stop());
    const DirectoryAnswer a = directory.lookup(QStringLiteral("alice@office.example"));
    QCOMPARE(a.status, DirectoryStatus::Unavailable);
    QCOMPARE(a.error, ErrorCode::Network);
}

void TestLdapDirectory::routesWithTheDirectory()
{
    Config config;
    config.postmaster = QStringLiteral("postmaster@office.example");
    config.acceptedDomains = {QStringLiteral("office.example")};
    AccountConfig account;
    account.name = QStringLiteral("catch-all");
    account.mailbox = MailboxType::CatchAllReroute;
    CachedDirectory directory(std::make_unique<LdapDirectory>(options()), 3600, Clock::system());
    const RoutingDecision d =
        route(account, config,
              "To: Alice <alice@office.example>, x@foreign.example\r\nCc: nobody@office.example\r\n"
              "Bcc: robert@office.example\r\n",
              &directory);
    QCOMPARE(d.action, RoutingDecision::Action::Deliver);
    QCOMPARE(d.recipients, (QStringList{QStringLiteral("alice@office.example"),
                                        QStringLiteral("robert@office.example")}));
    QCOMPARE(d.postmasterReason, QStringLiteral("unknown recipient (Cc: nobody@office.example)"));
    QCOMPARE(directory.cachedCount(), 3);
}

QTEST_GUILESS_MAIN(TestLdapDirectory)
#include "tst_ldapdirectory.moc"
