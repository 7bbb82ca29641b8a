// The POP3/IMAP page: add, edit, remove, enable/disable; accepted domains; max per pass.
#include "UiTestSupport.h"

#include "ui/AccountDialog.h"
#include "ui/AccountsModel.h"
#include "ui/AccountsPage.h"
#include "ui/GeneralPage.h"
#include "ui/MessageBox.h"
#include "ui/PasswordField.h"
#include "ui/SettingsWindow.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

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
                     Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR login refused")), 0,
                     QDateTime::currentDateTime());
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

QTEST_MAIN(TestAccountsPage)
#include "tst_accountspage.moc"
