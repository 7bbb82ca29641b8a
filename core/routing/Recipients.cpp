#include "Recipients.h"

#include "Address.h"

#include <QSet>

namespace pollux::routing {

namespace {

// Addresses one header names, all occurrences.
QStringList addressesOf(const QList<HeaderField> &fields, const QString &header)
{
    QStringList out;
    if (header.compare(QLatin1String("Received"), Qt::CaseInsensitive) == 0) {
        for (const QByteArray &v : fieldValues(fields, "Received")) {
            const QString a = receivedFor(v);
            if (!a.isEmpty())
                return {a};
        }
        return out;
    }
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
                             const LocalPredicate &isLocal)
{
    Extraction e;
    QSet<QString> seen;
    for (const QString &header : envelopeHeaders) {
        const QStringList found = addressesOf(fields, header);
        if (found.isEmpty()) {
            if (header.compare(QLatin1String("Received"), Qt::CaseInsensitive) != 0 &&
                fieldCount(fields, header.toLatin1()) > 0)
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
                             const LocalPredicate &isLocal)
{
    return extractRecipients(splitHeaderFields(headerBlock), envelopeHeaders, isLocal);
}

} // namespace pollux::routing
