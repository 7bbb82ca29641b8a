#include "support/LdapServer.h"

#include "support/FreePort.h"
#include "support/ProcessUtil.h"
#include "support/TestCa.h"

#include <QDir>
#include <QFile>

namespace pollux::test {

namespace {

constexpr int startTimeoutMs = 15000;

QString slapd()
{
    return QStringLiteral("/usr/sbin/slapd");
}

} // namespace

LdapServer::LdapServer() = default;

LdapServer::~LdapServer()
{
    stop();
}

QString LdapServer::url() const
{
    return QStringLiteral("ldap://127.0.0.1:%1").arg(m_port);
}

QString LdapServer::ldapsUrl() const
{
    return QStringLiteral("ldaps://127.0.0.1:%1").arg(m_ldapsPort);
}

QString LdapServer::caFile() const
{
    return TestCa::instance().caCertPath();
}

bool LdapServer::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

qint64 LdapServer::pid() const
{
    return m_process.processId();
}

QString LdapServer::logTail() const
{
    return m_dir ? fileTail(m_dir->filePath(QStringLiteral("slapd.log"))) : QString();
}

bool LdapServer::prepare(QString *error)
{
    if (m_dir)
        return true;
    if (!QFile::exists(slapd())) {
        *error = QStringLiteral("slapd is not installed (Debian package slapd)");
        return false;
    }
    const TestCa &ca = TestCa::instance();
    if (!ca.ok()) {
        *error = QStringLiteral("test CA: ") + ca.error();
        return false;
    }
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/pollux-ldap-XXXXXX"));
    m_dir->setAutoRemove(!qEnvironmentVariableIsSet("POLLUX_KEEP_FIXTURES"));
    if (!m_dir->isValid() || !QDir(m_dir->path()).mkpath(QStringLiteral("db"))) {
        *error = QStringLiteral("cannot create a temporary directory for slapd");
        return false;
    }
    QFile in(QStringLiteral(POLLUX_FIXTURES_DIR "/ldap/slapd.conf.in"));
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + in.fileName();
        return false;
    }
    QString conf = QString::fromUtf8(in.readAll());
    conf.replace(QLatin1String("@FIXTURES@"), QStringLiteral(POLLUX_FIXTURES_DIR));
    conf.replace(QLatin1String("@DIR@"), m_dir->path());
    conf.replace(QLatin1String("@CA@"), ca.caCertPath());
    conf.replace(QLatin1String("@CERT@"), ca.certPath());
    conf.replace(QLatin1String("@KEY@"), ca.keyPath());
    QFile out(m_dir->filePath(QStringLiteral("slapd.conf")));
    if (!out.open(QIODevice::WriteOnly) || out.write(conf.toUtf8()) < 0) {
        *error = QStringLiteral("cannot write ") + out.fileName();
        return false;
    }
    out.close();

    // Load the directory offline, before the server runs.
    QProcess add;
    add.setProcessChannelMode(QProcess::MergedChannels);
    add.start(QStringLiteral("/usr/sbin/slapadd"),
              {QStringLiteral("-q"), QStringLiteral("-f"), out.fileName(), QStringLiteral("-l"),
               QStringLiteral(POLLUX_FIXTURES_DIR "/ldap/directory.ldif")});
    if (!add.waitForFinished(startTimeoutMs) || add.exitStatus() != QProcess::NormalExit ||
        add.exitCode() != 0) {
        *error = QStringLiteral("slapadd failed: ") + QString::fromLocal8Bit(add.readAll());
        if (add.state() != QProcess::NotRunning)
            add.kill();
        return false;
    }
    return true;
}

bool LdapServer::startOnce(QString *error)
{
    m_port = freePort();
    m_ldapsPort = freePort();
    if (m_port == 0 || m_ldapsPort == 0 || m_port == m_ldapsPort) {
        *error = QStringLiteral("no free port for slapd");
        return false;
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_dir->filePath(QStringLiteral("slapd.log")),
                                    QIODevice::Append);
    // -d 0: stay in the foreground (so the PID is ours) without debug output.
    m_process.start(
        slapd(),
        {QStringLiteral("-f"), m_dir->filePath(QStringLiteral("slapd.conf")), QStringLiteral("-h"),
         QStringLiteral("ldap://127.0.0.1:%1/ ldaps://127.0.0.1:%2/").arg(m_port).arg(m_ldapsPort),
         QStringLiteral("-d"), QStringLiteral("0")});
    if (!m_process.waitForStarted(startTimeoutMs)) {
        *error = QStringLiteral("cannot start slapd: ") + m_process.errorString();
        return false;
    }
    const bool up = waitUntil(
        [this] {
            return m_process.state() == QProcess::NotRunning ||
                   (portAccepts(m_port) && portAccepts(m_ldapsPort));
        },
        startTimeoutMs);
    if (!up || m_process.state() == QProcess::NotRunning) {
        *error = QStringLiteral("slapd did not start: ") + logTail();
        stop();
        return false;
    }
    return true;
}

bool LdapServer::start(QString *error)
{
    if (isRunning())
        return true;
    if (!prepare(error))
        return false;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (startOnce(error))
            return true;
    }
    return false;
}

bool LdapServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    return stopProcessTree(m_process);
}

} // namespace pollux::test
