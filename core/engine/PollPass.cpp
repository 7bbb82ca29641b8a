#include "PollPass.h"

#include "engine/Log.h"
#include "engine/OAuthAccess.h"
#include "engine/SpoolSink.h"
#include "imap/ImapClient.h"
#include "pop3/Pop3Client.h"
#include "secrets/SecretStore.h"
#include "store/Spool.h"
#include "store/Store.h"

#include <QPointer>

namespace pollux {

PollPass::PollPass(const Settings &settings, Spool &spool, Store &store, SecretStore *secrets,
                   QObject *parent)
    : QObject(parent), m_settings(settings), m_spool(spool), m_store(store), m_secrets(secrets)
{
}

PollPass::~PollPass()
{
    if (m_client) {
        m_client->abort();
        delete m_client;
    }
}

MailboxClient *PollPass::createClient(ServerType type, Result &error)
{
    switch (type) {
    case ServerType::Pop3:
    case ServerType::Pop3Ssl:
        return new pop3::Pop3Client;
    case ServerType::Imap:
    case ServerType::ImapSsl:
        return new imap::ImapClient;
    }
    error = Result::failure(ErrorCode::Config, QStringLiteral("unknown server type"));
    return nullptr;
}

MailboxOptions PollPass::mailboxOptions(const Settings &settings, const QString &password)
{
    const AccountConfig &a = settings.account;
    MailboxOptions o;
    o.endpoint.host = a.host;
    o.endpoint.port = a.port;
    o.endpoint.tls = isImplicitTls(a.type) ? net::TlsMode::Implicit
                     : a.startTls          ? net::TlsMode::StartTls
                                           : net::TlsMode::None;
    o.endpoint.timeoutMs = a.timeoutSecs * 1000;
    o.endpoint.extraCaCertificates = settings.extraCaCertificates;
    if (!a.pinnedFingerprint.isEmpty()) {
        QString hex = a.pinnedFingerprint;
        hex.remove(QLatin1Char(':'));
        o.endpoint.pinnedSha256 = QByteArray::fromHex(hex.toLatin1());
    }
    o.username = a.username;
    o.password = password;
    o.allowApop = a.allowApop;
    o.authMethod = a.authMethod;
    // OAuth2: the token goes by OAUTHBEARER or XOAUTH2, whichever the server offers
    // (sasl::choose()'s "oauth2").
    if (isOAuth2(a.signIn) &&
        o.authMethod.trimmed().compare(QLatin1String("auto"), Qt::CaseInsensitive) == 0)
        o.authMethod = QStringLiteral("oauth2");
    o.allowPlaintextLogin = a.allowPlaintextLogin;
    o.folder = a.folder;
    o.pipelineWindow = settings.pipelineWindow;
    o.label = a.name;
    return o;
}

void PollPass::start()
{
    const AccountConfig &a = m_settings.account;
    if (Result r = m_store.beginPass(a.name, m_passId); !r) {
        finish(r);
        return;
    }
    if (Result r = makeClient(); !r) {
        finish(r);
        return;
    }
    m_state = State::ReadingSecret;
    if (m_oauth) {
        requestToken();
        return;
    }
    QPointer<PollPass> self(this);
    m_secrets->read(secretKey(SecretKind::Account, a.name), [self](Result r, QString password) {
        if (self)
            self->onSecret(r, password);
    });
}

Result PollPass::makeClient()
{
    Result error;
    m_client = createClient(m_settings.account.type, error);
    if (!m_client)
        return error;
    m_client->setParent(nullptr);
    connect(m_client, &MailboxClient::opened, this, &PollPass::onOpened);
    connect(m_client, &MailboxClient::listed, this, &PollPass::onListed);
    connect(m_client, &MailboxClient::identitiesFetched, this, &PollPass::onIdentities);
    connect(m_client, &MailboxClient::messageRetrieved, this,
            [this] { emit progress(++m_done, m_total); });
    connect(m_client, &MailboxClient::messageRefused, this, &PollPass::onRefused);
    connect(m_client, &MailboxClient::retrieved, this, &PollPass::onRetrieved);
    connect(m_client, &MailboxClient::removalRefused, this, &PollPass::onRemovalRefused);
    connect(m_client, &MailboxClient::removeMarked, this, [this] {
        m_state = State::Closing;
        m_client->close();
    });
    connect(m_client, &MailboxClient::closed, this, &PollPass::onClosed);
    connect(m_client, &MailboxClient::failed, this, &PollPass::onFailed);
    return Result::success();
}

void PollPass::requestToken()
{
    QPointer<PollPass> self(this);
    m_oauth->accessToken([self](const Result &r, const QString &token, bool cached) {
        if (self)
            self->onToken(r, token, cached);
    });
}

void PollPass::onToken(const Result &result, const QString &token, bool cached)
{
    if (m_state != State::ReadingSecret)
        return;
    if (!result) {
        finish(result);
        return;
    }
    m_gotToken = true;
    m_tokenCached = cached;
    m_state = State::Opening;
    m_client->open(mailboxOptions(m_settings, token));
}

// An OAuth2 login the mailbox refused with a token from the cache (revoked early, or the
// server's clock differs): once more with a new token, never more than once a pass.
bool PollPass::retryLogin(const Result &error)
{
    if (!m_oauth || m_state != State::Opening || error.code() != ErrorCode::AuthFailed ||
        !m_tokenCached || m_loginRetried)
        return false;
    m_loginRetried = true;
    qCInfo(lcPass).noquote() << QStringLiteral("%1: the mailbox refused the cached access token "
                                               "(%2); trying once with a new one")
                                    .arg(m_settings.account.name, error.message());
    m_client->disconnect(this);
    m_client->abort();
    m_client->deleteLater();
    m_client = nullptr;
    m_oauth->invalidate();
    if (Result r = makeClient(); !r) {
        finish(r);
        return true;
    }
    m_state = State::ReadingSecret;
    requestToken();
    return true;
}

void PollPass::cancel()
{
    if (m_state == State::Done)
        return;
    if (m_client)
        m_client->abort();
    finish(Result::failure(ErrorCode::Cancelled, QStringLiteral("pass cancelled")));
}

void PollPass::onSecret(const Result &result, const QString &password)
{
    if (m_state != State::ReadingSecret)
        return;
    if (!result) {
        finish(result);
        return;
    }
    m_state = State::Opening;
    m_client->open(mailboxOptions(m_settings, password));
}

void PollPass::onOpened()
{
    if (unchangedSinceLastPass()) {
        m_skipped = true;
        qCInfo(lcPass).noquote()
            << QStringLiteral("%1: mailbox unchanged since the last pass (%2): nothing to do")
                   .arg(m_settings.account.name, m_mailboxState);
        emit progress(0, 0);
        m_state = State::Closing;
        m_client->close();
        return;
    }
    m_state = State::Listing;
    m_client->list();
}

// UIDs are never reused and new messages get UIDs from UIDNEXT on: with the same
// UIDVALIDITY and UIDNEXT no message was added, and with the same EXISTS none was removed,
// so the mailbox holds exactly what the last complete pass listed (and all of it known).
bool PollPass::unchangedSinceLastPass()
{
    const auto *imap = qobject_cast<const imap::ImapClient *>(m_client);
    if (!imap || imap->uidValidity() <= 0 || imap->uidNext() <= 0)
        return false;
    m_mailboxState = QStringLiteral("%1:%2:%3")
                         .arg(imap->uidValidity())
                         .arg(imap->uidNext())
                         .arg(imap->exists());
    const AccountConfig &a = m_settings.account;
    QString last;
    if (Result r = m_store.mailboxState(a.name, last); !r || last != m_mailboxState)
        return false;
    // Nothing may be due for removal: ask as if every known message were on the server.
    QSet<QString> known;
    QStringList due;
    if (Result r = m_store.knownUids(a.name, known); !r)
        return false;
    if (Result r = m_store.removalCandidates(a.name, a.retention, a.keepDays, known, due); !r)
        return false;
    return due.isEmpty();
}

// After a pass that listed the mailbox: its state is worth remembering only when every
// listed message is known and nothing was left behind or removed; otherwise forget it.
void PollPass::rememberMailboxState(bool ok)
{
    if (m_mailboxState.isEmpty() || (ok && m_skipped))
        return;
    const QString &account = m_settings.account.name;
    QString state = m_mailboxState;
    QSet<QString> known;
    if (!ok || m_more || !m_removing.isEmpty() || !m_store.knownUids(account, known).ok()) {
        state.clear();
    } else {
        for (auto it = m_onServer.cbegin(); it != m_onServer.cend(); ++it) {
            if (!known.contains(it.key())) {
                state.clear();
                break;
            }
        }
    }
    if (Result r = m_store.setMailboxState(account, state); !r)
        qCWarning(lcPass).noquote() << account << r.message();
}

// IMAP: a server that renumbered the mailbox (new UIDVALIDITY) lists every known message
// under a new UID. Before downloading "new" messages while known ones of another
// UIDVALIDITY are no longer listed, fetch the new ones' headers and recognise the known
// messages by fingerprint (a digest of the whole header block and the size, see
// SpoolSink::fingerprint); they are recorded under their new UIDs, not fetched again.
// Only what is provably the same copy is renamed: a fingerprint that one known record and
// one listed message have, each alone. Two known records or two listed messages with one
// fingerprint rename nothing and are fetched (a duplicate is better than a loss), and so are
// records with a fingerprint of an older format (Message-ID and size), which match nothing.
void PollPass::onListed(const QList<RemoteMessage> &messages)
{
    m_listed = messages;
    if (!m_client->canFetchIdentities()) {
        proceed(messages);
        return;
    }
    const QString &account = m_settings.account.name;
    QSet<QString> known;
    QMultiHash<QString, QString> fingerprints;
    if (Result r = m_store.knownUids(account, known); !r) {
        onFailed(r);
        return;
    }
    if (Result r = m_store.knownFingerprintUids(account, fingerprints); !r) {
        onFailed(r);
        return;
    }
    const auto validityOf = [](const QString &uid) { return uid.section(QLatin1Char(':'), 0, 0); };
    QSet<QString> listedUids;
    QSet<QString> listedValidities;
    QList<RemoteMessage> unknown;
    for (const RemoteMessage &m : messages) {
        listedUids.insert(m.uid);
        listedValidities.insert(validityOf(m.uid));
        if (!known.contains(m.uid))
            unknown.append(m);
    }
    m_stale.clear();
    for (auto it = fingerprints.cbegin(); it != fingerprints.cend(); ++it) {
        if (!SpoolSink::isCurrentFingerprint(it.key()) || fingerprints.count(it.key()) != 1)
            continue;
        if (!listedUids.contains(it.value()) && !listedValidities.contains(validityOf(it.value())))
            m_stale.insert(it.key(), it.value());
    }
    if (m_stale.isEmpty() || unknown.isEmpty()) {
        proceed(messages);
        return;
    }
    qCInfo(lcPass).noquote() << QStringLiteral("%1: the server renumbered the mailbox (UIDVALIDITY "
                                               "changed); checking %2 messages against %3 known")
                                    .arg(account)
                                    .arg(unknown.size())
                                    .arg(m_stale.size());
    m_state = State::Identifying;
    m_client->fetchIdentities(unknown);
}

void PollPass::onIdentities(const QList<RemoteIdentity> &identities)
{
    const QString &account = m_settings.account.name;
    QHash<QString, int> listedCount;
    QList<QString> listedFingerprints;
    listedFingerprints.reserve(identities.size());
    for (const RemoteIdentity &id : identities) {
        listedFingerprints.append(SpoolSink::fingerprint(id.header, id.message.size));
        ++listedCount[listedFingerprints.last()];
    }
    int renamed = 0;
    int ambiguous = 0;
    for (qsizetype i = 0; i < identities.size(); ++i) {
        const QString &fingerprint = listedFingerprints.at(i);
        if (!m_stale.contains(fingerprint))
            continue;
        if (listedCount.value(fingerprint) != 1) {
            ++ambiguous;
            continue;
        }
        const QString oldUid = m_stale.take(fingerprint);
        if (Result r = m_store.renameUid(account, oldUid, identities.at(i).message.uid); !r) {
            onFailed(r);
            return;
        }
        ++renamed;
    }
    qCInfo(lcPass).noquote() << QStringLiteral("%1: recognised %2 known messages under new UIDs"
                                               "%3")
                                    .arg(account)
                                    .arg(renamed)
                                    .arg(ambiguous ? QStringLiteral("; %1 listed messages share a "
                                                                    "fingerprint and are fetched "
                                                                    "again")
                                                         .arg(ambiguous)
                                                   : QString());
    m_state = State::Listing;
    proceed(m_listed);
}

void PollPass::proceed(const QList<RemoteMessage> &messages)
{
    const QString &account = m_settings.account.name;
    QSet<QString> known;
    if (Result r = m_store.knownUids(account, known); !r) {
        onFailed(r);
        return;
    }
    QSet<QString> onServer;
    onServer.reserve(messages.size());
    for (const RemoteMessage &m : messages) {
        onServer.insert(m.uid);
        m_onServer.insert(m.uid, m);
    }
    if (Result r = m_store.markVanished(account, onServer); !r) {
        onFailed(r);
        return;
    }
    // Messages the server refused before wait for their next try (backoff), so that one
    // broken message is neither asked for every pass nor in the way of the others.
    QList<RetrievalRefusal> waiting;
    if (Result r = m_store.forgetRefusals(account, onServer); !r) {
        onFailed(r);
        return;
    }
    if (Result r = m_store.refusalsWaiting(account, waiting); !r) {
        onFailed(r);
        return;
    }
    QHash<QString, RetrievalRefusal> held;
    for (const RetrievalRefusal &refusal : std::as_const(waiting))
        held.insert(refusal.uid, refusal);
    QList<RemoteMessage> fresh;
    for (const RemoteMessage &m : messages) {
        if (known.contains(m.uid))
            continue;
        const auto it = held.constFind(m.uid);
        if (it == held.cend()) {
            fresh.append(m);
            continue;
        }
        m_waiting.append(*it);
        qCInfo(lcPass).noquote() << QStringLiteral(
                                        "%1: UID %2, refused %3 times, is not asked for before %4")
                                        .arg(account, m.uid)
                                        .arg(it->refusals)
                                        .arg(it->notBefore.toString(Qt::ISODate));
    }
    const qsizetype newCount = fresh.size();
    if (fresh.size() > m_settings.maxPerPass) {
        fresh = fresh.mid(0, m_settings.maxPerPass);
        m_more = true;
    }
    if (!applySpoolLimit(fresh, newCount))
        return;
    m_total = int(fresh.size());
    qCInfo(lcPass).noquote() << QStringLiteral(
                                    "%1: %2 messages on the server, %3 new, %4 this pass")
                                    .arg(account)
                                    .arg(messages.size())
                                    .arg(newCount)
                                    .arg(fresh.size());
    emit progress(0, m_total);
    if (fresh.isEmpty()) {
        applyRetention();
        return;
    }
    // Recipients are decided by the delivery stage (routing), not here.
    m_sink = std::make_unique<SpoolSink>(m_spool, m_store, account, QStringList());
    m_sink->onBatchCommitted = [this](int n) { emit batchCommitted(n); };
    m_state = State::Retrieving;
    m_client->retrieve(fresh, m_sink.get());
}

bool PollPass::applySpoolLimit(QList<RemoteMessage> &fresh, qsizetype newCount)
{
    const qint64 limit = m_settings.spoolLimitBytes;
    if (limit <= 0 || fresh.isEmpty())
        return true;
    qint64 waiting = 0;
    if (Result r = m_store.waitingBytes(waiting); !r) {
        onFailed(r);
        return false;
    }
    // Oldest first, as listed. A message larger than the whole limit still comes when
    // nothing else waits: otherwise it could never be collected.
    qint64 planned = waiting;
    qsizetype take = 0;
    while (take < fresh.size()) {
        const qint64 size = qMax<qint64>(0, fresh.at(take).size);
        if (planned + size > limit && planned > 0)
            break;
        planned += size;
        ++take;
    }
    if (take == fresh.size())
        return true;
    const int left = int(newCount - take);
    fresh = fresh.mid(0, take);
    m_more = false; // not before deliveries make room: the next pass comes on schedule
    qCWarning(lcPass).noquote()
        << QStringLiteral("%1: spool limit reached (%2 of %3 bytes waiting for the office "
                          "server): %4 new messages stay on the server")
               .arg(m_settings.account.name)
               .arg(waiting)
               .arg(limit)
               .arg(left);
    emit spoolLimitReached(left, waiting, limit);
    return true;
}

// The client refused a message as not provably complete (ContentCount), or the server would
// not return it: it is neither stored nor recorded, so it stays on the server and no
// retention applies to it; the pass goes on with the others and ends with an error that
// names it. The refusal is recorded: the message is asked for again after a backoff.
void PollPass::onRefused(const RemoteMessage &message, const Result &reason)
{
    const QString &account = m_settings.account.name;
    const bool incomplete = reason.code() == ErrorCode::Integrity;
    (incomplete ? m_refused : m_unreturned).append(message.uid);
    RetrievalRefusal refusal;
    const Result recorded =
        m_store.recordRefusal(account, message.uid, reason.message(),
                              qint64(qMax(1, m_settings.pollIntervalSecs)) * 1000, refusal);
    const QString retry = recorded ? QStringLiteral("refused %1 times, next try not before %2")
                                         .arg(refusal.refusals)
                                         .arg(refusal.notBefore.toString(Qt::ISODate))
                                   : QStringLiteral("tried again next pass");
    qCWarning(lcPass).noquote() << (incomplete
                                        ? QStringLiteral("%1: refused UID %2 (%3): %4")
                                        : QStringLiteral(
                                              "%1: the server would not return UID %2 (%3): %4"))
                                       .arg(account, message.uid, retry, reason.message());
    if (!recorded) // not lost: it stays on the server and is asked for without a backoff
        qCWarning(lcPass).noquote() << account << recorded.message();
    emit progress(++m_done, m_total);
}

// The server would not mark this message for removal (POP3 -ERR to DELE), or did not
// confirm it gone (IMAP): it stays on the server, unrecorded as removed, and the next pass
// asks again; the removals that succeeded are committed all the same.
void PollPass::onRemovalRefused(const RemoteMessage &message, const Result &reason)
{
    m_removalRefused.append(message.uid);
    qCWarning(lcPass).noquote()
        << QStringLiteral("%1: the server would not remove UID %2; it stays there and is tried "
                          "again next pass: %3")
               .arg(m_settings.account.name, message.uid, reason.message());
}

void PollPass::onRetrieved()
{
    if (Result r = m_sink->flush(); !r) {
        m_client->abort();
        finish(r);
        return;
    }
    applyRetention();
}

// A message is removed only if it can be the one collected under its UID: a server that
// lists another message under a known UID (a reused UIDL, a rebuilt mailbox) would
// otherwise have it deleted unread. Every reading of a stored copy's size (ContentCount)
// lies between half of it less 2 and the whole of it; a listed size outside that range is
// another message, left on the server and named in the log.
bool PollPass::keepChangedMessages()
{
    QHash<QString, qint64> stored;
    if (Result r = m_store.storedSizes(m_settings.account.name, stored); !r) {
        onFailed(r);
        return false;
    }
    QStringList keep;
    for (const QString &uid : std::as_const(m_removing)) {
        const qint64 listed = m_onServer.value(uid).size;
        const qint64 size = stored.value(uid, -1);
        if (size < 0 || (listed <= size && listed >= size / 2 - 2))
            continue;
        keep << uid;
        qCWarning(lcPass).noquote()
            << QStringLiteral("%1: the server lists a message of %2 bytes under UID %3, which "
                              "was collected with %4 bytes: another message under a known UID; "
                              "it is not removed")
                   .arg(m_settings.account.name)
                   .arg(listed)
                   .arg(uid)
                   .arg(size);
    }
    for (const QString &uid : std::as_const(keep))
        m_removing.removeAll(uid);
    return true;
}

void PollPass::applyRetention()
{
    const AccountConfig &a = m_settings.account;
    QSet<QString> onServer;
    for (auto it = m_onServer.cbegin(); it != m_onServer.cend(); ++it)
        onServer.insert(it.key());
    if (Result r = m_store.removalCandidates(a.name, a.retention, a.keepDays, onServer, m_removing);
        !r) {
        onFailed(r);
        return;
    }
    if (!m_removing.isEmpty() && !keepChangedMessages())
        return;
    if (m_removing.isEmpty()) {
        m_state = State::Closing;
        m_client->close();
        return;
    }
    QList<RemoteMessage> list;
    list.reserve(m_removing.size());
    for (const QString &uid : std::as_const(m_removing))
        list.append(m_onServer.value(uid));
    m_state = State::Removing;
    m_client->remove(list);
}

void PollPass::onClosed(bool removalsCommitted)
{
    // Only what the server confirmed gone is recorded removed; the rest is asked again.
    QStringList removed;
    for (const QString &uid : std::as_const(m_removing))
        if (!m_removalRefused.contains(uid))
            removed.append(uid);
    if (removalsCommitted && !removed.isEmpty()) {
        if (Result r = m_store.markRemoved(m_settings.account.name, removed); !r) {
            finish(r);
            return;
        }
        qCInfo(lcPass).noquote() << QStringLiteral("%1: removed %2 messages from the server")
                                        .arg(m_settings.account.name)
                                        .arg(removed.size());
    } else if (!removed.isEmpty()) {
        // POP3: QUIT answered -ERR. Nothing is lost (every message is in the spool); the
        // server keeps them and the next pass asks again.
        qCWarning(lcPass).noquote()
            << QStringLiteral("%1: the server did not confirm the removal of %2 messages; they "
                              "stay on the server and are removed in a later pass")
                   .arg(m_settings.account.name)
                   .arg(removed.size());
    }
    finish(Result::success());
}

void PollPass::onFailed(const Result &error)
{
    if (m_state == State::Done)
        return;
    if (retryLogin(error))
        return;
    if (m_oauth && m_state == State::Opening && error.code() == ErrorCode::AuthFailed) {
        if (m_client)
            m_client->abort();
        finish(error.withMessage(QStringLiteral("mailbox login for account %1: %2")
                                     .arg(m_settings.account.name, error.message())));
        return;
    }
    if (m_client)
        m_client->abort();
    // Messages that arrived completely before the failure are kept: make them durable so
    // the next pass does not fetch them again.
    if (m_sink) {
        if (Result r = m_sink->flush(); !r)
            qCWarning(lcPass).noquote() << m_settings.account.name << r.message();
    }
    finish(error);
}

// What the provider refused this pass, added to the result: the pass is an error (the tray
// shows it) for as long as a message stays on the server that should have come or gone.
Result PollPass::withRefusals(const Result &result) const
{
    const QString uidList = QStringLiteral(" (UIDs %1)");
    QStringList notes;
    ErrorCode code = ErrorCode::None;
    if (!m_refused.isEmpty()) {
        notes << QStringLiteral("%1 messages not provably complete were refused and stay on the "
                                "server")
                         .arg(m_refused.size()) +
                     uidList.arg(m_refused.join(QStringLiteral(", ")));
        code = ErrorCode::Integrity;
    }
    if (!m_unreturned.isEmpty())
        notes << QStringLiteral("%1 messages the server would not return; the others were "
                                "collected")
                         .arg(m_unreturned.size()) +
                     uidList.arg(m_unreturned.join(QStringLiteral(", ")));
    if (!m_waiting.isEmpty()) {
        QStringList uids;
        QDateTime next;
        for (const RetrievalRefusal &refusal : m_waiting) {
            uids << refusal.uid;
            if (!next.isValid() || refusal.notBefore < next)
                next = refusal.notBefore;
        }
        notes << QStringLiteral("%1 messages refused before stay on the server until their next "
                                "try, the first not before %2")
                         .arg(m_waiting.size())
                         .arg(next.toString(Qt::ISODate)) +
                     uidList.arg(uids.join(QStringLiteral(", ")));
    }
    if (!m_removalRefused.isEmpty())
        notes << QStringLiteral("%1 messages could not be removed from the server; tried again "
                                "next pass")
                         .arg(m_removalRefused.size()) +
                     uidList.arg(m_removalRefused.join(QStringLiteral(", ")));
    if (notes.isEmpty())
        return result;
    if (code == ErrorCode::None)
        code = ErrorCode::ServerError;
    const QString said = notes.join(QStringLiteral("; "));
    return result.ok() ? Result::failure(code, said)
                       : result.withMessage(result.message() + QStringLiteral("; ") + said);
}

void PollPass::finish(const Result &result)
{
    if (m_state == State::Done)
        return;
    m_state = State::Done;
    const int collected = m_sink ? m_sink->committed() : 0;
    // Messages beyond the per-pass maximum still come at once after refusals, as long as a
    // pass collects something: the refused ones stay where they are, the others move on.
    const bool anyRefused = !m_refused.isEmpty() || !m_unreturned.isEmpty();
    const bool more = m_more && result.ok() && (!anyRefused || collected > 0);
    const Result outcome = withRefusals(result);
    rememberMailboxState(outcome.ok());
    if (m_passId) {
        if (Result r = m_store.finishPass(m_passId, collected, outcome); !r)
            qCWarning(lcPass).noquote() << m_settings.account.name << r.message();
    }
    if (!outcome.ok())
        qCWarning(lcPass).noquote()
            << QStringLiteral("%1: pass failed: %2: %3")
                   .arg(m_settings.account.name, errorCodeName(outcome.code()), outcome.message());
    emit finished(outcome, collected, more);
}

} // namespace pollux
