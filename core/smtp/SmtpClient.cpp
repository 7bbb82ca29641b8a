#include "SmtpClient.h"
#include "SmtpClient_p.h"

#include <QIODevice>

namespace pollux::smtp {

Verdict verdictOf(const Reply &reply)
{
    if (reply.isSuccess())
        return Verdict::Accepted;
    if (reply.isPermanent())
        return Verdict::Permanent;
    return Verdict::Transient; // 4xx; and no reply or a 3xx is no acceptance either
}

QStringList SendResult::acceptedRecipients(const Envelope &envelope) const
{
    QStringList accepted;
    for (int i = 0; i < envelope.recipients.size() && i < recipientVerdicts.size(); ++i) {
        if (recipientVerdicts.at(i) == Verdict::Accepted)
            accepted.append(envelope.recipients.at(i));
    }
    return accepted;
}

namespace {

// A recipient's own RCPT reply, when it decides for that recipient.
bool ownVerdict(const Reply &rcpt, Verdict &out)
{
    if (rcpt.synthetic || rcpt.isPermanent()) {
        // RFC 5321 §4.5.3.1.10: a 552 to RCPT ("too many recipients") is temporary.
        out = rcpt.code == 552 && !rcpt.synthetic ? Verdict::Transient : Verdict::Permanent;
        return true;
    }
    if (rcpt.code != 0 && !rcpt.isSuccess()) {
        out = Verdict::Transient;
        return true;
    }
    return false;
}

} // namespace

void SendResult::judge()
{
    const auto decide = [this](Verdict v, const Reply &why) {
        verdict = v;
        decisiveReply = why;
    };
    // Which recipients refused on their own, and was anyone accepted at RCPT?
    bool anyRcptAccepted = false;
    const Reply *firstTransient = nullptr;
    const Reply *firstPermanent = nullptr;
    if (mailReply.isSuccess() || mailReply.code == 0) {
        for (const Reply &r : std::as_const(recipientReplies)) {
            Verdict own = Verdict::Transient;
            if (r.isSuccess()) {
                anyRcptAccepted = true;
            } else if (ownVerdict(r, own)) {
                if (own == Verdict::Transient && !firstTransient)
                    firstTransient = &r;
                else if (own == Verdict::Permanent && !firstPermanent)
                    firstPermanent = &r;
            }
        }
    }

    if (sizeRefused) {
        decide(Verdict::Permanent, finalReply.code ? finalReply : mailReply);
    } else if (mailReply.code == 0) {
        // Nothing went out: the sender or every recipient was unsendable (or none given).
        decide(Verdict::Permanent, firstPermanent ? *firstPermanent : mailReply);
    } else if (!mailReply.isSuccess()) {
        decide(verdictOf(mailReply), mailReply);
    } else if (!anyRcptAccepted) {
        if (firstTransient)
            decide(Verdict::Transient, *firstTransient);
        else
            decide(Verdict::Permanent, firstPermanent ? *firstPermanent : mailReply);
    } else if (chunked) {
        // BDAT: a refused chunk decides; else the reply to the LAST one.
        if (dataReply.code != 0 && !dataReply.isSuccess())
            decide(verdictOf(dataReply), dataReply);
        else
            decide(verdictOf(finalReply), finalReply);
    } else if (dataReply.code != 354) {
        decide(verdictOf(dataReply), dataReply);
    } else {
        decide(verdictOf(finalReply), finalReply);
    }

    recipientVerdicts.clear();
    for (const Reply &r : std::as_const(recipientReplies)) {
        Verdict own = verdict;
        if (r.synthetic || mailReply.isSuccess())
            ownVerdict(r, own);
        recipientVerdicts.append(own);
    }
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
    if (!d->finalTimer) {
        d->finalTimer = new QTimer(this);
        d->finalTimer->setSingleShot(true);
        connect(d->finalTimer, &QTimer::timeout, this, [this] {
            d->fail(ErrorCode::Timeout,
                    QStringLiteral("no reply to the end of the message from %1:%2 within %3 s")
                        .arg(d->options.endpoint.host)
                        .arg(d->options.endpoint.port)
                        .arg(d->options.finalReplyTimeoutMs / 1000));
        });
    }
    d->finalTimer->stop();
    d->finalWaitArmed = false;
    connect(d->connection, &net::Connection::ready, this, [this] { d->onReady(); });
    connect(d->connection, &net::Connection::readyRead, this, [this] { d->onReadyRead(); });
    connect(d->connection, &net::Connection::bytesWritten, this, [this] {
        if (d->state == State::Body)
            d->pumpBody();
        else if (d->state == State::Bdat)
            d->pumpBdat();
        else if (d->state == State::DataEnd || d->state == State::BdatEnd)
            d->beginFinalWait();
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

bool SmtpClient::awaitingFinalReply() const
{
    // Only once the end of the message has left our buffers: bytes of it still queued here
    // are dropped by abort(), so the server never sees the end and cannot have accepted it
    // (and a slow reader cannot stretch a stop beyond the final-reply bound).
    return (d->state == State::DataEnd || d->state == State::BdatEnd) && d->connection &&
           (d->finalWaitArmed || d->connection->bytesToWrite() == 0);
}

bool SmtpClient::binaryMime() const
{
    return d->caps.chunking && d->caps.binaryMime;
}

bool scanBody(QIODevice *device, BodyShape &out)
{
    out = BodyShape();
    if (!device || device->isSequential() || !device->isReadable())
        return false;
    const qint64 start = device->pos();
    BodyScanner scanner;
    QByteArray buffer(ChunkSize, Qt::Uninitialized);
    while (true) {
        const qint64 n = device->read(buffer.data(), buffer.size());
        if (n < 0) {
            device->seek(start);
            return false;
        }
        if (n == 0)
            break;
        scanner.feed(buffer.constData(), n);
    }
    out = scanner.finish();
    return device->seek(start);
}

bool SmtpClient::pipelining() const
{
    return d->caps.pipelining;
}

qint64 SmtpClient::maxSize() const
{
    return d->caps.maxSize;
}

void SmtpClient::send(const Envelope &envelope, QIODevice *body, qint64 size,
                      const BodyShape &shape)
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
    d->deliveryUncertain = false;
    d->encoder.reset();
    // Addresses that would break the command line never reach the wire.
    if (!d->prepareEnvelope(envelope.sender, envelope.recipients)) {
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
    d->body = body;
    d->shape = shape;
    // RFC 3030: BINARYMIME only with BDAT, and only for what DATA cannot carry as it is.
    d->chunking = shape.needsBinary() && d->caps.chunking && d->caps.binaryMime;
    d->result.chunked = d->chunking;
    d->mailCommand = commands::mailFrom(d->senderMailbox, d->caps.size ? size : -1,
                                        d->caps.eightBitMime, d->smtpUtf8, d->chunking);
    d->startTransaction(false);
}

void SmtpClient::probe(const QString &sender, const QStringList &recipients)
{
    if (d->state != State::Ready) {
        d->emitFailedLater(Result::failure(ErrorCode::Protocol,
                                           QStringLiteral("SMTP client is not ready to probe")));
        return;
    }
    d->deliveryUncertain = false;
    if (!d->prepareEnvelope(sender, recipients)) {
        const ProbeResult done{d->result.mailReply, d->result.recipientReplies};
        QMetaObject::invokeMethod(
            this, [this, done] { emit probed(done); }, Qt::QueuedConnection);
        return;
    }
    d->mailCommand = commands::mailFrom(d->senderMailbox, -1, false, d->smtpUtf8);
    d->startTransaction(true);
}

bool SmtpClient::Private::prepareEnvelope(const QString &sender, const QStringList &recipients)
{
    result = SendResult();
    result.recipientReplies = QList<Reply>(recipients.size());
    wireRecipients.clear();
    wireMailboxes.clear();
    rcptReplies = 0;
    anyAccepted = false;
    const auto refusal = [](AddressProblem problem, bool isSender) {
        const char *status = problem == AddressProblem::NeedsSmtpUtf8 ? "5.6.7"
                             : isSender                               ? "5.1.7"
                                                                      : "5.1.3";
        return syntheticReply(
            553, QStringLiteral("%1 %2 address refused: %3 (not sent)")
                     .arg(QLatin1String(status),
                          isSender ? QStringLiteral("sender") : QStringLiteral("recipient"),
                          problemText(problem)));
    };
    WireAddress from = encodeMailbox(sender, true);
    if (from.ok() && from.utf8 && !caps.smtpUtf8)
        from.problem = AddressProblem::NeedsSmtpUtf8;
    if (!from.ok()) {
        result.mailReply = refusal(from.problem, true);
        return false;
    }
    senderMailbox = from.mailbox;
    smtpUtf8 = from.utf8;
    for (int i = 0; i < recipients.size(); ++i) {
        WireAddress to = encodeMailbox(recipients.at(i));
        if (to.ok() && to.utf8 && !caps.smtpUtf8)
            to.problem = AddressProblem::NeedsSmtpUtf8;
        if (!to.ok()) {
            result.recipientReplies[i] = refusal(to.problem, false);
            continue;
        }
        smtpUtf8 = smtpUtf8 || to.utf8;
        wireRecipients.append(i);
        wireMailboxes.append(to.mailbox);
    }
    return !wireRecipients.isEmpty();
}

void SmtpClient::Private::startTransaction(bool probe)
{
    probing = probe;
    if (probe)
        chunking = false;
    pipelinedTransaction = caps.pipelining;
    if (pipelinedTransaction) {
        // RFC 2920: the whole envelope and DATA (or RSET) in one write, replies read in order.
        QByteArray burst;
        if (needRset)
            burst += QByteArrayLiteral("RSET\r\n");
        burst += mailCommand;
        for (const QByteArray &mailbox : std::as_const(wireMailboxes))
            burst += commands::rcptTo(mailbox);
        // BDAT follows the RCPT replies: its chunk's octets must not go to a refused envelope.
        if (probe)
            burst += QByteArrayLiteral("RSET\r\n");
        else if (!chunking)
            burst += QByteArrayLiteral("DATA\r\n");
        connection->write(burst);
    } else {
        connection->write(needRset ? QByteArrayLiteral("RSET\r\n") : mailCommand);
    }
    state = needRset ? State::Rset : State::Mail;
    needRset = false;
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
    case State::ProbeRset:
    case State::Data:
    case State::Body:
    case State::DataEnd:
    case State::DataAbandoned:
    case State::Bdat:
    case State::BdatEnd:
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
    case State::Auth:
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
    if (d->finalTimer)
        d->finalTimer->stop();
    if (d->connection)
        d->connection->abort();
    d->body = nullptr;
    d->state = State::Closed;
}

} // namespace pollux::smtp
