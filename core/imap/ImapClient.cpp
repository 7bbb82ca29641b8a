#include "ImapClient_p.h"

#include "sasl/Sasl.h"

#include <QTimer>

namespace pollux::imap {

Q_LOGGING_CATEGORY(lcImap, "pollux.imap")

namespace {
constexpr qint64 ReadChunk = 64 * 1024;
// A listing longer than this is a hostile or broken server, not a mailbox: without a
// bound, an endless FETCH listing would grow memory without limit.
constexpr qsizetype MaxListedMessages = 500000;
// Untagged responses without message data in answer to one command; servers send a few.
constexpr int MaxChatter = 10000;

bool hasNul(const QString &s)
{
    return s.contains(QChar(0));
}
} // namespace

ImapClient::Private::Private(ImapClient *client) : q(client) {}
ImapClient::Private::~Private() = default;

// --- Receiving ------------------------------------------------------------------------

void ImapClient::Private::onReady()
{
    if (phase == Phase::TlsHandshake) {
        capsKnown = false;
        enter(Phase::Capability);
    }
    // Otherwise the TCP connection is up: the greeting comes next.
}

void ImapClient::Private::onReadyRead()
{
    QPointer<ImapClient> guard(q); // a slot may delete the client while we emit
    for (;;) {
        for (;;) {
            ResponseReader::Event event = ResponseReader::Event::NeedMore;
            if (Result r = reader.next(event); !r) {
                fail(r);
                return;
            }
            if (event == ResponseReader::Event::NeedMore)
                break;
            if (!processEvent(event) || !guard)
                return;
            if (phase == Phase::Failed || phase == Phase::Closed || phase == Phase::TlsHandshake)
                return;
        }
        const qint64 available = conn ? conn->bytesAvailable() : 0;
        if (available <= 0)
            return;
        QByteArray chunk(qMin(available, ReadChunk), Qt::Uninitialized);
        const qint64 n = conn->read(chunk.data(), chunk.size());
        if (n <= 0)
            return;
        reader.append(chunk.constData(), n);
    }
}

// False when the session stopped (failed, closed) and nothing more is to be read.
bool ImapClient::Private::processEvent(ResponseReader::Event event)
{
    switch (event) {
    case ResponseReader::Event::NeedMore:
        return true;
    case ResponseReader::Event::BodyBegin:
        return onBodyBegin();
    case ResponseReader::Event::BodyData:
        if (openItem >= 0 && sink) {
            count.add(reader.chunk(), reader.chunkSize());
            if (Result r = sink->write(reader.chunk(), reader.chunkSize()); !r) {
                fail(r);
                return false;
            }
        }
        return true;
    case ResponseReader::Event::BodyEnd:
        return true; // the message ends with its response (onFetch)
    case ResponseReader::Event::Response: {
        const RawResponse &raw = reader.response();
        QByteArray shown = raw.text;
        if (!raw.literals.isEmpty())
            shown += " <" + QByteArray::number(raw.literals.size()) + " literal(s)>";
        conn->noteReceived(shown);
        Response r;
        if (Result parsed = parseResponse(raw, r); !parsed) {
            fail(phase == Phase::Greeting
                     ? Result::failure(ErrorCode::Protocol,
                                       QStringLiteral("not an IMAP server; it said ") +
                                           quoteLine(raw.text))
                     : parsed);
            return false;
        }
        QPointer<ImapClient> guard(q);
        onResponse(r);
        return guard && phase != Phase::Failed && phase != Phase::Closed;
    }
    }
    return false;
}

void ImapClient::Private::onResponse(const Response &r)
{
    if (phase == Phase::Greeting) {
        onGreeting(r);
        return;
    }
    switch (r.kind) {
    case Response::Kind::Continuation:
        onContinuation(r);
        return;
    case Response::Kind::Untagged:
        onUntagged(r);
        return;
    case Response::Kind::Tagged:
        onTagged(r);
        return;
    }
}

void ImapClient::Private::onGreeting(const Response &r)
{
    if (r.kind != Response::Kind::Untagged || r.status == Status::None || r.status == Status::No ||
        r.status == Status::Bad) {
        fail(Result::failure(ErrorCode::Protocol,
                             QStringLiteral("not an IMAP server; it said ") + quoteLine(r.text)));
        return;
    }
    if (r.status == Status::Bye) {
        fail(statusError(r.code == "UNAVAILABLE" ? ErrorCode::TemporaryFailure
                                                 : ErrorCode::ServerError,
                         QStringLiteral("the server refused the connection"), r));
        return;
    }
    if (r.code == "CAPABILITY") {
        caps = r.capabilities;
        capsKnown = true;
    }
    if (r.status == Status::Preauth) {
        // Already authenticated, so STARTTLS is impossible: on anything but implicit TLS
        // this would run the session in plain text (fetchmail CVE-2021-39272).
        if (options.endpoint.tls != net::TlsMode::Implicit) {
            fail(Result::failure(ErrorCode::Tls,
                                 QStringLiteral("the server greeted with PREAUTH on a connection "
                                                "that is not encrypted; refused")));
            return;
        }
        preauth = true;
    }
    phase = Phase::Capability;
    afterCapabilities();
}

void ImapClient::Private::onUntagged(const Response &r)
{
    // GNU Mailutils' imap4d says "* n EXPUNGED" for "* n EXPUNGE".
    const bool expunge = r.keyword == "EXPUNGE" || r.keyword == "EXPUNGED";
    const bool data = r.status == Status::None && (r.keyword == "FETCH" || r.keyword == "EXISTS" ||
                                                   expunge || r.keyword == "SEARCH");
    if (!data && ++chatter > MaxChatter) {
        fail(Result::failure(
            ErrorCode::Protocol,
            QStringLiteral("more than %1 untagged responses to one command").arg(MaxChatter)));
        return;
    }
    if (r.status != Status::None) {
        if (r.status == Status::Bye)
            byeText = r.text;
        if (r.code == "CAPABILITY") {
            caps = r.capabilities;
            capsKnown = true;
        } else if (r.code == "UIDVALIDITY") {
            parseNumber(r.codeArgs.trimmed(), 1, uidValidity);
        } else if (r.code == "UIDNEXT") {
            parseNumber(r.codeArgs.trimmed(), 1, uidNext);
        } else if (r.code == "ALERT") {
            qCWarning(lcImap).noquote()
                << options.label << QStringLiteral("server alert:") << QString::fromUtf8(r.text);
        }
        return;
    }
    if (r.keyword == "CAPABILITY") {
        caps = r.capabilities;
        capsKnown = true;
    } else if (r.keyword == "EXISTS") {
        const qint64 before = exists;
        exists = r.number;
        if (phase == Phase::Idling && exists > before)
            emit q->mailboxGrew(exists);
    } else if (expunge) {
        onExpunge(r.number);
    } else if (r.keyword == "FETCH") {
        onFetch(r);
    } else if (r.keyword == "SEARCH" && phase == Phase::Searching) {
        foreignDeleted += r.numbers;
    }
}

void ImapClient::Private::onExpunge(qint64 sequence)
{
    if (exists > 0)
        --exists;
    if (phase == Phase::Storing || phase == Phase::Searching || phase == Phase::Expunging) {
        if (const qint64 uid = sequenceToUid.value(sequence); uid > 0)
            expungedUids.insert(uid);
    }
    QMap<qint64, qint64> shifted;
    for (auto it = sequenceToUid.cbegin(); it != sequenceToUid.cend(); ++it) {
        if (it.key() < sequence)
            shifted.insert(it.key(), it.value());
        else if (it.key() > sequence)
            shifted.insert(it.key() - 1, it.value());
    }
    sequenceToUid = shifted;
}

void ImapClient::Private::onFetch(const Response &r)
{
    const FetchData &f = r.fetch;
    if (sequenceToUid.size() >= MaxListedMessages || listedSizes.size() >= MaxListedMessages) {
        fail(
            Result::failure(ErrorCode::Protocol,
                            QStringLiteral("more than %1 messages listed").arg(MaxListedMessages)));
        return;
    }
    if (f.uid > 0)
        sequenceToUid.insert(r.number, f.uid);
    switch (phase) {
    case Phase::Listing:
        if (f.uid > 0 && f.size >= 0)
            listedSizes.insert(f.uid, f.size);
        return;
    case Phase::Retrieving:
        if (f.streamedBody || f.hasSection)
            onBody(r);
        return; // otherwise e.g. a flag change another client made
    case Phase::Identifying: {
        const int item = itemOfUid.value(f.uid, -1);
        if (item < 0 || !f.hasSection || itemDone.at(item))
            return;
        itemDone[item] = true;
        RemoteMessage m = messages.at(item);
        if (f.size >= 0)
            m.size = f.size;
        identities.append({m, f.sectionData});
        return;
    }
    default:
        return;
    }
}

// A FETCH that carries a body item for a message being retrieved: a streamed literal that
// has been written to the sink, or a small literal, quoted string or NIL in the response.
// Only the whole message (BODY[] or RFC822, literal or quoted string, no origin octet) whose
// size agrees with RFC822.SIZE of the listing is complete (see ContentCount); a partial
// (BODY[]<0>), another section (BODY[HEADER]), NIL or a size that disagrees is refused: the
// message stays on the server and the others go on. A literal frames itself, so the stream
// is still in step after a refusal.
void ImapClient::Private::onBody(const Response &r)
{
    const FetchData &f = r.fetch;
    int item = openItem;
    if (f.streamedBody) {
        if (openItem < 0) {
            fail(Result::failure(ErrorCode::Protocol, QStringLiteral("unexpected message body")));
            return;
        }
    } else {
        item = itemOfUid.value(f.uid > 0 ? f.uid : sequenceToUid.value(r.number), -1);
        if (item < 0 || itemDone.at(item))
            return; // not one of ours: nothing to take
    }
    const RemoteMessage m = messages.at(item);
    if (f.uid != 0 && f.uid != m.index) {
        fail(Result::failure(ErrorCode::Protocol,
                             QStringLiteral("the server sent UID %1 for the body of UID %2")
                                 .arg(f.uid)
                                 .arg(m.index)));
        return;
    }
    Result refusal = Result::success();
    const QString shown = QString::fromLatin1(f.item) +
                          (f.section.isEmpty() && f.item == "RFC822"
                               ? QString()
                               : QStringLiteral("[%1]").arg(QString::fromLatin1(f.section))) +
                          (f.origin >= 0 ? QStringLiteral("<%1>").arg(f.origin) : QString());
    if (!f.isWholeBody())
        refusal = Result::failure(ErrorCode::Integrity,
                                  QStringLiteral("message UID %1: the server sent %2 where the "
                                                 "whole message (BODY[]) was asked; it stays on "
                                                 "the server")
                                      .arg(m.uid, shown));
    else if (f.nil)
        refusal = Result::failure(ErrorCode::Integrity,
                                  QStringLiteral("message UID %1: the server sent NIL for its "
                                                 "body; it stays on the server")
                                      .arg(m.uid));
    if (refusal && !f.streamedBody) { // the body came in the response: into the sink now
        if (Result b = sink->begin(m); !b) {
            fail(b);
            return;
        }
        openItem = item;
        count.reset();
        count.add(f.sectionData.constData(), f.sectionData.size());
        if (Result w = sink->write(f.sectionData.constData(), f.sectionData.size()); !w) {
            fail(w);
            return;
        }
    }
    if (refusal)
        refusal = count.check(m);
    itemDone[item] = true;
    if (!refusal) {
        abortPartial();
        emit q->messageRefused(m, refusal);
        return;
    }
    if (Result e = sink->end(m); !e) {
        fail(e); // the sink is told to abort the message it could not finish
        return;
    }
    openItem = -1;
    emit q->messageRetrieved(m);
}

bool ImapClient::Private::onBodyBegin()
{
    qint64 sequence = 0;
    qint64 uid = 0;
    if (Result r = parseFetchStart(reader.response(), sequence, uid); !r) {
        fail(r);
        return false;
    }
    if (uid == 0) // the UID comes after the body: fall back to what list() saw
        uid = sequenceToUid.value(sequence);
    const int item = itemOfUid.value(uid, -1);
    if (phase != Phase::Retrieving || openItem >= 0 || item < 0 || itemDone.at(item)) {
        fail(Result::failure(ErrorCode::Protocol,
                             QStringLiteral("unexpected message body (sequence %1, UID %2)")
                                 .arg(sequence)
                                 .arg(uid)));
        return false;
    }
    if (Result r = sink->begin(messages.at(item)); !r) {
        fail(r);
        return false;
    }
    openItem = item;
    count.reset();
    return true;
}

// --- Failure --------------------------------------------------------------------------

Result ImapClient::Private::statusError(ErrorCode code, const QString &what,
                                        const Response &r) const
{
    QByteArray said = r.text;
    if (!r.code.isEmpty())
        said =
            '[' + r.code + (r.codeArgs.isEmpty() ? QByteArray() : ' ' + r.codeArgs) + "] " + said;
    return Result::failure(code, what + QStringLiteral("; server said: ") +
                                     QString::fromUtf8(said.left(300)))
        .withServerSaid(serverReply(r));
}

void ImapClient::Private::onConnectionFailed(const Result &error)
{
    if (phase == Phase::LoggingOut) { // the server may hang up right after BYE
        finishClose();
        return;
    }
    Result e = error;
    if (!byeText.isEmpty())
        e = error
                .withMessage(error.message() + QStringLiteral(" (server said BYE ") +
                             QString::fromUtf8(byeText.left(200)) + QLatin1Char(')'))
                .withServerSaid(QByteArrayLiteral("BYE ") + byeText);
    if (phase == Phase::Selected && inFlight.isEmpty())
        failWhileIdle(e);
    else
        fail(e);
}

Result ImapClient::Private::naming(const Result &error) const
{
    return error.serverHost().isEmpty()
               ? error.withServer(options.endpoint.host, options.endpoint.port)
               : error;
}

void ImapClient::Private::failWhileIdle(const Result &error)
{
    phase = Phase::Failed;
    idleError = naming(error);
    reader.clear();
    dropConnection(q);
}

// Ends the session without LOGOUT. Nothing was expunged unless EXPUNGE succeeded.
void ImapClient::Private::fail(const Result &error)
{
    if (phase == Phase::Failed || phase == Phase::Closed)
        return;
    phase = Phase::Failed;
    const Result named = naming(error);
    idleError = named;
    inFlight.clear();
    reader.clear();
    dropConnection(q);
    abortPartial();
    emit q->failed(named); // not idleError: the sink may abort() us meanwhile
}

void ImapClient::Private::failLater(const Result &error)
{
    phase = Phase::Failed;
    failedLater(q, error);
}

bool ImapClient::Private::checkReady(const char *call)
{
    if (phase == Phase::Selected)
        return true;
    failLater(notReady(phase == Phase::Failed, "IMAP", call));
    return false;
}

void ImapClient::Private::finishClose()
{
    if (closeEmitted)
        return;
    closeEmitted = true;
    phase = Phase::Closed;
    inFlight.clear();
    if (conn) {
        conn->disconnect(q);
        conn->close();
    }
    emit q->closed(expunged);
}

// --- Public API -----------------------------------------------------------------------

ImapClient::ImapClient(QObject *parent) : MailboxClient(parent), d(std::make_unique<Private>(this))
{
}

ImapClient::~ImapClient()
{
    d->dropConnection(this);
}

int ImapClient::batchSize(int total)
{
    // A few commands in flight even for a handful of messages; at most 32 per command.
    return qBound(1, (total + 3) / 4, 32);
}

void ImapClient::open(const MailboxOptions &options)
{
    if (d->phase != Private::Phase::Idle) {
        d->failLater(
            Result::failure(ErrorCode::Protocol, QStringLiteral("IMAP open() called twice")));
        return;
    }
    d->options = options;
    if (hasNul(options.username) || hasNul(options.password)) {
        d->failLater(Result::failure(ErrorCode::Config,
                                     QStringLiteral("the user name or password contains a NUL "
                                                    "character")));
        return;
    }
    if (options.folder.isEmpty() || options.folder.contains(QLatin1Char('\r')) ||
        options.folder.contains(QLatin1Char('\n')) || hasNul(options.folder)) {
        d->failLater(Result::failure(ErrorCode::Config, QStringLiteral("invalid folder name")));
        return;
    }
    d->conn = new net::Connection(QStringLiteral("imap"), options.label, this);
    connect(d->conn, &net::Connection::ready, this, [this] { d->onReady(); });
    connect(d->conn, &net::Connection::readyRead, this, [this] { d->onReadyRead(); });
    connect(d->conn, &net::Connection::failed, this,
            [this](const Result &error) { d->onConnectionFailed(error); });
    d->phase = Private::Phase::Greeting;
    d->conn->open(options.endpoint);
}

void ImapClient::list()
{
    if (d->checkReady("list"))
        d->enter(Private::Phase::Listing);
}

void ImapClient::retrieve(const QList<RemoteMessage> &messages, MessageSink *sink)
{
    if (!d->checkReady("retrieve"))
        return;
    if (messages.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit retrieved(); });
        return;
    }
    d->messages = messages;
    d->sink = sink;
    d->enter(Private::Phase::Retrieving);
}

void ImapClient::fetchIdentities(const QList<RemoteMessage> &messages)
{
    if (!d->checkReady("fetchIdentities"))
        return;
    if (messages.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit identitiesFetched({}); });
        return;
    }
    d->messages = messages;
    d->sink = nullptr;
    d->enter(Private::Phase::Identifying);
}

void ImapClient::remove(const QList<RemoteMessage> &messages)
{
    if (!d->checkReady("remove"))
        return;
    if (messages.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit removeMarked(); });
        return;
    }
    d->messages = messages;
    d->sink = nullptr;
    d->enter(Private::Phase::Storing);
}

void ImapClient::close()
{
    if (d->checkReady("close"))
        d->enter(Private::Phase::LoggingOut);
}

void ImapClient::abort()
{
    d->dropConnection(this);
    d->abortPartial();
    d->inFlight.clear();
    d->reader.clear();
    if (d->phase != Private::Phase::Closed) {
        d->phase = Private::Phase::Failed;
        d->idleError = Result::failure(ErrorCode::Cancelled, QStringLiteral("aborted"));
    }
}

bool ImapClient::pipelined() const
{
    return d->pipelining;
}

QString ImapClient::peerFingerprint() const
{
    return d->conn ? d->conn->peerFingerprint() : QString();
}

qint64 ImapClient::uidValidity() const
{
    return d->uidValidity;
}

qint64 ImapClient::uidNext() const
{
    return d->uidNext;
}

qint64 ImapClient::exists() const
{
    return d->exists;
}

bool ImapClient::hasCapability(const QByteArray &capability) const
{
    return d->caps.has(capability);
}

void ImapClient::idle()
{
    if (d->checkReady("idle"))
        d->enter(Private::Phase::Idling);
}

void ImapClient::stopIdle()
{
    if (d->phase != Private::Phase::Idling || !d->conn || d->idleStopWanted)
        return;
    d->idleStopWanted = true;
    if (d->idleConfirmed) // otherwise DONE follows the server's "+"
        d->conn->write("DONE\r\n");
}

} // namespace pollux::imap
