#include "AccountsModel.h"

#include <QBrush>
#include <QColor>

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
    if (role == Qt::ToolTipRole && index.column() == Status && m_status.contains(a.name))
        return m_status.value(a.name).text;
    if (role == Qt::ForegroundRole) {
        if (!a.enabled)
            return QBrush(QColor(0x80, 0x80, 0x80));
        if (index.column() == Status && m_status.value(a.name).failed)
            return QBrush(QColor(0xb0, 0x00, 0x20));
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
    case Status:
        if (!a.enabled)
            return tr("disabled");
        return m_status.contains(a.name) ? m_status.value(a.name).text : tr("not polled yet");
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
