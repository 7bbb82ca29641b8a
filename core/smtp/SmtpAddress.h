#pragma once

#include <QByteArray>
#include <QString>

// Envelope addresses on the SMTP wire (RFC 5321 §4.1.2, RFC 6531 for non-ASCII). Pure
// functions; the client decides what to do with an address that cannot be sent.

namespace pollux::smtp {

enum class AddressProblem
{
    None,
    Empty,         // "" where a mailbox is needed (only MAIL FROM may be empty)
    Malformed,     // not local-part@domain (empty local part or domain, odd domain)
    Control,       // CR, LF, NUL, TAB or another control character: never on the wire
    TooLong,       // more than MaxMailboxBytes on the wire
    NeedsSmtpUtf8, // non-ASCII, and the server does not offer SMTPUTF8 (set by the client)
};

// An address as it goes between "<" and ">" in MAIL FROM / RCPT TO.
struct WireAddress
{
    QByteArray mailbox; // RFC 5321 Mailbox; empty for the null sender
    bool utf8 = false;  // non-ASCII: may go out only with the SMTPUTF8 MAIL parameter
    AddressProblem problem = AddressProblem::None;
    bool ok() const { return problem == AddressProblem::None; }
};

// RFC 5321 §4.5.3.1.3: a path is at most 256 octets, "<" and ">" included.
inline constexpr int MaxMailboxBytes = 254;

// The local part as the mailbox means it: RFC 5322 quoted strings and quoted pairs undone
// ("\"john q. public\"" -> "john q. public", "\"a\\\"b\"" -> "a\"b"). A local part that
// is not RFC 5322 local-part syntax is taken literally, as it stands.
QString decodeLocalPart(const QString &local);

// The local part on the wire with the least quoting: as it stands when it is a Dot-string
// (atoms joined by single dots; non-ASCII counts as atom text, RFC 6531), otherwise as one
// Quoted-string with '"' and '\' escaped as quoted pairs. Empty when it holds a character
// that RFC 5321 allows nowhere (a control character).
QByteArray encodeLocalPart(const QString &decoded);

// `address` as routing hands it over (routing/Address.h: the local part as written in the
// header, its quotes included, the domain normalised; an unquoted local part with spaces
// or other specials works too): the local part decoded and re-encoded as above, the domain
// checked leniently (see SmtpAddress.cpp: only what is ambiguous inside <...> is refused;
// non-ASCII labels set utf8; an [address literal] is fine). Without any '@' the address is
// a bare local part (RFC 5321 <Postmaster>). The empty address is accepted only with
// allowNull (the null sender).
WireAddress encodeMailbox(const QString &address, bool allowNull = false);

// Why an address cannot go on the wire, for the text of the client's made-up reply.
QString problemText(AddressProblem problem);

} // namespace pollux::smtp
