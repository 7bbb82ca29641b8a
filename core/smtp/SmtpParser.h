#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// Pure SMTP wire logic: reading replies, parsing EHLO capabilities, encoding the message
// body. Nothing here sees a socket; the client feeds bytes in and writes what comes out.

namespace pollux::smtp {

// One SMTP reply: code, enhanced status if any, and the text lines joined by "\n".
// The classes of RFC 5321 §4.2.1, by first digit. Only isSuccess() means "done": a 3xx
// asks for more (354 to DATA, 334 during AUTH) and is never an acceptance. A code of 0
// (no reply) is none of them.
struct Reply
{
    int code = 0;
    QString text; // including the enhanced status code if the server sent one
    // Made up by the client, never on the wire (e.g. an address that cannot be sent).
    bool synthetic = false;
    bool isSuccess() const { return code >= 200 && code < 300; }      // 2xx
    bool isIntermediate() const { return code >= 300 && code < 400; } // 3xx
    bool isTransient() const { return code >= 400 && code < 500; }    // 4xx
    bool isPermanent() const { return code >= 500 && code < 600; }    // 5xx
    QString toString() const; // "250 2.0.0 Ok: queued as X"; multi-line as on the wire
    QStringList lines() const { return text.split(QLatin1Char('\n')); }
};

// What the server sent that we cannot accept: code is ErrorCode::Protocol or
// ErrorCode::LineTooLong, line the offending line (cut to 200 bytes for messages).
struct ParseError
{
    ErrorCode code = ErrorCode::None;
    QString message;
    QByteArray line;
    bool isError() const { return code != ErrorCode::None; }
    Result toResult() const;
};

// One reply line split up: "250-SIZE 100" -> code 250, last false, text "SIZE 100".
struct ReplyLine
{
    int code = 0;
    bool last = true;
    QByteArray text;
};

// Parses one reply line without its line ending. Accepts "ddd", "ddd text", "ddd-text";
// the code must be 2xx..5xx. Garbage gives a ParseError carrying the line.
ParseError parseReplyLine(const QByteArray &line, ReplyLine &out);

// Incremental reply reader: feed() bytes as they arrive, then take complete replies with
// next() until it returns false. Lines end in CRLF (a bare LF is tolerated). A reply whose
// continuation lines change code, a line longer than maxLineLength or a reply with more
// than maxLines lines is an error; after an error the reader stays failed.
class ReplyReader
{
public:
    static constexpr int DefaultMaxLineLength = 4096; // bytes, without the line ending
    static constexpr int DefaultMaxLines = 1000;

    explicit ReplyReader(int maxLineLength = DefaultMaxLineLength, int maxLines = DefaultMaxLines);

    void feed(const QByteArray &bytes);
    // A complete reply, if one is buffered. rawLines (optional) receives its wire lines,
    // for the transcript. Returns false when none is complete or after an error.
    bool next(Reply &reply, QList<QByteArray> *rawLines = nullptr);

    bool hasError() const { return m_error.isError(); }
    const ParseError &error() const { return m_error; }
    // Bytes received but not yet part of a returned reply (e.g. data after a STARTTLS 220).
    bool hasPending() const { return m_buffer.size() > m_pos || !m_partial.isEmpty(); }
    void clear();

private:
    bool takeLine(QByteArray &line);
    void setError(ErrorCode code, const QString &message, const QByteArray &line);

    int m_maxLineLength;
    int m_maxLines;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    // Lines of the reply being assembled: as received, and their text parts.
    QList<QByteArray> m_partial;
    QStringList m_partialText;
    int m_partialCode = 0;
    ParseError m_error;
};

// Extensions from an EHLO reply (RFC 5321 4.1.1.1; SIZE RFC 1870, 8BITMIME RFC 6152,
// PIPELINING RFC 2920, STARTTLS RFC 3207, AUTH RFC 4954, SMTPUTF8 RFC 6531, CHUNKING and
// BINARYMIME RFC 3030).
struct Capabilities
{
    bool esmtp = false; // EHLO was accepted
    bool pipelining = false;
    bool startTls = false;
    bool eightBitMime = false;
    bool smtpUtf8 = false;      // RFC 6531
    bool chunking = false;      // BDAT (RFC 3030)
    bool binaryMime = false;    // BODY=BINARYMIME (RFC 3030; only usable with CHUNKING)
    bool size = false;          // SIZE advertised
    qint64 maxSize = 0;         // its limit, 0 when none was given
    QStringList authMechanisms; // upper case, e.g. "PLAIN", "LOGIN"

    bool hasAuth(const QString &mechanism) const { return authMechanisms.contains(mechanism); }
    static Capabilities fromEhlo(const Reply &reply);
};

// Streaming body encoder for DATA: line endings (CRLF, bare LF, bare CR, in any mix)
// become CRLF and a '.' starting a line is doubled, with state carried across chunks (a CR
// ending one chunk and a LF starting the next are one line ending). finish() ends the last
// line if needed and appends the ".\r\n" terminator. Nothing is prepended.
class BodyEncoder
{
public:
    QByteArray encode(const char *data, qsizetype size);
    QByteArray encode(const QByteArray &chunk) { return encode(chunk.constData(), chunk.size()); }
    QByteArray finish();
    void reset() { *this = BodyEncoder(); }

private:
    bool m_atLineStart = true;
    bool m_pendingCr = false;
    bool m_finished = false;
};

// What a message body holds that DATA cannot carry as it is (RFC 5321 §4.5.3.1.6: lines of
// at most 998 octets, CRLF line endings; no NUL in 8BITMIME, RFC 6152).
struct BodyShape
{
    qint64 longestLine = 0; // octets, without the line ending
    bool bareCr = false;    // a CR not followed by LF
    bool bareLf = false;    // a LF not preceded by CR
    bool nul = false;       // a NUL byte
    static constexpr qint64 MaxLine = 998;
    bool longLines() const { return longestLine > MaxLine; }
    // Only BDAT with BODY=BINARYMIME delivers this body byte for byte.
    bool needsBinary() const { return longLines() || bareCr || bareLf || nul; }
};

// Streaming scan for BodyShape, state carried across chunks (a CR ending one chunk and a
// LF starting the next are one CRLF).
class BodyScanner
{
public:
    void feed(const char *data, qsizetype size);
    BodyShape finish(); // the shape of everything fed

private:
    BodyShape m_shape;
    qint64 m_line = 0;
    bool m_pendingCr = false;
};

} // namespace pollux::smtp
