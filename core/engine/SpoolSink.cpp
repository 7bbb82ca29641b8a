#include "SpoolSink.h"

#include "engine/Log.h"
#include "routing/Address.h"
#include "routing/HeaderFields.h"

#include <QCryptographicHash>

namespace pollux {

SpoolSink::SpoolSink(Spool &spool, Store &store, const QString &account,
                     const QStringList &recipients, Limits limits)
    : m_spool(spool), m_store(store), m_account(account), m_recipients(recipients),
      m_limits(limits), m_batchLimit(qMax(1, limits.messages))
{
}

SpoolSink::SpoolSink(Spool &spool, Store &store, const QString &account,
                     const QStringList &recipients)
    : SpoolSink(spool, store, account, recipients, Limits{})
{
}

SpoolSink::~SpoolSink()
{
    if (m_writer)
        m_writer->discard();
    // Files of a batch that never became durable are orphans; the spool's orphan sweep
    // removes them at the next start. The messages are still on the server.
}

Result SpoolSink::begin(const RemoteMessage &)
{
    Result error;
    m_head.clear();
    m_writer = m_spool.create(m_account, error);
    if (!m_writer)
        return error;
    return Result::success();
}

Result SpoolSink::write(const char *data, qsizetype size)
{
    if (!m_writer)
        return Result::failure(ErrorCode::Storage, QStringLiteral("no spool file open"));
    if (m_head.size() < HeaderCapture)
        m_head.append(data, qMin(size, HeaderCapture - m_head.size()));
    return m_writer->write(data, size);
}

Result SpoolSink::end(const RemoteMessage &message)
{
    if (!m_writer)
        return Result::failure(ErrorCode::Storage, QStringLiteral("no spool file open"));
    if (Result r = m_writer->finish(); !r)
        return r;
    SpooledMessage spooled;
    spooled.uid = message.uid;
    spooled.size = m_writer->size();
    spooled.spoolPath = m_writer->relativePath();
    spooled.recipients = m_recipients;
    spooled.fingerprint = fingerprint(m_head, message.size); // as announced, like the listing
    const Display display = displayFields(m_head);
    spooled.from = display.from;
    spooled.subject = display.subject;
    m_head.clear();
    m_writer.reset();
    if (m_batch.isEmpty())
        m_batchAge.start();
    m_batch.append(spooled);
    m_batchBytes += spooled.size;
    if (m_batch.size() >= m_batchLimit || m_batchBytes >= m_limits.bytes ||
        m_batchAge.elapsed() >= m_limits.millis)
        return flush();
    return Result::success();
}

void SpoolSink::abort(const RemoteMessage &)
{
    if (m_writer) {
        m_writer->discard();
        m_writer.reset();
    }
}

Result SpoolSink::flush()
{
    if (m_batch.isEmpty())
        return Result::success();
    QStringList paths;
    paths.reserve(m_batch.size());
    for (const SpooledMessage &m : std::as_const(m_batch))
        paths << m.spoolPath;
    if (Result r = m_spool.makeDurable(paths); !r)
        return r;
    if (Result r = m_store.recordSpooled(m_account, m_batch); !r)
        return r;
    const int n = m_batch.size();
    for (const SpooledMessage &m : std::as_const(m_batch))
        qCInfo(lcPass).noquote()
            << QStringLiteral("%1: collected UID %2 (%3 bytes)").arg(m_account, m.uid).arg(m.size);
    m_committed += n;
    m_batchLimit = qMin(qMax(m_batchLimit, m_limits.maxMessages), m_batchLimit * 2);
    m_batch.clear();
    m_batchBytes = 0;
    if (onBatchCommitted)
        onBatchCommitted(n);
    return Result::success();
}

QString SpoolSink::fingerprint(const QByteArray &head, qint64 size)
{
    QByteArray block = head.left(HeaderCapture);
    qsizetype end = block.indexOf("\r\n\r\n");
    if (end >= 0) {
        block.truncate(end + 2);
    } else if ((end = block.indexOf("\n\n")) >= 0) {
        block.truncate(end + 1);
    }
    return QStringLiteral("h1:") +
           QString::fromLatin1(
               QCryptographicHash::hash(block, QCryptographicHash::Sha256).toHex()) +
           QLatin1Char('|') + QString::number(size);
}

namespace {

// Characters that are not shown: C0 and C1 controls (NUL, ESC, DEL ...), and the
// bidirectional embeddings, overrides and isolates, which could make a Subject display as
// something it is not.
bool hidden(char32_t c)
{
    return c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

// Enough of a raw value for DisplayLimit characters even when all of them are encoded
// words (base64 of 4-byte UTF-8 and the markup around it), little enough to decode fast.
constexpr qsizetype kRawLimit = 8 * 1024;

} // namespace

QString SpoolSink::displayText(const QByteArray &value)
{
    QByteArray raw = value.left(kRawLimit);
    raw.replace('\0', ' '); // GMime reads C strings
    const QList<uint> decoded = routing::decodeHeaderText(raw).toUcs4();
    QString out;
    bool space = false;
    for (const uint c : decoded) {
        if (QChar::isSpace(c)) { // CR, LF, tab ...: one space between words
            space = !out.isEmpty();
            continue;
        }
        if (hidden(c))
            continue;
        if (space)
            out += QLatin1Char(' ');
        space = false;
        const char32_t code = c;
        out += QString::fromUcs4(&code, 1);
    }
    if (out.size() > DisplayLimit) {
        qsizetype cut = DisplayLimit - 1;
        if (out.at(cut - 1).isHighSurrogate())
            --cut; // not half a character
        out.truncate(cut);
        out += QChar(0x2026); // …
    }
    return out;
}

SpoolSink::Display SpoolSink::displayFields(const QByteArray &head)
{
    // The fields before the empty line, or before the end of the head when the header goes
    // on beyond it: the first From and Subject, if they come that early. One that was cut
    // is shown as far as it goes.
    const routing::HeaderRead read =
        routing::readHeaderFields(head.left(HeaderCapture), HeaderCapture, 1000);
    Display display;
    const QList<QByteArray> from = routing::fieldValues(read.fields, "From");
    const QList<QByteArray> subject = routing::fieldValues(read.fields, "Subject");
    if (!from.isEmpty())
        display.from = displayText(from.first());
    if (!subject.isEmpty())
        display.subject = displayText(subject.first());
    return display;
}

bool SpoolSink::isCurrentFingerprint(const QString &fingerprint)
{
    return fingerprint.startsWith(QLatin1String("h1:"));
}

} // namespace pollux
