#pragma once

#include "Pop3Parser.h"
#include "net/MailboxClient.h"
#include "sasl/Sasl.h"
#include "util/Result.h"

// How to log in to a POP3 server: pure decisions, no socket.
namespace pollux::pop3 {

struct LoginPlan
{
    enum class Method
    {
        UserPass, // USER/PASS (RFC 1939): the password in the clear
        Apop,     // APOP (RFC 1939): MD5 of the greeting's timestamp and the password
        Sasl,     // AUTH (RFC 5034)
    };
    Method method = Method::UserPass;
    sasl::Mechanism mechanism = sasl::Mechanism::Plain; // for Sasl
};

// Chooses from MailboxOptions::authMethod and what the server offers (CAPA, greeting):
//  "auto": SASL challenge-response mechanisms (SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5), then
//  APOP (greeting timestamp, allowApop), then SASL PLAIN/LOGIN, then USER/PASS; the last two
//  only when `encrypted` or allowPlaintextLogin.
//  "user", "apop" or a SASL name: exactly that, or an error naming it.
// An error means: fail without sending any credential. ErrorCode::Tls when only sending the
// password in the clear would do (the message says what to change), ErrorCode::AuthFailed
// when the server does not offer the configured method, ErrorCode::Config for a setting
// that contradicts itself.
Result chooseLogin(const MailboxOptions &options, const Capabilities &caps,
                   const QByteArray &apopTimestamp, bool encrypted, LoginPlan &plan);

// RFC 5034 limits the AUTH command line to 255 octets (CRLF included): a longer initial
// response is sent after the server's empty challenge instead.
constexpr qsizetype MaxAuthCommandLength = 253;

// "AUTH <mechanism> [<base64 initial response> | =]". `initial` is used only when it fits;
// `usedInitial` says whether it went in.
QByteArray authCommand(sasl::Mechanism m, bool hasInitial, const QByteArray &initial,
                       bool &usedInitial);

// A server challenge line of an AUTH exchange ("+ <base64>", or "+" alone). On true,
// `challenge` holds the decoded bytes; false when the line is not a challenge.
bool isChallenge(const QByteArray &line);
Result decodeChallenge(const QByteArray &line, QByteArray &challenge);

} // namespace pollux::pop3
