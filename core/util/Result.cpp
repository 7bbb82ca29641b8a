#include "Result.h"

namespace pollux {

QString Result::cleanServerText(const QString &text)
{
    QString out;
    out.reserve(qMin(text.size(), MaxServerSaid + 1));
    bool space = true; // leading spaces go
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const QChar::Category category = c.category();
        if (category == QChar::Other_Format)
            continue;
        if (category == QChar::Other_Control || c.isSpace()) {
            if (!space)
                out += QLatin1Char(' ');
            space = true;
            continue;
        }
        if (out.size() >= MaxServerSaid) {
            // Never cut a surrogate pair in two.
            if (out.size() > 0 && out.back().isHighSurrogate())
                out.chop(1);
            while (out.endsWith(QLatin1Char(' ')))
                out.chop(1);
            out += QChar(0x2026);
            return out;
        }
        out += c;
        space = false;
    }
    while (out.endsWith(QLatin1Char(' ')))
        out.chop(1);
    return out;
}

Result Result::withServerSaid(const QString &reply) const
{
    Result r = *this;
    r.m_serverSaid = cleanServerText(reply);
    return r;
}

Result Result::withServerSaid(const QByteArray &reply) const
{
    // Enough bytes for MaxServerSaid characters whatever they are, not a flood's worth.
    constexpr qsizetype Bytes = MaxServerSaid * 4 + 4;
    return withServerSaid(QString::fromUtf8(reply.left(Bytes)));
}

Result Result::withServer(const QString &host, quint16 port) const
{
    Result r = *this;
    r.m_serverHost = host.left(255);
    r.m_serverPort = port;
    return r;
}

Result Result::withMessage(const QString &message) const
{
    Result r = *this;
    r.m_message = message;
    return r;
}

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
