#include "ControlClient.h"

#include "JsonNumber.h"

#include "ControlServer.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QTimer>

namespace pollux::control {

namespace {
QJsonObject helloMessage()
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                       {QStringLiteral("version"), kProtocolVersion},
                       {QStringLiteral("client"), QStringLiteral("pollux-tray")}};
}
} // namespace

ControlClient::ControlClient(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_socket(new QLocalSocket(this)),
      m_retry(new QTimer(this)), m_connectTimer(new QTimer(this))
{
    qRegisterMetaType<pollux::control::Snapshot>();
    qRegisterMetaType<pollux::Result>();
    if (m_options.socketPath.isEmpty())
        m_options.socketPath = ControlServer::defaultSocketPath();
    m_retry->setSingleShot(true);
    m_connectTimer->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &ControlClient::connectToService);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        // No answer in time (a hung service): treat as gone.
        m_socket->abort();
        onGone();
    });
    connect(m_socket, &QLocalSocket::connected, this, &ControlClient::onConnected);
    connect(m_socket, &QLocalSocket::readyRead, this, &ControlClient::onReadyRead);
    connect(m_socket, &QLocalSocket::disconnected, this, &ControlClient::onGone);
    connect(m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError) {
        if (m_socket->state() == QLocalSocket::UnconnectedState)
            onGone();
    });
}

ControlClient::~ControlClient()
{
    m_wanted = false;
    m_socket->disconnect(this);
    // No callback from here: their owners (the tray, the controller) may be gone already,
    // as they are when the tray quits; a request still open has no one left to answer.
    const auto pending = std::exchange(m_pending, {});
    for (const Pending &p : pending)
        delete p.timer;
}

bool ControlClient::serviceAnswers(const QString &path, int timeoutMs, QString *refusal)
{
    QDeadlineTimer deadline(timeoutMs);
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return false;
    socket.write(encode(helloMessage()));
    LineReader reader;
    QByteArray line;
    while (!deadline.hasExpired()) {
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            break;
        reader.feed(socket.readAll());
        if (reader.next(line)) {
            QJsonObject o;
            if (parseMessage(line, o) != ParseError::None)
                return false;
            const QString type = o.value(QLatin1String("type")).toString();
            if (type == QLatin1String("error") && refusal)
                *refusal = o.value(QLatin1String("message")).toString();
            // A service that refuses us still runs: the tray must not start its own engine.
            return type == QLatin1String("hello") || type == QLatin1String("error");
        }
        if (reader.overflowed())
            return false;
    }
    return false;
}

bool ControlClient::fetchSnapshot(const QString &path, int timeoutMs, Snapshot *out, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    QDeadlineTimer deadline(timeoutMs);
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return fail(QStringLiteral("no Pollux service answers on %1").arg(path));
    socket.write(encode(helloMessage()));
    LineReader reader;
    QByteArray line;
    while (!deadline.hasExpired()) {
        while (reader.next(line)) {
            QJsonObject o;
            if (parseMessage(line, o) != ParseError::None)
                return fail(QStringLiteral("the service sent something that is not the protocol"));
            const QString type = o.value(QLatin1String("type")).toString();
            if (type == QLatin1String("error"))
                return fail(o.value(QLatin1String("message")).toString());
            if (type == QLatin1String("snapshot")) {
                *out = Snapshot::fromJson(o.value(QLatin1String("snapshot")).toObject());
                return true;
            }
        }
        if (reader.overflowed())
            return fail(QStringLiteral("the service sent an overlong line"));
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            break;
        reader.feed(socket.readAll());
    }
    return fail(QStringLiteral("the Pollux service on %1 did not answer in time").arg(path));
}

void ControlClient::connectToService()
{
    m_wanted = true;
    m_retry->stop();
    if (m_state == State::Connecting || m_state == State::Attached)
        return;
    m_state = State::Connecting;
    m_reader = LineReader();
    m_connectTimer->start(m_options.connectTimeoutMs);
    m_socket->connectToServer(m_options.socketPath);
}

void ControlClient::disconnectFromService()
{
    m_wanted = false;
    m_retry->stop();
    m_socket->abort();
    if (m_state != State::Refused)
        m_state = State::Disconnected;
}

void ControlClient::onConnected()
{
    m_socket->write(encode(helloMessage()));
}

void ControlClient::onReadyRead()
{
    m_reader.feed(m_socket->readAll());
    QByteArray line;
    while (m_reader.next(line)) {
        QJsonObject message;
        if (parseMessage(line, message) != ParseError::None)
            continue; // a garbled line from the service: skip it
        handle(message);
        if (m_socket->state() != QLocalSocket::ConnectedState)
            return;
    }
    if (m_reader.overflowed()) {
        m_socket->abort();
        onGone();
    }
}

void ControlClient::onGone()
{
    m_connectTimer->stop();
    const bool wasAttached = m_state == State::Attached;
    if (m_state != State::Refused)
        m_state = State::Disconnected;
    failAll(Result::failure(ErrorCode::Network, QStringLiteral("the service is gone")));
    if (wasAttached)
        emit detached();
    if (m_state == State::Disconnected && m_wanted && m_options.reconnect)
        scheduleRetry();
}

void ControlClient::scheduleRetry()
{
    if (m_retry->isActive())
        return;
    m_retryMs = m_retryMs == 0 ? m_options.retryMinMs : qMin(m_retryMs * 2, m_options.retryMaxMs);
    m_retry->start(m_retryMs);
}

void ControlClient::handle(const QJsonObject &message)
{
    const QString type = message.value(QLatin1String("type")).toString();
    if (type == QLatin1String("hello")) {
        m_connectTimer->stop();
        if (message.value(QLatin1String("version")).toInt() != kProtocolVersion) {
            m_state = State::Refused;
            m_refusal = QStringLiteral("the service speaks another protocol version");
            m_socket->abort();
            emit refused(m_refusal);
            return;
        }
        m_state = State::Attached;
        m_retryMs = 0;
        m_admin = message.value(QLatin1String("access")).toString() == QLatin1String("admin");
        m_configPath = message.value(QLatin1String("configPath")).toString();
        m_configWritable = message.value(QLatin1String("configWritable")).toBool(true);
        m_databasePath = message.value(QLatin1String("databasePath")).toString();
        m_spoolDirectory = message.value(QLatin1String("spoolDirectory")).toString();
        emit attached();
    } else if (type == QLatin1String("snapshot")) {
        m_snapshot = Snapshot::fromJson(message.value(QLatin1String("snapshot")).toObject());
        emit snapshotReceived(m_snapshot);
    } else if (type == QLatin1String("error")) {
        const QString code = message.value(QLatin1String("code")).toString();
        m_refusal = message.value(QLatin1String("message")).toString();
        if (code == QLatin1String("permission") || code == QLatin1String("version")) {
            m_state = State::Refused;
            m_connectTimer->stop();
            emit refused(m_refusal);
        }
    } else if (type == QLatin1String("reply")) {
        const qint64 id = jsonInteger(message.value(QLatin1String("id")), -1);
        const auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        Pending p = it.value();
        m_pending.erase(it);
        delete p.timer;
        const Result r = message.value(QLatin1String("ok")).toBool()
                             ? Result::success()
                             : resultFromJson(message.value(QLatin1String("error")).toObject());
        if (p.done)
            p.done(r, message);
    } else if (type == QLatin1String("event")) {
        handleEvent(message);
    }
}

void ControlClient::handleEvent(const QJsonObject &m)
{
    const QString e = m.value(QLatin1String("event")).toString();
    const QString account = m.value(QLatin1String("account")).toString();
    const auto str = [&m](const char *key) { return m.value(QLatin1String(key)).toString(); };
    const auto result = [&m] {
        return resultFromJson(m.value(QLatin1String("result")).toObject());
    };
    const auto okResult = [&m, &result] {
        const QJsonObject r = m.value(QLatin1String("result")).toObject();
        return r.value(QLatin1String("codeNumber")).toInt(-1) == 0 ? Result::success() : result();
    };
    if (e == QLatin1String("passStarted")) {
        emit passStarted(account);
    } else if (e == QLatin1String("passProgress")) {
        emit passProgress(account, m.value(QLatin1String("done")).toInt(),
                          m.value(QLatin1String("total")).toInt());
    } else if (e == QLatin1String("passFinished")) {
        emit passFinished(account, okResult(), m.value(QLatin1String("collected")).toInt());
    } else if (e == QLatin1String("delivered")) {
        emit delivered(account, str("uid"), str("reply"));
    } else if (e == QLatin1String("deferred")) {
        emit deferred(account, str("uid"), str("reply"),
                      QDateTime::fromString(str("nextAttempt"), Qt::ISODate));
    } else if (e == QLatin1String("quarantined")) {
        emit quarantined(account, str("uid"), str("reply"), str("folder"));
    } else if (e == QLatin1String("deliveryError")) {
        emit deliveryError(result());
    } else if (e == QLatin1String("storageError")) {
        emit storageError(result());
    } else if (e == QLatin1String("spoolLimitReached")) {
        emit spoolLimitReached(account, m.value(QLatin1String("leftOnServer")).toInt(),
                               jsonInteger(m.value(QLatin1String("waitingBytes")), 0),
                               jsonInteger(m.value(QLatin1String("limitBytes")), 0));
    } else if (e == QLatin1String("signInState")) {
        emit signInState(account, m.value(QLatin1String("needed")).toBool(),
                         QDateTime::fromString(str("refreshExpiresAt"), Qt::ISODate),
                         str("detail"));
    } else if (e == QLatin1String("paused")) {
        m_snapshot.paused = m.value(QLatin1String("paused")).toBool();
        emit pausedChanged(m_snapshot.paused);
    } else if (e == QLatin1String("restarted")) {
        QStringList names;
        const QJsonArray list = m.value(QLatin1String("accounts")).toArray();
        for (const QJsonValue &v : list)
            names << v.toString();
        emit restarted(names);
    } else if (e == QLatin1String("activity")) {
        const QString line = str("line");
        m_snapshot.activity.append(line);
        while (m_snapshot.activity.size() > kMaxActivityLines)
            m_snapshot.activity.removeFirst();
        emit activityLine(line);
    }
}

void ControlClient::request(QJsonObject message, Callback done)
{
    if (m_state != State::Attached) {
        if (done)
            done(Result::failure(ErrorCode::Network, QStringLiteral("the service is not running")),
                 {});
        return;
    }
    const qint64 id = m_nextId++;
    message.insert(QStringLiteral("id"), double(id));
    Pending p;
    p.done = std::move(done);
    p.timer = new QTimer(this);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this, [this, id] {
        const auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        Pending gone = it.value();
        m_pending.erase(it);
        gone.timer->deleteLater();
        if (gone.done)
            gone.done(
                Result::failure(ErrorCode::Timeout, QStringLiteral("the service did not answer")),
                {});
    });
    p.timer->start(m_options.requestTimeoutMs);
    m_pending.insert(id, p);
    m_socket->write(encode(message));
}

void ControlClient::failAll(const Result &why)
{
    const auto pending = std::exchange(m_pending, {});
    for (const Pending &p : pending) {
        delete p.timer;
        if (p.done)
            p.done(why, {});
    }
}

void ControlClient::pollNow(const QString &account, Callback done)
{
    QJsonObject m{{QStringLiteral("type"), QStringLiteral("pollNow")}};
    if (!account.isEmpty())
        m.insert(QStringLiteral("account"), account);
    request(m, std::move(done));
}

void ControlClient::setPaused(bool paused, Callback done)
{
    request({{QStringLiteral("type"), QStringLiteral("pause")}, {QStringLiteral("paused"), paused}},
            std::move(done));
}

void ControlClient::retryRefused(qint64 messageId, Callback done)
{
    request({{QStringLiteral("type"), QStringLiteral("retryRefused")},
             {QStringLiteral("message"), double(messageId)}},
            std::move(done));
}

void ControlClient::discardRefused(qint64 messageId, Callback done)
{
    request({{QStringLiteral("type"), QStringLiteral("discardRefused")},
             {QStringLiteral("message"), double(messageId)}},
            std::move(done));
}

void ControlClient::getConfig(std::function<void(const Result &, const Config &)> done)
{
    request({{QStringLiteral("type"), QStringLiteral("getConfig")}},
            [done](const Result &r, const QJsonObject &reply) {
                Config c;
                Result parsed = r;
                if (r)
                    parsed = Config::parse(
                        QJsonDocument(reply.value(QLatin1String("config")).toObject()).toJson(),
                        QStringLiteral("service"), c);
                done(parsed, c);
            });
}

void ControlClient::putConfig(const Config &config, Callback done)
{
    request({{QStringLiteral("type"), QStringLiteral("putConfig")},
             {QStringLiteral("config"), QJsonDocument::fromJson(config.toJson()).object()}},
            std::move(done));
}

} // namespace pollux::control
