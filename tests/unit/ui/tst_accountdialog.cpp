// The account dialog: the documented fields, validation, round trips, the keychain.
#include "UiTestSupport.h"
#include "unit/pop3/FakePop3Server.h"
#include "unit/pop3/Pop3TestSupport.h"

#include "secrets/KeychainSecretStore.h"
#include "ui/AccountAdvanced.h"
#include "ui/AccountDialog.h"
#include "ui/DurationEdit.h"
#include "ui/MessageBox.h"
#include "ui/PasswordField.h"
#include "ui/TrayApp.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTest>
#include <QTranslator>

using namespace pollux;
using namespace pollux::test;
using pollux::ui::AccountDialog;

namespace {
const int keychainTimeoutMs = 20000;

AccountConfig validAccount()
{
    AccountConfig a;
    a.name = QStringLiteral("joe");
    a.host = QStringLiteral("pop.provider.example");
    a.username = QStringLiteral("joe.smith");
    a.recipient = QStringLiteral("joe@office.example");
    return a;
}

template <typename T> T *child(QWidget *parent, const QString &name)
{
    T *w = parent->findChild<T *>(name);
    if (!w)
        qFatal("no child %s", qPrintable(name));
    return w;
}
} // namespace

class TestAccountDialog : public QObject
{
    Q_OBJECT

private slots:
    void defaultsAreTheDocumentedOnes();
    void portFollowsServerType_data();
    void portFollowsServerType();
    void validationNamesTheField_data();
    void validationNamesTheField();
    void mailboxAndRetentionRoundTrip_data();
    void mailboxAndRetentionRoundTrip();
    void advancedFieldsRoundTrip();
    void noKeychainIsSaidPlainly();
    void testAccessReportsRefusedConnection();
    void testAccessShowsTheServerWords();
    void detectProposesEnvelopeHeaders();
    void detectReportsRefusedConnection();
    void passwordGoesThroughTheKeychain();
    void timeoutInMinutes();
    void speaksGerman();
};

void TestAccountDialog::defaultsAreTheDocumentedOnes()
{
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    QVERIFY(child<QRadioButton>(&dialog, QStringLiteral("type-pop3"))->isChecked());
    QCOMPARE(child<QSpinBox>(&dialog, QStringLiteral("port"))->value(), 110);
    QVERIFY(child<QRadioButton>(&dialog, QStringLiteral("retention-delete"))->isChecked());
    QVERIFY(!dialog.advanced()->isVisible());
    const AccountConfig a = dialog.account();
    QCOMPARE(a.type, ServerType::Pop3);
    QCOMPARE(a.retention, Retention::Delete);
    QCOMPARE(a.timeoutSecs, 180);
}

void TestAccountDialog::portFollowsServerType_data()
{
    QTest::addColumn<int>("editedPort"); // 0: the user did not touch the port
    QTest::addColumn<QList<int>>("types");
    QTest::addColumn<QList<int>>("ports");
    const int pop3 = int(ServerType::Pop3), pop3s = int(ServerType::Pop3Ssl),
              imap = int(ServerType::Imap), imaps = int(ServerType::ImapSsl);
    QTest::newRow("untouched-follows-every-type")
        << 0 << QList<int>{pop3s, imap, imaps, pop3} << QList<int>{995, 143, 993, 110};
    QTest::newRow("edited-port-stays")
        << 2110 << QList<int>{pop3s, imap, imaps, pop3} << QList<int>{2110, 2110, 2110, 2110};
    QTest::newRow("edited-to-a-standard-port-follows-again")
        << 995 << QList<int>{imap, imaps} << QList<int>{143, 993};
}

void TestAccountDialog::portFollowsServerType()
{
    QFETCH(int, editedPort);
    QFETCH(QList<int>, types);
    QFETCH(QList<int>, ports);
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    auto *port = child<QSpinBox>(&dialog, QStringLiteral("port"));
    if (editedPort) {
        if (editedPort == 995)
            dialog.setServerType(ServerType::Pop3Ssl);
        else
            port->setValue(editedPort);
    }
    for (int i = 0; i < types.size(); ++i) {
        // Through the radio button, as a user would.
        const QString name = QStringLiteral("type-") + configName(ServerType(types.at(i)));
        child<QRadioButton>(&dialog, name)->click();
        QCOMPARE(port->value(), ports.at(i));
        QCOMPARE(dialog.account().type, ServerType(types.at(i)));
    }
}

void TestAccountDialog::validationNamesTheField_data()
{
    QTest::addColumn<QString>("field"); // what to change (object name)
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("focused");  // object name of the widget that gets focus
    QTest::addColumn<QString>("expected"); // in the message
    QTest::newRow("empty-host") << "host"
                                << ""
                                << "host"
                                << "Servername: enter the name";
    QTest::newRow("host-with-space") << "host"
                                     << "pop provider.example"
                                     << "host"
                                     << "Servername: the server name must not contain spaces";
    QTest::newRow("empty-name") << "name"
                                << "  "
                                << "name"
                                << "Account name: enter a name";
    QTest::newRow("name-with-slash") << "name"
                                     << "a/b"
                                     << "name"
                                     << "Account name:";
    QTest::newRow("duplicate-name") << "name"
                                    << "taken"
                                    << "name"
                                    << "already called “taken”";
    QTest::newRow("empty-user") << "username"
                                << ""
                                << "username"
                                << "Username:";
    QTest::newRow("no-recipient") << "recipient"
                                  << ""
                                  << "recipient"
                                  << "Single user mailbox: enter the address";
    QTest::newRow("garbage-recipient") << "recipient"
                                       << "Joe <joe@office.example>"
                                       << "recipient"
                                       << "is not an email address";
    QTest::newRow("fingerprint-garbage") << "pinnedFingerprint"
                                         << "AB:CD:zz"
                                         << "pinnedFingerprint"
                                         << "Trusted certificate fingerprint: must be 64";
}

void TestAccountDialog::validationNamesTheField()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, focused);
    QFETCH(QString, expected);
    FakeSecretStore secrets;
    AccountDialog::Context context{&secrets};
    context.otherNames << QStringLiteral("taken");
    AccountDialog dialog(context);
    dialog.setAccount(validAccount(), true);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.validate());
    child<QLineEdit>(&dialog, field)->setText(value);
    QVERIFY(!dialog.validate());
    const QString errors = dialog.errors().join(QLatin1Char('\n'));
    QVERIFY2(errors.contains(expected), qPrintable(errors));
    QCOMPARE(dialog.focusWidget(), child<QWidget>(&dialog, focused));
    // Shown next to the field, and OK does not close the dialog.
    auto *label = dialog.findChild<QLabel *>(focused + QStringLiteral("-error"));
    if (label)
        QVERIFY(label->isVisible());
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void TestAccountDialog::mailboxAndRetentionRoundTrip_data()
{
    QTest::addColumn<int>("mailbox");
    QTest::addColumn<int>("retention");
    const QList<std::pair<MailboxType, const char *>> mailboxes = {
        {MailboxType::SingleUser, "single-user"},
        {MailboxType::CatchAll, "catch-all"},
        {MailboxType::CatchAllReroute, "catch-all-reroute"}};
    const QList<std::pair<Retention, const char *>> retentions = {
        {Retention::Delete, "delete"},
        {Retention::Keep, "keep"},
        {Retention::KeepDays, "keep-days"}};
    for (const auto &m : mailboxes) {
        for (const auto &r : retentions)
            QTest::addRow("%s-%s", m.second, r.second) << int(m.first) << int(r.first);
    }
}

void TestAccountDialog::mailboxAndRetentionRoundTrip()
{
    QFETCH(int, mailbox);
    QFETCH(int, retention);
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    dialog.setAccount(validAccount(), true);
    // Choose through the radio buttons, as a user would.
    child<QRadioButton>(&dialog, QStringLiteral("mailbox-") + configName(MailboxType(mailbox)))
        ->setChecked(true);
    child<QRadioButton>(&dialog, QStringLiteral("retention-") + configName(Retention(retention)))
        ->setChecked(true);
    child<QSpinBox>(&dialog, QStringLiteral("keepDays"))->setValue(30);
    QVERIFY2(dialog.validate(), qPrintable(dialog.errors().join(QLatin1Char('\n'))));
    const AccountConfig saved = dialog.account();
    QCOMPARE(saved.mailbox, MailboxType(mailbox));
    QCOMPARE(saved.retention, Retention(retention));
    QCOMPARE(saved.keepDays, 30);
    QCOMPARE(child<QSpinBox>(&dialog, QStringLiteral("keepDays"))->isEnabled(),
             Retention(retention) == Retention::KeepDays);

    // Through the configuration file and back into a new dialog.
    Config file;
    file.accounts << saved;
    Config loaded;
    QVERIFY(Config::parse(file.toJson(), QStringLiteral("test"), loaded).ok());
    AccountDialog again({&secrets});
    again.setAccount(loaded.accounts.first(), false);
    QVERIFY(
        child<QRadioButton>(&again, QStringLiteral("mailbox-") + configName(MailboxType(mailbox)))
            ->isChecked());
    QVERIFY(
        child<QRadioButton>(&again, QStringLiteral("retention-") + configName(Retention(retention)))
            ->isChecked());
    QCOMPARE(accountJson(again.account()), accountJson(saved));
}

void TestAccountDialog::advancedFieldsRoundTrip()
{
    FakeSecretStore secrets;
    AccountConfig a = validAccount();
    a.type = ServerType::Imap;
    a.port = 1143;
    a.timeoutSecs = 45;
    a.startTls = true;
    a.authMethod = QStringLiteral("scram-sha-256");
    a.allowPlaintextLogin = true;
    a.allowApop = false;
    a.idle = true;
    a.folder = QStringLiteral("Lists/Office");
    a.pinnedFingerprint = QStringLiteral("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:"
                                         "01:23:45:67:89:AB:CD:EF:01:23:45:67:89");
    a.envelopeHeaders = {QStringLiteral("Delivered-To"), QStringLiteral("X-Original-To")};
    AccountDialog dialog({&secrets});
    dialog.setAccount(a, false);
    QVERIFY2(dialog.validate(), qPrintable(dialog.errors().join(QLatin1Char('\n'))));
    QCOMPARE(accountJson(dialog.account()), accountJson(a));

    // Edit through the widgets: the order of the envelope headers is kept.
    QListWidget *headers = dialog.advanced()->envelopeHeaders();
    headers->setCurrentRow(1);
    child<QPushButton>(&dialog, QStringLiteral("header-up"))->click();
    QCOMPARE(dialog.account().envelopeHeaders,
             QStringList({QStringLiteral("X-Original-To"), QStringLiteral("Delivered-To")}));
    // STARTTLS does not apply to IMAP-SSL: it is disabled and not saved.
    dialog.setServerType(ServerType::ImapSsl);
    QVERIFY(!dialog.advanced()->startTls()->isEnabled());
    QVERIFY(!dialog.account().startTls);
}

void TestAccountDialog::noKeychainIsSaidPlainly()
{
    FakeSecretStore secrets;
    secrets.unavailable = true;
    AccountDialog dialog({&secrets});
    dialog.setAccount(validAccount(), false);
    QVERIFY(dialog.passwordField()->isLoading());
    QTRY_VERIFY(!dialog.passwordField()->isLoading());
    QVERIFY2(dialog.passwordField()->statusText().contains(QLatin1String("No keychain")),
             qPrintable(dialog.passwordField()->statusText()));
    QVERIFY(dialog.passwordField()->statusText().contains(QLatin1String("pollux password set")));
    // A typed password cannot be stored: the dialog stays open and says so.
    dialog.show();
    dialog.passwordField()->setPassword(QStringLiteral("secret"));
    dialog.accept();
    QTRY_VERIFY(
        dialog.passwordField()->statusText().contains(QLatin1String("could not be stored")));
    QVERIFY(dialog.isVisible());
    QCOMPARE(secrets.writes, 0);
}

void TestAccountDialog::testAccessReportsRefusedConnection()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const quint16 port = server.serverPort();
    server.close();
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    AccountConfig a = validAccount();
    a.host = QStringLiteral("127.0.0.1");
    a.port = port;
    dialog.setAccount(a, true);
    dialog.passwordField()->setPassword(QStringLiteral("pw"));
    QSignalSpy finished(&dialog, &AccountDialog::testFinished);
    dialog.testAccess();
    QVERIFY(finished.wait(20000));
    const QString text = dialog.testResult()->text();
    QVERIFY2(text.contains(QLatin1String("refused the connection")), qPrintable(text));
    QVERIFY(!dialog.trustButton()->isVisible());
}

// Issue 15: one sentence, then the evidence - where it connected, the server's own words -
// not the same thing three times, and no English engine message.
void TestAccountDialog::testAccessShowsTheServerWords()
{
    FakePop3Server server;
    server.setScript({"S: +OK POP3 ready", "C: CAPA", "S: +OK", "S: USER", "S: .",
                      "C: USER joe.smith", "S: +OK", "C: PASS pw", "S: -ERR [AUTH] invalid login"});
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    AccountConfig a = validAccount();
    a.host = QStringLiteral("127.0.0.1");
    a.port = server.port();
    a.allowPlaintextLogin = true;
    dialog.setAccount(a, true);
    dialog.passwordField()->setPassword(QStringLiteral("pw"));
    QSignalSpy finished(&dialog, &AccountDialog::testFinished);
    dialog.testAccess();
    QVERIFY(finished.wait(20000));
    const auto outcome = finished.first().first().value<AccessTester::Outcome>();
    QCOMPARE(outcome.result.code(), ErrorCode::AuthFailed);
    const QString text = dialog.testResult()->text();
    QCOMPARE(
        text.split(QLatin1Char('\n')),
        (QStringList{
            QStringLiteral("The server refused the username or password."),
            QStringLiteral("Connected to 127.0.0.1, port %1 (not encrypted).").arg(server.port()),
            QStringLiteral("The server said: -ERR [AUTH] invalid login")}));
    QVERIFY2(!text.contains(outcome.result.message()), qPrintable(outcome.result.message()));
    QVERIFY(!text.contains(QLatin1String("Details")));
}

// Defect 9 (issue 11): "Detect" reads the newest headers (TOP n 0, nothing deleted) in a
// worker thread and proposes the envelope headers and the provider's hosts. Postfix ->
// Dovecot LMTP: X-Original-To between Dovecot's and Postfix's lines, a forged copy below.
void TestAccountDialog::detectProposesEnvelopeHeaders()
{
    auto header = [](const char *rcpt) -> QByteArray {
        return "Return-Path: <m@outside.example>\r\nDelivered-To: catchall@isp.example\r\n"
               "Received: from mx.isp.example ([10.0.0.5])\r\n\tby imap.isp.example with LMTP "
               "id kLm\r\n\tfor <catchall@isp.example>; Mon, 5 Jan 2026 09:00:01 +0000\r\n"
               "X-Original-To: " +
               QByteArray(rcpt) +
               "\r\nReceived: from mail.outside.example (mail.outside.example [198.51.100.7])"
               "\r\n\tby mx.isp.example (Postfix) with ESMTPS id 4Q; Mon, 5 Jan 2026\r\n"
               "X-Original-To: ceo@office.example\r\nTo: list@lists.example\r\n"
               "Subject: hi\r\n\r\n";
    };
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"TOP", "UIDL", "USER"});
    script << "C: UIDL" << uidlAnswer(2) << "C: LIST" << listAnswer(2) << "C: TOP 1 0"
           << retrAnswer(header("bob@office.example")) << "C: TOP 2 0"
           << retrAnswer(header("alice@office.example")) << "C: QUIT"
           << "S: +OK bye";
    server.setScript(script);

    FakeSecretStore secrets;
    AccountDialog::Context context{&secrets};
    context.acceptedDomains = {QStringLiteral("office.example")};
    AccountDialog dialog(context);
    AccountConfig a = validAccount();
    a.host = QStringLiteral("127.0.0.1");
    a.port = server.port();
    a.username = QStringLiteral("alice");
    a.allowPlaintextLogin = true;
    a.mailbox = MailboxType::CatchAll;
    dialog.setAccount(a, true);
    dialog.passwordField()->setPassword(QStringLiteral("secret"));
    dialog.show();
    dialog.setAdvancedVisible(true);
    QSignalSpy finished(&dialog, &AccountDialog::detectFinished);
    QPushButton *detect = dialog.advanced()->detectButton();
    QTest::mouseClick(detect, Qt::LeftButton);
    // The click returned at once (the work is in a worker thread) and says what it does.
    QVERIFY(!detect->isEnabled());
    QVERIFY2(dialog.advanced()->detectStatus()->text().contains(QLatin1String("Reading")),
             qPrintable(dialog.advanced()->detectStatus()->text()));
    QVERIFY(finished.wait(20000));
    const Result result = finished.first().first().value<Result>();
    QVERIFY2(result.ok(), qPrintable(result.message()));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(detect->isEnabled());
    const AccountConfig proposed = dialog.account();
    QCOMPARE(proposed.envelopeHeaders,
             (QStringList{QStringLiteral("X-Original-To"), QStringLiteral("Received")}));
    QCOMPARE(proposed.providerHosts,
             (QStringList{QStringLiteral("imap.isp.example"), QStringLiteral("mx.isp.example")}));
    const QString status = dialog.advanced()->detectStatus()->text();
    QVERIFY2(status.contains(QLatin1String("X-Original-To (in 2 of 2)")), qPrintable(status));
    for (const QByteArray &line : server.received())
        QVERIFY2(!line.startsWith("RETR") && !line.startsWith("DELE"), line.constData());
    QVERIFY(dialog.validate());
}

void TestAccountDialog::detectReportsRefusedConnection()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    AccountConfig a = validAccount();
    a.host = QStringLiteral("127.0.0.1");
    a.port = port;
    a.mailbox = MailboxType::CatchAll;
    dialog.setAccount(a, true);
    dialog.passwordField()->setPassword(QStringLiteral("pw"));
    QSignalSpy finished(&dialog, &AccountDialog::detectFinished);
    dialog.detectEnvelope();
    QVERIFY(finished.wait(20000));
    QVERIFY(!finished.first().first().value<Result>().ok());
    const QString status = dialog.advanced()->detectStatus()->text();
    QVERIFY2(status.contains(QLatin1String("Detection failed")) &&
                 status.contains(QLatin1String("refused the connection")),
             qPrintable(status));
    // Nothing proposed: the lists stay as they were.
    QCOMPARE(dialog.account().envelopeHeaders, AccountConfig::defaultEnvelopeHeaders());
    QVERIFY(dialog.account().providerHosts.isEmpty());
}

void TestAccountDialog::passwordGoesThroughTheKeychain()
{
    if (qEnvironmentVariableIsEmpty("POLLUX_TEST_KEYRING"))
        QSKIP("needs the private keyring of deploy/test.sh (POLLUX_TEST_KEYRING=1)");
    KeychainSecretStore keychain(
        QStringLiteral("PolluxUiTest-%1").arg(QCoreApplication::applicationPid()));
    AccountConfig a = validAccount();
    {
        AccountDialog dialog({&keychain});
        dialog.setAccount(a, true);
        dialog.show();
        dialog.passwordField()->setPassword(QStringLiteral("pä55 wörd"));
        dialog.accept();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), keychainTimeoutMs);
    }
    QString stored;
    QVERIFY(keychain.readSync(QStringLiteral("account/joe"), stored, keychainTimeoutMs).ok());
    QCOMPARE(stored, QStringLiteral("pä55 wörd"));

    // Editing loads it (asynchronously); renaming keeps it under the new name.
    {
        AccountDialog dialog({&keychain});
        dialog.setAccount(a, false);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.passwordField()->isLoading(), keychainTimeoutMs);
        QCOMPARE(dialog.passwordField()->password(), QStringLiteral("pä55 wörd"));
        dialog.show();
        child<QLineEdit>(&dialog, QStringLiteral("name"))->setText(QStringLiteral("joe2"));
        dialog.accept();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), keychainTimeoutMs);
    }
    QVERIFY(keychain.readSync(QStringLiteral("account/joe2"), stored, keychainTimeoutMs).ok());
    QCOMPARE(stored, QStringLiteral("pä55 wörd"));
    for (const char *key : {"account/joe", "account/joe2"}) {
        bool done = false;
        keychain.remove(QString::fromLatin1(key), [&done](Result) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, keychainTimeoutMs);
    }
}

// The timeout in the unit it is a whole number of; the account gets back what it had.
void TestAccountDialog::timeoutInMinutes()
{
    QTranslator *english = ui::installTranslator(QStringLiteral("en")); // plural forms
    QVERIFY(english);
    FakeSecretStore secrets;
    AccountDialog dialog({&secrets});
    QCOMPARE(dialog.timeout()->text(), QStringLiteral("3 minutes")); // the default 180 s
    for (int secs : {180, 45, 90, 3600, 10}) {
        AccountConfig a = validAccount();
        a.timeoutSecs = secs;
        dialog.setAccount(a, false);
        QCOMPARE(dialog.account().timeoutSecs, secs);
    }
    // Days say "day" or "days" as the number asks.
    auto *keepDays = child<QSpinBox>(&dialog, QStringLiteral("keepDays"));
    keepDays->setValue(1);
    QCOMPARE(keepDays->text(), QStringLiteral("1 day"));
    keepDays->setValue(30);
    QCOMPARE(keepDays->text(), QStringLiteral("30 days"));
    dialog.timeout()->setValue(600);
    QCOMPARE(dialog.timeout()->text(), QStringLiteral("10 minutes"));
    QCOMPARE(dialog.account().timeoutSecs, 600);
    QApplication::removeTranslator(english);
    delete english;
}

void TestAccountDialog::speaksGerman()
{
    QTranslator *translator = ui::installTranslator(QStringLiteral("de"));
    QVERIFY(translator);
    {
        FakeSecretStore secrets;
        AccountDialog dialog({&secrets});
        QCOMPARE(dialog.windowTitle(), QStringLiteral("POP3/IMAP-Konto hinzufügen"));
        QVERIFY(!dialog.validate());
        const QString errors = dialog.errors().join(QLatin1Char('\n'));
        QVERIFY2(errors.contains(QStringLiteral(
                     "Servername: geben Sie den Namen oder die IP-Adresse des Servers ein.")),
                 qPrintable(errors));
    }
    QApplication::removeTranslator(translator);
    delete translator;
}

QTEST_MAIN(TestAccountDialog)
#include "tst_accountdialog.moc"
