#pragma once

#include "config/Config.h"
#include "engine/Engine.h"

#include <QObject>
#include <functional>
#include <memory>

namespace pollux {
class Clock;
class SecretStore;
namespace control {
class ControlClient;
struct Snapshot;
} // namespace control
} // namespace pollux

namespace pollux::ui {

class ActivityWindow;
class SettingsWindow;
class TrayIcon;

// Wires the engine to the tray, the settings and the activity window; applies saved
// settings to the running engine. Pause stops the engine; Resume starts it again.
class AppController : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString configPath;
        SecretStore *secrets = nullptr;
        Clock *clock = nullptr;
        Engine::Options engine;
        bool useTray = true; // false: the settings window is the main window
        // Attached to a Pollux service (docs/SERVICE.md): the engine runs there; this one
        // is never started. The tray shows the service's state, Poll now and Pause go to
        // it, and saved settings are sent to it (it writes its configuration and reloads).
        control::ControlClient *service = nullptr;
    };

    explicit AppController(const Options &options, QObject *parent = nullptr);
    ~AppController() override;

    // Reads the configuration file (a missing file is an empty configuration).
    Result loadConfig();
    void setConfig(const Config &config) { m_config = config; }
    const Config &config() const { return m_config; }
    // Shows the tray (or the settings window) and starts the engine.
    void start();
    bool isPaused() const { return m_paused; }
    bool isAttached() const { return m_options.service != nullptr; }

    Engine *engine() const { return m_engine.get(); }
    TrayIcon *tray() const { return m_tray; }
    SettingsWindow *settingsWindow() const { return m_settings; }
    ActivityWindow *activityWindow() const { return m_activity; }

public slots:
    void showSettings();
    void showActivity();
    void setPaused(bool paused);
    void applyConfig(const pollux::Config &config);
    void bringToFront();
    // "Sign in again" (tray): the settings on that account's sign-in.
    void signInAgain(const QString &account);
    // "Send test alert" (General page): queued by the engine, or the reason it cannot be.
    void sendTestAlert();

private:
    void wireEngine();
    void wireService();
    void applySnapshot(const control::Snapshot &snapshot);
    void saveToService(const Config &config, std::function<void(const QString &)> done);
    void startEngine();
    void updateAccountStatus(const QString &account, const Result &result, int collected,
                             const QDateTime &when);
    void updateOfficeServerLine(); // the accounts page's line, from the tray's state
    void configInUse();            // m_config is the configuration in use: tell the tray

    Options m_options;
    Config m_config;
    bool m_paused = false;
    std::unique_ptr<Engine> m_engine;
    TrayIcon *m_tray;
    SettingsWindow *m_settings;
    ActivityWindow *m_activity;
};

} // namespace pollux::ui
