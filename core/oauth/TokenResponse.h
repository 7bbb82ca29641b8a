#pragma once

#include <QByteArray>
#include <QString>

namespace pollux::oauth {

// What went wrong with a request to the authorization server, as its own type: the RFC 6749
// §5.2 / RFC 8628 §3.5 error codes that change what we do, and our own transport failures.
enum class OAuthError
{
    None,
    AuthorizationPending, // device flow: the user has not finished yet; poll again
    SlowDown,             // device flow: poll again, 5 s slower
    ExpiredToken,         // device flow: the code expired before the user finished
    AccessDenied,         // the user (or admin) said no
    InvalidGrant,         // refresh token (or device code) refused: sign-in needed
    InvalidClient,        // the app registration (client id/secret) is refused
    InvalidScope,
    OtherError,     // any other "error" the server names (in the message)
    Network,        // no answer: refused, reset, DNS, TLS
    Timeout,        // no complete answer within the provider's timeout
    TooLarge,       // the answer is larger than we accept
    Protocol,       // not an OAuth2 answer (not JSON, no access_token, ...)
    Secrets,        // the keychain could not be read or written
    NoRefreshToken, // nothing stored to refresh with: sign-in needed
};
QString oauthErrorName(OAuthError e);
// The user must sign in again (interactively); no retry can fix it.
bool needsSignIn(OAuthError e);

// A successful token response (RFC 6749 §5.1). Secrets: never logged, never in a message.
struct TokenSet
{
    QString accessToken;
    QString refreshToken; // empty when the server issued none (keep the old one)
    QString tokenType;
    QString scope;
    qint64 expiresIn = 0; // seconds; 0 when the server did not say
    // The refresh token's lifetime in seconds ("refresh_token_expires_in"); 0: not stated.
    qint64 refreshExpiresIn = 0;
};

// A device authorization response (RFC 8628 §3.2).
struct DeviceCode
{
    QString deviceCode; // a secret, like a token
    QString userCode;
    QString verificationUri;
    QString verificationUriComplete;
    qint64 expiresIn = 0;
    int interval = 5; // the RFC's default when the server says nothing
};

// The most we read of any answer from the authorization server.
constexpr qint64 maxResponseBytes = 64 * 1024;

// Pure parsers over an HTTP status and body. On failure `detail` names the server's error
// code and description (never a token), for the log and the message.
OAuthError parseTokenResponse(int httpStatus, const QByteArray &body, TokenSet &out,
                              QString *detail);
OAuthError parseDeviceCodeResponse(int httpStatus, const QByteArray &body, DeviceCode &out,
                                   QString *detail);

} // namespace pollux::oauth
