#pragma once

#include <QMetaType>
#include <QString>

namespace pollux {

// What went wrong, as a code the UI can turn into a translated sentence.
// The message carries the technical detail (a server reply, a file name), never a secret.
enum class ErrorCode
{
    None,
    HostNotFound, // DNS failure
    ConnectionRefused,
    Network,          // connection dropped, reset, other socket error
    Timeout,          // the peer did not answer within the account's timeout
    Tls,              // handshake or certificate problem
    Protocol,         // the peer said something we cannot parse or did not expect
    LineTooLong,      // the peer sent a line longer than we accept
    AuthFailed,       // credentials rejected
    ServerError,      // -ERR / 5xx / NO that is not an authentication problem
    TemporaryFailure, // 4xx: try again later
    Storage,          // spool or database could not be written
    Config,           // invalid configuration
    Secrets,          // keychain unavailable or entry missing
    Cancelled,
    Integrity, // a retrieved message is not provably complete (size, framing): not collected
    // OAuth2: the provider refused the stored sign-in (invalid_grant: revoked, expired after
    // inactivity, password changed) or none is stored. Only an interactive sign-in helps;
    // the account waits for it, every other account goes on.
    SignInNeeded,
};

class [[nodiscard]] Result
{
public:
    Result() = default;
    static Result success() { return {}; }
    static Result failure(ErrorCode code, const QString &message)
    {
        Result r;
        r.m_code = code;
        r.m_message = message;
        return r;
    }

    bool ok() const { return m_code == ErrorCode::None; }
    explicit operator bool() const { return ok(); }
    ErrorCode code() const { return m_code; }
    const QString &message() const { return m_message; }

private:
    ErrorCode m_code = ErrorCode::None;
    QString m_message;
};

// Short English name of a code, for logs (the UI translates codes itself).
QString errorCodeName(ErrorCode code);

} // namespace pollux

Q_DECLARE_METATYPE(pollux::Result)
