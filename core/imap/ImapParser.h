#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QSet>

// Pure IMAP4rev1 response parsing (RFC 3501, LITERAL+ RFC 7888). Nothing here sees a
// socket: bytes in, values or typed errors (carrying the offending line) out.
namespace pollux::imap {

constexpr qsizetype MaxLineLength = 64 * 1024;     // one line of a response (literals apart)
constexpr qsizetype MaxResponseSize = 1024 * 1024; // text + small literals of one response
constexpr qint64 MaxNumber = 4294967295LL;         // RFC 3501 "number": unsigned 32-bit

// The offending line, quoted for an error message: non-printable bytes escaped, cut short.
QString quoteLine(const QByteArray &line);

// Decimal digits only, min <= value <= MaxNumber, no overflow.
bool parseNumber(const QByteArray &digits, qint64 min, qint64 &value);

// A literal of a framed response. Small literals are kept; a message body literal
// (BODY[] / RFC822 / BINARY[] of a FETCH) is streamed out and only its size is kept.
struct Literal
{
    qsizetype at = 0; // offset in RawResponse::text of its "{n}" announcement
    qint64 size = 0;
    bool streamed = false;
    QByteArray data;
};

// One response as framed: its text (CRLFs of literal announcements removed, each literal
// still announced by "{n}" or "{n+}" in the text) and its literals in order.
struct RawResponse
{
    QByteArray text;
    QList<Literal> literals;
};

// Splits received bytes into responses. Literals may be split anywhere across reads;
// a message body literal of any size streams out chunk by chunk (BodyBegin, BodyData...,
// BodyEnd, then the rest of its response), never held whole. Each line is bounded
// (MaxLineLength), so are the other literals and a response's total (MaxResponseSize).
class ResponseReader
{
public:
    enum class Event
    {
        NeedMore,  // nothing complete: append more bytes
        Response,  // response() is complete
        BodyBegin, // a body literal of bodySize() bytes starts; response() holds what came before
        BodyData,  // chunk()/chunkSize(): the next bytes of the body (valid until next())
        BodyEnd,   // the body literal is complete; the response goes on
    };

    void append(const char *data, qsizetype size);
    void append(const QByteArray &data) { append(data.constData(), data.size()); }
    // The next event; an error (ErrorCode::Protocol / LineTooLong) leaves the reader unusable.
    Result next(Event &event);

    const RawResponse &response() const { return m_response; }
    qint64 bodySize() const { return m_literalSize; }
    const char *chunk() const { return m_chunk; }
    qsizetype chunkSize() const { return m_chunkSize; }
    qsizetype pendingSize() const { return m_buffer.size() - m_pos; }
    void clear();

private:
    enum class State
    {
        Line,
        SmallLiteral,
        BodyLiteral
    };
    Result onLine(QByteArray line, Event &event);
    void compact();

    QByteArray m_buffer;
    qsizetype m_pos = 0;
    State m_state = State::Line;
    RawResponse m_response;
    bool m_responseDone = false;
    qint64 m_literalSize = 0;
    qint64 m_literalLeft = 0;
    const char *m_chunk = nullptr;
    qsizetype m_chunkSize = 0;
};

enum class Status
{
    None,
    Ok,
    No,
    Bad,
    Bye,
    Preauth
};

struct Capabilities
{
    QSet<QByteArray> atoms; // upper case, "AUTH=..." included
    QList<QByteArray> sasl; // the AUTH= mechanisms, upper case, in the server's order
    bool has(const QByteArray &capability) const { return atoms.contains(capability); }
    bool isEmpty() const { return atoms.isEmpty(); }
};
Capabilities parseCapabilities(const QByteArray &atoms); // "IMAP4rev1 AUTH=PLAIN ..."

// What a FETCH response carried that Pollux asks for.
struct FetchData
{
    qint64 uid = 0;            // 0: absent
    qint64 size = -1;          // RFC822.SIZE; -1: absent
    bool streamedBody = false; // a body literal was streamed out (BODY[], BODY[]<n>, RFC822...)
    bool hasSection = false;   // another body item, not streamed (a header fetch, a quoted body)
    // Of the body item (streamed or not): its name, upper case ("BODY", "BINARY", "RFC822"),
    // its section ("HEADER.FIELDS (MESSAGE-ID)"; empty for the whole message) and the origin
    // octet of a partial ("BODY[]<0>"; -1: not partial). Only BODY[] or RFC822 with no origin
    // is a whole message.
    QByteArray item;
    QByteArray section;
    qint64 origin = -1;
    bool nil = false;       // the item's value was NIL
    QByteArray sectionData; // its content when not streamed (NIL: empty)
    bool isWholeBody() const
    {
        return origin < 0 && ((item == "BODY" && section.isEmpty()) || item == "RFC822");
    }
};

struct Response
{
    enum class Kind
    {
        Tagged,
        Untagged,
        Continuation
    };
    Kind kind = Kind::Untagged;
    QByteArray tag;
    Status status = Status::None; // a status response (OK/NO/BAD/BYE/PREAUTH)
    QByteArray code;              // response code name, upper case ("UIDVALIDITY"); or empty
    QByteArray codeArgs;          // the rest inside the brackets
    QByteArray text;              // human-readable text (status and continuation responses)
    // Untagged data: "* 23 EXISTS" -> number 23, keyword "EXISTS"; "* SEARCH 2 3" ->
    // keyword "SEARCH", numbers {2, 3}; "* CAPABILITY ..." -> keyword, capabilities.
    qint64 number = -1;
    QByteArray keyword; // upper case
    QList<qint64> numbers;
    Capabilities capabilities;
    FetchData fetch;
};

// A status response as the server said it, tag left out, for Result::withServerSaid():
// "NO [AUTHENTICATIONFAILED] Invalid credentials".
QByteArray serverReply(const Response &r);

// Parses a complete framed response. Unknown untagged data is accepted with its keyword
// only; anything that is not IMAP at all is ErrorCode::Protocol with the line quoted.
Result parseResponse(const RawResponse &raw, Response &out);

// For a FETCH whose body literal is just starting (BodyBegin): its sequence number and the
// UID if it came before the body (0 otherwise).
Result parseFetchStart(const RawResponse &raw, qint64 &sequence, qint64 &uid);

} // namespace pollux::imap
