#include "DryRun.h"

#include "Address.h"
#include "HeaderFields.h"
#include "mail/MessageHeader.h"

#include <QFile>

namespace pollux::routing {

namespace {

QString firstValue(const QByteArray &header, const QByteArray &name)
{
    const QList<QByteArray> values = fieldValues(splitHeaderFields(header), name);
    return values.isEmpty() ? QString() : decodeHeaderText(values.first()).simplified().left(100);
}

} // namespace

QList<DryRunResult> dryRun(const AccountConfig &account, const Config &config,
                           const QList<DryRunInput> &messages, RecipientDirectory *directory)
{
    QList<DryRunResult> out;
    for (const DryRunInput &m : messages) {
        DryRunResult r;
        r.label = m.label;
        r.from = firstValue(m.header, "From");
        r.subject = firstValue(m.header, "Subject");
        r.decision = route(account, config, m.header, directory);
        out << r;
    }
    return out;
}

QList<DryRunResult> dryRunFiles(const AccountConfig &account, const Config &config,
                                const QStringList &paths, RecipientDirectory *directory)
{
    QList<DryRunResult> out;
    for (const QString &path : paths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            DryRunResult r;
            r.label = path;
            r.decision.action = RoutingDecision::Action::Wait;
            r.decision.waitReason = QStringLiteral("cannot read: ") + file.errorString();
            r.decision.waitError = ErrorCode::Storage;
            out << r;
            continue;
        }
        out << dryRun(account, config, {{path, mail::readHeaderBlock(&file)}}, directory);
    }
    return out;
}

QString describe(const DryRunResult &result)
{
    const RoutingDecision &d = result.decision;
    QStringList lines;
    lines << QStringLiteral("message %1: \"%2\" from %3")
                 .arg(result.label, result.subject,
                      result.from.isEmpty() ? QStringLiteral("(no From)") : result.from);
    if (d.mailbox != QLatin1String("single-user") && !d.mailbox.isEmpty()) {
        QString source = d.authority.isEmpty()
                             ? QStringLiteral("  recipients from the visible headers")
                             : QStringLiteral("  recipients from ") + d.authority;
        if (!d.skipped.isEmpty())
            source += QStringLiteral(" (skipped: ") + d.skipped.join(QStringLiteral(", ")) +
                      QLatin1Char(')');
        lines << source;
    }
    for (const RoutedRecipient &r : d.details) {
        QString line = QStringLiteral("  %1  %2  %3")
                           .arg(r.address, -30)
                           .arg(r.source, -14)
                           .arg(fateName(r.fate));
        if (!r.detail.isEmpty())
            line += QStringLiteral(" (") + r.detail + QLatin1Char(')');
        lines << line;
    }
    const QString why = d.traceFound ? QStringLiteral("untrusted (below the provider's trace)")
                                     : QStringLiteral("untrusted (no Received: header, so no "
                                                      "provider's trace)");
    for (const FoundRecipient &r : d.untrusted)
        lines << QStringLiteral("  %1  %2  %3").arg(r.address, -30).arg(r.source, -14).arg(why);
    for (const QString &note : d.incomplete)
        lines << QStringLiteral("  not read completely: ") + note;
    switch (d.action) {
    case RoutingDecision::Action::Quarantine:
        lines << QStringLiteral("  => quarantine: ") + d.quarantineReason;
        break;
    case RoutingDecision::Action::Wait:
        lines << QStringLiteral("  => wait: ") + d.waitReason;
        break;
    case RoutingDecision::Action::Deliver:
        if (!d.recipients.isEmpty())
            lines << QStringLiteral("  => deliver to ") + d.recipients.join(QStringLiteral(", "));
        if (!d.postmasterReason.isEmpty())
            lines << QStringLiteral("  => copy to the postmaster %1: %2")
                         .arg(d.postmaster, d.postmasterReason);
        break;
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace pollux::routing
