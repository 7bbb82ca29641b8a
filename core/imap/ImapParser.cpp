#include "ImapParser.h"

#include <cstring>

namespace pollux::imap {

namespace {

constexpr int MaxNesting = 32; // parenthesised lists inside one value

bool startsWithNoCase(const QByteArray &s, qsizetype from, const char *prefix)
{
    const qsizetype n = qsizetype(std::strlen(prefix));
    return s.size() - from >= n && qstrnicmp(s.constData() + from, prefix, n) == 0;
}

bool endsWithNoCase(const QByteArray &s, const char *suffix)
{
    const qsizetype n = qsizetype(std::strlen(suffix));
    return s.size() >= n && qstrnicmp(s.constData() + s.size() - n, suffix, n) == 0;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

Result protocolError(const QString &what, const QByteArray &line)
{
    return Result::failure(ErrorCode::Protocol, what + QStringLiteral(": ") + quoteLine(line));
}

// Status responses and continuations carry free text, never literals: a text that happens
// to end in "{5}" is text.
bool isStatusLine(const QByteArray &line)
{
    if (line.startsWith('+'))
        return true;
    const qsizetype sp = line.indexOf(' ');
    if (sp < 0)
        return false;
    for (const char *word : {"OK", "NO", "BAD", "BYE", "PREAUTH"}) {
        const qsizetype n = qsizetype(std::strlen(word));
        if (startsWithNoCase(line, sp + 1, word) &&
            (line.size() == sp + 1 + n || line.at(sp + 1 + n) == ' '))
            return true;
    }
    return false;
}

// Whether a literal announced at the end of `before` is a message body to stream:
// "* n FETCH (... BODY[] {" (also BODY[]<0>, BINARY[], RFC822).
bool isBodyContext(QByteArray before)
{
    qsizetype i = 2;
    if (!before.startsWith("* ") || i >= before.size() || !isDigit(before.at(i)))
        return false;
    while (i < before.size() && isDigit(before.at(i)))
        ++i;
    if (!startsWithNoCase(before, i, " FETCH ("))
        return false;
    if (before.endsWith('~')) // literal8 (RFC 3516)
        before.chop(1);
    if (before.endsWith(' '))
        before.chop(1);
    if (before.endsWith('>')) { // a partial fetch's origin
        const qsizetype lt = before.lastIndexOf('<');
        if (lt < 0)
            return false;
        before.truncate(lt);
    }
    return endsWithNoCase(before, " BODY[]") || endsWithNoCase(before, "(BODY[]") ||
           endsWithNoCase(before, " BINARY[]") || endsWithNoCase(before, "(BINARY[]") ||
           endsWithNoCase(before, " RFC822") || endsWithNoCase(before, "(RFC822");
}

// Walks a framed response token by token.
class Tokens
{
public:
    explicit Tokens(const RawResponse &raw) : m_raw(raw), m_text(raw.text) {}

    bool atEnd() const { return m_pos >= m_text.size(); }
    bool peek(char c) const { return !atEnd() && m_text.at(m_pos) == c; }
    bool take(char c)
    {
        if (!peek(c))
            return false;
        ++m_pos;
        return true;
    }
    Result space()
    {
        if (!take(' '))
            return error(QStringLiteral("expected a space"));
        while (take(' ')) // tolerated: some servers double them
            ;
        return Result::success();
    }
    // Bytes up to (not including) one of `stops`, a control character or the end.
    QByteArray word(const char *stops)
    {
        const qsizetype begin = m_pos;
        while (!atEnd()) {
            const char c = m_text.at(m_pos);
            if (uchar(c) < 0x20 || c == 0x7f || std::strchr(stops, c))
                break;
            ++m_pos;
        }
        return m_text.mid(begin, m_pos - begin);
    }
    QByteArray rest()
    {
        const QByteArray r = m_text.mid(m_pos);
        m_pos = m_text.size();
        return r;
    }
    Result number(qint64 min, qint64 &value)
    {
        const QByteArray digits = word(" ()[]<>");
        if (!parseNumber(digits, min, value))
            return error(QStringLiteral("expected a number"));
        return Result::success();
    }
    // The literal announced at the current position, if any.
    const Literal *literalHere() const
    {
        if (m_literal < m_raw.literals.size() && m_raw.literals.at(m_literal).at == m_pos)
            return &m_raw.literals.at(m_literal);
        return nullptr;
    }
    const Literal *takeLiteral()
    {
        const Literal *l = literalHere();
        if (!l)
            return nullptr;
        const qsizetype close = m_text.indexOf('}', m_pos);
        m_pos = close < 0 ? m_text.size() : close + 1;
        ++m_literal;
        return l;
    }
    // nstring: NIL, a quoted string or a literal (also literal8, "~{n}", RFC 3516).
    Result nstring(QByteArray &out, bool &streamed, bool *nil = nullptr)
    {
        streamed = false;
        out.clear();
        if (nil)
            *nil = false;
        if (peek('~') && m_literal < m_raw.literals.size() &&
            m_raw.literals.at(m_literal).at == m_pos + 1)
            ++m_pos;
        if (const Literal *l = takeLiteral()) {
            streamed = l->streamed;
            out = l->data;
            return Result::success();
        }
        if (take('"'))
            return quotedRest(out);
        const QByteArray w = word(" ()");
        if (w.compare("NIL", Qt::CaseInsensitive) == 0) {
            if (nil)
                *nil = true;
            return Result::success();
        }
        return error(QStringLiteral("expected a string"));
    }
    Result quotedRest(QByteArray &out)
    {
        while (!atEnd()) {
            char c = m_text.at(m_pos++);
            if (c == '"')
                return Result::success();
            if (c == '\\') {
                if (atEnd())
                    break;
                c = m_text.at(m_pos++);
            }
            out += c;
        }
        return error(QStringLiteral("unterminated quoted string"));
    }
    // Any value: atom, number, NIL, string, literal, or a parenthesised list of values.
    Result skipValue(int depth = 0)
    {
        if (depth > MaxNesting)
            return error(QStringLiteral("lists nested too deeply"));
        if (takeLiteral())
            return Result::success();
        if (take('"')) {
            QByteArray ignored;
            return quotedRest(ignored);
        }
        if (take('(')) {
            bool first = true;
            while (!take(')')) {
                if (atEnd())
                    return error(QStringLiteral("unterminated list"));
                if (!first && !take(' '))
                    return error(QStringLiteral("expected a space in a list"));
                first = false;
                if (peek(')'))
                    continue;
                if (Result r = skipValue(depth + 1); !r)
                    return r;
            }
            return Result::success();
        }
        if (word(" ()\"{").isEmpty())
            return error(QStringLiteral("expected a value"));
        return Result::success();
    }
    // "[...]" with nested brackets and lists inside, returned without the outer brackets.
    Result bracketed(QByteArray &out)
    {
        const qsizetype begin = m_pos;
        int depth = 0;
        while (!atEnd()) {
            const char c = m_text.at(m_pos++);
            if (c == '[')
                ++depth;
            else if (c == ']' && --depth == 0) {
                out = m_text.mid(begin + 1, m_pos - begin - 2);
                return Result::success();
            }
        }
        return error(QStringLiteral("unterminated section"));
    }
    Result error(const QString &what) const
    {
        return protocolError(what + QStringLiteral(" at offset ") + QString::number(m_pos), m_text);
    }
    bool isLastStreamed() const
    {
        const qsizetype at = peek('~') ? m_pos + 1 : m_pos;
        if (m_literal != m_raw.literals.size() - 1)
            return false;
        const Literal &l = m_raw.literals.at(m_literal);
        return l.at == at && l.streamed;
    }

private:
    const RawResponse &m_raw;
    const QByteArray &m_text;
    qsizetype m_pos = 0;
    qsizetype m_literal = 0;
};

// The msg-att list of a FETCH, from its "(". With stopAtBody, stops (successfully) where
// the streamed body literal begins: the response is still arriving.
Result parseFetchItems(Tokens &t, FetchData &out, bool stopAtBody)
{
    if (!t.take('('))
        return t.error(QStringLiteral("expected \"(\" after FETCH"));
    bool first = true;
    while (!t.take(')')) {
        if (t.atEnd())
            return t.error(QStringLiteral("unterminated FETCH"));
        if (!first)
            if (Result r = t.space(); !r)
                return r;
        first = false;
        QByteArray name = t.word(" [()<").toUpper();
        QByteArray section;
        bool hasSection = false;
        qint64 origin = -1;
        if (t.peek('[')) {
            hasSection = true;
            if (Result r = t.bracketed(section); !r)
                return r;
            if (t.take('<')) {
                if (Result r = t.number(0, origin); !r)
                    return r;
                if (!t.take('>'))
                    return t.error(QStringLiteral("expected \">\""));
            }
        }
        if (name.isEmpty())
            return t.error(QStringLiteral("expected a FETCH item"));
        if (Result r = t.space(); !r)
            return r;
        if (stopAtBody && t.isLastStreamed())
            return Result::success();
        const auto noteItem = [&] {
            out.item = name;
            out.section = section.toUpper();
            out.origin = origin;
        };
        if (name == "UID" && !hasSection) {
            if (Result r = t.number(1, out.uid); !r)
                return r;
        } else if (name == "RFC822.SIZE" && !hasSection) {
            if (Result r = t.number(0, out.size); !r)
                return r;
        } else if (hasSection || name == "RFC822") {
            QByteArray data;
            bool streamed = false;
            bool nil = false;
            if (Result r = t.nstring(data, streamed, &nil); !r)
                return r;
            if (streamed) {
                if (!section.isEmpty())
                    return t.error(QStringLiteral("unexpected streamed section"));
                out.streamedBody = true;
                noteItem();
            } else {
                out.hasSection = true;
                noteItem();
                out.nil = nil;
                out.sectionData = data;
            }
        } else if (Result r = t.skipValue(); !r) {
            return r;
        }
    }
    if (stopAtBody)
        return t.error(QStringLiteral("no body literal in FETCH"));
    return Result::success();
}

} // namespace

QString quoteLine(const QByteArray &line)
{
    constexpr qsizetype Max = 120;
    QString out = QStringLiteral("\"");
    for (qsizetype i = 0; i < qMin(line.size(), Max); ++i) {
        const uchar c = uchar(line.at(i));
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
    }
    out += QLatin1Char('"');
    if (line.size() > Max)
        out += QStringLiteral("...");
    return out;
}

bool parseNumber(const QByteArray &digits, qint64 min, qint64 &value)
{
    if (digits.isEmpty() || digits.size() > 10)
        return false;
    qint64 v = 0;
    for (char c : digits) {
        if (!isDigit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    if (v < min || v > MaxNumber)
        return false;
    value = v;
    return true;
}

// --- Framing ------------------------------------------------------------------------

void ResponseReader::append(const char *data, qsizetype size)
{
    compact();
    m_buffer.append(data, size);
}

void ResponseReader::compact()
{
    if (m_pos > 0 && (m_pos == m_buffer.size() || m_pos >= 64 * 1024)) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
}

void ResponseReader::clear()
{
    *this = ResponseReader();
}

Result ResponseReader::next(Event &event)
{
    m_chunk = nullptr;
    m_chunkSize = 0;
    if (m_responseDone) {
        m_response = RawResponse();
        m_responseDone = false;
    }
    for (;;) {
        const qsizetype pending = m_buffer.size() - m_pos;
        switch (m_state) {
        case State::Line: {
            const qsizetype window = qMin(pending, MaxLineLength + 2);
            const char *begin = m_buffer.constData() + m_pos;
            const void *lf = std::memchr(begin, '\n', size_t(window));
            if (!lf) {
                if (pending > MaxLineLength + 1)
                    return Result::failure(
                        ErrorCode::LineTooLong,
                        QStringLiteral("the server sent a line longer than %1 bytes: %2")
                            .arg(MaxLineLength)
                            .arg(quoteLine(QByteArray(begin, 80))));
                event = Event::NeedMore;
                return Result::success();
            }
            const qsizetype length = static_cast<const char *>(lf) - begin;
            QByteArray line(begin, length);
            m_pos += length + 1;
            if (line.endsWith('\r'))
                line.chop(1);
            if (Result r = onLine(line, event); !r)
                return r;
            if (event != Event::NeedMore)
                return Result::success();
            continue; // a small literal follows
        }
        case State::SmallLiteral: {
            const qsizetype n = qsizetype(qMin(qint64(pending), m_literalLeft));
            m_response.literals.last().data.append(m_buffer.constData() + m_pos, n);
            m_pos += n;
            m_literalLeft -= n;
            if (m_literalLeft > 0) {
                event = Event::NeedMore;
                return Result::success();
            }
            m_state = State::Line;
            continue;
        }
        case State::BodyLiteral: {
            if (m_literalLeft == 0) {
                m_state = State::Line;
                event = Event::BodyEnd;
                return Result::success();
            }
            if (pending == 0) {
                event = Event::NeedMore;
                return Result::success();
            }
            const qsizetype n = qsizetype(qMin(qint64(pending), m_literalLeft));
            m_chunk = m_buffer.constData() + m_pos;
            m_chunkSize = n;
            m_pos += n;
            m_literalLeft -= n;
            event = Event::BodyData;
            return Result::success();
        }
        }
    }
}

Result ResponseReader::onLine(QByteArray line, Event &event)
{
    if (line.contains('\0'))
        return protocolError(QStringLiteral("the server sent a NUL byte"), line);
    qint64 total = m_response.text.size() + line.size();
    for (const Literal &l : std::as_const(m_response.literals))
        total += l.streamed ? 0 : l.size;
    if (total > MaxResponseSize)
        return Result::failure(
            ErrorCode::LineTooLong,
            QStringLiteral("the server sent a response longer than %1 bytes").arg(MaxResponseSize));
    const bool first = m_response.text.isEmpty() && m_response.literals.isEmpty();
    const bool mayHaveLiterals =
        !(first && isStatusLine(line)) && !(!first && isStatusLine(m_response.text));
    qsizetype brace = -1;
    if (mayHaveLiterals && line.endsWith('}'))
        brace = line.lastIndexOf('{');
    if (brace < 0) {
        m_response.text += line;
        m_responseDone = true;
        event = Event::Response;
        return Result::success();
    }
    QByteArray digits = line.mid(brace + 1, line.size() - brace - 2);
    if (digits.endsWith('+')) // LITERAL+ / LITERAL- syntax, also seen in responses
        digits.chop(1);
    qint64 size = 0;
    if (!parseNumber(digits, 0, size))
        return protocolError(QStringLiteral("bad literal size"), line);
    Literal literal;
    literal.at = m_response.text.size() + brace;
    literal.size = size;
    m_response.text += line;
    if (isBodyContext(m_response.text.left(literal.at))) {
        literal.streamed = true;
        m_response.literals.append(literal);
        m_literalSize = size;
        m_literalLeft = size;
        m_state = State::BodyLiteral;
        event = Event::BodyBegin;
        return Result::success();
    }
    if (total + size > MaxResponseSize)
        return Result::failure(
            ErrorCode::LineTooLong,
            QStringLiteral("the server announced a literal of %1 bytes where at most %2 fit: %3")
                .arg(size)
                .arg(MaxResponseSize)
                .arg(quoteLine(line)));
    m_response.literals.append(literal);
    m_literalLeft = size;
    m_state = size > 0 ? State::SmallLiteral : State::Line;
    event = Event::NeedMore; // the caller's loop goes on
    return Result::success();
}

// --- Responses ------------------------------------------------------------------------

Capabilities parseCapabilities(const QByteArray &atoms)
{
    Capabilities caps;
    const QList<QByteArray> words = atoms.simplified().split(' ');
    for (const QByteArray &w : words) {
        if (w.isEmpty())
            continue;
        const QByteArray upper = w.toUpper();
        caps.atoms.insert(upper);
        if (upper.startsWith("AUTH=") && upper.size() > 5 && !caps.sasl.contains(upper.mid(5)))
            caps.sasl.append(upper.mid(5));
    }
    return caps;
}

Result parseResponse(const RawResponse &raw, Response &out)
{
    out = Response();
    Tokens t(raw);
    if (t.take('+')) {
        out.kind = Response::Kind::Continuation;
        t.take(' ');
        out.text = t.rest();
        return Result::success();
    }
    if (t.take('*')) {
        out.kind = Response::Kind::Untagged;
    } else {
        out.kind = Response::Kind::Tagged;
        out.tag = t.word(" (){%*\"\\]+");
        if (out.tag.isEmpty() || out.tag.size() > 64)
            return protocolError(QStringLiteral("not an IMAP response"), raw.text);
    }
    if (!t.take(' '))
        return protocolError(QStringLiteral("not an IMAP response"), raw.text);
    const QByteArray word = t.word(" ([");
    const QByteArray upper = word.toUpper();
    static const QList<QPair<QByteArray, Status>> statuses = {
        {"OK", Status::Ok},   {"NO", Status::No},           {"BAD", Status::Bad},
        {"BYE", Status::Bye}, {"PREAUTH", Status::Preauth},
    };
    for (const auto &s : statuses)
        if (upper == s.first)
            out.status = s.second;
    if (out.status != Status::None) {
        if (out.kind == Response::Kind::Tagged &&
            (out.status == Status::Bye || out.status == Status::Preauth))
            return protocolError(QStringLiteral("BYE or PREAUTH with a tag"), raw.text);
        t.take(' ');
        if (t.peek('[')) {
            QByteArray inside;
            if (Result r = t.bracketed(inside); !r)
                return r;
            const qsizetype sp = inside.indexOf(' ');
            out.code = (sp < 0 ? inside : inside.left(sp)).toUpper();
            out.codeArgs = sp < 0 ? QByteArray() : inside.mid(sp + 1);
            if (out.code.isEmpty())
                return protocolError(QStringLiteral("empty response code"), raw.text);
            if (out.code == "CAPABILITY")
                out.capabilities = parseCapabilities(out.codeArgs);
            t.take(' ');
        }
        out.text = t.rest();
        return Result::success();
    }
    if (out.kind == Response::Kind::Tagged)
        return protocolError(QStringLiteral("tagged response without OK, NO or BAD"), raw.text);
    if (word.isEmpty())
        return protocolError(QStringLiteral("empty untagged response"), raw.text);
    if (isDigit(word.at(0))) {
        if (!parseNumber(word, 0, out.number))
            return protocolError(QStringLiteral("number out of range"), raw.text);
        if (Result r = t.space(); !r)
            return r;
        out.keyword = t.word(" (").toUpper();
        if (out.keyword.isEmpty())
            return protocolError(QStringLiteral("number without a keyword"), raw.text);
        if (out.keyword == "FETCH") {
            if (out.number < 1)
                return protocolError(QStringLiteral("FETCH of message 0"), raw.text);
            if (Result r = t.space(); !r)
                return r;
            return parseFetchItems(t, out.fetch, false);
        }
        return Result::success();
    }
    out.keyword = upper;
    if (upper == "CAPABILITY") {
        out.capabilities = parseCapabilities(t.rest());
    } else if (upper == "SEARCH") {
        while (t.take(' ')) {
            if (t.atEnd())
                break;
            qint64 n = 0;
            if (Result r = t.number(1, n); !r)
                return r;
            out.numbers.append(n);
        }
        if (!t.atEnd())
            return t.error(QStringLiteral("unexpected data in SEARCH"));
    }
    return Result::success();
}

Result parseFetchStart(const RawResponse &raw, qint64 &sequence, qint64 &uid)
{
    Tokens t(raw);
    uid = 0;
    if (!t.take('*') || !t.take(' '))
        return t.error(QStringLiteral("expected an untagged FETCH"));
    if (Result r = t.number(1, sequence); !r)
        return r;
    if (Result r = t.space(); !r)
        return r;
    if (t.word(" ").toUpper() != "FETCH")
        return t.error(QStringLiteral("expected FETCH"));
    if (Result r = t.space(); !r)
        return r;
    FetchData data;
    if (Result r = parseFetchItems(t, data, true); !r)
        return r;
    uid = data.uid;
    return Result::success();
}

QByteArray serverReply(const Response &r)
{
    QByteArray out;
    switch (r.status) {
    case Status::Ok:
        out = "OK";
        break;
    case Status::No:
        out = "NO";
        break;
    case Status::Bad:
        out = "BAD";
        break;
    case Status::Bye:
        out = "BYE";
        break;
    case Status::Preauth:
        out = "PREAUTH";
        break;
    case Status::None:
        break;
    }
    if (!r.code.isEmpty())
        out += (out.isEmpty() ? "[" : " [") + r.code +
               (r.codeArgs.isEmpty() ? QByteArray() : ' ' + r.codeArgs) + ']';
    if (!r.text.isEmpty())
        out += (out.isEmpty() ? QByteArray() : QByteArray(" ")) + r.text;
    return out;
}

} // namespace pollux::imap
