// The POP3/IMAP page: add, edit, remove, enable/disable; accepted domains; max per pass.
#include "UiTestSupport.h"

#include "engine/Engine.h"
#include "store/Store.h"
#include "ui/AccountDialog.h"
#include "ui/AccountsModel.h"
#include "ui/AccountsPage.h"
#include "ui/ActivityWindow.h"
#include "ui/AppController.h"
#include "ui/ErrorText.h"
#include "ui/GeneralPage.h"
#include "ui/MessageBox.h"
#include "ui/PasswordField.h"
#include "ui/SettingsWindow.h"
#include "ui/TrayApp.h"
#include "ui/TrayIcon.h"

#include <QApplication>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace pollux;
using namespace pollux::test;
using namespace pollux::ui;

namespace {
AccountConfig account(const QString &name)
{
    AccountConfig a;
    a.name = name;
    a.host = name + QStringLiteral(".provider.example");
    a.username = name;
    a.recipient = name + QStringLiteral("@office.example");
    return a;
}

Config twoAccounts()
{
    Config c;
    c.accounts << account(QStringLiteral("anna")) << account(QStringLiteral("bert"));
    c.smtp.host = QStringLiteral("mail.office.example");
    c.acceptedDomains << QStringLiteral("office.example");
    c.maxPerPass = 50;
    return c;
}
} // namespace

class TestAccountsPage : public QObject
{
    Q_OBJECT

private slots:
    void listShowsTheAccounts();
    void addThroughTheDialog();
    void editKeepsTheRowAndEnabledFlag();
    void removeAsksFirst();
    void enableDisableByCheckBox();
    void acceptedDomains_data();
    void acceptedDomains();
    void maxPerPassRoundTrips();
    void settingsSaveNamesTheField();
    void settingsSaveWritesTheFile();
    void stateOfEachKindOfFailure_data();
    void stateOfEachKindOfFailure();
    void everyErrorCodeHasAShortState();
    void testersCaseShowsWhatIsTrue();
    void detailsPaneHasTheWholeExplanation();
    void officeServerLine();
    void statesInGerman();
    void controllerFeedsTheListFromTheEngine();
    void firstStartIsNotSetUpYet();
    void controllerAnswersTheTestAlertButton();
    void databaseDoesNotOverwriteWhatIsLive();
};

void TestAccountsPage::listShowsTheAccounts()
{
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    page.load(twoAccounts());
    AccountsModel *m = page.model();
    QCOMPARE(m->rowCount(), 2);
    QCOMPARE(m->index(0, AccountsModel::Server).data().toString(),
             QStringLiteral("anna.provider.example:110"));
    QCOMPARE(m->index(1, AccountsModel::User).data().toString(), QStringLiteral("bert"));
    QCOMPARE(m->index(0, AccountsModel::Type).data().toString(), QStringLiteral("POP3"));
    QVERIFY(m->index(0, AccountsModel::Mailbox)
                .data()
                .toString()
                .contains(QLatin1String("anna@office.example")));
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(),
             QStringLiteral("Not checked yet"));
    m->setPassResult(QStringLiteral("bert"),
                     Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR login refused")),
                     0, QDateTime::currentDateTime());
    QCOMPARE(m->index(1, AccountsModel::Status).data().toString(), QStringLiteral("Refused login"));
}

void TestAccountsPage::addThroughTheDialog()
{
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    page.load(twoAccounts());
    QSignalSpy changed(&page, &AccountsPage::changed);
    page.addAccount();
    AccountDialog *dialog = page.currentDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isNew());
    dialog->findChild<QLineEdit *>(QStringLiteral("host"))
        ->setText(QStringLiteral("imap.x.example"));
    dialog->findChild<QLineEdit *>(QStringLiteral("username"))->setText(QStringLiteral("carl"));
    dialog->findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("carl"));
    dialog->setServerType(ServerType::ImapSsl);
    dialog->findChild<QRadioButton *>(QStringLiteral("mailbox-catch-all"))->setChecked(true);
    dialog->passwordField()->setPassword(QStringLiteral("s3cret"));
    dialog->accept();
    QTRY_COMPARE(page.model()->rowCount(), 3);
    const AccountConfig &added = page.model()->account(2);
    QCOMPARE(added.name, QStringLiteral("carl"));
    QCOMPARE(added.port, quint16(993));
    QCOMPARE(added.mailbox, MailboxType::CatchAll);
    QCOMPARE(secrets.secrets.value(QStringLiteral("account/carl")), QStringLiteral("s3cret"));
    QVERIFY(changed.count() > 0);
    Config c;
    page.apply(c);
    QCOMPARE(c.accounts.size(), 3);
}

void TestAccountsPage::editKeepsTheRowAndEnabledFlag()
{
    FakeSecretStore secrets;
    secrets.secrets.insert(QStringLiteral("account/bert"), QStringLiteral("pw"));
    AccountsPage page(&secrets);
    Config c = twoAccounts();
    c.accounts[1].enabled = false;
    page.load(c);
    page.editAccount(1);
    AccountDialog *dialog = page.currentDialog();
    QVERIFY(dialog && !dialog->isNew());
    QTRY_COMPARE(dialog->passwordField()->password(), QStringLiteral("pw"));
    // The other account's name is taken.
    dialog->findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("anna"));
    QVERIFY(!dialog->validate());
    dialog->findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("bert"));
    dialog->findChild<QSpinBox *>(QStringLiteral("port"))->setValue(2110);
    dialog->accept();
    QTRY_COMPARE(page.model()->account(1).port, quint16(2110));
    QCOMPARE(page.model()->rowCount(), 2);
    QVERIFY(!page.model()->account(1).enabled);
    QCOMPARE(secrets.writes, 0); // the password was not touched
}

void TestAccountsPage::removeAsksFirst()
{
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    page.load(twoAccounts());
    MessageBox::setNextAnswer(QMessageBox::No);
    page.removeAccount(0);
    QCOMPARE(page.model()->rowCount(), 2);
    MessageBox::setNextAnswer(QMessageBox::Yes);
    page.removeAccount(0);
    QCOMPARE(page.model()->rowCount(), 1);
    QCOMPARE(page.model()->account(0).name, QStringLiteral("bert"));
    page.removeAccount(7); // garbage row: nothing happens
    QCOMPARE(page.model()->rowCount(), 1);
}

void TestAccountsPage::enableDisableByCheckBox()
{
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    page.load(twoAccounts());
    const QModelIndex box = page.model()->index(0, AccountsModel::Server);
    QVERIFY(page.model()->flags(box) & Qt::ItemIsUserCheckable);
    QVERIFY(page.model()->setData(box, Qt::Unchecked, Qt::CheckStateRole));
    Config c;
    page.apply(c);
    QVERIFY(!c.accounts.at(0).enabled);
    QVERIFY(c.accounts.at(1).enabled);
    QCOMPARE(page.model()->index(0, AccountsModel::Status).data().toString(),
             QStringLiteral("Disabled"));
}

void TestAccountsPage::acceptedDomains_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("domains");
    QTest::addColumn<QString>("problem"); // empty: none
    QTest::newRow("one-per-line") << "example.com\noffice.example"
                                  << QStringList{QStringLiteral("example.com"),
                                                 QStringLiteral("office.example")}
                                  << "";
    QTest::newRow("commas-and-spaces")
        << "example.com, office.example ;x.org"
        << QStringList{QStringLiteral("example.com"), QStringLiteral("office.example"),
                       QStringLiteral("x.org")}
        << "";
    QTest::newRow("empty") << "  \n " << QStringList{} << "";
    QTest::newRow("at-sign") << "@example.com" << QStringList{QStringLiteral("@example.com")}
                             << "“@example.com”: write the domain without “@”, e.g. “example.com”.";
    QTest::newRow("wildcard") << "*.example.com" << QStringList{QStringLiteral("*.example.com")}
                              << "wildcards are not supported";
    QTest::newRow("address") << "joe@example.com" << QStringList{QStringLiteral("joe@example.com")}
                             << "is an email address. Write only the domain, e.g. “example.com”";
    QTest::newRow("garbage") << "exa_mple..com" << QStringList{QStringLiteral("exa_mple..com")}
                             << "is not a domain name";
    QTest::newRow("twice") << "example.com\nEXAMPLE.com"
                           << QStringList{QStringLiteral("example.com"),
                                          QStringLiteral("EXAMPLE.com")}
                           << "“EXAMPLE.com” is listed twice";
}

void TestAccountsPage::acceptedDomains()
{
    QFETCH(QString, text);
    QFETCH(QStringList, domains);
    QFETCH(QString, problem);
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    page.load(twoAccounts());
    page.domainsEdit()->setPlainText(text);
    QCOMPARE(page.acceptedDomains(), domains);
    QStringList problems;
    const bool ok = page.validate(problems);
    QCOMPARE(ok, problem.isEmpty());
    // Explained live, below the box, and on save with the field's name.
    QCOMPARE(!page.domainsError()->isHidden(), !problem.isEmpty());
    if (!problem.isEmpty()) {
        QVERIFY2(page.domainsError()->text().contains(problem),
                 qPrintable(page.domainsError()->text()));
        QVERIFY2(problems.first().startsWith(QLatin1String("Accepted Recipient Domains: ")),
                 qPrintable(problems.first()));
    }
}

void TestAccountsPage::maxPerPassRoundTrips()
{
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    page.load(twoAccounts());
    QCOMPARE(page.maxPerPass()->value(), 50);
    page.maxPerPass()->setValue(1000);
    Config c;
    page.apply(c);
    QCOMPARE(c.maxPerPass, 1000);
    page.maxPerPass()->setValue(0); // below the range: clamped to 1
    page.apply(c);
    QCOMPARE(c.maxPerPass, 1);
}

void TestAccountsPage::settingsSaveNamesTheField()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    Config c = twoAccounts();
    c.accounts[0].mailbox = MailboxType::CatchAll;
    c.acceptedDomains.clear();
    window.setConfig(c);
    QVERIFY(!window.save());
    QVERIFY2(window.problems()
                 .join(QLatin1Char('\n'))
                 .contains(QLatin1String("Accepted Recipient Domains: a catch-all mailbox needs")),
             qPrintable(window.problems().join(QLatin1Char('\n'))));
    QCOMPARE(window.tabs()->currentIndex(), 0);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("pollux.json"))));
}

void TestAccountsPage::settingsSaveWritesTheFile()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("pollux.json"));
    SettingsWindow window(&secrets, path);
    window.setAutostartCommand(QStringLiteral("/bin/true"), {});
    window.setConfig(twoAccounts());
    window.accountsPage()->maxPerPass()->setValue(77);
    QCOMPARE(window.generalPage()->spoolLimit()->value(), 2048); // the default
    window.generalPage()->spoolLimit()->setValue(300);
    QSignalSpy saved(&window, &SettingsWindow::saved);
    QVERIFY(window.save());
    QTRY_COMPARE(saved.count(), 1);
    Config loaded;
    QVERIFY(Config::load(path, loaded).ok());
    QCOMPARE(loaded.maxPerPass, 77);
    QCOMPARE(loaded.spoolLimitMiB, 300);
    QCOMPARE(loaded.accounts.size(), 2);
    QCOMPARE(saved.first().first().value<Config>().maxPerPass, 77);
}

// The list, fed as AppController feeds it (setPassResult after each pass).
void TestAccountsPage::stateOfEachKindOfFailure_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("state");
    QTest::newRow("ok") << int(ErrorCode::None) << QString() << QStringLiteral("OK");
    QTest::newRow("wrong-password")
        << int(ErrorCode::AuthFailed) << QStringLiteral("-ERR [AUTH] Authentication failed.")
        << QStringLiteral("Refused login");
    QTest::newRow("unknown-host") << int(ErrorCode::HostNotFound)
                                  << QStringLiteral("Host not found")
                                  << QStringLiteral("Cannot connect");
    QTest::newRow("refused-port") << int(ErrorCode::ConnectionRefused)
                                  << QStringLiteral("Connection refused")
                                  << QStringLiteral("Cannot connect");
    QTest::newRow("timeout") << int(ErrorCode::Timeout) << QStringLiteral("no answer in 60 s")
                             << QStringLiteral("Cannot connect");
    QTest::newRow("tls") << int(ErrorCode::Tls) << QStringLiteral("certificate expired")
                         << QStringLiteral("Secure connection failed");
    QTest::newRow("sign-in") << int(ErrorCode::SignInNeeded) << QStringLiteral("invalid_grant")
                             << QStringLiteral("Sign-in needed");
    QTest::newRow("server-error") << int(ErrorCode::ServerError)
                                  << QStringLiteral("-ERR mailbox locked")
                                  << QStringLiteral("Server error");
    QTest::newRow("garbage") << int(ErrorCode::Protocol) << QStringLiteral("* BYE what now")
                             << QStringLiteral("Unexpected reply");
}

void TestAccountsPage::stateOfEachKindOfFailure()
{
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(QString, state);
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    page.load(twoAccounts());
    AccountsModel *m = page.model();
    const Result result = code == 0 ? Result::success() : Result::failure(ErrorCode(code), message);
    const QDateTime when = QDateTime::currentDateTime();
    m->setPolling(QStringLiteral("anna"), true);
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(), QStringLiteral("Checking…"));
    QCOMPARE(m->index(0, AccountsModel::NextPass).data().toString(), QStringLiteral("now"));
    m->setPassResult(QStringLiteral("anna"), result, 2, when);
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(), state);
    QCOMPARE(m->index(1, AccountsModel::Status).data().toString(),
             QStringLiteral("Not checked yet"));
    // The whole story is in the explanation (and the state's tooltip), not cut.
    const QString explanation = m->explanation(0);
    if (code != 0 && ErrorCode(code) != ErrorCode::SignInNeeded)
        QVERIFY2(explanation.contains(ErrorText::describe(result)), qPrintable(explanation));
    if (ErrorCode(code) == ErrorCode::SignInNeeded) // the provider's words
        QVERIFY2(explanation.contains(message), qPrintable(explanation));
    // Our English message is for the log; the server's own words are shown apart.
    if (code != 0 && ErrorCode(code) != ErrorCode::SignInNeeded)
        QVERIFY2(!explanation.contains(message), qPrintable(explanation));
    if (code != 0 && ErrorCode(code) != ErrorCode::SignInNeeded) {
        m->setPassResult(QStringLiteral("anna"), result.withServerSaid(message), 2, when);
        QVERIFY2(m->explanation(0).contains(ErrorText::serverSaidLine(result.withServerSaid(
                     message))),
                 qPrintable(m->explanation(0)));
    }
    QCOMPARE(m->index(0, AccountsModel::Status).data(Qt::ToolTipRole).toString(),
             m->explanation(0));
    // The last successful pass: only a successful one counts.
    const QString lastSuccess = m->index(0, AccountsModel::LastSuccess).data().toString();
    QCOMPARE(lastSuccess, code == 0 ? QLocale().toString(when.time(), QLocale::ShortFormat)
                                    : QStringLiteral("—"));
    QCOMPARE(m->index(0, AccountsModel::Status).data(Qt::ForegroundRole).isValid(), code != 0);
}

void TestAccountsPage::everyErrorCodeHasAShortState()
{
    for (int c = int(ErrorCode::None); c <= int(ErrorCode::SignInNeeded); ++c) {
        const Result r =
            c == 0 ? Result::success() : Result::failure(ErrorCode(c), QStringLiteral("x"));
        const AccountsModel::State s = AccountsModel::stateFor(r);
        const QString text = AccountsModel::stateText(s);
        QVERIFY2(!text.isEmpty() && text.size() <= 24, qPrintable(text));
        QCOMPARE(AccountsModel::isProblem(s), c != 0);
    }
    QCOMPARE(AccountsModel::stateText(AccountsModel::stateFor(Result::failure(
                 ErrorCode::Secrets, QStringLiteral("no password stored for account/anna")))),
             QStringLiteral("Password missing"));
}

// Four mailboxes (one fine, one wrong password, one unknown host, one refused port), the
// office server down: the fine one is OK and says its message waits.
void TestAccountsPage::testersCaseShowsWhatIsTrue()
{
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    Config c = twoAccounts();
    c.accounts << account(QStringLiteral("carl")) << account(QStringLiteral("dora"));
    page.load(c);
    page.resize(900, 600);
    page.show();
    AccountsModel *m = page.model();
    const QDateTime now = QDateTime::currentDateTime();
    m->setPassResult(QStringLiteral("anna"), Result::success(), 1, now);
    const QString longError =
        QStringLiteral("The server refused the connection (%1)").arg(QString(80, QLatin1Char('r')));
    m->setPassResult(QStringLiteral("bert"),
                     Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR [AUTH] no")), 0,
                     now);
    m->setPassResult(QStringLiteral("carl"),
                     Result::failure(ErrorCode::ServerError, QStringLiteral("refused"))
                         .withServerSaid(longError),
                     0, now);
    m->setPassResult(QStringLiteral("dora"),
                     Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("refused")), 0,
                     now);
    m->setWaiting({{QStringLiteral("anna"), 1}});
    m->setNextPass(QStringLiteral("anna"), now.addSecs(300));
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(), QStringLiteral("OK"));
    QCOMPARE(m->index(0, AccountsModel::Waiting).data().toString(), QStringLiteral("1"));
    QVERIFY(m->index(0, AccountsModel::Waiting).data(Qt::ForegroundRole).isValid()); // a warning
    QVERIFY(m->explanation(0).contains(QLatin1String("wait for delivery to the office server")));
    QCOMPARE(m->index(0, AccountsModel::NextPass).data().toString(),
             QLocale().toString(now.addSecs(300).time(), QLocale::ShortFormat));
    QCOMPARE(m->index(1, AccountsModel::Status).data().toString(), QStringLiteral("Refused login"));
    QCOMPARE(m->index(2, AccountsModel::Status).data().toString(),
             QStringLiteral("Server error"));
    QCOMPARE(m->index(3, AccountsModel::Status).data().toString(),
             QStringLiteral("Cannot connect"));
    QCOMPARE(m->index(1, AccountsModel::Waiting).data().toString(), QStringLiteral("0"));
    // No column cuts its text: each is at least as wide as what it shows.
    QTableView *view = page.view();
    QTRY_VERIFY(view->isVisible());
    for (int col = 0; col < AccountsModel::ColumnCount; ++col) {
        for (int row = 0; row < m->rowCount(); ++row) {
            const QModelIndex i = m->index(row, col);
            QVERIFY2(view->columnWidth(col) >= view->sizeHintForIndex(i).width(),
                     qPrintable(QStringLiteral("column %1 row %2: %3")
                                    .arg(col)
                                    .arg(row)
                                    .arg(i.data().toString())));
        }
    }
    QCOMPARE(view->textElideMode(), Qt::ElideNone);
    // The long error (the server's words) is whole in the details pane of carl.
    view->selectRow(2);
    QVERIFY2(page.detailsLabel()->text().contains(longError),
             qPrintable(page.detailsLabel()->text()));
}

void TestAccountsPage::detailsPaneHasTheWholeExplanation()
{
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    page.load(twoAccounts());
    AccountsModel *m = page.model();
    QLabel *details = page.detailsLabel();
    QVERIFY(details->wordWrap());
    QVERIFY(details->textInteractionFlags() & Qt::TextSelectableByMouse);
    QVERIFY(!page.testAccessButton()->isEnabled()); // nothing selected
    QVERIFY(details->text().contains(QLatin1String("Select a mailbox")));

    const Result refused =
        Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR [AUTH] Invalid credentials"));
    m->setPassResult(QStringLiteral("bert"), refused, 0, QDateTime::currentDateTime());
    page.view()->selectRow(1);
    QVERIFY(page.testAccessButton()->isEnabled());
    const QString text = details->text();
    QVERIFY2(text.startsWith(QStringLiteral("bert — Refused login\n")), qPrintable(text));
    QVERIFY2(text.contains(ErrorText::describe(refused)), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("No successful pass yet.")), qPrintable(text));
    // It follows the model: a later pass, and the selection.
    m->setPassResult(QStringLiteral("bert"), Result::success(), 3, QDateTime::currentDateTime());
    QVERIFY2(details->text().contains(QLatin1String("collected 3 message(s)")),
             qPrintable(details->text()));
    page.view()->selectRow(0);
    QVERIFY(details->text().startsWith(QStringLiteral("anna — Not checked yet")));

    // "Open activity" names the mailbox; "Test access" opens its dialog, testing.
    QSignalSpy activity(&page, &AccountsPage::activityRequested);
    page.openActivityButton()->click();
    QCOMPARE(activity.count(), 1);
    QCOMPARE(activity.last().first().toString(), QStringLiteral("anna"));
    QSignalSpy opened(&page, &AccountsPage::dialogOpened);
    page.testAccessButton()->click();
    QCOMPARE(opened.count(), 1);
    QVERIFY(page.currentDialog());
    QCOMPARE(page.currentDialog()->account().name, QStringLiteral("anna"));
    page.currentDialog()->reject();
}

void TestAccountsPage::officeServerLine()
{
    FakeSecretStore secrets;
    AccountsPage page(&secrets);
    QLabel *line = page.officeServerLabel();
    QVERIFY(line->text().contains(QLatin1String("not set up")));
    AccountsPage::OfficeServer office;
    office.configured = true;
    page.setOfficeServer(office);
    QCOMPARE(line->text(), QStringLiteral("Office server OK — nothing waiting"));
    office.waiting = 3;
    page.setOfficeServer(office);
    QCOMPARE(line->text(), QStringLiteral("Office server OK — 3 message(s) waiting"));
    office.failing = true;
    office.unreachable = true;
    office.waiting = 12;
    office.failingSince = QDateTime(QDate::currentDate(), QTime(21, 40));
    page.setOfficeServer(office);
    QCOMPARE(line->text(),
             QStringLiteral("Office server unreachable since %1 — 12 message(s) waiting")
                 .arg(QLocale().toString(QTime(21, 40), QLocale::ShortFormat)));
    office.unreachable = false;
    office.failingSince = {};
    page.setOfficeServer(office);
    QCOMPARE(line->text(),
             QStringLiteral("Office server not accepting mail — 12 message(s) waiting"));
}

void TestAccountsPage::statesInGerman()
{
    QTranslator *german = installTranslator(QStringLiteral("de"));
    QVERIFY(german);
    {
        FakeSecretStore secrets;
        AccountsPage page(&secrets);
        page.load(twoAccounts());
        AccountsModel *m = page.model();
        m->setPassResult(QStringLiteral("anna"),
                         Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("x")), 0,
                         QDateTime::currentDateTime());
        m->setPassResult(QStringLiteral("bert"),
                         Result::failure(ErrorCode::AuthFailed, QStringLiteral("x")), 0,
                         QDateTime::currentDateTime());
        QCOMPARE(m->index(0, AccountsModel::Status).data().toString(),
                 QStringLiteral("Keine Verbindung"));
        QCOMPARE(m->index(1, AccountsModel::Status).data().toString(),
                 QStringLiteral("Anmeldung abgelehnt"));
        QCOMPARE(m->headerData(AccountsModel::LastSuccess, Qt::Horizontal).toString(),
                 QStringLiteral("Letzter erfolgreicher Abruf"));
        m->setPaused(true);
        QCOMPARE(m->index(0, AccountsModel::Status).data().toString(),
                 QStringLiteral("Angehalten"));
        AccountsPage::OfficeServer office;
        office.configured = true;
        office.waiting = 3;
        page.setOfficeServer(office);
        QCOMPARE(page.officeServerLabel()->text(),
                 QStringLiteral("Mailserver im Büro OK — 3 Nachrichten warten"));
        page.view()->selectRow(1);
        QVERIFY2(page.detailsLabel()->text().startsWith(QStringLiteral("bert — Angehalten")),
                 qPrintable(page.detailsLabel()->text()));
    }
    for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
        QApplication::removeTranslator(t);
        delete t;
    }
}

// AppController follows the engine's signals into the list, the office server line and the
// tray (the engine is never started: the test emits its signals).
void TestAccountsPage::controllerFeedsTheListFromTheEngine()
{
    QTemporaryDir dir;
    FakeSecretStore secrets;
    AppController::Options options;
    options.configPath = dir.filePath(QStringLiteral("pollux.json"));
    options.secrets = &secrets;
    options.useTray = false;
    AppController app(options);
    Config c = twoAccounts();
    c.dataDir = dir.filePath(QStringLiteral("data"));
    app.setConfig(c);
    app.showSettings();
    AccountsPage *page = app.settingsWindow()->accountsPage();
    AccountsModel *m = page->model();
    Engine *engine = app.engine();
    const QString anna = QStringLiteral("anna");

    emit engine->passStarted(anna);
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(), QStringLiteral("Checking…"));
    emit engine->passFinished(anna, Result::success(), 1);
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(), QStringLiteral("OK"));
    QVERIFY(m->lastSuccess(anna).isValid());
    const QDateTime next = QDateTime::currentDateTimeUtc().addSecs(300);
    emit engine->nextPass(anna, next);
    QCOMPARE(m->index(0, AccountsModel::NextPass).data().toString(),
             QLocale().toString(next.toLocalTime().time(), QLocale::ShortFormat));
    emit engine->passFinished(QStringLiteral("bert"),
                              Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR no")), 0);
    QCOMPARE(m->index(1, AccountsModel::Status).data().toString(), QStringLiteral("Refused login"));

    // The office server is down; anna's message was never tried: it is counted all the same.
    emit engine->deliveryError(
        Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("Connection refused")));
    emit engine->waitingCounted({{anna, 1}});
    QCOMPARE(m->index(0, AccountsModel::Waiting).data().toString(), QStringLiteral("1"));
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(), QStringLiteral("OK"));
    const QString since =
        QLocale().toString(app.tray()->officeServerFailingSince().time(), QLocale::ShortFormat);
    QCOMPARE(page->officeServerLabel()->text(),
             QStringLiteral("Office server unreachable since %1 — 1 message(s) waiting").arg(since));
    QCOMPARE(app.tray()->toolTip(),
             QStringLiteral("Pollux: 1 message(s) waiting: office server unreachable since %1")
                 .arg(since));
    emit engine->delivered(anna, QStringLiteral("u1"), QStringLiteral("250 ok"));
    QCOMPARE(page->officeServerLabel()->text(), QStringLiteral("Office server OK — nothing waiting"));

    // "Open activity" opens the activity window.
    page->view()->selectRow(0);
    page->openActivityButton()->click();
    QTRY_VERIFY(app.activityWindow()->isVisible());
    app.activityWindow()->hide();
    app.settingsWindow()->hide();
}

// "Send test alert" on the General page reaches AppController, which says why it cannot be
// sent (alerts off, the engine not running); the engine's own sending is tst_alerts'.
void TestAccountsPage::controllerAnswersTheTestAlertButton()
{
    QTemporaryDir dir;
    FakeSecretStore secrets;
    AppController::Options options;
    options.configPath = dir.filePath(QStringLiteral("pollux.json"));
    options.secrets = &secrets;
    options.useTray = false;
    AppController app(options);
    Config c = twoAccounts();
    c.dataDir = dir.filePath(QStringLiteral("data"));
    c.alerts.enabled = false;
    app.setConfig(c);
    app.showSettings();
    GeneralPage *general = app.settingsWindow()->generalPage();
    emit general->testAlertRequested();
    QVERIFY2(general->testAlertResult()->text().contains(QLatin1String("turned off")),
             qPrintable(general->testAlertResult()->text()));
    c.alerts.enabled = true;
    app.setConfig(c);
    emit general->testAlertRequested(); // never started
    QVERIFY2(general->testAlertResult()->text().contains(QLatin1String("not running")),
             qPrintable(general->testAlertResult()->text()));
    app.settingsWindow()->hide();
}

// The activity window's reload seeds the list from the database only where the list knows
// nothing newer: a live result (with the server's words) and a pass running now stay
// (review finding: every reload put the database's older, wordless result back).
void TestAccountsPage::databaseDoesNotOverwriteWhatIsLive()
{
    QTemporaryDir dir;
    FakeSecretStore secrets;
    AppController::Options options;
    options.configPath = dir.filePath(QStringLiteral("pollux.json"));
    options.secrets = &secrets;
    options.useTray = false;
    AppController app(options);
    Config c = twoAccounts();
    c.dataDir = dir.filePath(QStringLiteral("data"));
    app.setConfig(c);
    app.showSettings();
    const QString database = Engine::databasePath(c);
    {
        QVERIFY(QDir().mkpath(c.dataDir));
        Store store(database, nullptr);
        QVERIFY(store.open().ok());
        qint64 pass = 0;
        for (const char *name : {"anna", "bert"}) {
            QVERIFY(store.beginPass(QString::fromLatin1(name), pass).ok());
            QVERIFY(store.finishPass(pass, 0,
                                     Result::failure(ErrorCode::Network, QStringLiteral("old")))
                        .ok());
        }
    }
    AccountsModel *m = app.settingsWindow()->accountsPage()->model();
    Engine *engine = app.engine();
    emit engine->passFinished(QStringLiteral("anna"),
                              Result::failure(ErrorCode::AuthFailed, QStringLiteral("no"))
                                  .withServerSaid(QStringLiteral("-ERR [AUTH] go away")),
                              0);
    emit engine->passStarted(QStringLiteral("bert"));
    ActivityWindow *activity = app.activityWindow();
    activity->setLocation(database, dir.filePath(QStringLiteral("data/spool")));
    QSignalSpy refreshed(activity, &ActivityWindow::refreshed);
    activity->refresh();
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(m->index(0, AccountsModel::Status).data().toString(), QStringLiteral("Refused login"));
    QVERIFY2(m->explanation(0).contains(QLatin1String("-ERR [AUTH] go away")),
             qPrintable(m->explanation(0)));
    QCOMPARE(m->index(1, AccountsModel::Status).data().toString(), QStringLiteral("Checking…"));
    app.settingsWindow()->hide();
}

void TestAccountsPage::firstStartIsNotSetUpYet()
{
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    FakeSecretStore secrets;
    AppController::Options options;
    options.configPath = dir.filePath(QStringLiteral("none.json")); // no file: nothing set up
    options.secrets = &secrets;
    AppController app(options);
    QVERIFY(app.loadConfig().ok());
    app.start();
    QCOMPARE(app.tray()->toolTip(), QStringLiteral("Pollux: Not set up yet"));
    QVERIFY(app.settingsWindow()->accountsPage()->officeServerLabel()->text().contains(
        QLatin1String("not set up")));
    app.settingsWindow()->hide();
}

QTEST_MAIN(TestAccountsPage)
#include "tst_accountspage.moc"
