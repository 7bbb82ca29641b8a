#include "support/CyrusServer.h"

#include "support/FreePort.h"
#include "support/ProcessUtil.h"
#include "support/TestCa.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>
#include <QStringList>
#include <QTcpSocket>

#include <csignal>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace pollux::test {

namespace {

constexpr int startTimeoutMs = 20000;
constexpr int sessionTimeoutMs = 15000;
const QString serverName = QStringLiteral("pollux-cyrus");

// Where cyrus-common puts master and the tools; imapd/pop3d may be there too (a system-wide
// cyrus-imapd) or in the unpacked packages of deploy/install-deps.sh.
QString cyrusBinary(const QString &name)
{
    const QString root = qEnvironmentVariableIsSet("POLLUX_CYRUS_ROOT")
                             ? qEnvironmentVariable("POLLUX_CYRUS_ROOT")
                             : QStringLiteral("/var/cache/pollux-test/cyrus");
    const QStringList dirs{QStringLiteral("/usr/lib/cyrus/bin"),
                           root + QStringLiteral("/usr/lib/cyrus/bin")};
    for (const QString &dir : dirs) {
        const QString path = dir + QLatin1Char('/') + name;
        if (QFileInfo(path).isExecutable())
            return path;
    }
    return QString();
}

QByteArray imapQuoted(const QString &s)
{
    QByteArray out = s.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"");
    return '"' + out + '"';
}

// Reads lines until the tagged reply to `tag`; the untagged ones go to *untagged.
bool readTagged(QTcpSocket &socket, const QByteArray &tag, QByteArray *untagged)
{
    while (true) {
        while (!socket.canReadLine()) {
            if (!socket.waitForReadyRead(sessionTimeoutMs))
                return false;
        }
        const QByteArray line = socket.readLine();
        if (line.startsWith(QByteArray(tag + ' ')))
            return line.mid(tag.size() + 1).startsWith("OK");
        if (untagged)
            *untagged += line;
    }
}

} // namespace

CyrusServer::CyrusServer() = default;

CyrusServer::~CyrusServer()
{
    stop();
}

bool CyrusServer::ensureDir(QString *error)
{
    if (m_dir)
        return m_dir->isValid();
    const passwd *pw = ::getpwuid(::geteuid());
    if (::geteuid() == 0)
        pw = ::getpwnam("cyrus");
    if (!pw) {
        *error = QStringLiteral("no \"cyrus\" user; run deploy/install-deps.sh (cyrus-common)");
        return false;
    }
    m_runUser = QString::fromLocal8Bit(pw->pw_name);
    m_uid = pw->pw_uid;
    m_gid = pw->pw_gid;
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/pollux-cyrus-XXXXXX"));
    if (!m_dir->isValid()) {
        *error = QStringLiteral("cannot create a temporary directory for Cyrus");
        return false;
    }
    m_dir->setAutoRemove(!qEnvironmentVariableIsSet("POLLUX_KEEP_FIXTURES"));
    QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                             QFile::ExeGroup | QFile::ExeOther);
    const QDir root(m_dir->path());
    for (const char *sub : {"lib", "spool", "socket", "tls"}) {
        if (!root.mkpath(QLatin1String(sub)) || !changeOwner(root.filePath(QLatin1String(sub)))) {
            *error = QStringLiteral("cannot prepare the Cyrus directory ") + QLatin1String(sub);
            return false;
        }
    }
    // The services read the key after dropping to the run user: a copy that user owns.
    const QString cert = root.filePath(QStringLiteral("tls/cert.pem"));
    const QString key = root.filePath(QStringLiteral("tls/key.pem"));
    if (!QFile::copy(TestCa::instance().certPath(), cert) ||
        !QFile::copy(TestCa::instance().keyPath(), key) || !changeOwner(cert) ||
        !changeOwner(key) || !QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner)) {
        *error = QStringLiteral("cannot copy the TestCa certificate for Cyrus");
        return false;
    }
    return true;
}

bool CyrusServer::changeOwner(const QString &path) const
{
    if (::geteuid() != 0)
        return true;
    return ::chown(QFile::encodeName(path).constData(), m_uid, m_gid) == 0;
}

bool CyrusServer::start(QString *error)
{
    if (isRunning())
        return true;
    if (!TestCa::instance().ok()) {
        *error = TestCa::instance().error();
        return false;
    }
    for (const char *name : {"master", "ctl_cyrusdb", "imapd", "pop3d"}) {
        if (cyrusBinary(QLatin1String(name)).isEmpty()) {
            *error = QStringLiteral("Cyrus' %1 not found; run deploy/install-deps.sh "
                                    "(cyrus-common, cyrus-imapd and cyrus-pop3d unpacked into "
                                    "/var/cache/pollux-test/cyrus)")
                         .arg(QLatin1String(name));
            return false;
        }
    }
    if (!ensureDir(error))
        return false;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (startOnce(error))
            return true;
    }
    return false;
}

bool CyrusServer::writeTemplate(const QString &name, QString *error) const
{
    QFile in(QStringLiteral(POLLUX_FIXTURES_DIR "/cyrus/") + name + QStringLiteral(".in"));
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + in.fileName();
        return false;
    }
    QString text = QString::fromUtf8(in.readAll());
    QMap<QString, QString> values{
        {QStringLiteral("DIR"), m_dir->path()},
        {QStringLiteral("CONF"), m_dir->filePath(QStringLiteral("imapd.conf"))},
        {QStringLiteral("SERVERNAME"), serverName},
        {QStringLiteral("CYRUS_USER"), m_runUser},
        {QStringLiteral("CTL_CYRUSDB"), cyrusBinary(QStringLiteral("ctl_cyrusdb"))},
        {QStringLiteral("IMAPD"), cyrusBinary(QStringLiteral("imapd"))},
        {QStringLiteral("POP3D"), cyrusBinary(QStringLiteral("pop3d"))},
    };
    for (auto it = m_ports.cbegin(); it != m_ports.cend(); ++it)
        values.insert(it.key(), QString::number(it.value()));
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        text.replace(QLatin1Char('@') + it.key() + QLatin1Char('@'), it.value());
    QFile out(m_dir->filePath(name));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(text.toUtf8()) < 0) {
        *error = QStringLiteral("cannot write ") + out.fileName();
        return false;
    }
    out.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    return true;
}

bool CyrusServer::startOnce(QString *error)
{
    m_ports.clear();
    for (const char *name : {"POP3_PORT", "POP3S_PORT", "IMAP_PORT", "IMAPS_PORT"}) {
        quint16 port = 0;
        do {
            port = freePort();
        } while (port != 0 && std::find(m_ports.cbegin(), m_ports.cend(), port) != m_ports.cend());
        if (port == 0) {
            *error = QStringLiteral("no free port on 127.0.0.1");
            return false;
        }
        m_ports.insert(QLatin1String(name), port);
    }
    if (!writeTemplate(QStringLiteral("imapd.conf"), error) ||
        !writeTemplate(QStringLiteral("cyrus.conf"), error))
        return false;
    m_master.setProcessChannelMode(QProcess::MergedChannels);
    m_master.setStandardOutputFile(m_dir->filePath(QStringLiteral("master.log")),
                                   QIODevice::Append);
    // If the test process dies without running destructors, the master goes with it.
    m_master.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    // -D: keep stdout/stderr (the log above); the master stays in the foreground.
    m_master.start(cyrusBinary(QStringLiteral("master")),
                   {QStringLiteral("-D"), QStringLiteral("-C"),
                    m_dir->filePath(QStringLiteral("imapd.conf")), QStringLiteral("-M"),
                    m_dir->filePath(QStringLiteral("cyrus.conf")), QStringLiteral("-p"),
                    m_dir->filePath(QStringLiteral("master.pid"))});
    if (!m_master.waitForStarted(startTimeoutMs)) {
        *error = QStringLiteral("cannot start Cyrus' master: ") + m_master.errorString();
        return false;
    }
    const bool listening = waitUntil(
        [this] {
            if (!isRunning())
                return true;
            for (quint16 port : std::as_const(m_ports)) {
                if (!portAccepts(port))
                    return false;
            }
            return true;
        },
        startTimeoutMs);
    if (listening && isRunning())
        return true;
    *error = QStringLiteral("Cyrus did not start listening (") +
             (listening ? QStringLiteral("it exited") : QStringLiteral("timeout")) +
             QStringLiteral("):\n") + logTail();
    stop();
    return false;
}

bool CyrusServer::stop()
{
    return stopProcessTree(m_master);
}

bool CyrusServer::isRunning() const
{
    return m_master.state() == QProcess::Running;
}

bool CyrusServer::addUser(const QString &user, const QString &password)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9._-]+$"));
    QString error;
    if (!valid.match(user).hasMatch() || !ensureDir(&error))
        return false;
    const QString db = m_dir->filePath(QStringLiteral("sasldb2"));
    QProcess saslpasswd;
    saslpasswd.setProcessChannelMode(QProcess::MergedChannels);
    // -p: the password on stdin, never on a command line.
    saslpasswd.start(QStringLiteral("saslpasswd2"),
                     {QStringLiteral("-f"), db, QStringLiteral("-c"), QStringLiteral("-p"),
                      QStringLiteral("-u"), serverName, user});
    if (!saslpasswd.waitForStarted(startTimeoutMs))
        return false;
    saslpasswd.write(password.toUtf8());
    saslpasswd.closeWriteChannel();
    if (!saslpasswd.waitForFinished(startTimeoutMs) || saslpasswd.exitCode() != 0) {
        qWarning("saslpasswd2 failed: %s", saslpasswd.readAll().constData());
        return false;
    }
    m_passwords.insert(user, password);
    return changeOwner(db);
}

bool CyrusServer::imapCommand(const QString &user, const QByteArray &command,
                              const QByteArray &literal, QByteArray *untagged) const
{
    if (!m_passwords.contains(user) || !isRunning())
        return false;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, imapPort());
    if (!socket.waitForConnected(sessionTimeoutMs))
        return false;
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(sessionTimeoutMs))
            return false;
    }
    if (!socket.readLine().startsWith("* OK"))
        return false;
    socket.write("a1 LOGIN " + imapQuoted(user) + ' ' + imapQuoted(m_passwords.value(user)) +
                 "\r\n");
    if (!readTagged(socket, "a1", nullptr))
        return false;
    QByteArray line = "a2 " + command;
    if (!literal.isNull())
        line += " {" + QByteArray::number(literal.size()) + "+}\r\n" + literal;
    socket.write(line + "\r\n");
    const bool ok = readTagged(socket, "a2", untagged);
    socket.write("a3 LOGOUT\r\n");
    readTagged(socket, "a3", nullptr);
    socket.disconnectFromHost();
    return ok;
}

bool CyrusServer::deliver(const QString &user, const QByteArray &message)
{
    return imapCommand(user, "APPEND INBOX", message, nullptr);
}

int CyrusServer::messageCount(const QString &user) const
{
    QByteArray untagged;
    if (!imapCommand(user, "STATUS INBOX (MESSAGES)", QByteArray(), &untagged))
        return -1;
    static const QRegularExpression re(QStringLiteral("\\(MESSAGES (\\d+)\\)"));
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(untagged));
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

QString CyrusServer::logTail() const
{
    return m_dir ? QStringLiteral("cyrus master:\n") +
                       fileTail(m_dir->filePath(QStringLiteral("master.log")))
                 : QString();
}

} // namespace pollux::test
