#pragma once

#include <QByteArray>
#include <QString>

// Pure builders for the command lines SmtpClient writes, each ending in CRLF.

namespace pollux::smtp::commands {

// An address that can go between < and > on the wire: no CR, LF, NUL, '<' or '>', no
// spaces, at most 254 bytes. The empty address (null sender) is valid only for MAIL FROM.
bool isValidAddress(const QString &address);

// "MAIL FROM:<sender> SIZE=n BODY=8BITMIME": size < 0 leaves SIZE out.
QByteArray mailFrom(const QString &sender, qint64 size, bool eightBitMime);
QByteArray rcptTo(const QString &recipient);
QByteArray ehlo(const QString &name);
QByteArray helo(const QString &name);

// The name we greet with: `configured` if it is a plausible domain or address literal,
// else the local host name, else "localhost".
QString heloName(const QString &configured);

// "AUTH PLAIN <base64(\0user\0password)>" (RFC 4616, initial response).
QByteArray authPlain(const QString &username, const QString &password);
QByteArray base64Line(const QString &text); // for AUTH LOGIN: base64 + CRLF

// 127.0.0.1 (any 127/8), ::1 or "localhost": where AUTH over plain text is allowed.
bool isLoopbackHost(const QString &host);

} // namespace pollux::smtp::commands
