#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace pollux {

// An alert by e-mail as a complete RFC 5322 message (CRLF line endings), text/plain in
// UTF-8 (quoted-printable), from Pollux to the postmaster (and an extra address). It
// carries "Auto-Submitted: auto-generated" (RFC 3834) and an "X-Pollux-Alert" header
// naming the condition; queued with the null sender (a "Return-Path: <>" line first, as
// the postmaster notices are), so it can never cause a bounce loop.
struct AlertMail
{
    QString from;      // address; shown as "Pollux"
    QStringList to;    // addresses
    QString subject;   // free text (encoded as needed)
    QString text;      // the body, '\n' line ends
    QString hostName;  // right side of the Message-ID; empty: "pollux.invalid"
    QDateTime when;    // Date:
    QString condition; // X-Pollux-Alert:, e.g. "failing", "failing-recovered"
    QString account;   // X-Pollux-Account: (empty: none)
    QString language;  // Content-Language: ("en", "de")
};

namespace alertmail {
// The message, prefixed with "Return-Path: <>\r\n" for the spool.
QByteArray compose(const AlertMail &mail);
// RFC 2045 quoted-printable of UTF-8 text, CRLF line ends, lines of at most 76 octets.
QByteArray quotedPrintable(const QByteArray &utf8);
// The RFC 5322 date of `when` in its own offset from UTC ("Wed, 02 Dec 2026 14:05:00 +0100").
QByteArray rfc5322Date(const QDateTime &when);
} // namespace alertmail

} // namespace pollux
