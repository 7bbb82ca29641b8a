#pragma once

#include "config/Config.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>

namespace pollux::ui {

// The list of Polled POP3 Hosts: server, user, type, mailbox type, last pass; the first
// column's check box enables or disables the account.
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
        Status,
        ColumnCount
    };

    explicit AccountsModel(QObject *parent = nullptr);

    void setAccounts(const QList<AccountConfig> &accounts);
    const QList<AccountConfig> &accounts() const { return m_accounts; }
    const AccountConfig &account(int row) const { return m_accounts.at(row); }
    void append(const AccountConfig &account);
    void replace(int row, const AccountConfig &account);
    void remove(int row);
    // The status column: the last pass's outcome per account name.
    void setStatus(const QString &account, const QString &text, bool failed);
    // OAuth2 accounts: the engine's word on the stored sign-in (Engine::signInState).
    // needed: the status says "Sign-in needed" until the account signs in again. An expiry
    // within expiryWarningDays shows a warning ("sign-in expires on <date>").
    void setSignInState(const QString &account, bool needed, const QDateTime &expiresAt,
                        const QString &detail);
    bool signInNeeded(const QString &account) const;
    QDateTime signInExpiresAt(const QString &account) const;
    static constexpr int expiryWarningDays = 14;

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
    struct AccountStatus
    {
        QString text;
        bool failed = false;
    };
    struct SignInState
    {
        bool needed = false;
        QDateTime expiresAt;
        QString detail;
    };
    QString signInNote(const AccountConfig &a) const; // the expiry warning, or empty
    QList<AccountConfig> m_accounts;
    QHash<QString, AccountStatus> m_status;
    QHash<QString, SignInState> m_signIn;
};

} // namespace pollux::ui
