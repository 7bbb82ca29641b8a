#include "Recipients.h"

#include "Address.h"
#include "Trace.h"

#include <QSet>

namespace pollux::routing {

namespace {

bool isReceived(const QString &header)
{
    return header.compare(QLatin1String("Received"), Qt::CaseInsensitive) == 0;
}

// What one listed envelope header names, split by trust.
struct Occurrences
{
    QStringList trusted;
    QStringList untrusted;
    int trustedFields = 0; // fields of this name inside the provider's trace
};

Occurrences occurrencesOf(const QList<HeaderField> &fields, const QString &header,
                          const ProviderTrace &trace)
{
    Occurrences o;
    const QByteArray name = header.toLatin1();
    const bool received = isReceived(header);
    for (int i = 0; i < fields.size(); ++i) {
        if (fields.at(i).name.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (received) {
            const QStringList found = parseReceived(fields.at(i).value).forAddresses;
            (trace.receivedLines.contains(i) ? o.trusted : o.untrusted) << found;
        } else if (trace.trusts(i)) {
            ++o.trustedFields;
            o.trusted << parseAddressList(fields.at(i).value);
        } else {
            o.untrusted << parseAddressList(fields.at(i).value);
        }
    }
    return o;
}

// Addresses one visible header names, all occurrences.
QStringList addressesOf(const QList<HeaderField> &fields, const QString &header)
{
    QStringList out;
    for (const QByteArray &v : fieldValues(fields, header.toLatin1()))
        out << parseAddressList(v);
    return out;
}

void add(Extraction &e, QSet<QString> &seen, const QStringList &addresses, const QString &source)
{
    for (const QString &a : addresses) {
        const QString key = addressKey(a);
        if (seen.contains(key))
            continue;
        seen.insert(key);
        e.recipients.append({a, source});
    }
}

} // namespace

QStringList Extraction::addresses() const
{
    QStringList out;
    for (const FoundRecipient &r : recipients)
        out << r.address;
    return out;
}

QStringList visibleRecipientHeaders()
{
    return {QStringLiteral("To"), QStringLiteral("Cc"), QStringLiteral("Bcc")};
}

Extraction extractRecipients(const QList<HeaderField> &fields, const QStringList &envelopeHeaders,
                             const LocalPredicate &isLocal, const QStringList &providerHosts)
{
    Extraction e;
    QSet<QString> seen;
    const ProviderTrace trace = providerTrace(fields, ProviderHosts(providerHosts));
    e.traceFound = trace.inbound >= 0;
    QList<Occurrences> all;
    for (const QString &header : envelopeHeaders) {
        all << occurrencesOf(fields, header, trace);
        for (const QString &a : all.last().untrusted)
            e.untrusted.append({a, header});
    }
    for (qsizetype h = 0; h < envelopeHeaders.size(); ++h) {
        const QString &header = envelopeHeaders.at(h);
        const QStringList &found = all.at(h).trusted;
        if (found.isEmpty()) {
            if (!isReceived(header) && all.at(h).trustedFields > 0)
                e.skipped << header; // present, but nothing usable in it
            continue;
        }
        bool anyLocal = !isLocal;
        for (const QString &a : found)
            anyLocal = anyLocal || isLocal(a);
        if (!anyLocal) {
            e.skipped << header;
            continue;
        }
        e.authority = header;
        add(e, seen, found, header);
        return e;
    }

    QStringList headers;
    for (const char *resent : {"Resent-To", "Resent-Cc", "Resent-Bcc"}) {
        if (fieldCount(fields, resent) > 0)
            headers << QString::fromLatin1(resent);
    }
    if (headers.isEmpty())
        headers = visibleRecipientHeaders();
    for (const QString &header : headers)
        add(e, seen, addressesOf(fields, header), header);
    return e;
}

Extraction extractRecipients(const QByteArray &headerBlock, const QStringList &envelopeHeaders,
                             const LocalPredicate &isLocal, const QStringList &providerHosts)
{
    return extractRecipients(splitHeaderFields(headerBlock), envelopeHeaders, isLocal,
                             providerHosts);
}

} // namespace pollux::routing
