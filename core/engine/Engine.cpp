#include "Engine.h"

#include "engine/AccountPoller.h"
#include "engine/AlertTracker.h"
#include "engine/DeliveryWorker.h"
#include "engine/Log.h"
#include "store/Store.h"
#include "util/Clock.h"
#include "util/DataDirLock.h"
#include "util/FileMode.h"

#include <QDir>
#include <QPointer>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <utility>

Q_LOGGING_CATEGORY(lcPass, "pollux.pass")
Q_LOGGING_CATEGORY(lcDelivery, "pollux.delivery")
Q_LOGGING_CATEGORY(lcEngine, "pollux.engine")

namespace pollux {

// Counts what waits for the office server (Engine::waitingCounted), in the delivery thread,
// on a connection of its own, opened at the first count.
class WaitingCounter : public QObject
{
public:
    WaitingCounter(const QString &databasePath, Clock *clock) : m_path(databasePath), m_clock(clock)
    {
    }
    Result count(QMap<QString, int> &out)
    {
        out.clear();
        if (!m_store) {
            auto store = std::make_unique<Store>(m_path, m_clock);
            if (Result r = store->open(Store::Check::Quick); !r)
                return r;
            m_store = std::move(store);
        }
        QMap<QString, WaitingCount> counts;
        if (Result r = m_store->waitingByAccount(counts); !r)
            return r;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            out.insert(it.key(), it.value().total());
        return Result::success();
    }

private:
    QString m_path;
    Clock *m_clock;
    std::unique_ptr<Store> m_store;
};

Engine::Engine(SecretStore *secrets, Clock *clock, QObject *parent)
    : QObject(parent), m_secrets(secrets), m_clock(clock ? clock : Clock::system())
{
    qRegisterMetaType<pollux::Result>();
    connect(this, &Engine::passFinished, this, &Engine::scheduleWaitingCount);
    connect(this, &Engine::delivered, this, &Engine::scheduleWaitingCount);
    connect(this, &Engine::deferred, this, &Engine::scheduleWaitingCount);
    connect(this, &Engine::quarantined, this, &Engine::scheduleWaitingCount);
    connect(this, &Engine::deliveryError, this, &Engine::scheduleWaitingCount);
}

void Engine::scheduleWaitingCount()
{
    if (m_countScheduled || !m_counter)
        return;
    m_countScheduled = true;
    QTimer::singleShot(kWaitingCountDelayMs, this, [this] {
        m_countScheduled = false;
        countWaiting();
    });
}

void Engine::countWaiting()
{
    WaitingCounter *counter = m_counter;
    if (!counter)
        return;
    QMetaObject::invokeMethod(
        counter,
        [counter, engine = this] {
            QMap<QString, int> counts;
            if (Result r = counter->count(counts); !r) {
                qCWarning(lcEngine).noquote() << r.message();
                return;
            }
            // Queued to the engine: dropped if the engine is gone by then.
            QMetaObject::invokeMethod(
                engine, [engine, counts] { emit engine->waitingCounted(counts); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

Engine::~Engine()
{
    stop(); // the threads are joined before the data folder's lock is released
}

QString Engine::dataDirectory(const Config &config)
{
    if (!config.dataDir.isEmpty())
        return config.dataDir;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString Engine::databasePath(const Config &config)
{
    return dataDirectory(config) + QStringLiteral("/pollux.db");
}

QString Engine::spoolDirectory(const Config &config)
{
    return dataDirectory(config) + QStringLiteral("/spool");
}

Result Engine::loadCaCertificates(const Config &config, QList<QSslCertificate> &out)
{
    out.clear();
    if (config.caFile.isEmpty())
        return Result::success();
    out = QSslCertificate::fromPath(config.caFile, QSsl::Pem);
    if (out.isEmpty())
        return Result::failure(
            ErrorCode::Config,
            QStringLiteral("caFile: no PEM certificate could be read from %1").arg(config.caFile));
    return Result::success();
}

Result Engine::claimDataDirectory(const Config &config, qint64 *holderPid)
{
    if (holderPid)
        *holderPid = 0;
    const QString dir = QDir::cleanPath(dataDirectory(config));
    if (m_lock && m_lock->isHeld() && m_lock->dataDir() == dir)
        return Result::success();
    if (!filemode::makePrivatePath(dir))
        return Result::failure(ErrorCode::Storage,
                               QStringLiteral("dataDir: cannot create %1").arg(dir));
    // It holds the office's mail: a folder of ours that others may enter is closed to them.
    if (filemode::makePrivate(dir))
        qCInfo(lcEngine) << "data folder" << dir
                         << "was open to other users; now only its owner may enter it";
    auto lock = std::make_unique<DataDirLock>(dir);
    if (Result r = lock->acquire(); !r) {
        if (holderPid && lock->heldElsewhere())
            *holderPid = lock->holderPid() > 0 ? lock->holderPid() : -1;
        return r;
    }
    if (m_lock)
        m_oldLocks.push_back(std::move(m_lock));
    m_lock = std::move(lock);
    if (m_threads.isEmpty() && m_retiring.isEmpty())
        m_oldLocks.clear();
    return Result::success();
}

Result Engine::start(const Config &config, const Options &options)
{
    retire();
    m_stopRequested = false;
    if (Result r = config.validate(); !r)
        return r;
    if (Result r = loadCaCertificates(config, m_cas); !r)
        return r;
    if (Result r = claimDataDirectory(config); !r)
        return r;
    m_config = config;
    m_options = options;
    m_configured = true;
    m_paused = false;
    if (!m_retiring.isEmpty()) {
        qCInfo(lcEngine) << "starting once" << m_retiring.size() << "threads have stopped";
        m_startPending = true;
        return Result::success();
    }
    launch();
    return Result::success();
}

void Engine::launch()
{
    const Config &config = m_config;
    const Options &options = m_options;
    m_oldLocks.clear(); // every thread of an earlier folder has ended
    m_pollersStarted = false;
    DeliveryWorker::Settings ds;
    ds.config = config;
    ds.smtp = config.smtp;
    ds.extraCaCertificates = m_cas;
    for (const AccountConfig &a : config.accounts)
        ds.protocolByAccount.insert(a.name, isImap(a.type) ? QStringLiteral("IMAP")
                                                           : QStringLiteral("POP3"));
    ds.databasePath = databasePath(config);
    ds.spoolDir = spoolDirectory(config);
    ds.idleCloseMs = options.deliveryIdleCloseMs;
    ds.finalReplyTimeoutMs = options.finalReplyTimeoutMs;

    auto *deliveryThread = new QThread;
    deliveryThread->setObjectName(QStringLiteral("delivery"));
    m_delivery = new DeliveryWorker(ds, m_secrets, m_clock);
    m_delivery->moveToThread(deliveryThread);
    m_deliveryStop = m_delivery->stopHandle();
    // Signals of a retired worker may still be queued when its successor runs: the ones
    // that steer the engine count only from the current worker.
    DeliveryWorker *delivery = m_delivery;
    connect(m_delivery, &DeliveryWorker::ready, this, [this, delivery] {
        if (delivery == m_delivery)
            startPollers(); // only after the current worker's orphan sweep
    });
    connect(m_delivery, &DeliveryWorker::delivered, this, &Engine::delivered);
    connect(m_delivery, &DeliveryWorker::deferred, this, &Engine::deferred);
    connect(m_delivery, &DeliveryWorker::quarantined, this, &Engine::quarantined);
    connect(m_delivery, &DeliveryWorker::quarantined, this, [this] {
        if (m_onceRunning)
            m_onceFailed = true; // refused mail is a failure worth an exit status
    });
    connect(m_delivery, &DeliveryWorker::serverError, this, &Engine::deliveryError);
    connect(m_delivery, &DeliveryWorker::storageError, this, &Engine::storageError);
    connect(m_delivery, &DeliveryWorker::drained, this, [this, delivery](bool allDelivered) {
        if (delivery != m_delivery || !m_onceRunning || !m_onceWaiting.isEmpty())
            return;
        m_onceRunning = false;
        emit onceFinished(!m_onceFailed && allDelivered);
    });
    if (config.alerts.enabled)
        connectAlerts(deliveryThread, ds.databasePath, ds.spoolDir);
    // What waits is counted once the delivery stage is ready (store checked, spool swept),
    // before any pass of this start spools more.
    m_counter = new WaitingCounter(ds.databasePath, m_clock);
    m_counter->moveToThread(deliveryThread);
    connect(deliveryThread, &QThread::finished, m_counter, &QObject::deleteLater);
    connect(m_delivery, &DeliveryWorker::ready, this, [this, delivery] {
        if (delivery == m_delivery)
            countWaiting();
    });
    deliveryThread->start();
    m_threads << deliveryThread;

    for (const AccountConfig &a : config.accounts) {
        if (!a.enabled)
            continue;
        AccountPoller::Settings ps;
        ps.pass.account = a;
        ps.pass.maxPerPass = config.maxPerPass;
        ps.pass.spoolLimitBytes = qint64(config.spoolLimitMiB) * 1024 * 1024;
        ps.pass.extraCaCertificates = m_cas;
        ps.databasePath = ds.databasePath;
        ps.spoolDir = ds.spoolDir;
        ps.pollIntervalSecs = config.pollIntervalSecs;
        ps.pass.pollIntervalSecs = config.pollIntervalSecs; // the refusal backoff unit
        ps.schedule = options.schedule;
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("poll:") + a.name);
        auto *poller = new AccountPoller(ps, m_secrets, m_clock);
        poller->moveToThread(thread);
        connect(poller, &AccountPoller::passStarted, this, &Engine::passStarted);
        connect(poller, &AccountPoller::progress, this, &Engine::passProgress);
        connect(poller, &AccountPoller::batchCommitted, m_delivery, &DeliveryWorker::wake);
        connect(poller, &AccountPoller::spoolLimitReached, this, &Engine::spoolLimitReached);
        connect(poller, &AccountPoller::passFinished, this, &Engine::passFinished);
        connect(poller, &AccountPoller::signInState, this, &Engine::signInState);
        connect(poller, &AccountPoller::nextPass, this,
                [this, poller](const QString &account, const QDateTime &when) {
                    if (m_pollers.value(account) == poller)
                        emit nextPass(account, when);
                });
        connect(poller, &AccountPoller::passFinished, this,
                [this, poller](const QString &account, const Result &result, int) {
                    if (m_pollers.value(account) == poller)
                        onPassFinishedForOnce(account, result);
                });
        thread->start();
        m_threads << thread;
        m_pollers.insert(a.name, poller);
    }
    // The spool's orphan sweep must finish before any pass writes to the spool.
    QMetaObject::invokeMethod(m_delivery, &DeliveryWorker::start, Qt::QueuedConnection);
    // Requests made while no delivery thread ran: after its start (queued behind it).
    const QList<QPair<bool, qint64>> requests = std::exchange(m_refusedRequests, {});
    for (const auto &[retry, id] : requests)
        requestRefused(retry, id);
}

// Alerts by e-mail: a tracker in the delivery thread, fed by the engine's own signals; it
// starts once the delivery stage is ready (after the orphan sweep) and ends with the thread.
void Engine::connectAlerts(QThread *deliveryThread, const QString &databasePath,
                           const QString &spoolDir)
{
    AlertTracker::Settings as;
    as.config = m_config;
    as.databasePath = databasePath;
    as.spoolDir = spoolDir;
    auto *alerts = new AlertTracker(as, m_clock);
    alerts->moveToThread(deliveryThread);
    m_alerts = alerts;
    connect(deliveryThread, &QThread::finished, alerts, &QObject::deleteLater);
    connect(m_delivery, &DeliveryWorker::ready, alerts, [alerts] { (void)alerts->start(); });
    connect(alerts, &AlertTracker::queued, m_delivery, &DeliveryWorker::wake, Qt::QueuedConnection);
    connect(this, &Engine::passFinished, alerts,
            [alerts](const QString &account, const Result &result, int) {
                alerts->passFinished(account, result);
            });
    connect(this, &Engine::signInState, alerts,
            [alerts](const QString &account, bool needed, const QDateTime &,
                     const QString &detail) { alerts->signInState(account, needed, detail); });
    connect(this, &Engine::quarantined, alerts, &AlertTracker::quarantined);
    connect(this, &Engine::spoolLimitReached, alerts, &AlertTracker::spoolLimitReached);
    connect(this, &Engine::deliveryError, alerts, &AlertTracker::deliveryError);
    connect(this, &Engine::delivered, alerts,
            [alerts](const QString &account, const QString &uid, const QString &) {
                alerts->delivered(account, uid);
            });
}

void Engine::startPollers()
{
    if (m_pollersStarted)
        return;
    m_pollersStarted = true;
    for (AccountPoller *p : std::as_const(m_pollers))
        QMetaObject::invokeMethod(p, &AccountPoller::start, Qt::QueuedConnection);
    for (auto it = m_signedInPending.cbegin(); it != m_signedInPending.cend(); ++it) {
        if (AccountPoller *p = m_pollers.value(it.key())) {
            const QDateTime expiry = it.value();
            QMetaObject::invokeMethod(
                p, [p, expiry] { p->signedIn(expiry); }, Qt::QueuedConnection);
        }
    }
    m_signedInPending.clear();
    emit started();
    if (m_oncePending) {
        m_oncePending = false;
        runOnce();
    }
}

void Engine::retire()
{
    m_startPending = false;
    if (m_threads.isEmpty())
        return;
    for (QThread *t : std::as_const(m_threads)) {
        QPointer<QThread> guard(t);
        connect(t, &QThread::finished, this, [this, guard] {
            if (guard)
                onThreadRetired(guard);
        });
        m_retiring << t;
    }
    // Each worker stops, is deleted and ends its thread, in that thread, after whatever it
    // is doing now.
    const auto retireIn = [](auto *worker) {
        QMetaObject::invokeMethod(
            worker,
            [worker] {
                worker->stop();
                delete worker;
                QThread::currentThread()->quit();
            },
            Qt::QueuedConnection);
    };
    for (AccountPoller *p : std::as_const(m_pollers))
        retireIn(p);
    if (m_delivery) {
        m_delivery->interrupt(); // a directory lookup that hangs must not hold the stop
        // The stop rule: an awaited final reply is let in (bounded) and recorded first.
        DeliveryWorker *delivery = m_delivery;
        QMetaObject::invokeMethod(
            delivery,
            [delivery] {
                const auto end = [delivery] {
                    delete delivery;
                    QThread::currentThread()->quit();
                };
                if (delivery->stopAfterReply())
                    end();
                else
                    QObject::connect(delivery, &DeliveryWorker::stopped, delivery, end,
                                     Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }
    m_pollers.clear();
    m_delivery = nullptr;
    m_alerts = nullptr;
    m_counter = nullptr; // deleted when its thread ends
    m_threads.clear();
    m_pollersStarted = false;
    m_onceRunning = false;
}

void Engine::onThreadRetired(QThread *thread)
{
    if (!m_retiring.removeOne(thread))
        return;
    thread->wait(); // finished() comes from its last moments
    delete thread;
    if (m_retiring.isEmpty() && m_threads.isEmpty())
        m_oldLocks.clear();
    if (m_retiring.isEmpty() && m_startPending) {
        m_startPending = false;
        launch();
    }
    if (m_retiring.isEmpty() && m_threads.isEmpty() && m_stopRequested) {
        m_stopRequested = false;
        emit stopped();
    }
}

void Engine::requestStop()
{
    retire();
    if (m_retiring.isEmpty()) {
        QMetaObject::invokeMethod(this, &Engine::stopped, Qt::QueuedConnection);
        return;
    }
    m_stopRequested = true;
}

void Engine::stopNow()
{
    if (m_deliveryStop)
        m_deliveryStop->stopNow();
}

void Engine::stop()
{
    retire();
    for (QThread *t : std::as_const(m_retiring)) {
        t->wait();
        delete t;
    }
    m_retiring.clear();
    m_stopRequested = false;
    // Nothing works in the data folder any more: another engine or process may.
    m_oldLocks.clear();
    m_lock.reset();
}

void Engine::pollNow(const QString &account)
{
    for (auto it = m_pollers.cbegin(); it != m_pollers.cend(); ++it) {
        if (account.isEmpty() || it.key() == account)
            QMetaObject::invokeMethod(it.value(), &AccountPoller::pollNow, Qt::QueuedConnection);
    }
}

void Engine::setPaused(bool paused)
{
    if (paused == m_paused || !m_configured)
        return;
    if (m_stopRequested) {
        // A stop is under way (a reload, SIGTERM): starting now would swallow its stopped().
        // Whoever starts the engine again reads isPaused() (Service::onEngineStopped).
        m_paused = paused;
        qCInfo(lcEngine) << (paused ? "paused" : "resumed") << "(takes effect after the stop)";
        return;
    }
    if (paused) {
        retire();
        m_paused = true;
        qCInfo(lcEngine) << "paused";
        return;
    }
    qCInfo(lcEngine) << "resumed";
    if (Result r = start(m_config, m_options); !r)
        emit storageError(r);
}

void Engine::retryRefused(qint64 id)
{
    requestRefused(true, id);
}

void Engine::discardRefused(qint64 id)
{
    requestRefused(false, id);
}

void Engine::requestRefused(bool retry, qint64 id)
{
    if (!m_delivery) {
        m_refusedRequests.append({retry, id}); // paused or restarting: when it runs again
        return;
    }
    DeliveryWorker *d = m_delivery;
    QMetaObject::invokeMethod(
        d,
        [d, retry, id] {
            if (retry)
                d->retry(id);
            else
                d->discard(id);
        },
        Qt::QueuedConnection);
}

void Engine::signedIn(const QString &account, const QDateTime &refreshExpiresAt)
{
    AccountPoller *poller = m_pollersStarted ? m_pollers.value(account) : nullptr;
    if (!poller) {
        // Not running (paused, restarting, or not started): the account's poller takes it
        // when it starts; say so now.
        m_signedInPending.insert(account, refreshExpiresAt);
        emit signInState(account, false, refreshExpiresAt, QString());
        return;
    }
    QMetaObject::invokeMethod(
        poller, [poller, refreshExpiresAt] { poller->signedIn(refreshExpiresAt); },
        Qt::QueuedConnection);
}

void Engine::sendTestAlert()
{
    if (AlertTracker *alerts = m_alerts)
        QMetaObject::invokeMethod(
            alerts, [alerts] { (void)alerts->sendTest(); }, Qt::QueuedConnection);
}

void Engine::runOnce()
{
    if (!m_pollersStarted) {
        m_oncePending = true;
        return;
    }
    m_onceRunning = true;
    m_onceFailed = false;
    m_onceWaiting.clear();
    for (auto it = m_pollers.cbegin(); it != m_pollers.cend(); ++it)
        m_onceWaiting.insert(it.key());
    if (m_onceWaiting.isEmpty()) {
        QMetaObject::invokeMethod(m_delivery, &DeliveryWorker::requestDrainReport,
                                  Qt::QueuedConnection);
        return;
    }
    pollNow();
}

void Engine::onPassFinishedForOnce(const QString &account, const Result &result)
{
    if (!m_onceRunning || !m_onceWaiting.remove(account))
        return;
    if (!result.ok())
        m_onceFailed = true;
    if (m_onceWaiting.isEmpty())
        QMetaObject::invokeMethod(m_delivery, &DeliveryWorker::requestDrainReport,
                                  Qt::QueuedConnection);
}

} // namespace pollux
