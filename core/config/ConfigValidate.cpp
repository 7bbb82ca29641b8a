// Config::validate(): every rule of docs/CONFIG.md, each problem naming its field.
#include "Config.h"
#include "FieldRules.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace pollux {

namespace {

using FieldRules::hasControl;
using FieldRules::hasSpaceOrControl;
using FieldRules::isDomainName;
using FieldRules::isEndpointUrl;
using FieldRules::looksLikeAddress;

QString quoted(const QString &s)
{
    return QLatin1Char('"') % s % QLatin1Char('"');
}

class Problems
{
public:
    void add(const QString &field, const QString &problem)
    {
        m_list << field % QStringLiteral(": ") % problem;
    }
    void range(const QString &field, qint64 value, qint64 low, qint64 high)
    {
        if (value < low || value > high)
            add(field, QStringLiteral("must be %1-%2").arg(low).arg(high));
    }
    Result result() const
    {
        if (m_list.isEmpty())
            return Result::success();
        return Result::failure(ErrorCode::Config, m_list.join(QLatin1Char('\n')));
    }

private:
    QStringList m_list;
};

void validateOAuth2(const AccountConfig &a, const QString &f, Problems &p)
{
    const OAuth2Config &c = a.oauth2;
    const QString o = f % QStringLiteral(".oauth2");
    if (a.authMethod != QLatin1String("auto") && a.authMethod != QLatin1String("xoauth2") &&
        a.authMethod != QLatin1String("oauthbearer"))
        p.add(f % QStringLiteral(".authMethod"),
              quoted(a.authMethod) %
                  QStringLiteral(" is a password method; an OAuth2 sign-in (signIn ") %
                  quoted(configName(a.signIn)) %
                  QStringLiteral(") uses auto, xoauth2 or oauthbearer"));
    if (c.clientId.trimmed().isEmpty())
        p.add(o % QStringLiteral(".clientId"),
              QStringLiteral("must name the client (application) ID of your app registration "
                             "(docs/OAUTH.md)"));
    else if (hasSpaceOrControl(c.clientId))
        p.add(o % QStringLiteral(".clientId"), QStringLiteral("must not contain spaces"));
    if (a.signIn == SignInMethod::Microsoft365 || a.signIn == SignInMethod::Microsoft365App) {
        static const QRegularExpression tenantRule(QStringLiteral("^[A-Za-z0-9.-]{1,256}$"));
        if (!tenantRule.match(c.tenant).hasMatch())
            p.add(o % QStringLiteral(".tenant"),
                  quoted(c.tenant) % QStringLiteral(" is not a tenant: a directory (tenant) ID, "
                                                    "a domain like contoso.onmicrosoft.com, or "
                                                    "organizations"));
        else if (a.signIn == SignInMethod::Microsoft365App &&
                 QStringList{QStringLiteral("organizations"), QStringLiteral("common"),
                             QStringLiteral("consumers")}
                     .contains(c.tenant.toLower()))
            p.add(o % QStringLiteral(".tenant"),
                  QStringLiteral("app-only access needs your own tenant (its directory ID or "
                                 "domain), not ") %
                      quoted(c.tenant));
    }
    if ((a.isAppOnly() || a.signIn == SignInMethod::Google) && !c.clientSecret)
        p.add(o % QStringLiteral(".clientSecret"),
              a.signIn == SignInMethod::Google
                  ? QStringLiteral("Google requires the client secret of the app registration: "
                                   "set it to true and store the secret in the keychain")
                  : QStringLiteral("app-only access requires a client secret: set it to true "
                                   "and store the secret in the keychain"));
    if (a.signIn != SignInMethod::OAuth2)
        return;
    const auto url = [&](const QString &key, const QString &value, bool required) {
        if (value.isEmpty()) {
            if (required)
                p.add(o % QLatin1Char('.') % key,
                      QStringLiteral("must name the provider's endpoint (an https URL)"));
            return;
        }
        if (!isEndpointUrl(value))
            p.add(o % QLatin1Char('.') % key,
                  quoted(value) % QStringLiteral(" is not an https URL"));
    };
    url(QStringLiteral("tokenUrl"), c.tokenUrl, true);
    url(QStringLiteral("authorizationUrl"), c.authorizationUrl, false);
    url(QStringLiteral("deviceUrl"), c.deviceUrl, false);
    if (!c.appOnly && c.authorizationUrl.isEmpty() && c.deviceUrl.isEmpty())
        p.add(o % QStringLiteral(".authorizationUrl"),
              QStringLiteral("a sign-in needs the authorization endpoint (browser) or the "
                             "device endpoint (deviceUrl), or both"));
    if (c.scopes.isEmpty())
        p.add(o % QStringLiteral(".scopes"),
              QStringLiteral("must list the scopes to ask for, e.g. the provider's mail scope "
                             "and offline_access"));
    for (qsizetype i = 0; i < c.scopes.size(); ++i) {
        if (c.scopes.at(i).isEmpty() || hasSpaceOrControl(c.scopes.at(i)))
            p.add(o % QStringLiteral(".scopes[") % QString::number(i) % QLatin1Char(']'),
                  QStringLiteral("a scope is one word without spaces"));
    }
}

void validateAccount(const AccountConfig &a, const QString &f, const Config &config, Problems &p)
{
    if (a.name.trimmed().isEmpty())
        p.add(f % QStringLiteral(".name"), QStringLiteral("must not be empty"));
    else if (a.name.contains(QLatin1Char('/')))
        p.add(f % QStringLiteral(".name"), QStringLiteral("must not contain '/'"));
    else if (hasControl(a.name))
        p.add(f % QStringLiteral(".name"), QStringLiteral("must not contain control characters"));
    if (a.host.trimmed().isEmpty())
        p.add(f % QStringLiteral(".host"), QStringLiteral("must not be empty"));
    else if (hasSpaceOrControl(a.host))
        p.add(f % QStringLiteral(".host"), QStringLiteral("must not contain spaces"));
    p.range(f % QStringLiteral(".port"), a.port, 1, 65535);
    p.range(f % QStringLiteral(".timeoutSecs"), a.timeoutSecs, 10, 3600);
    if (a.retention == Retention::KeepDays)
        p.range(f % QStringLiteral(".keepDays"), a.keepDays, 1, 3650);
    if (!AccountConfig::authMethods().contains(a.authMethod))
        p.add(f % QStringLiteral(".authMethod"),
              quoted(a.authMethod) % QStringLiteral(" is not one of ") %
                  AccountConfig::authMethods().join(QStringLiteral(", ")));
    else if (isImap(a.type) &&
             (a.authMethod == QLatin1String("user") || a.authMethod == QLatin1String("apop")))
        p.add(f % QStringLiteral(".authMethod"),
              quoted(a.authMethod) % QStringLiteral(" is a POP3 method; this is an IMAP account"));
    if (isOAuth2(a.signIn))
        validateOAuth2(a, f, p);
    if (a.startTls && isImplicitTls(a.type))
        p.add(f % QStringLiteral(".startTls"),
              QStringLiteral("an -ssl server type is encrypted from the start; STARTTLS "
                             "applies to pop3 and imap only"));
    if (isImap(a.type) && (a.folder.trimmed().isEmpty() || hasControl(a.folder)))
        p.add(f % QStringLiteral(".folder"),
              QStringLiteral("must name an IMAP folder, e.g. INBOX"));
    if (!a.pinnedFingerprint.isEmpty()) {
        if (!FieldRules::isFingerprint(a.pinnedFingerprint))
            p.add(f % QStringLiteral(".pinnedFingerprint"),
                  QStringLiteral("must be a SHA-256 fingerprint: 64 hex digits, colons allowed"));
    }
    for (qsizetype i = 0; i < a.envelopeHeaders.size(); ++i) {
        const QString &h = a.envelopeHeaders.at(i);
        if (!FieldRules::isHeaderName(h))
            p.add(f % QStringLiteral(".envelopeHeaders[") % QString::number(i) % QLatin1Char(']'),
                  quoted(h) % QStringLiteral(" is not a header name like X-Original-To"));
    }
    for (qsizetype i = 0; i < a.providerHosts.size(); ++i) {
        const QString &h = a.providerHosts.at(i);
        if (!isDomainName(h.startsWith(QLatin1Char('.')) ? h.mid(1) : h))
            p.add(f % QStringLiteral(".providerHosts[") % QString::number(i) % QLatin1Char(']'),
                  quoted(h) % QStringLiteral(" is not a host name or domain like "
                                             "mx.provider.example"));
    }
    switch (a.mailbox) {
    case MailboxType::SingleUser:
        if (!looksLikeAddress(a.recipient))
            p.add(f % QStringLiteral(".recipient"),
                  a.recipient.isEmpty()
                      ? QStringLiteral("a single-user mailbox needs a recipient address")
                      : quoted(a.recipient) %
                            QStringLiteral(" is not an address like user@example.com"));
        break;
    case MailboxType::CatchAllReroute:
        if (config.postmaster.isEmpty())
            p.add(f % QStringLiteral(".mailbox"),
                  QStringLiteral("catch-all-reroute needs a postmaster address (postmaster)"));
        Q_FALLTHROUGH();
    case MailboxType::CatchAll:
        if (config.acceptedDomains.isEmpty())
            p.add(f % QStringLiteral(".mailbox"),
                  QStringLiteral("a catch-all mailbox needs at least one accepted domain "
                                 "(acceptedDomains)"));
        break;
    }
}

void validateDomain(const QString &domain, const QString &f, Problems &p)
{
    if (domain.startsWith(QLatin1Char('@'))) {
        p.add(f, quoted(domain) % QStringLiteral(": write the domain without '@', e.g. ") %
                     quoted(domain.mid(1)));
    } else if (domain.startsWith(QLatin1String("*."))) {
        p.add(f, quoted(domain) %
                     QStringLiteral(": wildcards are not supported; list each domain as it "
                                    "appears after '@', e.g. ") %
                     quoted(domain.mid(2)));
    } else if (domain.contains(QLatin1Char('@'))) {
        p.add(f, quoted(domain) % QStringLiteral(" is an address; write only the domain, e.g. ") %
                     quoted(domain.mid(domain.lastIndexOf(QLatin1Char('@')) + 1)));
    } else if (!isDomainName(domain)) {
        p.add(f, quoted(domain) % QStringLiteral(" is not a domain name like \"example.com\""));
    }
}

} // namespace

Result Config::validate() const
{
    Problems p;
    QHash<QString, int> names; // name -> first index
    bool anyEnabled = false;
    for (qsizetype i = 0; i < accounts.size(); ++i) {
        const AccountConfig &a = accounts.at(i);
        const QString f = QStringLiteral("accounts[") % QString::number(i) % QLatin1Char(']');
        validateAccount(a, f, *this, p);
        if (!a.name.trimmed().isEmpty()) {
            const auto it = names.constFind(a.name);
            if (it != names.cend())
                p.add(f % QStringLiteral(".name"),
                      quoted(a.name) % QStringLiteral(" is already used by accounts[") %
                          QString::number(it.value()) % QLatin1Char(']'));
            else
                names.insert(a.name, int(i));
        }
        anyEnabled = anyEnabled || a.enabled;
    }

    if (smtp.host.trimmed().isEmpty()) {
        if (anyEnabled)
            p.add(QStringLiteral("smtp.host"),
                  QStringLiteral("must not be empty while an account is enabled"));
    } else if (hasSpaceOrControl(smtp.host)) {
        p.add(QStringLiteral("smtp.host"), QStringLiteral("must not contain spaces"));
    }
    p.range(QStringLiteral("smtp.port"), smtp.port, 1, 65535);
    p.range(QStringLiteral("smtp.timeoutSecs"), smtp.timeoutSecs, 10, 3600);
    p.range(QStringLiteral("smtp.retryIntervalSecs"), smtp.retryIntervalSecs, 10, 86400);
    if (hasSpaceOrControl(smtp.heloName))
        p.add(QStringLiteral("smtp.heloName"), QStringLiteral("must not contain spaces"));

    if (!postmaster.isEmpty() && !looksLikeAddress(postmaster))
        p.add(QStringLiteral("postmaster"),
              quoted(postmaster) %
                  QStringLiteral(" is not an address like postmaster@example.com"));
    QSet<QString> seenDomains;
    for (qsizetype i = 0; i < acceptedDomains.size(); ++i) {
        const QString f =
            QStringLiteral("acceptedDomains[") % QString::number(i) % QLatin1Char(']');
        const QString &domain = acceptedDomains.at(i);
        validateDomain(domain, f, p);
        const QString key = domain.toLower();
        if (seenDomains.contains(key))
            p.add(f, quoted(domain) % QStringLiteral(" is listed twice"));
        seenDomains.insert(key);
    }
    if (pollIntervalSecs < kMinPollIntervalSecs || pollIntervalSecs > kMaxPollIntervalSecs)
        p.add(QStringLiteral("pollIntervalSecs"),
              QStringLiteral("must be at least %1 and at most %2 (7 days)")
                  .arg(kMinPollIntervalSecs)
                  .arg(kMaxPollIntervalSecs));
    p.range(QStringLiteral("maxPerPass"), maxPerPass, 1, 100000);
    p.range(QStringLiteral("spoolLimitMiB"), spoolLimitMiB, 10, 1024 * 1024);
    p.range(QStringLiteral("logMaxMiB"), logMaxBytes / (1024 * 1024), 1, 10240);
    if (!language.isEmpty() && language != QLatin1String("en") && language != QLatin1String("de"))
        p.add(QStringLiteral("language"),
              quoted(language) %
                  QStringLiteral(" is not \"en\" or \"de\" (or empty for the system's)"));
    p.range(QStringLiteral("duplicateWindowDays"), duplicateWindowDays, 0, 365);
    if (!alerts.extraAddress.isEmpty() && !looksLikeAddress(alerts.extraAddress))
        p.add(QStringLiteral("alerts.extraAddress"),
              quoted(alerts.extraAddress) %
                  QStringLiteral(" is not an address like admin@example.com"));
    if (!alerts.from.isEmpty() && !looksLikeAddress(alerts.from))
        p.add(QStringLiteral("alerts.from"),
              quoted(alerts.from) % QStringLiteral(" is not an address like pollux@example.com"));
    p.range(QStringLiteral("alerts.failingThresholdMinutes"), alerts.failingThresholdMinutes, 5,
            7 * 24 * 60);
    p.range(QStringLiteral("alerts.officeOutageMinutes"), alerts.officeOutageMinutes, 0, 24 * 60);
    if (directory.type == DirectoryType::Ldap) {
        if (!directory.ldapUrl.startsWith(QLatin1String("ldap://")) &&
            !directory.ldapUrl.startsWith(QLatin1String("ldaps://")))
            p.add(QStringLiteral("directory.ldapUrl"),
                  QStringLiteral(
                      "must start with ldap:// or ldaps://, e.g. ldap://dc1.example.local"));
        if (directory.baseDn.trimmed().isEmpty())
            p.add(QStringLiteral("directory.baseDn"),
                  QStringLiteral("must not be empty, e.g. DC=example,DC=local"));
        if (!directory.filter.contains(QLatin1String("%s")))
            p.add(QStringLiteral("directory.filter"),
                  QStringLiteral("must contain %s where the address goes"));
    }
    if (directory.type != DirectoryType::None) {
        p.range(QStringLiteral("directory.cacheTtlSecs"), directory.cacheTtlSecs, 0, 7 * 86400);
        p.range(QStringLiteral("directory.timeoutSecs"), directory.timeoutSecs, 1, 300);
    }
    return p.result();
}

} // namespace pollux
