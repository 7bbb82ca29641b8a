// The real UI classes with the real engine against a real Dovecot and a real SMTP server:
// "Poll now" from the tray menu delivers the mail and the activity window shows it;
// "Test access" talks to the real server, and "Trust this certificate" pins a certificate.
#include "integration/MessageFactory.h"
#include "integration/TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "engine/Engine.h"
#include "store/Store.h"
#include "ui/AccountAdvanced.h"
#include "ui/AccountDialog.h"
#include "ui/AccountsModel.h"
#include "ui/AccountsPage.h"
#include "ui/ActivityModels.h"
#include "ui/ActivityWindow.h"
#include "ui/AppController.h"
#include "ui/ErrorText.h"
#include "ui/MailServerPage.h"
#include "ui/MessageBox.h"
#include "ui/PasswordField.h"
#include "ui/SettingsWindow.h"
#include "ui/TrayApp.h"
#include "ui/TrayIcon.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using namespace pollux::ui;

class TestGuiEndToEnd : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void pollNowFromTheTrayDeliversAndShowsInActivity();
    void testAccessCountsTheWaitingMail();
    void untrustedCertificateCanBeTrusted();
    void mailServerTestsTalkToTheRealServer();
    void trayCountsWhatWasRefusedBeforeTheStart();

private:
    AccountConfig account(const QString &user, ServerType type) const;

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
};

void TestGuiEndToEnd::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY(installTranslator(QStringLiteral("en"))); // English plural forms
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    QVERIFY(m_dir.isValid());
    for (const char *user : {"anna", "bert", "carl"}) {
        const QString name = QString::fromLatin1(user);
        QVERIFY(m_dovecot.addUser(name, name + QStringLiteral("-pw")));
        m_secrets.set(QStringLiteral("account/") + name, name + QStringLiteral("-pw"));
    }
}

void TestGuiEndToEnd::cleanupTestCase()
{
    if (m_sink)
        QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

AccountConfig TestGuiEndToEnd::account(const QString &user, ServerType type) const
{
    AccountConfig a;
    a.name = user;
    a.type = type;
    a.host = QStringLiteral("127.0.0.1");
    a.port = type == ServerType::Pop3Ssl ? m_dovecot.pop3sPort() : m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.recipient = user + QStringLiteral("@office.example.com");
    return a;
}

void TestGuiEndToEnd::pollNowFromTheTrayDeliversAndShowsInActivity()
{
    QVERIFY(m_dovecot.deliver(QStringLiteral("anna"), makeMessage(1, 2000)));
    Config config;
    config.accounts << account(QStringLiteral("anna"), ServerType::Pop3);
    config.smtp.host = QStringLiteral("127.0.0.1");
    config.smtp.port = m_sink->port();
    config.smtp.timeoutSecs = 30;
    config.postmaster = QStringLiteral("postmaster@office.example.com");
    config.dataDir = m_dir.filePath(QStringLiteral("data"));
    const QString path = m_dir.filePath(QStringLiteral("pollux.json"));
    QVERIFY(config.save(path).ok());

    AppController::Options options;
    options.configPath = path;
    options.secrets = &m_secrets;
    options.engine.schedule = false; // passes only when asked: "Poll now" is what starts it
    AppController app(options);
    QVERIFY(app.loadConfig().ok());
    QSignalSpy started(app.engine(), &Engine::started);
    app.start();
    QVERIFY(started.wait(30000));
    QCOMPARE(m_sink->messages().size(), 0);

    QSignalSpy passStarted(app.engine(), &Engine::passStarted);
    app.tray()->pollNowAction()->trigger();
    QVERIFY(passStarted.wait(30000));
    QVERIFY(m_sink->waitForMessages(1, 60000));
    QCOMPARE(m_sink->messages().first().recipients,
             QStringList{QStringLiteral("anna@office.example.com")});

    // The activity window (opened through the tray) shows it delivered, with the reply.
    app.tray()->activityAction()->trigger();
    MessagesModel *messages = app.activityWindow()->messagesModel();
    QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() == 1 &&
                                 messages->message(0).record.state == DeliveryState::Delivered,
                             30000);
    QCOMPARE(messages->index(0, MessagesModel::Account).data().toString(), QStringLiteral("anna"));
    QCOMPARE(messages->index(0, MessagesModel::State).data().toString(),
             QStringLiteral("delivered"));
    QVERIFY(messages->index(0, MessagesModel::Reply)
                .data()
                .toString()
                .startsWith(QLatin1String("250")));
    QCOMPARE(messages->index(0, MessagesModel::Recipients).data().toString(),
             QStringLiteral("anna@office.example.com"));
    PassesModel *passes = app.activityWindow()->passesModel();
    QTRY_VERIFY_WITH_TIMEOUT(passes->rowCount() >= 1 && passes->pass(0).finished.isValid(), 30000);
    QCOMPARE(passes->pass(0).collected, 1);
    QCOMPARE(passes->index(0, PassesModel::Outcome).data().toString(), QStringLiteral("OK"));
    // Search finds it by recipient; garbage finds nothing.
    app.activityWindow()->searchEdit()->setText(QStringLiteral("ANNA@office"));
    QCOMPARE(app.activityWindow()->messagesView()->rowCount(), 1);
    app.activityWindow()->searchEdit()->setText(QStringLiteral("\\x00 no such thing"));
    QCOMPARE(app.activityWindow()->messagesView()->rowCount(), 0);

    // The tray went back to idle; the account list shows the last pass.
    QTRY_COMPARE(app.tray()->state(), TrayIcon::State::Idle);
    AccountsModel *accounts = app.settingsWindow()->accountsPage()->model();
    QCOMPARE(accounts->index(0, AccountsModel::Status).data().toString(), QStringLiteral("OK"));
    QVERIFY(accounts->lastSuccess(accounts->account(0).name).isValid());

    // Pause stops the engine; Resume starts it again.
    app.tray()->pauseAction()->trigger();
    QVERIFY(!app.engine()->isRunning());
    QCOMPARE(app.tray()->state(), TrayIcon::State::Paused);
    app.tray()->pauseAction()->trigger();
    QVERIFY(app.engine()->isRunning());
}

void TestGuiEndToEnd::testAccessCountsTheWaitingMail()
{
    QVERIFY(m_dovecot.deliver(QStringLiteral("bert"), makeMessage(1, 1000)));
    QVERIFY(m_dovecot.deliver(QStringLiteral("bert"), makeMessage(2, 1000)));
    AccountDialog::Context context{&m_secrets};
    context.extraCaCertificates = QSslCertificate::fromPath(TestCa::instance().caCertPath());
    AccountDialog dialog(context);
    dialog.setAccount(account(QStringLiteral("bert"), ServerType::Pop3Ssl), false);
    QTRY_VERIFY(!dialog.passwordField()->isLoading());
    QSignalSpy finished(&dialog, &AccountDialog::testFinished);
    dialog.testAccess();
    QVERIFY(finished.wait(30000));
    QVERIFY2(dialog.testResult()->text().contains(QLatin1String("2 messages waiting")),
             qPrintable(dialog.testResult()->text()));
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("bert")), 2); // a test changes nothing

    // A wrong password is said in plain words.
    dialog.passwordField()->setPassword(QStringLiteral("wrong"));
    dialog.testAccess();
    QVERIFY(finished.wait(30000));
    QVERIFY2(dialog.testResult()->text().contains(
                 QLatin1String("The server refused the username or password.")),
             qPrintable(dialog.testResult()->text()));
}

void TestGuiEndToEnd::untrustedCertificateCanBeTrusted()
{
    // No extra CA: the test CA's certificate does not verify.
    AccountDialog dialog({&m_secrets});
    dialog.setAccount(account(QStringLiteral("carl"), ServerType::Pop3Ssl), false);
    QTRY_VERIFY(!dialog.passwordField()->isLoading());
    dialog.show();
    QSignalSpy finished(&dialog, &AccountDialog::testFinished);
    dialog.testAccess();
    QVERIFY(finished.wait(30000));
    const auto outcome = finished.last().first().value<AccessTester::Outcome>();
    QCOMPARE(outcome.result.code(), ErrorCode::Tls);
    QVERIFY(!outcome.presentedFingerprint.isEmpty());
    QVERIFY(dialog.testResult()->text().contains(outcome.presentedFingerprint));
    QVERIFY(dialog.trustButton()->isVisible());

    MessageBox::setNextAnswer(QMessageBox::Yes);
    dialog.trustButton()->click();
    QCOMPARE(dialog.advanced()->fingerprint()->text(), outcome.presentedFingerprint);
    QCOMPARE(dialog.account().pinnedFingerprint, outcome.presentedFingerprint);
    QVERIFY(dialog.validate());

    dialog.testAccess();
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.last().first().value<AccessTester::Outcome>().result.ok(),
             qPrintable(dialog.testResult()->text()));
}

void TestGuiEndToEnd::mailServerTestsTalkToTheRealServer()
{
    Config config;
    config.smtp.host = QStringLiteral("127.0.0.1");
    config.smtp.port = m_sink->port();
    config.smtp.timeoutSecs = 30;
    config.postmaster = QStringLiteral("postmaster@office.example.com");
    config.directory.type = DirectoryType::SmtpProbe;
    MailServerPage page(&m_secrets);
    page.load(config);
    QSignalSpy smtp(&page, &MailServerPage::smtpTestFinished);
    page.testSmtp();
    QVERIFY(smtp.wait(30000));
    QVERIFY2(smtp.first().first().value<Result>().ok(), qPrintable(page.smtpTestResult()->text()));
    QVERIFY(page.smtpTestResult()->text().contains(QLatin1String("answered")));

    // The directory test asks the office server (SMTP probing) about the postmaster.
    QSignalSpy directory(&page, &MailServerPage::directoryTestFinished);
    page.testDirectory();
    QVERIFY(directory.wait(30000));
    QVERIFY2(directory.first().first().value<Result>().ok(),
             qPrintable(page.directoryTestResult()->text()));
    QVERIFY2(page.directoryTestResult()->text().contains(QLatin1String("it knows")),
             qPrintable(page.directoryTestResult()->text()));

    // Nothing listening: said in plain words.
    m_sink->stop();
    page.testSmtp();
    QVERIFY(smtp.wait(30000));
    QVERIFY2(page.smtpTestResult()->text().contains(QLatin1String("refused the connection")),
             qPrintable(page.smtpTestResult()->text()));
}

// A message refused in an earlier run is still in quarantine: the tray says so from the
// start (it reads the backlog from the database), not only for refusals it saw itself;
// and the account list shows the last pass the database remembers - both without the
// activity window ever being opened.
void TestGuiEndToEnd::trayCountsWhatWasRefusedBeforeTheStart()
{
    Config config;
    config.accounts << account(QStringLiteral("anna"), ServerType::Pop3);
    config.smtp.host = QStringLiteral("127.0.0.1");
    config.smtp.port = m_sink->port();
    config.postmaster = QStringLiteral("postmaster@office.example.com");
    config.dataDir = m_dir.filePath(QStringLiteral("data-backlog"));
    const QString path = m_dir.filePath(QStringLiteral("pollux-backlog.json"));
    QVERIFY(config.save(path).ok());
    {
        Store store(Engine::databasePath(config), nullptr);
        QVERIFY(store.open().ok());
        QVERIFY(store
                    .recordSpooled(QStringLiteral("anna"),
                                   {SpooledMessage{QStringLiteral("old-1"),
                                                   10,
                                                   QStringLiteral("anna/old-1.eml"),
                                                   {QStringLiteral("anna@office.example.com")}}})
                    .ok());
        QList<DeliveryItem> due;
        QVERIFY(store.dueDeliveries(1, due).ok());
        QCOMPARE(due.size(), 1);
        QVERIFY(store
                    .markFailed(due.first().id, QStringLiteral("550 5.1.1 no such user"),
                                QStringLiteral("quarantine/BADMAIL/old-1.eml"))
                    .ok());
        qint64 pass = 0;
        QVERIFY(store.beginPass(QStringLiteral("anna"), pass).ok());
        QVERIFY(store
                    .finishPass(pass, 0,
                                Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR no")))
                    .ok());
    }

    AppController::Options options;
    options.configPath = path;
    options.secrets = &m_secrets;
    options.engine.schedule = false;
    AppController app(options);
    QVERIFY(app.loadConfig().ok());
    app.start();
    QTRY_COMPARE_WITH_TIMEOUT(app.tray()->refusedCount(), 1, 30000);
    QVERIFY2(app.tray()->details().contains(QLatin1String("refused by the office server")),
             qPrintable(app.tray()->details()));
    AccountsModel *accounts = app.settingsWindow()->accountsPage()->model();
    QCOMPARE(accounts->rowCount(), 1);
    QCOMPARE(accounts->index(0, AccountsModel::Status).data().toString(),
             QStringLiteral("Refused login"));
    QVERIFY(accounts->explanation(0).contains(
        ErrorText::sentence(Result::failure(ErrorCode::AuthFailed, QString()))));
    QVERIFY(!app.activityWindow()->isVisible());
}

QTEST_MAIN(TestGuiEndToEnd)
#include "tst_gui_endtoend.moc"
