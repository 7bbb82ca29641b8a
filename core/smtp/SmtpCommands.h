#pragma once

#include <QByteArray>
#include <QString>

// Pure builders for the command lines SmtpClient writes, each ending in CRLF.

namespace pollux::smtp::commands {

// "MAIL FROM:<mailbox> SIZE=n BODY=8BITMIME SMTPUTF8": size < 0 leaves SIZE out. The
// mailbox comes from encodeMailbox() (SmtpAddress.h), already checked.
QByteArray mailFrom(const QByteArray &mailbox, qint64 size, bool eightBitMime,
                    bool smtpUtf8 = false);
// The same with " BODY=BINARYMIME" (RFC 3030) in place of BODY=8BITMIME when binaryMime.
QByteArray mailFrom(const QByteArray &mailbox, qint64 size, bool eightBitMime, bool smtpUtf8,
                    bool binaryMime);
// "BDAT <size>[ LAST]" (RFC 3030 §2); the chunk's octets follow it on the wire.
QByteArray bdat(qint64 size, bool last);
QByteArray rcptTo(const QByteArray &mailbox);
QByteArray ehlo(const QString &name);
QByteArray helo(const QString &name);

// The name we greet with: `configured` if it is a plausible domain or address literal,
// else the local host name, else "localhost".
QString heloName(const QString &configured);

// "AUTH MECHANISM [initial-response]" (RFC 4954 §4): the response base64-encoded, "=" for
// an empty one; without it when hasInitial is false. Empty when the line would exceed the
// 512-byte SMTP command limit: then the initial response answers the first, empty, 334.
QByteArray authCommand(const QByteArray &mechanism, bool hasInitial, const QByteArray &initial);
// A SASL response line: base64 + CRLF ("" for an empty response).
QByteArray authResponse(const QByteArray &response);

// 127.0.0.1 (any 127/8), ::1 or "localhost": where AUTH over plain text is allowed.
bool isLoopbackHost(const QString &host);

} // namespace pollux::smtp::commands
