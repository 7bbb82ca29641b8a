// The tray attached to a Pollux service (issue 14): a headless engine with the control
// socket (Engine + ControlServer in this process, as app/ runs them) against a real Dovecot
// and a real SMTP server, and the real tray (AppController in service mode) in the same
// test. States and counts shown, Poll now starts a pass, Pause, settings saved reach the
// service and it reloads, a client without permission is refused, and the tray copes with
// the service stopping and starting again.
#include "integration/MessageFactory.h"
#include "integration/TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/PolluxBinary.h"
#include "support/SmtpSink.h"

#include "control/ControlClient.h"
#include "control/ControlServer.h"
#include "engine/Engine.h"
#include "store/Store.h"
#include "ui/AccountsModel.h"
#include "ui/AccountsPage.h"
#include "ui/ActivityLoader.h"
#include "ui/ActivityModels.h"
#include "ui/ActivityWindow.h"
#include "ui/AppController.h"
#include "ui/PasswordField.h"
#include "ui/ServiceSecrets.h"
#include "ui/SettingsWindow.h"
#include "ui/TrayApp.h"
#include "ui/TrayIcon.h"

#include <QAction>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace pollux;
using namespace pollux::control;
using namespace pollux::test;
using namespace pollux::ui;

namespace {
// The service as app/ runs it: an engine, its configuration file, and the control socket.
struct Service
{
    MemorySecretStore *secrets = nullptr;
    QString configPath;
    QString socketPath;
    Config config;
    QList<Config> reloads;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<ControlServer> server;

    Result start()
    {
        engine = std::make_unique<Engine>(secrets, Clock::system());
        Engine::Options options;
        options.schedule = false; // passes when asked: Poll now is what starts one
        if (Result r = engine->start(config, options); !r)
            return r;
        return listen();
    }
    Result listen()
    {
        ControlServer::Hooks hooks;
        hooks.config = [this] { return config; };
        hooks.reload = [this](const Config &c) {
            reloads << c;
            config = c;
            Engine::Options options;
            options.schedule = false;
            Result r = engine->start(config, options);
            if (r) // in use now: the clients hear of it (the service does this on reloaded())
                QMetaObject::invokeMethod(
                    server.get(), [this] { server->configurationReloaded(); },
                    Qt::QueuedConnection);
            return r;
        };
        ControlServer::Options options;
        options.socketPath = socketPath;
        options.configPath = configPath;
        server = std::make_unique<ControlServer>(engine.get(), hooks, options);
        return server->listen();
    }
    void stop()
    {
        server.reset();
        if (engine)
            engine->stop();
        engine.reset();
    }
};
} // namespace

class TestTrayService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void trayShowsStatesAndCountsAndPollNowDelivers();
    void pauseFromTheTrayPausesTheService();
    void settingsSavedReachTheServiceAndItReloads();
    void settingsNeedAnAdminWhenReadOnly();
    void clientWithoutPermissionIsRefused();
    void trayCopesWithTheServiceStoppingAndStarting();
    void trayProgramAttachesInsteadOfStartingAnEngine();
    void passwordFieldsNameTheAdminsCommand();

private:
    AccountConfig account(const QString &user) const;
    std::unique_ptr<AppController> attachTray();

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    MemorySecretStore m_secrets;
    std::unique_ptr<QTemporaryDir> m_dir;
    Service m_service;
    std::unique_ptr<ControlClient> m_client;
};

void TestTrayService::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY(installTranslator(QStringLiteral("en")));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    SmtpSink::Options sinkOptions;
    sinkOptions.rejectRecipients << QStringLiteral("carl@office.example.com");
    m_sink = std::make_unique<SmtpSink>(sinkOptions);
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    for (const char *user : {"anna", "bert", "carl"}) {
        const QString name = QString::fromLatin1(user);
        QVERIFY(m_dovecot.addUser(name, name + QStringLiteral("-pw")));
    }
    // bert's password is not stored: his passes fail (a state the tray must show).
    m_secrets.set(QStringLiteral("account/anna"), QStringLiteral("anna-pw"));
    m_secrets.set(QStringLiteral("account/carl"), QStringLiteral("carl-pw"));
}

void TestTrayService::cleanupTestCase()
{
    if (m_sink)
        QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

AccountConfig TestTrayService::account(const QString &user) const
{
    AccountConfig a;
    a.name = user;
    a.type = ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.recipient = user + QStringLiteral("@office.example.com");
    return a;
}

void TestTrayService::init()
{
    m_sink->clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_service.secrets = &m_secrets;
    m_service.reloads.clear();
    m_service.configPath = m_dir->filePath(QStringLiteral("pollux.json"));
    m_service.socketPath = m_dir->filePath(QStringLiteral("control"));
    Config config;
    config.accounts << account(QStringLiteral("anna")) << account(QStringLiteral("bert"))
                    << account(QStringLiteral("carl"));
    config.smtp.host = QStringLiteral("127.0.0.1");
    config.smtp.port = m_sink->port();
    config.smtp.timeoutSecs = 30;
    config.postmaster = QStringLiteral("postmaster@office.example.com");
    config.dataDir = m_dir->filePath(QStringLiteral("data"));
    QVERIFY(config.save(m_service.configPath).ok());
    m_service.config = config;
    const Result r = m_service.start();
    QVERIFY2(r.ok(), qPrintable(r.message()));
}

void TestTrayService::cleanup()
{
    m_client.reset();
    m_service.stop();
    m_dir.reset();
}

std::unique_ptr<AppController> TestTrayService::attachTray()
{
    ControlClient::Options o;
    o.socketPath = m_service.socketPath;
    o.retryMinMs = 100;
    o.retryMaxMs = 500;
    m_client = std::make_unique<ControlClient>(o);
    AppController::Options options;
    options.configPath = m_dir->filePath(QStringLiteral("user-pollux.json")); // never written
    options.secrets = &m_secrets;
    options.clock = Clock::system();
    options.service = m_client.get();
    auto app = std::make_unique<AppController>(options);
    app->start();
    return app;
}

void TestTrayService::trayShowsStatesAndCountsAndPollNowDelivers()
{
    QVERIFY(m_dovecot.deliver(QStringLiteral("anna"), makeMessage(1, 2000)));
    QVERIFY(m_dovecot.deliver(QStringLiteral("carl"), makeMessage(2, 2000)));
    auto app = attachTray();
    QVERIFY(app->isAttached());
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->service(), TrayIcon::Service::Attached, 10000);
    QVERIFY(m_client->isAdmin());
    // The tray's settings show the service's configuration, not a local file.
    QTRY_COMPARE_WITH_TIMEOUT(app->config().accounts.size(), 3, 10000);
    QCOMPARE(app->config().smtp.port, m_sink->port());
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("user-pollux.json"))));
    QVERIFY(app->settingsWindow()->note().contains(QStringLiteral("Pollux service")));
    QVERIFY(app->tray()->details().contains(QStringLiteral("Attached to the Pollux service")));
    QCOMPARE(m_sink->messages().size(), 0);

    // Poll now from the tray starts the service's passes: anna's mail arrives.
    QSignalSpy passStarted(m_service.engine.get(), &Engine::passStarted);
    QVERIFY(app->tray()->pollNowAction()->isEnabled());
    app->tray()->pollNowAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(passStarted.count() >= 1, 30000);
    const auto annaArrived = [this] {
        const QList<ReceivedMessage> messages = m_sink->messages();
        for (const ReceivedMessage &m : messages)
            if (m.recipients == QStringList{QStringLiteral("anna@office.example.com")})
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(annaArrived(), 60000);
    // bert's pass failed in the service: the tray shows it; carl's message was refused by
    // the office server: the tray counts it.
    QTRY_VERIFY_WITH_TIMEOUT(app->tray()->failingAccounts().contains(QStringLiteral("bert")),
                             30000);
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->refusedCount(), 1, 30000);
    // Error once no pass runs (a pass still running shows Polling first).
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->state(), TrayIcon::State::Error, 30000);
    QVERIFY(!app->tray()->failingAccounts().contains(QStringLiteral("anna")));

    // The activity window reads the service's database and shows carl's refused message;
    // "Retry" there has the service's engine deliver it again (refused again by the sink).
    app->tray()->activityAction()->trigger();
    MessagesModel *messages = app->activityWindow()->messagesModel();
    qint64 refusedId = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int row = 0; row < messages->rowCount(); ++row)
                if (messages->message(row).record.state == DeliveryState::Failed)
                    refusedId = messages->message(row).record.id;
            return refusedId > 0;
        }(),
        30000);
    QSignalSpy quarantinedAgain(m_service.engine.get(), &Engine::quarantined);
    emit app->activityWindow()->retryRequested(refusedId);
    QTRY_VERIFY_WITH_TIMEOUT(quarantinedAgain.count() >= 1, 30000);
    QCOMPARE(quarantinedAgain.first().first().toString(), QStringLiteral("carl"));
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->refusedCount(), 1, 10000);

    // A second tray attaching now gets the same from the snapshot alone.
    ControlClient::Options o;
    o.socketPath = m_service.socketPath;
    ControlClient second(o);
    QSignalSpy snapshots(&second, &ControlClient::snapshotReceived);
    second.connectToService();
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.count() >= 1, 10000);
    const Snapshot s = second.snapshot();
    QCOMPARE(s.accounts.size(), 3);
    QCOMPARE(s.refused.size(), 1);
    QCOMPARE(s.refused.first().first, QStringLiteral("carl"));
    bool bertFailing = false;
    for (const AccountState &a : s.accounts)
        if (a.name == QLatin1String("bert"))
            bertFailing = a.state == QLatin1String("error") && a.code == ErrorCode::Secrets;
    QVERIFY(bertFailing);
    QVERIFY(!s.activity.isEmpty());
    // The counts of what waits for the office server come with the snapshot (nothing
    // waits: anna's went out, carl's was refused), and when each account last worked.
    QVERIFY(s.waitingKnown);
    QVERIFY2(s.waitingByAccount.isEmpty(), qPrintable(QString::number(s.waitingByAccount.size())));
    for (const AccountState &a : s.accounts)
        QCOMPARE(a.lastSuccess.isValid(), a.name != QLatin1String("bert"));
    // The attached tray's window shows the same: bert's short state, anna's last success.
    AccountsModel *model = app->settingsWindow()->accountsPage()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 10000);
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString name = model->account(row).name;
        if (name == QLatin1String("bert"))
            QTRY_VERIFY_WITH_TIMEOUT(AccountsModel::isProblem(model->state(row)), 10000);
        if (name == QLatin1String("anna"))
            QTRY_VERIFY_WITH_TIMEOUT(model->lastSuccess(name).isValid(), 10000);
    }
    QVERIFY(app->tray()->toolTip().size() <= TrayIcon::kMaxToolTipLength);
    QVERIFY2(app->tray()->toolTip().contains(QLatin1String("bert")) ||
                 app->tray()->toolTip().contains(QLatin1String("refused")),
             qPrintable(app->tray()->toolTip()));
}

void TestTrayService::pauseFromTheTrayPausesTheService()
{
    auto app = attachTray();
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->service(), TrayIcon::Service::Attached, 10000);
    app->tray()->pauseAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_service.engine->isPaused(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->state(), TrayIcon::State::Paused, 10000);
    QVERIFY(app->isPaused());
    app->tray()->pauseAction()->trigger(); // Resume
    QTRY_VERIFY_WITH_TIMEOUT(!m_service.engine->isPaused(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(app->tray()->state() != TrayIcon::State::Paused, 10000);
}

void TestTrayService::settingsSavedReachTheServiceAndItReloads()
{
    auto app = attachTray();
    QTRY_COMPARE_WITH_TIMEOUT(app->config().accounts.size(), 3, 10000);
    SettingsWindow *settings = app->settingsWindow();
    Config changed = app->config();
    changed.pollIntervalSecs = 900;
    changed.accounts.removeLast(); // carl goes
    settings->setConfig(changed);
    QSignalSpy saved(settings, &SettingsWindow::saved);
    QSignalSpy failed(settings, &SettingsWindow::saveFailed);
    QVERIFY(settings->save());
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1 || failed.count() > 0, 30000);
    QVERIFY2(failed.isEmpty(),
             failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    // The service wrote its configuration and reloaded with it.
    QCOMPARE(m_service.reloads.size(), 1);
    QCOMPARE(m_service.reloads.first().pollIntervalSecs, 900);
    QCOMPARE(m_service.reloads.first().accounts.size(), 2);
    Config onDisk;
    QVERIFY(Config::load(m_service.configPath, onDisk).ok());
    QCOMPARE(onDisk.pollIntervalSecs, 900);
    QCOMPARE(onDisk.accounts.size(), 2);
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("user-pollux.json"))));
    QCOMPARE(app->config().pollIntervalSecs, 900);
    // The next snapshot lists the accounts of the new configuration.
    QTRY_COMPARE_WITH_TIMEOUT(m_client->snapshot().accounts.size(), 2, 10000);

    // An invalid configuration is refused by the service, naming the field; nothing is
    // written and nothing reloads.
    Config bad = changed;
    bad.accounts[0].timeoutSecs = 1;
    bool answered = false;
    m_client->putConfig(bad, [&answered](const Result &r, const QJsonObject &reply) {
        answered = true;
        QCOMPARE(r.code(), ErrorCode::Config);
        QCOMPARE(reply.value(QLatin1String("field")).toString(),
                 QStringLiteral("accounts[0].timeoutSecs"));
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QCOMPARE(m_service.reloads.size(), 1);
    QVERIFY(Config::load(m_service.configPath, onDisk).ok());
    QCOMPARE(onDisk.accounts.at(0).timeoutSecs, 30);
}

void TestTrayService::settingsNeedAnAdminWhenReadOnly()
{
    m_service.server->setPolicy(
        [](const PeerCredentials &) { return ControlServer::Access::ReadOnly; });
    auto app = attachTray();
    QTRY_COMPARE_WITH_TIMEOUT(app->config().accounts.size(), 3, 10000);
    QVERIFY(!m_client->isAdmin());
    SettingsWindow *settings = app->settingsWindow();
    Config changed = app->config();
    changed.pollIntervalSecs = 1200;
    settings->setConfig(changed);
    QSignalSpy saved(settings, &SettingsWindow::saved);
    QSignalSpy failed(settings, &SettingsWindow::saveFailed);
    QVERIFY(settings->save());
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QVERIFY2(failed.first().first().toString().contains(QStringLiteral("needs an admin")),
             qPrintable(failed.first().first().toString()));
    QCOMPARE(saved.count(), 0);
    QVERIFY(m_service.reloads.isEmpty());
    Config onDisk;
    QVERIFY(Config::load(m_service.configPath, onDisk).ok());
    QCOMPARE(onDisk.pollIntervalSecs, m_service.config.pollIntervalSecs);
    // Read-only still watches and steers: Poll now works.
    QSignalSpy passStarted(m_service.engine.get(), &Engine::passStarted);
    app->tray()->pollNowAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(passStarted.count() >= 1, 30000);
}

void TestTrayService::clientWithoutPermissionIsRefused()
{
    auto app = attachTray();
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->service(), TrayIcon::Service::Attached, 10000);
    // The peer-credential seam: from now on only a uid that is not ours may attach.
    const uint me = currentUid();
    m_service.server->setPolicy([me](const PeerCredentials &peer) {
        const QSet<uint> allowed{me + 1};
        return peer.known && allowed.contains(peer.uid) ? ControlServer::Access::Admin
                                                        : ControlServer::Access::Refused;
    });
    QSignalSpy serverRefused(m_service.server.get(), &ControlServer::clientRefused);
    ControlClient::Options o;
    o.socketPath = m_service.socketPath;
    ControlClient intruder(o);
    QSignalSpy refused(&intruder, &ControlClient::refused);
    QSignalSpy attached(&intruder, &ControlClient::attached);
    intruder.connectToService();
    QTRY_COMPARE_WITH_TIMEOUT(refused.count(), 1, 10000);
    QVERIFY2(refused.first().first().toString().contains(QString::number(me)),
             qPrintable(refused.first().first().toString()));
    QCOMPARE(attached.count(), 0);
    QCOMPARE(intruder.state(), ControlClient::State::Refused);
    QCOMPARE(serverRefused.count(), 1);
    bool answered = false;
    intruder.pollNow(QString(), [&answered](const Result &r, const QJsonObject &) {
        answered = true;
        QVERIFY(!r.ok());
    });
    QVERIFY(answered);
    // The start-up probe of a tray sees that a service runs (and would not start a second
    // engine), and what it said.
    // (It blocks, so it runs in a thread of its own while this one serves.)
    QString refusal;
    std::atomic<int> answers{-1};
    std::thread probe([&] {
        answers = ControlClient::serviceAnswers(m_service.socketPath, 5000, &refusal) ? 1 : 0;
    });
    const bool probed = QTest::qWaitFor([&answers] { return answers >= 0; }, 10000);
    probe.join();
    QVERIFY(probed);
    QCOMPARE(answers.load(), 1);
    QVERIFY2(refusal.contains(QString::number(me)), qPrintable(refusal));
    // The tray attached before stays attached.
    QVERIFY(m_client->isAttached());
    QCOMPARE(app->tray()->service(), TrayIcon::Service::Attached);
}

void TestTrayService::trayCopesWithTheServiceStoppingAndStarting()
{
    auto app = attachTray();
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->service(), TrayIcon::Service::Attached, 10000);
    QSignalSpy notified(app->tray(), &TrayIcon::notified);

    m_service.stop();
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->service(), TrayIcon::Service::Down, 10000);
    QCOMPARE(app->tray()->state(), TrayIcon::State::Error);
    QVERIFY(app->tray()->details().contains(QStringLiteral("service not running")));
    QVERIFY(!app->tray()->pollNowAction()->isEnabled());
    QVERIFY(!notified.isEmpty());
    // Saving while the service is away says so; nothing is written anywhere.
    SettingsWindow *settings = app->settingsWindow();
    QSignalSpy failed(settings, &SettingsWindow::saveFailed);
    settings->setConfig(m_service.config);
    QVERIFY(settings->save());
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("not running")));
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("user-pollux.json"))));

    // The service comes back: the tray attaches again by itself, and Poll now works.
    const Result r = m_service.start();
    QVERIFY2(r.ok(), qPrintable(r.message()));
    QTRY_COMPARE_WITH_TIMEOUT(app->tray()->service(), TrayIcon::Service::Attached, 15000);
    QVERIFY(app->tray()->pollNowAction()->isEnabled());
    QVERIFY(m_dovecot.deliver(QStringLiteral("anna"), makeMessage(3, 1500)));
    app->tray()->pollNowAction()->trigger();
    QVERIFY(m_sink->waitForMessages(1, 60000));
}

void TestTrayService::trayProgramAttachesInsteadOfStartingAnEngine()
{
    // The real program, started as a user starts the tray (its own configuration, its own
    // data folder), while a service answers on the control socket: it attaches and runs no
    // engine - its data folder is never created, no second engine works on the mailboxes.
    const QString userData = m_dir->filePath(QStringLiteral("user-data"));
    Config user = m_service.config;
    user.dataDir = userData;
    const QString userConfig = m_dir->filePath(QStringLiteral("user.json"));
    QVERIFY(user.save(userConfig).ok());
    QSignalSpy attached(m_service.server.get(), &ControlServer::clientAttached);
    QProcess tray;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_CONTROL_SOCKET"), m_service.socketPath);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    tray.setProcessEnvironment(env);
    tray.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    tray.start(polluxBinary(), {QStringLiteral("--config"), userConfig});
    QVERIFY2(tray.waitForStarted(10000), qPrintable(tray.errorString()));
    // Two hellos: the start-up probe, then the tray's own connection.
    QTRY_VERIFY_WITH_TIMEOUT(attached.count() >= 2, 30000);
    QCOMPARE(attached.last().first().toLongLong(), tray.processId());
    QCOMPARE(tray.state(), QProcess::Running);
    QVERIFY(!QFileInfo::exists(userData));
    tray.terminate();
    if (!tray.waitForFinished(10000)) {
        tray.kill();
        QVERIFY(tray.waitForFinished(10000));
    }
    QVERIFY(!QFileInfo::exists(userData));
}

// Attached, a password field neither shows nor takes a password: the service keeps its own,
// and the field names the command an admin runs. One typed anyway is refused, not put into
// this user's keychain (where the service would never find it).
void TestTrayService::passwordFieldsNameTheAdminsCommand()
{
    ui::ServiceSecrets secrets([] { return QStringLiteral("/etc/pollux/pollux.json"); });
    ui::PasswordField field(&secrets);
    field.load(secretKey(SecretKind::Account, QStringLiteral("anna")));
    QTRY_VERIFY_WITH_TIMEOUT(!field.isLoading(), 5000);
    QVERIFY(!field.lineEdit()->isEnabled());
    QVERIFY2(field.statusText().contains(
                 QStringLiteral("sudo pollux password set anna --config /etc/pollux/pollux.json")),
             qPrintable(field.statusText()));
    field.setPassword(QStringLiteral("typed-anyway"));
    bool answered = false;
    Result stored;
    field.store(secretKey(SecretKind::Account, QStringLiteral("anna")), [&](Result r) {
        answered = true;
        stored = r;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
    QVERIFY(!stored.ok());
    QVERIFY(ui::ServiceSecrets::isServiceOwned(stored));
}

QTEST_MAIN(TestTrayService)
#include "tst_tray_service.moc"
