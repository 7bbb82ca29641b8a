#include "support/PostfixServer.h"

#include "support/FreePort.h"
#include "support/ProcessUtil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace pollux::test {

namespace {

constexpr int startTimeoutMs = 30000;

QString postfixCommand()
{
    return QStringLiteral("/usr/sbin/postfix");
}

bool chownTo(const QString &path, uint uid, uint gid)
{
    return ::chown(QFile::encodeName(path).constData(), uid, gid) == 0;
}

} // namespace

PostfixServer::PostfixServer(const QString &domain) : m_domain(domain.toLower()) {}

PostfixServer::~PostfixServer()
{
    stop();
}

QString PostfixServer::localPart(const QString &user) const
{
    const qsizetype at = user.indexOf(QLatin1Char('@'));
    return (at < 0 ? user : user.left(at)).toLower();
}

QString PostfixServer::maildir(const QString &user) const
{
    return m_dir ? m_dir->filePath(QStringLiteral("mail/") + localPart(user)) : QString();
}

bool PostfixServer::addUser(const QString &user)
{
    const QString local = localPart(user);
    if (local.isEmpty() || local.contains(QLatin1Char('/')) ||
        (local.contains(QLatin1Char(' ')) && local.contains(QLatin1Char('"'))) ||
        m_process.state() != QProcess::NotRunning)
        return false;
    if (!m_users.contains(local))
        m_users << local;
    return true;
}

bool PostfixServer::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

qint64 PostfixServer::pid() const
{
    return m_process.processId();
}

QString PostfixServer::log() const
{
    if (!m_dir)
        return QString();
    QFile f(m_dir->filePath(QStringLiteral("postfix.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString PostfixServer::logTail() const
{
    return m_dir ? fileTail(m_dir->filePath(QStringLiteral("postfix.log"))) +
                       fileTail(m_dir->filePath(QStringLiteral("master.out")))
                 : QString();
}

QString PostfixServer::queueId(const QByteArray &message)
{
    static const QRegularExpression re(QStringLiteral("with E?SMTP id ([0-9A-Za-z]+)"));
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(message));
    return m.hasMatch() ? m.captured(1) : QString();
}

bool PostfixServer::writeTemplate(const QString &name, const QString &target, QString *error) const
{
    QFile in(QStringLiteral(POLLUX_FIXTURES_DIR "/postfix/") + name);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + in.fileName();
        return false;
    }
    QString text = QString::fromUtf8(in.readAll());
    text.replace(QLatin1String("@DIR@"), m_dir->path());
    text.replace(QLatin1String("@DOMAIN@"), m_domain);
    text.replace(QLatin1String("@UID@"), QString::number(m_uid));
    text.replace(QLatin1String("@GID@"), QString::number(m_gid));
    text.replace(QLatin1String("@PORT@"), QString::number(m_port));
    text.replace(QLatin1String("@SIZE_LIMIT@"), QString::number(m_sizeLimit));
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(text.toUtf8()) < 0) {
        *error = QStringLiteral("cannot write ") + target;
        return false;
    }
    return true;
}

bool PostfixServer::prepare(QString *error)
{
    if (!QFile::exists(postfixCommand())) {
        *error = QStringLiteral("postfix is not installed (Debian package postfix)");
        return false;
    }
    if (::geteuid() != 0) {
        *error = QStringLiteral("a private Postfix needs root (its master drops privileges)");
        return false;
    }
    const passwd *pw = ::getpwnam("postfix");
    if (!pw || !::getgrnam("postdrop")) {
        *error = QStringLiteral("the postfix user or postdrop group is missing");
        return false;
    }
    m_uid = pw->pw_uid;
    m_gid = pw->pw_gid;
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                            QStringLiteral("/pollux-postfix-XXXXXX"));
    m_dir->setAutoRemove(!qEnvironmentVariableIsSet("POLLUX_KEEP_FIXTURES"));
    const QDir root(m_dir->path());
    if (!m_dir->isValid() || !root.mkpath(QStringLiteral("etc")) ||
        !root.mkpath(QStringLiteral("spool")) || !root.mkpath(QStringLiteral("data")) ||
        !root.mkpath(QStringLiteral("mail"))) {
        *error = QStringLiteral("cannot create a temporary directory for postfix");
        return false;
    }
    // The master (root) and the daemons (postfix) must be able to enter it.
    QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                             QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                             QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                             QFileDevice::ExeOther);
    if (!chownTo(root.filePath(QStringLiteral("data")), m_uid, m_gid) ||
        !chownTo(root.filePath(QStringLiteral("mail")), m_uid, m_gid)) {
        *error = QStringLiteral("cannot hand the data and mail directories to postfix");
        return false;
    }
    QByteArray map;
    for (const QString &u : std::as_const(m_users)) {
        // A space needs a quoted key (the RFC 5321 Quoted-string, as Postfix looks it up).
        const QString key = u.contains(QLatin1Char(' ')) ? QStringLiteral("\"%1\"").arg(u) : u;
        map += (key + QLatin1Char('@') + m_domain + QLatin1Char(' ') + u + QLatin1String("/\n"))
                   .toUtf8();
    }
    QFile mapFile(root.filePath(QStringLiteral("etc/vmailbox")));
    if (!mapFile.open(QIODevice::WriteOnly) || mapFile.write(map) < 0) {
        *error = QStringLiteral("cannot write ") + mapFile.fileName();
        return false;
    }
    return true;
}

bool PostfixServer::startOnce(QString *error)
{
    m_port = freePort();
    if (m_port == 0) {
        *error = QStringLiteral("no free port for postfix");
        return false;
    }
    const QString etc = m_dir->filePath(QStringLiteral("etc"));
    if (!writeTemplate(QStringLiteral("main.cf.in"), etc + QStringLiteral("/main.cf"), error) ||
        !writeTemplate(QStringLiteral("master.cf.in"), etc + QStringLiteral("/master.cf"), error))
        return false;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_dir->filePath(QStringLiteral("master.out")),
                                    QIODevice::Append);
    // start-fg: postfix-script runs the master in the foreground, so the tree is ours.
    m_process.start(postfixCommand(), {QStringLiteral("-c"), etc, QStringLiteral("start-fg")});
    if (!m_process.waitForStarted(startTimeoutMs)) {
        *error = QStringLiteral("cannot start postfix: ") + m_process.errorString();
        return false;
    }
    const bool up = waitUntil(
        [this] { return m_process.state() == QProcess::NotRunning || portAccepts(m_port); },
        startTimeoutMs);
    if (!up || m_process.state() == QProcess::NotRunning) {
        *error = QStringLiteral("postfix did not start: ") + logTail();
        stop();
        return false;
    }
    return true;
}

bool PostfixServer::start(QString *error)
{
    if (isRunning())
        return true;
    if (!m_dir && !prepare(error))
        return false;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (startOnce(error))
            return true;
    }
    return false;
}

bool PostfixServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    return stopProcessTree(m_process, 10000);
}

QStringList PostfixServer::messageFiles(const QString &user) const
{
    QList<QFileInfo> files;
    for (const char *sub : {"cur", "new"}) {
        const QDir d(maildir(user) + QLatin1Char('/') + QLatin1String(sub));
        files += d.entryInfoList(QDir::Files);
    }
    std::sort(files.begin(), files.end(), [](const QFileInfo &a, const QFileInfo &b) {
        return a.fileName() < b.fileName(); // Postfix names start with the delivery time
    });
    QStringList out;
    for (const QFileInfo &f : std::as_const(files))
        out << f.filePath();
    return out;
}

int PostfixServer::messageCount(const QString &user) const
{
    return int(messageFiles(user).size());
}

QList<QByteArray> PostfixServer::messages(const QString &user) const
{
    QList<QByteArray> out;
    for (const QString &path : messageFiles(user)) {
        QFile f(path);
        if (f.open(QIODevice::ReadOnly))
            out << f.readAll();
    }
    return out;
}

bool PostfixServer::waitForMessages(const QString &user, int count, int timeoutMs) const
{
    return waitUntil([&] { return messageCount(user) >= count; }, timeoutMs);
}

bool PostfixServer::waitForEmptyQueue(int timeoutMs) const
{
    if (!m_dir)
        return true;
    const auto queued = [this] {
        int n = 0;
        for (const char *q : {"maildrop", "incoming", "active", "deferred", "hold"}) {
            QDirIterator it(m_dir->filePath(QStringLiteral("spool/") + QLatin1String(q)),
                            QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                it.next();
                ++n;
            }
        }
        return n;
    };
    return waitUntil([&] { return queued() == 0; }, timeoutMs);
}

} // namespace pollux::test
