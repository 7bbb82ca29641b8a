#include "SmtpClient.h"
#include "SmtpClient_p.h"

#include <QIODevice>

namespace pollux::smtp {

QStringList SendResult::acceptedRecipients(const Envelope &envelope) const
{
    QStringList accepted;
    if (!is2xx(finalReply))
        return accepted;
    for (int i = 0; i < envelope.recipients.size() && i < recipientReplies.size(); ++i) {
        if (is2xx(recipientReplies.at(i)))
            accepted.append(envelope.recipients.at(i));
    }
    return accepted;
}

SmtpClient::SmtpClient(QObject *parent) : QObject(parent), d(std::make_unique<Private>(this)) {}

SmtpClient::~SmtpClient()
{
    // We may be deleted from a slot while the connection is emitting: let it unwind first.
    if (d->connection) {
        d->connection->disconnect(this);
        d->connection->abort();
        d->connection->setParent(nullptr);
        d->connection->deleteLater();
    }
}

void SmtpClient::open(const Options &options)
{
    if (d->connection) {
        d->connection->disconnect(this);
        d->connection->abort();
        d->connection->deleteLater();
    }
    d->options = options;
    d->greetName = commands::heloName(options.heloName);
    d->reader.clear();
    d->caps = Capabilities();
    d->tlsDone = false;
    d->needRset = false;
    d->quitAfterSend = false;
    d->body = nullptr;
    d->connection = new net::Connection(QStringLiteral("smtp"), options.label, this);
    connect(d->connection, &net::Connection::ready, this, [this] { d->onReady(); });
    connect(d->connection, &net::Connection::readyRead, this, [this] { d->onReadyRead(); });
    connect(d->connection, &net::Connection::bytesWritten, this, [this] {
        if (d->state == State::Body)
            d->pumpBody();
    });
    connect(d->connection, &net::Connection::failed, this,
            [this](const Result &error) { d->onConnectionFailed(error); });
    connect(d->connection, &net::Connection::closed, this, [this] { d->onConnectionClosed(); });
    d->state = State::Connecting;
    d->connection->open(options.endpoint);
}

bool SmtpClient::isOpen() const
{
    return d->state == State::Ready && d->connection && d->connection->isOpen();
}

bool SmtpClient::deliveryUncertain() const
{
    return d->deliveryUncertain;
}

bool SmtpClient::pipelining() const
{
    return d->caps.pipelining;
}

qint64 SmtpClient::maxSize() const
{
    return d->caps.maxSize;
}

void SmtpClient::send(const Envelope &envelope, QIODevice *body, qint64 size)
{
    if (d->state != State::Ready) {
        d->emitFailedLater(Result::failure(ErrorCode::Protocol,
                                           QStringLiteral("SMTP client is not ready to send")));
        return;
    }
    if (!body || !body->isReadable()) {
        d->emitFailedLater(
            Result::failure(ErrorCode::Storage, QStringLiteral("message body is not readable")));
        return;
    }
    d->envelope = envelope;
    d->body = body;
    d->deliveryUncertain = false;
    d->result = SendResult();
    d->result.recipientReplies = QList<Reply>(envelope.recipients.size());
    d->wireRecipients.clear();
    d->rcptReplies = 0;
    d->anyAccepted = false;
    d->encoder.reset();

    // Addresses that would break the command line never reach the wire.
    if (!commands::isValidAddress(envelope.sender)) {
        d->result.mailReply =
            syntheticReply(553, QStringLiteral("5.1.7 invalid sender address (not sent)"));
        d->emitSentLater(d->result);
        return;
    }
    for (int i = 0; i < envelope.recipients.size(); ++i) {
        const QString &recipient = envelope.recipients.at(i);
        if (!recipient.isEmpty() && commands::isValidAddress(recipient))
            d->wireRecipients.append(i);
        else
            d->result.recipientReplies[i] =
                syntheticReply(553, QStringLiteral("5.1.3 invalid recipient address (not sent)"));
    }
    if (d->wireRecipients.isEmpty()) {
        d->emitSentLater(d->result);
        return;
    }
    if (d->caps.maxSize > 0 && size > d->caps.maxSize) {
        d->result.sizeRefused = true;
        d->result.mailReply = syntheticReply(
            552, QStringLiteral("5.3.4 message size %1 exceeds the server's limit of %2 "
                                "(not sent)")
                     .arg(size)
                     .arg(d->caps.maxSize));
        d->emitSentLater(d->result);
        return;
    }

    d->mailCommand =
        commands::mailFrom(envelope.sender, d->caps.size ? size : -1, d->caps.eightBitMime);
    const QByteArray &mail = d->mailCommand;
    d->pipelinedTransaction = d->caps.pipelining;
    if (d->pipelinedTransaction) {
        // RFC 2920: the whole envelope and DATA in one write, the replies read in order.
        QByteArray burst;
        if (d->needRset)
            burst += QByteArrayLiteral("RSET\r\n");
        burst += mail;
        for (int i = 0; i < d->wireRecipients.size(); ++i)
            burst += commands::rcptTo(d->recipientAt(i));
        burst += QByteArrayLiteral("DATA\r\n");
        d->connection->write(burst);
    } else {
        d->connection->write(d->needRset ? QByteArrayLiteral("RSET\r\n") : mail);
    }
    d->state = d->needRset ? State::Rset : State::Mail;
    d->needRset = false;
}

void SmtpClient::close()
{
    switch (d->state) {
    case State::Ready:
        d->startQuit();
        break;
    case State::Rset:
    case State::Mail:
    case State::Rcpt:
    case State::Data:
    case State::Body:
    case State::DataEnd:
    case State::DataAbandoned:
        d->quitAfterSend = true; // after this message's reply
        break;
    case State::Quit:
        break;
    case State::Idle:
    case State::Closed:
    case State::Failed:
    case State::Connecting:
    case State::Greeting:
    case State::Ehlo:
    case State::Helo:
    case State::StartTls:
    case State::TlsHandshake:
    case State::AuthPlain:
    case State::AuthLoginUser:
    case State::AuthLoginPassword:
    case State::AuthLoginDone:
        if (d->connection)
            d->connection->abort();
        d->state = State::Closed;
        QMetaObject::invokeMethod(
            this, [this] { emit closed(); }, Qt::QueuedConnection);
        break;
    }
}

void SmtpClient::abort()
{
    if (d->connection)
        d->connection->abort();
    d->body = nullptr;
    d->state = State::Closed;
}

} // namespace pollux::smtp
