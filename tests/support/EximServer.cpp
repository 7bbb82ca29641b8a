#include "support/EximServer.h"

#include "support/FreePort.h"
#include "support/ProcessUtil.h"
#include "support/TestCa.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStringList>

#include <utility>

#include <csignal>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace pollux::test {

namespace {

constexpr int startTimeoutMs = 20000;

QString eximBinary()
{
    const QString root = qEnvironmentVariableIsSet("POLLUX_EXIM_ROOT")
                             ? qEnvironmentVariable("POLLUX_EXIM_ROOT")
                             : QStringLiteral("/var/cache/pollux-test/exim");
    const QStringList paths{QStringLiteral("/usr/sbin/exim4"),
                            root + QStringLiteral("/usr/sbin/exim4")};
    for (const QString &path : paths) {
        if (QFileInfo(path).isExecutable())
            return path;
    }
    return QString();
}

// An lsearch key: always in double quotes, so that spaces and colons are part of it.
QByteArray lsearchKey(const QString &key)
{
    QByteArray out = key.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"");
    return '"' + out + '"';
}

bool chownTo(const QString &path, uint uid, uint gid)
{
    return ::geteuid() != 0 || ::chown(QFile::encodeName(path).constData(), uid, gid) == 0;
}

} // namespace

EximServer::EximServer(const QString &domain) : m_domain(domain.toLower()) {}

EximServer::~EximServer()
{
    stop();
}

bool EximServer::addUser(const QString &localPart)
{
    const QString key = localPart.toLower();
    if (key.isEmpty() || key.contains(QLatin1Char('\n')) || key.contains(QLatin1Char('@')))
        return false;
    if (!m_boxes.contains(key))
        m_boxes.insert(key, QStringLiteral("box%1").arg(m_boxes.size() + 1));
    return !m_dir || writeLookups();
}

bool EximServer::refuseRecipient(const QString &localPart, const QString &reply)
{
    const QString key = localPart.toLower();
    if (key.isEmpty() || key.contains(QLatin1Char('\n')) || !reply.startsWith(QLatin1Char('5')) ||
        reply.contains(QLatin1Char('\n')))
        return false;
    m_refused.insert(key, reply);
    return !m_dir || writeLookups();
}

bool EximServer::writeLookups() const
{
    QByteArray users;
    for (auto it = m_boxes.cbegin(); it != m_boxes.cend(); ++it)
        users += lsearchKey(it.key()) + ": " + it.value().toUtf8() + '\n';
    QByteArray refused;
    for (auto it = m_refused.cbegin(); it != m_refused.cend(); ++it)
        refused += lsearchKey(it.key()) + ": " + it.value().toUtf8() + '\n';
    // Exim reads them at every lookup: replace them whole.
    const std::pair<QString, QByteArray> files[] = {{QStringLiteral("etc/users"), users},
                                                    {QStringLiteral("etc/refused"), refused}};
    for (const auto &[name, data] : files) {
        QSaveFile file(m_dir->filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
            return false;
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                            QFile::ReadOther);
        if (!file.commit())
            return false;
    }
    return true;
}

bool EximServer::prepare(QString *error)
{
    if (eximBinary().isEmpty()) {
        *error = QStringLiteral("exim4 not found; run deploy/install-deps.sh (it unpacks "
                                "exim4-daemon-light into /var/cache/pollux-test/exim)");
        return false;
    }
    if (!TestCa::instance().ok()) {
        *error = TestCa::instance().error();
        return false;
    }
    // Under root, Exim gives up root for -C and runs (and delivers) as its own user.
    const passwd *pw = ::geteuid() == 0 ? ::getpwnam("Debian-exim") : ::getpwuid(::geteuid());
    if (!pw) {
        *error = QStringLiteral("no Debian-exim user; run deploy/install-deps.sh");
        return false;
    }
    m_runUser = QString::fromLocal8Bit(pw->pw_name);
    m_uid = pw->pw_uid;
    m_gid = pw->pw_gid;
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/pollux-exim-XXXXXX"));
    if (!m_dir->isValid()) {
        *error = QStringLiteral("cannot create a temporary directory for Exim");
        return false;
    }
    m_dir->setAutoRemove(!qEnvironmentVariableIsSet("POLLUX_KEEP_FIXTURES"));
    QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                             QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                             QFile::ExeOther);
    const QDir root(m_dir->path());
    for (const char *sub : {"etc", "spool", "log", "mail", "tls"}) {
        if (!root.mkpath(QLatin1String(sub))) {
            *error = QStringLiteral("cannot create the Exim directory ") + QLatin1String(sub);
            return false;
        }
    }
    const QString cert = root.filePath(QStringLiteral("tls/cert.pem"));
    const QString key = root.filePath(QStringLiteral("tls/key.pem"));
    bool owned = QFile::copy(TestCa::instance().certPath(), cert) &&
                 QFile::copy(TestCa::instance().keyPath(), key);
    for (const char *sub : {"spool", "log", "mail", "tls", "tls/cert.pem", "tls/key.pem"})
        owned = owned && chownTo(root.filePath(QLatin1String(sub)), m_uid, m_gid);
    if (!owned || !writeLookups()) {
        *error = QStringLiteral("cannot prepare the Exim directory");
        return false;
    }
    return true;
}

bool EximServer::startOnce(QString *error)
{
    m_port = freePort();
    if (m_port == 0) {
        *error = QStringLiteral("no free port for Exim");
        return false;
    }
    QFile in(QStringLiteral(POLLUX_FIXTURES_DIR "/exim/exim.conf.in"));
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + in.fileName();
        return false;
    }
    QString text = QString::fromUtf8(in.readAll());
    text.replace(QLatin1String("@EXIM@"), eximBinary());
    text.replace(QLatin1String("@DIR@"), m_dir->path());
    text.replace(QLatin1String("@DOMAIN@"), m_domain);
    text.replace(QLatin1String("@PORT@"), QString::number(m_port));
    text.replace(QLatin1String("@RUN_USER@"), m_runUser);
    const QString config = m_dir->filePath(QStringLiteral("etc/exim.conf"));
    QFile out(config);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(text.toUtf8()) < 0) {
        *error = QStringLiteral("cannot write ") + config;
        return false;
    }
    out.close();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_dir->filePath(QStringLiteral("log/daemon.out")),
                                    QIODevice::Append);
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    // -bdf: the listening daemon in the foreground; no -q (nothing waits in the queue).
    m_process.start(eximBinary(), {QStringLiteral("-C"), config, QStringLiteral("-bdf")});
    if (!m_process.waitForStarted(startTimeoutMs)) {
        *error = QStringLiteral("cannot start Exim: ") + m_process.errorString();
        return false;
    }
    const bool up = waitUntil(
        [this] { return m_process.state() == QProcess::NotRunning || portAccepts(m_port); },
        startTimeoutMs);
    if (!up || m_process.state() == QProcess::NotRunning) {
        *error = QStringLiteral("Exim did not start: ") + logTail();
        stop();
        return false;
    }
    return true;
}

bool EximServer::start(QString *error)
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

bool EximServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    return stopProcessTree(m_process, 10000);
}

bool EximServer::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

QString EximServer::maildir(const QString &localPart) const
{
    const QString box = m_boxes.value(localPart.toLower());
    return m_dir && !box.isEmpty() ? m_dir->filePath(QStringLiteral("mail/") + box) : QString();
}

QList<QByteArray> EximServer::messages(const QString &localPart) const
{
    const QString dir = maildir(localPart);
    if (dir.isEmpty())
        return {};
    QList<QFileInfo> files;
    for (const char *sub : {"cur", "new"})
        files += QDir(dir + QLatin1Char('/') + QLatin1String(sub)).entryInfoList(QDir::Files);
    // Exim names them "<seconds>.M<microseconds>P<pid>.<host>", the microseconds unpadded.
    const auto deliveredAt = [](const QFileInfo &f) {
        static const QRegularExpression re(QStringLiteral("^(\\d+)\\.M(\\d+)P"));
        const QRegularExpressionMatch m = re.match(f.fileName());
        return m.hasMatch() ? m.captured(1).toLongLong() * 1000000 + m.captured(2).toLongLong() : 0;
    };
    std::sort(files.begin(), files.end(), [&](const QFileInfo &a, const QFileInfo &b) {
        return deliveredAt(a) < deliveredAt(b);
    });
    QList<QByteArray> out;
    for (const QFileInfo &info : std::as_const(files)) {
        QFile f(info.filePath());
        if (f.open(QIODevice::ReadOnly))
            out << f.readAll();
    }
    return out;
}

int EximServer::messageCount(const QString &localPart) const
{
    return int(messages(localPart).size());
}

bool EximServer::waitForEmptyQueue(int timeoutMs) const
{
    if (!m_dir)
        return true;
    const auto queued = [this] {
        QDirIterator it(m_dir->filePath(QStringLiteral("spool/input")), {QStringLiteral("*-H")},
                        QDir::Files, QDirIterator::Subdirectories);
        return it.hasNext();
    };
    return waitUntil([&] { return !queued(); }, timeoutMs);
}

QString EximServer::log() const
{
    if (!m_dir)
        return QString();
    QFile f(m_dir->filePath(QStringLiteral("log/mainlog")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString EximServer::logTail() const
{
    if (!m_dir)
        return QString();
    QString out;
    for (const char *name : {"mainlog", "rejectlog", "paniclog", "daemon.out"}) {
        const QString tail =
            fileTail(m_dir->filePath(QStringLiteral("log/") + QLatin1String(name)));
        if (!tail.isEmpty())
            out += QLatin1String(name) + QStringLiteral(":\n") + tail + QLatin1Char('\n');
    }
    return out;
}

QByteArray EximServer::withoutReceived(const QByteArray &stored)
{
    if (!stored.startsWith("Received: ") || !stored.left(1000).contains("(Exim "))
        return stored;
    qsizetype pos = 0;
    while (true) {
        const qsizetype eol = stored.indexOf("\r\n", pos);
        if (eol < 0)
            return stored;
        pos = eol + 2;
        if (pos >= stored.size() || (stored.at(pos) != ' ' && stored.at(pos) != '\t'))
            return stored.mid(pos);
    }
}

QString EximServer::messageId(const QByteArray &stored)
{
    static const QRegularExpression re(
        QStringLiteral("\\(Exim [^)]*\\)\\s+(?:\\([^)]*\\)\\s+)*"
                       "id ([0-9A-Za-z]+-[0-9A-Za-z]+-[0-9A-Za-z]+)"));
    const QRegularExpressionMatch m =
        re.match(QString::fromLatin1(stored.left(stored.indexOf("\r\n\r\n"))));
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace pollux::test
