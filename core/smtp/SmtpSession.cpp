#include "SmtpClient_p.h"

#include <QIODevice>
#include <QPointer>

// The SMTP conversation: what SmtpClient does with each reply, one switch over the state.

namespace pollux::smtp {

void SmtpClient::Private::onReady()
{
    switch (state) {
    case State::Connecting:
        state = State::Greeting;
        break;
    case State::TlsHandshake:
        tlsDone = true;
        caps = Capabilities(); // forget everything said before TLS
        connection->write(commands::ehlo(greetName));
        state = State::Ehlo;
        break;
    default:
        break;
    }
}

void SmtpClient::Private::onReadyRead()
{
    if (state == State::Failed || state == State::Closed || !connection)
        return;
    reader.feed(connection->readAll());
    QPointer<SmtpClient> guard(q);
    Reply reply;
    QList<QByteArray> lines;
    while (state != State::Failed && state != State::Closed && reader.next(reply, &lines)) {
        for (const QByteArray &line : std::as_const(lines))
            connection->noteReceived(line);
        onReply(reply);
        if (!guard)
            return; // deleted from a slot
    }
    if (reader.hasError() && state != State::Failed && state != State::Closed)
        fail(reader.error().code, reader.error().toResult().message());
}

void SmtpClient::Private::onReply(const Reply &reply)
{
    if (reply.code == 421 && state != State::Quit) {
        fail(ErrorCode::TemporaryFailure,
             QStringLiteral("server is closing the connection: ") + reply.toString());
        return;
    }
    switch (state) {
    case State::Greeting:
        if (reply.code == 220) {
            connection->write(commands::ehlo(greetName));
            state = State::Ehlo;
        } else {
            failForReply(reply, ErrorCode::ServerError, QStringLiteral("greeting"));
        }
        break;
    case State::Ehlo:
        if (reply.code == 250) {
            caps = Capabilities::fromEhlo(reply);
            afterHello();
        } else if (reply.isPermanent()) {
            connection->write(commands::helo(greetName)); // not an ESMTP server
            state = State::Helo;
        } else {
            failForReply(reply, ErrorCode::ServerError, QStringLiteral("EHLO"));
        }
        break;
    case State::Helo:
        if (reply.code == 250) {
            caps = Capabilities();
            afterHello();
        } else {
            failForReply(reply, ErrorCode::ServerError, QStringLiteral("HELO"));
        }
        break;
    case State::StartTls:
        if (reply.code != 220) {
            fail(ErrorCode::Tls, QStringLiteral("STARTTLS refused: ") + reply.toString());
        } else if (reader.hasPending()) {
            // Anything sent before the handshake could be injected: refuse (RFC 3207 §6).
            fail(ErrorCode::Tls, QStringLiteral("server sent data after the STARTTLS reply"));
        } else {
            state = State::TlsHandshake;
            connection->startTls();
        }
        break;
    case State::Auth:
        onAuthReply(reply);
        break;
    case State::Rset:
        if (!is2xx(reply)) {
            failForReply(reply, ErrorCode::ServerError, QStringLiteral("RSET"));
        } else {
            if (!pipelinedTransaction) // else MAIL is already on its way
                connection->write(mailCommand);
            state = State::Mail;
        }
        break;
    case State::Mail:
        onMailReply(reply);
        break;
    case State::Rcpt:
        onRcptReply(reply);
        break;
    case State::ProbeRset:
        if (is2xx(reply))
            finishProbe();
        else
            failForReply(reply, ErrorCode::ServerError, QStringLiteral("RSET after the probe"));
        break;
    case State::Data:
        onDataReply(reply);
        break;
    case State::Bdat:
    case State::BdatEnd:
        onBdatReply(reply);
        break;
    case State::DataEnd:
        endFinalWait();
        if (reply.isIntermediate()) {
            // Not an acceptance (RFC 5321 §6.1 needs a 2xx), and the server may still be
            // reading: never reuse this connection.
            failForIntermediate(reply, QStringLiteral("the end of the message"));
            break;
        }
        result.finalReply = reply;
        if (reply.code == 552)
            result.sizeRefused = true;
        finishMessage();
        break;
    case State::DataAbandoned:
        if (reply.isIntermediate())
            failForIntermediate(reply, QStringLiteral("the end of an empty message"));
        else
            finishMessage();
        break;
    case State::Quit:
        connection->close(); // -> closed()
        break;
    case State::Body:
        failForReply(reply, ErrorCode::Protocol,
                     QStringLiteral("reply before the end of the message"));
        break;
    case State::Idle:
    case State::Connecting:
    case State::TlsHandshake:
    case State::Ready:
    case State::Closed:
    case State::Failed:
        fail(ErrorCode::Protocol, QStringLiteral("unexpected reply: ") + reply.toString());
        break;
    }
}

void SmtpClient::Private::onMailReply(const Reply &reply)
{
    if (reply.isIntermediate()) {
        failForIntermediate(reply, QStringLiteral("MAIL FROM"));
        return;
    }
    result.mailReply = reply;
    if (reply.code == 552 && !probing)
        result.sizeRefused = true;
    if (pipelinedTransaction) {
        state = State::Rcpt; // the RCPT and DATA (or RSET) replies follow regardless
    } else if (is2xx(reply)) {
        writeRcpt(0);
        state = State::Rcpt;
    } else if (probing) {
        finishProbe();
    } else {
        finishMessage();
    }
}

void SmtpClient::Private::onRcptReply(const Reply &reply)
{
    if (reply.isIntermediate()) {
        failForIntermediate(reply, QStringLiteral("RCPT TO"));
        return;
    }
    const int index = wireRecipients.at(rcptReplies++);
    result.recipientReplies[index] = reply;
    if (is2xx(reply))
        anyAccepted = true;
    if (rcptReplies < wireRecipients.size()) {
        if (!pipelinedTransaction)
            writeRcpt(rcptReplies);
        return;
    }
    if (probing) {
        if (!pipelinedTransaction)
            connection->write(QByteArrayLiteral("RSET\r\n"));
        state = State::ProbeRset;
    } else if (chunking) {
        if (anyAccepted && is2xx(result.mailReply))
            startBdat();
        else
            finishMessage(); // nobody accepted (or MAIL refused, pipelined): no BDAT
    } else if (pipelinedTransaction) {
        state = State::Data; // DATA is already on its way
    } else if (anyAccepted) {
        connection->write(QByteArrayLiteral("DATA\r\n"));
        state = State::Data;
    } else {
        finishMessage(); // nobody accepted: no DATA
    }
}

void SmtpClient::Private::onDataReply(const Reply &reply)
{
    if (reply.code != 354 && !reply.isTransient() && !reply.isPermanent()) {
        // A 2xx or another 3xx to DATA: the server is not where we think it is.
        failForIntermediate(reply, QStringLiteral("DATA"));
        return;
    }
    result.dataReply = reply;
    if (reply.code != 354) {
        finishMessage(); // refused: no body
    } else if (anyAccepted && is2xx(result.mailReply)) {
        state = State::Body;
        pumpBody();
    } else {
        // Pipelined DATA accepted although nobody will receive it: end it empty.
        connection->write(QByteArrayLiteral(".\r\n"));
        state = State::DataAbandoned;
    }
}

void SmtpClient::Private::afterHello()
{
    if (options.endpoint.tls == net::TlsMode::StartTls && !tlsDone) {
        if (!caps.startTls) {
            fail(ErrorCode::Tls,
                 QStringLiteral("%1 does not offer STARTTLS, which this account requires")
                     .arg(options.endpoint.host));
            return;
        }
        connection->write(QByteArrayLiteral("STARTTLS\r\n"));
        state = State::StartTls;
        return;
    }
    if (!options.username.isEmpty())
        startAuth();
    else
        becomeReady();
}

void SmtpClient::Private::startAuth()
{
    // Passwords travel only over TLS, or to this very machine.
    const bool encrypted = connection->isEncrypted();
    if (!encrypted && !commands::isLoopbackHost(options.endpoint.host)) {
        fail(ErrorCode::Tls, QStringLiteral("refusing to send the password to %1 without TLS")
                                 .arg(options.endpoint.host));
        return;
    }
    // The strongest mechanism offered; those sending the password itself are fine here
    // (TLS or loopback, checked above).
    const QList<sasl::Mechanism> mechanisms =
        sasl::choose(caps.authMechanisms, QStringLiteral("auto"), encrypted, true, nullptr);
    if (mechanisms.isEmpty()) {
        fail(ErrorCode::AuthFailed,
             caps.authMechanisms.isEmpty()
                 ? QStringLiteral("%1 does not offer authentication").arg(options.endpoint.host)
                 : QStringLiteral("%1 offers no supported authentication mechanism (%2)")
                       .arg(options.endpoint.host, caps.authMechanisms.join(QLatin1Char(' '))));
        return;
    }
    const sasl::Mechanism mechanism = mechanisms.first();
    auth = sasl::Authenticator::create(mechanism, options.username, options.password,
                                       options.endpoint.host);
    const QByteArray name = sasl::mechanismName(mechanism);
    authShown = QByteArrayLiteral("AUTH ") + name;
    QByteArray initial;
    const bool hasInitial = auth->initialResponse(initial);
    QByteArray line = commands::authCommand(name, hasInitial, initial);
    initialDeferred = hasInitial && line.isEmpty(); // too long for the AUTH line
    deferredInitial = initialDeferred ? initial : QByteArray();
    if (line.isEmpty())
        line = commands::authCommand(name, false, QByteArray());
    connection->writeSecret(line,
                            hasInitial && !initialDeferred ? authShown + " <redacted>" : authShown);
    state = State::Auth;
}

void SmtpClient::Private::onAuthReply(const Reply &reply)
{
    if (reply.code == 235) {
        const Result verified = auth->verifySuccess(QByteArray());
        if (!verified) {
            fail(verified.code(), verified.message());
            return;
        }
        becomeReady();
        return;
    }
    if (reply.code != 334) {
        failForReply(reply, ErrorCode::AuthFailed, QString::fromLatin1(authShown));
        return;
    }
    // RFC 4954 §4: "334 base64-challenge" (LOGIN prompts, too, are base64; a server that
    // sends them as text gets the same answers, the LOGIN mechanism ignores their content).
    const auto decoded = QByteArray::fromBase64Encoding(reply.text.trimmed().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    QByteArray challenge = decoded ? *decoded : QByteArray();
    Result step = Result::success();
    QByteArray response;
    if (!decoded && auth->mechanism() != sasl::Mechanism::Login) {
        step = Result::failure(ErrorCode::Protocol,
                               QString::fromLatin1(authShown) +
                                   QStringLiteral(": the challenge is not base64: ") +
                                   reply.toString().left(200));
    } else if (initialDeferred) {
        initialDeferred = false;
        if (!challenge.isEmpty())
            step = Result::failure(ErrorCode::Protocol,
                                   QString::fromLatin1(authShown) +
                                       QStringLiteral(": the first challenge is not empty"));
        response = deferredInitial;
        deferredInitial.clear();
    } else {
        step = auth->respond(challenge, response);
    }
    if (!step) {
        // A malformed challenge, or a server that cannot prove it knows the password:
        // authentication is abandoned with the connection.
        fail(step.code(), step.message());
        return;
    }
    connection->writeSecret(commands::authResponse(response), QByteArrayLiteral("<redacted>"));
}

void SmtpClient::Private::becomeReady()
{
    options.password.clear(); // not needed any more
    auth.reset();
    deferredInitial.clear();
    state = State::Ready;
    emit q->opened();
}

void SmtpClient::Private::pumpBody()
{
    if (chunk.size() != ChunkSize)
        chunk.resize(ChunkSize);
    while (state == State::Body && connection->bytesToWrite() < HighWater) {
        const qint64 n = body->read(chunk.data(), ChunkSize);
        if (n < 0) {
            // Never end a message we could not read completely: the "." would deliver it.
            fail(ErrorCode::Storage,
                 QStringLiteral("cannot read the message: ") + body->errorString());
            return;
        }
        if (n == 0) {
            const QByteArray tail = encoder.finish(); // [CRLF] ".\r\n"
            if (tail.size() > 3)
                connection->writeBulk(tail.left(tail.size() - 3));
            connection->write(QByteArrayLiteral(".\r\n"));
            body = nullptr;
            state = State::DataEnd;
            beginFinalWait();
            return;
        }
        connection->writeBulk(encoder.encode(chunk.constData(), n));
    }
}

void SmtpClient::Private::finishMessage()
{
    // Any non-2xx in the transaction leaves the server in a state we reset first.
    needRset = !is2xx(result.mailReply) || !is2xx(result.finalReply);
    body = nullptr;
    state = State::Ready;
    result.judge();
    const SendResult done = result;
    if (quitAfterSend) {
        quitAfterSend = false;
        startQuit();
    }
    emit q->sent(done);
}

void SmtpClient::Private::finishProbe()
{
    // A pipelined probe ended with its RSET; a lockstep one refused at MAIL did not.
    needRset = state != State::ProbeRset;
    state = State::Ready;
    const ProbeResult done{result.mailReply, result.recipientReplies};
    if (quitAfterSend) {
        quitAfterSend = false;
        startQuit();
    }
    emit q->probed(done);
}

void SmtpClient::Private::startQuit()
{
    connection->write(QByteArrayLiteral("QUIT\r\n"));
    state = State::Quit;
}

void SmtpClient::Private::onConnectionFailed(const Result &error)
{
    switch (state) {
    case State::Quit:
        state = State::Closed; // the server hung up or went quiet after QUIT: fine
        emit q->closed();
        break;
    case State::Idle:
    case State::Closed:
    case State::Failed:
        break;
    default:
        endFinalWait();
        deliveryUncertain = state == State::DataEnd || state == State::BdatEnd;
        state = State::Failed;
        body = nullptr;
        emit q->failed(error.serverHost().isEmpty()
                           ? error.withServer(options.endpoint.host, options.endpoint.port)
                           : error);
        break;
    }
}

void SmtpClient::Private::onConnectionClosed()
{
    if (state == State::Quit) {
        state = State::Closed;
        emit q->closed();
    } else if (state != State::Closed && state != State::Failed) {
        fail(ErrorCode::Network, QStringLiteral("connection closed"));
    }
}

void SmtpClient::Private::fail(ErrorCode code, const QString &message, bool answered)
{
    fail(Result::failure(code, message), answered);
}

void SmtpClient::Private::fail(const Result &error, bool answered)
{
    const ErrorCode code = error.code();
    if (state == State::Failed || state == State::Closed)
        return;
    body = nullptr;
    endFinalWait();
    if (connection)
        connection->abort();
    if (state == State::Quit) { // close() was asked for: whatever went wrong, it is closed
        state = State::Closed;
        emit q->closed();
        return;
    }
    // Waiting for the final reply, only a 421 (TemporaryFailure) is an answer: refused.
    deliveryUncertain = (state == State::DataEnd || state == State::BdatEnd) &&
                        code != ErrorCode::TemporaryFailure && !answered;
    state = State::Failed;
    emit q->failed(error.serverHost().isEmpty()
                       ? error.withServer(options.endpoint.host, options.endpoint.port)
                       : error);
}

void SmtpClient::Private::failForReply(const Reply &reply, ErrorCode permanentCode,
                                       const QString &what)
{
    const ErrorCode code = reply.isTransient()   ? ErrorCode::TemporaryFailure
                           : reply.isPermanent() ? permanentCode
                                                 : ErrorCode::Protocol;
    // The reply is the server's words to show; an intermediate one (an AUTH challenge) or one
    // we made up is not.
    const Result error = Result::failure(code, what + QStringLiteral(": ") + reply.toString());
    fail(reply.isIntermediate() || reply.synthetic ? error
                                                   : error.withServerSaid(reply.toString()));
}

void SmtpClient::Private::failForIntermediate(const Reply &reply, const QString &what)
{
    fail(ErrorCode::Protocol,
         QStringLiteral("unexpected %1 reply to %2 (not an acceptance): %3")
             .arg(QString::number(reply.code), what, reply.toString()),
         true);
}

void SmtpClient::Private::emitSentLater(SendResult sendResult)
{
    sendResult.judge();
    QMetaObject::invokeMethod(
        q, [client = q, sendResult] { emit client->sent(sendResult); }, Qt::QueuedConnection);
}

void SmtpClient::Private::emitFailedLater(const Result &error)
{
    QMetaObject::invokeMethod(
        q, [client = q, error] { emit client->failed(error); }, Qt::QueuedConnection);
}

} // namespace pollux::smtp
