#include "AccountPoller.h"

#include "engine/ClockJump.h"
#include "engine/Log.h"
#include "engine/OAuthAccess.h"
#include "imap/ImapIdleWatcher.h"
#include "oauth/TokenSource.h"
#include "secrets/SecretStore.h"
#include "store/Spool.h"
#include "store/Store.h"
#include "util/Clock.h"

namespace pollux {

AccountPoller::AccountPoller(const Settings &settings, SecretStore *secrets, Clock *clock,
                             QObject *parent)
    : QObject(parent), m_settings(settings), m_secrets(secrets), m_clock(clock), m_timer(this)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &AccountPoller::onTimer);
    if (isOAuth2(m_settings.pass.account.signIn)) {
        m_oauth = new OAuthAccess(m_settings.pass.account, m_secrets, this);
        connect(m_oauth, &OAuthAccess::refreshExpiryStated, this, [this](const QDateTime &at) {
            if (m_store && m_openError) {
                if (Result r = m_store->setRefreshExpiry(account(), at); !r)
                    qCWarning(lcEngine).noquote() << account() << r.message();
            }
            const bool changed = !m_signIn.refreshExpiresAt.isValid() ||
                                 qAbs(m_signIn.refreshExpiresAt.secsTo(at)) > 60;
            m_signIn.refreshExpiresAt = at;
            if (changed)
                emitSignInState();
        });
    }
}

AccountPoller::~AccountPoller()
{
    stop();
}

void AccountPoller::start()
{
    openStore();
    if (m_oauth) {
        loadSignInState();
        emitSignInState();
    }
    if (m_settings.schedule || m_pending) {
        m_pending = false;
        runPass();
    }
    if (m_settings.schedule && m_settings.pass.account.idle && isImap(m_settings.pass.account.type))
        startIdle();
}

// A second connection waits in IMAP IDLE; new mail starts a pass at once.
void AccountPoller::startIdle()
{
    QPointer<AccountPoller> self(this);
    auto begin = [self](Result r, QString password) {
        if (!self || self->m_stopped || self->m_idle)
            return;
        if (!r) {
            qCWarning(lcPass).noquote()
                << self->account() << QStringLiteral("IDLE:") << r.message();
            return;
        }
        imap::ImapIdleWatcher::Settings settings;
        settings.renewMs = self->m_settings.idleRenewMs;
        self->m_idle = new imap::ImapIdleWatcher(settings, self);
        connect(self->m_idle, &imap::ImapIdleWatcher::newMail, self, &AccountPoller::pollNow);
        if (self->m_oauth) {
            // Its reconnections reuse the access token it started with: once the mailbox
            // refuses it (expired), stop, and start again with the fresh token of the next
            // pass that logs in (once a pass, never a loop against the provider).
            connect(self->m_idle, &imap::ImapIdleWatcher::connectionFailed, self,
                    [raw = self.data()](const Result &error) {
                        if (error.code() != ErrorCode::AuthFailed || !raw->m_idle)
                            return;
                        qCInfo(lcPass).noquote()
                            << QStringLiteral("%1: IDLE: the mailbox refused its access token; "
                                              "IDLE starts again after the next pass")
                                   .arg(raw->account());
                        raw->m_idle->deleteLater();
                        raw->m_idle = nullptr;
                    });
        }
        self->m_idle->start(PollPass::mailboxOptions(self->m_settings.pass, password));
    };
    if (m_oauth) {
        // The access token of the moment: the watcher's renewals reuse it, so IDLE lasts
        // as long as the token does; the scheduled passes go on with fresh ones.
        m_oauth->accessToken(
            [begin](const Result &r, const QString &token, bool) { begin(r, token); });
        return;
    }
    m_secrets->read(secretKey(SecretKind::Account, account()), begin);
}

void AccountPoller::pollNow()
{
    if (m_stopped)
        return;
    if (m_pass) {
        m_pending = true;
        return;
    }
    unschedule();
    runPass();
}

void AccountPoller::stop()
{
    m_stopped = true;
    unschedule();
    delete m_idle;
    if (m_pass) {
        m_pass->disconnect(this);
        m_pass->cancel();
        delete m_pass;
    }
}

// Times are 64-bit milliseconds: an interval in seconds times 1000 overflows an int past
// 24.8 days (4294968 s became 704 ms), and a QTimer takes an int, so a long wait runs as a
// chain of timers of at most kMaxTimerMs.
void AccountPoller::scheduleIn(qint64 ms)
{
    ms = qMax<qint64>(0, ms);
    m_nextPassDue = (m_clock ? m_clock->now() : QDateTime::currentDateTimeUtc()).addMSecs(ms);
    const qint64 first = qMin(ms, kMaxTimerMs);
    m_waitAfterTimerMs = ms - first;
    m_timer.start(int(first));
    emit nextPass(account(), m_nextPassDue);
}

void AccountPoller::onTimer()
{
    if (m_waitAfterTimerMs > 0) {
        const qint64 next = qMin(m_waitAfterTimerMs, kMaxTimerMs);
        m_waitAfterTimerMs -= next;
        m_timer.start(int(next));
        return;
    }
    m_nextPassDue = QDateTime();
    emit nextPass(account(), m_nextPassDue);
    runPass(false);
}

void AccountPoller::unschedule()
{
    m_timer.stop();
    m_waitAfterTimerMs = 0;
    const bool was = m_nextPassDue.isValid();
    m_nextPassDue = QDateTime();
    if (was)
        emit nextPass(account(), m_nextPassDue);
}

QDateTime AccountPoller::nextPassDue() const
{
    return m_nextPassDue;
}

qint64 AccountPoller::msUntilNextPass() const
{
    if (!m_timer.isActive())
        return -1;
    return qMax(0, m_timer.remainingTime()) + m_waitAfterTimerMs;
}

void AccountPoller::openStore()
{
    m_store = std::make_unique<Store>(m_settings.databasePath, m_clock);
    m_spool = std::make_unique<Spool>(m_settings.spoolDir);
    // The delivery thread ran the full integrity check before any poller starts.
    m_openError = m_store->open(Store::Check::Quick);
    if (m_openError)
        m_openError = m_spool->init();
}

// Keep-days counts the time that passed (Store::advanceElapsed), recorded once per pass of
// each account; the first reading after a jump of the wall clock logs it, with both clocks.
void AccountPoller::noteElapsedTime()
{
    ElapsedReading reading;
    if (Result r = m_store->advanceElapsed(reading); !r)
        qCWarning(lcEngine).noquote() << account() << r.message();
    else if (const QString jump = clockJumpMessage(reading); !jump.isEmpty())
        qCWarning(lcEngine).noquote() << jump;
}

void AccountPoller::runPass(bool asked)
{
    if (m_stopped || m_pass)
        return;
    if (!m_store) { // "poll now" before start() opened the store: run once it has
        m_pending = true;
        return;
    }
    const QString name = account();
    if (m_oauth && m_signIn.needed && !asked) {
        // The provider refused the stored sign-in: do not ask it again every pass (it may
        // count the attempts). Only a new refresh token in the keychain (the keychain, not
        // the provider, is asked) makes a scheduled pass try; else say so and wait for
        // signedIn() or "poll now".
        if (m_refusedFingerprint.isEmpty()) {
            skipPass(name);
            return;
        }
        QPointer<AccountPoller> self(this);
        m_secrets->read(
            secretKey(SecretKind::OAuth2Refresh, name), [self, name](Result, QString stored) {
                if (!self || self->m_stopped || self->m_pass)
                    return;
                if (oauth::TokenSource::fingerprint(stored) == self->m_refusedFingerprint) {
                    self->skipPass(name);
                    return;
                }
                qCInfo(lcPass).noquote() << QStringLiteral("%1: a new sign-in is in the "
                                                           "keychain; trying it")
                                                .arg(name);
                self->runPass(true);
            });
        return;
    }
    emit passStarted(name);
    // The database could not be opened (e.g. another program held it locked past the busy
    // timeout): try again, each pass, rather than failing until the next start.
    if (!m_openError)
        openStore();
    if (!m_openError) {
        qCWarning(lcPass).noquote()
            << QStringLiteral("%1: pass failed: %2: %3")
                   .arg(name, errorCodeName(m_openError.code()), m_openError.message());
        emit passFinished(name, m_openError, 0);
        if (m_settings.schedule)
            scheduleIn(intervalMs());
        return;
    }
    noteElapsedTime();
    m_pass = new PollPass(m_settings.pass, *m_spool, *m_store, m_secrets, this);
    m_pass->setOAuthAccess(m_oauth);
    connect(m_pass, &PollPass::progress, this,
            [this, name](int done, int total) { emit progress(name, done, total); });
    connect(m_pass, &PollPass::batchCommitted, this,
            [this, name](int n) { emit batchCommitted(name, n); });
    connect(m_pass, &PollPass::spoolLimitReached, this,
            [this, name](int left, qint64 waiting, qint64 limit) {
                emit spoolLimitReached(name, left, waiting, limit);
            });
    connect(m_pass, &PollPass::finished, this, &AccountPoller::onPassFinished);
    m_pass->start();
}

void AccountPoller::onPassFinished(const Result &result, int collected, bool more)
{
    bool gotToken = false;
    if (m_pass) {
        gotToken = m_pass->gotAccessToken();
        m_pass->deleteLater();
        m_pass = nullptr;
    }
    if (m_oauth)
        noteSignInOutcome(result, gotToken);
    if (m_oauth && result.ok() && !m_idle && !m_stopped && m_settings.schedule &&
        m_settings.pass.account.idle && isImap(m_settings.pass.account.type))
        startIdle(); // with the token this pass logged in with (see startIdle)
    emit passFinished(account(), result, collected);
    if (m_stopped)
        return;
    if (m_pending) {
        m_pending = false;
        QMetaObject::invokeMethod(
            this, [this] { runPass(true); }, Qt::QueuedConnection);
    } else if (m_settings.schedule) {
        scheduleIn(more ? 0 : intervalMs());
    }
}

void AccountPoller::skipPass(const QString &name)
{
    const Result waiting =
        m_signIn.detail.isEmpty()
            ? OAuthAccess::tokenFailure(m_settings.pass.account, oauth::OAuthError::InvalidGrant,
                                        QString())
            : Result::failure(ErrorCode::SignInNeeded, m_signIn.detail);
    qCInfo(lcPass).noquote() << QStringLiteral("%1: pass skipped: %2").arg(name, waiting.message());
    emit passStarted(name);
    emit passFinished(name, waiting, 0);
    if (m_settings.schedule)
        scheduleIn(intervalMs());
}

void AccountPoller::loadSignInState()
{
    if (!m_openError)
        return;
    if (Result r = m_store->signInState(account(), m_signIn); !r)
        qCWarning(lcEngine).noquote() << account() << r.message();
}

void AccountPoller::emitSignInState()
{
    emit signInState(account(), m_signIn.needed, m_signIn.refreshExpiresAt, m_signIn.detail);
}

// Sign-in needed when the token layer said so; cleared by a pass that got an access token
// (a sign-in stored by another process, e.g. "pollux account signin", then "poll now").
void AccountPoller::noteSignInOutcome(const Result &result, bool gotToken)
{
    const bool needed = result.code() == ErrorCode::SignInNeeded;
    if (needed) {
        if (m_signIn.needed && m_signIn.detail == result.message())
            return;
    } else if (!m_signIn.needed || !gotToken) {
        return;
    }
    m_signIn.needed = needed;
    m_signIn.detail = needed ? result.message() : QString();
    m_refusedFingerprint = needed ? m_oauth->refusedFingerprint() : QByteArray();
    if (m_store && m_openError) {
        if (Result r = m_store->setSignInNeeded(account(), needed, m_signIn.detail); !r)
            qCWarning(lcEngine).noquote() << account() << r.message();
    }
    emitSignInState();
}

void AccountPoller::signedIn(const QDateTime &refreshExpiresAt)
{
    if (m_oauth)
        m_oauth->reset();
    m_signIn.needed = false;
    m_signIn.detail.clear();
    m_refusedFingerprint.clear();
    m_signIn.refreshExpiresAt = refreshExpiresAt;
    if (m_store && m_openError) {
        if (Result r = m_store->setSignInNeeded(account(), false, QString()); !r)
            qCWarning(lcEngine).noquote() << account() << r.message();
        if (Result r = m_store->setRefreshExpiry(account(), refreshExpiresAt); !r)
            qCWarning(lcEngine).noquote() << account() << r.message();
    }
    emitSignInState();
    pollNow();
}

} // namespace pollux
