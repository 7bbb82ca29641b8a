#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

// Pure helpers that build IMAP command arguments (RFC 3501).
namespace pollux::imap {

// A mailbox name in modified UTF-7 (RFC 3501 5.1.3): "Entwürfe" -> "Entw&APw-rfe".
QByteArray encodeMailboxName(const QString &name);
QString decodeMailboxName(const QByteArray &encoded); // the reverse, for logs and tests

// An IMAP string argument. A quoted string when the value is 7-bit without CR/LF/NUL
// (quotes and backslashes escaped); otherwise a literal is needed: then `literal` is set and
// the returned bytes are the value itself, to be announced with "{n}" by the caller.
QByteArray quoteString(const QByteArray &value, bool *literal);

// Whether a value can be sent at all (literals may carry anything but NUL).
bool isSendable(const QByteArray &value);

// A compact UID set: {1, 2, 3, 7, 9, 10} -> "1:3,7,9:10" (sorted, duplicates dropped).
QByteArray uidSet(QList<qint64> uids);

} // namespace pollux::imap
