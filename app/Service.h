#pragma once

#include "config/Config.h"
#include "engine/Engine.h"
#include "util/Result.h"

#include <QObject>
#include <QString>
#include <QStringList>

namespace pollux {
class SecretStore;
}

namespace pollux::app {

// `pollux --headless` as a service lives it: one Engine for the life of the process, on the
// configuration read from one file, stopped cleanly on request, and started again with a
// new configuration on reload() (SIGHUP; the control socket's "put config" through
// reloadWith()) without losing mail: a file that does not validate is logged field by field
// and the running configuration stays; for a valid one the engine stops by its stop rule
// (Engine::requestStop -> stopped: polling stops, a reply the office server owes for a
// message already sent is awaited and recorded; a pass cut short leaves the rest on the
// server, what it collected is durable in the spool), then the same Engine
// starts with it (so a ControlServer holding engine() stays attached, and the data folder's
// lock is never let go in between when the folder stays the same). Pause survives a reload.
class Service : public QObject
{
    Q_OBJECT
public:
    Service(const QString &configPath, SecretStore *secrets, const Engine::Options &options,
            QObject *parent = nullptr);
    ~Service() override;

    // Engine::claimDataDirectory for `config`: before the log, the store or the spool are
    // touched. *holderPid as there. A failure is returned, not logged.
    Result claim(const Config &config, qint64 *holderPid = nullptr);
    // Starts the engine on `config` (already validated).
    Result start(const Config &config);
    // Re-reads the configuration file. False when it cannot be used (the errors are logged,
    // naming the fields; the running configuration stays), or while stopping.
    bool reload();
    // The same with a configuration already read (e.g. written by the control socket's
    // "put config"): validated here; a failure names the first problem and changes nothing.
    Result reloadWith(const Config &config);
    // Whether reloadWith(config) would take it (nothing is changed): the checks it makes.
    Result canReloadWith(const Config &config) const;
    // Polling and new deliveries stop; finished() follows when every thread has ended.
    void stop();
    // A second stop request: ends the wait for the office server's reply at once.
    void stopNow();

    Engine *engine() { return &m_engine; }
    const Config &config() const { return m_config; }
    QString configPath() const { return m_configPath; }
    bool isReloading() const { return m_reloading; }

signals:
    // After stop(): every thread has ended (the data folder is released by the destructor).
    void finished();
    // A reload took effect (the engine started again with the new configuration), or its
    // start failed (`result`); then the service stops (finished() follows).
    void reloaded(const pollux::Result &result);

private:
    void onEngineStopped();

    QString m_configPath;
    Engine::Options m_options;
    Engine m_engine;
    Config m_config;
    Config m_pending; // the validated configuration a reload waits to start
    bool m_reloading = false;
    bool m_stopping = false;
};

// Loads and validates a configuration file as --headless does (Config::load, validate, the
// CA file). On failure `errors` holds one line per problem, each naming its field or file.
bool loadServiceConfig(const QString &path, Config &config, QStringList &errors);

} // namespace pollux::app
