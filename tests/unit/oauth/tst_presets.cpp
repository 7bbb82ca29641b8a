// The sign-in presets (core/oauth/Presets): Microsoft 365 and Google endpoints with the
// tenant filled in, the scopes for POP3 and IMAP, and "oauth2" taking the account's own.
#include "oauth/Presets.h"

#include <QTest>

using namespace pollux;
using namespace pollux::oauth;

class TestPresets : public QObject
{
    Q_OBJECT

private slots:
    void microsoftEndpoints_data();
    void microsoftEndpoints();
    void scopes_data();
    void scopes();
    void google();
    void otherProvider();
    void password();
    void serverPresets();
    void hosts_data();
    void hosts();
};

void TestPresets::microsoftEndpoints_data()
{
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QString>("inUrl");
    QTest::newRow("default-organizations") << QString() << QStringLiteral("organizations");
    QTest::newRow("domain") << QStringLiteral("contoso.onmicrosoft.com")
                            << QStringLiteral("contoso.onmicrosoft.com");
    QTest::newRow("guid") << QStringLiteral("72f988bf-86f1-41af-91ab-2d7cd011db47")
                          << QStringLiteral("72f988bf-86f1-41af-91ab-2d7cd011db47");
    QTest::newRow("spaces-trimmed")
        << QStringLiteral(" contoso.com ") << QStringLiteral("contoso.com");
}

void TestPresets::microsoftEndpoints()
{
    QFETCH(QString, tenant);
    QFETCH(QString, inUrl);
    AccountConfig a;
    a.type = ServerType::Pop3Ssl;
    a.signIn = SignInMethod::Microsoft365;
    a.oauth2.clientId = QStringLiteral(" my-client ");
    a.oauth2.tenant = tenant;
    const Provider p = providerFor(a);
    const QString base = QStringLiteral("https://login.microsoftonline.com/") + inUrl;
    QCOMPARE(p.tokenEndpoint.toString(), base + QStringLiteral("/oauth2/v2.0/token"));
    QCOMPARE(p.authorizationEndpoint.toString(), base + QStringLiteral("/oauth2/v2.0/authorize"));
    QCOMPARE(p.deviceAuthorizationEndpoint.toString(),
             base + QStringLiteral("/oauth2/v2.0/devicecode"));
    QCOMPARE(p.clientId, QStringLiteral("my-client"));
    QVERIFY(p.clientSecret.isEmpty()); // the caller reads it from the keychain

    a.signIn = SignInMethod::Microsoft365App;
    const Provider app = providerFor(a);
    QCOMPARE(app.tokenEndpoint.toString(), base + QStringLiteral("/oauth2/v2.0/token"));
    QVERIFY(app.authorizationEndpoint.isEmpty()); // no person signs in
    QVERIFY(app.deviceAuthorizationEndpoint.isEmpty());
}

void TestPresets::scopes_data()
{
    QTest::addColumn<int>("method");
    QTest::addColumn<int>("type");
    QTest::addColumn<QStringList>("expected");
    const QString office = QStringLiteral("https://outlook.office.com/");
    QTest::newRow("m365-pop3") << int(SignInMethod::Microsoft365) << int(ServerType::Pop3Ssl)
                               << QStringList{office + QStringLiteral("POP.AccessAsUser.All"),
                                              QStringLiteral("offline_access")};
    QTest::newRow("m365-imap") << int(SignInMethod::Microsoft365) << int(ServerType::ImapSsl)
                               << QStringList{office + QStringLiteral("IMAP.AccessAsUser.All"),
                                              QStringLiteral("offline_access")};
    QTest::newRow("m365-imap-plain-type")
        << int(SignInMethod::Microsoft365) << int(ServerType::Imap)
        << QStringList{office + QStringLiteral("IMAP.AccessAsUser.All"),
                       QStringLiteral("offline_access")};
    QTest::newRow("m365-app-pop3")
        << int(SignInMethod::Microsoft365App) << int(ServerType::Pop3Ssl)
        << QStringList{QStringLiteral("https://outlook.office365.com/.default")};
    QTest::newRow("m365-app-imap")
        << int(SignInMethod::Microsoft365App) << int(ServerType::ImapSsl)
        << QStringList{QStringLiteral("https://outlook.office365.com/.default")};
    QTest::newRow("google-pop3") << int(SignInMethod::Google) << int(ServerType::Pop3Ssl)
                                 << QStringList{QStringLiteral("https://mail.google.com/")};
    QTest::newRow("google-imap") << int(SignInMethod::Google) << int(ServerType::ImapSsl)
                                 << QStringList{QStringLiteral("https://mail.google.com/")};
}

void TestPresets::scopes()
{
    QFETCH(int, method);
    QFETCH(int, type);
    QFETCH(QStringList, expected);
    QCOMPARE(presetScopes(SignInMethod(method), isImap(ServerType(type))), expected);
    AccountConfig a;
    a.type = ServerType(type);
    a.signIn = SignInMethod(method);
    a.oauth2.scopes = {QStringLiteral("ignored-for-presets")};
    QCOMPARE(providerFor(a).scopes, expected);
}

void TestPresets::google()
{
    AccountConfig a;
    a.type = ServerType::ImapSsl;
    a.signIn = SignInMethod::Google;
    const Provider p = providerFor(a);
    QCOMPARE(p.tokenEndpoint.toString(), QStringLiteral("https://oauth2.googleapis.com/token"));
    QCOMPARE(p.authorizationEndpoint.toString(),
             QStringLiteral("https://accounts.google.com/o/oauth2/v2/auth"));
    QVERIFY(p.deviceAuthorizationEndpoint.isEmpty());
}

void TestPresets::otherProvider()
{
    AccountConfig a;
    a.type = ServerType::Pop3Ssl;
    a.signIn = SignInMethod::OAuth2;
    a.oauth2.clientId = QStringLiteral("c");
    a.oauth2.tokenUrl = QStringLiteral("https://idp.example/token");
    a.oauth2.deviceUrl = QStringLiteral("https://idp.example/device");
    a.oauth2.scopes = {QStringLiteral("mail"), QStringLiteral("offline_access")};
    a.timeoutSecs = 500;
    const Provider p = providerFor(a);
    QCOMPARE(p.tokenEndpoint.toString(), a.oauth2.tokenUrl);
    QCOMPARE(p.deviceAuthorizationEndpoint.toString(), a.oauth2.deviceUrl);
    QVERIFY(p.authorizationEndpoint.isEmpty());
    QCOMPARE(p.scopes, a.oauth2.scopes);
    QCOMPARE(p.timeoutSecs, 120); // bounded: a request to the provider never waits minutes
}

void TestPresets::password()
{
    AccountConfig a;
    a.oauth2.tokenUrl = QStringLiteral("https://idp.example/token");
    const Provider p = providerFor(a);
    QVERIFY(p.tokenEndpoint.isEmpty());
    QVERIFY(p.clientId.isEmpty());
}

void TestPresets::serverPresets()
{
    QCOMPARE(serverPreset(SignInMethod::Microsoft365, false).host,
             QStringLiteral("outlook.office365.com"));
    QCOMPARE(serverPreset(SignInMethod::Microsoft365, false).port, quint16(995));
    QCOMPARE(serverPreset(SignInMethod::Microsoft365App, true).port, quint16(993));
    QCOMPARE(serverPreset(SignInMethod::Microsoft365App, true).type, ServerType::ImapSsl);
    QCOMPARE(serverPreset(SignInMethod::Google, false).host, QStringLiteral("pop.gmail.com"));
    QCOMPARE(serverPreset(SignInMethod::Google, true).host, QStringLiteral("imap.gmail.com"));
    QVERIFY(serverPreset(SignInMethod::OAuth2, true).host.isEmpty());
    QVERIFY(serverPreset(SignInMethod::Password, true).host.isEmpty());
}

void TestPresets::hosts_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("method");
    QTest::newRow("office365") << QStringLiteral("outlook.office365.com")
                               << int(SignInMethod::Microsoft365);
    QTest::newRow("office-upper") << QStringLiteral(" Outlook.Office.com ")
                                  << int(SignInMethod::Microsoft365);
    QTest::newRow("gmail-pop") << QStringLiteral("pop.gmail.com") << int(SignInMethod::Google);
    QTest::newRow("googlemail-imap")
        << QStringLiteral("imap.googlemail.com") << int(SignInMethod::Google);
    QTest::newRow("lookalike") << QStringLiteral("outlook.office365.com.evil.example")
                               << int(SignInMethod::Password);
    QTest::newRow("other") << QStringLiteral("pop.example.com") << int(SignInMethod::Password);
}

void TestPresets::hosts()
{
    QFETCH(QString, host);
    QFETCH(int, method);
    QCOMPARE(int(providerForHost(host)), method);
}

QTEST_GUILESS_MAIN(TestPresets)
#include "tst_presets.moc"
