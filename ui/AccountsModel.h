#pragma once

#include "config/Config.h"
#include "util/Result.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QMap>

namespace pollux::ui {

// The list of Polled POP3 Hosts: server, user, type, mailbox type; per mailbox a short state
// (OK, Sign-in needed, Cannot connect, Refused login, Paused...), the last successful pass,
// the messages waiting for the office server and the next pass. The first column's check
// box enables or disables the account. explanation() has the whole story of one mailbox
// for the details pane.
class AccountsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Server,
        User,
        Type,
        Mailbox,
        Status, // the short state
        LastSuccess,
        Waiting,
        NextPass,
        ColumnCount
    };

    // A mailbox's short state. The problems come first, most urgent first (the tray
    // summary groups them in this order).
    enum class State
    {
        SignInNeeded,
        RefusedLogin,
        CannotConnect,
        NotSecure, // TLS handshake or certificate
        PasswordMissing,
        NoKeychain,
        ServerError,
        UnexpectedReply, // protocol, overlong line
        ServerBusy,      // a temporary failure
        Incomplete,      // a message not provably complete
        CannotStore,
        BadSettings,
        Stopped,
        // not problems
        Ok,
        Checking,
        NotChecked,
        Disabled,
        Paused,
    };
    static State stateFor(const Result &result); // of a finished pass
    static QString stateText(State state);
    static bool isProblem(State state) { return int(state) < int(State::Ok); }

    explicit AccountsModel(QObject *parent = nullptr);

    void setAccounts(const QList<AccountConfig> &accounts);
    const QList<AccountConfig> &accounts() const { return m_accounts; }
    const AccountConfig &account(int row) const { return m_accounts.at(row); }
    void append(const AccountConfig &account);
    void replace(int row, const AccountConfig &account);
    void remove(int row);

    // A pass of the account ended at `when` (local time) with `result`, having collected
    // `collected` messages; a successful one is the last successful pass.
    void setPassResult(const QString &account, const Result &result, int collected,
                       const QDateTime &when);
    // A successful pass the database remembers (at start): kept if newer than the one known.
    void setLastSuccess(const QString &account, const QDateTime &when);
    // A pass runs now ("Checking…").
    void setPolling(const QString &account, bool polling);
    // The next scheduled pass (invalid: none).
    void setNextPass(const QString &account, const QDateTime &when);
    // Messages waiting for the office server per account, tried or not (replaces all).
    void setWaiting(const QMap<QString, int> &waitingByAccount);
    // The engine (re)started: no pass runs and none is scheduled until it says so.
    void restarted();
    // The engine is paused: every enabled mailbox shows "Paused".
    void setPaused(bool paused);
    // OAuth2 accounts: the engine's word on the stored sign-in (Engine::signInState).
    // needed: the status says "Sign-in needed" until the account signs in again. An expiry
    // within expiryWarningDays shows a warning ("sign-in expires on <date>").
    void setSignInState(const QString &account, bool needed, const QDateTime &expiresAt,
                        const QString &detail);
    bool signInNeeded(const QString &account) const;
    QDateTime signInExpiresAt(const QString &account) const;
    static constexpr int expiryWarningDays = 14;

    State state(int row) const;
    int waiting(const QString &account) const { return m_waiting.value(account); }
    QDateTime lastSuccess(const QString &account) const;
    bool isPolling(const QString &account) const { return m_polling.value(account); }
    // When the account's last pass result shown was taken (invalid: none yet).
    QDateTime lastPass(const QString &account) const;
    QDateTime nextPass(const QString &account) const { return m_nextPass.value(account); }
    // The whole explanation of the row's state, for the details pane (several lines).
    QString explanation(int row) const;

    static QString typeText(ServerType type);
    static QString mailboxText(MailboxType type);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void edited(); // the user changed something (enabled flag, list)

private:
    struct PassState
    {
        Result result;
        int collected = 0;
        QDateTime when;
        QDateTime lastSuccess;
        bool known = false; // a pass ended
    };
    struct SignInState
    {
        bool needed = false;
        QDateTime expiresAt;
        QString detail;
    };
    QString signInNote(const AccountConfig &a) const; // the expiry warning, or empty
    void changedAccount(const QString &account);
    void changedAll();
    QList<AccountConfig> m_accounts;
    QHash<QString, PassState> m_passes;
    QHash<QString, SignInState> m_signIn;
    QHash<QString, bool> m_polling;
    QHash<QString, QDateTime> m_nextPass;
    QMap<QString, int> m_waiting;
    bool m_paused = false;
};

// A time for the lists: the time alone today, else the date too (local time).
QString shortTimeText(const QDateTime &when);

} // namespace pollux::ui
