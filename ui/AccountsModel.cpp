#include "AccountsModel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace pollux::ui {

AccountsModel::AccountsModel(QObject *parent) : QAbstractTableModel(parent) {}

void AccountsModel::setAccounts(const QList<AccountConfig> &accounts)
{
    beginResetModel();
    m_accounts = accounts;
    endResetModel();
}

void AccountsModel::append(const AccountConfig &account)
{
    beginInsertRows({}, int(m_accounts.size()), int(m_accounts.size()));
    m_accounts << account;
    endInsertRows();
    emit edited();
}

void AccountsModel::replace(int row, const AccountConfig &account)
{
    m_accounts[row] = account;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit edited();
}

void AccountsModel::remove(int row)
{
    beginRemoveRows({}, row, row);
    m_accounts.removeAt(row);
    endRemoveRows();
    emit edited();
}

void AccountsModel::setStatus(const QString &account, const QString &text, bool failed)
{
    m_status.insert(account, {text, failed});
    for (int row = 0; row < m_accounts.size(); ++row) {
        if (m_accounts.at(row).name == account)
            emit dataChanged(index(row, Status), index(row, Status));
    }
}

void AccountsModel::setSignInState(const QString &account, bool needed, const QDateTime &expiresAt,
                                   const QString &detail)
{
    m_signIn.insert(account, {needed, expiresAt, detail});
    for (int row = 0; row < m_accounts.size(); ++row) {
        if (m_accounts.at(row).name == account)
            emit dataChanged(index(row, Status), index(row, Status));
    }
}

bool AccountsModel::signInNeeded(const QString &account) const
{
    return m_signIn.value(account).needed;
}

QDateTime AccountsModel::signInExpiresAt(const QString &account) const
{
    return m_signIn.value(account).expiresAt;
}

QString AccountsModel::signInNote(const AccountConfig &a) const
{
    const SignInState s = m_signIn.value(a.name);
    if (!a.needsInteractiveSignIn() || s.needed || !s.expiresAt.isValid() ||
        QDateTime::currentDateTimeUtc().secsTo(s.expiresAt) > qint64(expiryWarningDays) * 86400)
        return {};
    return tr("sign-in expires on %1")
        .arg(QLocale().toString(s.expiresAt.toLocalTime().date(), QLocale::ShortFormat));
}

QString AccountsModel::typeText(ServerType type)
{
    switch (type) {
    case ServerType::Pop3:
        return tr("POP3");
    case ServerType::Pop3Ssl:
        return tr("POP3-SSL");
    case ServerType::Imap:
        return tr("IMAP");
    case ServerType::ImapSsl:
        return tr("IMAP-SSL");
    }
    return {};
}

QString AccountsModel::mailboxText(MailboxType type)
{
    switch (type) {
    case MailboxType::SingleUser:
        return tr("Single user");
    case MailboxType::CatchAll:
        return tr("Catch-all");
    case MailboxType::CatchAllReroute:
        return tr("Catch-all, re-route unknown");
    }
    return {};
}

int AccountsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_accounts.size());
}

int AccountsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccountsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_accounts.size())
        return {};
    const AccountConfig &a = m_accounts.at(index.row());
    if (role == Qt::CheckStateRole && index.column() == Server)
        return a.enabled ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == Server)
        return a.enabled ? tr("%1 is polled; clear the box to pause it.").arg(a.name)
                         : tr("%1 is disabled; tick the box to poll it.").arg(a.name);
    const bool signInNeeded = isOAuth2(a.signIn) && m_signIn.value(a.name).needed;
    if (role == Qt::ToolTipRole && index.column() == Status && a.enabled && signInNeeded) {
        const QString detail = m_signIn.value(a.name).detail;
        const QString text = tr("Sign-in needed: the provider no longer accepts the sign-in of "
                                "%1. Choose “Sign in again”; mail stays on the server until "
                                "then.")
                                 .arg(a.name);
        return detail.isEmpty() ? text : tr("%1 (%2)").arg(text, detail);
    }
    if (role == Qt::ToolTipRole && index.column() == Status && m_status.contains(a.name)) {
        const QString note = signInNote(a);
        return note.isEmpty() ? m_status.value(a.name).text
                              : tr("%1; %2").arg(m_status.value(a.name).text, note);
    }
    if (role == Qt::ForegroundRole) {
        if (!a.enabled)
            return QBrush(QColor(0x80, 0x80, 0x80));
        if (index.column() == Status && (signInNeeded || m_status.value(a.name).failed))
            return QBrush(QColor(0xb0, 0x00, 0x20));
        if (index.column() == Status && !signInNote(a).isEmpty())
            return QBrush(QColor(0x9a, 0x5b, 0x00)); // a warning, not (yet) a failure
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Server:
        return tr("%1:%2").arg(a.host).arg(a.port);
    case User:
        return a.username;
    case Type:
        return typeText(a.type);
    case Mailbox:
        return a.mailbox == MailboxType::SingleUser ? tr("Single user → %1").arg(a.recipient)
                                                    : mailboxText(a.mailbox);
    case Status: {
        if (!a.enabled)
            return tr("disabled");
        if (signInNeeded)
            return tr("Sign-in needed");
        const QString text =
            m_status.contains(a.name) ? m_status.value(a.name).text : tr("not polled yet");
        const QString note = signInNote(a);
        return note.isEmpty() ? text : tr("%1; %2").arg(text, note);
    }
    }
    return {};
}

bool AccountsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole || index.column() != Server)
        return false;
    m_accounts[index.row()].enabled = value.toInt() == Qt::Checked;
    emit dataChanged(index.siblingAtColumn(0), index.siblingAtColumn(ColumnCount - 1));
    emit edited();
    return true;
}

Qt::ItemFlags AccountsModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.column() == Server)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant AccountsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Server:
        return tr("Server");
    case User:
        return tr("User");
    case Type:
        return tr("Type");
    case Mailbox:
        return tr("Mailbox type");
    case Status:
        return tr("Last pass");
    }
    return {};
}

} // namespace pollux::ui
