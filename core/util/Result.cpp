#include "Result.h"

namespace pollux {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::None:
        return QStringLiteral("ok");
    case ErrorCode::HostNotFound:
        return QStringLiteral("host not found");
    case ErrorCode::ConnectionRefused:
        return QStringLiteral("connection refused");
    case ErrorCode::Network:
        return QStringLiteral("network error");
    case ErrorCode::Timeout:
        return QStringLiteral("timeout");
    case ErrorCode::Tls:
        return QStringLiteral("TLS error");
    case ErrorCode::Protocol:
        return QStringLiteral("protocol error");
    case ErrorCode::LineTooLong:
        return QStringLiteral("line too long");
    case ErrorCode::AuthFailed:
        return QStringLiteral("authentication failed");
    case ErrorCode::ServerError:
        return QStringLiteral("server error");
    case ErrorCode::TemporaryFailure:
        return QStringLiteral("temporary failure");
    case ErrorCode::Storage:
        return QStringLiteral("storage error");
    case ErrorCode::Config:
        return QStringLiteral("configuration error");
    case ErrorCode::Secrets:
        return QStringLiteral("keychain error");
    case ErrorCode::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorCode::Integrity:
        return QStringLiteral("incomplete message");
    case ErrorCode::SignInNeeded:
        return QStringLiteral("sign-in needed");
    }
    return QStringLiteral("unknown");
}

} // namespace pollux
