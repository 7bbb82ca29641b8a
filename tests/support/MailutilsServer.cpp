#include "support/MailutilsServer.h"

#include "support/FreePort.h"
#include "support/ProcessUtil.h"
#include "support/TestCa.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <crypt.h>
#include <csignal>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace pollux::test {

namespace {

constexpr int startTimeoutMs = 15000;
constexpr QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
constexpr QFile::Permissions worldReadable = ownerOnly | QFile::ReadGroup | QFile::ReadOther;
constexpr QFile::Permissions worldTraversable =
    worldReadable | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;

QString binary(const QString &name)
{
    return QStandardPaths::findExecutable(name,
                                          {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"),
                                           QStringLiteral("/usr/local/sbin")});
}

bool writeAtomically(const QString &path, const QByteArray &data, QFile::Permissions permissions)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return false;
    file.setPermissions(permissions);
    return file.commit();
}

// SHA-512 crypt(3), what Mailutils' "generic" authentication compares against.
QByteArray cryptPassword(const QString &password, int salt)
{
    crypt_data data{};
    const QByteArray setting = "$6$pollux" + QByteArray::number(salt) + '$';
    const char *hash = crypt_r(password.toUtf8().constData(), setting.constData(), &data);
    return hash && hash[0] == '$' ? QByteArray(hash) : QByteArray();
}

void prepare(QProcess &process, const QString &logPath)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardOutputFile(logPath, QIODevice::Append);
    // If the test process dies without running destructors, the server goes with it.
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
}

} // namespace

MailutilsServer::MailutilsServer() = default;

MailutilsServer::~MailutilsServer()
{
    stop();
}

bool MailutilsServer::ensureDir()
{
    if (m_dir)
        return m_dir->isValid();
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                            QStringLiteral("/pollux-mailutils-XXXXXX"));
    if (!m_dir->isValid())
        return false;
    m_dir->setAutoRemove(!qEnvironmentVariableIsSet("POLLUX_KEEP_FIXTURES"));
    m_mailUid = geteuid();
    m_mailGid = getegid();
    if (m_mailUid == 0) {
        // Sessions switch to the mailbox owner's uid: never root.
        const passwd *pw = getpwnam("mail");
        if (!pw)
            pw = getpwnam("nobody");
        if (!pw)
            return false;
        m_mailUid = pw->pw_uid;
        m_mailGid = pw->pw_gid;
    }
    QFile::setPermissions(m_dir->path(), worldTraversable);
    QDir dir(m_dir->path());
    return dir.mkpath(QStringLiteral("home")) && dir.mkpath(QStringLiteral("passwd"));
}

bool MailutilsServer::start(QString *error)
{
    if (isRunning())
        return true;
    if (!TestCa::instance().ok()) {
        *error = TestCa::instance().error();
        return false;
    }
    if (!ensureDir()) {
        *error = QStringLiteral("cannot create a temporary directory for Mailutils");
        return false;
    }
    if (binary(QStringLiteral("pop3d")).isEmpty() || binary(QStringLiteral("imap4d")).isEmpty()) {
        *error = QStringLiteral("pop3d/imap4d not found; run deploy/install-deps.sh "
                                "(mailutils-pop3d, mailutils-imap4d)");
        return false;
    }
    if (!writeUserFiles(error))
        return false;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (startOnce(error))
            return true;
    }
    return false;
}

bool MailutilsServer::startOnce(QString *error)
{
    m_ports.clear();
    for (const char *name : {"pop3", "pop3s", "imap", "imaps"}) {
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
    for (const QString &program : {QStringLiteral("pop3d"), QStringLiteral("imap4d")}) {
        if (!writeConfig(program, error))
            return false;
        QProcess &process = program == QLatin1String("pop3d") ? m_pop3d : m_imap4d;
        prepare(process, m_dir->filePath(program + QStringLiteral(".log")));
        process.start(binary(program), {QStringLiteral("--no-site-config"),
                                        QStringLiteral("--config-file=") +
                                            m_dir->filePath(program + QStringLiteral(".conf"))});
        if (!process.waitForStarted(startTimeoutMs)) {
            *error = QStringLiteral("cannot start ") + program + QStringLiteral(": ") +
                     process.errorString();
            stop();
            return false;
        }
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
    stop();
    *error = QStringLiteral("mailutils did not start listening (") +
             (listening ? QStringLiteral("it exited") : QStringLiteral("timeout")) +
             QStringLiteral("):\n") + logTail();
    return false;
}

bool MailutilsServer::writeConfig(const QString &program, QString *error)
{
    QFile templateFile(QStringLiteral(POLLUX_FIXTURES_DIR "/mailutils/server.conf.in"));
    if (!templateFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + templateFile.fileName();
        return false;
    }
    QString config = QString::fromUtf8(templateFile.readAll());
    const bool pop3 = program == QLatin1String("pop3d");
    const QString quotedDb =
        QLatin1Char('"') + m_dir->filePath(QStringLiteral("apop.db")) + QLatin1Char('"');
    const QString quotedSasl =
        QLatin1Char('"') + m_dir->filePath(QStringLiteral("sasl-passwd")) + QLatin1Char('"');
    const QMap<QString, QString> values{
        {QStringLiteral("PASSWD_DIR"), m_dir->filePath(QStringLiteral("passwd"))},
        {QStringLiteral("PID_FILE"), m_dir->filePath(program + QStringLiteral(".pid"))},
        {QStringLiteral("SSL_CERT"), TestCa::instance().certPath()},
        {QStringLiteral("SSL_KEY"), TestCa::instance().keyPath()},
        {QStringLiteral("PROGRAM_SETTINGS"),
         pop3 ? QString(QStringLiteral("apop-database-file ") + quotedDb + QLatin1Char(';'))
              : QString(QStringLiteral("gsasl {\n  cram-passwd ") + quotedSasl +
                        QStringLiteral(";\n};"))},
        {QStringLiteral("PLAIN_PORT"),
         QString::number(pop3 ? m_ports.value(QStringLiteral("pop3"))
                              : m_ports.value(QStringLiteral("imap")))},
        {QStringLiteral("TLS_PORT"),
         QString::number(pop3 ? m_ports.value(QStringLiteral("pop3s"))
                              : m_ports.value(QStringLiteral("imaps")))},
    };
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        config.replace(QLatin1Char('@') + it.key() + QLatin1Char('@'), it.value());
    if (!writeAtomically(m_dir->filePath(program + QStringLiteral(".conf")), config.toUtf8(),
                         worldReadable)) {
        *error = QStringLiteral("cannot write ") + program + QStringLiteral(".conf");
        return false;
    }
    return true;
}

// The virtdomain passwd file, the APOP database (built by popauth from a plaintext list) and
// GNU SASL's password file: all rewritten whole, so a user added while running is found.
bool MailutilsServer::writeUserFiles(QString *error)
{
    QByteArray passwd;
    QByteArray apop;
    QByteArray sasl;
    int salt = 0;
    for (const User &u : std::as_const(m_users)) {
        const QByteArray hash = cryptPassword(u.password, ++salt);
        if (hash.isEmpty()) {
            *error = QStringLiteral("crypt(3) failed");
            return false;
        }
        const QString home = m_dir->filePath(QStringLiteral("home/") + u.name);
        passwd += u.name.toUtf8() + ':' + hash + ':' + QByteArray::number(m_mailUid) + ':' +
                  QByteArray::number(m_mailGid) + "::" + QFile::encodeName(home) + ":/bin/false\n";
        apop += loginName(u.name).toUtf8() + ' ' + u.password.toUtf8() + '\n';
        sasl += loginName(u.name).toUtf8() + '\t' + u.password.toUtf8() + '\n';
    }
    const QString apopText = m_dir->filePath(QStringLiteral("apop.txt"));
    if (!writeAtomically(m_dir->filePath(QStringLiteral("passwd/") + domain()), passwd,
                         worldReadable) ||
        !writeAtomically(apopText, apop, ownerOnly) ||
        !writeAtomically(m_dir->filePath(QStringLiteral("sasl-passwd")), sasl, ownerOnly)) {
        *error = QStringLiteral("cannot write the Mailutils user files");
        return false;
    }
    const QString db = m_dir->filePath(QStringLiteral("apop.db"));
    QFile::remove(db);
    QProcess popauth;
    popauth.setProcessChannelMode(QProcess::MergedChannels);
    popauth.start(binary(QStringLiteral("popauth")),
                  {QStringLiteral("--create"), QStringLiteral("--file=") + apopText,
                   QStringLiteral("--output=") + db, QStringLiteral("--permissions=600")});
    if (!popauth.waitForFinished(startTimeoutMs) || popauth.exitCode() != 0) {
        *error = QStringLiteral("popauth failed: ") + QString::fromLocal8Bit(popauth.readAll());
        return false;
    }
    return true;
}

bool MailutilsServer::stop()
{
    const bool pop3Stopped = stopProcessTree(m_pop3d);
    const bool imapStopped = stopProcessTree(m_imap4d);
    return pop3Stopped && imapStopped;
}

bool MailutilsServer::isRunning() const
{
    return m_pop3d.state() == QProcess::Running && m_imap4d.state() == QProcess::Running;
}

bool MailutilsServer::addUser(const QString &user, const QString &password)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9._-]+$"));
    if (!valid.match(user).hasMatch() || !ensureDir())
        return false;
    m_users.removeIf([&user](const User &u) { return u.name == user; });
    m_users.append({user, password});
    QDir box(maildir(user));
    for (const char *sub : {"tmp", "new", "cur"}) {
        if (!box.mkpath(QLatin1String(sub)))
            return false;
    }
    const QString home = m_dir->filePath(QStringLiteral("home/") + user);
    for (const QString &path :
         {home, box.path(), box.filePath(QStringLiteral("tmp")),
          box.filePath(QStringLiteral("new")), box.filePath(QStringLiteral("cur"))}) {
        if (!changeOwner(path))
            return false;
    }
    QString error;
    return writeUserFiles(&error);
}

QString MailutilsServer::maildir(const QString &user) const
{
    return m_dir ? m_dir->filePath(QStringLiteral("home/") + user + QStringLiteral("/INBOX"))
                 : QString();
}

bool MailutilsServer::deliver(const QString &user, const QByteArray &message)
{
    const QDir dir(maildir(user));
    if (!dir.exists(QStringLiteral("new")))
        return false;
    QByteArray lf = message;
    lf.replace("\r\n", "\n");
    // time.M<counter>P<pid>.host: unique, and sorts in delivery order.
    const QString name = QStringLiteral("%1.M%2P%3.pollux")
                             .arg(QDateTime::currentSecsSinceEpoch())
                             .arg(++m_delivered, 8, 10, QLatin1Char('0'))
                             .arg(QCoreApplication::applicationPid());
    const QString tmpPath = dir.filePath(QStringLiteral("tmp/") + name);
    QFile file(tmpPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(lf) != lf.size())
        return false;
    file.close();
    return changeOwner(tmpPath) &&
           QFile::rename(tmpPath, dir.filePath(QStringLiteral("new/") + name));
}

int MailutilsServer::messageCount(const QString &user) const
{
    int n = 0;
    for (const char *sub : {"cur", "new"})
        n += int(QDir(maildir(user) + QLatin1Char('/') + QLatin1String(sub))
                     .entryList(QDir::Files)
                     .size());
    return n;
}

bool MailutilsServer::changeOwner(const QString &path) const
{
    if (geteuid() != 0)
        return true;
    return ::chown(QFile::encodeName(path).constData(), m_mailUid, m_mailGid) == 0;
}

QString MailutilsServer::logTail() const
{
    if (!m_dir)
        return QString();
    return QStringLiteral("pop3d:\n") + fileTail(m_dir->filePath(QStringLiteral("pop3d.log"))) +
           QStringLiteral("\nimap4d:\n") + fileTail(m_dir->filePath(QStringLiteral("imap4d.log")));
}

} // namespace pollux::test
