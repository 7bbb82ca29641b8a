#pragma once

#include "Protocol.h"
#include "config/Config.h"
#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <functional>

class QLocalSocket;
class QTimer;

namespace pollux::control {

// The tray's end of the control socket. Its signals are the engine's (Engine), so what
// shows a local engine shows a service the same way; plus the connection's own.
// After a lost connection it tries again, every retryMinMs doubling up to retryMaxMs.
class ControlClient : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Disconnected, // not attached; a retry may be scheduled
        Connecting,   // socket connecting, or hello sent
        Attached,     // hello answered: snapshot and events flow
        Refused,      // the service refused us (permission, version): no retry
    };
    struct Options
    {
        QString socketPath; // empty: ControlServer::defaultSocketPath()
        int connectTimeoutMs = 3000;
        int requestTimeoutMs = 15000;
        int retryMinMs = 1000;
        int retryMaxMs = 30000;
        bool reconnect = true;
    };
    using Callback = std::function<void(const Result &, const QJsonObject &reply)>;

    explicit ControlClient(Options options, QObject *parent = nullptr);
    ~ControlClient() override;

    // Does a Pollux service answer on `path` (hello with our version) within timeoutMs?
    // Blocks the caller at most that long (for the start of the tray).
    static bool serviceAnswers(const QString &path, int timeoutMs, QString *refusal = nullptr);
    // The service's snapshot, blocking at most timeoutMs (for `pollux status`). False when
    // no service answers or it refuses (*error says why).
    static bool fetchSnapshot(const QString &path, int timeoutMs, Snapshot *out,
                              QString *error = nullptr);

    void connectToService();
    void disconnectFromService(); // and no retry
    State state() const { return m_state; }
    bool isAttached() const { return m_state == State::Attached; }
    bool isAdmin() const { return m_admin; }
    QString socketPath() const { return m_options.socketPath; }
    QString configPath() const { return m_configPath; }
    // Whether the service may write configPath() ("put config"); false under the packaged
    // unit, where an admin edits the file (docs/SERVICE.md). A service that does not say: true.
    bool configWritable() const { return m_configWritable; }
    QString databasePath() const { return m_databasePath; }
    QString spoolDirectory() const { return m_spoolDirectory; }
    const Snapshot &snapshot() const { return m_snapshot; }
    QString refusal() const { return m_refusal; }

    // Requests; `done` gets the reply (or a Timeout / Network failure).
    void pollNow(const QString &account = QString(), Callback done = {});
    void setPaused(bool paused, Callback done = {});
    // A refused message again / its quarantine file deleted (admin); the store's id.
    void retryRefused(qint64 messageId, Callback done = {});
    void discardRefused(qint64 messageId, Callback done = {});
    void getConfig(std::function<void(const Result &, const Config &)> done);
    // Failure: ErrorCode::Config with the first problem's field in reply["field"];
    // reply["needsAdmin"] when this user may not write the service's configuration.
    void putConfig(const Config &config, Callback done);

signals:
    void attached(); // hello answered (a snapshot follows)
    void detached(); // the connection is gone (retrying when reconnect)
    void refused(const QString &reason);
    void snapshotReceived(const pollux::control::Snapshot &snapshot);
    void activityLine(const QString &line);
    void pausedChanged(bool paused);
    void restarted(const QStringList &accounts);
    // As Engine's:
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
    void spoolLimitReached(const QString &account, int leftOnServer, qint64 waitingBytes,
                           qint64 limitBytes);
    void signInState(const QString &account, bool needed, const QDateTime &refreshExpiresAt,
                     const QString &detail);

private:
    struct Pending
    {
        Callback done;
        QTimer *timer = nullptr;
    };
    void onConnected();
    void onReadyRead();
    void onGone();
    void handle(const QJsonObject &message);
    void handleEvent(const QJsonObject &message);
    void request(QJsonObject message, Callback done);
    void failAll(const Result &why);
    void scheduleRetry();

    Options m_options;
    QLocalSocket *m_socket;
    QTimer *m_retry;
    QTimer *m_connectTimer;
    LineReader m_reader;
    State m_state = State::Disconnected;
    bool m_wanted = false;
    int m_retryMs = 0;
    bool m_admin = false;
    QString m_configPath;
    bool m_configWritable = true;
    QString m_databasePath;
    QString m_spoolDirectory;
    QString m_refusal;
    Snapshot m_snapshot;
    qint64 m_nextId = 1;
    QHash<qint64, Pending> m_pending;
};

} // namespace pollux::control

Q_DECLARE_METATYPE(pollux::control::Snapshot)
