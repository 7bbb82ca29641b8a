#pragma once

#include <QByteArray>
#include <QList>

namespace pollux::routing {

// One header field: its name as written, its value unfolded (CRLF/LF + WSP become one
// space), neither trimmed of inner white space nor decoded.
struct HeaderField
{
    QByteArray name;
    QByteArray value;
};

// Splits a header block (the part before the empty line; anything after an empty line is
// ignored) into fields, in order. Robust against real-world breakage: bare LF or CR line
// endings, lines without a colon (skipped), a leading continuation line (skipped), names
// with trailing white space ("To : x"). At most maxFields fields are returned.
QList<HeaderField> splitHeaderFields(const QByteArray &block, int maxFields = 5000);

// All values of the fields named `name` (case-insensitive), in order.
QList<QByteArray> fieldValues(const QList<HeaderField> &fields, const QByteArray &name);

// How many fields are named `name` (case-insensitive).
int fieldCount(const QList<HeaderField> &fields, const QByteArray &name);

} // namespace pollux::routing
