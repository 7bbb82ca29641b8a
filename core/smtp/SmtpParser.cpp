#include "SmtpParser.h"

namespace pollux::smtp {

namespace {

constexpr int MaxShownLine = 200;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// The line as it may appear in an error message: cut, control bytes escaped.
QString printable(const QByteArray &line)
{
    QString out;
    const qsizetype n = qMin<qsizetype>(line.size(), MaxShownLine);
    for (qsizetype i = 0; i < n; ++i) {
        const uchar c = uchar(line.at(i));
        if (c < 0x20 || c >= 0x7f)
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(char(c));
    }
    if (line.size() > n)
        out += QStringLiteral("...");
    return out;
}

} // namespace

QString Reply::toString() const
{
    const QStringList parts = lines();
    QString out;
    for (int i = 0; i < parts.size(); ++i) {
        if (i)
            out += QLatin1Char('\n');
        out += QString::number(code);
        if (i + 1 < parts.size())
            out += QLatin1Char('-') + parts.at(i);
        else if (!parts.at(i).isEmpty())
            out += QLatin1Char(' ') + parts.at(i);
    }
    return out;
}

Result ParseError::toResult() const
{
    if (!isError())
        return Result::success();
    return Result::failure(code,
                           message + QStringLiteral(": \"") + printable(line) + QLatin1Char('"'));
}

ParseError parseReplyLine(const QByteArray &line, ReplyLine &out)
{
    ParseError error;
    if (line.size() < 3 || !isDigit(line.at(0)) || !isDigit(line.at(1)) || !isDigit(line.at(2))) {
        error.code = ErrorCode::Protocol;
        error.message = QStringLiteral("not an SMTP reply");
        error.line = line.left(MaxShownLine + 1);
        return error;
    }
    if (line.at(0) < '2' || line.at(0) > '5') {
        error.code = ErrorCode::Protocol;
        error.message = QStringLiteral("reply code out of range");
        error.line = line.left(MaxShownLine + 1);
        return error;
    }
    out.code = (line.at(0) - '0') * 100 + (line.at(1) - '0') * 10 + (line.at(2) - '0');
    if (line.size() == 3) {
        out.last = true;
        out.text.clear();
        return error;
    }
    const char sep = line.at(3);
    if (sep != ' ' && sep != '-') {
        error.code = ErrorCode::Protocol;
        error.message = QStringLiteral("no space or hyphen after the reply code");
        error.line = line.left(MaxShownLine + 1);
        return error;
    }
    out.last = sep == ' ';
    out.text = line.mid(4);
    return error;
}

ReplyReader::ReplyReader(int maxLineLength, int maxLines)
    : m_maxLineLength(maxLineLength), m_maxLines(maxLines)
{
}

void ReplyReader::feed(const QByteArray &bytes)
{
    if (hasError())
        return;
    if (m_pos > 0 && (m_pos == m_buffer.size() || m_pos > 65536)) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_buffer += bytes;
}

void ReplyReader::clear()
{
    m_buffer.clear();
    m_pos = 0;
    m_partial.clear();
    m_partialText.clear();
    m_partialCode = 0;
    m_error = ParseError();
}

void ReplyReader::setError(ErrorCode code, const QString &message, const QByteArray &line)
{
    m_error.code = code;
    m_error.message = message;
    m_error.line = line.left(MaxShownLine + 1);
}

bool ReplyReader::takeLine(QByteArray &line)
{
    const qsizetype end = m_buffer.indexOf('\n', m_pos);
    if (end < 0) {
        // +1: a CR of the line ending may already be here.
        if (m_buffer.size() - m_pos > m_maxLineLength + 1)
            setError(ErrorCode::LineTooLong,
                     QStringLiteral("reply line longer than %1 bytes").arg(m_maxLineLength),
                     m_buffer.mid(m_pos, MaxShownLine + 1));
        return false;
    }
    line = m_buffer.mid(m_pos, end - m_pos);
    m_pos = end + 1;
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.size() > m_maxLineLength) {
        setError(ErrorCode::LineTooLong,
                 QStringLiteral("reply line longer than %1 bytes").arg(m_maxLineLength), line);
        return false;
    }
    return true;
}

bool ReplyReader::next(Reply &reply, QList<QByteArray> *rawLines)
{
    QByteArray line;
    while (!hasError() && takeLine(line)) {
        ReplyLine parsed;
        const ParseError error = parseReplyLine(line, parsed);
        if (error.isError()) {
            m_error = error;
            return false;
        }
        if (!m_partial.isEmpty() && parsed.code != m_partialCode) {
            setError(ErrorCode::Protocol,
                     QStringLiteral("reply code changed from %1 within a multi-line reply")
                         .arg(m_partialCode),
                     line);
            return false;
        }
        if (m_partial.size() >= m_maxLines) {
            setError(ErrorCode::Protocol,
                     QStringLiteral("reply longer than %1 lines").arg(m_maxLines), line);
            return false;
        }
        m_partialCode = parsed.code;
        m_partial.append(line);
        m_partialText.append(QString::fromUtf8(parsed.text));
        if (parsed.last) {
            reply.code = m_partialCode;
            reply.text = m_partialText.join(QLatin1Char('\n'));
            if (rawLines)
                *rawLines = m_partial;
            m_partial.clear();
            m_partialText.clear();
            m_partialCode = 0;
            return true;
        }
    }
    return false;
}

Capabilities Capabilities::fromEhlo(const Reply &reply)
{
    Capabilities caps;
    caps.esmtp = reply.code == 250;
    if (!caps.esmtp)
        return caps;
    const QStringList lines = reply.lines();
    // The first line greets with the server's name; each further line is one extension.
    for (int i = 1; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.isEmpty())
            continue;
        QString keyword = words.takeFirst().toUpper();
        if (keyword.startsWith(QLatin1String("AUTH="))) {
            // Old servers: "AUTH=LOGIN PLAIN".
            words.prepend(keyword.mid(5));
            keyword = QStringLiteral("AUTH");
        }
        if (keyword == QLatin1String("PIPELINING")) {
            caps.pipelining = true;
        } else if (keyword == QLatin1String("STARTTLS")) {
            caps.startTls = true;
        } else if (keyword == QLatin1String("SMTPUTF8")) {
            caps.smtpUtf8 = true;
        } else if (keyword == QLatin1String("8BITMIME")) {
            caps.eightBitMime = true;
        } else if (keyword == QLatin1String("CHUNKING")) {
            caps.chunking = true;
        } else if (keyword == QLatin1String("BINARYMIME")) {
            caps.binaryMime = true;
        } else if (keyword == QLatin1String("SIZE")) {
            caps.size = true;
            bool ok = false;
            const qint64 limit = words.isEmpty() ? 0 : words.first().toLongLong(&ok);
            caps.maxSize = ok && limit > 0 ? limit : 0;
        } else if (keyword == QLatin1String("AUTH")) {
            for (const QString &word : std::as_const(words)) {
                const QString mechanism = word.toUpper();
                if (!mechanism.isEmpty() && !caps.authMechanisms.contains(mechanism))
                    caps.authMechanisms.append(mechanism);
            }
        }
    }
    return caps;
}

QByteArray BodyEncoder::encode(const char *data, qsizetype size)
{
    QByteArray out;
    if (m_finished)
        return out;
    // Worst case: every byte a bare LF or CR (2 bytes out) or a leading dot (2 bytes).
    out.reserve(size * 2 + 2);
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        if (m_pendingCr) {
            m_pendingCr = false;
            out += "\r\n";
            m_atLineStart = true;
            if (c == '\n')
                continue; // CRLF, possibly split across chunks: one line ending
        }
        if (c == '\r') {
            m_pendingCr = true;
        } else if (c == '\n') {
            out += "\r\n";
            m_atLineStart = true;
        } else {
            if (m_atLineStart && c == '.')
                out += '.';
            out += c;
            m_atLineStart = false;
        }
    }
    return out;
}

QByteArray BodyEncoder::finish()
{
    QByteArray out;
    if (m_finished)
        return out;
    m_finished = true;
    if (m_pendingCr || !m_atLineStart)
        out += "\r\n";
    m_pendingCr = false;
    m_atLineStart = true;
    out += ".\r\n";
    return out;
}

void BodyScanner::feed(const char *data, qsizetype size)
{
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        if (m_pendingCr) {
            m_pendingCr = false;
            if (c == '\n') { // CRLF: the line ends
                m_shape.longestLine = qMax(m_shape.longestLine, m_line);
                m_line = 0;
                continue;
            }
            m_shape.bareCr = true; // a lone CR is content of the line
            m_line += 1;
        }
        if (c == '\r') {
            m_pendingCr = true;
            continue;
        }
        if (c == '\n') {
            m_shape.bareLf = true;
            m_shape.longestLine = qMax(m_shape.longestLine, m_line);
            m_line = 0;
            continue;
        }
        if (c == '\0')
            m_shape.nul = true;
        m_line += 1;
    }
}

BodyShape BodyScanner::finish()
{
    if (m_pendingCr) {
        m_pendingCr = false;
        m_shape.bareCr = true;
        m_line += 1;
    }
    m_shape.longestLine = qMax(m_shape.longestLine, m_line);
    m_line = 0;
    return m_shape;
}

} // namespace pollux::smtp
