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

// "To: <what went wrong>" for an address list that was not read completely; empty when it
// was, or when only the header's own cut stopped it (HeaderRead says that once).
QString note(const HeaderField &field, const QString &header, const AddressList &list)
{
    if (list.complete() || (list.problem == AddressList::Problem::Cut && field.cut))
        return {};
    return header + QStringLiteral(": ") + list.detail;
}

// Reads the address lists of one header, at most kMaxHeaderAddresses entries in all fields.
class Reader
{
public:
    AddressList read(const HeaderField &field)
    {
        const int cap = qMin(kMaxAddresses, m_left);
        AddressList list = readAddressList(field.value, field.cut, cap);
        m_left -= list.entries;
        if (list.problem == AddressList::Problem::TooMany && cap < kMaxAddresses)
            list.detail = QStringLiteral("more than %1 addresses in all fields, the rest were "
                                         "not read")
                              .arg(kMaxHeaderAddresses);
        return list;
    }

private:
    int m_left = kMaxHeaderAddresses;
};

// What one listed envelope header names, split by trust.
struct Occurrences
{
    QStringList trusted;
    QStringList untrusted;
    int trustedFields = 0; // fields of this name inside the provider's trace
    QStringList notes;     // trusted fields not read completely
};

Occurrences occurrencesOf(const QList<HeaderField> &fields, const QString &header,
                          const ProviderTrace &trace, Reader &reader)
{
    Occurrences o;
    const QByteArray name = header.toLatin1();
    const bool received = isReceived(header);
    for (int i = 0; i < fields.size(); ++i) {
        const HeaderField &field = fields.at(i);
        if (field.name.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (received) {
            const QStringList found = parseReceived(field.value).forAddresses;
            (trace.receivedLines.contains(i) ? o.trusted : o.untrusted) << found;
            continue;
        }
        const AddressList list = reader.read(field);
        if (trace.trusts(i)) {
            ++o.trustedFields;
            o.trusted << list.addresses;
            if (const QString n = note(field, header, list); !n.isEmpty())
                o.notes << n;
        } else {
            o.untrusted << list.addresses;
        }
    }
    return o;
}

// Addresses one visible header names, all occurrences; notes for those not read completely.
QStringList addressesOf(const QList<HeaderField> &fields, const QString &header, Reader &reader,
                        QStringList &notes)
{
    QStringList out;
    const QByteArray name = header.toLatin1();
    for (const HeaderField &field : fields) {
        if (field.name.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        const AddressList list = reader.read(field);
        out << list.addresses;
        if (const QString n = note(field, header, list); !n.isEmpty())
            notes << n;
    }
    return out;
}

// Adds the addresses not seen yet, at most kMaxAddresses in all; false (and a note) when
// there were more.
bool add(Extraction &e, QSet<QString> &seen, const QStringList &addresses, const QString &source)
{
    for (const QString &a : addresses) {
        const QString key = addressKey(a);
        if (seen.contains(key))
            continue;
        if (e.recipients.size() == kMaxAddresses) {
            e.incomplete << QStringLiteral("more than %1 recipients, the rest were not read "
                                           "(the last read: %2)")
                                .arg(kMaxAddresses)
                                .arg(e.recipients.last().address);
            return false;
        }
        seen.insert(key);
        e.recipients.append({a, source});
    }
    return true;
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
    Reader reader;
    QList<Occurrences> all;
    for (const QString &header : envelopeHeaders) {
        all << occurrencesOf(fields, header, trace, reader);
        for (const QString &a : all.last().untrusted)
            e.untrusted.append({a, header});
    }
    for (qsizetype h = 0; h < envelopeHeaders.size(); ++h) {
        const QString &header = envelopeHeaders.at(h);
        const QStringList &found = all.at(h).trusted;
        e.incomplete << all.at(h).notes; // tried: what it could not read may have been local
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
    for (const QString &header : headers) {
        if (!add(e, seen, addressesOf(fields, header, reader, e.incomplete), header))
            break;
    }
    return e;
}

Extraction extractRecipients(const QByteArray &headerBlock, const QStringList &envelopeHeaders,
                             const LocalPredicate &isLocal, const QStringList &providerHosts)
{
    const HeaderRead header = readHeaderFields(headerBlock);
    Extraction e = extractRecipients(header.fields, envelopeHeaders, isLocal, providerHosts);
    if (!header.complete())
        e.incomplete.prepend(header.incompleteReason());
    return e;
}

} // namespace pollux::routing
