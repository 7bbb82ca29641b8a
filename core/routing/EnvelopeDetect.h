#pragma once

#include "routing/Recipients.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// Which envelope header a provider writes, and which hosts form its trace, learned from
// the headers of messages already in the mailbox (the dry run, the account dialog's
// "Detect"). Pure: headers in, a proposal out.
namespace pollux::routing {

struct EnvelopeDetection
{
    struct Field
    {
        QString name;
        int local = 0;     // messages where the provider's copy of it names a local recipient
        int foreign = 0;   // messages where the provider's copy names only foreign addresses
        int untrusted = 0; // messages where it appears only below the provider's trace
    };

    int messages = 0;  // headers looked at
    int withTrace = 0; // of them with at least one Received:
    // The proposal for account.providerHosts: exact host names (never a domain, so that
    // another customer of the same provider never counts): every host that wrote a topmost
    // Received:, and each host of an internal hop seen in at least half of the messages.
    QStringList providerHosts;
    // The proposal for account.envelopeHeaders: the fields that named a local recipient
    // inside the provider's trace, most often first, then "Received"; the default list
    // when none did (found is false).
    QStringList envelopeHeaders;
    bool found = false;
    QList<Field> fields; // every candidate seen at all, in candidate order
};

// The header names looked for: the defaults, X-Delivered-To, X-Envelope-Rcpt.
QStringList envelopeCandidates();

// `headers`: message headers, any order. `isLocal`: the accepted domains (no predicate:
// any address counts as local). `extraCandidates`: more names to look for (the account's
// current list).
EnvelopeDetection detectEnvelope(const QList<QByteArray> &headers, const LocalPredicate &isLocal,
                                 const QStringList &extraCandidates = {});

// Lines for the dry run, e.g.
//   envelope detection over 20 messages (20 with a Received: trace)
//     provider's trace: imap.isp.example, mx.isp.example
//     X-Original-To    names a local recipient in 18
//     => envelopeHeaders: X-Original-To, Received
//     => providerHosts: imap.isp.example, mx.isp.example
QString describe(const EnvelopeDetection &detection);

} // namespace pollux::routing
