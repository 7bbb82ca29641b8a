#include "Pop3Login.h"

namespace pollux::pop3 {

namespace {

const QString PlaintextOnly = QStringLiteral(
    "the server offers only plaintext login over an unencrypted connection; use POP3-SSL, "
    "STARTTLS, or allow plaintext login");
const QString NothingSent = QStringLiteral(" (no credential was sent)");

Result refuse(ErrorCode code, const QString &why)
{
    return Result::failure(code, why + NothingSent);
}

QStringList offeredNames(const Capabilities &caps)
{
    QStringList out;
    for (const QByteArray &m : caps.sasl)
        out << QString::fromLatin1(m);
    return out;
}

} // namespace

Result chooseLogin(const MailboxOptions &options, const Capabilities &caps,
                   const QByteArray &apopTimestamp, bool encrypted, LoginPlan &plan)
{
    const QString configured = options.authMethod.trimmed().toLower();
    const bool plaintextOk = encrypted || options.allowPlaintextLogin;
    const bool apopOffered = !apopTimestamp.isEmpty();

    if (configured == QLatin1String("user")) {
        if (!plaintextOk)
            return refuse(ErrorCode::Tls, QStringLiteral("USER/PASS sends the password in the "
                                                         "clear; use POP3-SSL, STARTTLS, or "
                                                         "allow plaintext login"));
        plan.method = LoginPlan::Method::UserPass;
        return Result::success();
    }
    if (configured == QLatin1String("apop")) {
        if (!options.allowApop)
            return refuse(ErrorCode::Config, QStringLiteral("the authentication method is APOP, "
                                                            "but APOP is switched off"));
        if (!apopOffered)
            return refuse(ErrorCode::AuthFailed,
                          QStringLiteral("the server does not offer the configured "
                                         "authentication method APOP (its greeting has no "
                                         "timestamp)"));
        plan.method = LoginPlan::Method::Apop;
        return Result::success();
    }
    const QStringList offered = offeredNames(caps);
    if (configured != QLatin1String("auto")) {
        QString why;
        const QList<sasl::Mechanism> chosen =
            sasl::choose(offered, configured, encrypted, options.allowPlaintextLogin, &why);
        if (chosen.isEmpty()) {
            const bool tls = sasl::blockedByPlaintextPolicy(offered, configured, encrypted,
                                                            options.allowPlaintextLogin);
            return refuse(tls ? ErrorCode::Tls : ErrorCode::AuthFailed, why);
        }
        plan.method = LoginPlan::Method::Sasl;
        plan.mechanism = chosen.first();
        return Result::success();
    }

    const QList<sasl::Mechanism> chosen =
        sasl::choose(offered, configured, encrypted, options.allowPlaintextLogin, nullptr);
    for (sasl::Mechanism m : chosen) {
        if (!sasl::sendsPassword(m)) { // the challenge-response ones come first
            plan.method = LoginPlan::Method::Sasl;
            plan.mechanism = m;
            return Result::success();
        }
    }
    if (apopOffered && options.allowApop) {
        plan.method = LoginPlan::Method::Apop;
        return Result::success();
    }
    if (!chosen.isEmpty()) { // PLAIN or LOGIN, already allowed by the plaintext policy
        plan.method = LoginPlan::Method::Sasl;
        plan.mechanism = chosen.first();
        return Result::success();
    }
    if (!plaintextOk)
        return refuse(ErrorCode::Tls, PlaintextOnly);
    plan.method = LoginPlan::Method::UserPass;
    return Result::success();
}

QByteArray authCommand(sasl::Mechanism m, bool hasInitial, const QByteArray &initial,
                       bool &usedInitial)
{
    const QByteArray bare = "AUTH " + sasl::mechanismName(m);
    usedInitial = false;
    if (!hasInitial)
        return bare;
    const QByteArray withInitial = bare + ' ' + (initial.isEmpty() ? "=" : initial.toBase64());
    if (withInitial.size() > MaxAuthCommandLength)
        return bare;
    usedInitial = true;
    return withInitial;
}

bool isChallenge(const QByteArray &line)
{
    return line == "+" || line.startsWith("+ ");
}

Result decodeChallenge(const QByteArray &line, QByteArray &challenge)
{
    const QByteArray text = line.mid(2).trimmed();
    const auto decoded =
        QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return Result::failure(ErrorCode::Protocol,
                               QStringLiteral("the server's AUTH challenge is not base64: ") +
                                   quoteLine(line));
    challenge = decoded.decoded;
    return Result::success();
}

} // namespace pollux::pop3
