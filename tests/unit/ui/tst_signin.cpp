// OAuth2 sign-in in the UI: the account dialog's sign-in method (presets, fields, rules,
// keychain), its browser and device sign-ins (through fake runners: no real provider), the
// accounts list's and the tray's "Sign-in needed", and the controller's wiring.
#include "UiTestSupport.h"

#include "engine/Engine.h"
#include "secrets/KeychainSecretStore.h"
#include "ui/AccountAdvanced.h"
#include "ui/AccountAuthentication.h"
#include "ui/AccountDialog.h"
#include "ui/AccountsModel.h"
#include "ui/AccountsPage.h"
#include "ui/AppController.h"
#include "ui/DeviceCodeDialog.h"
#include "ui/PasswordField.h"
#include "ui/SettingsWindow.h"
#include "ui/SignInRunner.h"
#include "ui/TrayIcon.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace pollux;
using namespace pollux::test;
using pollux::ui::AccountDialog;
using pollux::ui::AccountsModel;
using pollux::ui::AccountsPage;
using pollux::ui::SignInRunner;

Q_DECLARE_METATYPE(pollux::SignInMethod)
Q_DECLARE_METATYPE(pollux::ServerType)
Q_DECLARE_METATYPE(pollux::oauth::OAuthError)

namespace {

// A sign-in that does what the test says: codeReady/browserOpened right after start(),
// finished() when the test calls succeed() or fail().
class FakeRunner final : public SignInRunner
{
public:
    FakeRunner(Kind kind, const oauth::Provider &provider, QObject *parent)
        : SignInRunner(parent), kind(kind), provider(provider)
    {
    }
    void start() override
    {
        started = true;
        QTimer::singleShot(0, this, [this] {
            if (this->kind == Kind::Device) {
                oauth::DeviceCode code;
                code.userCode = QStringLiteral("WDJB-MJHT");
                code.verificationUri = QStringLiteral("https://login.example/device");
                emit codeReady(code);
            } else {
                emit browserOpened(QUrl(QStringLiteral("https://login.example/authorize")));
            }
        });
    }
    void cancel() override { cancelled = true; }
    void succeed(const QString &refreshToken, qint64 refreshExpiresIn)
    {
        oauth::TokenSet t;
        t.accessToken = QStringLiteral("access-token-1");
        t.refreshToken = refreshToken;
        t.expiresIn = 3600;
        t.refreshExpiresIn = refreshExpiresIn;
        emit finished(oauth::OAuthError::None, {}, t);
    }
    void fail(oauth::OAuthError error, const QString &detail) { emit finished(error, detail, {}); }

    Kind kind;
    oauth::Provider provider;
    bool started = false;
    bool cancelled = false;
};

struct FakeRunners
{
    QList<QPointer<FakeRunner>> made;
    ui::SignInRunnerFactory factory()
    {
        return [this](SignInRunner::Kind kind, const oauth::Provider &provider, QObject *parent) {
            auto *r = new FakeRunner(kind, provider, parent);
            made << r;
            return r;
        };
    }
    FakeRunner *last() const { return made.isEmpty() ? nullptr : made.last().data(); }
};

AccountConfig microsoftAccount()
{
    AccountConfig a;
    a.name = QStringLiteral("joe");
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("outlook.office365.com");
    a.port = 995;
    a.username = QStringLiteral("joe@contoso.example");
    a.recipient = QStringLiteral("joe@office.example");
    a.signIn = SignInMethod::Microsoft365;
    a.oauth2.clientId = QStringLiteral("0c6f1a52-1b7e-4bd4-8f3e-1d2a4f9b7c01");
    return a;
}

QStringList names(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *n : list)
        out << QString::fromLatin1(n);
    return out;
}

template <typename T> T *child(QWidget *parent, const QString &name)
{
    T *w = parent->findChild<T *>(name);
    if (!w)
        qFatal("no child %s", qPrintable(name));
    return w;
}

QLineEdit *edit(QWidget *parent, const char *name)
{
    return child<QLineEdit>(parent, QString::fromLatin1(name));
}

// Chooses `method` in the Authentication group's combo box as a user does.
void choose(AccountDialog &dialog, SignInMethod method)
{
    QComboBox *box = dialog.authentication()->methodBox();
    const int i = box->findData(int(method));
    QVERIFY(i >= 0);
    box->setCurrentIndex(i);
    emit box->activated(i);
}

bool itemEnabled(QComboBox *box, const QString &data)
{
    auto *model = qobject_cast<QStandardItemModel *>(box->model());
    return model->item(box->findData(data))->isEnabled();
}

} // namespace

class TestSignIn : public QObject
{
    Q_OBJECT

private slots:
    void presetsFillServerAndScopes_data();
    void presetsFillServerAndScopes();
    void fieldsFollowTheMethod_data();
    void fieldsFollowTheMethod();
    void validationNamesTheField_data();
    void validationNamesTheField();
    void savingKeepsTheClientSecretInTheKeychain();
    void knownProviderHintSwitchesTheMethod();
    void deviceSignInShowsTheCodeAndStoresTheToken();
    void browserSignInOpensAndStores();
    void failuresInPlainWords_data();
    void failuresInPlainWords();
    void cancelStopsTheSignIn();
    void signInChecksTheFieldsFirst();
    void renamedAccountKeepsItsSignIn();
    void accountsListShowsSignInNeeded();
    void expiryWithin14DaysIsAWarning();
    void trayShowsSignInNeededAndNotifiesOnce();
    void controllerWiresSignInStateAndSignedIn();
    void signInAgainIsUsedWithoutSave();
    void realKeychainHoldsTheSecrets();
};

void TestSignIn::presetsFillServerAndScopes_data()
{
    QTest::addColumn<SignInMethod>("method");
    QTest::addColumn<ServerType>("chosenType");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<ServerType>("type");
    QTest::addColumn<QString>("scopes");
    QTest::newRow("microsoft-pop3")
        << SignInMethod::Microsoft365 << ServerType::Pop3 << "outlook.office365.com" << 995
        << ServerType::Pop3Ssl << "https://outlook.office.com/POP.AccessAsUser.All offline_access";
    QTest::newRow("microsoft-imap")
        << SignInMethod::Microsoft365 << ServerType::Imap << "outlook.office365.com" << 993
        << ServerType::ImapSsl << "https://outlook.office.com/IMAP.AccessAsUser.All offline_access";
    QTest::newRow("google-pop3") << SignInMethod::Google << ServerType::Pop3Ssl << "pop.gmail.com"
                                 << 995 << ServerType::Pop3Ssl << "https://mail.google.com/";
    QTest::newRow("google-imap") << SignInMethod::Google << ServerType::ImapSsl << "imap.gmail.com"
                                 << 993 << ServerType::ImapSsl << "https://mail.google.com/";
    QTest::newRow("app-only-imap")
        << SignInMethod::Microsoft365App << ServerType::Imap << "outlook.office365.com" << 993
        << ServerType::ImapSsl << "https://outlook.office365.com/.default";
    // Another provider: the admin knows the server; nothing is filled in.
    QTest::newRow("other-keeps-the-server")
        << SignInMethod::OAuth2 << ServerType::Imap << "mail.provider.example" << 143
        << ServerType::Imap << "";
}

void TestSignIn::presetsFillServerAndScopes()
{
    QFETCH(SignInMethod, method);
    QFETCH(ServerType, chosenType);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(ServerType, type);
    QFETCH(QString, scopes);
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    edit(&dialog, "host")->setText(QStringLiteral("mail.provider.example"));
    dialog.setServerType(chosenType);
    choose(dialog, method);
    QCOMPARE(edit(&dialog, "host")->text(), host);
    QCOMPARE(child<QSpinBox>(&dialog, QStringLiteral("port"))->value(), port);
    QVERIFY(child<QRadioButton>(&dialog, QStringLiteral("type-") + configName(type))->isChecked());
    const AccountConfig a = dialog.account();
    QCOMPARE(a.signIn, method);
    QCOMPARE(a.type, type);
    QCOMPARE(edit(&dialog, "scopes")->text(), scopes);
    // The presets' scopes are what is sent, not a field to edit; another provider's are.
    QCOMPARE(edit(&dialog, "scopes")->isReadOnly(), method != SignInMethod::OAuth2);
}

void TestSignIn::fieldsFollowTheMethod_data()
{
    QTest::addColumn<SignInMethod>("method");
    QTest::addColumn<QStringList>("shown");
    QTest::newRow("password") << SignInMethod::Password << names({"password"});
    QTest::newRow("microsoft365") << SignInMethod::Microsoft365
                                  << names({"clientId", "tenant", "clientSecret", "scopes",
                                            "signIn-row"});
    QTest::newRow("google") << SignInMethod::Google
                            << names({"clientId", "clientSecret", "scopes", "signIn-row"});
    QTest::newRow("other") << SignInMethod::OAuth2
                           << names({"clientId", "clientSecret", "authorizationUrl", "tokenUrl",
                                     "deviceUrl", "scopes", "appOnly", "signIn-row"});
    QTest::newRow("microsoft365-app")
        << SignInMethod::Microsoft365App
        << names({"clientId", "tenant", "clientSecret", "scopes", "signIn-row"});
}

void TestSignIn::fieldsFollowTheMethod()
{
    QFETCH(SignInMethod, method);
    QFETCH(QStringList, shown);
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    dialog.show();
    dialog.setAdvancedVisible(true);
    choose(dialog, method);
    for (const char *name : {"clientId", "tenant", "clientSecret", "authorizationUrl", "tokenUrl",
                             "deviceUrl", "scopes", "appOnly", "password", "signIn-row"}) {
        QWidget *w = dialog.findChild<QWidget *>(QString::fromLatin1(name));
        QVERIFY2(w, name);
        QVERIFY2(w->isVisible() == shown.contains(QString::fromLatin1(name)), name);
    }
    // An OAuth2 sign-in sends a token: the password methods are not offered.
    QComboBox *auth = dialog.advanced()->authMethod();
    const bool oauth = method != SignInMethod::Password;
    for (const char *m : {"auto", "xoauth2", "oauthbearer"})
        QVERIFY2(itemEnabled(auth, QString::fromLatin1(m)), m);
    for (const char *m : {"user", "login", "plain", "cram-md5", "scram-sha-256"})
        QVERIFY2(itemEnabled(auth, QString::fromLatin1(m)) == !oauth, m);
    // App-only signs in without a person: no sign-in buttons.
    const bool interactive = oauth && method != SignInMethod::Microsoft365App;
    QCOMPARE(dialog.signInButton()->isVisible(), interactive);
    QCOMPARE(dialog.deviceSignInButton()->isVisible(), interactive);
    if (method == SignInMethod::Google) // Google's device flow does not grant mail
        QVERIFY(!dialog.deviceSignInButton()->isEnabled());
    if (method == SignInMethod::Microsoft365) {
        QVERIFY(dialog.signInButton()->isEnabled());
        QVERIFY(dialog.deviceSignInButton()->isEnabled());
    }
}

void TestSignIn::validationNamesTheField_data()
{
    QTest::addColumn<SignInMethod>("method");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("authorizationUrl");
    QTest::addColumn<QString>("tokenUrl");
    QTest::addColumn<QString>("scopes");
    QTest::addColumn<bool>("appOnly");
    QTest::addColumn<QString>("expected"); // empty: valid
    const QString id = QStringLiteral("0c6f1a52-1b7e-4bd4-8f3e-1d2a4f9b7c01");
    const QString https = QStringLiteral("https://login.provider.example/");
    QTest::newRow("microsoft-valid") << SignInMethod::Microsoft365 << id << "organizations"
                                     << ""
                                     << ""
                                     << ""
                                     << "" << false << "";
    QTest::newRow("client-id-empty")
        << SignInMethod::Microsoft365 << ""
        << "organizations"
        << ""
        << ""
        << ""
        << "" << false << "Client ID: enter the client (application) ID";
    QTest::newRow("client-id-with-space")
        << SignInMethod::Google << "my app"
        << ""
        << "s"
        << ""
        << ""
        << "" << false << "Client ID: the client ID must not contain spaces.";
    QTest::newRow("tenant-garbage") << SignInMethod::Microsoft365 << id << "con toso"
                                    << ""
                                    << ""
                                    << ""
                                    << "" << false << "Tenant: “con toso” is not a tenant";
    QTest::newRow("app-only-organizations")
        << SignInMethod::Microsoft365App << id << "organizations"
        << "s"
        << ""
        << ""
        << "" << false << "Tenant: app-only access needs your own tenant";
    QTest::newRow("app-only-valid")
        << SignInMethod::Microsoft365App << id << "contoso.onmicrosoft.com"
        << "s"
        << ""
        << ""
        << "" << false << "";
    QTest::newRow("app-only-no-secret")
        << SignInMethod::Microsoft365App << id << "contoso.onmicrosoft.com"
        << ""
        << ""
        << ""
        << "" << false << "Client secret: app-only access requires the client secret";
    QTest::newRow("google-no-secret")
        << SignInMethod::Google << id << ""
        << ""
        << ""
        << ""
        << "" << false << "Client secret: Google requires the client secret";
    QTest::newRow("google-valid") << SignInMethod::Google << id << ""
                                  << "s"
                                  << ""
                                  << ""
                                  << "" << false << "";
    QTest::newRow("other-no-token-url")
        << SignInMethod::OAuth2 << id << ""
        << "" << https + QLatin1String("authorize") << ""
        << "mail offline_access" << false << "Token URL: enter the provider's endpoint";
    QTest::newRow("other-http-not-loopback")
        << SignInMethod::OAuth2 << id << ""
        << ""
        << "http://login.provider.example/authorize" << https + QLatin1String("token") << "mail"
        << false
        << "Authorization URL: “http://login.provider.example/authorize” is not an https URL";
    QTest::newRow("other-http-loopback-is-fine") << SignInMethod::OAuth2 << id << ""
                                                 << ""
                                                 << "http://127.0.0.1:3000/auth"
                                                 << "http://127.0.0.1:3000/token"
                                                 << "mail" << false << "";
    QTest::newRow("other-neither-browser-nor-device")
        << SignInMethod::OAuth2 << id << ""
        << ""
        << "" << https + QLatin1String("token") << "mail" << false
        << "Authorization URL: a sign-in needs the authorization URL (browser) or the device URL";
    QTest::newRow("other-no-scopes")
        << SignInMethod::OAuth2 << id << ""
        << "" << https + QLatin1String("auth") << https + QLatin1String("token") << "  " << false
        << "Scopes: enter the scopes to ask for";
    QTest::newRow("other-app-only-no-secret")
        << SignInMethod::OAuth2 << id << ""
        << ""
        << "" << https + QLatin1String("token") << "mail" << true
        << "Client secret: app-only access requires the client secret";
}

void TestSignIn::validationNamesTheField()
{
    QFETCH(SignInMethod, method);
    QFETCH(QString, clientId);
    QFETCH(QString, tenant);
    QFETCH(QString, secret);
    QFETCH(QString, authorizationUrl);
    QFETCH(QString, tokenUrl);
    QFETCH(QString, scopes);
    QFETCH(bool, appOnly);
    QFETCH(QString, expected);
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    AccountConfig a = microsoftAccount();
    a.host = QStringLiteral("mail.provider.example");
    dialog.setAccount(a, true);
    choose(dialog, method);
    ui::AccountAuthentication *auth = dialog.authentication();
    auth->clientId()->setText(clientId);
    auth->tenant()->setText(tenant);
    auth->clientSecret()->setPassword(secret);
    auth->authorizationUrl()->setText(authorizationUrl);
    auth->tokenUrl()->setText(tokenUrl);
    if (method == SignInMethod::OAuth2)
        auth->scopes()->setText(scopes);
    auth->appOnly()->setChecked(appOnly);
    const bool ok = dialog.validate();
    const QString errors = dialog.errors().join(QLatin1Char('\n'));
    if (expected.isEmpty()) {
        QVERIFY2(ok, qPrintable(errors));
        // The engine's rules agree.
        Config c;
        c.accounts << dialog.account();
        c.smtp.host = QStringLiteral("localhost");
        c.acceptedDomains << QStringLiteral("office.example");
        const Result r = c.validate();
        QVERIFY2(r.ok(), qPrintable(r.message()));
    } else {
        QVERIFY(!ok);
        QVERIFY2(errors.startsWith(expected), qPrintable(errors));
        QVERIFY2(!errors.contains(QLatin1String("accounts[")), qPrintable(errors));
    }
}

void TestSignIn::savingKeepsTheClientSecretInTheKeychain()
{
    FakeSecretStore secrets;
    const QString secret = QStringLiteral("gOCSPX-very-secret~1");
    AccountConfig saved;
    {
        AccountDialog dialog({&secrets});
        AccountConfig a = microsoftAccount();
        a.signIn = SignInMethod::Password;
        dialog.setAccount(a, true);
        dialog.setServerType(ServerType::ImapSsl);
        choose(dialog, SignInMethod::Google);
        dialog.authentication()->clientId()->setText(QStringLiteral("123-abc.apps.example"));
        dialog.authentication()->clientSecret()->setPassword(secret);
        dialog.show();
        dialog.accept();
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        saved = dialog.account();
    }
    // A new account's name follows user and server until typed.
    QCOMPARE(saved.name, QStringLiteral("joe@contoso.example@imap.gmail.com"));
    QCOMPARE(secrets.secrets.value(QStringLiteral("oauth2-client/") + saved.name), secret);
    QCOMPARE(secrets.secrets.size(), 1); // no password for a sign-in account
    QCOMPARE(saved.signIn, SignInMethod::Google);
    QCOMPARE(saved.host, QStringLiteral("imap.gmail.com"));
    QVERIFY(saved.oauth2.clientSecret);
    const QByteArray json = accountJson(saved);
    QVERIFY2(json.contains("\"signIn\": \"google\""), json.constData());
    QVERIFY2(json.contains("\"clientId\": \"123-abc.apps.example\""), json.constData());
    QVERIFY2(json.contains("\"clientSecret\": true"), json.constData());
    QVERIFY2(!json.contains(secret.toUtf8()), json.constData());

    // Editing loads it from the keychain; it stays there, and the config keeps saying so.
    AccountDialog dialog({&secrets});
    dialog.setAccount(saved, false);
    QTRY_VERIFY(!dialog.authentication()->clientSecret()->isLoading());
    QCOMPARE(dialog.authentication()->clientSecret()->password(), secret);
    QVERIFY(dialog.account().oauth2.clientSecret);
    QVERIFY(dialog.passwordField()->isHidden());
}

void TestSignIn::knownProviderHintSwitchesTheMethod()
{
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    dialog.show();
    QVERIFY(!dialog.providerHint()->isVisible());
    edit(&dialog, "host")->setText(QStringLiteral("pop.provider.example"));
    QVERIFY(!dialog.providerHint()->isVisible());
    edit(&dialog, "host")->setText(QStringLiteral("outlook.office365.com"));
    QVERIFY(dialog.providerHint()->isVisible());
    QCOMPARE(dialog.providerHint()->text(),
             QStringLiteral("outlook.office365.com is Microsoft 365: sign in with Microsoft "
                            "instead of a password."));
    QVERIFY(dialog.passwordField()->isVisible());
    dialog.providerSwitch()->click();
    QCOMPARE(dialog.account().signIn, SignInMethod::Microsoft365);
    QCOMPARE(dialog.account().type, ServerType::Pop3Ssl);
    QCOMPARE(dialog.account().port, quint16(995));
    QVERIFY(!dialog.providerHint()->isVisible());
    QVERIFY(!dialog.passwordField()->isVisible());
    QVERIFY(dialog.signInButton()->isVisible());
    QVERIFY(dialog.authentication()->clientId()->isVisible()); // Advanced opened on it

    AccountDialog google({&secrets});
    google.show();
    edit(&google, "host")->setText(QStringLiteral("imap.gmail.com"));
    QVERIFY(google.providerHint()->text().startsWith(QLatin1String("imap.gmail.com is Google")));
    google.setServerType(ServerType::Imap);
    google.providerSwitch()->click();
    QCOMPARE(google.account().signIn, SignInMethod::Google);
    QCOMPARE(google.account().host, QStringLiteral("imap.gmail.com"));
    QCOMPARE(google.account().type, ServerType::ImapSsl);
}

void TestSignIn::deviceSignInShowsTheCodeAndStoresTheToken()
{
    FakeSecretStore secrets;
    FakeRunners runners;
    AccountDialog::Context context{&secrets};
    context.signInRunners = runners.factory();
    AccountDialog dialog(context);
    dialog.setAccount(microsoftAccount(), true);
    dialog.authentication()->tenant()->setText(QStringLiteral("contoso.onmicrosoft.com"));
    dialog.show();
    QSignalSpy finished(&dialog, &AccountDialog::signInFinished);
    dialog.deviceSignInButton()->click();
    QCOMPARE(runners.made.size(), 1);
    FakeRunner *runner = runners.last();
    QCOMPARE(runner->kind, SignInRunner::Kind::Device);
    QVERIFY(runner->started);
    QCOMPARE(runner->provider.clientId, microsoftAccount().oauth2.clientId);
    QCOMPARE(runner->provider.deviceAuthorizationEndpoint.toString(),
             QStringLiteral("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/"
                            "v2.0/devicecode"));
    QVERIFY(runner->provider.scopes.contains(QStringLiteral("offline_access")));
    QVERIFY(!dialog.deviceSignInButton()->isEnabled()); // one sign-in at a time

    // The code and the address, in a small dialog that does not block the window.
    QTRY_VERIFY(dialog.deviceCodeDialog() && dialog.deviceCodeDialog()->isVisible());
    ui::DeviceCodeDialog *codeDialog = dialog.deviceCodeDialog();
    QCOMPARE(codeDialog->codeLabel()->text(), QStringLiteral("WDJB-MJHT"));
    QVERIFY(
        codeDialog->addressLabel()->text().contains(QLatin1String("https://login.example/device")));
    codeDialog->copyButton()->click();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("WDJB-MJHT"));
    QVERIFY(dialog.isEnabled());
    QCOMPARE(finished.count(), 0);

    const qint64 ninetyDays = 90LL * 24 * 3600;
    runner->succeed(QStringLiteral("refresh-token-1"), ninetyDays);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(finished.at(0).at(0).toBool());
    QCOMPARE(secrets.secrets.value(QStringLiteral("oauth2-refresh/joe")),
             QStringLiteral("refresh-token-1"));
    QVERIFY(dialog.signedIn());
    const qint64 left = QDateTime::currentDateTimeUtc().secsTo(dialog.signedInExpiry());
    QVERIFY2(left > ninetyDays - 120 && left <= ninetyDays, qPrintable(QString::number(left)));
    QVERIFY2(
        dialog.signInStatus()->text().startsWith(QLatin1String("Signed in; sign-in valid until ")),
        qPrintable(dialog.signInStatus()->text()));
    QVERIFY(!dialog.signInStatus()->text().contains(QLatin1String("refresh-token-1")));
    QTRY_VERIFY(!dialog.deviceCodeDialog());
    QVERIFY(dialog.deviceSignInButton()->isEnabled());

    // OK saves the account; the refresh token was not written to the config.
    dialog.accept();
    QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(!accountJson(dialog.account()).contains("refresh-token-1"));
}

void TestSignIn::browserSignInOpensAndStores()
{
    FakeSecretStore secrets;
    FakeRunners runners;
    AccountDialog::Context context{&secrets};
    context.signInRunners = runners.factory();
    AccountDialog dialog(context);
    AccountConfig a = microsoftAccount();
    a.signIn = SignInMethod::Google;
    a.host = QStringLiteral("pop.gmail.com");
    dialog.setAccount(a, true);
    dialog.authentication()->clientSecret()->setPassword(QStringLiteral("client-secret-x"));
    QSignalSpy finished(&dialog, &AccountDialog::signInFinished);
    dialog.signInButton()->click();
    QCOMPARE(runners.made.size(), 1);
    FakeRunner *runner = runners.last();
    QCOMPARE(runner->kind, SignInRunner::Kind::Browser);
    QCOMPARE(runner->provider.clientSecret, QStringLiteral("client-secret-x"));
    QCOMPARE(runner->provider.scopes, QStringList{QStringLiteral("https://mail.google.com/")});
    QTRY_VERIFY(dialog.signInStatus()->text().contains(QLatin1String("browser is open")));
    runner->succeed(QStringLiteral("refresh-token-g"), 0);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(secrets.secrets.value(QStringLiteral("oauth2-refresh/joe")),
             QStringLiteral("refresh-token-g"));
    QCOMPARE(dialog.signInStatus()->text(), QStringLiteral("Signed in."));
    QVERIFY(!dialog.signedInExpiry().isValid()); // not stated by the provider
}

void TestSignIn::failuresInPlainWords_data()
{
    QTest::addColumn<oauth::OAuthError>("error");
    QTest::addColumn<QString>("expected");
    QTest::newRow("access-denied") << oauth::OAuthError::AccessDenied << "access was denied";
    QTest::newRow("timeout") << oauth::OAuthError::Timeout << "timed out";
    QTest::newRow("device-code-expired") << oauth::OAuthError::ExpiredToken << "timed out";
    QTest::newRow("app-registration-refused")
        << oauth::OAuthError::InvalidClient << "refused the app registration";
    QTest::newRow("network") << oauth::OAuthError::Network << "could not be reached";
    QTest::newRow("garbage-answer") << oauth::OAuthError::Protocol << "The sign-in failed.";
}

void TestSignIn::failuresInPlainWords()
{
    QFETCH(oauth::OAuthError, error);
    QFETCH(QString, expected);
    FakeSecretStore secrets;
    FakeRunners runners;
    AccountDialog::Context context{&secrets};
    context.signInRunners = runners.factory();
    AccountDialog dialog(context);
    dialog.setAccount(microsoftAccount(), true);
    QSignalSpy finished(&dialog, &AccountDialog::signInFinished);
    dialog.signInOnAnotherDevice();
    QVERIFY(runners.last());
    QTRY_VERIFY(dialog.deviceCodeDialog());
    runners.last()->fail(error, QStringLiteral("AADSTS70000: the words of the provider"));
    QCOMPARE(finished.count(), 1);
    QVERIFY(!finished.at(0).at(0).toBool());
    const QString text = dialog.signInStatus()->text();
    QVERIFY2(text.contains(expected), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("AADSTS70000")), qPrintable(text));
    QVERIFY(!dialog.signedIn());
    QVERIFY(secrets.secrets.isEmpty());
    QVERIFY(!dialog.isSigningIn());
    QTRY_VERIFY(!dialog.deviceCodeDialog());
}

void TestSignIn::cancelStopsTheSignIn()
{
    FakeSecretStore secrets;
    FakeRunners runners;
    AccountDialog::Context context{&secrets};
    context.signInRunners = runners.factory();
    AccountDialog dialog(context);
    dialog.setAccount(microsoftAccount(), true);
    dialog.show();
    dialog.signInOnAnotherDevice();
    QTRY_VERIFY(dialog.deviceCodeDialog() && dialog.deviceCodeDialog()->isVisible());
    QPointer<FakeRunner> runner = runners.last();
    dialog.deviceCodeDialog()->cancelButton()->click();
    QVERIFY(runner && runner->cancelled);
    QVERIFY(!dialog.isSigningIn());
    QCOMPARE(dialog.signInStatus()->text(), QStringLiteral("Sign-in cancelled."));
    QTRY_VERIFY(!runner); // the runner is gone

    // The browser's wait is cancelled from the dialog itself.
    dialog.signInWithBrowser();
    QVERIFY(dialog.cancelSignInButton()->isVisible());
    dialog.cancelSignInButton()->click();
    QVERIFY(runners.last()->cancelled);
    QVERIFY(!dialog.isSigningIn());
    QVERIFY(dialog.signInButton()->isEnabled());
}

void TestSignIn::signInChecksTheFieldsFirst()
{
    FakeSecretStore secrets;
    FakeRunners runners;
    AccountDialog::Context context{&secrets};
    context.signInRunners = runners.factory();
    AccountDialog dialog(context);
    AccountConfig a = microsoftAccount();
    a.oauth2.clientId.clear();
    dialog.setAccount(a, true);
    dialog.signInWithBrowser();
    QVERIFY(runners.made.isEmpty());
    QVERIFY2(dialog.errors().join(QLatin1Char('\n')).contains(QLatin1String("Client ID:")),
             qPrintable(dialog.errors().join(QLatin1Char('\n'))));
}

void TestSignIn::renamedAccountKeepsItsSignIn()
{
    FakeSecretStore secrets;
    secrets.secrets.insert(QStringLiteral("oauth2-refresh/joe"), QStringLiteral("rt-old"));
    AccountDialog dialog({&secrets, {}, {QStringLiteral("other")}});
    dialog.setAccount(microsoftAccount(), false);
    QTRY_VERIFY(!dialog.passwordField()->isLoading());
    edit(&dialog, "name")->setText(QStringLiteral("joe-office"));
    dialog.show();
    dialog.accept();
    QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(secrets.secrets.value(QStringLiteral("oauth2-refresh/joe-office")),
             QStringLiteral("rt-old"));
}

void TestSignIn::accountsListShowsSignInNeeded()
{
    FakeSecretStore secrets;
    FakeRunners runners;
    AccountsPage page(&secrets);
    page.setSignInRunnerFactory(runners.factory());
    Config c;
    AccountConfig password = microsoftAccount();
    password.name = QStringLiteral("anna");
    password.host = QStringLiteral("pop.provider.example");
    password.signIn = SignInMethod::Password;
    c.accounts << password << microsoftAccount();
    c.acceptedDomains << QStringLiteral("office.example");
    page.load(c);
    AccountsModel *m = page.model();
    m->setPassResult(QStringLiteral("anna"), Result::success(), 2, QDateTime::currentDateTime());
    m->setPassResult(QStringLiteral("joe"), Result::success(), 1, QDateTime::currentDateTime());
    m->setSignInState(QStringLiteral("joe"), true, {},
                      QStringLiteral("invalid_grant: AADSTS700082"));
    QCOMPARE(m->index(1, AccountsModel::Status).data().toString(),
             QStringLiteral("Sign-in needed"));
    QVERIFY(m->index(1, AccountsModel::Status)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("AADSTS700082")));
    // The other account's mail shows as before.
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(), QStringLiteral("OK"));

    // "Sign in again" is there for the OAuth2 account only.
    page.view()->selectRow(0);
    QVERIFY(!page.signInAgainButton()->isEnabled());
    QVERIFY(!page.signInAgain(0));
    page.view()->selectRow(1);
    QVERIFY(page.signInAgainButton()->isEnabled());
    page.signInAgainButton()->click();
    AccountDialog *dialog = page.currentDialog();
    QVERIFY(dialog);
    QVERIFY(!dialog->isNew());
    QCOMPARE(dialog->account().name, QStringLiteral("joe"));
    QVERIFY(dialog->signInStatus()->text().startsWith(QLatin1String("Sign-in needed")) ||
            dialog->isSigningIn());
    QCOMPARE(runners.made.size(), 1);
    QCOMPARE(runners.last()->kind, SignInRunner::Kind::Browser); // Microsoft has one
    QVERIFY(runners.last()->started);
    runners.last()->succeed(QStringLiteral("rt-new"), 0);
    QTRY_VERIFY(dialog->signedIn());
    QCOMPARE(secrets.secrets.value(QStringLiteral("oauth2-refresh/joe")), QStringLiteral("rt-new"));
    dialog->accept();
    QTRY_VERIFY(!page.currentDialog() || page.currentDialog()->result() == QDialog::Accepted);
    const QMap<QString, QDateTime> signIns = page.takeSignIns();
    QCOMPARE(signIns.keys(), QStringList{QStringLiteral("joe")});
    QVERIFY(page.takeSignIns().isEmpty()); // told once

    // The engine says it is signed in again.
    m->setSignInState(QStringLiteral("joe"), false, {}, {});
    QCOMPARE(m->index(1, AccountsModel::Status).data().toString(), QStringLiteral("OK"));
    QVERIFY(page.signInAgain(QStringLiteral("joe")));
    QVERIFY(!page.signInAgain(QStringLiteral("nobody")));
}

void TestSignIn::expiryWithin14DaysIsAWarning()
{
    AccountsModel m;
    AccountConfig soon = microsoftAccount();
    AccountConfig later = microsoftAccount();
    later.name = QStringLiteral("later");
    AccountConfig password = microsoftAccount();
    password.name = QStringLiteral("password");
    password.signIn = SignInMethod::Password;
    m.setAccounts({soon, later, password});
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m.setPassResult(QStringLiteral("joe"), Result::success(), 0, QDateTime::currentDateTime());
    m.setSignInState(QStringLiteral("joe"), false, now.addDays(5), {});
    m.setSignInState(QStringLiteral("later"), false, now.addDays(60), {});
    m.setSignInState(QStringLiteral("password"), false, now.addDays(5), {});
    const QString date =
        QLocale().toString(now.addDays(5).toLocalTime().date(), QLocale::ShortFormat);
    QCOMPARE(m.index(0, AccountsModel::Status).data().toString(),
             QStringLiteral("OK; sign-in expires on %1").arg(date));
    QVERIFY(m.index(0, AccountsModel::Status).data(Qt::ForegroundRole).isValid());
    QCOMPARE(m.index(1, AccountsModel::Status).data().toString(),
             QStringLiteral("Not checked yet"));
    QCOMPARE(m.index(2, AccountsModel::Status).data().toString(),
             QStringLiteral("Not checked yet")); // a password account has no sign-in
}

void TestSignIn::trayShowsSignInNeededAndNotifiesOnce()
{
    ui::TrayIcon tray;
    QSignalSpy notified(&tray, &ui::TrayIcon::notified);
    QSignalSpy requested(&tray, &ui::TrayIcon::signInRequested);
    QVERIFY(tray.signInActions().isEmpty());
    tray.onSignInState(QStringLiteral("joe"), false, {}, {});
    QCOMPARE(notified.count(), 0); // signed in is no news
    QCOMPARE(tray.state(), ui::TrayIcon::State::Idle);

    tray.onSignInState(QStringLiteral("joe"), true, {}, QStringLiteral("invalid_grant"));
    QCOMPARE(tray.state(), ui::TrayIcon::State::Error);
    QCOMPARE(notified.count(), 1);
    QCOMPARE(notified.last().at(0).toString(), QStringLiteral("Sign-in needed for joe"));
    QVERIFY2(tray.details().contains(QLatin1String("sign-in needed: joe")),
             qPrintable(tray.details()));
    QCOMPARE(tray.signInActions().size(), 1);
    QCOMPARE(tray.signInActions().first()->text(), QStringLiteral("Sign in again: joe"));
    QVERIFY(tray.menu()->actions().contains(tray.signInActions().first()));
    tray.signInActions().first()->trigger();
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().at(0).toString(), QStringLiteral("joe"));

    // Every pass and every restart says it again: no new notification.
    tray.onSignInState(QStringLiteral("joe"), true, {}, QStringLiteral("invalid_grant"));
    tray.onPassFinished(QStringLiteral("joe"),
                        Result::failure(ErrorCode::SignInNeeded, QStringLiteral("invalid_grant")),
                        0);
    tray.restarted({QStringLiteral("joe"), QStringLiteral("anna")});
    tray.onSignInState(QStringLiteral("joe"), true, {}, QStringLiteral("invalid_grant"));
    QCOMPARE(notified.count(), 1);
    QVERIFY(tray.failingAccounts().isEmpty()); // said once, as sign-in needed
    QCOMPARE(tray.problems().size(), 1);
    // Another account's mail goes on.
    tray.onPassStarted(QStringLiteral("anna"));
    tray.onPassFinished(QStringLiteral("anna"), Result::success(), 3);
    QCOMPARE(tray.signInNeededAccounts(), QStringList{QStringLiteral("joe")});
    QCOMPARE(notified.count(), 1);

    // Signed in again: told once, the entry goes.
    tray.onSignInState(QStringLiteral("joe"), false, {}, {});
    QCOMPARE(notified.count(), 2);
    QCOMPARE(notified.last().at(0).toString(), QStringLiteral("joe is signed in again"));
    QVERIFY(tray.signInActions().isEmpty());
    QCOMPARE(tray.state(), ui::TrayIcon::State::Idle);

    // An expiry within 14 days is a line of its own, not an error.
    tray.onSignInState(QStringLiteral("joe"), false, QDateTime::currentDateTimeUtc().addDays(3),
                       {});
    QVERIFY2(tray.details().contains(QLatin1String("The sign-in of joe expires on")),
             qPrintable(tray.details()));
    QCOMPARE(tray.state(), ui::TrayIcon::State::Idle);
    tray.onSignInState(QStringLiteral("joe"), false, QDateTime::currentDateTimeUtc().addDays(30),
                       {});
    QVERIFY(!tray.details().contains(QLatin1String("expires")));
    QCOMPARE(notified.count(), 2);
}

void TestSignIn::controllerWiresSignInStateAndSignedIn()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FakeSecretStore secrets;
    FakeRunners runners;
    ui::AppController::Options options;
    options.configPath = dir.filePath(QStringLiteral("pollux.json"));
    options.secrets = &secrets;
    options.useTray = false;
    ui::AppController app(options);
    Config c;
    c.accounts << microsoftAccount();
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.acceptedDomains << QStringLiteral("office.example");
    c.dataDir = dir.filePath(QStringLiteral("data"));
    app.setConfig(c);
    app.setPaused(true); // no engine threads: this is about the wiring
    ui::SettingsWindow *settings = app.settingsWindow();
    settings->accountsPage()->setSignInRunnerFactory(runners.factory());
    app.showSettings();
    AccountsModel *model = settings->accountsPage()->model();

    emit app.engine()->signInState(QStringLiteral("joe"), true, {}, QStringLiteral("revoked"));
    QCOMPARE(model->index(0, AccountsModel::Status).data().toString(),
             QStringLiteral("Sign-in needed"));
    QCOMPARE(app.tray()->signInNeededAccounts(), QStringList{QStringLiteral("joe")});

    // The tray's "Sign in again" opens the account's sign-in in the settings.
    app.tray()->signInActions().first()->trigger();
    AccountDialog *dialog = settings->accountsPage()->currentDialog();
    QVERIFY(dialog);
    QTRY_COMPARE(runners.made.size(), 1);
    runners.last()->succeed(QStringLiteral("rt-controller"), 0);
    QTRY_VERIFY(dialog->signedIn());
    dialog->accept();
    QTRY_COMPARE(dialog->result(), int(QDialog::Accepted));

    // Saving tells the engine (Engine::signedIn), which reports it signed in.
    QSignalSpy state(app.engine(), &Engine::signInState);
    QSignalSpy saved(settings, &ui::SettingsWindow::saved);
    QVERIFY2(settings->save(), qPrintable(settings->problems().join(QLatin1Char('\n'))));
    QTRY_COMPARE(saved.count(), 1);
    QTRY_VERIFY(state.count() >= 1);
    QCOMPARE(state.last().at(0).toString(), QStringLiteral("joe"));
    QCOMPARE(state.last().at(1).toBool(), false);
    QCOMPARE(model->index(0, AccountsModel::Status).data().toString(),
             QStringLiteral("Paused")); // signed in; the app is still paused
    QVERIFY(app.tray()->signInNeededAccounts().isEmpty());
    QCOMPARE(secrets.secrets.value(QStringLiteral("oauth2-refresh/joe")),
             QStringLiteral("rt-controller"));
    QFile file(options.configPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray json = file.readAll();
    QVERIFY(json.contains("microsoft365"));
    QVERIFY(!json.contains("rt-controller"));
    settings->close();
}

void TestSignIn::signInAgainIsUsedWithoutSave()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FakeSecretStore secrets;
    FakeRunners runners;
    ui::AppController::Options options;
    options.configPath = dir.filePath(QStringLiteral("pollux.json"));
    options.secrets = &secrets;
    options.useTray = false;
    ui::AppController app(options); // not started: no engine threads
    Config c;
    c.accounts << microsoftAccount();
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.acceptedDomains << QStringLiteral("office.example");
    app.setConfig(c);
    ui::SettingsWindow *settings = app.settingsWindow();
    settings->accountsPage()->setSignInRunnerFactory(runners.factory());
    emit app.engine()->signInState(QStringLiteral("joe"), true, {}, QStringLiteral("revoked"));
    QSignalSpy state(app.engine(), &Engine::signInState);
    app.signInAgain(QStringLiteral("joe"));
    QTRY_COMPARE(runners.made.size(), 1);
    runners.last()->succeed(QStringLiteral("rt-now"), 0);
    QTRY_VERIFY(state.count() >= 1);
    QCOMPARE(state.last().at(0).toString(), QStringLiteral("joe"));
    QCOMPARE(state.last().at(1).toBool(), false);
    QVERIFY(!settings->accountsPage()->model()->signInNeeded(QStringLiteral("joe")));
    settings->accountsPage()->currentDialog()->reject();

    // A sign-in with another app registration waits for Save: the engine still runs the
    // old one, which the new token does not fit.
    emit app.engine()->signInState(QStringLiteral("joe"), true, {}, QStringLiteral("revoked"));
    state.clear();
    app.signInAgain(QStringLiteral("joe"));
    AccountDialog *dialog = settings->accountsPage()->currentDialog();
    QTRY_COMPARE(runners.made.size(), 2);
    runners.last()->cancel();
    dialog->cancelSignIn();
    dialog->authentication()->clientId()->setText(QStringLiteral("another-client-id"));
    dialog->signInWithBrowser();
    QCOMPARE(runners.made.size(), 3);
    runners.last()->succeed(QStringLiteral("rt-other"), 0);
    QTRY_VERIFY(dialog->signedIn());
    QCOMPARE(state.count(), 0);
    settings->close();
}

void TestSignIn::realKeychainHoldsTheSecrets()
{
    if (qEnvironmentVariableIsEmpty("POLLUX_TEST_KEYRING"))
        QSKIP("needs the private keyring of deploy/test.sh (POLLUX_TEST_KEYRING=1)");
    const int timeoutMs = 20000;
    KeychainSecretStore keychain(
        QStringLiteral("PolluxSignInTest-%1").arg(QCoreApplication::applicationPid()));
    FakeRunners runners;
    AccountDialog::Context context{&keychain};
    context.signInRunners = runners.factory();
    AccountConfig saved;
    {
        AccountDialog dialog(context);
        AccountConfig a = microsoftAccount();
        a.signIn = SignInMethod::Google;
        a.host = QStringLiteral("imap.gmail.com");
        a.type = ServerType::ImapSsl;
        dialog.setAccount(a, true);
        edit(&dialog, "name")->setText(QStringLiteral("joe"));
        emit edit(&dialog, "name")->textEdited(QStringLiteral("joe"));
        dialog.authentication()->clientSecret()->setPassword(QStringLiteral("GOCSPX-real"));
        QSignalSpy finished(&dialog, &AccountDialog::signInFinished);
        dialog.signInWithBrowser();
        QVERIFY(runners.last());
        runners.last()->succeed(QStringLiteral("refresh-real"), 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, timeoutMs);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        dialog.show();
        dialog.accept();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), timeoutMs);
        saved = dialog.account();
    }
    QString stored;
    QVERIFY(keychain.readSync(QStringLiteral("oauth2-client/joe"), stored, timeoutMs).ok());
    QCOMPARE(stored, QStringLiteral("GOCSPX-real"));
    QVERIFY(keychain.readSync(QStringLiteral("oauth2-refresh/joe"), stored, timeoutMs).ok());
    QCOMPARE(stored, QStringLiteral("refresh-real"));
    const QByteArray json = accountJson(saved);
    QVERIFY(!json.contains("GOCSPX-real") && !json.contains("refresh-real"));
    QVERIFY(json.contains("\"clientSecret\": true"));
    for (const char *key : {"oauth2-client/joe", "oauth2-refresh/joe"}) {
        bool done = false;
        keychain.remove(QString::fromLatin1(key), [&done](Result) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, timeoutMs);
    }
}

QTEST_MAIN(TestSignIn)
#include "tst_signin.moc"
