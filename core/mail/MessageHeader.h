#pragma once

#include <QByteArray>
#include <QString>

class QIODevice;

namespace pollux::mail {

// How much of a message's header delivery reads (and routes by): a header that does not
// end within it is cut there, and routing says so (routing/HeaderFields.h).
constexpr qint64 kHeaderBlockLimit = 1024 * 1024;

// The header block of a message (up to and excluding the empty line), read from the
// start of `device` and at most maxBytes long; the device is left at position 0. A block
// of maxBytes bytes is a header that did not end within them.
QByteArray readHeaderBlock(QIODevice *device, qint64 maxBytes = kHeaderBlockLimit);

// The value of the first header field `name` (case-insensitive), unfolded; empty if none.
QByteArray headerValue(const QByteArray &headerBlock, const QByteArray &name);

// The first addr-spec in a header value ("Name <a@b>" -> "a@b"), empty if none.
// Deliberately small: full RFC 5322 address parsing comes with catch-all routing.
QString firstAddress(const QByteArray &value);

// The envelope sender to use when forwarding: Return-Path, else Sender, else From.
// Empty when the message names none (then the null sender is used).
QString envelopeSender(const QByteArray &headerBlock);

} // namespace pollux::mail
