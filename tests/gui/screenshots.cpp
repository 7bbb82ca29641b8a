// Renders every window and dialog of the desktop app into PNG files, with sample data:
//   pollux_screenshots OUTPUT_DIR LANGUAGE(en|de)
// Run under a real X server (tests/gui/screenshots.sh uses Xvfb), with QT_SCALE_FACTOR for
// high-DPI renderings.
#include "config/Config.h"
#include "secrets/SecretStore.h"
#include "store/Store.h"
#include "ui/AccountAdvanced.h"
#include "ui/AccountDialog.h"
#include "ui/AccountsModel.h"
#include "ui/AccountsPage.h"
#include "ui/ActivityWindow.h"
#include "ui/ErrorText.h"
#include "ui/MailServerPage.h"
#include "ui/PasswordField.h"
#include "ui/SettingsWindow.h"
#include "ui/TrayApp.h"
#include "ui/TrayIcons.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace pollux;
using namespace pollux::ui;

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

void settle(int ms = 150)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
}

QString g_out;
int g_failures = 0;

void shoot(QWidget *w, const QString &name)
{
    w->show();
    w->raise();
    settle();
    const QString path = g_out + QLatin1Char('/') + name + QStringLiteral(".png");
    if (!w->grab().save(path)) {
        fprintf(stderr, "cannot write %s\n", qPrintable(path));
        ++g_failures;
    } else {
        printf("%s\n", qPrintable(path));
    }
}

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
    AccountConfig old = joe;
    old.name = QStringLiteral("old mailbox");
    old.type = ServerType::Pop3;
    old.port = 110;
    old.host = QStringLiteral("mail.old-isp.example");
    old.username = QStringLiteral("office");
    old.enabled = false;
    c.accounts << joe << office << old;
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
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pollux-screenshots"));
    if (argc < 3) {
        fprintf(stderr, "usage: pollux_screenshots OUTPUT_DIR en|de\n");
        return 2;
    }
    g_out = QString::fromLocal8Bit(argv[1]);
    const QString language = QString::fromLocal8Bit(argv[2]);
    QDir().mkpath(g_out);
    QLocale::setDefault(QLocale(language));
    installTranslator(language);

    QTemporaryDir dir;
    const Config config = sampleConfig(dir.path());
    sampleActivity(config);
    SampleSecrets secrets;

    // Settings, each page.
    SettingsWindow settings(&secrets, dir.filePath(QStringLiteral("pollux.json")));
    settings.setConfig(config);
    AccountsModel *model = settings.accountsPage()->model();
    model->setPassResult(QStringLiteral("joe"), Result::success(), 4, QDateTime::currentDateTime());
    model->setPassResult(QStringLiteral("office catch-all"),
                         Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR [AUTH] no")),
                         0, QDateTime::currentDateTime());
    settings.resize(settings.sizeHint().expandedTo(QSize(760, 560)));
    const QStringList pages = {QStringLiteral("settings-pop3-imap"),
                               QStringLiteral("settings-mail-server"),
                               QStringLiteral("settings-general")};
    for (int i = 0; i < pages.size(); ++i) {
        settings.tabs()->setCurrentIndex(i);
        shoot(&settings, pages.at(i));
    }
    // The domain box explaining a mistake, and a refused save.
    settings.tabs()->setCurrentIndex(0);
    settings.accountsPage()->domainsEdit()->setPlainText(
        QStringLiteral("office.example\n@example.org\n*.sales.example"));
    settings.save();
    shoot(&settings, QStringLiteral("settings-domain-errors"));
    settings.hide();

    // The account dialog: new, editing with Advanced open, validation, test results.
    {
        AccountDialog dialog({&secrets});
        dialog.setAccount(AccountConfig{}, true);
        shoot(&dialog, QStringLiteral("account-new"));
    }
    {
        AccountDialog dialog({&secrets});
        dialog.setAccount(config.accounts.at(1), false);
        dialog.setAdvancedVisible(true);
        shoot(&dialog, QStringLiteral("account-advanced"));
    }
    {
        AccountDialog::Context context{&secrets};
        context.haveAcceptedDomains = false;
        AccountDialog dialog(context);
        AccountConfig a = config.accounts.at(0);
        a.host = QStringLiteral("pop provider.example");
        a.recipient = QStringLiteral("Joe <joe@office>");
        dialog.setAccount(a, true);
        dialog.validate();
        shoot(&dialog, QStringLiteral("account-validation"));
    }
    {
        AccountDialog dialog({&secrets});
        AccountConfig a = config.accounts.at(0);
        a.host = QStringLiteral("127.0.0.1");
        a.port = 1; // nothing listens: "refused the connection"
        dialog.setAccount(a, false);
        dialog.testAccess();
        QElapsedTimer t;
        t.start();
        while (dialog.testResult()->text().endsWith(QStringLiteral("…")) && t.elapsed() < 10000)
            settle(50);
        shoot(&dialog, QStringLiteral("account-test-refused"));
    }
    {
        SampleSecrets none;
        none.unavailable = true;
        AccountDialog dialog({&none});
        dialog.setAccount(config.accounts.at(0), false);
        shoot(&dialog, QStringLiteral("account-no-keychain"));
    }

    // Activity, each tab.
    ActivityWindow activity;
    activity.setLocation(dir.filePath(QStringLiteral("pollux.db")),
                         dir.filePath(QStringLiteral("spool")));
    activity.show();
    {
        QElapsedTimer t;
        t.start();
        bool loaded = false;
        QObject::connect(&activity, &ActivityWindow::refreshed, &activity, [&] { loaded = true; });
        activity.refresh();
        while (!loaded && t.elapsed() < 10000)
            settle(50);
    }
    const QStringList tabs = {QStringLiteral("activity-passes"),
                              QStringLiteral("activity-messages"),
                              QStringLiteral("activity-quarantine")};
    for (int i = 0; i < tabs.size(); ++i) {
        activity.tabs()->setCurrentIndex(i);
        shoot(&activity, tabs.at(i));
    }

    // The tray's state icons side by side.
    QPixmap icons(4 * 72, 72);
    icons.fill(Qt::white);
    {
        QPainter p(&icons);
        int x = 4;
        for (TrayState s :
             {TrayState::Idle, TrayState::Polling, TrayState::Error, TrayState::Paused}) {
            p.drawPixmap(x, 4, trayStateIcon(s).pixmap(64, 64));
            x += 72;
        }
    }
    icons.save(g_out + QStringLiteral("/tray-icons.png"));
    return g_failures == 0 ? 0 : 1;
}
