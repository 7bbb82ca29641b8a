#pragma once

#include "engine/PollPass.h"
#include "store/Store.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace pollux {

namespace imap {
class ImapIdleWatcher;
}
class Clock;
class OAuthAccess;
class SecretStore;
class Spool;
class Store;

// Polls one account on a schedule, in its own thread. Passes never overlap: "poll now"
// during a pass queues exactly one more pass. After a pass that stopped at the per-pass
// maximum, the next pass starts at once.
class AccountPoller : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        PollPass::Settings pass;
        QString databasePath;
        QString spoolDir;
        int pollIntervalSecs = 300;
        bool schedule = true; // false: passes only when asked (--once)
        // IMAP IDLE (account option "idle", with schedule): renewed this often.
        int idleRenewMs = 25 * 60 * 1000;
    };

    AccountPoller(const Settings &settings, SecretStore *secrets, Clock *clock,
                  QObject *parent = nullptr);
    ~AccountPoller() override;

    Q_INVOKABLE void start();
    Q_INVOKABLE void pollNow();
    Q_INVOKABLE void stop();
    // An interactive sign-in stored a new refresh token: forgets "sign-in needed" and the
    // cached access token, records the refresh token's expiry (invalid: not stated), emits
    // signInState() and polls now. In the poller's thread.
    void signedIn(const QDateTime &refreshExpiresAt);
    bool signInNeeded() const { return m_signIn.needed; }

    QString account() const { return m_settings.pass.account.name; }

    // The next scheduled pass: when it is due by the injected clock (invalid when none is
    // scheduled), and how long the timers will wait for it (-1 when none is scheduled).
    // In the poller's thread.
    QDateTime nextPassDue() const;
    qint64 msUntilNextPass() const;

    // One QTimer runs at most this long (its interval is an int); longer waits are chained.
    static constexpr qint64 kMaxTimerMs = qint64(24) * 3600 * 1000;

signals:
    void passStarted(const QString &account);
    void progress(const QString &account, int done, int total);
    void batchCommitted(const QString &account, int messages);
    void passFinished(const QString &account, const pollux::Result &result, int collected);
    void spoolLimitReached(const QString &account, int leftOnServer, qint64 waitingBytes,
                           qint64 limitBytes);
    // OAuth2 accounts: after start() (from the store) and whenever the state changes.
    void signInState(const QString &account, bool needed, const QDateTime &refreshExpiresAt,
                     const QString &detail);
    // Whenever nextPassDue() changes: when the next scheduled pass is due (invalid: none is
    // scheduled, e.g. while a pass runs or after stop()).
    void nextPass(const QString &account, const QDateTime &when);

private:
    void openStore(); // sets m_openError
    // asked: a start or "poll now", not the schedule. While sign-in is needed only an asked
    // pass asks the token endpoint; a scheduled one reports the state without a request.
    void runPass(bool asked = true);
    void loadSignInState();
    void noteSignInOutcome(const Result &result, bool gotToken);
    void emitSignInState();
    void skipPass(const QString &name); // sign-in needed, nothing new in the keychain
    void noteElapsedTime();
    void startIdle();
    void onPassFinished(const Result &result, int collected, bool more);
    void scheduleIn(qint64 ms); // the next pass, in 64-bit milliseconds
    void onTimer();
    void unschedule();
    qint64 intervalMs() const { return qMax<qint64>(0, m_settings.pollIntervalSecs) * 1000; }

    Settings m_settings;
    SecretStore *m_secrets;
    Clock *m_clock;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Spool> m_spool;
    QPointer<PollPass> m_pass;
    QTimer m_timer;
    qint64 m_waitAfterTimerMs = 0; // what remains of the wait when m_timer fires
    QDateTime m_nextPassDue;
    QPointer<imap::ImapIdleWatcher> m_idle;
    bool m_pending = false;
    bool m_stopped = false;
    Result m_openError;
    OAuthAccess *m_oauth = nullptr; // OAuth2 accounts; lives as long as the poller
    SignInRecord m_signIn;
    // The refresh token refused when sign-in became needed (TokenSource::fingerprint()):
    // a scheduled pass runs only when the keychain holds another one (a sign-in made by
    // another process, e.g. "pollux account signin"). Empty: unknown, the pass is skipped.
    QByteArray m_refusedFingerprint;
};

} // namespace pollux
