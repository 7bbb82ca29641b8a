#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace pollux::sasl {

// SASL mechanisms (RFC 4422) shared by POP3 AUTH (RFC 5034), IMAP AUTHENTICATE and SMTP AUTH.
enum class Mechanism
{
    Plain,       // RFC 4616 (sends the password)
    Login,       // draft-murchison-sasl-login (sends the password)
    CramMd5,     // RFC 2195
    ScramSha1,   // RFC 5802
    ScramSha256, // RFC 7677
    XOAuth2,     // Google/Microsoft; the secret is an OAuth2 access token
    OAuthBearer, // RFC 7628; the secret is an OAuth2 access token
};

QByteArray mechanismName(Mechanism m);                 // "SCRAM-SHA-256"
bool fromName(const QByteArray &name, Mechanism &out); // case-insensitive
// The secret crosses the wire as it is (PLAIN, LOGIN, and the bearer token of XOAUTH2 and
// OAUTHBEARER): allowed only over TLS unless the user allows plaintext login.
bool sendsPassword(Mechanism m);

// Which mechanisms to try, in order, given what the server offers.
//  configured: "auto" or a configuration method name ("plain", "scram-sha-256", ...).
//  encrypted: the connection is TLS. allowPlaintext: the user allows sending the password
//  itself without TLS. An empty list with an error in `why` when nothing acceptable is
//  offered (the caller must then fail without sending any credential).
//  "auto" orders SCRAM-SHA-256 > SCRAM-SHA-1 > CRAM-MD5 > PLAIN > LOGIN; XOAUTH2 and
//  OAUTHBEARER only when configured by name. A configured method the server does not offer
//  is an error naming it. "oauth2" (an OAuth2 account with method "auto"): OAUTHBEARER, then
//  XOAUTH2, whichever the server offers; neither is an error naming what it offers.
QList<Mechanism> choose(const QStringList &offered, const QString &configured, bool encrypted,
                        bool allowPlaintext, QString *why);
// Why choose() found nothing, for the error code: the only acceptable mechanisms would send
// the secret over an unencrypted connection (so TLS, not the password, is the problem).
bool blockedByPlaintextPolicy(const QStringList &offered, const QString &configured, bool encrypted,
                              bool allowPlaintext);

// One authentication exchange. The protocol client base64-encodes/decodes; this class sees
// raw bytes only and never a socket.
class Authenticator
{
public:
    virtual ~Authenticator() = default;
    static std::unique_ptr<Authenticator> create(Mechanism m, const QString &user,
                                                 const QString &secret, const QString &host);

    virtual Mechanism mechanism() const = 0;
    // The client speaks first (PLAIN, SCRAM, XOAUTH2, OAUTHBEARER); `out` is its message.
    virtual bool initialResponse(QByteArray &out) = 0;
    // Answers a server challenge; an error for a malformed challenge or (SCRAM) a server
    // signature that does not verify, in which case authentication must be aborted.
    virtual Result respond(const QByteArray &challenge, QByteArray &out) = 0;
    // The server reported success; SCRAM verifies the server signature (possibly carried in
    // the success reply's additional data, or already seen in respond()).
    virtual Result verifySuccess(const QByteArray &additionalData) = 0;
};

// SCRAM (ScramSha1 or ScramSha256) with a fixed client nonce instead of a random one: for
// the RFC test vectors only. Null for other mechanisms.
std::unique_ptr<Authenticator> createScram(Mechanism m, const QString &user,
                                           const QString &password, const QByteArray &clientNonce);

} // namespace pollux::sasl
