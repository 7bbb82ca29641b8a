#include "WindowCatalogue.h"

#include "oauth/TokenResponse.h"
#include "secrets/SecretStore.h"
#include "store/Store.h"
#include "ui/AccountDialog.h"
#include "ui/AccountsModel.h"
#include "ui/AccountsPage.h"
#include "ui/ActivityWindow.h"
#include "ui/DeviceCodeDialog.h"
#include "ui/ErrorText.h"
#include "ui/FirstRunGuide.h"
#include "ui/SettingsWindow.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableView>

using namespace pollux;
using namespace pollux::ui;

namespace pollux::gui {

namespace {

class SampleSecrets final : public SecretStore
{
public:
    bool unavailable = false;
    void read(const QString &key, ReadCallback done) override
    {
        const Result r = unavailable ? Result::failure(ErrorCode::Secrets,
                                                       QStringLiteral("no keychain is available"))
                                     : Result::success();
        QMetaObject::invokeMethod(
            QAbstractEventDispatcher::instance(), [done, r, key] { done(r, key); },
            Qt::QueuedConnection);
    }
    void write(const QString &, const QString &, WriteCallback done) override
    {
        done(Result::success());
    }
    void remove(const QString &, WriteCallback done) override { done(Result::success()); }
};

Config sampleConfig(const QString &dataDir)
{
    Config c;
    AccountConfig joe;
    joe.name = QStringLiteral("joe");
    joe.type = ServerType::Pop3Ssl;
    joe.host = QStringLiteral("pop.provider.example");
    joe.port = 995;
    joe.username = QStringLiteral("joe.smith@provider.example");
    joe.recipient = QStringLiteral("joe@office.example");
    AccountConfig office;
    office.name = QStringLiteral("office catch-all");
    office.type = ServerType::ImapSsl;
    office.host = QStringLiteral("imap.provider.example");
    office.port = 993;
    office.username = QStringLiteral("catchall@office.example");
    office.mailbox = MailboxType::CatchAllReroute;
    office.retention = Retention::KeepDays;
    office.keepDays = 30;
    AccountConfig sales = joe;
    sales.name = QStringLiteral("sales");
    sales.host = QStringLiteral("pop.sales-provider.example");
    sales.username = QStringLiteral("sales@office.example");
    sales.recipient = QStringLiteral("sales@office.example");
    AccountConfig support = joe;
    support.name = QStringLiteral("support");
    support.host = QStringLiteral("mail.support-provider.example");
    support.port = 1995;
    support.username = QStringLiteral("support@office.example");
    support.recipient = QStringLiteral("support@office.example");
    AccountConfig ceo = joe;
    ceo.name = QStringLiteral("ceo (Microsoft 365)");
    ceo.type = ServerType::ImapSsl;
    ceo.host = QStringLiteral("outlook.office365.com");
    ceo.port = 993;
    ceo.username = QStringLiteral("ceo@office.example");
    ceo.recipient = QStringLiteral("ceo@office.example");
    ceo.signIn = SignInMethod::Microsoft365;
    AccountConfig old = joe;
    old.name = QStringLiteral("old mailbox");
    old.type = ServerType::Pop3;
    old.port = 110;
    old.host = QStringLiteral("mail.old-isp.example");
    old.username = QStringLiteral("office");
    old.enabled = false;
    c.accounts << joe << office << sales << support << ceo << old;
    c.acceptedDomains << QStringLiteral("office.example") << QStringLiteral("example.org");
    c.smtp.host = QStringLiteral("mail.office.example");
    c.smtp.startTls = true;
    c.postmaster = QStringLiteral("postmaster@office.example");
    c.directory.type = DirectoryType::Ldap;
    c.directory.ldapUrl = QStringLiteral("ldap://dc1.office.example");
    c.directory.baseDn = QStringLiteral("DC=office,DC=example");
    c.dataDir = dataDir;
    return c;
}

// The last 30 days for the chart: a working week's rhythm of collected and delivered mail,
// a few refused. Recorded as messages of today, then moved back to their day through a
// connection of its own (the store records the moment; only the chart's sample needs other
// days).
void sampleHistory(Store &store, const QString &databasePath)
{
    QList<SpooledMessage> batch;
    QHash<QString, int> age; // uid -> days back
    const QDate today = QDate::currentDate();
    for (int back = 29; back >= 1; --back) {
        const int weekday = today.addDays(-back).dayOfWeek();
        const int count = weekday >= 6 ? 1 : 4 + (back * 7) % 9;
        for (int i = 0; i < count; ++i) {
            SpooledMessage m;
            m.uid = QStringLiteral("H%1-%2").arg(back).arg(i);
            m.size = 4000;
            m.spoolPath = QStringLiteral("joe/h%1-%2.eml").arg(back).arg(i);
            m.recipients << QStringLiteral("joe@office.example");
            batch << m;
            age.insert(m.uid, back);
        }
    }
    if (!store.recordSpooled(QStringLiteral("joe"), batch).ok())
        return;
    QList<DeliveryItem> due;
    if (!store.dueDeliveries(int(batch.size()) + 10, due).ok())
        return;
    int n = 0;
    for (const DeliveryItem &item : std::as_const(due)) {
        if (!age.contains(item.uid))
            continue;
        if (++n % 23 == 5)
            (void)store.markFailed(item.id, QStringLiteral("550 5.7.1 Message rejected as spam"),
                                   QString());
        else
            (void)store.markDelivered(item.id, QStringLiteral("250 2.0.0 Ok"));
    }
    (void)store.syncCommits();
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("catalogue"));
        db.setDatabaseName(databasePath);
        if (db.open()) {
            QSqlQuery move(db);
            move.prepare(QStringLiteral(
                "UPDATE messages SET first_seen = first_seen - :shift, delivered_at = "
                "delivered_at - :shift, refused_at = refused_at - :shift WHERE uid = :uid AND "
                "account = 'joe'"));
            for (auto it = age.cbegin(); it != age.cend(); ++it) {
                move.bindValue(QStringLiteral(":shift"), qint64(it.value()) * 24 * 3600 * 1000);
                move.bindValue(QStringLiteral(":uid"), it.key());
                move.exec();
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("catalogue"));
}

// A database and spool with passes, messages in every state, and quarantined files.
void sampleActivity(const Config &c)
{
    const QString spool = c.dataDir + QStringLiteral("/spool");
    QDir().mkpath(spool + QStringLiteral("/quarantine/BADMAIL"));
    QDir().mkpath(spool + QStringLiteral("/quarantine/TOOLARGE"));
    QDir().mkpath(spool + QStringLiteral("/joe"));
    Store store(c.dataDir + QStringLiteral("/pollux.db"), nullptr);
    if (!store.open().ok())
        return;
    auto file = [&](const QString &rel, const QByteArray &from, const QByteArray &subject) {
        QFile f(spool + QLatin1Char('/') + rel);
        if (f.open(QIODevice::WriteOnly))
            f.write("From: " + from + "\r\nSubject: " + subject + "\r\n\r\nHello\r\n");
    };
    qint64 pass = 0;
    (void)store.beginPass(QStringLiteral("joe"), pass);
    (void)store.finishPass(pass, 4, Result::success());
    (void)store.beginPass(QStringLiteral("office catch-all"), pass);
    (void)store.finishPass(
        pass, 0,
        Result::failure(ErrorCode::AuthFailed, QStringLiteral("NO [AUTHENTICATIONFAILED] Invalid "
                                                              "credentials")));
    QList<SpooledMessage> batch;
    const QStringList subjects = {QStringLiteral("Quarterly figures"),
                                  QStringLiteral("=?utf-8?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?="),
                                  QStringLiteral("Invoice 2024-118"),
                                  QStringLiteral("Holiday photos")};
    for (int i = 0; i < 4; ++i) {
        SpooledMessage m;
        m.uid = QStringLiteral("UID%1").arg(1000 + i);
        m.size = 2400 + i * 51234;
        m.spoolPath = QStringLiteral("joe/%1.eml").arg(i);
        m.recipients << QStringLiteral("joe@office.example");
        file(m.spoolPath, "Anna Example <anna@example.org>", subjects.at(i).toUtf8());
        batch << m;
    }
    (void)store.recordSpooled(QStringLiteral("joe"), batch);
    QList<DeliveryItem> due;
    (void)store.dueDeliveries(10, due);
    if (due.size() == 4) {
        (void)store.markDelivered(due[0].id, QStringLiteral("250 2.0.0 Ok: queued as 4F2A1"));
        (void)store.markDeferred(due[1].id, QStringLiteral("451 4.3.0 Try again later"),
                                 QDateTime::currentDateTimeUtc().addSecs(300));
        file(QStringLiteral("quarantine/BADMAIL/2.eml"), "billing@vendor.example",
             "Invoice 2024-118");
        (void)store.markFailed(due[2].id, QStringLiteral("550 5.1.1 User unknown"),
                               QStringLiteral("quarantine/BADMAIL/2.eml"));
    }
    file(QStringLiteral("quarantine/TOOLARGE/7.eml"), "Bert <bert@example.org>",
         "Holiday photos (all of them)");
    sampleHistory(store, c.dataDir + QStringLiteral("/pollux.db"));
}

// Shows `w`, lets it settle and hands it to the visitor.
void present(QWidget *w, const QString &scene, const WindowCatalogue::Visitor &visit)
{
    w->show();
    w->raise();
    WindowCatalogue::settle();
    visit(w, scene);
}

// Waits (with a deadline) until `done` holds.
template <typename Condition> void waitFor(Condition done, int ms = 10000)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        WindowCatalogue::settle(50);
}

} // namespace

WindowCatalogue::WindowCatalogue()
    : m_config(sampleConfig(m_dir.path()))
{
    sampleActivity(m_config);
}

WindowCatalogue::~WindowCatalogue() = default;

void WindowCatalogue::settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
}

void WindowCatalogue::visit(const Visitor &visit)
{
    SampleSecrets secrets;
    const QDir dir(m_dir.path());

    // Settings, each page.
    {
        SettingsWindow settings(&secrets, dir.filePath(QStringLiteral("pollux.json")));
        settings.setConfig(m_config);
        // Every state at once: OK with mail waiting for the office server, a refused login
        // (the server's words in the details pane), a name that is not found, a port that
        // refuses, a sign-in the provider no longer accepts; the office server down.
        AccountsModel *model = settings.accountsPage()->model();
        const QDateTime now = QDateTime::currentDateTime();
        model->setPassResult(QStringLiteral("joe"), Result::success(), 4, now.addSecs(-120));
        model->setPassResult(
            QStringLiteral("office catch-all"),
            Result::failure(ErrorCode::AuthFailed, QStringLiteral("login refused"))
                .withServerSaid(QStringLiteral("NO [AUTHENTICATIONFAILED] Invalid credentials "
                                               "(Failure); please sign in with your web "
                                               "browser and try again"))
                .withServer(QStringLiteral("imap.provider.example"), 993),
            0, now.addSecs(-60));
        model->setPassResult(QStringLiteral("sales"),
                             Result::failure(ErrorCode::HostNotFound, QStringLiteral("not found"))
                                 .withServer(QStringLiteral("pop.sales-provider.example"), 995),
                             0, now.addSecs(-60));
        model->setPassResult(
            QStringLiteral("support"),
            Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("refused"))
                .withServer(QStringLiteral("mail.support-provider.example"), 1995),
            0, now.addSecs(-60));
        model->setSignInState(QStringLiteral("ceo (Microsoft 365)"), true, QDateTime(),
                              QStringLiteral("AADSTS700082: The refresh token has expired"));
        for (const AccountConfig &a : m_config.accounts)
            model->setNextPass(a.name, now.addSecs(240));
        model->setLastSuccess(QStringLiteral("joe"), now.addSecs(-120));
        model->setLastSuccess(QStringLiteral("office catch-all"), now.addDays(-1));
        model->setWaiting({{QStringLiteral("joe"), 9}, {QStringLiteral("office catch-all"), 3}});
        AccountsPage::OfficeServer office;
        office.configured = true;
        office.failing = true;
        office.unreachable = true;
        office.failingSince = now.addSecs(-25 * 60);
        office.waiting = 12;
        settings.accountsPage()->setOfficeServer(office);
        settings.accountsPage()->view()->selectRow(1);
        const QStringList pages = {QStringLiteral("settings-pop3-imap"),
                                   QStringLiteral("settings-mail-server"),
                                   QStringLiteral("settings-general")};
        for (int i = 0; i < pages.size() && i < settings.tabs()->count(); ++i) {
            settings.tabs()->setCurrentIndex(i);
            present(&settings, pages.at(i), visit);
        }
        // Paused.
        settings.tabs()->setCurrentIndex(0);
        model->setPaused(true);
        present(&settings, QStringLiteral("settings-paused"), visit);
        model->setPaused(false);
        // The domain box explaining a mistake, and a refused save.
        settings.tabs()->setCurrentIndex(0);
        settings.accountsPage()->domainsEdit()->setPlainText(
            QStringLiteral("office.example\n@example.org\n*.sales.example"));
        settings.save();
        present(&settings, QStringLiteral("settings-domain-errors"), visit);
    }

    // First run: the guide, each step; the catch-all step with its dry-run table.
    {
        SettingsWindow settings(&secrets, dir.filePath(QStringLiteral("first.json")));
        settings.setConfig(Config{});
        const QStringList steps = {QStringLiteral("first-run-1-office-server"),
                                   QStringLiteral("first-run-2-mailbox"),
                                   QStringLiteral("first-run-3-domains"),
                                   QStringLiteral("first-run-4-go-live")};
        for (int i = 0; i < steps.size(); ++i) {
            settings.guide()->setCurrentStep(i);
            present(&settings, steps.at(i), visit);
        }
        Config catchAll = m_config;
        catchAll.smtp.host.clear(); // not set up yet: the guide
        settings.setConfig(catchAll);
        settings.guide()->setCurrentStep(FirstRunGuide::Domains);
        settings.guide()->runDryRun();
        present(&settings, QStringLiteral("first-run-3-domains-dry-run"), visit);
    }

    // The account dialog: new, editing with Advanced open, validation, test results.
    {
        AccountDialog dialog({&secrets});
        dialog.setAccount(AccountConfig{}, true);
        present(&dialog, QStringLiteral("account-new"), visit);
    }
    {
        AccountDialog dialog({&secrets});
        dialog.setAccount(m_config.accounts.at(1), false);
        dialog.setAdvancedVisible(true);
        present(&dialog, QStringLiteral("account-advanced"), visit);
    }
    {
        AccountDialog::Context context{&secrets};
        context.haveAcceptedDomains = false;
        AccountDialog dialog(context);
        AccountConfig a = m_config.accounts.at(0);
        a.host = QStringLiteral("pop provider.example");
        a.recipient = QStringLiteral("Joe <joe@office>");
        dialog.setAccount(a, true);
        dialog.validate();
        present(&dialog, QStringLiteral("account-validation"), visit);
    }
    {
        AccountDialog dialog({&secrets});
        AccountConfig a = m_config.accounts.at(0);
        a.host = QStringLiteral("127.0.0.1");
        a.port = 1; // nothing listens: "refused the connection"
        dialog.setAccount(a, false);
        dialog.testAccess();
        waitFor([&] { return !dialog.testResult()->text().endsWith(QStringLiteral("…")); });
        present(&dialog, QStringLiteral("account-test-refused"), visit);
    }
    {
        SampleSecrets none;
        none.unavailable = true;
        AccountDialog dialog({&none});
        dialog.setAccount(m_config.accounts.at(0), false);
        present(&dialog, QStringLiteral("account-no-keychain"), visit);
    }

    // Sign-in on another device.
    {
        oauth::DeviceCode code;
        code.userCode = QStringLiteral("WDJB-MJHT");
        code.verificationUri = QStringLiteral("https://microsoft.com/devicelogin");
        code.expiresIn = 900;
        DeviceCodeDialog dialog(code);
        present(&dialog, QStringLiteral("signin-device-code"), visit);
    }

    // Activity, each tab.
    {
        ActivityWindow activity;
        activity.setLocation(dir.filePath(QStringLiteral("pollux.db")),
                             dir.filePath(QStringLiteral("spool")));
        activity.show();
        bool loaded = false;
        QObject::connect(&activity, &ActivityWindow::refreshed, &activity, [&] { loaded = true; });
        activity.refresh();
        waitFor([&] { return loaded; });
        const QStringList tabs = {QStringLiteral("activity-passes"),
                                  QStringLiteral("activity-messages"),
                                  QStringLiteral("activity-quarantine"),
                                  QStringLiteral("activity-history")};
        for (int i = 0; i < tabs.size() && i < activity.tabs()->count(); ++i) {
            activity.tabs()->setCurrentIndex(i);
            present(&activity, tabs.at(i), visit);
        }
    }
}

} // namespace pollux::gui
