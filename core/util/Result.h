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
    // The most of a server's words a Result keeps (characters): a hostile or broken server
    // cannot flood a window or the control socket with its reply.
    static constexpr qsizetype MaxServerSaid = 500;

    Result() = default;
    static Result success() { return {}; }
    static Result failure(ErrorCode code, const QString &message)
    {
        Result r;
        r.m_code = code;
        r.m_message = message;
        return r;
    }

    // Builders: a copy with one more fact. The message stays English, for logs; the UI
    // shows the facts below in its own words.
    //
    // The server's own words, when the failure is its reply (POP3 "-ERR ...", IMAP "NO ...",
    // SMTP "535 5.7.8 ..."): shown verbatim, never translated. Cleaned by cleanServerText().
    // Never a secret: an AUTH challenge or anything we sent is not a reply to show.
    Result withServerSaid(const QString &reply) const;
    Result withServerSaid(const QByteArray &reply) const; // UTF-8, invalid bytes replaced
    // The server the failure concerns, so a sentence can name it.
    Result withServer(const QString &host, quint16 port) const;
    // The same facts with another English message (a caller adding context).
    Result withMessage(const QString &message) const;

    bool ok() const { return m_code == ErrorCode::None; }
    explicit operator bool() const { return ok(); }
    ErrorCode code() const { return m_code; }
    const QString &message() const { return m_message; }
    const QString &serverSaid() const { return m_serverSaid; } // empty: the server said nothing
    const QString &serverHost() const { return m_serverHost; } // empty: not known
    quint16 serverPort() const { return m_serverPort; }        // 0: not known

    // A server's text made fit to show: control characters (line breaks included) become
    // spaces, invisible format characters (bidi overrides) go, runs of spaces shrink to one,
    // and it is cut at MaxServerSaid characters ("…" marks the cut).
    static QString cleanServerText(const QString &text);

private:
    ErrorCode m_code = ErrorCode::None;
    QString m_message;
    QString m_serverSaid;
    QString m_serverHost;
    quint16 m_serverPort = 0;
};

// Short English name of a code, for logs (the UI translates codes itself).
QString errorCodeName(ErrorCode code);

} // namespace pollux

Q_DECLARE_METATYPE(pollux::Result)
