// The first-run guide in the settings window: when it shows, what each step writes,
// skipping, the catch-all dry run, saving, and that it fits 960×540 in English and German.
#include "UiTestSupport.h"
#include "unit/pop3/FakePop3Server.h"
#include "unit/pop3/Pop3TestSupport.h"

#include "ui/AccountDialog.h"
#include "ui/AccountsModel.h"
#include "ui/AccountsPage.h"
#include "ui/FirstRunGuide.h"
#include "ui/MailServerPage.h"
#include "ui/PasswordField.h"
#include "ui/SettingsWindow.h"
#include "ui/TrayApp.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace pollux;
using namespace pollux::test;
using namespace pollux::ui;

namespace {

AccountConfig account(const QString &name, MailboxType mailbox = MailboxType::SingleUser)
{
    AccountConfig a;
    a.name = name;
    a.host = QStringLiteral("pop.provider.example");
    a.username = name;
    a.mailbox = mailbox;
    if (mailbox == MailboxType::SingleUser)
        a.recipient = name + QStringLiteral("@office.example");
    return a;
}

Config complete()
{
    Config c;
    c.smtp.host = QStringLiteral("mail.office.example");
    c.accounts << account(QStringLiteral("anna"));
    return c;
}

// A server and a catch-all mailbox, but no accepted domains: only step 3 is open.
Config catchAllWithoutDomains()
{
    Config c;
    c.smtp.host = QStringLiteral("mail.office.example");
    c.accounts << account(QStringLiteral("shop"), MailboxType::CatchAll);
    return c;
}

QString cell(QTableWidget *table, int row, int column)
{
    QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

// Visible widgets of `root` that are smaller than they need (text cut off) or reach out of
// `window`, each named.
QStringList squashed(QWidget *window, QWidget *root)
{
    QStringList out;
    const QRect area = window->rect();
    const QList<QWidget *> widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(window) || w->size().isEmpty() ||
            w->objectName().startsWith(QLatin1String("qt_"))) // a part of a Qt widget
            continue;
        const QRect r(w->mapTo(window, QPoint(0, 0)), w->size());
        const QString name =
            QStringLiteral("%1 \"%2\"")
                .arg(QString::fromLatin1(w->metaObject()->className()),
                     w->objectName().isEmpty() ? w->property("text").toString() : w->objectName());
        if (!area.contains(r))
            out << name + QStringLiteral(" outside the window");
        auto *label = qobject_cast<QLabel *>(w);
        if (label && label->wordWrap()) {
            if (w->height() < w->heightForWidth(w->width()))
                out << name + QStringLiteral(" too low for its text");
        } else if (qobject_cast<QLabel *>(w) || qobject_cast<QAbstractButton *>(w) ||
                   qobject_cast<QLineEdit *>(w) || qobject_cast<QSpinBox *>(w)) {
            const QSize min = w->minimumSizeHint();
            if (w->width() < min.width() || w->height() < min.height())
                out << name + QStringLiteral(" squashed");
        }
    }
    return out;
}

void removeTranslators()
{
    for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
        QApplication::removeTranslator(t);
        delete t;
    }
}

} // namespace

class TestFirstRun : public QObject
{
    Q_OBJECT

private slots:
    void isSetUp_data();
    void isSetUp();
    void shownUntilSetUp();
    void mailServerStepWritesTheConfig();
    void mailboxStepAddsThroughTheDialog();
    void domainsStepWritesTheConfig();
    void dryRunTableShowsTheSampleAddresses();
    void dryRunOfTheMailbox();
    void skipGoesOnAndTheGuideComesBack();
    void allSettingsLeavesAndTheGuideComesBack();
    void finishingSaves();
    void finishingIncompleteKeepsTheGuide();
    void fits960x540_data();
    void fits960x540();
};

void TestFirstRun::isSetUp_data()
{
    QTest::addColumn<Config>("config");
    QTest::addColumn<bool>("setUp");
    QTest::newRow("empty") << Config{} << false;
    Config serverOnly;
    serverOnly.smtp.host = QStringLiteral("mail.office.example");
    QTest::newRow("server-only") << serverOnly << false;
    Config mailboxOnly = complete();
    mailboxOnly.smtp.host.clear();
    QTest::newRow("mailbox-only") << mailboxOnly << false;
    QTest::newRow("server-and-mailbox") << complete() << true;
    QTest::newRow("catch-all-without-domains") << catchAllWithoutDomains() << false;
    Config withDomains = catchAllWithoutDomains();
    withDomains.acceptedDomains << QStringLiteral("office.example");
    QTest::newRow("catch-all-with-domains") << withDomains << true;
    Config disabled = catchAllWithoutDomains();
    disabled.accounts[0].enabled = false;
    QTest::newRow("disabled-catch-all-without-domains") << disabled << true;
}

void TestFirstRun::isSetUp()
{
    QFETCH(Config, config);
    QFETCH(bool, setUp);
    QCOMPARE(ui::isSetUp(config), setUp);
}

void TestFirstRun::shownUntilSetUp()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    window.setConfig(Config{});
    window.show();
    QVERIFY(window.isGuideShown());
    QVERIFY(window.guide()->isVisible());
    QVERIFY(!window.tabs()->isVisible());
    QCOMPARE(window.guide()->currentStep(), int(FirstRunGuide::MailServer));
    QVERIFY(!window.guide()->stepDone(FirstRunGuide::MailServer));
    QVERIFY(!window.guide()->stepDone(FirstRunGuide::Mailbox));
    QVERIFY(window.guide()->stepDone(FirstRunGuide::Domains)); // no catch-all mailbox
    QVERIFY(window.guide()->stepList()->item(2)->text().contains(QLatin1String("not needed")));
    QVERIFY(!window.guide()->stepDone(FirstRunGuide::GoLive));

    window.setConfig(complete());
    QVERIFY(!window.isGuideShown());
    QVERIFY(!window.guide()->isVisible());
    QVERIFY(window.tabs()->isVisible());
    QVERIFY(!window.guideButton()->isVisible());

    // Only the catch-all domains are missing: the guide opens on them.
    window.setConfig(catchAllWithoutDomains());
    QVERIFY(window.isGuideShown());
    QCOMPARE(window.guide()->currentStep(), int(FirstRunGuide::Domains));
    QVERIFY(window.guide()->stepDone(FirstRunGuide::MailServer));
    QVERIFY(window.guide()->stepDone(FirstRunGuide::Mailbox));
    QVERIFY(!window.guide()->stepDone(FirstRunGuide::Domains));
    QVERIFY(window.guide()->stepList()->item(0)->text().endsWith(QStringLiteral("✓")));
    QVERIFY(!window.guide()->stepList()->item(2)->text().endsWith(QStringLiteral("✓")));
}

void TestFirstRun::mailServerStepWritesTheConfig()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    window.setConfig(Config{});
    FirstRunGuide *guide = window.guide();

    // Next needs a server; Skip does not.
    guide->nextButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::MailServer));
    QVERIFY(!guide->hint()->isHidden());

    guide->smtpHost()->setText(QStringLiteral("mail.office.example"));
    guide->smtpPort()->setValue(587);
    guide->smtpStartTls()->setChecked(true);
    guide->smtpUser()->setText(QStringLiteral("relay"));
    guide->smtpPassword()->setPassword(QStringLiteral("relay-pw"));
    QCOMPARE(window.config().smtp.host, QStringLiteral("mail.office.example")); // as typed
    guide->nextButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Mailbox));
    QVERIFY(guide->stepDone(FirstRunGuide::MailServer));
    QVERIFY(guide->stepList()->item(0)->text().endsWith(QStringLiteral("✓")));

    // In the Mail server page itself, so the usual save writes it.
    Config page;
    window.mailServerPage()->apply(page);
    QCOMPARE(page.smtp.host, QStringLiteral("mail.office.example"));
    QCOMPARE(page.smtp.port, quint16(587));
    QVERIFY(page.smtp.startTls);
    QCOMPARE(page.smtp.username, QStringLiteral("relay"));
    const Config c = window.config();
    QCOMPARE(c.smtp.host, QStringLiteral("mail.office.example"));
    QCOMPARE(c.smtp.port, quint16(587));
}

void TestFirstRun::mailboxStepAddsThroughTheDialog()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    Config c;
    c.smtp.host = QStringLiteral("mail.office.example");
    window.setConfig(c);
    FirstRunGuide *guide = window.guide();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Mailbox));
    QVERIFY(!guide->stepDone(FirstRunGuide::Mailbox));
    guide->nextButton()->click(); // no mailbox yet
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Mailbox));

    guide->addMailboxButton()->click();
    AccountDialog *dialog = window.accountsPage()->currentDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isNew());
    dialog->findChild<QLineEdit *>(QStringLiteral("host"))
        ->setText(QStringLiteral("pop.provider.example"));
    dialog->findChild<QLineEdit *>(QStringLiteral("username"))->setText(QStringLiteral("carl"));
    dialog->findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("carl"));
    dialog->findChild<QLineEdit *>(QStringLiteral("recipient"))
        ->setText(QStringLiteral("carl@office.example"));
    dialog->passwordField()->setPassword(QStringLiteral("s3cret"));
    dialog->accept();
    QTRY_COMPARE(guide->mailboxList()->count(), 1);
    QVERIFY(guide->mailboxList()->item(0)->text().contains(QLatin1String("carl")));
    QVERIFY(guide->stepDone(FirstRunGuide::Mailbox));
    QCOMPARE(window.config().accounts.size(), 1);
    QCOMPARE(secrets.secrets.value(QStringLiteral("account/carl")), QStringLiteral("s3cret"));
    guide->nextButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Domains));
}

void TestFirstRun::domainsStepWritesTheConfig()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    window.setConfig(catchAllWithoutDomains());
    FirstRunGuide *guide = window.guide();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Domains));
    QVERIFY(guide->domains()->isVisibleTo(guide));

    guide->domains()->setText(QStringLiteral("@office.example"));
    guide->nextButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Domains));
    QVERIFY2(guide->hint()->text().contains(QLatin1String("@office.example")),
             qPrintable(guide->hint()->text()));

    guide->domains()->setText(QStringLiteral("office.example, branch.example"));
    guide->postmaster()->setText(QStringLiteral("postmaster@office.example"));
    guide->nextButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::GoLive));
    QVERIFY(guide->stepDone(FirstRunGuide::Domains));
    const QStringList domains{QStringLiteral("office.example"), QStringLiteral("branch.example")};
    QCOMPARE(window.accountsPage()->acceptedDomains(), domains);
    QCOMPARE(window.config().acceptedDomains, domains);
    QCOMPARE(window.config().postmaster, QStringLiteral("postmaster@office.example"));
    QVERIFY(guide->summary()->text().contains(QLatin1String("office.example, branch.example")));

    // No catch-all mailbox: the step says so and is done.
    window.setConfig(complete());
    window.showGuide(true);
    QVERIFY(guide->stepDone(FirstRunGuide::Domains));
    guide->setCurrentStep(FirstRunGuide::Domains);
    QVERIFY(!guide->domains()->isVisibleTo(guide));
    QVERIFY(guide->findChild<QLabel *>(QStringLiteral("guideNoCatchAll"))->isVisibleTo(guide));
}

void TestFirstRun::dryRunTableShowsTheSampleAddresses()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    window.setConfig(catchAllWithoutDomains());
    FirstRunGuide *guide = window.guide();
    QTableWidget *table = guide->dryRunTable();
    guide->domains()->setText(QStringLiteral("office.example"));
    guide->postmaster()->setText(QStringLiteral("postmaster@office.example"));
    guide->sampleAddresses()->setText(
        QStringLiteral("bob@office.example, eve@foreign.example; x%y@office.example"));
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(cell(table, 0, 0), QStringLiteral("bob@office.example"));
    QCOMPARE(cell(table, 0, 1), QStringLiteral("bob@office.example"));
    QCOMPARE(cell(table, 0, 2), QStringLiteral("in an accepted domain"));
    QCOMPARE(cell(table, 1, 0), QStringLiteral("eve@foreign.example"));
    QCOMPARE(cell(table, 1, 1), QStringLiteral("the postmaster (postmaster@office.example)"));
    QCOMPARE(cell(table, 1, 2), QStringLiteral("not in an accepted domain"));
    QCOMPARE(cell(table, 2, 0), QStringLiteral("x%y@office.example"));
    QCOMPARE(cell(table, 2, 1), QStringLiteral("the postmaster (postmaster@office.example)"));

    // Without a postmaster, mail for nobody local is quarantined.
    guide->postmaster()->clear();
    QCOMPARE(cell(table, 1, 1), QStringLiteral("nobody: quarantined"));
    QVERIFY(cell(table, 1, 2).contains(QLatin1String("no postmaster address")));

    // No sample addresses: one per accepted domain and one elsewhere.
    guide->sampleAddresses()->clear();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(cell(table, 0, 0), QStringLiteral("info@office.example"));
    QCOMPARE(cell(table, 1, 0), QStringLiteral("someone@elsewhere.example"));
}

// "Try the newest messages": the catch-all mailbox's headers (TOP n 0, nothing deleted) in
// the same table, with the password from the keychain.
void TestFirstRun::dryRunOfTheMailbox()
{
    QVERIFY(ui::installTranslator(QStringLiteral("en"))); // English plural forms
    FakePop3Server server;
    QList<QByteArray> script = loginScript({"TOP", "UIDL", "USER"});
    script << "C: UIDL" << uidlAnswer(2) << "C: LIST" << listAnswer(2) << "C: TOP 1 0"
           << retrAnswer("To: bob@office.example\r\nSubject: one\r\n\r\n") << "C: TOP 2 0"
           << retrAnswer("To: eve@foreign.example\r\nSubject: <h1>two</h1>\xe2\x80\xae\r\n\r\n")
           << "C: QUIT"
           << "S: +OK bye";
    server.setScript(script);

    FakeSecretStore secrets;
    secrets.secrets.insert(QStringLiteral("account/shop"), QStringLiteral("secret"));
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    Config c = catchAllWithoutDomains();
    c.accounts[0].host = QStringLiteral("127.0.0.1");
    c.accounts[0].port = server.port();
    c.accounts[0].username = QStringLiteral("alice");
    c.accounts[0].allowPlaintextLogin = true;
    window.setConfig(c);
    FirstRunGuide *guide = window.guide();
    guide->domains()->setText(QStringLiteral("office.example"));
    guide->postmaster()->setText(QStringLiteral("postmaster@office.example"));
    QSignalSpy finished(guide, &FirstRunGuide::mailboxDryRunFinished);
    guide->mailboxDryRunButton()->click();
    QVERIFY(!guide->mailboxDryRunButton()->isEnabled());
    QVERIFY(finished.wait(20000));
    const Result result = finished.first().first().value<Result>();
    QVERIFY2(result.ok(), qPrintable(result.message()));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QTableWidget *table = guide->dryRunTable();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(cell(table, 0, 0), QStringLiteral("bob@office.example"));
    QCOMPARE(cell(table, 0, 1), QStringLiteral("bob@office.example"));
    QCOMPARE(cell(table, 1, 0), QStringLiteral("eve@foreign.example"));
    QCOMPARE(cell(table, 1, 1), QStringLiteral("the postmaster (postmaster@office.example)"));
    // A hostile sender's Subject is text, never markup (a tooltip whose first line looks
    // like HTML is drawn as HTML), and its hidden characters (U+202E) are gone.
    const QString tip = table->item(1, 0)->toolTip();
    QVERIFY2(tip.contains(QStringLiteral("“&lt;h1&gt;two&lt;/h1&gt;”")), qPrintable(tip));
    QVERIFY2(!tip.contains(QLatin1String("<h1>")) && !tip.contains(QChar(0x202E)),
             qPrintable(tip));
    QVERIFY2(guide->mailboxDryRunStatus()->text().contains(QLatin1String("2 messages")),
             qPrintable(guide->mailboxDryRunStatus()->text()));
    // A status update of the mailbox keeps the mailbox's rows.
    window.accountsPage()->model()->setPassResult(QStringLiteral("shop"), Result::success(), 1,
                                                  QDateTime::currentDateTime());
    QCOMPARE(table->rowCount(), 2);
    QVERIFY(guide->mailboxDryRunButton()->isEnabled());
    removeTranslators();
}

void TestFirstRun::skipGoesOnAndTheGuideComesBack()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    window.setConfig(Config{});
    FirstRunGuide *guide = window.guide();
    QVERIFY(!guide->backButton()->isEnabled());
    guide->skipButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Mailbox));
    QVERIFY(guide->backButton()->isEnabled());
    guide->skipButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Domains));
    guide->skipButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::GoLive));
    QVERIFY(guide->skipButton()->isHidden());
    QCOMPARE(guide->nextButton()->text(), QStringLiteral("Save and start"));
    QVERIFY(!guide->stepDone(FirstRunGuide::MailServer));
    QVERIFY(!guide->stepDone(FirstRunGuide::Mailbox));
    QVERIFY(guide->summary()->text().contains(QLatin1String("opens again")));
    guide->backButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Domains));

    // Skipping set nothing: the next open starts the guide again, at the first step.
    window.setConfig(window.config());
    QVERIFY(window.isGuideShown());
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::MailServer));
}

void TestFirstRun::allSettingsLeavesAndTheGuideComesBack()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    window.setConfig(Config{});
    window.show();
    FirstRunGuide *guide = window.guide();
    guide->smtpHost()->setText(QStringLiteral("mail.office.example"));
    guide->allSettingsButton()->click();
    QVERIFY(!window.isGuideShown());
    QVERIFY(window.tabs()->isVisible());
    QVERIFY(window.guideButton()->isVisible());
    // What was typed in the guide is on the page.
    Config page;
    window.mailServerPage()->apply(page);
    QCOMPARE(page.smtp.host, QStringLiteral("mail.office.example"));
    // A change on the page shows in the guide when it opens again.
    window.accountsPage()->domainsEdit()->setPlainText(QStringLiteral("office.example"));
    window.guideButton()->click();
    QVERIFY(window.isGuideShown());
    QCOMPARE(guide->domains()->text(), QStringLiteral("office.example"));
    QCOMPARE(guide->smtpHost()->text(), QStringLiteral("mail.office.example"));
}

void TestFirstRun::finishingSaves()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("pollux.json"));
    SettingsWindow window(&secrets, path);
    window.setAutostartCommand(QStringLiteral("/bin/true"), {});
    Config c = catchAllWithoutDomains();
    c.smtp.host.clear();
    window.setConfig(c);
    window.show();
    FirstRunGuide *guide = window.guide();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::MailServer));
    guide->smtpHost()->setText(QStringLiteral("mail.office.example"));
    guide->smtpUser()->setText(QStringLiteral("relay"));
    QTRY_VERIFY(!guide->smtpPassword()->isLoading());
    guide->smtpPassword()->setPassword(QStringLiteral("relay-pw"));
    guide->nextButton()->click();
    guide->nextButton()->click(); // the mailbox is there
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Domains));
    guide->domains()->setText(QStringLiteral("office.example"));
    guide->postmaster()->setText(QStringLiteral("postmaster@office.example"));
    guide->nextButton()->click();
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::GoLive));
    QVERIFY(guide->summary()->text().contains(QLatin1String("Everything needed is there")));

    QSignalSpy saved(&window, &SettingsWindow::saved);
    guide->nextButton()->click(); // Save and start
    QTRY_COMPARE(saved.count(), 1);
    Config loaded;
    QVERIFY(Config::load(path, loaded).ok());
    QCOMPARE(loaded.smtp.host, QStringLiteral("mail.office.example"));
    QCOMPARE(loaded.smtp.username, QStringLiteral("relay"));
    QCOMPARE(loaded.acceptedDomains, QStringList{QStringLiteral("office.example")});
    QCOMPARE(loaded.postmaster, QStringLiteral("postmaster@office.example"));
    QCOMPARE(loaded.accounts.size(), 1);
    QCOMPARE(secrets.secrets.value(QStringLiteral("smtp")), QStringLiteral("relay-pw"));
    QVERIFY(ui::isSetUp(saved.first().first().value<Config>()));
    // Set up: the pages from now on, and no guide on the next open.
    QVERIFY(!window.isGuideShown());
    QVERIFY(window.tabs()->isVisible());
    window.setConfig(loaded);
    QVERIFY(!window.isGuideShown());
}

void TestFirstRun::finishingIncompleteKeepsTheGuide()
{
    FakeSecretStore secrets;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("pollux.json"));
    SettingsWindow window(&secrets, path);
    window.setAutostartCommand(QStringLiteral("/bin/true"), {});
    window.setConfig(Config{});
    FirstRunGuide *guide = window.guide();
    guide->smtpHost()->setText(QStringLiteral("mail.office.example"));
    guide->setCurrentStep(FirstRunGuide::GoLive);
    QSignalSpy saved(&window, &SettingsWindow::saved);
    guide->nextButton()->click();
    QTRY_COMPARE(saved.count(), 1);
    Config loaded;
    QVERIFY(Config::load(path, loaded).ok());
    QCOMPARE(loaded.smtp.host, QStringLiteral("mail.office.example"));
    QVERIFY(window.isGuideShown());
    QVERIFY(guide->stepDone(FirstRunGuide::MailServer));
    QVERIFY(!guide->stepDone(FirstRunGuide::Mailbox));
    window.setConfig(loaded);
    QVERIFY(window.isGuideShown());
    QCOMPARE(guide->currentStep(), int(FirstRunGuide::Mailbox));
}

void TestFirstRun::fits960x540_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("de") << QStringLiteral("de");
}

void TestFirstRun::fits960x540()
{
    QFETCH(QString, language);
    QVERIFY(ui::installTranslator(language));
    {
        FakeSecretStore secrets;
        QTemporaryDir dir;
        SettingsWindow window(&secrets, dir.filePath(QStringLiteral("pollux.json")));
        Config c = catchAllWithoutDomains();
        c.accounts << account(QStringLiteral("anna")) << account(QStringLiteral("bert"));
        window.setConfig(c);
        FirstRunGuide *guide = window.guide();
        if (language == QLatin1String("de")) {
            QCOMPARE(guide->nextButton()->text(), QStringLiteral("Weiter"));
            QCOMPARE(guide->skipButton()->text(), QStringLiteral("Überspringen"));
        }
        guide->domains()->setText(QStringLiteral("office.example"));
        guide->postmaster()->setText(QStringLiteral("postmaster@office.example"));
        guide->smtpPassword()->setPassword(QStringLiteral("x"));
        window.resize(960, 540);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (int step = 0; step < FirstRunGuide::StepCount; ++step) {
            guide->setCurrentStep(step);
            window.layout()->activate();
            QApplication::processEvents();
            const QSize min = window.minimumSizeHint();
            QVERIFY2(min.width() <= 960 && min.height() <= 540,
                     qPrintable(QStringLiteral("step %1 needs %2×%3")
                                    .arg(step)
                                    .arg(min.width())
                                    .arg(min.height())));
            QCOMPARE(window.size(), QSize(960, 540));
            const QStringList problems = squashed(&window, guide);
            QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("step %1: ").arg(step) +
                                                    problems.join(QStringLiteral("; "))));
            // The step list shows each step whole.
            QListWidget *steps = guide->stepList();
            for (int i = 0; i < steps->count(); ++i) {
                const int needed = steps->fontMetrics().horizontalAdvance(steps->item(i)->text());
                QVERIFY2(needed < steps->viewport()->width(), qPrintable(steps->item(i)->text()));
            }
        }
    }
    removeTranslators();
}

QTEST_MAIN(TestFirstRun)
#include "tst_firstrun.moc"
