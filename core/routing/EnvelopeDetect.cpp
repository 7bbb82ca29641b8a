#include "EnvelopeDetect.h"

#include "Address.h"
#include "HeaderFields.h"
#include "Trace.h"
#include "config/Config.h"
#include "config/FieldRules.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace pollux::routing {

namespace {

// The organisation's domain of a host name, roughly: the last two labels, three under a
// two-letter country code's generic second level ("co.uk", "com.au").
QString orgDomain(const QString &host)
{
    const QStringList labels = host.split(QLatin1Char('.'));
    if (labels.size() < 2)
        return host;
    static const QSet<QString> generic = {
        QStringLiteral("co"),  QStringLiteral("com"), QStringLiteral("net"), QStringLiteral("org"),
        QStringLiteral("gov"), QStringLiteral("edu"), QStringLiteral("ac"),  QStringLiteral("or"),
        QStringLiteral("ne"),  QStringLiteral("go")};
    const bool cc = labels.last().size() == 2 && generic.contains(labels.at(labels.size() - 2));
    const int keep = cc && labels.size() >= 3 ? 3 : 2;
    return labels.mid(labels.size() - keep).join(QLatin1Char('.'));
}

// A name that providerHosts accepts (an IPv6 "by 2002:a05::" is none).
QString hostOrEmpty(const QString &host)
{
    const QString d = normaliseDomain(host);
    return FieldRules::isDomainName(d) ? d : QString();
}

bool isLocalhostName(const QString &name)
{
    return name == QLatin1String("localhost") || name == QLatin1String("localhost.localdomain");
}

// The hosts of one message's trace: the topmost line's "by", then, while the hop came from
// a host of the same organisation (as isInternalHop would find with those hosts), its
// names and the next line's "by".
void traceHosts(const QList<HeaderField> &fields, QSet<QString> &top, QSet<QString> &chain)
{
    QList<ReceivedLine> lines;
    for (const HeaderField &f : fields) {
        if (f.name.compare("Received", Qt::CaseInsensitive) == 0)
            lines << parseReceived(f.value);
    }
    if (lines.isEmpty())
        return;
    const QString first = hostOrEmpty(lines.first().byHost);
    if (first.isEmpty())
        return;
    top.insert(first);
    const QString org = orgDomain(first);
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const ReceivedLine &line = lines.at(i);
        QStringList names;
        for (const QString &n : line.fromNames) {
            if (isLocalhostName(n))
                continue;
            const QString d = hostOrEmpty(n);
            if (d.isEmpty() || orgDomain(d) != org)
                return;
            names << d;
        }
        // The same test as isInternalHop, with these names as the provider's.
        if (!isInternalHop(line, ProviderHosts(names.isEmpty() ? QStringList{first} : names)))
            return;
        for (const QString &n : names)
            chain.insert(n);
        const QString by = hostOrEmpty(lines.at(i + 1).byHost);
        if (by.isEmpty() || orgDomain(by) != org)
            return;
        chain.insert(by);
    }
}

} // namespace

QStringList envelopeCandidates()
{
    QStringList out = AccountConfig::defaultEnvelopeHeaders();
    out << QStringLiteral("X-Delivered-To") << QStringLiteral("X-Envelope-Rcpt");
    return out;
}

EnvelopeDetection detectEnvelope(const QList<QByteArray> &headers, const LocalPredicate &isLocal,
                                 const QStringList &extraCandidates)
{
    EnvelopeDetection d;
    QList<QList<HeaderField>> all;
    QSet<QString> top;
    QHash<QString, int> chainCount;
    for (const QByteArray &h : headers) {
        all << splitHeaderFields(h);
        ++d.messages;
        if (fieldCount(all.last(), "Received") > 0)
            ++d.withTrace;
        QSet<QString> chain;
        traceHosts(all.last(), top, chain);
        for (const QString &host : chain)
            ++chainCount[host];
    }
    QSet<QString> hosts = top;
    for (auto it = chainCount.cbegin(); it != chainCount.cend(); ++it) {
        if (2 * it.value() >= d.withTrace)
            hosts.insert(it.key());
    }
    d.providerHosts = QStringList(hosts.cbegin(), hosts.cend());
    std::sort(d.providerHosts.begin(), d.providerHosts.end());

    QStringList candidates = envelopeCandidates();
    for (const QString &c : extraCandidates) {
        bool known = false;
        for (const QString &k : candidates)
            known = known || k.compare(c, Qt::CaseInsensitive) == 0;
        if (!known && !c.trimmed().isEmpty())
            candidates << c.trimmed();
    }
    for (const QString &name : candidates) {
        EnvelopeDetection::Field field{name};
        for (const QList<HeaderField> &fields : all) {
            const Extraction e = extractRecipients(fields, {name}, isLocal, d.providerHosts);
            if (e.authority == name)
                ++field.local;
            else if (e.skipped.contains(name))
                ++field.foreign;
            else if (!e.untrusted.isEmpty())
                ++field.untrusted;
        }
        if (field.local + field.foreign + field.untrusted > 0)
            d.fields << field;
    }

    QList<EnvelopeDetection::Field> useful;
    for (const EnvelopeDetection::Field &f : d.fields) {
        if (f.local > 0)
            useful << f;
    }
    std::stable_sort(useful.begin(), useful.end(),
                     [](const auto &a, const auto &b) { return a.local > b.local; });
    for (const EnvelopeDetection::Field &f : useful) {
        if (f.name != QLatin1String("Received"))
            d.envelopeHeaders << f.name;
    }
    d.found = !useful.isEmpty();
    if (!d.found)
        d.envelopeHeaders = AccountConfig::defaultEnvelopeHeaders();
    else
        d.envelopeHeaders << QStringLiteral("Received");
    return d;
}

QString describe(const EnvelopeDetection &d)
{
    QStringList lines;
    lines << QStringLiteral("envelope detection over %1 messages (%2 with a Received: trace)")
                 .arg(d.messages)
                 .arg(d.withTrace);
    lines << QStringLiteral("  provider's trace: ") +
                 (d.providerHosts.isEmpty() ? QStringLiteral("(none found)")
                                            : d.providerHosts.join(QStringLiteral(", ")));
    for (const EnvelopeDetection::Field &f : d.fields) {
        QStringList parts;
        if (f.local > 0)
            parts << QStringLiteral("names a local recipient in %1").arg(f.local);
        if (f.foreign > 0)
            parts << QStringLiteral("only foreign addresses in %1").arg(f.foreign);
        if (f.untrusted > 0)
            parts << QStringLiteral("only below the provider's trace in %1").arg(f.untrusted);
        lines << QStringLiteral("  %1  %2").arg(f.name, -16).arg(parts.join(QStringLiteral(", ")));
    }
    if (!d.found)
        lines << QStringLiteral("  no envelope header of the provider names a local recipient: "
                                "the visible headers (To, Cc) would be used");
    lines << QStringLiteral("  => envelopeHeaders: ") +
                 d.envelopeHeaders.join(QStringLiteral(", "));
    lines << QStringLiteral("  => providerHosts: ") +
                 (d.providerHosts.isEmpty() ? QStringLiteral("(none)")
                                            : d.providerHosts.join(QStringLiteral(", ")));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace pollux::routing
