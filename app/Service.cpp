#include "Service.h"

#include "secrets/SecretStore.h"
#include "util/Clock.h"

#include <QCoreApplication>

namespace pollux::app {

bool loadServiceConfig(const QString &path, Config &config, QStringList &errors)
{
    Config loaded;
    Result r = Config::load(path, loaded); // its message names the file
    if (r) {
        r = loaded.validate();
        if (r) {
            QList<QSslCertificate> cas;
            r = Engine::loadCaCertificates(loaded, cas);
        }
        if (!r) {
            for (const QString &line : r.message().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                errors << QStringLiteral("%1: %2").arg(path, line);
            return false;
        }
        config = loaded;
        return true;
    }
    errors << r.message().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return false;
}

Service::Service(const QString &configPath, SecretStore *secrets, const Engine::Options &options,
                 Wiring wiring, QObject *parent)
    : QObject(parent), m_configPath(configPath), m_secrets(secrets), m_options(options),
      m_wiring(std::move(wiring))
{
}

Service::~Service()
{
    if (m_engine)
        m_engine->stop();
}

Result Service::claim(const Config &config, qint64 *holderPid)
{
    auto engine = std::make_unique<Engine>(m_secrets, Clock::system());
    if (Result r = engine->claimDataDirectory(config, holderPid); !r)
        return r;
    m_claimed = std::move(engine);
    return Result::success();
}

Result Service::launch(const Config &config, qint64 *holderPid)
{
    if (!m_claimed) {
        if (Result r = claim(config, holderPid); !r)
            return r;
    }
    std::unique_ptr<Engine> engine = std::move(m_claimed);
    connect(engine.get(), &Engine::stopped, this, &Service::onEngineStopped);
    if (m_wiring)
        m_wiring(*engine);
    if (Result r = engine->start(config, m_options); !r)
        return r;
    m_engine = std::move(engine);
    m_config = config;
    return Result::success();
}

Result Service::start(const Config &config, qint64 *holderPid)
{
    return launch(config, holderPid);
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
    if (m_reloading) {
        // The engine is already finishing for a reload: start with the newest file.
        m_pending = next;
        qInfo("reload: valid; starts when the current pass and delivery have finished");
        return true;
    }
    m_pending = next;
    m_reloading = true;
    qInfo("reload: valid; the current pass and delivery finish first, then the new "
          "configuration starts");
    if (m_engine)
        m_engine->requestStop(); // -> stopped -> onEngineStopped
    else
        onEngineStopped();
    return true;
}

void Service::stop()
{
    m_stopping = true;
    if (m_engine)
        m_engine->requestStop(); // a reload in progress ends here too
    else
        QMetaObject::invokeMethod(this, &Service::finished, Qt::QueuedConnection);
}

void Service::stopNow()
{
    m_stopping = true;
    if (m_engine)
        m_engine->stopNow();
}

void Service::onEngineStopped()
{
    if (m_engine) {
        m_engine->stop(); // only releases the data folder now
        // Not destroyed here: this runs inside the engine's own signal.
        m_retired.push_back(std::move(m_engine));
        QMetaObject::invokeMethod(
            this, [this] { m_retired.clear(); }, Qt::QueuedConnection);
    }
    if (m_stopping || !m_reloading) {
        emit finished();
        return;
    }
    m_reloading = false;
    qint64 holder = 0;
    if (Result r = launch(m_pending, &holder); !r) {
        qCritical("reload: the new configuration could not start: %s", qPrintable(r.message()));
        emit reloaded(r);
        m_stopping = true;
        emit finished();
        return;
    }
    qInfo("reload: the new configuration is in use; accounts: %d", int(m_config.accounts.size()));
    emit reloaded(Result::success());
}

} // namespace pollux::app
