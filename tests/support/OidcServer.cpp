#include "support/OidcServer.h"

#include "support/ProcessUtil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <csignal>
#include <sys/prctl.h>

namespace pollux::test {

namespace {
constexpr int startTimeoutMs = 20000;
} // namespace

OidcServer::OidcServer()
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
}

OidcServer::~OidcServer()
{
    stop();
}

QString OidcServer::modulesDir()
{
    QStringList candidates;
    const QString fromEnv = qEnvironmentVariable("POLLUX_OIDC_MODULES");
    if (!fromEnv.isEmpty())
        candidates << fromEnv;
    candidates << QStringLiteral("/var/cache/pollux-test/oidc/node_modules")
               << QStringLiteral(POLLUX_FIXTURES_DIR "/oidc/node_modules");
    for (const QString &dir : std::as_const(candidates)) {
        if (QFile::exists(dir + QStringLiteral("/oidc-provider/package.json")))
            return dir;
    }
    return {};
}

QString OidcServer::logPath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("oidc.log")) : QString();
}

QString OidcServer::logTail() const
{
    return fileTail(logPath());
}

bool OidcServer::start(QString *error)
{
    if (isRunning())
        return true;
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString modules = modulesDir();
    if (node.isEmpty() || modules.isEmpty()) {
        *error = QStringLiteral("node or oidc-provider not found; run deploy/install-deps.sh");
        return false;
    }
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/pollux-oidc-XXXXXX"));
    if (!m_dir->isValid()) {
        *error = QStringLiteral("cannot create a temporary directory for oidc-provider");
        return false;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OIDC_MODULES"), modules);
    env.insert(QStringLiteral("OIDC_ACCESS_TTL"), QString::number(m_accessTtl));
    env.insert(QStringLiteral("OIDC_REFRESH_TTL"), QString::number(m_refreshTtl));
    env.insert(QStringLiteral("OIDC_DEVICE_TTL"), QString::number(m_deviceTtl));
    env.insert(QStringLiteral("OIDC_ROTATION_GRACE"), QString::number(m_rotationGrace));
    env.insert(QStringLiteral("OIDC_USERS"), m_users.join(QLatin1Char(',')));
    env.insert(QStringLiteral("OIDC_APP_MAILBOX"), appMailbox());
    env.insert(QStringLiteral("NODE_ENV"), QStringLiteral("test"));
    m_process.setProcessEnvironment(env);
    m_process.setStandardErrorFile(logPath());
    m_process.start(node, {QStringLiteral(POLLUX_FIXTURES_DIR "/oidc/server.js")});
    if (!m_process.waitForStarted(startTimeoutMs)) {
        *error = QStringLiteral("cannot start node: ") + m_process.errorString();
        return false;
    }
    // The ready line: {"issuer": "http://127.0.0.1:<port>", "port": <port>}.
    QDeadlineTimer deadline(startTimeoutMs);
    QByteArray line;
    while (!m_process.canReadLine()) {
        if (m_process.state() != QProcess::Running || deadline.hasExpired()) {
            *error = QStringLiteral("oidc-provider did not start:\n") + logTail();
            stop();
            return false;
        }
        m_process.waitForReadyRead(100);
    }
    line = m_process.readLine();
    const QJsonObject ready = QJsonDocument::fromJson(line).object();
    m_issuer = ready.value(QLatin1String("issuer")).toString();
    m_port = quint16(ready.value(QLatin1String("port")).toInt());
    m_nodeVersion = ready.value(QLatin1String("node")).toString();
    if (m_issuer.isEmpty() || m_port == 0 || !portAccepts(m_port)) {
        *error = QStringLiteral("oidc-provider printed no usable issuer: ") +
                 QString::fromUtf8(line) + logTail();
        stop();
        return false;
    }
    return true;
}

bool OidcServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    return stopProcessTree(m_process);
}

} // namespace pollux::test
