#pragma once

#include "net/MailboxClient.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>

// Pure POP3 response parsing (RFC 1939, RFC 2449, RFC 3206). Nothing here sees a socket:
// bytes in, values or typed errors (carrying the offending line) out.
namespace pollux::pop3 {

constexpr qsizetype MaxLineLength = 8192;          // status, CAPA, UIDL and LIST lines
constexpr qsizetype MaxUidLength = 70;             // RFC 1939 unique-id
constexpr qint64 MaxMessageNumber = 0x7fffffff;    // message numbers 1..MaxMessageNumber
constexpr qint64 MaxMessageSize = qint64(1) << 40; // 1 TiB: anything above is garbage
constexpr qsizetype MaxApopTimestampLength = 512;

// The offending line, quoted for an error message: non-printable bytes escaped, cut short.
QString quoteLine(const QByteArray &line);

// Splits received bytes into lines (CRLF, bare LF tolerated; the terminator is removed).
// A line longer than the limit is an error, whether or not its end has arrived yet.
// The unsplit rest stays available (pending()/consume()) for the multi-line data decoder,
// which has no line length limit.
class LineSplitter
{
public:
    explicit LineSplitter(qsizetype maxLength = MaxLineLength) : m_maxLength(maxLength) {}

    void append(const char *data, qsizetype size);
    void append(const QByteArray &data) { append(data.constData(), data.size()); }

    // On success, `complete` tells whether a line was taken into `line`.
    // Fails with ErrorCode::LineTooLong (nothing consumed) when the next line is too long.
    Result takeLine(QByteArray &line, bool &complete);

    const char *pendingData() const { return m_buffer.constData() + m_pos; }
    qsizetype pendingSize() const { return m_buffer.size() - m_pos; }
    void consume(qsizetype size);
    void clear();

private:
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qsizetype m_maxLength;
};

// RFC 2449/3206 response codes, e.g. "-ERR [IN-USE] mailbox locked".
enum class ResponseCode
{
    None,
    InUse,
    LoginDelay,
    SysTemp,
    SysPerm,
    Auth,
    Other
};

struct Status
{
    bool ok = false;
    QByteArray text; // after "+OK " / "-ERR ", response code included
    ResponseCode code = ResponseCode::None;
    QByteArray codeText; // between the brackets, e.g. "IN-USE"
};

// The reply as the server said it, for Result::withServerSaid(): "-ERR [IN-USE] locked".
QByteArray serverReply(const Status &status);

// "+OK ..." or "-ERR ..." (case-insensitive); anything else is ErrorCode::Protocol.
Result parseStatus(const QByteArray &line, Status &status);

// The APOP timestamp ("<1896.697170952@dbc.mtview.ca.us>", brackets included) of a
// greeting's text, or empty when there is none or it is malformed.
QByteArray apopTimestamp(const QByteArray &greetingText);
// Lower-case hex MD5 of timestamp + password, as the APOP command wants it.
QByteArray apopDigest(const QByteArray &timestamp, const QByteArray &password);

struct Capabilities
{
    bool pipelining = false;
    bool uidl = false;
    bool user = false;
    bool top = false;
    bool stls = false;
    bool respCodes = false;
    QList<QByteArray> sasl; // mechanisms, upper case
};

// One line of a CAPA response (already unstuffed); unknown capabilities are ignored.
void addCapability(Capabilities &caps, const QByteArray &line);

// Multi-line responses made of short lines (CAPA, UIDL, LIST): the end is "." alone,
// and a line starting with the termination octet has it removed.
bool isEndOfResponse(const QByteArray &line);
QByteArray unstuff(const QByteArray &line);

struct UidlEntry
{
    qint64 number = 0;
    QByteArray uid;
};
struct ListEntry
{
    qint64 number = 0;
    qint64 size = 0;
};

// "n uid" with 1 <= n <= MaxMessageNumber, uid 1-70 bytes of 0x21-0x7E.
Result parseUidlLine(const QByteArray &line, UidlEntry &entry);
// "n size" with bounded numbers; further text after the size is allowed (RFC 1939).
Result parseListLine(const QByteArray &line, ListEntry &entry);
// Joins UIDL and LIST by message number, in UIDL order. Duplicated message numbers or
// unique-ids, or a message missing from LIST, are ErrorCode::Protocol.
Result joinListing(const QList<UidlEntry> &uids, const QList<ListEntry> &sizes,
                   QList<RemoteMessage> &messages);

// What a -ERR to USER, PASS or APOP means: a locked mailbox ([IN-USE]), logging in too
// often ([LOGIN-DELAY]) and server trouble ([SYS/TEMP]) are temporary failures, not a
// wrong password.
Result loginFailure(const QByteArray &command, const Status &status);

// Decodes a multi-line data response (RETR) as it streams in: removes the dot-stuffing,
// finds the terminating CRLF "." CRLF (RFC 1939; "." after a bare LF, or "." and a bare LF,
// is content, never the end), and leaves line endings otherwise untouched. State is carried
// across chunks at any byte; memory is bounded whatever the line length, because the
// output streams out chunk by chunk. At the start of a response the status line's CRLF
// counts as the one before a terminator ("+OK" CRLF "." CRLF is an empty message).
class DataDecoder
{
public:
    void reset()
    {
        m_state = State::LineStart;
        m_last = 0;
    }
    // Appends the message bytes of `data` to `out`. Returns how many input bytes were
    // consumed: all of them, unless the terminator was found, in which case it is
    // consumed and the bytes after it (the next response) are left to the caller.
    qsizetype feed(const char *data, qsizetype size, QByteArray &out);
    bool finished() const { return m_state == State::Done; }

private:
    enum class State
    {
        LineStart,     // after CRLF: "." is stuffing or the terminator
        SoftLineStart, // after a bare LF: ".." is stuffing, "." alone is content
        Middle,
        Dot,
        DotCr,
        SoftDot,
        Done
    };
    State m_state = State::LineStart;
    char m_last = 0; // the last byte written to the output, for a CR before an LF
};

} // namespace pollux::pop3
