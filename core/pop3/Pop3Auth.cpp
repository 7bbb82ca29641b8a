#include "Pop3Client_p.h"
#include "Pop3Login.h"

namespace pollux::pop3 {

// STLS (RFC 2595) and login (USER/PASS, APOP, SASL AUTH per RFC 5034).

void Pop3Client::Private::onCapaDone()
{
    if (options.endpoint.tls != net::TlsMode::StartTls || conn->isEncrypted()) {
        enter(Phase::Login);
        return;
    }
    // Required TLS is never skipped (fetchmail CVE-2021-39272): no STLS, no login.
    if (!caps.stls) {
        fail(Result::failure(ErrorCode::Tls,
                             QStringLiteral("the server does not offer STLS, which this account "
                                            "requires (no credential was sent); a "
                                            "man-in-the-middle may have removed it")));
        return;
    }
    enter(Phase::Stls);
}

void Pop3Client::Private::onStlsAnswer(const Status &status)
{
    inFlight.dequeue();
    if (!status.ok) {
        fail(Result::failure(ErrorCode::Tls, QStringLiteral("the server refused STLS (no "
                                                            "credential was sent); server "
                                                            "said: -ERR ") +
                                                 QString::fromLatin1(status.text))
                 .withServerSaid(serverReply(status)));
        return;
    }
    // Anything that arrived after "+OK" but before TLS would be taken as coming from inside
    // the encrypted session: plaintext injection (CVE-2011-0411 style).
    if (lines.pendingSize() > 0 || conn->bytesAvailable() > 0) {
        fail(Result::failure(ErrorCode::Tls, QStringLiteral("the server sent data after its "
                                                            "STLS answer, before TLS began "
                                                            "(no credential was sent)")));
        return;
    }
    phase = Phase::TlsHandshake;
    conn->startTls();
}

void Pop3Client::Private::onTlsReady()
{
    if (phase != Phase::TlsHandshake)
        return;            // the first ready(): the greeting follows
    caps = Capabilities(); // what was said in plain text is forgotten (RFC 2595)
    enter(Phase::Capa);
}

void Pop3Client::Private::login()
{
    LoginPlan plan;
    const Result chosen = chooseLogin(options, caps, timestamp, conn->isEncrypted(), plan);
    if (!chosen) {
        fail(chosen);
        return;
    }
    const QByteArray user = options.username.toUtf8();
    switch (plan.method) {
    case LoginPlan::Method::Apop: {
        const QByteArray digest = apopDigest(timestamp, options.password.toUtf8());
        sendSecret(Command::Apop, "APOP " + user + ' ' + digest, "APOP " + user + " <redacted>");
        return;
    }
    case LoginPlan::Method::UserPass:
        send(Command::User, -1, "USER " + user);
        return;
    case LoginPlan::Method::Sasl:
        startAuth(plan.mechanism);
        return;
    }
}

void Pop3Client::Private::startAuth(sasl::Mechanism mechanism)
{
    auth = sasl::Authenticator::create(mechanism, options.username, options.password,
                                       options.endpoint.host);
    authCommandShown = "AUTH " + sasl::mechanismName(mechanism);
    QByteArray initial;
    const bool hasInitial = auth->initialResponse(initial);
    bool inlined = false;
    const QByteArray line = authCommand(mechanism, hasInitial, initial, inlined);
    initialDeferred = hasInitial && !inlined;
    deferredInitial = initialDeferred ? initial : QByteArray();
    sendSecret(Command::Auth, line, inlined ? authCommandShown + " <redacted>" : line);
}

void Pop3Client::Private::onChallenge(const QByteArray &line)
{
    QByteArray challenge;
    Result r = decodeChallenge(line, challenge);
    QByteArray response;
    if (r && initialDeferred) {
        // The initial response did not fit on the AUTH line: it answers the empty challenge.
        initialDeferred = false;
        if (!challenge.isEmpty())
            r = Result::failure(ErrorCode::Protocol,
                                QStringLiteral("the server's first AUTH challenge is not empty"));
        response = deferredInitial;
        deferredInitial.clear();
    } else if (r) {
        r = auth->respond(challenge, response);
    }
    if (!r) {
        // A malformed challenge or a server that cannot prove it knows the password:
        // authentication is abandoned with the connection.
        fail(r);
        return;
    }
    conn->writeSecret(response.toBase64() + "\r\n", "<" + authCommandShown + " response>");
}

void Pop3Client::Private::onAuthAnswer(const Status &status)
{
    inFlight.dequeue();
    initialDeferred = false;
    deferredInitial.clear();
    if (!status.ok) {
        fail(loginFailure(authCommandShown, status));
        return;
    }
    const Result verified = auth->verifySuccess(QByteArray());
    if (!verified) {
        fail(verified);
        return;
    }
    auth.reset();
    enter(Phase::CapaAfterLogin);
}

void Pop3Client::Private::settle()
{
    phase = Phase::Transaction;
    if (conn && inFlight.isEmpty())
        conn->setIdle(true);
}

} // namespace pollux::pop3
