// Config::describe(): what a configuration will do, in plain words (`pollux config check`).
#include "Config.h"

namespace pollux {

namespace {

QString quoted(const QString &s)
{
    return QLatin1Char('"') % s % QLatin1Char('"');
}

QString count(int n, const char *unit)
{
    return QString::number(n) % QLatin1Char(' ') % QLatin1String(unit) %
           (n == 1 ? QString() : QStringLiteral("s"));
}

QString tlsInWords(const AccountConfig &a)
{
    if (isImplicitTls(a.type))
        return QStringLiteral("TLS from the first byte");
    if (a.startTls)
        return QStringLiteral("STARTTLS, required before the login");
    return a.allowPlaintextLogin
               ? QStringLiteral("not encrypted (plaintext passwords allowed)")
               : QStringLiteral("not encrypted (the password is sent only in a challenge "
                                "method such as APOP or CRAM-MD5)");
}

QString retentionInWords(const AccountConfig &a)
{
    switch (a.retention) {
    case Retention::Delete:
        return QStringLiteral("messages are deleted from the server once collected");
    case Retention::Keep:
        return QStringLiteral("messages are kept on the server (each is collected once)");
    case Retention::KeepDays:
        return QStringLiteral("messages are kept for ") % count(a.keepDays, "day") %
               QStringLiteral(" after the first download, then deleted from the server");
    }
    return QString();
}

QString whereMailGoes(const AccountConfig &a, const Config &c)
{
    const QString unmatched =
        c.postmaster.isEmpty()
            ? QStringLiteral("mail with no local recipient is quarantined (no postmaster set)")
            : QStringLiteral("mail with no local recipient goes to the postmaster ") % c.postmaster;
    switch (a.mailbox) {
    case MailboxType::SingleUser:
        return QStringLiteral("single-user: all mail goes to ") % a.recipient;
    case MailboxType::CatchAll:
        return QStringLiteral("catch-all: each message goes to its recipients in the accepted "
                              "domains (envelope headers trusted: ") %
               (a.envelopeHeaders.isEmpty() ? QStringLiteral("none, To/Cc only")
                                            : a.envelopeHeaders.join(QStringLiteral(", "))) %
               QStringLiteral("); ") % unmatched;
    case MailboxType::CatchAllReroute:
        return QStringLiteral("catch-all-reroute: as catch-all, and recipients the directory (") %
               configName(c.directory.type) %
               QStringLiteral(") does not know go to the postmaster ") % c.postmaster %
               QStringLiteral("; ") % unmatched;
    }
    return QString();
}

QString durationInWords(int secs)
{
    if (secs > 0 && secs % 86400 == 0)
        return count(secs / 86400, "day");
    if (secs > 0 && secs % 3600 == 0)
        return count(secs / 3600, "hour");
    if (secs > 0 && secs % 60 == 0)
        return count(secs / 60, "minute");
    return count(secs, "second");
}

} // namespace

QString Config::describe() const
{
    QStringList out;
    out << QStringLiteral("Accounts: %1").arg(accounts.size());
    for (const AccountConfig &a : accounts) {
        out << QStringLiteral("  ") % quoted(a.name) %
                   (a.enabled ? QString() : QStringLiteral(" (disabled: not collected)")) %
                   QStringLiteral(": ") % configName(a.type) % QStringLiteral(" at ") % a.host %
                   QLatin1Char(':') % QString::number(a.port) % QStringLiteral(", ") %
                   tlsInWords(a);
        out << QStringLiteral("    login: ") %
                   (a.username.isEmpty() ? QStringLiteral("(no user name)") : a.username) %
                   QStringLiteral(", method ") % a.authMethod %
                   (isOAuth2(a.signIn)
                        ? QStringLiteral(", OAuth2 sign-in ") % configName(a.signIn) %
                              QStringLiteral(" (client ") % a.oauth2.clientId %
                              (a.oauth2.clientSecret ? QStringLiteral(", with client secret")
                                                     : QString()) %
                              QLatin1Char(')')
                        : QString()) %
                   (a.pinnedFingerprint.isEmpty()
                        ? QString()
                        : QStringLiteral(", certificate pinned to ") % a.pinnedFingerprint);
        if (isImap(a.type))
            out << QStringLiteral("    folder: ") % a.folder %
                       (a.idle ? QStringLiteral(", IDLE (a pass as soon as mail arrives)")
                               : QString());
        out << QStringLiteral("    mailbox: ") % whereMailGoes(a, *this);
        out << QStringLiteral("    retention: ") % retentionInWords(a);
    }
    out << QStringLiteral("Office server: ") %
               (smtp.host.isEmpty() ? QStringLiteral("(none)")
                                    : smtp.host % QLatin1Char(':') % QString::number(smtp.port)) %
               QStringLiteral(", ") %
               (smtp.startTls ? QStringLiteral("STARTTLS required")
                              : QStringLiteral("not encrypted (no STARTTLS)")) %
               QStringLiteral(", ") %
               (smtp.username.isEmpty() ? QStringLiteral("no login")
                                        : QStringLiteral("login as ") % smtp.username);
    out << QStringLiteral("Postmaster: ") %
               (postmaster.isEmpty() ? QStringLiteral("(none)") : postmaster);
    out << QStringLiteral("Accepted domains: ") %
               (acceptedDomains.isEmpty() ? QStringLiteral("(none)")
                                          : acceptedDomains.join(QStringLiteral(", "))) %
               (acceptSubdomains ? QStringLiteral(" (and their subdomains)") : QString());
    if (directory.type == DirectoryType::Ldap)
        out << QStringLiteral("Directory: LDAP at ") % directory.ldapUrl %
                   QStringLiteral(", base ") % directory.baseDn %
                   QStringLiteral(", at most %1 s for one message's lookups")
                       .arg(directory.timeoutSecs);
    else if (directory.type == DirectoryType::SmtpProbe)
        out << QStringLiteral("Directory: the office server is asked (RCPT TO), at most %1 s "
                              "for one message's lookups")
                   .arg(directory.timeoutSecs);
    out << QStringLiteral("Polling: every ") % durationInWords(pollIntervalSecs) %
               QStringLiteral(", at most %1 messages per account and pass").arg(maxPerPass);
    out << QStringLiteral("Data folder: ") %
               (dataDir.isEmpty() ? QStringLiteral("(the default location)") : dataDir);
    {
        QStringList to;
        if (!postmaster.isEmpty())
            to << postmaster;
        if (!alerts.extraAddress.isEmpty() && !to.contains(alerts.extraAddress))
            to << alerts.extraAddress;
        out << QStringLiteral("Alerts by e-mail: ") %
                   (!alerts.enabled ? QStringLiteral("off")
                    : to.isEmpty()  ? QStringLiteral("on, but no address (set postmaster)")
                                    : QStringLiteral("to ") % to.join(QStringLiteral(", ")) %
                                         QStringLiteral(" (a mailbox failing %1 min or longer)")
                                             .arg(alerts.failingThresholdMinutes));
    }
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace pollux
