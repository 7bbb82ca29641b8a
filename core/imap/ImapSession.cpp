// ImapClient: what each phase sends, and what each tagged response means.
#include "ImapClient_p.h"
#include "ImapCommands.h"

#include "sasl/Sasl.h"

#include <QSet>
#include <QTimer>

namespace pollux::imap {

namespace {
constexpr int FetchesInFlight = 4; // UID FETCH commands pipelined while retrieving

QList<qint64> uidsOf(const QList<RemoteMessage> &messages)
{
    QList<qint64> uids;
    uids.reserve(messages.size());
    for (const RemoteMessage &m : messages)
        uids.append(m.index);
    return uids;
}
} // namespace

void ImapClient::Private::enter(Phase next)
{
    phase = next;
    switch (phase) {
    case Phase::Capability:
    case Phase::CapabilityAfterLogin:
        send(Command::Capability, "CAPABILITY");
        break;
    case Phase::StartTls:
        send(Command::StartTls, "STARTTLS");
        break;
    case Phase::Authenticating:
        startAuthentication();
        break;
    case Phase::Selecting:
        uidValidity = 0;
        send(Command::Select,
             "SELECT \"" +
                 encodeMailboxName(options.folder).replace('\\', "\\\\").replace('"', "\\\"") +
                 '"');
        break;
    case Phase::Listing:
        listedSizes.clear();
        if (exists == 0) { // "1:*" of an empty mailbox is an error on some servers
            settle();
            QTimer::singleShot(0, q, [client = q] { emit client->listed({}); });
            break;
        }
        send(Command::ListFetch, "UID FETCH 1:* (UID RFC822.SIZE)");
        break;
    case Phase::Retrieving:
    case Phase::Identifying: {
        itemOfUid.clear();
        itemDone = QList<bool>(messages.size(), false);
        identities.clear();
        batches.clear();
        batchesDone = 0;
        const int size = batchSize(int(messages.size()));
        for (int i = 0; i < messages.size(); ++i) {
            itemOfUid.insert(messages.at(i).index, i);
            if (i % size == 0)
                batches.append(Batch());
            batches.last().items.append(i);
        }
        fillWindow();
        break;
    }
    case Phase::Storing:
        expunged = false;
        flagged = messages;
        singleStores = 0;
        expungedUids.clear();
        send(Command::Store,
             "UID STORE " + uidSet(uidsOf(messages)) + " +FLAGS.SILENT (\\Deleted)");
        break;
    case Phase::Searching:
        foreignDeleted.clear();
        send(Command::SearchDeleted, "UID SEARCH DELETED"); // ours are filtered out here
        break;
    case Phase::Expunging:
        if (caps.has("UIDPLUS"))
            send(Command::Expunge, "UID EXPUNGE " + uidSet(uidsOf(flagged)));
        else
            send(Command::Expunge, "EXPUNGE");
        break;
    case Phase::Idling:
        idleConfirmed = false;
        idleStopWanted = false;
        send(Command::Idle, "IDLE");
        break;
    case Phase::LoggingOut:
        send(Command::Logout, "LOGOUT");
        break;
    case Phase::Idle:
    case Phase::Greeting:
    case Phase::TlsHandshake:
    case Phase::Selected:
    case Phase::Closed:
    case Phase::Failed:
        break;
    }
}

QByteArray ImapClient::Private::send(Command command, const QByteArray &arguments, int batch)
{
    const QByteArray tag = 'A' + QByteArray::number(++tagCounter);
    inFlight.append({tag, command, batch, {}, {}});
    conn->write(tag + ' ' + arguments + "\r\n");
    return tag;
}

// UID FETCH batches: several in flight (RFC 3501 5.5 allows it for FETCH).
void ImapClient::Private::fillWindow()
{
    const int window = pipelining ? FetchesInFlight : 1;
    int running = 0;
    for (const Batch &b : std::as_const(batches))
        running += b.sent && !b.done ? 1 : 0;
    const bool bodies = phase == Phase::Retrieving;
    for (int i = 0; i < batches.size() && running < window; ++i) {
        Batch &b = batches[i];
        if (b.sent)
            continue;
        QList<qint64> uids;
        for (int item : std::as_const(b.items))
            uids.append(messages.at(item).index);
        b.sent = true;
        ++running;
        if (bodies)
            send(Command::BodyFetch, "UID FETCH " + uidSet(uids) + " (UID BODY.PEEK[])", i);
        else
            send(Command::HeaderFetch,
                 "UID FETCH " + uidSet(uids) + " (UID RFC822.SIZE BODY.PEEK[HEADER])", i);
    }
}

// Waiting for the next call: the connection's inactivity timer rests meanwhile.
void ImapClient::Private::settle()
{
    phase = Phase::Selected;
    if (conn && inFlight.isEmpty())
        conn->setIdle(true);
}

void ImapClient::Private::afterCapabilities()
{
    if (!capsKnown) {
        enter(Phase::Capability);
        return;
    }
    if (options.endpoint.tls == net::TlsMode::StartTls && !conn->isEncrypted()) {
        if (!caps.has("STARTTLS")) {
            fail(Result::failure(ErrorCode::Tls,
                                 QStringLiteral("the server does not offer STARTTLS, which this "
                                                "account requires; no password was sent")));
            return;
        }
        enter(Phase::StartTls);
        return;
    }
    enter(preauth ? Phase::Selecting : Phase::Authenticating);
}

// "auto": the strongest SASL mechanism offered, IMAP LOGIN as the last resort.
void ImapClient::Private::startAuthentication()
{
    const bool encrypted = conn->isEncrypted();
    const QString method = options.authMethod.trimmed().toLower();
    const bool loginDisabled = caps.has("LOGINDISABLED");
    const bool loginAllowed = !loginDisabled && (encrypted || options.allowPlaintextLogin);
    const QString noCredential = QStringLiteral("; no password was sent");
    if (method == QLatin1String("login")) {
        if (loginAllowed) {
            sendLogin();
            return;
        }
        fail(Result::failure(loginDisabled || encrypted ? ErrorCode::AuthFailed : ErrorCode::Tls,
                             (loginDisabled ? QStringLiteral("the server disables LOGIN")
                                            : QStringLiteral("LOGIN would send the password "
                                                             "unencrypted")) +
                                 noCredential));
        return;
    }
    if (method == QLatin1String("user") || method == QLatin1String("apop")) {
        fail(Result::failure(
            ErrorCode::Config,
            QStringLiteral("authentication method \"%1\" is POP3 only").arg(method)));
        return;
    }
    QStringList offered;
    for (const QByteArray &m : std::as_const(caps.sasl))
        offered << QString::fromLatin1(m);
    QString why;
    const QList<sasl::Mechanism> mechanisms =
        sasl::choose(offered, method, encrypted, options.allowPlaintextLogin, &why);
    if (mechanisms.isEmpty()) {
        if (method == QLatin1String("auto") && loginAllowed) {
            sendLogin();
            return;
        }
        fail(Result::failure(encrypted ? ErrorCode::AuthFailed : ErrorCode::Tls,
                             QStringLiteral("no acceptable authentication method: ") + why +
                                 noCredential));
        return;
    }
    const sasl::Mechanism mechanism = mechanisms.first();
    authenticator = sasl::Authenticator::create(mechanism, options.username, options.password,
                                                options.endpoint.host);
    if (!authenticator) {
        fail(Result::failure(ErrorCode::Config, QStringLiteral("SASL mechanism not available")));
        return;
    }
    authError = Result::success();
    initialSent = false;
    const QByteArray name = sasl::mechanismName(mechanism);
    QByteArray initial;
    if (caps.has("SASL-IR") && authenticator->initialResponse(initial)) {
        initialSent = true;
        const QByteArray tag = 'A' + QByteArray::number(++tagCounter);
        inFlight.append({tag, Command::Authenticate, -1, {}, {}});
        conn->writeSecret(tag + " AUTHENTICATE " + name + ' ' +
                              (initial.isEmpty() ? QByteArray("=") : initial.toBase64()) + "\r\n",
                          tag + " AUTHENTICATE " + name + " <redacted>\r\n");
        return;
    }
    send(Command::Authenticate, "AUTHENTICATE " + name);
}

// LOGIN user password: quoted strings, or literals for 8-bit values (LITERAL+ when offered,
// otherwise each literal waits for the server's "+").
void ImapClient::Private::sendLogin()
{
    const QByteArray user = options.username.toUtf8();
    const QByteArray password = options.password.toUtf8();
    const bool literalPlus = caps.has("LITERAL+");
    const QByteArray tag = 'A' + QByteArray::number(++tagCounter);
    QList<QByteArray> segments;
    QByteArray current = tag + " LOGIN ";
    const auto add = [&](const QByteArray &value) {
        bool literal = false;
        const QByteArray quoted = quoteString(value, &literal);
        if (!literal) {
            current += quoted;
        } else if (literalPlus) {
            current += '{' + QByteArray::number(value.size()) + "+}\r\n" + value;
        } else {
            current += '{' + QByteArray::number(value.size()) + "}\r\n";
            segments << current;
            current = value;
        }
    };
    add(user);
    current += ' ';
    add(password);
    current += "\r\n";
    segments << current;
    const QByteArray shown = tag + " LOGIN " + user + " <redacted>\r\n";
    inFlight.append({tag, Command::Login, -1, segments.mid(1), "<redacted>\r\n"});
    conn->writeSecret(segments.first(), shown);
}

void ImapClient::Private::onContinuation(const Response &r)
{
    if (inFlight.isEmpty()) {
        fail(Result::failure(ErrorCode::Protocol,
                             QStringLiteral("unexpected continuation: ") + quoteLine(r.text)));
        return;
    }
    Sent &head = inFlight.last();
    if (!head.parts.isEmpty()) {
        conn->writeSecret(head.parts.takeFirst(), head.shownParts);
        return;
    }
    switch (head.command) {
    case Command::Authenticate: {
        const auto decoded = QByteArray::fromBase64Encoding(
            r.text.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        QByteArray out;
        Result step = Result::success();
        if (!decoded) {
            step = Result::failure(ErrorCode::Protocol,
                                   QStringLiteral("bad SASL challenge: ") + quoteLine(r.text));
        } else if (!initialSent && (initialSent = true, authenticator->initialResponse(out))) {
            // client-first mechanism without SASL-IR: the server's "+" was empty
        } else {
            step = authenticator->respond(*decoded, out);
        }
        if (!step) {
            authError = step; // cancel; the tagged BAD that follows reports it
            conn->write("*\r\n");
            return;
        }
        conn->writeSecret(out.toBase64() + "\r\n", "<redacted>\r\n");
        return;
    }
    case Command::Idle:
        idleConfirmed = true;
        conn->setIdle(true); // quiet for as long as no mail comes; renewal re-arms the timer
        if (idleStopWanted)
            conn->write("DONE\r\n");
        else
            emit q->idling();
        return;
    default:
        fail(Result::failure(ErrorCode::Protocol,
                             QStringLiteral("unexpected continuation: ") + quoteLine(r.text)));
        return;
    }
}

void ImapClient::Private::onTagged(const Response &r)
{
    chatter = 0;
    qsizetype index = -1;
    for (qsizetype i = 0; i < inFlight.size(); ++i)
        if (inFlight.at(i).tag == r.tag)
            index = i;
    if (index < 0) {
        fail(Result::failure(ErrorCode::Protocol, QStringLiteral("response to an unknown tag: ") +
                                                      quoteLine(r.tag + ' ' + r.text)));
        return;
    }
    const Sent sent = inFlight.takeAt(index);
    const bool ok = r.status == Status::Ok;
    if (ok && r.code == "CAPABILITY") {
        caps = r.capabilities;
        capsKnown = true;
    }
    switch (sent.command) {
    case Command::Capability:
        if (!ok) {
            fail(statusError(ErrorCode::Protocol, QStringLiteral("CAPABILITY failed"), r));
            return;
        }
        capsKnown = true;
        if (phase == Phase::CapabilityAfterLogin)
            enter(Phase::Selecting);
        else
            afterCapabilities();
        return;
    case Command::StartTls:
        if (!ok) {
            fail(statusError(ErrorCode::Tls, QStringLiteral("the server refused STARTTLS"), r));
            return;
        }
        // Anything after the OK was sent in plain text and could be injected.
        if (reader.pendingSize() > 0 || conn->bytesAvailable() > 0) {
            fail(Result::failure(ErrorCode::Tls, QStringLiteral("the server sent data after "
                                                                "STARTTLS before TLS began")));
            return;
        }
        phase = Phase::TlsHandshake;
        caps = Capabilities();
        capsKnown = false;
        conn->startTls();
        return;
    case Command::Login:
    case Command::Authenticate: {
        const std::unique_ptr<sasl::Authenticator> auth = std::move(authenticator);
        if (!ok) {
            if (!authError.ok()) {
                fail(authError);
                return;
            }
            const bool temporary = r.code == "UNAVAILABLE" || r.code == "INUSE" ||
                                   r.code == "SERVERBUG" || r.code == "LIMIT";
            fail(statusError(temporary ? ErrorCode::TemporaryFailure : ErrorCode::AuthFailed,
                             QStringLiteral("the server rejected the login"), r));
            return;
        }
        if (auth) {
            if (Result v = auth->verifySuccess(QByteArray()); !v) {
                fail(Result::failure(ErrorCode::AuthFailed, v.message()));
                return;
            }
        }
        enter(r.code == "CAPABILITY" ? Phase::Selecting : Phase::CapabilityAfterLogin);
        return;
    }
    case Command::Select:
        onSelected(r);
        return;
    case Command::ListFetch: {
        if (!ok) {
            fail(statusError(ErrorCode::ServerError, QStringLiteral("listing failed"), r));
            return;
        }
        QList<RemoteMessage> listed;
        listed.reserve(listedSizes.size());
        for (auto it = listedSizes.cbegin(); it != listedSizes.cend(); ++it)
            listed.append(
                {QString::number(uidValidity) + QLatin1Char(':') + QString::number(it.key()),
                 it.value(), it.key()});
        listedSizes.clear();
        settle();
        emit q->listed(listed);
        return;
    }
    case Command::BodyFetch:
    case Command::HeaderFetch:
        onBatchDone(sent, r);
        return;
    case Command::Store:
        if (sent.batch >= 0) {
            onSingleStored(sent, r);
            return;
        }
        onStored(r);
        return;
    case Command::SearchDeleted:
    case Command::Expunge:
        onStored(r);
        return;
    case Command::Idle:
        if (!ok) {
            fail(statusError(ErrorCode::ServerError, QStringLiteral("IDLE failed"), r));
            return;
        }
        settle();
        emit q->idleStopped();
        return;
    case Command::Logout:
        finishClose();
        return;
    }
}

void ImapClient::Private::onSelected(const Response &r)
{
    const QString folder = options.folder;
    if (r.status != Status::Ok) {
        fail(statusError(ErrorCode::ServerError,
                         QStringLiteral("the folder \"%1\" cannot be opened").arg(folder), r));
        return;
    }
    if (uidValidity == 0) {
        fail(Result::failure(
            ErrorCode::Protocol,
            QStringLiteral("the server did not report the UIDVALIDITY of \"%1\"").arg(folder)));
        return;
    }
    pipelining = options.pipelineWindow > 1;
    settle();
    emit q->opened();
}

void ImapClient::Private::onBatchDone(const Sent &sent, const Response &r)
{
    const bool bodies = phase == Phase::Retrieving;
    const QList<int> items = batches.at(sent.batch).items;
    QList<qint64> uids;
    for (int item : items)
        uids.append(messages.at(item).index);
    if (r.status != Status::Ok && !bodies) {
        fail(statusError(ErrorCode::ServerError,
                         QStringLiteral("messages with UIDs %1 could not be fetched")
                             .arg(QString::fromLatin1(uidSet(uids))),
                         r));
        return;
    }
    if (openItem >= 0) {
        fail(Result::failure(ErrorCode::Protocol, QStringLiteral("a message body was cut short")));
        return;
    }
    batches[sent.batch].done = true;
    ++batchesDone;
    QList<int> missing;
    for (int item : items)
        if (!itemDone.at(item))
            missing.append(item);
    QList<std::pair<RemoteMessage, Result>> refused;
    if (r.status != Status::Ok && items.size() > 1) {
        // Maybe one message the server cannot return: each of the others on its own, so
        // that it alone is refused.
        for (int item : std::as_const(missing)) {
            batches.append(Batch());
            batches.last().items.append(item);
        }
    } else if (r.status != Status::Ok) {
        for (int item : std::as_const(missing))
            refused.append({messages.at(item),
                            statusError(ErrorCode::ServerError,
                                        QStringLiteral("message UID %1 could not be fetched")
                                            .arg(messages.at(item).uid),
                                        r)});
    } else if (!missing.isEmpty()) {
        // No FETCH for a UID that another client expunged since list() (its EXPUNGE came):
        // nothing is lost, the pass goes on. One still in the mailbox is refused: the server
        // would not return it.
        QSet<qint64> present;
        for (auto it = sequenceToUid.cbegin(); it != sequenceToUid.cend(); ++it)
            present.insert(it.value());
        QList<qint64> vanished;
        for (int item : std::as_const(missing)) {
            const RemoteMessage &m = messages.at(item);
            if (!bodies || !present.contains(m.index))
                vanished.append(m.index);
            else
                refused.append({m, Result::failure(ErrorCode::ServerError,
                                                   QStringLiteral("the server answered the FETCH "
                                                                  "of message UID %1 without its "
                                                                  "body; server said: ")
                                                           .arg(m.uid) +
                                                       QString::fromUtf8(r.text.left(300)))
                                       .withServerSaid(serverReply(r))});
        }
        if (!vanished.isEmpty())
            qCWarning(lcImap).noquote()
                << QStringLiteral("%1: UIDs %2 of UIDVALIDITY %3 vanished from the server before "
                                  "they could be fetched; skipped")
                       .arg(options.label, QString::fromLatin1(uidSet(vanished)))
                       .arg(uidValidity);
    }
    QPointer<ImapClient> guard(q);
    for (const auto &[m, reason] : std::as_const(refused)) {
        itemDone[itemOfUid.value(m.index)] = true;
        emit q->messageRefused(m, reason);
        if (!guard || phase != Phase::Retrieving)
            return;
    }
    if (batchesDone < batches.size()) {
        fillWindow();
        return;
    }
    settle();
    if (bodies)
        emit q->retrieved();
    else
        emit q->identitiesFetched(identities);
}

// Removal: UID STORE +FLAGS.SILENT (\Deleted), then with UIDPLUS "UID EXPUNGE <ours>".
// Without UIDPLUS, EXPUNGE would also remove messages another client flagged \Deleted but
// did not mean to expunge yet; so first "UID SEARCH DELETED" (the answer less our own
// UIDs: a short command whatever the mailbox, and no UID-set quirks): if that finds
// any, ours stay flagged and nothing is expunged (removals not committed: the next pass
// tries again). The window between SEARCH and EXPUNGE is a few milliseconds.
void ImapClient::Private::onStored(const Response &r)
{
    const bool ok = r.status == Status::Ok;
    switch (phase) {
    case Phase::Storing:
        if (!ok && messages.size() > 1) {
            // Maybe one message the server cannot flag: each on its own, so that it alone
            // stays (pipelined: STOREs of distinct messages do not interfere, RFC 3501 5.5).
            flagged.clear();
            for (int i = 0; i < messages.size(); ++i) {
                ++singleStores;
                send(Command::Store,
                     "UID STORE " + QByteArray::number(messages.at(i).index) +
                         " +FLAGS.SILENT (\\Deleted)",
                     i);
            }
            return;
        }
        if (!ok) {
            flagged.clear();
            QPointer<ImapClient> guard(q);
            emit q->removalRefused(messages.first(),
                                   statusError(ErrorCode::ServerError,
                                               QStringLiteral("message UID %1 could not be "
                                                              "flagged \\Deleted")
                                                   .arg(messages.first().uid),
                                               r));
            if (!guard)
                return;
        }
        afterStoring();
        return;
    case Phase::Searching:
        if (!ok) {
            fail(statusError(ErrorCode::ServerError, QStringLiteral("SEARCH failed"), r));
            return;
        }
        {
            // Our own messages are flagged \Deleted too: only the others count.
            const QList<qint64> ours = uidsOf(flagged);
            const QSet<qint64> ourSet(ours.cbegin(), ours.cend());
            foreignDeleted.removeIf([&ourSet](qint64 uid) { return ourSet.contains(uid); });
        }
        if (foreignDeleted.isEmpty()) {
            enter(Phase::Expunging);
            return;
        }
        qCWarning(lcImap).noquote()
            << QStringLiteral("%1: %2 other messages are flagged \\Deleted and the server has no "
                              "UIDPLUS; not expunging, so as not to remove them")
                   .arg(options.label)
                   .arg(foreignDeleted.size());
        settle();
        emit q->removeMarked();
        return;
    case Phase::Expunging:
        afterExpunge(r);
        return;
    default:
        fail(Result::failure(ErrorCode::Protocol, QStringLiteral("unexpected STORE response")));
        return;
    }
}

// The answer to the STORE of one message, after a STORE of several was refused.
void ImapClient::Private::onSingleStored(const Sent &sent, const Response &r)
{
    const RemoteMessage m = messages.at(sent.batch);
    --singleStores;
    QPointer<ImapClient> guard(q);
    if (r.status == Status::Ok)
        flagged.append(m);
    else
        emit q->removalRefused(m, statusError(ErrorCode::ServerError,
                                              QStringLiteral("message UID %1 could not be "
                                                             "flagged \\Deleted")
                                                  .arg(m.uid),
                                              r));
    if (guard && singleStores == 0 && phase == Phase::Storing)
        afterStoring();
}

// What the server flagged is expunged next; when it flagged nothing, nothing is.
void ImapClient::Private::afterStoring()
{
    if (flagged.isEmpty()) {
        settle();
        emit q->removeMarked();
        return;
    }
    enter(caps.has("UIDPLUS") ? Phase::Expunging : Phase::Searching);
}

// Only what the server confirmed gone (an untagged EXPUNGE for it) counts as removed: a
// message it kept, whether the EXPUNGE was refused or answered OK without it, is reported
// refused and stays unrecorded, so the next pass asks again. (Were it recorded removed while
// still there, no pass would ever remove it.)
void ImapClient::Private::afterExpunge(const Response &r)
{
    const bool ok = r.status == Status::Ok;
    const Result refused =
        ok ? Result::failure(ErrorCode::ServerError,
                             QStringLiteral("the server answered EXPUNGE without removing it"))
           : statusError(ErrorCode::ServerError, QStringLiteral("EXPUNGE failed"), r);
    QList<RemoteMessage> kept;
    for (const RemoteMessage &m : std::as_const(flagged))
        if (!expungedUids.contains(m.index))
            kept.append(m);
    expunged = true; // the others
    settle();
    QPointer<ImapClient> guard(q);
    for (const RemoteMessage &m : std::as_const(kept)) {
        emit q->removalRefused(m, refused.withMessage(QStringLiteral("message UID ") + m.uid +
                                                      QStringLiteral(": ") + refused.message()));
        if (!guard)
            return;
    }
    emit q->removeMarked();
}

} // namespace pollux::imap
