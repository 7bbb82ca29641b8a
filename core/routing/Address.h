#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

// Mail addresses as routing needs them. Parsing goes through GMime 3 (RFC 5322 address
// lists with groups, comments, quoted local parts, encoded words and the usual breakage).
namespace pollux::routing {

// Initialises GMime once per process (thread-safe; every GMime user here calls it).
void ensureGMime();

// A domain in its canonical form: lower case, IDN labels in ACE ("xn--..."), no trailing
// dot. Empty when it is not a valid domain name (QUrl::toAce refuses it).
QString normaliseDomain(const QString &domain);

// "Local@Bücher.Example" -> "Local@xn--bcher-kva.example": the domain normalised, the local
// part kept as written (it goes on the wire as is). Surrounding angle brackets and white
// space are removed. Empty when it is not local@domain with a valid domain.
QString normaliseAddress(const QString &address);

// The domain part of a normalised address (after the last '@').
QString domainOf(const QString &address);

// The key under which two addresses are the same recipient: the normalised address in
// lower case. (RFC 5321 lets a server treat local parts case-sensitively; no mail server
// in use does, and delivering "Bob@" and "bob@" twice is the bug users report.)
QString addressKey(const QString &normalisedAddress);

// The bounds of reading one address list: at most this many bytes (a whole header,
// HeaderFields.h) and addresses. An entry (one address) with more ':' than this is not
// read: GMime would read nested groups into it, and it recurses into each (its stack
// overflows somewhere past 30,000).
constexpr qsizetype kMaxAddressListBytes = 1024 * 1024;
constexpr int kMaxAddresses = 10000;
// ... and at most this many in all the fields of one header (extractRecipients).
constexpr int kMaxHeaderAddresses = 4 * kMaxAddresses;
constexpr int kMaxEntryColons = 16;

// An address-list header value as far as it could be read.
struct AddressList
{
    enum class Problem
    {
        None,         // read completely
        Cut,          // the value was cut before its end (its header was, or it is too long)
        Unterminated, // a quoted string, comment or <...> never closed
        TooMany,      // more than maxAddresses addresses (unreadable entries count)
        Unreadable,   // an entry with an '@' of which no address could be read (the others
                      // were read)
    };
    QStringList addresses; // normalised, in order; what was read up to the problem
    Problem problem = Problem::None;
    // Problem::None: empty. Otherwise what was not read and why, naming the bound, e.g.
    // "unterminated comment at byte 37, the rest was not read".
    QString detail;
    // Entries with an '@' read (addresses and unreadable ones), at most maxAddresses: the
    // work done, for a budget over several fields.
    int entries = 0;
    bool complete() const { return problem == Problem::None; }
};

// Every mailbox of an address-list header value (To, Cc, Delivered-To, ...), groups
// expanded, normalised with normaliseAddress(); entries GMime reads but that are no usable
// address (no domain, an address literal) are left out. The value may be folded and may
// carry encoded words; it is never trusted to be well-formed. Whatever stops the reading
// before the end is reported, and the entries before it are still returned: an entry at a
// cut (`cut`: the value's end was not read) or inside unterminated syntax is never returned
// half read. Bounded: linear in the value, at most maxAddresses entries handed to GMime.
AddressList readAddressList(const QByteArray &value, bool cut = false,
                            int maxAddresses = kMaxAddresses);

// readAddressList(value).addresses.
QStringList parseAddressList(const QByteArray &value);

// The (first) address of a Received: header's "for" clause ("... by host ... for <a@b>;
// date"), normalised; empty if the header has none (see parseReceived() in Trace.h).
QString receivedFor(const QByteArray &value);

// A local part that asks the receiving server to relay: "%" (victim%evil.example@office,
// the percent hack), "!" (evil!victim@office, a bang path) or "@" (a quoted
// "a@evil.example"@office, or what is left of a source route "@a,@b:user@office").
// Postfix's defaults (allow_percent_hack, swap_bangpath, resolve_dequoted_address) act on
// them, quoted or not, so such an address is never a local recipient.
bool isRelaySyntax(const QString &normalisedAddress);

// An unstructured header value (Subject) with its encoded words decoded, for display.
QString decodeHeaderText(const QByteArray &value);

} // namespace pollux::routing
