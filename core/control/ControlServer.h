#pragma once

#include "PeerCredentials.h"
#include "Protocol.h"
#include "config/Config.h"
#include "util/Result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

class QLocalServer;
class QLocalSocket;

namespace pollux {
class Engine;
}

namespace pollux::control {

// The service's end of the control socket: tells every attached client (the tray,
// `pollux status`) what the engine does, and takes its requests (docs/SERVICE.md, "The
// control socket"). It needs only the engine and two hooks; it never starts or stops the
// engine itself except through pause/resume and the reload hook.
class ControlServer : public QObject
{
    Q_OBJECT
public:
    enum class Access
    {
        Refused,
        ReadOnly, // state, events, poll now, pause/resume, get config
        Admin,    // also put config
    };

    struct Hooks
    {
        // The configuration in use (the accounts a snapshot lists; "get config").
        std::function<Config()> config;
        // Before "put config" writes the new file: whether it can be applied (what the
        // file's own validation does not see: CA certificates, a service that is stopping).
        // A failure is sent back and nothing is written. Empty: every valid file can.
        std::function<Result(const Config &)> check;
        // After "put config" wrote the new file: start applying it (restart the engine).
        // A failure is sent back to the client. Applying may take a while (the engine
        // finishes what it is doing): the owner calls configurationReloaded() once the new
        // configuration is in use, so clients hear of its accounts, not the old ones.
        std::function<Result(const Config &)> reload;
    };

    struct Options
    {
        QString socketPath;                       // empty: defaultSocketPath()
        QString configPath;                       // the file "put config" writes (atomically)
        QString group = QStringLiteral("pollux"); // its members may attach
        int helloTimeoutMs = 5000;                // a client that says nothing is closed
        int idleTimeoutMs = 0;                    // 0: an attached client may stay silent forever
        // Attached clients at most; admins (root, the service's user) have kAdminReserve
        // more, and one read-only user at most maxClientsPerUser: a member of the group
        // that opens connections and stays silent cannot lock the admin out.
        int maxClients = 16;
        int maxClientsPerUser = 4;
        // "poll now" for the same account (or all) at most once in this many ms; more are
        // answered (coalesced) without starting a pass: a client repeating it cannot make
        // the service log in to the provider in a loop.
        int pollNowGapMs = 10000;
        qint64 maxPendingWriteBytes = 16 * 1024 * 1024; // a client that does not read is closed
        // The seam for tests: who may do what. Empty: defaultAccess().
        std::function<Access(const PeerCredentials &)> policy;
        // The seam for tests: the peer's credentials. Empty: peerCredentials().
        std::function<PeerCredentials(qintptr)> credentials;
    };

    // $POLLUX_CONTROL_SOCKET, else /run/pollux/control (RuntimeDirectory=pollux).
    static constexpr int kAdminReserve = 4;
    static QString defaultSocketPath();
    // Where a headless Pollux opens its socket: $POLLUX_CONTROL_SOCKET, else
    // $RUNTIME_DIRECTORY/control (systemd's RuntimeDirectory=, so under the packaged unit
    // the same path as defaultSocketPath()); empty - no socket - for a pollux --headless
    // started by hand, which is nobody's service.
    static QString serviceSocketPath();

    ControlServer(Engine *engine, Hooks hooks, Options options, QObject *parent = nullptr);
    ~ControlServer() override;

    // Listens (replacing a stale socket file; refusing when another server answers there).
    // The socket is 0660: the service's user and group.
    Result listen();
    void close();
    bool isListening() const;
    QString socketPath() const { return m_options.socketPath; }
    int clientCount() const { return int(m_clients.size()); }

    void setPolicy(std::function<Access(const PeerCredentials &)> policy);
    // Root and the service's own user: Admin. Members of Options::group: ReadOnly, or Admin
    // when they may write the configuration file themselves. Anyone else: Refused.
    Access defaultAccess(const PeerCredentials &peer) const;

    Snapshot snapshot() const;
    // Whether this process may write Options::configPath ("put config"); said in the hello.
    bool configWritable() const;

public slots:
    // The host's new configuration is in use (after a SIGHUP or a "put config"): tell the
    // clients, with its accounts.
    void configurationReloaded();

signals:
    void clientRefused(const QString &reason);
    // A client's hello was answered (the peer's process id, -1 when unknown).
    void clientAttached(qint64 pid, pollux::control::ControlServer::Access access);
    void configWritten(const QString &path);

private:
    struct Client;
    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);
    void handle(Client &client, const QJsonObject &message);
    void send(QLocalSocket *socket, const QJsonObject &message);
    void sendError(QLocalSocket *socket, const QString &code, const QString &message, bool close);
    void reply(QLocalSocket *socket, const QJsonValue &id, const Result &result,
               QJsonObject extra = {});
    void broadcast(const QJsonObject &event);
    void event(const QString &name, QJsonObject fields);
    void activity(const QString &line);
    void watchEngine();
    Result putConfig(const QJsonValue &json, QString *field);

    Engine *m_engine;
    Hooks m_hooks;
    Options m_options;
    QLocalServer *m_server;
    QHash<QLocalSocket *, std::shared_ptr<Client>> m_clients;
    QElapsedTimer m_steady;
    QHash<QString, qint64> m_lastPollNow; // account ("" = all) -> steady ms of its last one

    // What the engine told since the start.
    QMap<QString, AccountState> m_accounts;
    QString m_officeError;
    QString m_storageError;
    QSet<QPair<QString, QString>> m_waiting;
    QSet<QPair<QString, QString>> m_refused;
    QMap<QString, int> m_waitingCounts; // Engine::waitingCounted
    ErrorCode m_officeCode = ErrorCode::None;
    QDateTime m_officeSince; // the office server fails since (m_officeError set)
    bool m_waitingKnown = false;
    QStringList m_activity;
};

} // namespace pollux::control
