#include "LdapDirectory.h"

#include <QHostAddress>
#include <QUrl>

#include <ldap.h>
#include <sys/time.h>

namespace pollux::routing {

namespace {

DirectoryAnswer unavailable(ErrorCode code, const QString &detail)
{
    DirectoryAnswer a;
    a.status = DirectoryStatus::Unavailable;
    a.error = code;
    a.detail = detail;
    return a;
}

ErrorCode codeFor(int rc)
{
    switch (rc) {
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
        return ErrorCode::Network;
    case LDAP_TIMEOUT:
    case LDAP_TIMELIMIT_EXCEEDED:
        return ErrorCode::Timeout;
    case LDAP_INVALID_CREDENTIALS:
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_INSUFFICIENT_ACCESS:
    case LDAP_STRONG_AUTH_REQUIRED:
    case LDAP_CONFIDENTIALITY_REQUIRED:
        return ErrorCode::AuthFailed;
    case LDAP_FILTER_ERROR:
    case LDAP_INVALID_DN_SYNTAX:
        return ErrorCode::Config;
    default:
        return ErrorCode::ServerError;
    }
}

bool isLoopback(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString ldapError(int rc)
{
    return QString::fromUtf8(ldap_err2string(rc)) + QStringLiteral(" (%1)").arg(rc);
}

} // namespace

QString escapeFilterValue(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '*':
            out += QLatin1String("\\2a");
            break;
        case '(':
            out += QLatin1String("\\28");
            break;
        case ')':
            out += QLatin1String("\\29");
            break;
        case '\\':
            out += QLatin1String("\\5c");
            break;
        case 0:
            out += QLatin1String("\\00");
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString buildFilter(const QString &filterTemplate, const QString &address)
{
    QString filter = filterTemplate;
    return filter.replace(QLatin1String("%s"), escapeFilterValue(address));
}

LdapDirectory::LdapDirectory(const Options &options) : m_options(options) {}

LdapDirectory::~LdapDirectory()
{
    disconnect();
}

void LdapDirectory::disconnect()
{
    if (m_ld)
        ldap_unbind_ext_s(static_cast<LDAP *>(m_ld), nullptr, nullptr);
    m_ld = nullptr;
}

DirectoryAnswer LdapDirectory::connectAndBind()
{
    const QUrl url(m_options.url);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("ldap") && scheme != QLatin1String("ldaps")))
        return unavailable(ErrorCode::Config,
                           QStringLiteral("not an ldap:// or ldaps:// URL: ") + m_options.url);
    const bool tls = scheme == QLatin1String("ldaps") || m_options.startTls;
    if (!m_options.password.isEmpty() && !tls && !isLoopback(url.host()))
        return unavailable(ErrorCode::Tls,
                           QStringLiteral("refusing to send the LDAP password in plain text to "
                                          "%1: use ldaps:// or StartTLS")
                               .arg(m_options.url));

    LDAP *ld = nullptr;
    int rc = ldap_initialize(&ld, m_options.url.toUtf8().constData());
    if (rc != LDAP_SUCCESS || !ld)
        return unavailable(ErrorCode::Config, m_options.url + QStringLiteral(": ") + ldapError(rc));
    m_ld = ld;

    const int version = LDAP_VERSION3;
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    timeval timeout{m_options.timeoutSecs, 0};
    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout);
    const int demand = LDAP_OPT_X_TLS_DEMAND;
    ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
    const QByteArray caDir = "/etc/ssl/certs";
    ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTDIR, caDir.constData());
    if (!m_options.caFile.isEmpty()) {
        const QByteArray caFile = m_options.caFile.toLocal8Bit();
        ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, caFile.constData());
    }
    const int isServer = 0;
    ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &isServer);

    if (m_options.startTls && scheme == QLatin1String("ldap")) {
        rc = ldap_start_tls_s(ld, nullptr, nullptr);
        if (rc != LDAP_SUCCESS) {
            disconnect();
            // The TCP connection is made first; a connect error after it is the handshake.
            return unavailable(rc == LDAP_SERVER_DOWN ? ErrorCode::Network : ErrorCode::Tls,
                               m_options.url + QStringLiteral(": StartTLS failed: ") +
                                   ldapError(rc));
        }
    }

    const QByteArray dn = m_options.bindDn.toUtf8();
    QByteArray password = m_options.password.toUtf8();
    berval cred{static_cast<ber_len_t>(password.size()), password.data()};
    rc = ldap_sasl_bind_s(ld, dn.isEmpty() ? nullptr : dn.constData(), LDAP_SASL_SIMPLE, &cred,
                          nullptr, nullptr, nullptr);
    password.fill('\0');
    if (rc != LDAP_SUCCESS) {
        disconnect();
        return unavailable(codeFor(rc), m_options.url + QStringLiteral(": bind as \"") +
                                            m_options.bindDn + QStringLiteral("\" failed: ") +
                                            ldapError(rc));
    }
    DirectoryAnswer ok;
    ok.status = DirectoryStatus::Known;
    return ok;
}

DirectoryAnswer LdapDirectory::search(const QString &address, bool &connectionLost)
{
    connectionLost = false;
    LDAP *ld = static_cast<LDAP *>(m_ld);
    const QByteArray filter = buildFilter(m_options.filter, address).toUtf8();
    const QByteArray base = m_options.baseDn.toUtf8();
    char noAttributes[] = LDAP_NO_ATTRS; // "1.1": only whether entries exist
    char *attrs[] = {noAttributes, nullptr};
    timeval timeout{m_options.timeoutSecs, 0};
    LDAPMessage *result = nullptr;
    const int rc = ldap_search_ext_s(ld, base.constData(), LDAP_SCOPE_SUBTREE, filter.constData(),
                                     attrs, 0, nullptr, nullptr, &timeout, 2, &result);
    const int entries = result ? ldap_count_entries(ld, result) : 0;
    if (result)
        ldap_msgfree(result);

    DirectoryAnswer a;
    if (rc == LDAP_SUCCESS || rc == LDAP_SIZELIMIT_EXCEEDED) {
        a.status = entries > 0 ? DirectoryStatus::Known : DirectoryStatus::Unknown;
        a.detail = entries > 0 ? QStringLiteral("LDAP: found") : QStringLiteral("LDAP: no entry");
        return a;
    }
    connectionLost = rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR;
    return unavailable(codeFor(rc),
                       m_options.url + QStringLiteral(": search failed: ") + ldapError(rc));
}

DirectoryAnswer LdapDirectory::lookup(const QString &address)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool fresh = !m_ld;
        if (!m_ld) {
            const DirectoryAnswer bound = connectAndBind();
            if (bound.status == DirectoryStatus::Unavailable)
                return bound;
        }
        bool lost = false;
        const DirectoryAnswer a = search(address, lost);
        if (a.status != DirectoryStatus::Unavailable)
            return a;
        disconnect();
        if (!lost || fresh)
            return a; // a kept connection that went stale gets one more try
    }
    return unavailable(ErrorCode::Network, m_options.url);
}

} // namespace pollux::routing
