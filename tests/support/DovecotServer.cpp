#include "support/DovecotServer.h"

#include "support/FreePort.h"
#include "support/ProcessUtil.h"
#include "support/TestCa.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace pollux::test {

namespace {

constexpr int startTimeoutMs = 15000;
constexpr QFile::Permissions worldReadable =
    QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther;
constexpr QFile::Permissions worldTraversable =
    worldReadable | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;

QString dovecotBinary()
{
    const QString found = QStandardPaths::findExecutable(
        QStringLiteral("dovecot"),
        {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    return found.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("dovecot")) : found;
}

QString userName(uid_t uid)
{
    const passwd *pw = getpwuid(uid);
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(uid);
}

QString groupName(gid_t gid)
{
    const group *gr = getgrgid(gid);
    return gr ? QString::fromLocal8Bit(gr->gr_name) : QString::number(gid);
}

bool writeAtomically(const QString &path, const QByteArray &data, QFile::Permissions permissions)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return false;
    file.setPermissions(permissions);
    return file.commit();
}

} // namespace

DovecotServer::DovecotServer()
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // If the test process dies without running destructors, Dovecot goes with it.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
}

DovecotServer::~DovecotServer()
{
    stop();
}

bool DovecotServer::start(QString *error)
{
    if (isRunning())
        return true;
    if (!TestCa::instance().ok()) {
        *error = TestCa::instance().error();
        return false;
    }
    if (!ensureDir()) {
        *error = QStringLiteral("cannot create a temporary directory for Dovecot");
        return false;
    }
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (startOnce(error))
            return true;
    }
    return false;
}

bool DovecotServer::ensureDir()
{
    if (m_dir)
        return m_dir->isValid();
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                            QStringLiteral("/pollux-dovecot-XXXXXX"));
    if (!m_dir->isValid())
        return false;
    m_dir->setAutoRemove(!qEnvironmentVariableIsSet("POLLUX_KEEP_FIXTURES"));
    m_mailUid = geteuid();
    m_mailGid = getegid();
    if (m_mailUid == 0) {
        // Dovecot refuses to run mail processes as root: use Debian's "mail" user.
        const passwd *pw = getpwnam("mail");
        if (!pw)
            pw = getpwnam("nobody");
        if (!pw)
            return false;
        m_mailUid = pw->pw_uid;
        m_mailGid = pw->pw_gid;
    }
    // Dovecot's auth process runs as an unprivileged user when we are root: it must be
    // able to reach the passwd-file.
    QFile::setPermissions(m_dir->path(), worldTraversable);
    return QDir(m_dir->path()).mkpath(QStringLiteral("home"));
}

bool DovecotServer::startOnce(QString *error)
{
    if (!writeConfig(error))
        return false;
    const QString binary = dovecotBinary();
    if (binary.isEmpty()) {
        *error = QStringLiteral("dovecot not found; run deploy/install-deps.sh");
        return false;
    }
    m_process.start(binary, {QStringLiteral("-F"), QStringLiteral("-c"),
                             m_dir->filePath(QStringLiteral("dovecot.conf"))});
    if (!m_process.waitForStarted(startTimeoutMs)) {
        *error = QStringLiteral("cannot start dovecot: ") + m_process.errorString();
        return false;
    }
    const bool listening = waitUntil(
        [this] {
            if (m_process.state() != QProcess::Running)
                return true;
            for (quint16 port : std::as_const(m_ports)) {
                if (!portAccepts(port))
                    return false;
            }
            return true;
        },
        startTimeoutMs);
    if (listening && m_process.state() == QProcess::Running)
        return true;
    stop();
    *error = QStringLiteral("dovecot did not start listening (") +
             (listening ? QStringLiteral("it exited") : QStringLiteral("timeout")) +
             QStringLiteral("):\n") + QString::fromLocal8Bit(m_process.readAll()) + logTail();
    return false;
}

bool DovecotServer::writeConfig(QString *error)
{
    QFile templateFile(QStringLiteral(POLLUX_FIXTURES_DIR "/dovecot.conf.in"));
    if (!templateFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + templateFile.fileName();
        return false;
    }
    QString config = QString::fromUtf8(templateFile.readAll());
    const bool root = geteuid() == 0;
    const QString self = userName(geteuid());
    QMap<QString, QString> values{
        {QStringLiteral("BASE_DIR"), m_dir->filePath(QStringLiteral("run"))},
        {QStringLiteral("STATE_DIR"), m_dir->filePath(QStringLiteral("state"))},
        {QStringLiteral("INSTANCE"), instanceTag()},
        {QStringLiteral("LOG_PATH"), logPath()},
        {QStringLiteral("INTERNAL_USER"), root ? QStringLiteral("dovecot") : self},
        {QStringLiteral("INTERNAL_GROUP"), root ? QStringLiteral("dovecot") : groupName(getegid())},
        {QStringLiteral("LOGIN_USER"), root ? QStringLiteral("dovenull") : self},
        {QStringLiteral("UID"), QString::number(m_mailUid)},
        {QStringLiteral("GID"), QString::number(m_mailGid)},
        {QStringLiteral("SSL_CERT"),
         m_certPath.isEmpty() ? TestCa::instance().certPath() : m_certPath},
        {QStringLiteral("SSL_KEY"), m_keyPath.isEmpty() ? TestCa::instance().keyPath() : m_keyPath},
        {QStringLiteral("AUTH_MECHANISMS"),
         m_oauth2Key.isEmpty() && m_introspection.isEmpty()
             ? m_authMechanisms
             : m_authMechanisms + QStringLiteral(" xoauth2 oauthbearer")},
        {QStringLiteral("LISTEN"), m_listen.join(QLatin1Char(' '))},
        {QStringLiteral("PASSWD_FILE"), m_dir->filePath(QStringLiteral("passwd/%u"))},
        {QStringLiteral("HOME_DIR"), m_dir->filePath(QStringLiteral("home"))},
        // Without root nothing can chroot or change user.
        {QStringLiteral("LOGIN_CHROOT"), root ? QString() : QStringLiteral("  chroot =")},
        {QStringLiteral("ANVIL_CHROOT"), root ? QString() : QStringLiteral("  chroot =")},
    };
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
        values.insert(QLatin1String(name), QString::number(port));
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        config.replace(QLatin1Char('@') + it.key() + QLatin1Char('@'), it.value());
    if ((!m_oauth2Key.isEmpty() || !m_introspection.isEmpty()) && !writeOAuth2Config(&config)) {
        *error = QStringLiteral("cannot write the oauth2 passdb files");
        return false;
    }
    if (!writeAtomically(m_dir->filePath(QStringLiteral("dovecot.conf")), config.toUtf8(),
                         worldReadable)) {
        *error = QStringLiteral("cannot write dovecot.conf");
        return false;
    }
    return true;
}

bool DovecotServer::writeOAuth2Config(QString *config)
{
    const QDir dir(m_dir->path());
    const QString ext = dir.filePath(QStringLiteral("dovecot-oauth2.conf.ext"));
    if (!m_introspection.isEmpty()) {
        // Every token is asked about (no tokeninfo step), and only an active one passes.
        const QByteArray settings = "introspection_mode = post\n"
                                    "introspection_url = " +
                                    m_introspection.toEncoded() +
                                    "\n"
                                    "force_introspection = yes\n"
                                    "username_attribute = " +
                                    m_introspectionUser.toUtf8() +
                                    "\n"
                                    "active_attribute = active\n"
                                    "active_value = true\n"
                                    "timeout_msecs = 10000\n";
        // The URL holds the test client's secret; the auth process (an unprivileged user
        // when we are root) must read the file.
        if (!writeAtomically(ext, settings, worldReadable))
            return false;
    } else if (!writeLocalKey(ext)) {
        return false;
    }
    *config += QStringLiteral("\n# OAuth2 bearer tokens, after the passwd-file.\n"
                              "passdb {\n"
                              "  driver = oauth2\n"
                              "  mechanisms = xoauth2 oauthbearer\n"
                              "  args = ") +
               ext + QStringLiteral("\n}\n");
    return true;
}

bool DovecotServer::writeLocalKey(const QString &ext)
{
    // Local JWT validation, no HTTP: the key dict looks up "<azp>/<alg>/<kid>" (azp
    // "default" when the token has none) and holds the base64 of the HMAC secret.
    const QDir dir(m_dir->path());
    const QString keyDir = QStringLiteral("oauth2-keys/default/HS256");
    if (!dir.mkpath(keyDir))
        return false;
    for (const QString &sub :
         {QStringLiteral("oauth2-keys"), QStringLiteral("oauth2-keys/default"), keyDir}) {
        if (!QFile::setPermissions(dir.filePath(sub), worldTraversable))
            return false;
    }
    const QByteArray settings = "introspection_mode = local\n"
                                "local_validation_key_dict = fs:posix:prefix=" +
                                QFile::encodeName(dir.filePath(QStringLiteral("oauth2-keys"))) +
                                "/\nusername_attribute = sub\n";
    return writeAtomically(dir.filePath(keyDir + QStringLiteral("/default")),
                           m_oauth2Key.toBase64(), worldReadable) &&
           writeAtomically(ext, settings, worldReadable);
}

bool DovecotServer::writePasswdFile(const QString &user, const QString &password)
{
    // One file per user, so a user added while Dovecot runs is found at once (Dovecot
    // re-reads a changed passwd-file at most once per second). {PLAIN.BASE64}: passwords
    // may contain ':' and any UTF-8.
    const QByteArray line =
        user.toUtf8() + ":{PLAIN.BASE64}" + password.toUtf8().toBase64() + "::::::\n";
    return QDir(m_dir->path()).mkpath(QStringLiteral("passwd")) &&
           writeAtomically(m_dir->filePath(QStringLiteral("passwd/") + user), line, worldReadable);
}

QString DovecotServer::instanceTag() const
{
    // Dovecot puts instance_name into every process title: this finds orphans of ours.
    return QStringLiteral("pollux-test-") + QString::number(QCoreApplication::applicationPid()) +
           QLatin1Char('-') + QDir(m_dir->path()).dirName();
}

bool DovecotServer::stop()
{
    if (!m_dir)
        return true;
    const bool stopped = stopProcessTree(m_process);
    // Safety net: processes of this instance that were forked after we listed the tree.
    const QList<qint64> orphans = pidsWithCommandLine(instanceTag().toUtf8());
    return killAndWait(orphans) && stopped;
}

bool DovecotServer::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

qint64 DovecotServer::pid() const
{
    return m_process.processId();
}

QList<qint64> DovecotServer::childPids() const
{
    return isRunning() ? descendantPids(pid()) : QList<qint64>();
}

bool DovecotServer::addUser(const QString &user, const QString &password)
{
    if (user.isEmpty() || user.contains(QLatin1Char('/')) || user.contains(QLatin1Char(':')))
        return false;
    if (!ensureDir() || !ensureMaildir(user))
        return false;
    const QString path = m_dir->filePath(QStringLiteral("passwd/") + user);
    if (isRunning() && QFile::exists(path)) {
        // A changed file is noticed in the next second of Dovecot's clock: wait for it.
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        if (!writePasswdFile(user, password))
            return false;
        return waitUntil([now] { return QDateTime::currentSecsSinceEpoch() > now; }, 2000);
    }
    return writePasswdFile(user, password);
}

QString DovecotServer::maildir(const QString &user) const
{
    return m_dir ? m_dir->filePath(QStringLiteral("home/") + user + QStringLiteral("/Maildir"))
                 : QString();
}

bool DovecotServer::deliver(const QString &user, const QByteArray &message)
{
    if (!ensureDir() || !ensureMaildir(user))
        return false;
    const QDir dir(maildir(user));
    // time.M<counter>P<pid>.host,S=<size>: unique, and sorts in delivery order.
    const QString name = QStringLiteral("%1.M%2P%3.pollux,S=%4")
                             .arg(QDateTime::currentSecsSinceEpoch())
                             .arg(++m_delivered, 8, 10, QLatin1Char('0'))
                             .arg(QCoreApplication::applicationPid())
                             .arg(message.size());
    const QString tmpPath = dir.filePath(QStringLiteral("tmp/") + name);
    QFile file(tmpPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(message) != message.size())
        return false;
    file.close();
    return changeOwner(tmpPath) &&
           QFile::rename(tmpPath, dir.filePath(QStringLiteral("new/") + name));
}

QStringList DovecotServer::messageFiles(const QString &user) const
{
    QStringList files;
    const QString root = maildir(user);
    if (root.isEmpty())
        return files;
    for (const char *sub : {"cur", "new"}) {
        QDir dir(root + QLatin1Char('/') + QLatin1String(sub));
        const QStringList names = dir.entryList(QDir::Files);
        for (const QString &name : names)
            files.append(dir.filePath(name));
    }
    // Sort by file name (not directory): time, then our delivery counter.
    std::sort(files.begin(), files.end(), [](const QString &a, const QString &b) {
        return a.mid(a.lastIndexOf(QLatin1Char('/'))) < b.mid(b.lastIndexOf(QLatin1Char('/')));
    });
    return files;
}

int DovecotServer::messageCount(const QString &user) const
{
    return static_cast<int>(messageFiles(user).size());
}

QList<QByteArray> DovecotServer::messages(const QString &user) const
{
    QList<QByteArray> result;
    const QStringList files = messageFiles(user);
    for (const QString &path : files) {
        QFile file(path);
        result.append(file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray());
    }
    return result;
}

bool DovecotServer::ensureMaildir(const QString &user)
{
    QDir dir(maildir(user));
    if (dir.exists(QStringLiteral("new")))
        return true;
    const QString home = m_dir->filePath(QStringLiteral("home/") + user);
    for (const char *sub : {"tmp", "new", "cur"}) {
        if (!dir.mkpath(QLatin1String(sub)))
            return false;
    }
    for (const QString &path :
         {home, dir.path(), dir.filePath(QStringLiteral("tmp")),
          dir.filePath(QStringLiteral("new")), dir.filePath(QStringLiteral("cur"))}) {
        if (!changeOwner(path))
            return false;
    }
    return true;
}

bool DovecotServer::changeOwner(const QString &path) const
{
    if (geteuid() != 0)
        return true;
    return ::chown(QFile::encodeName(path).constData(), m_mailUid, m_mailGid) == 0;
}

QString DovecotServer::logPath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("dovecot.log")) : QString();
}

QString DovecotServer::logTail() const
{
    return fileTail(logPath());
}

} // namespace pollux::test
