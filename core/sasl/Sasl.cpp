#include "Sasl.h"

#include "SaslMechanisms_p.h"

#include <QMessageAuthenticationCode>

namespace pollux::sasl {

namespace {

struct NameEntry
{
    Mechanism mechanism;
    const char *name;
};

constexpr NameEntry names[] = {
    {Mechanism::Plain, "PLAIN"},
    {Mechanism::Login, "LOGIN"},
    {Mechanism::CramMd5, "CRAM-MD5"},
    {Mechanism::ScramSha1, "SCRAM-SHA-1"},
    {Mechanism::ScramSha256, "SCRAM-SHA-256"},
    {Mechanism::XOAuth2, "XOAUTH2"},
    {Mechanism::OAuthBearer, "OAUTHBEARER"},
};

// Strongest first; the token mechanisms are never chosen automatically.
constexpr Mechanism autoOrder[] = {Mechanism::ScramSha256, Mechanism::ScramSha1, Mechanism::CramMd5,
                                   Mechanism::Plain, Mechanism::Login};

QList<Mechanism> offeredMechanisms(const QStringList &offered)
{
    QList<Mechanism> out;
    for (const QString &name : offered) {
        Mechanism m;
        if (fromName(name.trimmed().toLatin1(), m) && !out.contains(m))
            out.append(m);
    }
    return out;
}

// The candidates before the plaintext policy: what "auto" or the configured name allows.
QList<Mechanism> candidates(const QList<Mechanism> &offered, const QString &configured,
                            const QStringList &offeredNames, QString *why)
{
    QList<Mechanism> out;
    if (configured.compare(QLatin1String("auto"), Qt::CaseInsensitive) == 0) {
        for (Mechanism m : autoOrder)
            if (offered.contains(m))
                out.append(m);
        if (out.isEmpty() && why)
            *why = QStringLiteral("the server offers no SASL mechanism Pollux supports");
        return out;
    }
    if (configured.compare(QLatin1String("oauth2"), Qt::CaseInsensitive) == 0) {
        for (Mechanism m : {Mechanism::OAuthBearer, Mechanism::XOAuth2})
            if (offered.contains(m))
                out.append(m);
        if (out.isEmpty() && why) {
            QStringList names;
            for (const QString &name : offeredNames)
                names << name.trimmed().toUpper().left(40);
            names.removeAll(QString());
            *why = QStringLiteral("the server offers neither OAUTHBEARER nor XOAUTH2 for the "
                                  "OAuth2 sign-in (it offers: %1)")
                       .arg(names.isEmpty() ? QStringLiteral("no SASL mechanism")
                                            : names.join(QStringLiteral(", ")));
        }
        return out;
    }
    Mechanism m;
    if (!fromName(configured.toLatin1(), m)) {
        if (why)
            *why = QStringLiteral("\"%1\" is not a SASL mechanism").arg(configured);
        return out;
    }
    if (!offered.contains(m)) {
        if (why)
            *why = QStringLiteral("the server does not offer the configured authentication "
                                  "method %1")
                       .arg(QLatin1String(mechanismName(m)));
        return out;
    }
    out.append(m);
    return out;
}

} // namespace

QByteArray mechanismName(Mechanism m)
{
    for (const NameEntry &e : names)
        if (e.mechanism == m)
            return e.name;
    return {};
}

bool fromName(const QByteArray &name, Mechanism &out)
{
    const QByteArray upper = name.toUpper();
    for (const NameEntry &e : names) {
        if (upper == e.name) {
            out = e.mechanism;
            return true;
        }
    }
    return false;
}

bool sendsPassword(Mechanism m)
{
    switch (m) {
    case Mechanism::Plain:
    case Mechanism::Login:
    case Mechanism::XOAuth2:
    case Mechanism::OAuthBearer:
        return true;
    case Mechanism::CramMd5:
    case Mechanism::ScramSha1:
    case Mechanism::ScramSha256:
        break;
    }
    return false;
}

QList<Mechanism> choose(const QStringList &offered, const QString &configured, bool encrypted,
                        bool allowPlaintext, QString *why)
{
    const QList<Mechanism> all = candidates(offeredMechanisms(offered), configured, offered, why);
    if (all.isEmpty())
        return all;
    QList<Mechanism> out;
    for (Mechanism m : all)
        if (encrypted || allowPlaintext || !sendsPassword(m))
            out.append(m);
    if (out.isEmpty() && why) {
        QStringList blocked;
        for (Mechanism m : all)
            blocked << QLatin1String(mechanismName(m));
        *why = QStringLiteral("the server offers only plaintext login (%1) over an unencrypted "
                              "connection; use an SSL server type, STARTTLS, or allow plaintext "
                              "login")
                   .arg(blocked.join(QStringLiteral(", ")));
    }
    return out;
}

bool blockedByPlaintextPolicy(const QStringList &offered, const QString &configured, bool encrypted,
                              bool allowPlaintext)
{
    return choose(offered, configured, encrypted, allowPlaintext, nullptr).isEmpty() &&
           !choose(offered, configured, true, true, nullptr).isEmpty();
}

std::unique_ptr<Authenticator> Authenticator::create(Mechanism m, const QString &user,
                                                     const QString &secret, const QString &host)
{
    switch (m) {
    case Mechanism::Plain:
        return std::make_unique<detail::PlainAuthenticator>(user, secret);
    case Mechanism::Login:
        return std::make_unique<detail::LoginAuthenticator>(user, secret);
    case Mechanism::CramMd5:
        return std::make_unique<detail::CramMd5Authenticator>(user, secret);
    case Mechanism::ScramSha1:
    case Mechanism::ScramSha256:
        return detail::makeScram(m, user, secret, QByteArray());
    case Mechanism::XOAuth2:
    case Mechanism::OAuthBearer:
        return std::make_unique<detail::BearerAuthenticator>(m, user, secret, host);
    }
    return nullptr;
}

std::unique_ptr<Authenticator> createScram(Mechanism m, const QString &user,
                                           const QString &password, const QByteArray &clientNonce)
{
    if (m != Mechanism::ScramSha1 && m != Mechanism::ScramSha256)
        return nullptr;
    return detail::makeScram(m, user, password, clientNonce);
}

// --- The simple mechanisms ----------------------------------------------------------------

namespace detail {

Result malformed(Mechanism m, const QString &what)
{
    return Result::failure(ErrorCode::Protocol,
                           QStringLiteral("%1: %2").arg(QLatin1String(mechanismName(m)), what));
}

// RFC 4616: [authzid] NUL authcid NUL passwd; the client speaks first.
bool PlainAuthenticator::initialResponse(QByteArray &out)
{
    out = '\0' + m_user.toUtf8() + '\0' + m_password.toUtf8();
    m_sent = true;
    return true;
}

Result PlainAuthenticator::respond(const QByteArray &challenge, QByteArray &out)
{
    // Without an initial response the server asks with an empty challenge.
    if (m_sent || !challenge.isEmpty())
        return malformed(mechanism(), QStringLiteral("unexpected server challenge"));
    initialResponse(out);
    return Result::success();
}

Result LoginAuthenticator::respond(const QByteArray &, QByteArray &out)
{
    // "Username:" then "Password:" (texts vary between servers; the order does not).
    switch (m_step++) {
    case 0:
        out = m_user.toUtf8();
        return Result::success();
    case 1:
        out = m_password.toUtf8();
        return Result::success();
    default:
        break;
    }
    return malformed(mechanism(), QStringLiteral("more than two server challenges"));
}

// RFC 2195: the challenge is a msg-id; the answer "user hex(HMAC-MD5(password, challenge))".
Result CramMd5Authenticator::respond(const QByteArray &challenge, QByteArray &out)
{
    if (m_done)
        return malformed(mechanism(), QStringLiteral("unexpected second server challenge"));
    if (challenge.size() < 3 || !challenge.startsWith('<') || !challenge.endsWith('>'))
        return malformed(mechanism(), QStringLiteral("the challenge is not of the form <...>"));
    for (char c : challenge)
        if (c < 0x21 || c > 0x7e)
            return malformed(mechanism(), QStringLiteral("the challenge has a non-printable byte"));
    const QByteArray digest =
        QMessageAuthenticationCode::hash(challenge, m_password.toUtf8(), QCryptographicHash::Md5);
    out = m_user.toUtf8() + ' ' + digest.toHex();
    m_done = true;
    return Result::success();
}

// XOAUTH2 (Google, Microsoft) and OAUTHBEARER (RFC 7628): the access token in the first
// message. A failure comes as a challenge with JSON details, which the client acknowledges
// (empty for XOAUTH2, a lone ^A for OAUTHBEARER) so the server can send its final error.
bool BearerAuthenticator::initialResponse(QByteArray &out)
{
    const QByteArray token = m_token.toUtf8();
    if (m_mechanism == Mechanism::XOAuth2) {
        out = "user=" + m_user.toUtf8() +
              "\x01"
              "auth=Bearer " +
              token + "\x01\x01";
    } else {
        QByteArray user = m_user.toUtf8();
        user.replace('=', "=3D").replace(',', "=2C");
        out = "n,a=" + user + ",\x01";
        if (!m_host.isEmpty())
            out += "host=" + m_host.toUtf8() + "\x01";
        out += "auth=Bearer " + token + "\x01\x01";
    }
    m_sent = true;
    return true;
}

Result BearerAuthenticator::respond(const QByteArray &challenge, QByteArray &out)
{
    if (!m_sent) {
        if (!challenge.isEmpty())
            return malformed(m_mechanism, QStringLiteral("unexpected server challenge"));
        initialResponse(out);
        return Result::success();
    }
    if (m_acknowledged)
        return malformed(m_mechanism, QStringLiteral("unexpected second error challenge"));
    m_acknowledged = true;
    out = m_mechanism == Mechanism::XOAuth2 ? QByteArray() : QByteArray("\x01");
    return Result::success();
}

} // namespace detail

} // namespace pollux::sasl
