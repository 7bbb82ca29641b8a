#pragma once

#include "config/Config.h"
#include "engine/AlertText.h"
#include "store/Store.h"
#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPair>
#include <QTimer>

#include <memory>

namespace pollux {

class Clock;
class Spool;

// Alerts by e-mail (docs/RELIABILITY.md, "Alerts"): watches what the engine reports and
// mails the postmaster (and Config::alerts.extraAddress) when
//  - a mailbox has been failing for alerts.failingThresholdMinutes ("failing"),
//  - an OAuth2 mailbox needs a new sign-in ("sign-in"),
//  - a collected message was quarantined ("quarantine"; an event, no recovered mail),
//  - the spool limit was reached ("spool"),
//  - the office server was unusable for alerts.officeOutageMinutes or longer ("office";
//    one mail when it works again - through it - with the outage's start and end; nothing
//    is queued while it is down).
// Each condition (per account where it applies) is mailed at most once a day (a daily
// reminder while it lasts), and a "recovered" mail follows when a condition that was mailed
// clears. The state is in the store (Store::AlertState): a restart neither repeats nor
// forgets. The mails are ordinary queued messages (MessageKind::Alert, null sender), written
// to the spool and recorded like the postmaster notices, and delivered by the delivery
// stage: queued() asks it to.
// Lives in the delivery thread (its own Store connection and Spool on the same files).
class AlertTracker : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        Config config; // alerts, postmaster, language, spool limit, HELO name
        QString databasePath;
        QString spoolDir;
        int tickMs = 60 * 1000; // how often evaluate() runs by itself; 0: never
    };

    AlertTracker(const Settings &settings, Clock *clock, QObject *parent = nullptr);
    ~AlertTracker() override;

    // Opens the store (quick check: the delivery stage checked it fully) and reads the
    // state. Before it, every event is ignored.
    Result start();
    void stop();
    bool isStarted() const { return m_store != nullptr; }

    // The engine's signals.
    void passFinished(const QString &account, const pollux::Result &result);
    void signInState(const QString &account, bool needed, const QString &detail);
    void quarantined(const QString &account, const QString &uid, const QString &reply,
                     const QString &folder);
    void spoolLimitReached(const QString &account, int leftOnServer, qint64 waitingBytes,
                           qint64 limitBytes);
    void deliveryError(const pollux::Result &error);
    void delivered(const QString &account, const QString &uid);
    // Queues a test alert now (not limited to once a day; the General page's "Send a test
    // alert"). False when it could not be queued (no address, not started, storage).
    bool sendTest();
    // Thresholds passed and reminders due without a new event; whether the spool has room.
    void evaluate();

    // Where the program stands (tests, inspection): the state of a condition.
    Store::AlertState state(const QString &condition, const QString &account = QString()) const;

    static constexpr qint64 kOncePerMs = qint64(24) * 3600 * 1000; // once a day
    // The spool counts as having room again below this share of the limit (no flapping).
    static constexpr double kSpoolRoomShare = 0.9;

signals:
    void queued(); // an alert mail is durable in the spool and recorded

private:
    using Key = QPair<QString, QString>; // condition, account
    Store::AlertState &at(const QString &condition, const QString &account);
    bool mayMail(const Store::AlertState &s) const;
    // Queues one mail about `s`; `suffix` tells the mails of one episode apart (the UID
    // "alert #<condition>-<since>-<suffix>" is known after a crash: never made twice).
    bool mail(const Store::AlertState &s, const QString &suffix, const AlertText::Text &text);
    void save(const Store::AlertState &s);
    void clear(Store::AlertState &s);
    void checkFailing(Store::AlertState &s);
    void checkSpoolRoom();
    QStringList recipients() const;
    static QString encodeDetail(ErrorCode code, const QString &message);
    static ErrorCode detailCode(const QString &detail);
    static QString detailMessage(const QString &detail);

    Settings m_settings;
    Clock *m_clock;
    std::unique_ptr<AlertText> m_text; // made in start(), in the thread that uses it
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Spool> m_spool;
    QHash<Key, Store::AlertState> m_states;
    qint64 m_lastSpoolLimit = 0;
    bool m_warnedNoAddress = false;
    QTimer m_timer;
};

} // namespace pollux
