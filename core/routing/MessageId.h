#pragma once

#include <QByteArray>
#include <QString>

namespace pollux::routing {

// The key for duplicate suppression (Store::deliveredSince / recordDeliveredIds): the
// Message-ID's msg-id without angle brackets, comments and white space, the part after the
// last '@' in lower case ("<AbC@Host.Example>" -> "AbC@host.example"). The left part stays
// as written (it is case-sensitive). Empty when the message has no usable Message-ID: then
// no suppression happens (a made-up key could merge different messages).
QString duplicateKey(const QByteArray &headerBlock);

// The same for one Message-ID header value.
QString normaliseMessageId(const QByteArray &value);

} // namespace pollux::routing
