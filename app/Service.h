#pragma once

#include "config/Config.h"
#include "engine/Engine.h"
#include "util/Result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace pollux {
class SecretStore;
}

namespace pollux::app {

// `pollux --headless` as a service lives it: one Engine at a time on the configuration read
// from one file, stopped cleanly on request, and rebuilt on reload() (SIGHUP; later the
// control socket) without cutting a pass or a delivery short: a new file that does not
// validate is logged field by field and the old configuration keeps running; a valid one
// waits for the current engine to finish what it is doing (Engine::requestStop ->
// stopped), then a new Engine starts with it.
class Service : public QObject
{
    Q_OBJECT
public:
    // Called for every Engine this service creates, before it starts: connect its signals.
    using Wiring = std::function<void(Engine &)>;

    Service(const QString &configPath, SecretStore *secrets, const Engine::Options &options,
            Wiring wiring, QObject *parent = nullptr);
    ~Service() override;

    // Creates the engine for `config` (already validated) and claims its data folder, before
    // the log, the store or the spool are touched. *holderPid as
    // Engine::claimDataDirectory. A failure is returned, not logged.
    Result claim(const Config &config, qint64 *holderPid = nullptr);
    // Starts the claimed engine (claims first when claim() was not called).
    Result start(const Config &config, qint64 *holderPid = nullptr);
    // Re-reads the configuration file. Returns false when the file cannot be used (the
    // errors are logged, naming the fields; the running configuration stays).
    bool reload();
    // Polling and new deliveries stop; finished() follows when every thread has ended.
    void stop();
    // A second stop request: ends the wait for the office server's reply at once.
    void stopNow();

    Engine *engine() const { return m_engine.get(); }
    const Config &config() const { return m_config; }
    QString configPath() const { return m_configPath; }
    bool isReloading() const { return m_reloading; }

signals:
    // After stop(): every thread has ended and the data folder is released.
    void finished();
    // A reload took effect (the new engine started), or failed to start (`result`); on a
    // failure to start the new engine the service stops (finished() follows).
    void reloaded(const pollux::Result &result);

private:
    void onEngineStopped();
    Result launch(const Config &config, qint64 *holderPid);
    std::unique_ptr<Engine> m_claimed; // claim()ed, not started yet

    QString m_configPath;
    SecretStore *m_secrets;
    Engine::Options m_options;
    Wiring m_wiring;
    std::unique_ptr<Engine> m_engine;
    // Engines that stopped for a reload: freed from the event loop (not inside their own
    // signal), or by the destructor.
    std::vector<std::unique_ptr<Engine>> m_retired;
    Config m_config;
    Config m_pending; // the validated configuration a reload waits to start
    bool m_reloading = false;
    bool m_stopping = false;
};

// Loads and validates a configuration file as --headless does (Config::load, validate, the
// CA file). On failure `errors` holds one line per problem, each naming its field or file.
bool loadServiceConfig(const QString &path, Config &config, QStringList &errors);

} // namespace pollux::app
