#pragma once

#include "engine/PollPass.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace pollux {

namespace imap {
class ImapIdleWatcher;
}
class Clock;
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

    QString account() const { return m_settings.pass.account.name; }

signals:
    void passStarted(const QString &account);
    void progress(const QString &account, int done, int total);
    void batchCommitted(const QString &account, int messages);
    void passFinished(const QString &account, const pollux::Result &result, int collected);
    void spoolLimitReached(const QString &account, int leftOnServer, qint64 waitingBytes,
                           qint64 limitBytes);

private:
    void openStore(); // sets m_openError
    void runPass();
    void startIdle();
    void onPassFinished(const Result &result, int collected, bool more);

    Settings m_settings;
    SecretStore *m_secrets;
    Clock *m_clock;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Spool> m_spool;
    QPointer<PollPass> m_pass;
    QTimer m_timer;
    QPointer<imap::ImapIdleWatcher> m_idle;
    bool m_pending = false;
    bool m_stopped = false;
    Result m_openError;
};

} // namespace pollux
