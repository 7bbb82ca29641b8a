#include "support/SmtpSink.h"

#include "support/ProcessUtil.h"
#include "support/TestCa.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace pollux::test {

namespace {

constexpr int startTimeoutMs = 15000;

// The sink needs Debian's python3-aiosmtpd, which only the system interpreter sees.
QString python()
{
    if (QFile::exists(QStringLiteral("/usr/bin/python3")))
        return QStringLiteral("/usr/bin/python3");
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
}

} // namespace

SmtpSink::SmtpSink() : SmtpSink(Options()) {}

SmtpSink::SmtpSink(const Options &options) : m_options(options) {}

SmtpSink::~SmtpSink()
{
    stop();
}

bool SmtpSink::start(QString *error)
{
    if (isRunning())
        return true;
    if (!m_dir)
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                QStringLiteral("/pollux-smtp-XXXXXX"));
    m_dir->setAutoRemove(!qEnvironmentVariableIsSet("POLLUX_KEEP_FIXTURES"));
    if (!m_dir->isValid()) {
        *error = QStringLiteral("cannot create a temporary directory for the SMTP sink");
        return false;
    }
    QStringList args{QStringLiteral(POLLUX_FIXTURES_DIR "/smtp_sink.py"),
                     QStringLiteral("--dir"),
                     directory(),
                     QStringLiteral("--exit-on-stdin-eof"),
                     QStringLiteral("--max-size"),
                     QString::number(m_options.maxSize),
                     QStringLiteral("--reject-code"),
                     m_options.rejectCode,
                     QStringLiteral("--tempfail-first"),
                     QString::number(m_options.tempFailFirst),
                     QStringLiteral("--tempfail-stage"),
                     m_options.tempFailStage,
                     QStringLiteral("--tempfail-code"),
                     m_options.tempFailCode};
    for (const QString &recipient : std::as_const(m_options.rejectRecipients))
        args << QStringLiteral("--reject") << recipient;
    if (!m_options.authUser.isEmpty())
        args << QStringLiteral("--auth")
             << m_options.authUser + QLatin1Char(':') + m_options.authPassword;
    if (m_options.authRequired)
        args << QStringLiteral("--auth-required");
    if (m_options.startTls || m_options.implicitTls) {
        const TestCa &ca = TestCa::instance();
        if (!ca.ok()) {
            *error = ca.error();
            return false;
        }
        args << QStringLiteral("--tls-cert") << ca.certPath() << QStringLiteral("--tls-key")
             << ca.keyPath();
    }
    if (m_options.requireStartTls)
        args << QStringLiteral("--require-starttls");
    if (m_options.implicitTls)
        args << QStringLiteral("--implicit-tls");

    m_port = 0;
    m_process.start(python(), args);
    if (!m_process.waitForStarted(startTimeoutMs)) {
        *error = QStringLiteral("cannot start the SMTP sink: ") + m_process.errorString();
        return false;
    }
    m_process.setReadChannel(QProcess::StandardOutput);
    waitUntil([this] { return m_process.canReadLine() || m_process.state() != QProcess::Running; },
              startTimeoutMs);
    const QByteArray line = m_process.canReadLine() ? m_process.readLine().trimmed() : QByteArray();
    if (line.startsWith("PORT "))
        m_port = static_cast<quint16>(line.mid(5).toUInt());
    if (m_port == 0) {
        *error = QStringLiteral("the SMTP sink did not start: ") + QString::fromLocal8Bit(line) +
                 QString::fromLocal8Bit(m_process.readAllStandardError());
        stop();
        return false;
    }
    return true;
}

bool SmtpSink::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    return stopProcessTree(m_process);
}

bool SmtpSink::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

qint64 SmtpSink::pid() const
{
    return m_process.processId();
}

QString SmtpSink::directory() const
{
    return m_dir ? m_dir->path() : QString();
}

QList<ReceivedMessage> SmtpSink::messages() const
{
    QList<ReceivedMessage> result;
    if (!m_dir)
        return result;
    const QDir dir(directory());
    // msg-NNNNNN.json sorts in arrival order; *.tmp files are still being written.
    const QStringList names =
        dir.entryList({QStringLiteral("msg-*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
        ReceivedMessage message;
        message.from = object.value(QStringLiteral("mail_from")).toString();
        message.recipients = toStringList(object.value(QStringLiteral("rcpt_tos")));
        message.mailOptions = toStringList(object.value(QStringLiteral("mail_options")));
        message.authUser = object.value(QStringLiteral("auth_user")).toString();
        message.tls = object.value(QStringLiteral("tls")).toBool();
        message.data =
            QByteArray::fromBase64(object.value(QStringLiteral("data")).toString().toLatin1());
        result.append(message);
    }
    return result;
}

bool SmtpSink::waitForMessages(int count, int timeoutMs) const
{
    if (!m_dir)
        return false;
    const QDir dir(directory());
    return waitUntil(
        [&dir, count] {
            return dir.entryList({QStringLiteral("msg-*.json")}, QDir::Files).size() >= count;
        },
        timeoutMs);
}

void SmtpSink::clear()
{
    if (!m_dir)
        return;
    QDir dir(directory());
    const QStringList names =
        dir.entryList({QStringLiteral("msg-*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : names)
        dir.remove(name);
}

} // namespace pollux::test
