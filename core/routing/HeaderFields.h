#pragma once

#include "mail/MessageHeader.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pollux::routing {

// One header field: its name as written, its value unfolded (CRLF/LF + WSP become one
// space), neither trimmed of inner white space nor decoded.
struct HeaderField
{
    QByteArray name;
    QByteArray value;
    // The header was cut inside this field (HeaderRead::Stop::ByteLimit): its value may end
    // in the middle of a word, and what followed it is unknown.
    bool cut = false;
};

// The bounds of reading a header for routing: at most this many bytes (what delivery reads,
// mail::kHeaderBlockLimit) and this many fields.
constexpr qsizetype kMaxHeaderBytes = qsizetype(mail::kHeaderBlockLimit);
constexpr int kMaxHeaderFields = 5000;

// A header block split into fields, and whether all of it was.
struct HeaderRead
{
    enum class Stop
    {
        End,        // the empty line, or the end of a block shorter than the byte bound
        ByteLimit,  // no end of the header within the first maxBytes bytes
        FieldLimit, // more than maxFields fields
    };
    QList<HeaderField> fields;
    Stop stop = Stop::End;
    qsizetype maxBytes = 0;
    int maxFields = 0;

    bool complete() const { return stop == Stop::End; }
    // Empty when complete; otherwise what was not read, naming the bound, e.g. "the header
    // does not end within 1048576 bytes (cut in To:), what follows was not read".
    QString incompleteReason() const;
};

// Splits a header block (the part before the empty line; anything after an empty line is
// ignored) into fields, in order. Robust against real-world breakage: bare LF or CR line
// endings, lines without a colon (skipped), a leading continuation line (skipped), names
// with trailing white space ("To : x"). Reads at most maxBytes bytes and maxFields fields
// and says when it stopped at one of them. A block of maxBytes bytes or more without an
// empty line in them counts as cut (mail::readHeaderBlock returns such a block for a header
// that goes on).
HeaderRead readHeaderFields(const QByteArray &block, qsizetype maxBytes = kMaxHeaderBytes,
                            int maxFields = kMaxHeaderFields);

// The fields alone, no byte bound (readHeaderFields' fields; at most maxFields).
QList<HeaderField> splitHeaderFields(const QByteArray &block, int maxFields = kMaxHeaderFields);

// All values of the fields named `name` (case-insensitive), in order.
QList<QByteArray> fieldValues(const QList<HeaderField> &fields, const QByteArray &name);

// How many fields are named `name` (case-insensitive).
int fieldCount(const QList<HeaderField> &fields, const QByteArray &name);

} // namespace pollux::routing
