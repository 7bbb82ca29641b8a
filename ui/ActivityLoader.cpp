#include "ActivityLoader.h"

#include "mail/MessageHeader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QThread>
#include <QTimeZone>

#include <memory>

namespace pollux::ui {

namespace {

QByteArray decodeQ(QByteArray text)
{
    text.replace('_', ' ');
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == '=' && i + 2 < text.size()) {
            bool ok = false;
            const int byte = text.mid(i + 1, 2).toInt(&ok, 16);
            if (ok) {
                out += char(byte);
                i += 2;
                continue;
            }
        }
        out += text.at(i);
    }
    return out;
}

void readHeader(const QString &path, QString &from, QString &subject)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QByteArray header = mail::readHeaderBlock(&file, 256 * 1024);
    from = decodeHeaderText(mail::headerValue(header, "From"));
    subject = decodeHeaderText(mail::headerValue(header, "Subject"));
}

// Lives in the loader's thread; owns the database connection there.
class Worker : public QObject
{
    Q_OBJECT
public:
    Q_INVOKABLE void load(const QString &db, const QString &spool, int passLimit, int messageLimit)
    {
        if (!m_queries || m_queries->path() != db)
            m_queries = std::make_unique<ActivityQueries>(db);
        ActivitySnapshot s;
        s.result = m_queries->open();
        if (s.result.ok())
            s.result = m_queries->recentPasses(QString(), passLimit, s.passes);
        QList<MessageRecord> records;
        if (s.result.ok())
            s.result = m_queries->recentMessages(messageLimit, QString(), records);
        for (const MessageRecord &r : std::as_const(records)) {
            ActivityMessage m;
            m.record = r;
            m.from = r.from;
            m.subject = r.subject;
            // Recorded before From and Subject were (schema 9): from the file while it is
            // there.
            if (m.from.isEmpty() && m.subject.isEmpty() && !r.spoolPath.isEmpty() &&
                r.state != DeliveryState::Delivered && r.state != DeliveryState::Duplicate)
                readHeader(spool + QLatin1Char('/') + r.spoolPath, m.from, m.subject);
            s.messages << m;
        }
        QHash<QString, qint64> refused;
        if (s.result.ok())
            s.result = m_queries->refusedMessages(refused);
        if (s.result.ok())
            s.result = m_queries->backlog(100000, s.deferredKeys, s.refusedKeys);
        if (s.result.ok())
            s.result = m_queries->history(QDate::currentDate(), QTimeZone::systemTimeZone(),
                                          ActivityQueries::kHistoryDays, s.history);
        const QDir spoolDir(spool);
        for (const QuarantineFolder folder : quarantineFolders()) {
            const QString dir =
                spool + QStringLiteral("/quarantine/") + quarantineFolderName(folder);
            QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QFileInfo info(it.next());
                QuarantineEntry e;
                e.folder = folder;
                e.absolutePath = info.absoluteFilePath();
                e.messageId = refused.value(spoolDir.relativeFilePath(e.absolutePath));
                e.size = info.size();
                e.modified = info.lastModified();
                readHeader(e.absolutePath, e.from, e.subject);
                s.quarantine << e;
            }
        }
        emit done(s);
    }

signals:
    void done(const pollux::ui::ActivitySnapshot &snapshot);

private:
    std::unique_ptr<ActivityQueries> m_queries;
};

} // namespace

QString decodeHeaderText(const QByteArray &value)
{
    static const QRegularExpression word(
        QStringLiteral("=\\?([^?]+)\\?([bBqQ])\\?([^?]*)\\?=(\\s+(?==\\?))?"));
    const QString text = QString::fromUtf8(value);
    QString out;
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = word.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += text.mid(last, m.capturedStart() - last);
        const QByteArray raw = m.captured(3).toLatin1();
        const QByteArray bytes = m.captured(2).compare(QLatin1String("b"), Qt::CaseInsensitive) == 0
                                     ? QByteArray::fromBase64(raw)
                                     : decodeQ(raw);
        QString charset = m.captured(1);
        charset = charset.section(QLatin1Char('*'), 0, 0); // RFC 2231 language suffix
        QStringDecoder decoder(charset.toLatin1().constData());
        out += decoder.isValid() ? QString(decoder.decode(bytes)) : QString::fromLatin1(bytes);
        last = m.capturedEnd();
    }
    out += text.mid(last);
    return out;
}

ActivityLoader::ActivityLoader(QObject *parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new Worker)
{
    qRegisterMetaType<pollux::ui::ActivitySnapshot>();
    m_thread->setObjectName(QStringLiteral("activity"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(static_cast<Worker *>(m_worker), &Worker::done, this, &ActivityLoader::onDone);
    m_thread->start();
}

ActivityLoader::~ActivityLoader()
{
    m_thread->quit();
    m_thread->wait();
}

void ActivityLoader::setLocation(const QString &databasePath, const QString &spoolDir)
{
    m_db = databasePath;
    m_spool = spoolDir;
}

void ActivityLoader::setLimits(int passes, int messages)
{
    m_passLimit = passes;
    m_messageLimit = messages;
}

void ActivityLoader::refresh()
{
    if (m_busy) {
        m_again = true;
        return;
    }
    m_busy = true;
    auto *worker = static_cast<Worker *>(m_worker);
    QMetaObject::invokeMethod(worker, [worker, db = m_db, spool = m_spool, p = m_passLimit,
                                       m = m_messageLimit] { worker->load(db, spool, p, m); });
}

void ActivityLoader::onDone(const ActivitySnapshot &snapshot)
{
    m_busy = false;
    emit loaded(snapshot);
    if (m_again) {
        m_again = false;
        refresh();
    }
}

} // namespace pollux::ui

#include "ActivityLoader.moc"
