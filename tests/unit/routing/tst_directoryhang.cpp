// A directory server that accepts and never answers (issue 12, item 7): the lookups of one
// message share one time budget and one connection, and a cancel ends them at once.
#include "routing/LdapDirectory.h"
#include "support/HangingLdapServer.h"

#include <QTest>
#include <QThread>

#include <memory>

using namespace pollux;
using namespace pollux::routing;
using pollux::test::HangingLdapServer;

Q_DECLARE_METATYPE(HangingLdapServer::Mode)

namespace {

QStringList addresses(int n)
{
    QStringList out;
    for (int i = 1; i <= n; ++i)
        out << QStringLiteral("user%1@office.example").arg(i);
    return out;
}

LdapDirectory::Options options(const HangingLdapServer &server, int timeoutSecs)
{
    LdapDirectory::Options o;
    o.url = server.url();
    o.baseDn = QStringLiteral("dc=office,dc=example");
    o.timeoutSecs = timeoutSecs;
    return o;
}

} // namespace

class TestDirectoryHang : public QObject
{
    Q_OBJECT
private slots:
    void oneBudgetForTheWholeMessage_data();
    void oneBudgetForTheWholeMessage();
    void cancelEndsAHangingLookup_data();
    void cancelEndsAHangingLookup();
    void cancelledBeforeDoesNotConnect();
};

void TestDirectoryHang::oneBudgetForTheWholeMessage_data()
{
    QTest::addColumn<HangingLdapServer::Mode>("mode");
    QTest::addColumn<int>("searches"); // the server sees the first search only
    QTest::newRow("silent-after-connect") << HangingLdapServer::Mode::Silent << 0;
    QTest::newRow("bind-answered-search-hangs") << HangingLdapServer::Mode::AnswerBind << 1;
}

// Eight local recipients, a server that hangs: one connection, one bind, every address
// Unavailable (Timeout) - not one timeout and one reconnect per address.
void TestDirectoryHang::oneBudgetForTheWholeMessage()
{
    QFETCH(HangingLdapServer::Mode, mode);
    QFETCH(int, searches);
    HangingLdapServer server(mode);
    QVERIFY(server.start());
    LdapDirectory directory(options(server, 1));
    const QStringList list = addresses(8);
    const QList<DirectoryAnswer> answers = directory.lookupAll(list);
    QCOMPARE(answers.size(), list.size());
    QCOMPARE(server.connections(), 1);
    QCOMPARE(server.binds(), 1);
    QCOMPARE(server.searches(), searches);
    for (const DirectoryAnswer &a : answers) {
        QCOMPARE(a.status, DirectoryStatus::Unavailable);
        QCOMPARE(a.error, ErrorCode::Timeout);
        QVERIFY2(a.detail.contains(QLatin1String("no answer within 1 s")), qPrintable(a.detail));
    }
}

void TestDirectoryHang::cancelEndsAHangingLookup_data()
{
    oneBudgetForTheWholeMessage_data();
}

// A budget of two minutes; the cancel flag, set from another thread while the lookup hangs,
// ends it within a slice. A generous bound: a correctness deadline, not a benchmark.
void TestDirectoryHang::cancelEndsAHangingLookup()
{
    QFETCH(HangingLdapServer::Mode, mode);
    HangingLdapServer server(mode);
    QVERIFY(server.start());
    LdapDirectory::Options o = options(server, 120);
    o.cancel = std::make_shared<std::atomic_bool>(false);
    LdapDirectory directory(o);
    QList<DirectoryAnswer> answers;
    std::unique_ptr<QThread> lookup(
        QThread::create([&directory, &answers] { answers = directory.lookupAll(addresses(5)); }));
    lookup->start();
    QVERIFY(server.waitForConnections(1, 15000));
    if (mode == HangingLdapServer::Mode::AnswerBind)
        QTRY_COMPARE_WITH_TIMEOUT(server.searches(), 1, 15000);
    o.cancel->store(true);
    QVERIFY2(lookup->wait(10000), "the lookup did not end after the cancel");
    QCOMPARE(answers.size(), 5);
    for (const DirectoryAnswer &a : std::as_const(answers)) {
        QCOMPARE(a.status, DirectoryStatus::Unavailable);
        QCOMPARE(a.error, ErrorCode::Cancelled);
    }
    QCOMPARE(server.connections(), 1);
}

void TestDirectoryHang::cancelledBeforeDoesNotConnect()
{
    HangingLdapServer server(HangingLdapServer::Mode::Silent);
    QVERIFY(server.start());
    LdapDirectory::Options o = options(server, 120);
    o.cancel = std::make_shared<std::atomic_bool>(true);
    LdapDirectory directory(o);
    const QList<DirectoryAnswer> answers = directory.lookupAll(addresses(3));
    QCOMPARE(answers.size(), 3);
    QCOMPARE(answers.first().error, ErrorCode::Cancelled);
    QCOMPARE(server.connections(), 0);
}

QTEST_GUILESS_MAIN(TestDirectoryHang)
#include "tst_directoryhang.moc"
