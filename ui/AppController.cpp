#include "AppController.h"

#include "AccountsModel.h"
#include "AccountsPage.h"
#include "ActivityModels.h"
#include "ActivityWindow.h"
#include "ErrorText.h"
#include "SettingsWindow.h"
#include "TrayIcon.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QFile>
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
    Engine *engine = m_engine.get();
    m_tray->watch(engine);
    connect(engine, &Engine::passFinished, this,
            [this](const QString &account, const Result &result, int collected) {
                updateAccountStatus(account, result, collected, QDateTime::currentDateTime());
            });
    connect(engine, &Engine::delivered, m_activity, &ActivityWindow::scheduleRefresh);
    connect(engine, &Engine::deferred, m_activity, &ActivityWindow::scheduleRefresh);
    connect(engine, &Engine::quarantined, m_activity, &ActivityWindow::scheduleRefresh);
    connect(engine, &Engine::passFinished, m_activity, &ActivityWindow::scheduleRefresh);
    connect(m_activity, &ActivityWindow::retryRequested, engine,
            [engine](qint64 id) { engine->retryRefused(id); });
    connect(m_activity, &ActivityWindow::discardRequested, engine,
            [engine](qint64 id) { engine->discardRefused(id); });

    // What waits or was refused before this start: the tray counts it too.
    connect(m_activity, &ActivityWindow::backlogLoaded, m_tray, &TrayIcon::seedBacklog);
    connect(m_tray, &TrayIcon::pollNowRequested, engine, [engine] { engine->pollNow(); });
    connect(m_tray, &TrayIcon::pauseRequested, this, &AppController::setPaused);
    connect(m_tray, &TrayIcon::settingsRequested, this, &AppController::showSettings);
    connect(m_tray, &TrayIcon::signInRequested, this, &AppController::signInAgain);
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
    connect(m_tray, &TrayIcon::activityRequested, this, &AppController::showActivity);
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
    connect(m_settings, &SettingsWindow::saved, this, &AppController::applyConfig);

    // The list's "last pass" column starts from what the database remembers.
    connect(m_activity, &ActivityWindow::refreshed, this, [this] {
        PassesModel *passes = m_activity->passesModel();
        QSet<QString> seen;
        for (int row = 0; row < passes->rowCount(); ++row) { // newest first
            const PassRecord &p = passes->pass(row);
            if (!p.finished.isValid() || seen.contains(p.account))
                continue;
            seen.insert(p.account);
            updateAccountStatus(p.account, Result::failure(p.errorCode, p.errorMessage),
                                p.collected, p.finished.toLocalTime());
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
    m_settings->setConfig(m_config);
    m_activity->setLocation(Engine::databasePath(m_config), Engine::spoolDirectory(m_config));
    if (m_options.useTray) {
        m_tray->show();
    } else {
        QApplication::setQuitOnLastWindowClosed(true);
        m_settings->show();
    }
    if (m_config.accounts.isEmpty())
        showSettings(); // nothing to do yet: help the user set it up
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
    const QString time = when.date() == QDate::currentDate()
                             ? QLocale().toString(when.time(), QLocale::ShortFormat)
                             : QLocale().toString(when, QLocale::ShortFormat);
    const QString text = result.ok() || result.code() == ErrorCode::None
                             ? tr("OK at %1, %n message(s)", "", collected).arg(time)
                             : ErrorText::sentence(result);
    m_settings->accountsPage()->model()->setStatus(account, text, result.code() != ErrorCode::None);
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
    m_paused = paused;
    m_tray->setPaused(paused);
    startEngine();
}

void AppController::applyConfig(const Config &config)
{
    m_config = config;
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
