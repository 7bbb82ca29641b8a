#pragma once

#include "TrayIcons.h"
#include "config/Config.h"
#include "util/Result.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace pollux {
class Engine;
namespace control {
class ControlClient;
}
} // namespace pollux

namespace pollux::ui {

// The tray icon: its icon shows the engine's state (idle, polling, error, paused) and its
// tooltip one line of what matters most now (summary()); its menu has Poll now,
// Pause/Resume, Settings..., Activity... and Quit. It only shows state; it owns no logic of
// the engine. The details (every problem, every note: details()) belong to the windows.
//
// The summary, by priority: the service not running; not set up yet (no office server or
// no mailbox: setConfig()); paused; the spool or database not writable; the office server
// failing (with the messages waiting); other errors; mailboxes that need a sign-in, cannot
// connect, refused the login... (grouped by their short state, AccountsModel::State); the
// spool limit; refused messages; a pass running; then "All n mailboxes OK". At most
// kMaxToolTipLength characters (Windows' limit), names shortened to fit.
//
// It keeps each kind of problem apart, each with its own clearing rule:
//  - an account whose pass failed (cleared by that account's next successful pass);
//  - the office server failing (Engine::deliveryError; cleared by the next delivery);
//  - the spool or database not writable (Engine::storageError; cleared by a successful
//    pass or a delivery, both write the store);
//  - an account whose pass left new mail on its server because the spool limit is reached
//    (Engine::spoolLimitReached; cleared when that account's next pass starts);
//  - any other error (onError(), e.g. the engine could not start; cleared by a successful
//    pass).
// These make the state Error. Messages waiting after a temporary refusal and messages the
// office server refused are shown as lines of their own but do not: the activity window
// handles them.
// An OAuth2 account whose sign-in the provider no longer accepts (Engine::signInState, or a
// pass that failed with ErrorCode::SignInNeeded) shows "Sign-in needed" with a "Sign in
// again" menu entry until the engine says it is signed in again; a sign-in that expires
// within 14 days is a line of its own. Other accounts are not affected.
// A desktop notification tells when a problem starts and when an account or the office
// server recovers - not on every pass - and names each refused message.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    using State = TrayState;

    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    // Follows every signal of the engine the tray shows (call once per engine).
    void watch(pollux::Engine *engine);
    // The same for a Pollux service the tray is attached to (its events are the engine's).
    void watch(pollux::control::ControlClient *service);

    // Where the engine runs: here (Local), in a service the tray is attached to (Attached),
    // or in a service that stopped answering (Down: shown as a problem; Poll now and Pause
    // wait for it).
    enum class Service
    {
        Local,
        Attached,
        Down,
    };
    void setService(Service service);
    Service service() const { return m_service; }

    void show();
    bool isVisible() const;
    State state() const;
    // The tooltip: summary(), at most kMaxToolTipLength characters.
    QString toolTip() const;
    static constexpr int kMaxToolTipLength = 127;
    // One line of what matters most now (see the class comment).
    QString summary() const;
    // Every line the window may show: the state, problems(), notes(), the service.
    QString details() const;
    QAction *pollNowAction() const { return m_pollNow; }
    QAction *pauseAction() const { return m_pause; }
    QAction *settingsAction() const { return m_settings; }
    QAction *activityAction() const { return m_activity; }
    QAction *quitAction() const { return m_quit; }
    QMenu *menu() const { return m_menu; }
    // Accounts whose last pass failed.
    QStringList failingAccounts() const { return m_failing.keys(); }
    // The tooltip's error lines ("Pollux: error: ..."), one per current problem.
    QStringList problems() const;
    // The tooltip's other lines about mail: messages waiting for or refused by the office
    // server.
    QStringList notes() const;
    bool officeServerFailing() const { return !m_officeError.isEmpty(); }
    // Since when it fails (local time; invalid while it works).
    QDateTime officeServerFailingSince() const { return m_officeSince; }
    // A service's snapshot says since when it fails (local time).
    void setOfficeServerFailingSince(const QDateTime &since);
    // The office server's last error could not reach it (host not found, refused, timeout).
    bool officeServerUnreachable() const;
    bool storageFailing() const { return !m_storageError.isEmpty(); }
    // Accounts whose last pass stopped at the spool limit.
    QStringList spoolLimitedAccounts() const { return m_spoolLimit.keys(); }
    // Messages waiting for the office server: every one, tried or not, once the engine
    // counted them (setWaitingCounts); before that those waiting after a temporary refusal.
    int waitingCount() const;
    // Of one account (0 when none or not counted yet).
    int waitingCount(const QString &account) const;
    int refusedCount() const { return int(m_refused.size()); }
    // OAuth2 accounts that wait for "Sign in again".
    QStringList signInNeededAccounts() const { return m_signInNeeded.keys(); }
    // The menu's "Sign in again: <account>" entries, one per such account.
    QList<QAction *> signInActions() const { return m_signInActions; }

public slots:
    void onPassStarted(const QString &account);
    void onPassProgress(const QString &account, int done, int total);
    void onPassFinished(const QString &account, const pollux::Result &result, int collected);
    void onDeliveryError(const pollux::Result &error);
    void onStorageError(const pollux::Result &error);
    void onDelivered(const QString &account, const QString &uid, const QString &reply);
    void onDeferred(const QString &account, const QString &uid, const QString &reply);
    void onQuarantined(const QString &account, const QString &uid, const QString &reply);
    void onSpoolLimitReached(const QString &account, int leftOnServer, qint64 waitingBytes,
                             qint64 limitBytes);
    void onSignInState(const QString &account, bool needed, const QDateTime &refreshExpiresAt,
                       const QString &detail);
    // Any other error (the engine could not start): shown until a pass succeeds.
    void onError(const pollux::Result &error);
    void setPaused(bool paused);
    // The configuration in use: "Not set up yet" without an office server or a mailbox;
    // the number of enabled mailboxes for "All n mailboxes OK". Never called: not known.
    void setConfig(const pollux::Config &config);
    // What waits for the office server per account, tried or not (Engine::waitingCounted,
    // control::Snapshot::waitingByAccount); replaces the counts. Until the next count a
    // delivery or refusal counts one less; what a pass collected counts from the next count
    // on (the engine counts shortly after each pass: its messages may be delivered already).
    void setWaitingCounts(const QMap<QString, int> &waitingByAccount);
    // Forgets everything.
    void reset();
    // What the database says waits after a 4xx and was refused, at start: the tray counts
    // it too (the engine only reports what happens from now on). Only the first call
    // counts; a message delivered or refused since start is not taken back.
    void seedBacklog(const QList<QPair<QString, QString>> &deferred,
                     const QList<QPair<QString, QString>> &refused);
    // The engine restarted with these accounts (new settings, Resume): the old passes end
    // silently and accounts that are gone will not report again - forget those; keep what
    // is still true (messages waiting or refused, an office server or storage problem, the
    // failures of accounts that remain), each cleared by its own rule as before.
    void restarted(const QStringList &accounts);
    // A service's snapshot: what waits and was refused there now (replaces the counts).
    void replaceBacklog(const QList<QPair<QString, QString>> &deferred,
                        const QList<QPair<QString, QString>> &refused);

signals:
    void pollNowRequested();
    void pauseRequested(bool paused);
    void settingsRequested();
    // "Sign in again: <account>" was chosen: open the settings on that account's sign-in.
    void signInRequested(const QString &account);
    void activityRequested();
    void quitRequested();
    // Emitted with every desktop notification (also where no tray can show it).
    void notified(const QString &title, const QString &message);
    // Anything shown changed (the office server, the counts, the summary).
    void changed();

private:
    using MessageKey = QPair<QString, QString>; // account, uid
    struct SpoolLimit
    {
        int leftOnServer = 0;
        qint64 limitBytes = 0;
    };

    void update();
    void notify(const QString &title, const QString &message, bool problem);
    void storeWritten();
    void setSignInNeeded(const QString &account, bool needed, const QString &detail);
    void updateSignInActions();
    QString stateLine() const; // details(): the first line
    QString problemSummary() const;
    void countOneLess(const QString &account);

    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    QAction *m_pollNow;
    QAction *m_pause;
    QAction *m_settings;
    QAction *m_activity;
    QAction *m_quit;
    bool m_paused = false;
    Service m_service = Service::Local;
    bool m_seeded = false;
    QSet<MessageKey> m_deliveredSinceStart;   // until seeded
    QSet<MessageKey> m_quarantinedSinceStart; // until seeded
    QMap<QString, QString> m_running;         // account -> progress text
    QMap<QString, QString> m_failing;         // account -> what went wrong
    QString m_officeError;                    // the office server fails: what it said
    QString m_storageError;                   // the spool or database cannot be written
    QString m_otherError;                     // onError()
    QMap<QString, SpoolLimit> m_spoolLimit;   // account -> its last pass at the limit
    QSet<QString> m_spoolLimitNotified;       // accounts told about the limit
    QSet<MessageKey> m_waiting;               // deferred after a temporary failure
    QString m_lastDeferReply;
    QSet<MessageKey> m_refused; // quarantined
    QDateTime m_lastSuccess;
    QDateTime m_officeSince; // local time
    ErrorCode m_officeCode = ErrorCode::None;
    QMap<QString, Result> m_failingResult; // account -> its failed pass
    bool m_configKnown = false;
    bool m_setUp = false; // an office server and at least one mailbox
    int m_mailboxes = 0;  // enabled ones
    bool m_countsKnown = false;
    QMap<QString, int> m_waitingCounts;      // account -> waiting, tried or not
    QMap<QString, QString> m_signInNeeded;   // account -> the provider's words
    QMap<QString, QDateTime> m_signInExpiry; // account -> its refresh token's expiry
    QList<QAction *> m_signInActions;
};

// Runs the tray application until Quit; returns the exit status.
int runTrayApp(const QString &configPath, const QString &keychainService);

} // namespace pollux::ui
