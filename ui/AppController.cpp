#include "AppController.h"

#include "AccountsModel.h"
#include "AccountsPage.h"
#include "ActivityModels.h"
#include "ActivityWindow.h"
#include "ErrorText.h"
#include "FirstRunGuide.h"
#include "GeneralPage.h"
#include "SettingsWindow.h"
#include "TrayIcon.h"
#include "control/ControlClient.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QTabWidget>

namespace pollux::ui {

namespace {
// The account signs in with the same provider and app registration as `running` does:
// a new refresh token for one works for the other.
bool sameSignIn(const AccountConfig &a, const AccountConfig &running)
{
    const OAuth2Config &x = a.oauth2;
    const OAuth2Config &y = running.oauth2;
    return a.signIn == running.signIn && isImap(a.type) == isImap(running.type) &&
           x.clientId == y.clientId && x.tenant == y.tenant &&
           x.authorizationUrl == y.authorizationUrl && x.tokenUrl == y.tokenUrl &&
           x.deviceUrl == y.deviceUrl && x.scopes == y.scopes && x.appOnly == y.appOnly;
}
} // namespace

AppController::AppController(const Options &options, QObject *parent)
    : QObject(parent), m_options(options),
      m_engine(std::make_unique<Engine>(options.secrets, options.clock)),
      m_tray(new TrayIcon(this)),
      m_settings(new SettingsWindow(options.secrets, options.configPath)),
      m_activity(new ActivityWindow)
{
    if (m_options.service)
        wireService();
    else
        wireEngine();

    // What waits or was refused before this start: the tray counts it too.
    connect(m_activity, &ActivityWindow::backlogLoaded, m_tray, &TrayIcon::seedBacklog);
    connect(m_tray, &TrayIcon::pauseRequested, this, &AppController::setPaused);
    connect(m_tray, &TrayIcon::settingsRequested, this, &AppController::showSettings);
    connect(m_tray, &TrayIcon::signInRequested, this, &AppController::signInAgain);
    connect(m_tray, &TrayIcon::activityRequested, this, &AppController::showActivity);
    connect(m_settings, &SettingsWindow::saved, this, &AppController::applyConfig);
    // The accounts page: its office server line follows the tray's state; "Open activity".
    connect(m_tray, &TrayIcon::changed, this, &AppController::updateOfficeServerLine);
    connect(m_settings->accountsPage(), &AccountsPage::activityRequested, this,
            &AppController::showActivity);
    connect(m_settings->generalPage(), &GeneralPage::testAlertRequested, this,
            &AppController::sendTestAlert);

    // The list's state and "last successful pass" start from what the database remembers.
    connect(m_activity, &ActivityWindow::refreshed, this, [this] {
        PassesModel *passes = m_activity->passesModel();
        AccountsModel *model = m_settings->accountsPage()->model();
        QSet<QString> seen;
        for (int row = 0; row < passes->rowCount(); ++row) { // newest first
            const PassRecord &p = passes->pass(row);
            if (!p.finished.isValid())
                continue;
            if (p.errorCode == ErrorCode::None)
                model->setLastSuccess(p.account, p.finished.toLocalTime());
            if (seen.contains(p.account))
                continue;
            seen.insert(p.account);
            // Only what the list does not know yet: a live result (with the server's words,
            // and a pass running now) is newer than the database's record of it.
            const QDateTime finished = p.finished.toLocalTime();
            const QDateTime shown = model->lastPass(p.account);
            if (model->isPolling(p.account) || (shown.isValid() && shown >= finished))
                continue;
            updateAccountStatus(p.account, Result::failure(p.errorCode, p.errorMessage),
                                p.collected, finished);
        }
    });
}

void AppController::updateOfficeServerLine()
{
    AccountsPage::OfficeServer office;
    office.configured = !m_config.smtp.host.trimmed().isEmpty();
    office.failing = m_tray->officeServerFailing();
    office.unreachable = m_tray->officeServerUnreachable();
    office.failingSince = m_tray->officeServerFailingSince();
    office.waiting = m_tray->waitingCount();
    m_settings->accountsPage()->setOfficeServer(office);
}

void AppController::configInUse()
{
    m_tray->setConfig(m_config);
    updateOfficeServerLine();
}

void AppController::wireEngine()
{
    Engine *engine = m_engine.get();
    m_tray->watch(engine);
    AccountsModel *model = m_settings->accountsPage()->model();
    connect(engine, &Engine::passStarted, model,
            [model](const QString &account) { model->setPolling(account, true); });
    connect(engine, &Engine::passFinished, this,
            [this](const QString &account, const Result &result, int collected) {
                updateAccountStatus(account, result, collected, QDateTime::currentDateTime());
            });
    connect(engine, &Engine::nextPass, model,
            [model](const QString &account, const QDateTime &when) {
                model->setNextPass(account, when.toLocalTime());
            });
    connect(engine, &Engine::waitingCounted, model, &AccountsModel::setWaiting);
    connect(engine, &Engine::delivered, m_activity, &ActivityWindow::scheduleRefresh);
    connect(engine, &Engine::deferred, m_activity, &ActivityWindow::scheduleRefresh);
    connect(engine, &Engine::quarantined, m_activity, &ActivityWindow::scheduleRefresh);
    connect(engine, &Engine::passFinished, m_activity, &ActivityWindow::scheduleRefresh);
    connect(m_activity, &ActivityWindow::retryRequested, engine,
            [engine](qint64 id) { engine->retryRefused(id); });
    connect(m_activity, &ActivityWindow::discardRequested, engine,
            [engine](qint64 id) { engine->discardRefused(id); });
    connect(m_tray, &TrayIcon::pollNowRequested, engine, [engine] { engine->pollNow(); });
    // "Sign in again" for an account the engine runs as it is: in use at once, without
    // waiting for Save (which tells the engine again, harmlessly).
    connect(m_settings->accountsPage(), &AccountsPage::signedIn, this,
            [this](const AccountConfig &account, const QDateTime &expiresAt) {
                const AccountConfig *running = m_config.account(account.name);
                if (running && !m_paused && sameSignIn(account, *running))
                    m_engine->signedIn(account.name, expiresAt);
            });
    // OAuth2 accounts: "Sign-in needed" and the sign-in's expiry in the accounts list (the
    // tray follows it through watch()).
    connect(engine, &Engine::signInState, this,
            [this](const QString &account, bool needed, const QDateTime &expiresAt,
                   const QString &detail) {
                m_settings->accountsPage()->model()->setSignInState(account, needed, expiresAt,
                                                                    detail);
            });
    // The stop rule (docs/RELIABILITY.md): a reply the office server still owes for a message
    // already sent is awaited (at most 10 minutes, logged) before the program ends; quitting
    // again stops at once.
    connect(m_tray, &TrayIcon::quitRequested, engine, [engine, quits = 0]() mutable {
        if (++quits == 1)
            engine->requestStop(); // -> stopped() -> quit
        else
            engine->stopNow();
    });
    connect(engine, &Engine::stopped, qApp, &QApplication::quit);
}

void AppController::wireService()
{
    control::ControlClient *service = m_options.service;
    m_tray->watch(service);
    m_tray->setService(service->isAttached() ? TrayIcon::Service::Attached
                                             : TrayIcon::Service::Down);
    AccountsModel *model = m_settings->accountsPage()->model();
    connect(service, &control::ControlClient::passStarted, model,
            [model](const QString &account) { model->setPolling(account, true); });
    connect(service, &control::ControlClient::passFinished, this,
            [this](const QString &account, const Result &result, int collected) {
                updateAccountStatus(account, result, collected, QDateTime::currentDateTime());
            });
    connect(service, &control::ControlClient::delivered, m_activity,
            &ActivityWindow::scheduleRefresh);
    connect(service, &control::ControlClient::deferred, m_activity,
            &ActivityWindow::scheduleRefresh);
    connect(service, &control::ControlClient::quarantined, m_activity,
            &ActivityWindow::scheduleRefresh);
    connect(service, &control::ControlClient::passFinished, m_activity,
            &ActivityWindow::scheduleRefresh);
    connect(service, &control::ControlClient::signInState, this,
            [this](const QString &account, bool needed, const QDateTime &expiresAt,
                   const QString &detail) {
                m_settings->accountsPage()->model()->setSignInState(account, needed, expiresAt,
                                                                    detail);
            });
    // Retry / discard in the activity window: the service's engine does it.
    connect(m_activity, &ActivityWindow::retryRequested, service, [this, service](qint64 id) {
        service->retryRefused(id, [this](const Result &r, const QJsonObject &) {
            if (!r)
                m_tray->onError(r);
        });
    });
    connect(m_activity, &ActivityWindow::discardRequested, service, [this, service](qint64 id) {
        service->discardRefused(id, [this](const Result &r, const QJsonObject &) {
            if (!r)
                m_tray->onError(r);
        });
    });
    connect(m_tray, &TrayIcon::pollNowRequested, service, [this, service] {
        service->pollNow(QString(), [this](const Result &r, const QJsonObject &) {
            if (!r)
                m_tray->onError(r);
        });
    });
    // The service keeps running: quitting the tray only detaches.
    connect(m_tray, &TrayIcon::quitRequested, qApp, &QApplication::quit);
    connect(service, &control::ControlClient::attached, this, [this, service] {
        m_tray->setService(TrayIcon::Service::Attached);
        m_activity->setLocation(service->databasePath(), service->spoolDirectory());
        m_activity->refresh();
        service->getConfig([this](const Result &r, const Config &config) {
            if (!r) {
                m_tray->onError(r);
                return;
            }
            m_config = config;
            configInUse();
            if (!m_settings->isVisible())
                m_settings->setConfig(m_config);
        });
    });
    connect(service, &control::ControlClient::detached, this,
            [this] { m_tray->setService(TrayIcon::Service::Down); });
    connect(service, &control::ControlClient::refused, this, [this](const QString &reason) {
        m_tray->setService(TrayIcon::Service::Down);
        m_tray->onError(Result::failure(ErrorCode::Config, reason));
    });
    connect(service, &control::ControlClient::snapshotReceived, this,
            &AppController::applySnapshot);
    connect(service, &control::ControlClient::pausedChanged, this, [this](bool paused) {
        m_paused = paused;
        m_tray->setPaused(paused);
        m_settings->accountsPage()->model()->setPaused(paused);
    });
    connect(service, &control::ControlClient::restarted, m_tray, &TrayIcon::restarted);
    m_settings->setWindowTitle(tr("Pollux service settings"));
    m_settings->setNote(tr("These are the settings of the Pollux service running on this "
                           "computer. Save sends them to the service, which writes its "
                           "configuration and reloads. Passwords for the service are set by "
                           "an admin with “pollux password set”."));
    m_settings->setSaveTarget(
        [this](const Config &config, std::function<void(const QString &)> done) {
            saveToService(config, std::move(done));
        });
}

void AppController::applySnapshot(const control::Snapshot &s)
{
    QStringList names;
    for (const control::AccountState &a : s.accounts)
        names << a.name;
    m_tray->restarted(names);
    m_paused = s.paused;
    m_tray->setPaused(s.paused);
    AccountsModel *model = m_settings->accountsPage()->model();
    model->restarted();
    model->setPaused(s.paused);
    for (const control::AccountState &a : s.accounts) {
        model->setNextPass(a.name, a.nextPass.toLocalTime());
        if (a.lastSuccess.isValid())
            model->setLastSuccess(a.name, a.lastSuccess.toLocalTime());
        if (a.state == QLatin1String("polling")) {
            m_tray->onPassStarted(a.name);
            model->setPolling(a.name, true);
            if (a.total > 0)
                m_tray->onPassProgress(a.name, a.done, a.total);
        } else if (a.lastPass.isValid()) {
            const Result r = a.result(); // the server's words and the server too
            if (!m_tray->failingAccounts().contains(a.name) || !r.ok())
                m_tray->onPassFinished(a.name, r, a.collected);
            updateAccountStatus(a.name, r, a.collected, a.lastPass.toLocalTime());
        }
    }
    if (s.officeState == QLatin1String("failing")) {
        const ErrorCode code =
            s.officeCode == ErrorCode::None ? ErrorCode::ServerError : s.officeCode;
        m_tray->onDeliveryError(Result::failure(code, s.officeError));
        if (s.officeSince.isValid())
            m_tray->setOfficeServerFailingSince(s.officeSince.toLocalTime());
    }
    if (!s.storageError.isEmpty())
        m_tray->onStorageError(Result::failure(ErrorCode::Storage, s.storageError));
    m_tray->replaceBacklog(s.waiting, s.refused);
    if (s.waitingKnown) {
        m_tray->setWaitingCounts(s.waitingByAccount);
        model->setWaiting(s.waitingByAccount);
    }
}

void AppController::saveToService(const Config &config, std::function<void(const QString &)> done)
{
    control::ControlClient *service = m_options.service;
    if (!service->isAttached()) {
        done(tr("The Pollux service is not running: the settings were not saved. Try again "
                "when it runs."));
        return;
    }
    if (!service->isAdmin()) {
        done(tr("Changing the settings of the Pollux service needs an admin: ask one to "
                "edit %1 (or to add you to a group that may write it).")
                 .arg(service->configPath()));
        return;
    }
    service->putConfig(config, [done](const Result &r, const QJsonObject &reply) {
        if (r) {
            done(QString());
        } else if (reply.value(QLatin1String("needsAdmin")).toBool()) {
            done(tr("Changing the settings of the Pollux service needs an admin."));
        } else if (r.code() == ErrorCode::Config) {
            const QString field = reply.value(QLatin1String("field")).toString();
            done(field.isEmpty()
                     ? tr("The Pollux service refused the settings: %1").arg(r.message())
                     : tr("The Pollux service refused the settings (%1): %2")
                           .arg(field, r.message()));
        } else {
            done(tr("The settings could not be saved by the Pollux service: %1")
                     .arg(ErrorText::describe(r)));
        }
    });
}

AppController::~AppController()
{
    m_engine->stop();
    delete m_settings;
    delete m_activity;
}

Result AppController::loadConfig()
{
    m_config = Config{};
    if (!QFile::exists(m_options.configPath))
        return Result::success();
    Result r = Config::load(m_options.configPath, m_config);
    if (r)
        r = m_config.validate();
    return r;
}

void AppController::start()
{
    if (!m_options.service)
        configInUse(); // attached: the service's configuration, once it answers
    m_settings->setConfig(m_config);
    m_activity->setLocation(Engine::databasePath(m_config), Engine::spoolDirectory(m_config));
    if (m_options.useTray) {
        m_tray->show();
    } else {
        QApplication::setQuitOnLastWindowClosed(true);
        m_settings->show();
    }
    if (m_options.service) {
        // The engine runs in the service; its state arrives with the snapshot.
        m_options.service->connectToService();
        if (m_options.service->isAttached()) {
            m_activity->setLocation(m_options.service->databasePath(),
                                    m_options.service->spoolDirectory());
            m_activity->refresh();
        }
        return;
    }
    if (!isSetUp(m_config))
        showSettings(); // not set up yet: the window opens on the first-run guide
    startEngine();
    m_activity->refresh(); // also while hidden: the accounts' last pass and the tray's backlog
}

void AppController::startEngine()
{
    QStringList accounts;
    for (const AccountConfig &a : std::as_const(m_config.accounts))
        if (a.enabled)
            accounts << a.name;
    m_tray->restarted(accounts);
    m_settings->accountsPage()->model()->restarted();
    if (m_paused) {
        m_engine->setPaused(true); // stops every thread; a new configuration waits for Resume
        return;
    }
    // start() stops the running threads first; each stop is a queued call the worker
    // answers at once, so this does not wait on the network.
    if (Result r = m_engine->start(m_config, m_options.engine); !r)
        m_tray->onError(r);
}

void AppController::updateAccountStatus(const QString &account, const Result &result, int collected,
                                        const QDateTime &when)
{
    m_settings->accountsPage()->model()->setPassResult(account, result, collected, when);
}

void AppController::sendTestAlert()
{
    GeneralPage *page = m_settings->generalPage();
    const Result refused = Result::failure(ErrorCode::Config, QStringLiteral("no test alert"));
    if (m_options.service) {
        page->showTestAlertResult(refused,
                                  tr("Pollux runs as a service on this computer: its test "
                                     "alert cannot be sent from here yet. Ask the service's "
                                     "admin, or wait for a real alert."));
        return;
    }
    if (!m_config.alerts.enabled) {
        page->showTestAlertResult(refused, tr("Alerts are turned off in the saved settings: "
                                              "turn them on, save, then send the test."));
        return;
    }
    if (m_paused || !m_engine->isRunning()) {
        page->showTestAlertResult(refused, tr("Pollux is paused or not running: resume it, "
                                              "then send the test alert."));
        return;
    }
    m_engine->sendTestAlert(); // queued like any message: the activity window shows it
    page->showTestAlertResult(Result::success());
}

void AppController::showSettings()
{
    if (!m_settings->isVisible())
        m_settings->setConfig(m_config);
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
}

void AppController::showActivity()
{
    m_activity->show();
    m_activity->raise();
    m_activity->activateWindow();
}

void AppController::bringToFront()
{
    if (m_activity->isVisible() && !m_settings->isVisible())
        showActivity();
    else
        showSettings();
}

void AppController::signInAgain(const QString &account)
{
    showSettings();
    m_settings->tabs()->setCurrentWidget(m_settings->accountsPage());
    m_settings->accountsPage()->signInAgain(account);
}

void AppController::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    if (m_options.service) {
        // The service says when it is paused (pausedChanged); a failure is shown.
        m_options.service->setPaused(paused, [this](const Result &r, const QJsonObject &) {
            if (!r)
                m_tray->onError(r);
        });
        return;
    }
    m_paused = paused;
    m_tray->setPaused(paused);
    m_settings->accountsPage()->model()->setPaused(paused);
    startEngine();
}

void AppController::applyConfig(const Config &config)
{
    m_config = config;
    configInUse();
    if (m_options.service) {
        m_activity->refresh(); // the service wrote and reloaded it
        return;
    }
    m_activity->setLocation(Engine::databasePath(m_config), Engine::spoolDirectory(m_config));
    startEngine();
    // Sign-ins done in the account dialog: their refresh tokens are in the keychain; the
    // engine forgets "sign-in needed" and polls those accounts now.
    const QMap<QString, QDateTime> signIns = m_settings->accountsPage()->takeSignIns();
    for (auto it = signIns.cbegin(); it != signIns.cend(); ++it) {
        if (m_config.account(it.key()))
            m_engine->signedIn(it.key(), it.value());
    }
    m_activity->refresh(); // also while hidden: the accounts' last pass and the tray's backlog
}

} // namespace pollux::ui
