// POP3 login choice for OAuth2 accounts (authMethod "oauth2", what PollPass makes of "auto"
// on an OAuth2 account): OAUTHBEARER, else XOAUTH2, whichever the server offers; neither is
// an error that names what it offers, with no credential sent and no fallback to USER/PASS.
#include "pop3/Pop3Login.h"

#include <QTest>

using namespace pollux;
using namespace pollux::pop3;

class TestPop3Login : public QObject
{
    Q_OBJECT

private slots:
    void oauth2_data();
    void oauth2();
};

void TestPop3Login::oauth2_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QList<QByteArray>>("offered");
    QTest::addColumn<bool>("encrypted");
    QTest::addColumn<int>("expected"); // sasl::Mechanism, or -1 for an error
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("why");
    const QList<QByteArray> both{"PLAIN", "XOAUTH2", "OAUTHBEARER"};
    const QString o = QStringLiteral("oauth2");
    QTest::newRow("both-oauthbearer") << o << both << true << int(sasl::Mechanism::OAuthBearer)
                                      << int(ErrorCode::None) << QString();
    QTest::newRow("xoauth2-only") << o << QList<QByteArray>{"PLAIN", "XOAUTH2"} << true
                                  << int(sasl::Mechanism::XOAuth2) << int(ErrorCode::None)
                                  << QString();
    QTest::newRow("configured-xoauth2-with-both")
        << QStringLiteral("xoauth2") << both << true << int(sasl::Mechanism::XOAuth2)
        << int(ErrorCode::None) << QString();
    QTest::newRow("neither") << o << QList<QByteArray>{"PLAIN", "LOGIN"} << true << -1
                             << int(ErrorCode::AuthFailed)
                             << QStringLiteral("the server offers neither OAUTHBEARER nor "
                                               "XOAUTH2 for the OAuth2 sign-in (it offers: "
                                               "PLAIN, LOGIN) (no credential was sent)");
    QTest::newRow("no-sasl-at-all")
        << o << QList<QByteArray>{} << true << -1 << int(ErrorCode::AuthFailed)
        << QStringLiteral("(it offers: no SASL mechanism)");
    QTest::newRow("unencrypted") << o << both << false << -1 << int(ErrorCode::Tls)
                                 << QStringLiteral("unencrypted");
}

void TestPop3Login::oauth2()
{
    QFETCH(QString, method);
    QFETCH(QList<QByteArray>, offered);
    QFETCH(bool, encrypted);
    QFETCH(int, expected);
    QFETCH(int, code);
    QFETCH(QString, why);
    MailboxOptions options;
    options.authMethod = method;
    options.password = QStringLiteral("access-token");
    Capabilities caps;
    caps.user = true; // USER/PASS offered too: never used for a token
    caps.uidl = true;
    caps.sasl = offered;
    LoginPlan plan;
    const Result r = chooseLogin(options, caps, "<1.2@host>", encrypted, plan);
    if (expected < 0) {
        QCOMPARE(int(r.code()), code);
        QVERIFY2(r.message().contains(why), qPrintable(r.message()));
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.message()));
    QCOMPARE(plan.method, LoginPlan::Method::Sasl);
    QCOMPARE(int(plan.mechanism), expected);
}

QTEST_GUILESS_MAIN(TestPop3Login)
#include "tst_pop3login.moc"
