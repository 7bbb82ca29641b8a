#include "EngineTestSupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QtDebug>

#include <algorithm>

namespace pollux::test {

namespace {
const QString kQuarantine = QStringLiteral("quarantine");
} // namespace

DataDir::DataDir()
    : m_spool(std::make_unique<Spool>(spoolDir())),
      m_store(std::make_unique<Store>(databasePath(), &clock))
{
}

Result DataDir::open()
{
    if (!m_dir.isValid())
        return Result::failure(ErrorCode::Storage, QStringLiteral("no temporary directory"));
    if (Result r = m_store->open(); !r)
        return r;
    return m_spool->init();
}

QStringList DataDir::messageFiles() const
{
    QStringList out;
    const QDir root(spoolDir());
    QDirIterator it(spoolDir(), QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = root.relativeFilePath(it.next());
        if (!relative.startsWith(kQuarantine + QLatin1Char('/')))
            out << relative;
    }
    out.sort();
    return out;
}

QStringList DataDir::quarantineFiles(const QString &folder) const
{
    QStringList out;
    const QDir root(spoolDir());
    QDirIterator it(root.filePath(kQuarantine + QLatin1Char('/') + folder),
                    QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << root.relativeFilePath(it.next());
    out.sort();
    return out;
}

QByteArray DataDir::readSpoolFile(const QString &relativePath) const
{
    QFile f(m_spool->absolutePath(relativePath));
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

QList<MessageRecord> DataDir::records(const QString &account)
{
    QList<MessageRecord> out;
    if (Result r = m_store->messages(account, out); !r) {
        qWarning().noquote() << r.message();
        return {};
    }
    return out;
}

MessageRecord DataDir::record(const QString &account, const QString &uid)
{
    const QList<MessageRecord> all = records(account);
    for (const MessageRecord &m : all) {
        if (m.uid == uid)
            return m;
    }
    return MessageRecord();
}

QStringList DataDir::knownUids(const QString &account)
{
    QSet<QString> known;
    if (Result r = m_store->knownUids(account, known); !r) {
        qWarning().noquote() << r.message();
        return {};
    }
    QStringList out(known.cbegin(), known.cend());
    out.sort();
    return out;
}

QStringList DataDir::liveSpoolPaths()
{
    QSet<QString> live;
    if (Result r = m_store->liveSpoolPaths(live); !r) {
        qWarning().noquote() << r.message();
        return {};
    }
    QStringList out(live.cbegin(), live.cend());
    out.sort();
    return out;
}

Result DataDir::addMessage(const QString &account, const QString &uid, const QByteArray &content,
                           const QStringList &recipients)
{
    Result error;
    std::unique_ptr<Spool::Writer> writer = m_spool->create(account, error);
    if (!writer)
        return error;
    if (Result r = writer->write(content.constData(), content.size()); !r)
        return r;
    if (Result r = writer->finish(); !r)
        return r;
    if (Result r = m_spool->makeDurable({writer->relativePath()}); !r)
        return r;
    SpooledMessage m;
    m.uid = uid;
    m.size = writer->size();
    m.spoolPath = writer->relativePath();
    m.recipients = recipients;
    return m_store->recordSpooled(account, {m});
}

QByteArray dotStuff(const QByteArray &content)
{
    QByteArray out;
    bool lineStart = true;
    for (const char c : content) {
        if (lineStart && c == '.')
            out += '.';
        out += c;
        lineStart = c == '\n';
    }
    return out;
}

QList<QByteArray> pop3Uidl(const QList<QByteArray> &contents)
{
    QList<QByteArray> s{"C: UIDL", "S: +OK"};
    for (int i = 1; i <= contents.size(); ++i)
        s << "S: " + QByteArray::number(i) + " uid-" + QByteArray::number(i);
    s << "S: .";
    return s;
}

QList<QByteArray> pop3List(const QList<QByteArray> &contents)
{
    QList<QByteArray> s{"C: LIST", "S: +OK " + QByteArray::number(contents.size()) + " messages"};
    for (int i = 1; i <= contents.size(); ++i)
        s << "S: " + QByteArray::number(i) + ' ' + QByteArray::number(contents.at(i - 1).size());
    s << "S: .";
    return s;
}

QList<QByteArray> pop3Login(const QByteArray &password)
{
    return {"S: +OK POP3 ready", "C: CAPA", "S: +OK",
            "S: UIDL",           "S: USER", "S: .",
            "C: USER alice",     "S: +OK",  "C: PASS " + password,
            "S: +OK Logged in.", "C: CAPA", "S: +OK",
            "S: UIDL",           "S: USER", "S: ."};
}

QList<QByteArray> pop3Opening(const QList<QByteArray> &contents)
{
    return pop3Login() + pop3Uidl(contents) + pop3List(contents);
}

QList<QByteArray> pop3Retr(int number, const QByteArray &content)
{
    return {"C: RETR " + QByteArray::number(number),
            "S: +OK " + QByteArray::number(content.size()) + " octets",
            "R: " + dotStuff(content) + ".\r\n"};
}

PollPass::Settings passSettings(quint16 port, Retention retention, int maxPerPass)
{
    PollPass::Settings s;
    s.account.name = QStringLiteral("office");
    s.account.type = ServerType::Pop3;
    s.account.host = QStringLiteral("127.0.0.1");
    s.account.port = port;
    s.account.username = QStringLiteral("alice");
    s.account.allowPlaintextLogin = true; // the fakes speak plain TCP
    s.account.timeoutSecs = 10;
    s.account.recipient = QStringLiteral("desk@example.org");
    s.account.retention = retention;
    s.account.keepDays = 7;
    s.maxPerPass = maxPerPass;
    return s;
}

PassRun runPass(DataDir &data, const PollPass::Settings &settings, Spool *spool)
{
    PassRun run;
    PollPass pass(settings, spool ? *spool : data.spool(), data.store(), &data.secrets);
    QSignalSpy finished(&pass, &PollPass::finished);
    QSignalSpy batches(&pass, &PollPass::batchCommitted);
    QSignalSpy limit(&pass, &PollPass::spoolLimitReached);
    pass.start();
    if (finished.isEmpty())
        finished.wait(Deadline);
    run.finishedCount = int(finished.size());
    run.limitSignals = int(limit.size());
    if (!limit.isEmpty())
        run.leftOnServer = limit.first().at(0).toInt();
    for (const QList<QVariant> &batch : std::as_const(batches))
        run.batched += batch.at(0).toInt();
    if (!finished.isEmpty()) {
        const QList<QVariant> args = finished.first();
        run.result = args.at(0).value<Result>();
        run.collected = args.at(1).toInt();
        run.more = args.at(2).toBool();
    } else {
        run.result = Result::failure(ErrorCode::Timeout, QStringLiteral("test: no finished()"));
    }
    return run;
}

QList<QByteArray> linesStartingWith(const QList<QByteArray> &lines, const QByteArray &prefix)
{
    QList<QByteArray> out;
    std::copy_if(lines.cbegin(), lines.cend(), std::back_inserter(out),
                 [&prefix](const QByteArray &line) { return line.startsWith(prefix); });
    return out;
}

} // namespace pollux::test

namespace pollux {

char *toString(const ErrorCode &code)
{
    return qstrdup(errorCodeName(code).toUtf8().constData());
}

char *toString(const DeliveryState &state)
{
    switch (state) {
    case DeliveryState::Waiting:
        return qstrdup("Waiting");
    case DeliveryState::Deferred:
        return qstrdup("Deferred");
    case DeliveryState::Delivered:
        return qstrdup("Delivered");
    case DeliveryState::Failed:
        return qstrdup("Failed");
    case DeliveryState::Duplicate:
        return qstrdup("Duplicate");
    }
    return qstrdup("?");
}

} // namespace pollux
