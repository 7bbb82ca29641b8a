#pragma once

#include "routing/HeaderFields.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// The provider's trace: which part of a message's header the provider's own hosts wrote.
// Every hop prepends, so the provider's fields are on top, down to the Received: line of its
// inbound hop; everything below was written by the sender (or hosts the sender chose) and
// may be forged. See docs/ROUTING.md, "Only what the provider wrote counts".
namespace pollux::routing {

// One Received: field taken apart, as far as routing needs it. Comments are skipped
// (nested, with quoted strings inside them taken as opaque), so "from"/"for"/"by" in a
// comment or a HELO name never count as clauses.
struct ReceivedLine
{
    bool hasFrom = false; // the field starts with a "from" clause
    QString fromHost;     // the from-domain as written (the client's HELO), lower case
    // The names the from clause gives for the client: fromHost and each word of the
    // TCP-info comment after it (rDNS name, helo=..., "unknown", "may be forged"), lower
    // case, IP literals left out.
    QStringList fromNames;
    bool fromIsLiteral = false;    // the from-domain is an address literal ("[192.0.2.1]")
    bool commentNamesHost = false; // the TCP-info comment has a name (the rDNS the MTA found)
    bool publicAddress = false;    // the TCP-info comment has an address that is not private
    // The from clause has more than the from-domain and comments (a HELO name with a space,
    // "EHLO mx1.isp.example x", which Postfix writes as it is): not a hop we can read.
    bool fromIrregular = false;
    QString byHost; // the host that wrote the line, lower case; empty if none
    // The "for" clause: only when it follows the "by" clause and is the line's last clause
    // (nothing but comments between it and the date), normalised; several when the clause
    // lists several.
    QStringList forAddresses;
};

ReceivedLine parseReceived(const QByteArray &value);

// The provider's hosts (account.providerHosts): each entry a host name, or a domain that
// also stands for every name below it ("isp.example" matches "mx1.isp.example"); a
// leading dot is allowed. "localhost" and IP literals are never a provider host, but a hop
// from "localhost" on a provider host is internal.
class ProviderHosts
{
public:
    ProviderHosts() = default;
    explicit ProviderHosts(const QStringList &entries);
    bool isEmpty() const { return m_entries.isEmpty(); }
    bool contains(const QString &host) const;

private:
    QStringList m_entries; // normalised, without a leading dot
};

// True when the message came to this line's host from inside the provider: the from-domain
// is a name, every name of the from clause is a provider host (or localhost), and either an
// MTA-found name (rDNS) is among them or the client address is private/loopback (Dovecot's
// LMTP writes only "from <LHLO name> ([10.0.0.5])"). A bare HELO name from a public
// address never makes a hop internal: the sender chooses it.
bool isInternalHop(const ReceivedLine &line, const ProviderHosts &hosts);

// Where the provider's trace ends in `fields`.
struct ProviderTrace
{
    // Index (in fields) of the provider's inbound Received: line; the fields above it
    // (index < inbound) are the provider's. -1: the header has no Received: at all, so no
    // part of it is known to be the provider's.
    int inbound = -1;
    // Indices of the provider's Received: lines, top first (the inbound one last); only
    // their "for" clauses count.
    QList<int> receivedLines;

    bool trusts(int fieldIndex) const { return fieldIndex < inbound; }
};

// The topmost Received: is always the provider's (nobody can write above it). Going down,
// a line belongs to the provider while the one above it came from a provider host
// (isInternalHop); the first line whose from clause is outside the provider (or that has
// none: the message started there) is the inbound hop and the last of the provider's.
// Without provider hosts, the topmost Received: is the inbound hop.
ProviderTrace providerTrace(const QList<HeaderField> &fields, const ProviderHosts &hosts);

} // namespace pollux::routing
