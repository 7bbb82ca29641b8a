#pragma once

#include "config/Config.h"
#include "engine/DeliveryWorker.h"
#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QSslCertificate>

#include <memory>
#include <vector>

namespace pollux {

class AccountPoller;
class AlertTracker;
class Clock;
class DataDirLock;
class SecretStore;
class WaitingCounter;

// Runs the whole job: one worker thread per enabled account polling on schedule, and one
// delivery thread. Lives in the GUI (or main) thread and never blocks it: everything
// below talks to it through queued signals.
class Engine : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool schedule = true; // false: passes only on pollNow()/runOnce()
        int deliveryIdleCloseMs = 5000;
        // The wait for the office server's reply to a message's end, and the longest a stop
        // waits for it (RFC 5321 §4.5.3.2.6: 10 minutes).
        int finalReplyTimeoutMs = 10 * 60 * 1000;
    };

    Engine(SecretStore *secrets, Clock *clock, QObject *parent = nullptr);
    ~Engine() override;

    // Where the database and the spool live for a configuration.
    static QString dataDirectory(const Config &config);
    static QString databasePath(const Config &config);
    static QString spoolDirectory(const Config &config);
    static Result loadCaCertificates(const Config &config, QList<QSslCertificate> &out);

    // Takes the data folder of `config` for this engine: creates it (0700) and takes its
    // lock file (DataDirLock), held until stop() (or the destructor) or until the engine
    // works in another folder; pausing keeps it. start() does it too, before the store is opened or
    // the spool swept; calling it first tells, before anything else begins, that another process
    // works there. Then *holderPid receives that process's PID (-1 when its lock file cannot be
    // read), and 0 for any other outcome.
    Result claimDataDirectory(const Config &config, qint64 *holderPid = nullptr);

    // Checks the configuration and starts the threads. Never waits for the threads of a
    // previous start: they are asked to stop, and the new ones start when the last of them
    // has finished (a thread busy in a slow call - a directory lookup, a locked database -
    // does not freeze the caller's window). Two sets of threads never run at once.
    Result start(const Config &config, const Options &options);
    Result start(const Config &config) { return start(config, Options{}); }
    // Stops and joins every thread (waits; for the end of the program), then releases the
    // data folder. The stop rule: polling and new deliveries stop at once, but a message
    // whose reply from the office server is awaited keeps its connection until that reply
    // is recorded (at most Options::finalReplyTimeoutMs) - see stopNow().
    void stop();
    // The same without waiting: stopped() follows once every thread has ended (at once when
    // none runs). Then stop() only releases the data folder.
    void requestStop();
    // Thread-safe: ends a stop's wait for the office server's reply at once (the message
    // stays queued, so it may reach the office server twice).
    void stopNow();
    // Started, or waiting for the previous threads to finish before it starts.
    bool isRunning() const { return !m_threads.isEmpty() || m_startPending; }

    void pollNow(const QString &account = QString()); // empty: every account
    // Paused: no pass and no delivery runs (the threads are asked to stop, without waiting
    // for them); resuming starts
    // again with the same configuration, a pass at once.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Delivers a refused (quarantined) message again; the message id is the store's.
    // While paused or restarting, the request waits for the delivery thread.
    void retryRefused(qint64 id);
    // Deletes a refused message's quarantine file; the store keeps its record. Waits like
    // retryRefused().
    void discardRefused(qint64 id);
    // One pass of every enabled account, then deliver what is due -> onceFinished().
    void runOnce();
    // After an interactive sign-in wrote a new refresh token for `account` to the keychain
    // (oauth::TokenSource::storeSignIn): forgets the account's "sign-in needed" state and
    // its cached access token, records when the new refresh token expires (invalid: not
    // stated), emits signInState(), and polls the account now.
    void signedIn(const QString &account, const QDateTime &refreshExpiresAt);
    // Alerts by e-mail (AlertTracker): queues a test alert to the postmaster and
    // alerts.extraAddress through the office server; nothing while not running or with
    // alerts off. Its delivery shows like any message's (delivered(), deferred()).
    void sendTestAlert();

signals:
    void started();
    void passStarted(const QString &account);
    void passProgress(const QString &account, int done, int total);
    void passFinished(const QString &account, const pollux::Result &result, int collected);
    void delivered(const QString &account, const QString &uid, const QString &reply);
    void deferred(const QString &account, const QString &uid, const QString &reply,
                  const QDateTime &nextAttempt);
    void quarantined(const QString &account, const QString &uid, const QString &reply,
                     const QString &folder);
    void deliveryError(const pollux::Result &error);
    void storageError(const pollux::Result &error);
    // A pass left `leftOnServer` new messages on the server because the spool already holds
    // `waitingBytes` of mail waiting for the office server and the configured limit is
    // `limitBytes` (Config::spoolLimitMB). Emitted during the pass, before passFinished().
    void spoolLimitReached(const QString &account, int leftOnServer, qint64 waitingBytes,
                           qint64 limitBytes);
    // ok: every pass succeeded and nothing is left waiting for delivery.
    void onceFinished(bool ok);
    // After requestStop(): every thread has ended.
    void stopped();
    // OAuth2 accounts (AccountConfig::signIn not Password): the state of the stored sign-in,
    // once after start() for each such account (from the store) and whenever it changes.
    // needed: the provider refused the stored sign-in, or none is stored; the account waits
    // for "Sign in again" (signedIn()) while every other account goes on. refreshExpiresAt:
    // when the stored refresh token expires, where the provider stated its lifetime
    // (TokenSet::refreshExpiresIn); invalid otherwise. detail: the provider's words, no token.
    void signInState(const QString &account, bool needed, const QDateTime &refreshExpiresAt,
                     const QString &detail);
    // The account's next scheduled pass (AccountPoller::nextPassDue, by the engine's clock);
    // invalid while none is scheduled (a pass runs, paused, stopped).
    void nextPass(const QString &account, const QDateTime &when);
    // What waits for the office server, per account: every message the spool holds for
    // delivery, tried or not yet (Store::waitingByAccount; accounts with none are absent).
    // Read in the delivery thread once the delivery stage is ready, and again shortly after
    // each pass, delivery, deferral, refusal and office server error (at most one read per
    // kWaitingCountDelayMs).
    void waitingCounted(const QMap<QString, int> &waitingByAccount);

public:
    static constexpr int kWaitingCountDelayMs = 200;

private:
    void launch(); // creates and starts the threads for m_config
    void retire(); // asks every thread to stop and end; returns at once
    void onThreadRetired(QThread *thread);
    void requestRefused(bool retry, qint64 id);
    void startPollers();
    void connectAlerts(QThread *deliveryThread, const QString &databasePath,
                       const QString &spoolDir);
    void onPassFinishedForOnce(const QString &account, const Result &result);
    void scheduleWaitingCount();
    void countWaiting();

    SecretStore *m_secrets;
    Clock *m_clock;
    std::unique_ptr<DataDirLock> m_lock; // the data folder of m_config (once claimed)
    // Folders worked in before a start() in another one, released when their threads end.
    std::vector<std::unique_ptr<DataDirLock>> m_oldLocks;
    Config m_config;
    Options m_options;
    QList<QSslCertificate> m_cas;
    QList<QThread *> m_threads;
    QList<QThread *> m_retiring; // asked to stop, not finished yet
    bool m_startPending = false; // start as soon as m_retiring is empty
    // Retry (true) / discard (false) requests made while no delivery thread ran.
    QList<QPair<bool, qint64>> m_refusedRequests;
    DeliveryWorker *m_delivery = nullptr;
    // In the delivery thread, deleted when it ends; null with alerts off and after retire().
    AlertTracker *m_alerts = nullptr;
    // Of the current or last delivery worker: stopNow() reaches it while it retires.
    std::shared_ptr<DeliveryWorker::StopHandle> m_deliveryStop;
    bool m_stopRequested = false;
    QHash<QString, AccountPoller *> m_pollers;
    // signedIn() while no poller ran: applied when the account's poller starts.
    QHash<QString, QDateTime> m_signedInPending;
    bool m_pollersStarted = false;
    bool m_paused = false;
    bool m_configured = false;
    bool m_oncePending = false;
    // --once bookkeeping
    bool m_onceRunning = false;
    QSet<QString> m_onceWaiting;
    bool m_onceFailed = false;
    // Lives in the current delivery thread (deleted when it ends); null when none runs.
    WaitingCounter *m_counter = nullptr;
    bool m_countScheduled = false;
};

} // namespace pollux
