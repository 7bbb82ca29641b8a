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
    case State::AuthPlain:
    case State::AuthLoginDone:
        if (reply.code == 235)
            becomeReady();
        else
            failForReply(reply, ErrorCode::AuthFailed, QStringLiteral("authentication"));
        break;
    case State::AuthLoginUser:
        if (reply.code == 334) {
            connection->write(commands::base64Line(options.username));
            state = State::AuthLoginPassword;
        } else {
            failForReply(reply, ErrorCode::AuthFailed, QStringLiteral("AUTH LOGIN"));
        }
        break;
    case State::AuthLoginPassword:
        if (reply.code == 334) {
            connection->writeSecret(commands::base64Line(options.password),
                                    QByteArrayLiteral("<redacted>"));
            state = State::AuthLoginDone;
        } else {
            failForReply(reply, ErrorCode::AuthFailed, QStringLiteral("AUTH LOGIN"));
        }
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
        result.mailReply = reply;
        if (reply.code == 552)
            result.sizeRefused = true;
        if (pipelinedTransaction) {
            state = State::Rcpt; // the RCPT and DATA replies follow regardless
        } else if (is2xx(reply)) {
            writeRcpt(0);
            state = State::Rcpt;
        } else {
            finishMessage();
        }
        break;
    case State::Rcpt:
        onRcptReply(reply);
        break;
    case State::Data:
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
        break;
    case State::DataEnd:
        result.finalReply = reply;
        if (reply.code == 552)
            result.sizeRefused = true;
        finishMessage();
        break;
    case State::DataAbandoned:
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

void SmtpClient::Private::onRcptReply(const Reply &reply)
{
    const int index = wireRecipients.at(rcptReplies++);
    result.recipientReplies[index] = reply;
    if (is2xx(reply))
        anyAccepted = true;
    if (rcptReplies < wireRecipients.size()) {
        if (!pipelinedTransaction)
            writeRcpt(rcptReplies);
        return;
    }
    if (pipelinedTransaction) {
        state = State::Data; // DATA is already on its way
    } else if (anyAccepted) {
        connection->write(QByteArrayLiteral("DATA\r\n"));
        state = State::Data;
    } else {
        finishMessage(); // nobody accepted: no DATA
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
    if (!connection->isEncrypted() && !commands::isLoopbackHost(options.endpoint.host)) {
        fail(ErrorCode::Tls, QStringLiteral("refusing to send the password to %1 without TLS")
                                 .arg(options.endpoint.host));
        return;
    }
    if (caps.hasAuth(QStringLiteral("PLAIN"))) {
        connection->writeSecret(commands::authPlain(options.username, options.password),
                                QByteArrayLiteral("AUTH PLAIN <redacted>"));
        state = State::AuthPlain;
    } else if (caps.hasAuth(QStringLiteral("LOGIN"))) {
        connection->write(QByteArrayLiteral("AUTH LOGIN\r\n"));
        state = State::AuthLoginUser;
    } else {
        fail(ErrorCode::AuthFailed,
             caps.authMechanisms.isEmpty()
                 ? QStringLiteral("%1 does not offer authentication").arg(options.endpoint.host)
                 : QStringLiteral("%1 offers no supported authentication mechanism (%2)")
                       .arg(options.endpoint.host, caps.authMechanisms.join(QLatin1Char(' '))));
    }
}

void SmtpClient::Private::becomeReady()
{
    options.password.clear(); // not needed any more
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
    const SendResult done = result;
    if (quitAfterSend) {
        quitAfterSend = false;
        startQuit();
    }
    emit q->sent(done);
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
        deliveryUncertain = state == State::DataEnd;
        state = State::Failed;
        body = nullptr;
        emit q->failed(error);
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

void SmtpClient::Private::fail(ErrorCode code, const QString &message)
{
    if (state == State::Failed || state == State::Closed)
        return;
    body = nullptr;
    if (connection)
        connection->abort();
    if (state == State::Quit) { // close() was asked for: whatever went wrong, it is closed
        state = State::Closed;
        emit q->closed();
        return;
    }
    // Waiting for the final reply, only a 421 (TemporaryFailure) is an answer: refused.
    deliveryUncertain = state == State::DataEnd && code != ErrorCode::TemporaryFailure;
    state = State::Failed;
    emit q->failed(Result::failure(code, message));
}

void SmtpClient::Private::failForReply(const Reply &reply, ErrorCode permanentCode,
                                       const QString &what)
{
    const ErrorCode code = reply.isTransient()   ? ErrorCode::TemporaryFailure
                           : reply.isPermanent() ? permanentCode
                                                 : ErrorCode::Protocol;
    fail(code, what + QStringLiteral(": ") + reply.toString());
}

void SmtpClient::Private::emitSentLater(const SendResult &sendResult)
{
    QMetaObject::invokeMethod(
        q, [client = q, sendResult] { emit client->sent(sendResult); }, Qt::QueuedConnection);
}

void SmtpClient::Private::emitFailedLater(const Result &error)
{
    QMetaObject::invokeMethod(
        q, [client = q, error] { emit client->failed(error); }, Qt::QueuedConnection);
}

} // namespace pollux::smtp
