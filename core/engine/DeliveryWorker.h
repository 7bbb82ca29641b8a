#pragma once

#include "config/Config.h"
#include "smtp/SmtpClient.h"
#include "store/Spool.h"
#include "store/Store.h"
#include "util/Result.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QSslCertificate>
#include <QTimer>

#include <atomic>
#include <memory>

namespace pollux {

class Clock;
class OutcomeApplier;
class RoutingStage;
class SecretStore;
class Spool;
namespace routing {
class RecipientDirectory;
}

// The delivery stage: takes durable messages from the spool, oldest first, and submits
// them to the office server over one reused SMTP connection. The walk of one message goes
// one way: spool -> route (RoutingStage::decide) -> send -> classifySend -> apply
// (OutcomeApplier, the only code that changes a message's state). 4xx (or an unreachable
// server) is retried later with backoff; 5xx moves the message to quarantine.
// Lives in its own thread; every slot is called in that thread.
class DeliveryWorker : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        Config config; // accounts, routing, postmaster, directory
        SmtpConfig smtp;
        QList<QSslCertificate> extraCaCertificates;
        QHash<QString, QString> protocolByAccount; // for the trace header
        QString databasePath;
        QString spoolDir;
        int idleCloseMs = 5000; // keep the connection this long for more messages
        // The wait for the reply to a message's end (smtp::Options::finalReplyTimeoutMs),
        // also the longest a stop waits for it (stopAfterReply()).
        int finalReplyTimeoutMs = 10 * 60 * 1000;
    };

    // Thread-safe: asks the worker (wherever it is, if it still exists) for stopNow().
    class StopHandle
    {
    public:
        void stopNow();

    private:
        friend class DeliveryWorker;
        QMutex m_mutex;
        DeliveryWorker *m_worker = nullptr;
    };

    DeliveryWorker(const Settings &settings, SecretStore *secrets, Clock *clock,
                   QObject *parent = nullptr);
    ~DeliveryWorker() override;

    // Opens the store and the spool, sweeps orphaned spool files, starts delivering.
    Q_INVOKABLE void start();
    // New messages are durable: deliver them now.
    Q_INVOKABLE void wake();
    // Emit drained() once nothing is due any more (used by --once).
    Q_INVOKABLE void requestDrainReport();
    Q_INVOKABLE void stop();
    // The stop rule (docs/RELIABILITY.md, "The one duplicate window"): like stop(), except
    // while the office server's reply to the end of a message is awaited - then no new
    // message starts, the connection stays until that reply arrives (at most
    // finalReplyTimeoutMs), the reply is recorded (delivered/deferred/quarantined) and only
    // then does the worker stop. True when it stopped at once; false when stopped() follows.
    bool stopAfterReply();
    // Ends a stopAfterReply() wait at once: the message stays queued and is sent again
    // later, so it may reach the office server twice. Nothing when no wait is running.
    Q_INVOKABLE void stopNow();
    std::shared_ptr<StopHandle> stopHandle() const { return m_stopHandle; }
    // Thread-safe, called directly (not queued) from the thread that is about to queue
    // stop(): a directory lookup in progress ends within a fraction of a second, decides
    // nothing (the message stays unrouted) and the queued stop() runs. Only before stop():
    // every later lookup answers "cancelled" at once.
    void interrupt();
    // A refused message (quarantined) is delivered again, from its quarantine file.
    Q_INVOKABLE void retry(qint64 id);
    // Gives up on a refused message: its quarantine file is deleted, its record kept.
    Q_INVOKABLE void discard(qint64 id);

    // Delay before retry number `attempt` (1 = first retry): the retry interval, doubled
    // each time, at most 4 hours.
    static qint64 backoffSeconds(int retryIntervalSecs, int attempt);

signals:
    void delivered(const QString &account, const QString &uid, const QString &reply);
    void deferred(const QString &account, const QString &uid, const QString &reply,
                  const QDateTime &nextAttempt);
    void quarantined(const QString &account, const QString &uid, const QString &reply,
                     const QString &folder);
    void serverError(const pollux::Result &error);
    void ready();                    // started: store open, orphans swept
    void drained(bool allDelivered); // after requestDrainReport(): nothing is due now
    void storageError(const pollux::Result &error);
    void stopped(); // after stopAfterReply() returned false: the awaited reply is recorded

private:
    enum class State
    {
        Stopped,
        Idle,
        ReadingSecret,
        Connecting,
        Sending,
        Closing
    };
    void prepareDirectory();
    void cycle();
    void connectToServer(const QString &password);
    void sendNext();
    void nextMessage(); // sendNext() again, after a turn of the event loop
    void onSent(const smtp::SendResult &result);
    void onClientFailed(const Result &error);
    void finishCycle();
    void scheduleRetry();
    void resetClient();
    void finishStop();
    void syncMarks(); // OutcomeApplier::syncGroup(); a failure is a storageError()

    Settings m_settings;
    SecretStore *m_secrets;
    Clock *m_clock;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Spool> m_spool;
    std::unique_ptr<routing::RecipientDirectory> m_directory;
    std::unique_ptr<RoutingStage> m_routing;
    std::unique_ptr<OutcomeApplier> m_applier; // the one place that changes a message's fate
    bool m_directoryReady = false;
    QByteArray m_header; // of the message being sent
    QString m_byName;    // the trace header's "by": the HELO name, or the machine's name
    smtp::SmtpClient *m_client = nullptr;
    State m_state = State::Stopped;
    QList<DeliveryItem> m_queue;
    QSet<qint64> m_handled;                     // ids taken in this cycle: never taken again in it
    std::shared_ptr<std::atomic_bool> m_cancel; // interrupt(); the directory checks it
    DeliveryItem m_current;
    std::unique_ptr<QFile> m_file;
    std::unique_ptr<QIODevice> m_body;
    smtp::Envelope m_envelope;
    smtp::BodyShape m_shape; // of the message being sent
    bool m_stopping = false; // stopAfterReply(): waiting for the final reply
    std::shared_ptr<StopHandle> m_stopHandle;
    bool m_wakePending = false;
    bool m_drainRequested = false;
    QTimer m_retryTimer;
    QTimer m_idleTimer;
};

} // namespace pollux
