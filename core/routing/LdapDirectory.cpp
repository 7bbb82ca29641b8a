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

constexpr int kSliceMs = 100;      // how long one wait for a result may block
constexpr int kCancelled = -10000; // not a libldap code: the cancel flag was set

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

void LdapDirectory::setNetworkTimeout(const QDeadlineTimer &deadline)
{
    // The connect and the TLS handshake block inside libldap: never past the deadline.
    const qint64 left = qMax<qint64>(1, deadline.remainingTime());
    timeval timeout{time_t(left / 1000), suseconds_t((left % 1000) * 1000)};
    ldap_set_option(static_cast<LDAP *>(m_ld), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(static_cast<LDAP *>(m_ld), LDAP_OPT_TIMEOUT, &timeout);
}

int LdapDirectory::await(int msgid, const QDeadlineTimer &deadline, void **result)
{
    LDAP *ld = static_cast<LDAP *>(m_ld);
    *result = nullptr;
    while (true) {
        if (cancelled() || deadline.hasExpired()) {
            ldap_abandon_ext(ld, msgid, nullptr, nullptr);
            return cancelled() ? kCancelled : LDAP_TIMEOUT;
        }
        const qint64 slice = qBound<qint64>(1, deadline.remainingTime(), qint64(kSliceMs));
        timeval tv{0, suseconds_t(slice * 1000)};
        LDAPMessage *message = nullptr;
        const int rc = ldap_result(ld, msgid, LDAP_MSG_ALL, &tv, &message);
        if (rc == 0)
            continue; // nothing yet
        if (rc < 0) {
            int error = LDAP_SERVER_DOWN;
            ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &error);
            return error == LDAP_SUCCESS ? LDAP_SERVER_DOWN : error;
        }
        *result = message;
        return LDAP_SUCCESS;
    }
}

DirectoryAnswer LdapDirectory::failure(int rc, const QString &what) const
{
    if (rc == kCancelled)
        return unavailable(ErrorCode::Cancelled,
                           m_options.url + QStringLiteral(": lookup cancelled (stopping)"));
    if (rc == LDAP_TIMEOUT)
        return unavailable(ErrorCode::Timeout,
                           m_options.url + QStringLiteral(": %1: no answer within %2 s (the time "
                                                          "for one message's lookups)")
                                               .arg(what)
                                               .arg(m_options.timeoutSecs));
    return unavailable(codeFor(rc),
                       m_options.url + QStringLiteral(": %1 failed: ").arg(what) + ldapError(rc));
}

DirectoryAnswer LdapDirectory::connectAndBind(const QDeadlineTimer &deadline)
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
    if (cancelled())
        return failure(kCancelled, QString());

    LDAP *ld = nullptr;
    int rc = ldap_initialize(&ld, m_options.url.toUtf8().constData());
    if (rc != LDAP_SUCCESS || !ld)
        return unavailable(ErrorCode::Config, m_options.url + QStringLiteral(": ") + ldapError(rc));
    m_ld = ld;

    const int version = LDAP_VERSION3;
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    setNetworkTimeout(deadline);
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

    void *result = nullptr;
    int msgid = 0;
    if (m_options.startTls && scheme == QLatin1String("ldap")) {
        rc = ldap_extended_operation(ld, LDAP_EXOP_START_TLS, nullptr, nullptr, nullptr, &msgid);
        if (rc == LDAP_SUCCESS)
            rc = await(msgid, deadline, &result);
        if (rc == LDAP_SUCCESS) {
            int err = LDAP_OTHER;
            rc = ldap_parse_result(ld, static_cast<LDAPMessage *>(result), &err, nullptr, nullptr,
                                   nullptr, nullptr, 1);
            if (rc == LDAP_SUCCESS)
                rc = err;
        }
        if (rc == LDAP_SUCCESS) {
            setNetworkTimeout(deadline);
            rc = ldap_install_tls(ld);
        }
        if (rc != LDAP_SUCCESS) {
            disconnect();
            if (rc == kCancelled || rc == LDAP_TIMEOUT)
                return failure(rc, QStringLiteral("StartTLS"));
            // The TCP connection is made first; a connect error after it is the handshake.
            return unavailable(rc == LDAP_SERVER_DOWN ? ErrorCode::Network : ErrorCode::Tls,
                               m_options.url + QStringLiteral(": StartTLS failed: ") +
                                   ldapError(rc));
        }
    }

    const QByteArray dn = m_options.bindDn.toUtf8();
    QByteArray password = m_options.password.toUtf8();
    berval cred{static_cast<ber_len_t>(password.size()), password.data()};
    rc = ldap_sasl_bind(ld, dn.isEmpty() ? nullptr : dn.constData(), LDAP_SASL_SIMPLE, &cred,
                        nullptr, nullptr, &msgid);
    password.fill('\0');
    if (rc == LDAP_SUCCESS)
        rc = await(msgid, deadline, &result);
    if (rc == LDAP_SUCCESS) {
        int err = LDAP_OTHER;
        rc = ldap_parse_result(ld, static_cast<LDAPMessage *>(result), &err, nullptr, nullptr,
                               nullptr, nullptr, 1);
        if (rc == LDAP_SUCCESS)
            rc = err;
    }
    if (rc != LDAP_SUCCESS) {
        disconnect();
        if (rc == kCancelled || rc == LDAP_TIMEOUT)
            return failure(rc, QStringLiteral("bind as \"%1\"").arg(m_options.bindDn));
        return unavailable(codeFor(rc), m_options.url + QStringLiteral(": bind as \"") +
                                            m_options.bindDn + QStringLiteral("\" failed: ") +
                                            ldapError(rc));
    }
    DirectoryAnswer ok;
    ok.status = DirectoryStatus::Known;
    return ok;
}

DirectoryAnswer LdapDirectory::search(const QString &address, const QDeadlineTimer &deadline,
                                      bool &connectionLost)
{
    connectionLost = false;
    LDAP *ld = static_cast<LDAP *>(m_ld);
    const QByteArray filter = buildFilter(m_options.filter, address).toUtf8();
    const QByteArray base = m_options.baseDn.toUtf8();
    char noAttributes[] = LDAP_NO_ATTRS; // "1.1": only whether entries exist
    char *attrs[] = {noAttributes, nullptr};
    // The server's own time limit: whole seconds left, at least one.
    timeval limit{time_t(qMax<qint64>(1, deadline.remainingTime() / 1000)), 0};
    int msgid = 0;
    int rc = ldap_search_ext(ld, base.constData(), LDAP_SCOPE_SUBTREE, filter.constData(), attrs, 0,
                             nullptr, nullptr, &limit, 2, &msgid);
    void *result = nullptr;
    if (rc == LDAP_SUCCESS)
        rc = await(msgid, deadline, &result);
    int entries = 0;
    if (rc == LDAP_SUCCESS) {
        LDAPMessage *chain = static_cast<LDAPMessage *>(result);
        entries = ldap_count_entries(ld, chain);
        int err = LDAP_OTHER;
        rc = ldap_parse_result(ld, chain, &err, nullptr, nullptr, nullptr, nullptr, 1);
        if (rc == LDAP_SUCCESS)
            rc = err;
    }

    DirectoryAnswer a;
    if (rc == LDAP_SUCCESS || rc == LDAP_SIZELIMIT_EXCEEDED) {
        a.status = entries > 0 ? DirectoryStatus::Known : DirectoryStatus::Unknown;
        a.detail = entries > 0 ? QStringLiteral("LDAP: found") : QStringLiteral("LDAP: no entry");
        return a;
    }
    connectionLost = rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR;
    return failure(rc, QStringLiteral("search"));
}

DirectoryAnswer LdapDirectory::lookup(const QString &address)
{
    return lookupAll({address}).value(0);
}

QList<DirectoryAnswer> LdapDirectory::lookupAll(const QStringList &addresses)
{
    QList<DirectoryAnswer> out;
    out.reserve(addresses.size());
    const QDeadlineTimer deadline(qint64(qMax(1, m_options.timeoutSecs)) * 1000);
    const auto giveUp = [&](const DirectoryAnswer &why) {
        while (out.size() < addresses.size())
            out << why;
        return out;
    };
    bool reopened = false;
    bool keptConnection = m_ld != nullptr;
    for (qsizetype i = 0; i < addresses.size();) {
        if (!m_ld) {
            const DirectoryAnswer bound = connectAndBind(deadline);
            if (bound.status == DirectoryStatus::Unavailable)
                return giveUp(bound);
        }
        bool lost = false;
        const DirectoryAnswer a = search(addresses.at(i), deadline, lost);
        if (a.status != DirectoryStatus::Unavailable) {
            out << a;
            ++i;
            continue;
        }
        disconnect();
        if (lost && keptConnection && !reopened) {
            reopened = true; // a kept connection that went stale gets one more try
            keptConnection = false;
            continue;
        }
        return giveUp(a);
    }
    return out;
}

} // namespace pollux::routing
