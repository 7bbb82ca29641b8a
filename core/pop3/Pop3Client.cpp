#include "Pop3Client.h"

#include "Pop3Client_p.h"
#include "Pop3Login.h"

#include <QPointer>
#include <QTimer>

#include <utility>

namespace pollux::pop3 {

namespace {
constexpr qint64 ReadChunk = 64 * 1024;
// A UIDL or LIST listing longer than this is a hostile or broken server, not a mailbox:
// without a bound, an endless listing would grow memory without limit (~80 bytes each).
constexpr qsizetype MaxListedMessages = 500000;
// A CAPA response lists a dozen capabilities; past this it is a server that never stops.
constexpr int MaxCapaLines = 1000;

bool hasLineBreakOrNul(const QByteArray &s)
{
    return s.contains('\r') || s.contains('\n') || s.contains('\0');
}

// The error, naming the server it concerns (unless it already names one).
Result naming(const Result &error, const net::Endpoint &endpoint)
{
    return error.serverHost().isEmpty() ? error.withServer(endpoint.host, endpoint.port) : error;
}
} // namespace

// --- Stepping -------------------------------------------------------------------------

void Pop3Client::Private::enter(Phase next)
{
    phase = next;
    switch (phase) {
    case Phase::Capa:
    case Phase::CapaAfterLogin:
        send(Command::Capa, -1, "CAPA");
        break;
    case Phase::Stls:
        send(Command::Stls, -1, "STLS");
        break;
    case Phase::Login:
        login();
        break;
    case Phase::Listing:
        uids.clear();
        sizes.clear();
        send(Command::Uidl, -1, "UIDL");
        listSent = pipelining;
        if (listSent)
            send(Command::List, -1, "LIST");
        break;
    case Phase::Retrieving:
    case Phase::Removing:
        nextToSend = 0;
        done = 0;
        fillWindow();
        break;
    case Phase::Quitting:
        send(Command::Quit, -1, "QUIT");
        break;
    case Phase::Idle:
    case Phase::Greeting:
    case Phase::TlsHandshake:
    case Phase::Transaction:
    case Phase::Closed:
    case Phase::Failed:
        break;
    }
}

void Pop3Client::Private::send(Command command, int item, const QByteArray &line)
{
    inFlight.enqueue({command, item});
    conn->write(line + "\r\n");
}

void Pop3Client::Private::sendSecret(Command command, const QByteArray &line,
                                     const QByteArray &shown)
{
    inFlight.enqueue({command, -1});
    conn->writeSecret(line + "\r\n", shown);
}

// RETR (TOP n 0), or DELE: as many in flight as the window allows; one when not pipelining.
void Pop3Client::Private::fillWindow()
{
    const int window = pipelining ? qMax(1, options.pipelineWindow) : 1;
    const bool retr = phase == Phase::Retrieving;
    while (inFlight.size() < window && nextToSend < messages.size()) {
        const QByteArray number = QByteArray::number(messages.at(nextToSend).index);
        if (!retr)
            send(Command::Dele, nextToSend, "DELE " + number);
        else if (headersOnly)
            send(Command::Top, nextToSend, "TOP " + number + " 0");
        else
            send(Command::Retr, nextToSend, "RETR " + number);
        ++nextToSend;
    }
}

// --- Receiving ------------------------------------------------------------------------

void Pop3Client::Private::onReadyRead()
{
    QPointer<Pop3Client> guard(q); // a slot may delete the client while we emit
    for (;;) {
        for (;;) {
            const Progress p = processOne();
            if (!guard || p == Progress::Stop)
                return;
            if (phase == Phase::Failed || phase == Phase::Closed)
                return;
            if (p == Progress::NeedMore)
                break;
        }
        const qint64 available = conn ? conn->bytesAvailable() : 0;
        if (available <= 0)
            return;
        QByteArray chunk(qMin(available, ReadChunk), Qt::Uninitialized);
        const qint64 n = conn->read(chunk.data(), chunk.size());
        if (n <= 0)
            return;
        lines.append(chunk.constData(), n);
    }
}

Pop3Client::Private::Progress Pop3Client::Private::processOne()
{
    if (inFlight.isEmpty()) {
        if (lines.pendingSize() == 0)
            return Progress::NeedMore;
        const Result error =
            Result::failure(ErrorCode::Protocol,
                            QStringLiteral("unexpected data from the server: ") +
                                quoteLine(QByteArray(lines.pendingData(),
                                                     qMin(lines.pendingSize(), qsizetype(80)))));
        if (phase == Phase::Transaction)
            failWhileIdle(error);
        else
            fail(error);
        return Progress::Stop;
    }
    switch (reading) {
    case Reading::Status:
    case Reading::Lines: {
        QByteArray line;
        bool complete = false;
        const Result r = lines.takeLine(line, complete);
        if (!r) {
            fail(r);
            return Progress::Stop;
        }
        if (!complete)
            return Progress::NeedMore;
        conn->noteReceived(line);
        if (reading == Reading::Lines) {
            if (isEndOfResponse(line))
                onLinesEnd();
            else
                onLine(unstuff(line));
            return Progress::Continue;
        }
        if (inFlight.head().command == Command::Auth && isChallenge(line)) {
            onChallenge(line);
            return Progress::Continue;
        }
        Status status;
        const Result parsed = parseStatus(line, status);
        if (!parsed) {
            fail(parsed);
            return Progress::Stop;
        }
        onStatus(status);
        return Progress::Continue;
    }
    case Reading::Data: {
        if (lines.pendingSize() == 0)
            return Progress::NeedMore;
        QByteArray out;
        const qsizetype used = decoder.feed(lines.pendingData(), lines.pendingSize(), out);
        lines.consume(used);
        if (!out.isEmpty()) {
            count.add(out.constData(), out.size());
            if (!headersOnly) {
                const RemoteMessage m = messages.at(inFlight.head().item);
                if (count.cannotAgree(m.size)) {
                    // Where this message ends is unknown: refuse it (it is tried again after
                    // its backoff) and give up the stream.
                    const Result why = Result::failure(
                        ErrorCode::Integrity,
                        QStringLiteral("message UID %1: the server sent more than the %2 bytes "
                                       "it announced; it stays on the server")
                            .arg(m.uid)
                            .arg(m.size));
                    QPointer<Pop3Client> guard(q);
                    emit q->messageRefused(m, why);
                    if (guard)
                        fail(why);
                    return Progress::Stop;
                }
            }
            const Result r = sink->write(out.constData(), out.size());
            if (!r) {
                fail(r);
                return Progress::Stop;
            }
        }
        if (decoder.finished())
            onMessageEnd();
        return Progress::Continue;
    }
    }
    return Progress::Stop;
}

void Pop3Client::Private::onStatus(const Status &status)
{
    const Sent sent = inFlight.head();
    const QString said = QStringLiteral("server said: -ERR ") + QString::fromLatin1(status.text);
    // A failure that is this reply: the server's words go with it, apart from ours.
    const auto refusal = [&status](ErrorCode code, const QString &message) {
        return Result::failure(code, message).withServerSaid(serverReply(status));
    };
    switch (sent.command) {
    case Command::Greeting: {
        inFlight.dequeue();
        if (!status.ok) {
            const bool temporary = status.code == ResponseCode::InUse ||
                                   status.code == ResponseCode::LoginDelay ||
                                   status.code == ResponseCode::SysTemp;
            fail(refusal(temporary ? ErrorCode::TemporaryFailure : ErrorCode::ServerError,
                         QStringLiteral("the server refused the connection; ") + said));
            return;
        }
        timestamp = apopTimestamp(status.text);
        enter(Phase::Capa);
        return;
    }
    case Command::Capa:
        if (status.ok) {
            newCaps = Capabilities();
            capaLines = 0;
            reading = Reading::Lines;
            return;
        }
        // No CAPA (RFC 1939-only server): keep what we knew.
        onLinesEnd();
        return;
    case Command::Stls:
        onStlsAnswer(status);
        return;
    case Command::Auth:
        onAuthAnswer(status);
        return;
    case Command::User:
        inFlight.dequeue();
        if (!status.ok) {
            fail(loginFailure("USER", status));
            return;
        }
        sendSecret(Command::Pass, "PASS " + options.password.toUtf8(), "PASS <redacted>");
        return;
    case Command::Pass:
    case Command::Apop:
        inFlight.dequeue();
        if (!status.ok) {
            fail(loginFailure(sent.command == Command::Pass ? "PASS" : "APOP", status));
            return;
        }
        enter(Phase::CapaAfterLogin);
        return;
    case Command::Uidl:
        if (!status.ok) {
            fail(refusal(ErrorCode::ServerError,
                         QStringLiteral("the server does not support UIDL, which Pollux "
                                        "needs to never fetch a message twice; ") +
                             said));
            return;
        }
        reading = Reading::Lines;
        return;
    case Command::List:
        if (!status.ok) {
            fail(refusal(ErrorCode::ServerError,
                         QStringLiteral("the server refused LIST; ") + said));
            return;
        }
        reading = Reading::Lines;
        return;
    case Command::Retr:
    case Command::Top: {
        const RemoteMessage m = messages.at(sent.item);
        if (!status.ok) {
            const Result refused =
                refusal(ErrorCode::ServerError,
                        QStringLiteral("message %1 (UID %2) could not be retrieved: it "
                                       "vanished or is broken; ")
                                .arg(m.index)
                                .arg(m.uid) +
                            said);
            if (sent.command == Command::Top) { // TOP is optional (RFC 1939): not supported
                fail(refused);
                return;
            }
            // A status line alone: the stream is still in step, the others go on.
            inFlight.dequeue();
            onItemDone(m, refused);
            return;
        }
        const Result r = sink->begin(m);
        if (!r) {
            fail(r);
            return;
        }
        openItem = sent.item;
        decoder.reset();
        count.reset();
        reading = Reading::Data;
        return;
    }
    case Command::Dele: {
        inFlight.dequeue();
        const RemoteMessage m = messages.at(sent.item);
        // A refused DELE leaves that message on the server; the others are still marked and
        // QUIT commits them (a failed pass would commit none, and the mailbox would fill up).
        const bool last = ++done == messages.size();
        if (last)
            settle();
        else
            fillWindow();
        QPointer<Pop3Client> guard(q);
        if (!status.ok)
            emit q->removalRefused(
                m, refusal(ErrorCode::ServerError, QStringLiteral("message %1 (UID %2) could "
                                                                  "not be marked for removal; ")
                                                           .arg(m.index)
                                                           .arg(m.uid) +
                                                       said));
        if (guard && last && phase == Phase::Transaction)
            emit q->removeMarked();
        return;
    }
    case Command::Quit:
        inFlight.dequeue();
        phase = Phase::Closed;
        conn->disconnect(q);
        conn->close();
        emit q->closed(status.ok); // POP3 commits removals only on +OK to QUIT
        return;
    }
}

void Pop3Client::Private::onLine(const QByteArray &line)
{
    switch (inFlight.head().command) {
    case Command::Capa:
        if (++capaLines > MaxCapaLines) {
            fail(Result::failure(
                ErrorCode::Protocol,
                QStringLiteral("CAPA response longer than %1 lines").arg(MaxCapaLines)));
            return;
        }
        addCapability(newCaps, line);
        return;
    case Command::Uidl: {
        UidlEntry e;
        const Result r = parseUidlLine(line, e);
        if (!r)
            fail(r);
        else if (uids.size() >= MaxListedMessages)
            fail(Result::failure(
                ErrorCode::Protocol,
                QStringLiteral("UIDL listing longer than %1 messages").arg(MaxListedMessages)));
        else
            uids.append(e);
        return;
    }
    case Command::List: {
        ListEntry e;
        const Result r = parseListLine(line, e);
        if (!r)
            fail(r);
        else if (sizes.size() >= MaxListedMessages)
            fail(Result::failure(
                ErrorCode::Protocol,
                QStringLiteral("LIST listing longer than %1 messages").arg(MaxListedMessages)));
        else
            sizes.append(e);
        return;
    }
    default:
        fail(Result::failure(ErrorCode::Protocol, QStringLiteral("unexpected multi-line data")));
        return;
    }
}

// The "." of a CAPA, UIDL or LIST response (or a CAPA refused).
void Pop3Client::Private::onLinesEnd()
{
    const Sent sent = inFlight.dequeue();
    const bool capaOk = reading == Reading::Lines;
    reading = Reading::Status;
    switch (sent.command) {
    case Command::Capa:
        if (capaOk)
            caps = newCaps; // after login it may differ (RFC 2449)
        if (phase == Phase::Capa) {
            onCapaDone();
            return;
        }
        pipelining = caps.pipelining && options.pipelineWindow > 1;
        settle();
        emit q->opened();
        return;
    case Command::Uidl:
        if (!listSent) {
            listSent = true;
            send(Command::List, -1, "LIST");
        }
        return;
    case Command::List: {
        QList<RemoteMessage> listed;
        const Result r = joinListing(uids, sizes, listed);
        if (!r) {
            fail(r);
            return;
        }
        settle();
        emit q->listed(listed);
        return;
    }
    default:
        fail(Result::failure(ErrorCode::Protocol, QStringLiteral("unexpected end of data")));
        return;
    }
}

// The terminator (CRLF "." CRLF) was seen, so the stream is in step: the next bytes are the
// next response. The message itself is complete only if its size agrees with LIST (the
// completeness rule, see ContentCount); otherwise it is refused and the others go on.
//
// Why a message that passed both checks is provably complete, also in a pipelined stream:
// a server that dot-stuffs (RFC 1939) never sends CRLF "." CRLF inside a message, so the
// terminator cannot be forged; only a server that does not stuff can cut a message short
// with a terminator inside it, and then the copy falls short of what LIST announced for the
// whole message and is refused. Its tail is read as the next response: not a status line
// (garbage) fails the pass at once; a forged "+OK" with a forged message is taken for the
// next message and is refused too unless it has that message's exact size. So every
// message recorded before the point where the stream broke had a proper terminator and the
// size its UID was listed with; nothing after that point is recorded (fail() aborts the
// message open in the sink, and nothing after it ended).
void Pop3Client::Private::onMessageEnd()
{
    const Sent sent = inFlight.dequeue();
    reading = Reading::Status;
    const RemoteMessage m = messages.at(sent.item);
    const Result complete = headersOnly ? Result::success() : count.check(m);
    openItem = -1;
    if (complete) {
        if (const Result r = sink->end(m); !r) {
            openItem = sent.item;
            fail(r); // the sink is told to abort the message it could not finish
            return;
        }
    } else {
        sink->abort(m);
    }
    onItemDone(m, complete);
}

// A RETR or TOP answered: `outcome` null when the message ended in the sink, otherwise why
// it was refused. Sends what the window allows next; after the last, the call is answered.
void Pop3Client::Private::onItemDone(const RemoteMessage &m, const Result &outcome)
{
    const bool complete = outcome.ok();
    const bool last = ++done == messages.size();
    if (last)
        settle();
    else
        fillWindow();
    if (headersOnly) {
        if (last) {
            headersOnly = false;
            sink = nullptr;
            const QList<RemoteIdentity> found = std::exchange(identities.identities, {});
            emit q->identitiesFetched(found);
        }
        return;
    }
    QPointer<Pop3Client> guard(q);
    if (complete)
        emit q->messageRetrieved(m);
    else
        emit q->messageRefused(m, outcome);
    if (guard && last && phase == Phase::Transaction)
        emit q->retrieved();
}

// --- Failure --------------------------------------------------------------------------

void Pop3Client::Private::onConnectionFailed(const Result &error)
{
    if (phase == Phase::Transaction && inFlight.isEmpty()) {
        failWhileIdle(error);
        return;
    }
    if (phase == Phase::Quitting) {
        fail(error.withMessage(error.message() +
                               QStringLiteral("; the server did not confirm QUIT, so removals "
                                              "were not committed")));
        return;
    }
    fail(error);
}

// Nobody is waiting for an answer: the next call reports the error.
void Pop3Client::Private::failWhileIdle(const Result &error)
{
    phase = Phase::Failed;
    idleError = naming(error, options.endpoint);
    lines.clear();
    dropConnection(q);
}

// Ends the session without QUIT, so nothing marked for removal is removed.
void Pop3Client::Private::fail(const Result &error)
{
    if (phase == Phase::Failed || phase == Phase::Closed)
        return;
    phase = Phase::Failed;
    const Result named = naming(error, options.endpoint);
    idleError = named;
    inFlight.clear();
    lines.clear();
    dropConnection(q);
    abortPartial();
    emit q->failed(named); // not idleError: the sink may abort() us meanwhile
}

void Pop3Client::Private::failLater(const Result &error)
{
    phase = Phase::Failed;
    failedLater(q, error);
}

bool Pop3Client::Private::checkReady(const char *call)
{
    if (phase == Phase::Transaction)
        return true;
    failLater(notReady(phase == Phase::Failed, "POP3", call));
    return false;
}

// --- Public API -----------------------------------------------------------------------

Pop3Client::Pop3Client(QObject *parent) : MailboxClient(parent), d(std::make_unique<Private>(this))
{
}

Pop3Client::~Pop3Client()
{
    d->dropConnection(this);
}

void Pop3Client::open(const MailboxOptions &options)
{
    if (d->phase != Private::Phase::Idle) {
        d->failLater(
            Result::failure(ErrorCode::Protocol, QStringLiteral("POP3 open() called twice")));
        return;
    }
    d->options = options;
    if (hasLineBreakOrNul(options.username.toUtf8()) ||
        hasLineBreakOrNul(options.password.toUtf8())) {
        d->failLater(Result::failure(ErrorCode::Config,
                                     QStringLiteral("the user name or password contains a line "
                                                    "break or NUL character")));
        return;
    }
    d->conn = new net::Connection(QStringLiteral("pop3"), options.label, this);
    connect(d->conn, &net::Connection::readyRead, this, [this] { d->onReadyRead(); });
    connect(d->conn, &net::Connection::ready, this, [this] { d->onTlsReady(); });
    connect(d->conn, &net::Connection::failed, this,
            [this](const Result &error) { d->onConnectionFailed(error); });
    d->phase = Private::Phase::Greeting;
    d->inFlight.enqueue({Private::Command::Greeting, -1});
    d->conn->open(options.endpoint);
}

void Pop3Client::list()
{
    if (d->checkReady("list"))
        d->enter(Private::Phase::Listing);
}

void Pop3Client::retrieve(const QList<RemoteMessage> &messages, MessageSink *sink)
{
    if (!d->checkReady("retrieve"))
        return;
    if (messages.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit retrieved(); });
        return;
    }
    d->messages = messages;
    d->sink = sink;
    d->headersOnly = false;
    d->enter(Private::Phase::Retrieving);
}

void Pop3Client::fetchIdentities(const QList<RemoteMessage> &messages)
{
    if (!d->checkReady("fetchIdentities"))
        return;
    if (messages.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit identitiesFetched({}); });
        return;
    }
    d->messages = messages;
    d->identities.identities.clear();
    d->sink = &d->identities;
    d->headersOnly = true;
    d->enter(Private::Phase::Retrieving);
}

void Pop3Client::remove(const QList<RemoteMessage> &messages)
{
    if (!d->checkReady("remove"))
        return;
    if (messages.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit removeMarked(); });
        return;
    }
    d->messages = messages;
    d->sink = nullptr;
    d->enter(Private::Phase::Removing);
}

void Pop3Client::close()
{
    if (d->checkReady("close"))
        d->enter(Private::Phase::Quitting);
}

void Pop3Client::abort()
{
    d->dropConnection(this);
    d->abortPartial();
    d->inFlight.clear();
    d->lines.clear();
    if (d->phase != Private::Phase::Closed) {
        d->phase = Private::Phase::Failed;
        d->idleError = Result::failure(ErrorCode::Cancelled, QStringLiteral("aborted"));
    }
}

bool Pop3Client::pipelined() const
{
    return d->pipelining;
}

QString Pop3Client::peerFingerprint() const
{
    return d->conn ? d->conn->peerFingerprint() : QString();
}

} // namespace pollux::pop3
