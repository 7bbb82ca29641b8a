#include "Pop3Parser.h"

#include <QCryptographicHash>
#include <QHash>
#include <QSet>

#include <cstring>

namespace pollux::pop3 {

namespace {

bool startsWithNoCase(const QByteArray &line, const char *prefix)
{
    const qsizetype n = qsizetype(std::strlen(prefix));
    return line.size() >= n && qstrnicmp(line.constData(), prefix, n) == 0;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

QByteArray trimmedSpaces(const QByteArray &in)
{
    qsizetype begin = 0;
    qsizetype end = in.size();
    while (begin < end && isSpace(in.at(begin)))
        ++begin;
    while (end > begin && isSpace(in.at(end - 1)))
        --end;
    return in.mid(begin, end - begin);
}

// Decimal digits only, min <= value <= max, no overflow.
bool parseNumber(const QByteArray &digits, qint64 min, qint64 max, qint64 &value)
{
    if (digits.isEmpty() || digits.size() > 20)
        return false;
    qint64 v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return false;
        const int digit = c - '0';
        if (v > (max - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    if (v < min)
        return false;
    value = v;
    return true;
}

// Splits "first rest" at the first run of spaces; rest may be empty.
void splitFirst(const QByteArray &line, QByteArray &first, QByteArray &rest)
{
    const QByteArray t = trimmedSpaces(line);
    qsizetype i = 0;
    while (i < t.size() && !isSpace(t.at(i)))
        ++i;
    first = t.left(i);
    rest = trimmedSpaces(t.mid(i));
}

Result protocolError(const QString &what, const QByteArray &line)
{
    return Result::failure(ErrorCode::Protocol, what + QStringLiteral(": ") + quoteLine(line));
}

} // namespace

QString quoteLine(const QByteArray &line)
{
    constexpr qsizetype Shown = 200;
    QString out = QStringLiteral("\"");
    for (qsizetype i = 0; i < line.size() && i < Shown; ++i) {
        const uchar c = uchar(line.at(i));
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    out += QLatin1Char('"');
    if (line.size() > Shown)
        out += QStringLiteral("... (%1 bytes)").arg(line.size());
    return out;
}

// --- LineSplitter ---------------------------------------------------------------------

void LineSplitter::append(const char *data, qsizetype size)
{
    if (m_pos > 0 && m_pos >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_buffer.append(data, size);
}

Result LineSplitter::takeLine(QByteArray &line, bool &complete)
{
    complete = false;
    const qsizetype available = pendingSize();
    // Look no further than a maximal line plus its CRLF.
    const qsizetype window = qMin(available, m_maxLength + 2);
    const void *lf = std::memchr(pendingData(), '\n', size_t(window));
    if (!lf) {
        if (available > m_maxLength + 1)
            return Result::failure(
                ErrorCode::LineTooLong,
                QStringLiteral("server line longer than %1 bytes: %2")
                    .arg(m_maxLength)
                    .arg(quoteLine(QByteArray(pendingData(), qMin(pendingSize(), qsizetype(80))))));
        return Result::success();
    }
    const qsizetype lfPos = static_cast<const char *>(lf) - pendingData();
    qsizetype length = lfPos;
    if (length > 0 && pendingData()[length - 1] == '\r')
        --length;
    if (length > m_maxLength)
        return Result::failure(
            ErrorCode::LineTooLong,
            QStringLiteral("server line longer than %1 bytes: %2")
                .arg(m_maxLength)
                .arg(quoteLine(QByteArray(pendingData(), qMin(pendingSize(), qsizetype(80))))));
    line = QByteArray(pendingData(), length);
    consume(lfPos + 1);
    complete = true;
    return Result::success();
}

void LineSplitter::consume(qsizetype size)
{
    m_pos += qMin(size, pendingSize());
    if (m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    }
}

void LineSplitter::clear()
{
    m_buffer.clear();
    m_pos = 0;
}

// --- Status lines, greeting, CAPA -----------------------------------------------------

Result parseStatus(const QByteArray &line, Status &status)
{
    if (line.contains('\0') || line.contains('\r') || line.contains('\n'))
        return protocolError(QStringLiteral("invalid bytes in the server's reply"), line);
    qsizetype textStart = 0;
    if (startsWithNoCase(line, "+OK")) {
        status.ok = true;
        textStart = 3;
    } else if (startsWithNoCase(line, "-ERR")) {
        status.ok = false;
        textStart = 4;
    } else {
        return protocolError(QStringLiteral("not a POP3 reply"), line);
    }
    if (line.size() > textStart && !isSpace(line.at(textStart)))
        return protocolError(QStringLiteral("not a POP3 reply"), line);
    status.text = trimmedSpaces(line.mid(textStart));
    status.code = ResponseCode::None;
    status.codeText.clear();
    if (status.text.startsWith('[')) {
        const qsizetype close = status.text.indexOf(']');
        if (close > 1) {
            status.codeText = status.text.mid(1, close - 1).toUpper();
            const QByteArray &c = status.codeText;
            if (c == "IN-USE")
                status.code = ResponseCode::InUse;
            else if (c == "LOGIN-DELAY")
                status.code = ResponseCode::LoginDelay;
            else if (c == "SYS/TEMP")
                status.code = ResponseCode::SysTemp;
            else if (c == "SYS/PERM")
                status.code = ResponseCode::SysPerm;
            else if (c == "AUTH")
                status.code = ResponseCode::Auth;
            else
                status.code = ResponseCode::Other;
        }
    }
    return Result::success();
}

QByteArray apopTimestamp(const QByteArray &greetingText)
{
    const qsizetype open = greetingText.indexOf('<');
    if (open < 0)
        return {};
    const qsizetype close = greetingText.indexOf('>', open + 1);
    if (close < 0 || close == open + 1 || close - open + 1 > MaxApopTimestampLength)
        return {};
    for (qsizetype i = open + 1; i < close; ++i) {
        const uchar c = uchar(greetingText.at(i));
        if (c < 0x21 || c > 0x7e || c == '<')
            return {};
    }
    return greetingText.mid(open, close - open + 1);
}

QByteArray apopDigest(const QByteArray &timestamp, const QByteArray &password)
{
    const QByteArray input = timestamp + password;
    return QCryptographicHash::hash(input, QCryptographicHash::Md5).toHex();
}

void addCapability(Capabilities &caps, const QByteArray &line)
{
    QByteArray name;
    QByteArray args;
    splitFirst(line, name, args);
    name = name.toUpper();
    if (name == "PIPELINING")
        caps.pipelining = true;
    else if (name == "UIDL")
        caps.uidl = true;
    else if (name == "USER")
        caps.user = true;
    else if (name == "TOP")
        caps.top = true;
    else if (name == "STLS")
        caps.stls = true;
    else if (name == "RESP-CODES")
        caps.respCodes = true;
    else if (name == "SASL") {
        const QList<QByteArray> mechs = args.simplified().split(' ');
        for (const QByteArray &m : mechs)
            if (!m.isEmpty() && !caps.sasl.contains(m.toUpper()))
                caps.sasl.append(m.toUpper());
    }
}

bool isEndOfResponse(const QByteArray &line)
{
    return line.size() == 1 && line.at(0) == '.';
}

QByteArray unstuff(const QByteArray &line)
{
    return line.startsWith('.') ? line.mid(1) : line;
}

// --- UIDL and LIST --------------------------------------------------------------------

Result parseUidlLine(const QByteArray &line, UidlEntry &entry)
{
    QByteArray number;
    QByteArray uid;
    splitFirst(line, number, uid);
    if (!parseNumber(number, 1, MaxMessageNumber, entry.number))
        return protocolError(QStringLiteral("bad message number in UIDL line"), line);
    if (uid.isEmpty() || uid.size() > MaxUidLength)
        return protocolError(QStringLiteral("bad unique-id length in UIDL line"), line);
    for (char c : uid)
        if (uchar(c) < 0x21 || uchar(c) > 0x7e)
            return protocolError(QStringLiteral("bad character in UIDL unique-id"), line);
    entry.uid = uid;
    return Result::success();
}

Result parseListLine(const QByteArray &line, ListEntry &entry)
{
    QByteArray number;
    QByteArray rest;
    splitFirst(line, number, rest);
    if (!parseNumber(number, 1, MaxMessageNumber, entry.number))
        return protocolError(QStringLiteral("bad message number in LIST line"), line);
    QByteArray size;
    QByteArray extra;
    splitFirst(rest, size, extra);
    qint64 value = 0;
    if (!parseNumber(size, 0, MaxMessageSize, value))
        return protocolError(QStringLiteral("bad size in LIST line"), line);
    entry.size = value;
    return Result::success();
}

Result joinListing(const QList<UidlEntry> &uids, const QList<ListEntry> &sizes,
                   QList<RemoteMessage> &messages)
{
    QHash<qint64, qint64> sizeOf;
    for (const ListEntry &e : sizes) {
        if (sizeOf.contains(e.number))
            return Result::failure(ErrorCode::Protocol,
                                   QStringLiteral("LIST names message %1 twice").arg(e.number));
        sizeOf.insert(e.number, e.size);
    }
    QSet<qint64> numbers;
    QSet<QByteArray> seen;
    messages.clear();
    messages.reserve(uids.size());
    for (const UidlEntry &e : uids) {
        if (numbers.contains(e.number))
            return Result::failure(ErrorCode::Protocol,
                                   QStringLiteral("UIDL names message %1 twice").arg(e.number));
        if (seen.contains(e.uid))
            return Result::failure(
                ErrorCode::Protocol,
                QStringLiteral("UIDL gives two messages the unique-id %1").arg(quoteLine(e.uid)));
        const auto it = sizeOf.constFind(e.number);
        if (it == sizeOf.constEnd())
            return Result::failure(
                ErrorCode::Protocol,
                QStringLiteral("message %1 is in the UIDL but not in the LIST answer")
                    .arg(e.number));
        numbers.insert(e.number);
        seen.insert(e.uid);
        RemoteMessage m;
        m.uid = QString::fromLatin1(e.uid);
        m.size = it.value();
        m.index = e.number;
        messages.append(m);
    }
    return Result::success();
}

namespace {
// What the -ERR means, in English for the log.
Result loginRefusal(const QByteArray &command, const Status &status)
{
    const QString said = QStringLiteral("server said: -ERR ") + QString::fromLatin1(status.text);
    const QString cmd = QString::fromLatin1(command);
    switch (status.code) {
    case ResponseCode::InUse:
        return Result::failure(ErrorCode::TemporaryFailure,
                               QStringLiteral("the mailbox is locked: another session is "
                                              "using it (%1 refused); ")
                                       .arg(cmd) +
                                   said);
    case ResponseCode::LoginDelay:
        return Result::failure(ErrorCode::TemporaryFailure,
                               QStringLiteral("logged in too soon after the last login (%1 "
                                              "refused, LOGIN-DELAY); ")
                                       .arg(cmd) +
                                   said);
    case ResponseCode::SysTemp:
        return Result::failure(ErrorCode::TemporaryFailure,
                               QStringLiteral("temporary server problem (%1 refused); ").arg(cmd) +
                                   said);
    case ResponseCode::SysPerm:
        return Result::failure(ErrorCode::ServerError,
                               QStringLiteral("server problem (%1 refused); ").arg(cmd) + said);
    case ResponseCode::Auth:
    case ResponseCode::None:
    case ResponseCode::Other:
        break;
    }
    return Result::failure(ErrorCode::AuthFailed,
                           QStringLiteral("login refused (%1); ").arg(cmd) + said);
}
} // namespace

QByteArray serverReply(const Status &status)
{
    const QByteArray word = status.ok ? QByteArrayLiteral("+OK") : QByteArrayLiteral("-ERR");
    return status.text.isEmpty() ? word : word + ' ' + status.text;
}

Result loginFailure(const QByteArray &command, const Status &status)
{
    return loginRefusal(command, status).withServerSaid(serverReply(status));
}

// --- DataDecoder ----------------------------------------------------------------------

// RFC 1939 3: the response ends at CRLF "." CRLF, and nowhere else. A "." line after a bare
// LF, or a "." followed by a bare LF, is content: a server dot-stuffs lines that follow a
// CRLF, so a message that holds "LF . LF" (or a server that does not stuff) must not end
// early, or the rest of the message would be read as the next response.
qsizetype DataDecoder::feed(const char *data, qsizetype size, QByteArray &out)
{
    qsizetype i = 0;
    while (i < size) {
        switch (m_state) {
        case State::Done:
            return i;
        case State::Middle: {
            // Copy up to and including the next LF in one go.
            const void *lf = std::memchr(data + i, '\n', size_t(size - i));
            const qsizetype end = lf ? (static_cast<const char *>(lf) - data) + 1 : size;
            if (lf) {
                const char before = end - 1 > i ? data[end - 2] : m_last;
                m_state = before == '\r' ? State::LineStart : State::SoftLineStart;
            }
            out.append(data + i, end - i);
            m_last = data[end - 1];
            i = end;
            break;
        }
        case State::LineStart:
            if (data[i] == '.') {
                m_state = State::Dot; // the termination octet: stripped or the end
                ++i;
            } else {
                m_state = State::Middle;
            }
            break;
        case State::SoftLineStart:
            if (data[i] == '.') {
                m_state = State::SoftDot;
                ++i;
            } else {
                m_state = State::Middle;
            }
            break;
        case State::Dot:
            if (data[i] == '\r') {
                m_state = State::DotCr;
                ++i;
            } else {
                m_state = State::Middle; // "..x" -> ".x", ".x" -> "x" (RFC 1939)
            }
            break;
        case State::DotCr:
            if (data[i] == '\n') {
                m_state = State::Done;
                ++i;
            } else {
                out.append('\r'); // ".\rx": the CR was content
                m_last = '\r';
                m_state = State::Middle;
            }
            break;
        case State::SoftDot:
            // After a bare LF: ".." is a stuffed "." (a server that takes LF for a line end);
            // any other "." is content as it came, never the terminator.
            if (data[i] != '.') {
                out.append('.');
                m_last = '.';
            }
            m_state = State::Middle;
            break;
        }
    }
    return i;
}

} // namespace pollux::pop3
