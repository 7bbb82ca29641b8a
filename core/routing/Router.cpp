#include "Router.h"

#include "AcceptedDomains.h"
#include "Address.h"
#include "Directory.h"

#include <QSet>

namespace pollux::routing {

namespace {

// The account name as mail/TraceHeader.cpp writes it (its safeToken()).
QString traceToken(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        const ushort u = c.unicode();
        const bool safe = u > 0x20 && u < 0x7f && u != '(' && u != ')' && u != '\\' && u != ';';
        out += safe ? c : QLatin1Char('_');
    }
    return out.left(200);
}

// "To: a@x, Cc: b@y" for the recipients with this fate (at most 10 named).
QString summarise(Fate fateFilter, const QList<RoutedRecipient> &details)
{
    QStringList parts;
    for (const RoutedRecipient &r : details) {
        if (r.fate == fateFilter)
            parts << r.source + QStringLiteral(": ") + r.address;
    }
    const qsizetype total = parts.size();
    if (total > 10) {
        parts = parts.mid(0, 10);
        parts << QStringLiteral("and %1 more").arg(total - 10);
    }
    return parts.join(QStringLiteral(", "));
}

void addUnique(QStringList &list, QSet<QString> &seen, const QString &address)
{
    const QString key = addressKey(address);
    if (!seen.contains(key)) {
        seen.insert(key);
        list << address;
    }
}

} // namespace

QString fateName(Fate fate)
{
    switch (fate) {
    case Fate::Deliver:
        return QStringLiteral("deliver");
    case Fate::Foreign:
        return QStringLiteral("foreign");
    case Fate::ToPostmaster:
        return QStringLiteral("postmaster");
    case Fate::Unchecked:
        return QStringLiteral("unchecked");
    case Fate::NotLocal:
        return QStringLiteral("not local");
    }
    return {};
}

QString loopReason(const QList<HeaderField> &fields, const QString &account, int maxReceived)
{
    const QList<QByteArray> received = fieldValues(fields, "Received");
    if (received.size() > maxReceived)
        return QStringLiteral("loop: %1 Received: headers (more than %2)")
            .arg(received.size())
            .arg(maxReceived);
    const QString marker = QStringLiteral("(account ") + traceToken(account) + QLatin1Char(')');
    for (const QByteArray &value : received) {
        const QString v = QString::fromUtf8(value).simplified();
        if (v.contains(QLatin1String("(Pollux) with ")) && v.contains(marker))
            return QStringLiteral("loop: the message already passed through Pollux for "
                                  "account %1")
                .arg(account);
    }
    return {};
}

RoutingDecision route(const AccountConfig &account, const Config &config,
                      const QByteArray &headerBlock, RecipientDirectory *directory)
{
    RoutingDecision d;
    d.mailbox = configName(account.mailbox);
    d.postmaster = config.postmaster;
    const HeaderRead header = readHeaderFields(headerBlock);
    const QList<HeaderField> &fields = header.fields;

    const QString loop = loopReason(fields, account.name);
    if (!loop.isEmpty()) {
        d.action = RoutingDecision::Action::Quarantine;
        d.quarantineReason = loop;
        return d;
    }

    if (account.mailbox == MailboxType::SingleUser) {
        d.recipients << account.recipient;
        d.details.append({account.recipient, QStringLiteral("account"), Fate::Deliver, {}});
        return d;
    }

    const AcceptedDomains domains(config.acceptedDomains, config.acceptSubdomains);
    const Extraction found = extractRecipients(
        fields, account.envelopeHeaders,
        [&domains](const QString &a) { return domains.isLocal(a); }, account.providerHosts);
    d.authority = found.authority;
    d.skipped = found.skipped;
    d.untrusted = found.untrusted;
    d.traceFound = found.traceFound;
    if (!header.complete())
        d.incomplete << header.incompleteReason();
    d.incomplete << found.incomplete;

    QStringList local;
    for (const FoundRecipient &r : found.recipients) {
        if (!domains.isLocal(r.address)) {
            d.details.append({r.address, r.source, Fate::Foreign, {}});
        } else if (isRelaySyntax(r.address)) {
            d.details.append({r.address, r.source, Fate::NotLocal,
                              QStringLiteral("relay syntax: % ! or @ in the local part")});
        } else {
            d.details.append({r.address, r.source, Fate::Deliver, {}});
            local << r.address;
        }
    }

    if (account.mailbox == MailboxType::CatchAllReroute && directory && !local.isEmpty()) {
        const QList<DirectoryAnswer> answers = directory->lookupAll(local);
        int i = 0;
        QStringList unavailable;
        for (RoutedRecipient &r : d.details) {
            if (r.fate != Fate::Deliver)
                continue;
            const DirectoryAnswer a = answers.value(i++);
            r.detail = a.detail;
            if (a.status == DirectoryStatus::Unknown) {
                r.fate = Fate::ToPostmaster;
            } else if (a.status == DirectoryStatus::Unavailable) {
                r.fate = Fate::Unchecked;
                unavailable << r.address + QStringLiteral(" (") + a.detail + QLatin1Char(')');
                if (d.waitError == ErrorCode::None)
                    d.waitError = a.error == ErrorCode::None ? ErrorCode::Network : a.error;
            }
        }
        if (!unavailable.isEmpty()) {
            d.action = RoutingDecision::Action::Wait;
            d.waitReason = QStringLiteral("recipient directory unavailable: ") +
                           unavailable.join(QStringLiteral(", "));
            return d;
        }
    }

    QSet<QString> seen;
    for (const RoutedRecipient &r : d.details) {
        if (r.fate == Fate::Deliver)
            addUnique(d.recipients, seen, r.address);
    }
    const QString unknown = summarise(Fate::ToPostmaster, d.details);
    const QString relay = summarise(Fate::NotLocal, d.details);
    QStringList reasons;
    if (!unknown.isEmpty())
        reasons << QStringLiteral("unknown recipient (%1)").arg(unknown);
    if (!relay.isEmpty())
        reasons << QStringLiteral("not a local address, relay syntax (%1)").arg(relay);
    if (!d.incomplete.isEmpty()) {
        QStringList notes = d.incomplete.mid(0, 5);
        if (d.incomplete.size() > 5)
            notes << QStringLiteral("and %1 more").arg(d.incomplete.size() - 5);
        reasons.prepend(QStringLiteral("recipients not read completely: ") +
                        notes.join(QStringLiteral("; ")));
    }
    if (!reasons.isEmpty()) {
        d.postmasterReason = reasons.join(QStringLiteral("; "));
    } else if (d.recipients.isEmpty()) {
        const QString foreign = summarise(Fate::Foreign, d.details);
        d.postmasterReason = foreign.isEmpty()
                                 ? QStringLiteral("no recipient found in the header")
                                 : QStringLiteral("no local recipient (%1)").arg(foreign);
    }
    if (!d.postmasterReason.isEmpty() && config.postmaster.isEmpty()) {
        d.action = RoutingDecision::Action::Quarantine;
        d.quarantineReason = d.postmasterReason + QStringLiteral("; no postmaster configured");
        d.recipients.clear();
        d.postmasterReason.clear();
    }
    return d;
}

QByteArray reasonHeader(const QString &reason)
{
    QString clean = reason;
    for (QChar &c : clean) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    }
    clean = clean.simplified().left(2000);
    bool ascii = true;
    for (const QChar c : clean)
        ascii = ascii && c.unicode() < 0x80;

    QList<QByteArray> words;
    if (ascii) {
        words = clean.toLatin1().split(' ');
    } else {
        // Encoded words of at most 45 input bytes each, split on UTF-8 boundaries.
        const QByteArray utf8 = clean.toUtf8();
        qsizetype pos = 0;
        while (pos < utf8.size()) {
            qsizetype len = qMin<qsizetype>(45, utf8.size() - pos);
            while (pos + len < utf8.size() && (utf8.at(pos + len) & 0xC0) == 0x80)
                --len;
            words << "=?UTF-8?B?" + utf8.mid(pos, len).toBase64() + "?=";
            pos += len;
        }
    }
    QByteArray out = "X-Pollux-Reason:";
    qsizetype column = out.size();
    for (const QByteArray &w : words) {
        if (w.isEmpty())
            continue;
        if (column + 1 + w.size() > 76 && column > 16) {
            out += "\r\n\t";
            column = 1;
        } else {
            out += ' ';
            ++column;
        }
        out += w;
        column += w.size();
    }
    return out + "\r\n";
}

} // namespace pollux::routing
