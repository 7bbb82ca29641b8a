#include "ControlServer.h"

#include "JsonNumber.h"

#include "engine/Engine.h"

#include <QFile>
#include <QFileDevice>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QTimer>

namespace pollux::control {

Q_LOGGING_CATEGORY(lcControl, "pollux.control")

struct ControlServer::Client
{
    QPointer<QLocalSocket> socket;
    LineReader reader;
    bool helloDone = false;
    Access access = Access::Refused;
    PeerCredentials peer;
    QTimer *timer = nullptr; // hello, then idle timeout
};

QString ControlServer::defaultSocketPath()
{
    const QString env = qEnvironmentVariable("POLLUX_CONTROL_SOCKET");
    return env.isEmpty() ? QStringLiteral("/run/pollux/control") : env;
}

QString ControlServer::serviceSocketPath()
{
    const QString env = qEnvironmentVariable("POLLUX_CONTROL_SOCKET");
    if (!env.isEmpty())
        return env;
    // systemd may list several folders, separated by ':'; the first is the unit's own.
    const QString runtime =
        qEnvironmentVariable("RUNTIME_DIRECTORY").section(QLatin1Char(':'), 0, 0);
    return runtime.isEmpty() ? QString() : runtime + QStringLiteral("/control");
}

ControlServer::ControlServer(Engine *engine, Hooks hooks, Options options, QObject *parent)
    : QObject(parent), m_engine(engine), m_hooks(std::move(hooks)), m_options(std::move(options)),
      m_server(new QLocalServer(this))
{
    m_steady.start();
    if (m_options.socketPath.isEmpty())
        m_options.socketPath = defaultSocketPath();
    if (!m_options.configPath.isEmpty())
        m_options.configPath = QFileInfo(m_options.configPath).absoluteFilePath();
    m_server->setSocketOptions(QLocalServer::UserAccessOption | QLocalServer::GroupAccessOption);
    m_server->setMaxPendingConnections(m_options.maxClients + kAdminReserve);
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
    watchEngine();
}

ControlServer::~ControlServer()
{
    close();
}

Result ControlServer::listen()
{
    if (m_server->isListening())
        return Result::success();
    const QString path = m_options.socketPath;
    if (QFile::exists(path)) {
        QLocalSocket probe;
        probe.connectToServer(path);
        if (probe.waitForConnected(1000)) {
            probe.abort();
            return Result::failure(ErrorCode::Storage,
                                   QStringLiteral("another Pollux answers on %1").arg(path));
        }
        QLocalServer::removeServer(path); // a stale file of a previous run
    }
    if (!m_server->listen(path))
        return Result::failure(
            ErrorCode::Storage,
            QStringLiteral("cannot listen on %1: %2").arg(path, m_server->errorString()));
    // Qt sets the mode from the options; say it plainly, it is the first barrier.
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                    QFileDevice::ReadGroup | QFileDevice::WriteGroup);
    qCInfo(lcControl, "control socket %s", qPrintable(path));
    return Result::success();
}

void ControlServer::close()
{
    const auto clients = m_clients.keys();
    for (QLocalSocket *s : clients)
        s->abort();
    m_clients.clear();
    if (m_server->isListening())
        m_server->close();
}

bool ControlServer::isListening() const
{
    return m_server->isListening();
}

void ControlServer::setPolicy(std::function<Access(const PeerCredentials &)> policy)
{
    m_options.policy = std::move(policy);
}

ControlServer::Access ControlServer::defaultAccess(const PeerCredentials &peer) const
{
    if (!peer.known)
        return Access::Refused;
    if (peer.uid == 0 || peer.uid == currentUid())
        return Access::Admin;
    const qint64 group = groupId(m_options.group);
    const bool member = group >= 0 && peer.groups.contains(uint(group));
    if (!member)
        return Access::Refused;
    // May the peer write the configuration file itself? Then it may write it through us.
    const QFileInfo file(m_options.configPath);
    if (file.exists()) {
        const auto perms = file.permissions();
        if ((file.ownerId() == peer.uid && (perms & QFileDevice::WriteOwner)) ||
            (peer.groups.contains(file.groupId()) && (perms & QFileDevice::WriteGroup)))
            return Access::Admin;
    }
    return Access::ReadOnly;
}

void ControlServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        if (m_clients.size() >= m_options.maxClients + kAdminReserve) {
            sendError(socket, QStringLiteral("busy"), QStringLiteral("too many clients"), true);
            continue;
        }
        auto client = std::make_shared<Client>();
        client->socket = socket;
        client->peer = m_options.credentials ? m_options.credentials(socket->socketDescriptor())
                                             : peerCredentials(socket->socketDescriptor());
        client->access =
            m_options.policy ? m_options.policy(client->peer) : defaultAccess(client->peer);
        if (client->access == Access::ReadOnly) {
            int sameUser = 0;
            for (const auto &other : std::as_const(m_clients))
                sameUser += other->peer.known && other->peer.uid == client->peer.uid ? 1 : 0;
            if (m_clients.size() >= m_options.maxClients ||
                sameUser >= m_options.maxClientsPerUser) {
                sendError(socket, QStringLiteral("busy"), QStringLiteral("too many clients"),
                          true);
                continue;
            }
        }
        if (client->access == Access::Refused) {
            const QString reason =
                client->peer.known
                    ? QStringLiteral("user %1 may not attach to this Pollux service: it takes "
                                     "root, the service's user and members of the group %2")
                          .arg(client->peer.uid)
                          .arg(m_options.group)
                    : QStringLiteral("the peer's identity cannot be checked");
            qCWarning(lcControl, "refused a client: %s", qPrintable(reason));
            emit clientRefused(reason);
            sendError(socket, QStringLiteral("permission"), reason, true);
            continue;
        }
        client->timer = new QTimer(socket);
        client->timer->setSingleShot(true);
        connect(client->timer, &QTimer::timeout, socket, [this, socket] {
            auto it = m_clients.find(socket);
            if (it == m_clients.end())
                return;
            sendError(socket, QStringLiteral("timeout"),
                      (*it)->helloDone ? QStringLiteral("idle for too long")
                                       : QStringLiteral("no hello in time"),
                      true);
            m_clients.remove(socket);
        });
        client->timer->start(m_options.helloTimeoutMs);
        m_clients.insert(socket, client);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QLocalSocket::disconnected, this,
                [this, socket] { m_clients.remove(socket); });
    }
}

void ControlServer::onReadyRead(QLocalSocket *socket)
{
    const auto it = m_clients.constFind(socket);
    if (it == m_clients.cend())
        return;
    const std::shared_ptr<Client> client = it.value(); // handle() may drop it from the map
    client->reader.feed(socket->readAll());
    QByteArray line;
    while (client->socket && m_clients.contains(socket) && client->reader.next(line)) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonObject message;
        const ParseError e = parseMessage(line, message);
        if (e != ParseError::None) {
            sendError(socket, parseErrorName(e), QStringLiteral("not a protocol message"),
                      !client->helloDone);
            if (!client->helloDone)
                m_clients.remove(socket);
            continue;
        }
        handle(*client, message);
    }
    if (client->reader.overflowed() && m_clients.contains(socket)) {
        sendError(socket, parseErrorName(ParseError::TooLong),
                  QStringLiteral("a message is longer than %1 bytes").arg(kMaxLineBytes), true);
        m_clients.remove(socket);
    }
}

void ControlServer::handle(Client &client, const QJsonObject &message)
{
    QLocalSocket *socket = client.socket;
    const QString type = message.value(QLatin1String("type")).toString();
    const QJsonValue id = message.value(QLatin1String("id"));
    if (!client.helloDone) {
        if (type != QLatin1String("hello")) {
            sendError(socket, QStringLiteral("hello-first"),
                      QStringLiteral("the first message must be hello"), true);
            m_clients.remove(socket);
            return;
        }
        const int version = message.value(QLatin1String("version")).toInt(-1);
        if (version != kProtocolVersion) {
            QJsonObject e{{QStringLiteral("type"), QStringLiteral("error")},
                          {QStringLiteral("code"), QStringLiteral("version")},
                          {QStringLiteral("message"),
                           QStringLiteral("protocol version %1 is not spoken here").arg(version)},
                          {QStringLiteral("version"), kProtocolVersion}};
            send(socket, e);
            socket->disconnectFromServer();
            QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
            m_clients.remove(socket);
            return;
        }
        client.helloDone = true;
        client.timer->stop();
        if (m_options.idleTimeoutMs > 0)
            client.timer->start(m_options.idleTimeoutMs);
        const Config config = m_hooks.config ? m_hooks.config() : Config{};
        send(socket,
             QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                         {QStringLiteral("version"), kProtocolVersion},
                         {QStringLiteral("server"), QStringLiteral("pollux")},
                         {QStringLiteral("access"), client.access == Access::Admin
                                                        ? QStringLiteral("admin")
                                                        : QStringLiteral("read")},
                         {QStringLiteral("configPath"), m_options.configPath},
                         {QStringLiteral("configWritable"), configWritable()},
                         {QStringLiteral("databasePath"), Engine::databasePath(config)},
                         {QStringLiteral("spoolDirectory"), Engine::spoolDirectory(config)}});
        send(socket, QJsonObject{{QStringLiteral("type"), QStringLiteral("snapshot")},
                                 {QStringLiteral("snapshot"), snapshot().toJson()}});
        emit clientAttached(client.peer.pid, client.access);
        return;
    }
    if (m_options.idleTimeoutMs > 0)
        client.timer->start(m_options.idleTimeoutMs);

    if (type == QLatin1String("pollNow")) {
        const QString account = message.value(QLatin1String("account")).toString();
        const Config config = m_hooks.config ? m_hooks.config() : Config{};
        if (!account.isEmpty() && !config.account(account)) {
            reply(socket, id,
                  Result::failure(ErrorCode::Config,
                                  QStringLiteral("no account named \"%1\"").arg(account)));
            return;
        }
        const qint64 now = m_steady.elapsed();
        const auto last = m_lastPollNow.constFind(account);
        if (last != m_lastPollNow.cend() && now - *last < m_options.pollNowGapMs) {
            reply(socket, id, Result::success(), {{QStringLiteral("coalesced"), true}});
            return;
        }
        m_lastPollNow.insert(account, now);
        m_engine->pollNow(account);
        reply(socket, id, Result::success());
    } else if (type == QLatin1String("pause")) {
        const bool paused = message.value(QLatin1String("paused")).toBool(true);
        if (paused != m_engine->isPaused()) {
            m_engine->setPaused(paused);
            if (m_engine->isPaused() != paused) {
                reply(socket, id,
                      Result::failure(ErrorCode::Config,
                                      QStringLiteral("the engine is not configured")));
                return;
            }
            activity(paused ? QStringLiteral("paused") : QStringLiteral("resumed"));
            event(QStringLiteral("paused"), {{QStringLiteral("paused"), paused}});
        }
        reply(socket, id, Result::success());
    } else if (type == QLatin1String("retryRefused") || type == QLatin1String("discardRefused")) {
        const bool retry = type == QLatin1String("retryRefused");
        const QJsonValue idValue = message.value(QLatin1String("message"));
        const qint64 messageId = jsonInteger(idValue, 0);
        if (messageId < 1) {
            reply(socket, id,
                  Result::failure(ErrorCode::Protocol, QStringLiteral("message: must be the "
                                                                      "store's message id")));
            return;
        }
        if (!retry && client.access != Access::Admin) {
            reply(socket, id,
                  Result::failure(ErrorCode::Config,
                                  QStringLiteral("discarding a refused message needs an admin")),
                  {{QStringLiteral("needsAdmin"), true}});
            return;
        }
        if (retry)
            m_engine->retryRefused(messageId);
        else
            m_engine->discardRefused(messageId);
        activity(QStringLiteral("%1 refused message %2")
                     .arg(retry ? QStringLiteral("retry") : QStringLiteral("discard"))
                     .arg(messageId));
        reply(socket, id, Result::success());
    } else if (type == QLatin1String("getSnapshot")) {
        reply(socket, id, Result::success(), {{QStringLiteral("snapshot"), snapshot().toJson()}});
    } else if (type == QLatin1String("getConfig")) {
        const Config config = m_hooks.config ? m_hooks.config() : Config{};
        reply(socket, id, Result::success(),
              {{QStringLiteral("config"), QJsonDocument::fromJson(config.toJson()).object()}});
    } else if (type == QLatin1String("putConfig")) {
        if (client.access != Access::Admin) {
            reply(socket, id,
                  Result::failure(ErrorCode::Config,
                                  QStringLiteral("writing the service's configuration %1 needs "
                                                 "an admin")
                                      .arg(m_options.configPath)),
                  {{QStringLiteral("needsAdmin"), true}});
            return;
        }
        QString field;
        const Result r = putConfig(message.value(QLatin1String("config")), &field);
        QJsonObject extra;
        if (!field.isEmpty())
            extra.insert(QStringLiteral("field"), field);
        reply(socket, id, r, extra);
    } else {
        reply(socket, id,
              Result::failure(ErrorCode::Protocol,
                              QStringLiteral("unknown request \"%1\"").arg(type.left(64))));
    }
}

bool ControlServer::configWritable() const
{
    // access(2) underneath: a read-only mount (ProtectSystem=strict) counts as not writable.
    const QFileInfo file(m_options.configPath);
    if (m_options.configPath.isEmpty() || !QFileInfo(file.absolutePath()).isWritable())
        return false; // QSaveFile writes its temporary file next to it
    return !file.exists() || file.isWritable();
}

Result ControlServer::putConfig(const QJsonValue &json, QString *field)
{
    if (!json.isObject())
        return Result::failure(ErrorCode::Config, QStringLiteral("config: must be an object"));
    Config config;
    Result r =
        Config::parse(QJsonDocument(json.toObject()).toJson(), QStringLiteral("config"), config);
    if (r)
        r = config.validate();
    if (!r) {
        // The first problem's field ("accounts[0].port: must be 1-65535").
        const QString first = r.message().section(QLatin1Char('\n'), 0, 0);
        QString name = first.section(QLatin1String(": "), 0, 0);
        if (name.startsWith(QLatin1String("config")))
            name = first.section(QLatin1String(": "), 1, 1);
        *field = name.trimmed();
        return r;
    }
    if (m_options.configPath.isEmpty())
        return Result::failure(ErrorCode::Config, QStringLiteral("no configuration file"));
    if (!configWritable())
        return Result::failure(
            ErrorCode::Config,
            QStringLiteral("the service may not write its configuration file %1 (the packaged "
                           "unit keeps it read-only for the service); an admin changes it with "
                           "sudoedit %1, then: systemctl reload pollux")
                .arg(m_options.configPath));
    if (m_hooks.check) {
        if (r = m_hooks.check(config); !r)
            return r; // nothing written: the file on disk stays the one in use
    }
    if (r = config.save(m_options.configPath); !r) // atomic (QSaveFile)
        return r;
    emit configWritten(m_options.configPath);
    activity(QStringLiteral("configuration written to %1").arg(m_options.configPath));
    if (m_hooks.reload)
        return m_hooks.reload(config); // its owner calls configurationReloaded() when done
    configurationReloaded();
    return Result::success();
}

void ControlServer::configurationReloaded()
{
    const Config config = m_hooks.config ? m_hooks.config() : Config{};
    QStringList names;
    QMap<QString, AccountState> kept;
    for (const AccountConfig &a : config.accounts) {
        if (!a.enabled)
            continue;
        names << a.name;
        if (m_accounts.contains(a.name)) {
            AccountState st = m_accounts.value(a.name);
            if (st.state == QLatin1String("polling"))
                st.state =
                    st.code == ErrorCode::None ? QStringLiteral("idle") : QStringLiteral("error");
            kept.insert(a.name, st);
        }
    }
    m_accounts = kept;
    activity(QStringLiteral("configuration reloaded"));
    event(QStringLiteral("restarted"),
          {{QStringLiteral("accounts"), QJsonArray::fromStringList(names)}});
    broadcast(QJsonObject{{QStringLiteral("type"), QStringLiteral("snapshot")},
                          {QStringLiteral("snapshot"), snapshot().toJson()}});
}

Snapshot ControlServer::snapshot() const
{
    Snapshot s;
    s.paused = m_engine->isPaused();
    s.running = m_engine->isRunning();
    const Config config = m_hooks.config ? m_hooks.config() : Config{};
    for (const AccountConfig &a : config.accounts) {
        if (!a.enabled)
            continue;
        AccountState st = m_accounts.value(a.name);
        st.name = a.name;
        s.accounts.append(st);
    }
    s.officeState = m_officeError.isEmpty() ? QStringLiteral("ok") : QStringLiteral("failing");
    s.officeError = m_officeError;
    s.officeCode = m_officeError.isEmpty() ? ErrorCode::None : m_officeCode;
    s.officeSince = m_officeError.isEmpty() ? QDateTime() : m_officeSince;
    s.storageError = m_storageError;
    for (const auto &p : m_waiting) {
        if (s.waiting.size() >= kMaxBacklogEntries)
            break;
        s.waiting.append(p);
    }
    for (const auto &p : m_refused) {
        if (s.refused.size() >= kMaxBacklogEntries)
            break;
        s.refused.append(p);
    }
    s.waitingByAccount = m_waitingCounts;
    s.waitingKnown = m_waitingKnown;
    s.activity = m_activity;
    return s;
}

void ControlServer::send(QLocalSocket *socket, const QJsonObject &message)
{
    if (!socket || socket->state() != QLocalSocket::ConnectedState)
        return;
    if (socket->bytesToWrite() > m_options.maxPendingWriteBytes) {
        qCWarning(lcControl, "a client does not read: closed");
        m_clients.remove(socket);
        socket->abort();
        return;
    }
    socket->write(encode(message));
}

void ControlServer::sendError(QLocalSocket *socket, const QString &code, const QString &message,
                              bool close)
{
    send(socket, QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                             {QStringLiteral("code"), code},
                             {QStringLiteral("message"), message}});
    if (close && socket) {
        socket->disconnectFromServer(); // after what is written
        // A peer that does not read the error does not keep the connection.
        QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
    }
}

void ControlServer::reply(QLocalSocket *socket, const QJsonValue &id, const Result &result,
                          QJsonObject extra)
{
    extra.insert(QStringLiteral("type"), QStringLiteral("reply"));
    extra.insert(QStringLiteral("id"), id);
    extra.insert(QStringLiteral("ok"), result.ok());
    if (!result.ok())
        extra.insert(QStringLiteral("error"), resultToJson(result));
    send(socket, extra);
}

void ControlServer::broadcast(const QJsonObject &message)
{
    const auto clients = m_clients.values();
    for (const auto &c : clients)
        if (c->helloDone)
            send(c->socket, message);
}

void ControlServer::event(const QString &name, QJsonObject fields)
{
    fields.insert(QStringLiteral("type"), QStringLiteral("event"));
    fields.insert(QStringLiteral("event"), name);
    broadcast(fields);
}

void ControlServer::activity(const QString &line)
{
    const QString stamped =
        QDateTime::currentDateTimeUtc().toString(Qt::ISODate) + QLatin1Char(' ') + line;
    m_activity.append(stamped);
    while (m_activity.size() > kMaxActivityLines)
        m_activity.removeFirst();
    event(QStringLiteral("activity"), {{QStringLiteral("line"), stamped}});
}

void ControlServer::watchEngine()
{
    const auto accountField = [](const QString &a) {
        return QJsonObject{{QStringLiteral("account"), a}};
    };
    connect(m_engine, &Engine::passStarted, this, [this, accountField](const QString &a) {
        AccountState &st = m_accounts[a];
        st.state = QStringLiteral("polling");
        st.done = st.total = 0;
        event(QStringLiteral("passStarted"), accountField(a));
    });
    connect(m_engine, &Engine::passProgress, this, [this](const QString &a, int done, int total) {
        AccountState &st = m_accounts[a];
        st.done = done;
        st.total = total;
        event(QStringLiteral("passProgress"), {{QStringLiteral("account"), a},
                                               {QStringLiteral("done"), done},
                                               {QStringLiteral("total"), total}});
    });
    connect(m_engine, &Engine::passFinished, this,
            [this](const QString &a, const Result &r, int collected) {
                AccountState &st = m_accounts[a];
                st.state = r.ok() ? QStringLiteral("idle") : QStringLiteral("error");
                st.lastPass = QDateTime::currentDateTimeUtc();
                st.setResult(r);
                st.collected = collected;
                if (r.ok())
                    st.lastSuccess = st.lastPass;
                if (r.ok())
                    m_storageError.clear();
                activity(r.ok() ? QStringLiteral("%1: pass OK, %2 collected").arg(a).arg(collected)
                                : QStringLiteral("%1: pass failed: %2 %3")
                                      .arg(a, errorCodeName(r.code()), r.message()));
                event(QStringLiteral("passFinished"), {{QStringLiteral("account"), a},
                                                       {QStringLiteral("result"), resultToJson(r)},
                                                       {QStringLiteral("collected"), collected}});
            });
    connect(m_engine, &Engine::delivered, this,
            [this](const QString &a, const QString &uid, const QString &replyText) {
                m_waiting.remove({a, uid});
                m_officeError.clear();
                m_storageError.clear();
                activity(QStringLiteral("%1: delivered %2").arg(a, uid));
                event(QStringLiteral("delivered"), {{QStringLiteral("account"), a},
                                                    {QStringLiteral("uid"), uid},
                                                    {QStringLiteral("reply"), replyText}});
            });
    connect(m_engine, &Engine::deferred, this,
            [this](const QString &a, const QString &uid, const QString &replyText,
                   const QDateTime &next) {
                m_waiting.insert({a, uid});
                activity(QStringLiteral("%1: %2 waits: %3").arg(a, uid, replyText));
                event(QStringLiteral("deferred"),
                      {{QStringLiteral("account"), a},
                       {QStringLiteral("uid"), uid},
                       {QStringLiteral("reply"), replyText},
                       {QStringLiteral("nextAttempt"), next.toUTC().toString(Qt::ISODate)}});
            });
    connect(m_engine, &Engine::quarantined, this,
            [this](const QString &a, const QString &uid, const QString &replyText,
                   const QString &folder) {
                m_waiting.remove({a, uid});
                m_refused.insert({a, uid});
                activity(QStringLiteral("%1: %2 refused: %3").arg(a, uid, replyText));
                event(QStringLiteral("quarantined"), {{QStringLiteral("account"), a},
                                                      {QStringLiteral("uid"), uid},
                                                      {QStringLiteral("reply"), replyText},
                                                      {QStringLiteral("folder"), folder}});
            });
    connect(m_engine, &Engine::deliveryError, this, [this](const Result &r) {
        if (m_officeError.isEmpty())
            m_officeSince = QDateTime::currentDateTimeUtc();
        m_officeCode = r.code();
        m_officeError = r.message().isEmpty() ? errorCodeName(r.code()) : r.message();
        activity(QStringLiteral("office server: %1").arg(m_officeError));
        event(QStringLiteral("deliveryError"), {{QStringLiteral("result"), resultToJson(r)}});
    });
    connect(m_engine, &Engine::storageError, this, [this](const Result &r) {
        m_storageError = r.message().isEmpty() ? errorCodeName(r.code()) : r.message();
        activity(QStringLiteral("storage: %1").arg(m_storageError));
        event(QStringLiteral("storageError"), {{QStringLiteral("result"), resultToJson(r)}});
    });
    connect(m_engine, &Engine::spoolLimitReached, this,
            [this](const QString &a, int left, qint64 waitingBytes, qint64 limitBytes) {
                event(QStringLiteral("spoolLimitReached"),
                      {{QStringLiteral("account"), a},
                       {QStringLiteral("leftOnServer"), left},
                       {QStringLiteral("waitingBytes"), double(waitingBytes)},
                       {QStringLiteral("limitBytes"), double(limitBytes)}});
            });
    connect(m_engine, &Engine::nextPass, this, [this](const QString &a, const QDateTime &when) {
        m_accounts[a].nextPass = when; // sent with the next snapshot
    });
    // Counted shortly after every pass and delivery: the clients get a fresh snapshot (with
    // the next passes too).
    connect(m_engine, &Engine::waitingCounted, this, [this](const QMap<QString, int> &counts) {
        m_waitingCounts = counts;
        m_waitingKnown = true;
        broadcast(QJsonObject{{QStringLiteral("type"), QStringLiteral("snapshot")},
                              {QStringLiteral("snapshot"), snapshot().toJson()}});
    });
    connect(m_engine, &Engine::signInState, this,
            [this](const QString &a, bool needed, const QDateTime &expires, const QString &detail) {
                event(QStringLiteral("signInState"),
                      {{QStringLiteral("account"), a},
                       {QStringLiteral("needed"), needed},
                       {QStringLiteral("refreshExpiresAt"),
                        expires.isValid() ? expires.toUTC().toString(Qt::ISODate) : QString()},
                       {QStringLiteral("detail"), detail}});
            });
}

} // namespace pollux::control
