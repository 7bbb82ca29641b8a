#include "Service.h"

#include "secrets/SecretStore.h"
#include "util/Clock.h"

namespace pollux::app {

namespace {
// A configuration read from the file: validated as a start validates it.
Result check(const Config &config)
{
    if (Result r = config.validate(); !r)
        return r;
    QList<QSslCertificate> cas;
    return Engine::loadCaCertificates(config, cas);
}
} // namespace

bool loadServiceConfig(const QString &path, Config &config, QStringList &errors)
{
    Config loaded;
    if (Result r = Config::load(path, loaded); !r) { // its message names the file
        errors << r.message().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        return false;
    }
    if (Result r = check(loaded); !r) {
        for (const QString &line : r.message().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            errors << QStringLiteral("%1: %2").arg(path, line);
        return false;
    }
    config = loaded;
    return true;
}

Service::Service(const QString &configPath, SecretStore *secrets, const Engine::Options &options,
                 QObject *parent)
    : QObject(parent), m_configPath(configPath), m_options(options),
      m_engine(secrets, Clock::system())
{
    connect(&m_engine, &Engine::stopped, this, &Service::onEngineStopped);
}

Service::~Service()
{
    m_engine.stop();
}

Result Service::claim(const Config &config, qint64 *holderPid)
{
    return m_engine.claimDataDirectory(config, holderPid);
}

Result Service::start(const Config &config)
{
    if (Result r = m_engine.start(config, m_options); !r)
        return r;
    m_config = config;
    return Result::success();
}

bool Service::reload()
{
    qInfo("reload requested: reading the configuration from %s", qPrintable(m_configPath));
    if (m_stopping) {
        qInfo("reload: not while stopping");
        return false;
    }
    Config next;
    QStringList errors;
    if (!loadServiceConfig(m_configPath, next, errors)) {
        for (const QString &line : errors)
            qWarning("reload: %s", qPrintable(line));
        qWarning("reload: the configuration above cannot be used; the running one stays in use");
        return false;
    }
    return reloadWith(next).ok();
}

Result Service::canReloadWith(const Config &config) const
{
    if (m_stopping)
        return Result::failure(ErrorCode::Config, QStringLiteral("the service is stopping"));
    return check(config);
}

Result Service::reloadWith(const Config &config)
{
    if (Result r = canReloadWith(config); !r)
        return r;
    m_pending = config;
    if (m_reloading) {
        // The engine is already finishing for a reload: it starts with the newest one.
        qInfo("reload: valid; starts once the engine has stopped");
        return Result::success();
    }
    m_reloading = true;
    qInfo("reload: valid; the engine stops as for SIGTERM (a reply the office server owes "
          "is awaited), then starts with the new configuration");
    m_engine.requestStop(); // -> stopped -> onEngineStopped
    return Result::success();
}

void Service::stop()
{
    m_stopping = true;
    m_engine.requestStop(); // a reload waiting for the engine ends here too
}

void Service::stopNow()
{
    m_stopping = true;
    m_engine.stopNow();
}

void Service::onEngineStopped()
{
    if (m_stopping || !m_reloading) {
        m_stopping = true;
        emit finished();
        return;
    }
    m_reloading = false;
    const bool paused = m_engine.isPaused();
    // The same engine: the data folder's lock stays held when the folder does not change.
    if (Result r = start(m_pending); !r) {
        qCritical("reload: the new configuration could not start: %s", qPrintable(r.message()));
        m_stopping = true;
        emit reloaded(r);
        emit finished();
        return;
    }
    if (paused)
        m_engine.setPaused(true);
    qInfo("reload: the new configuration is in use; accounts: %d", int(m_config.accounts.size()));
    emit reloaded(Result::success());
}

} // namespace pollux::app
