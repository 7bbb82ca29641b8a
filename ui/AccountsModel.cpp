#include "AccountsModel.h"

#include "ErrorText.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace pollux::ui {

QString shortTimeText(const QDateTime &when)
{
    const QDateTime local = when.toLocalTime();
    return local.date() == QDate::currentDate()
               ? QLocale().toString(local.time(), QLocale::ShortFormat)
               : QLocale().toString(local, QLocale::ShortFormat);
}

AccountsModel::State AccountsModel::stateFor(const Result &result)
{
    switch (result.code()) {
    case ErrorCode::None:
        return State::Ok;
    case ErrorCode::SignInNeeded:
        return State::SignInNeeded;
    case ErrorCode::AuthFailed:
        return State::RefusedLogin;
    case ErrorCode::HostNotFound:
    case ErrorCode::ConnectionRefused:
    case ErrorCode::Network:
    case ErrorCode::Timeout:
        return State::CannotConnect;
    case ErrorCode::Tls:
        return State::NotSecure;
    case ErrorCode::Secrets:
        return ErrorText::isMissingSecret(result) ? State::PasswordMissing : State::NoKeychain;
    case ErrorCode::ServerError:
        return State::ServerError;
    case ErrorCode::Protocol:
    case ErrorCode::LineTooLong:
        return State::UnexpectedReply;
    case ErrorCode::TemporaryFailure:
        return State::ServerBusy;
    case ErrorCode::Integrity:
        return State::Incomplete;
    case ErrorCode::Storage:
        return State::CannotStore;
    case ErrorCode::Config:
        return State::BadSettings;
    case ErrorCode::Cancelled:
        return State::Stopped;
    }
    return State::ServerError;
}

QString AccountsModel::stateText(State state)
{
    switch (state) {
    case State::SignInNeeded:
        return tr("Sign-in needed");
    case State::RefusedLogin:
        return tr("Refused login");
    case State::CannotConnect:
        return tr("Cannot connect");
    case State::NotSecure:
        return tr("Secure connection failed");
    case State::PasswordMissing:
        return tr("Password missing");
    case State::NoKeychain:
        return tr("Keychain unavailable");
    case State::ServerError:
        return tr("Server error");
    case State::UnexpectedReply:
        return tr("Unexpected reply");
    case State::ServerBusy:
        return tr("Server busy");
    case State::Incomplete:
        return tr("Message incomplete");
    case State::CannotStore:
        return tr("Cannot store mail");
    case State::BadSettings:
        return tr("Settings invalid");
    case State::Stopped:
        return tr("Stopped");
    case State::Ok:
        return tr("OK");
    case State::Checking:
        return tr("Checking…");
    case State::NotChecked:
        return tr("Not checked yet");
    case State::Disabled:
        return tr("Disabled");
    case State::Paused:
        return tr("Paused");
    }
    return {};
}

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

void AccountsModel::changedAccount(const QString &account)
{
    for (int row = 0; row < m_accounts.size(); ++row) {
        if (m_accounts.at(row).name == account)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

void AccountsModel::changedAll()
{
    if (!m_accounts.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_accounts.size()) - 1, ColumnCount - 1));
}

void AccountsModel::setPassResult(const QString &account, const Result &result, int collected,
                                  const QDateTime &when)
{
    PassState &p = m_passes[account];
    p.result = result;
    p.collected = collected;
    p.when = when;
    p.known = true;
    if (result.ok() && (!p.lastSuccess.isValid() || p.lastSuccess < when))
        p.lastSuccess = when;
    m_polling.remove(account);
    changedAccount(account);
}

QDateTime AccountsModel::lastPass(const QString &account) const
{
    const auto it = m_passes.constFind(account);
    return it != m_passes.cend() && it->known ? it->when : QDateTime();
}

void AccountsModel::setLastSuccess(const QString &account, const QDateTime &when)
{
    PassState &p = m_passes[account];
    if (when.isValid() && (!p.lastSuccess.isValid() || p.lastSuccess < when)) {
        p.lastSuccess = when;
        changedAccount(account);
    }
}

QDateTime AccountsModel::lastSuccess(const QString &account) const
{
    return m_passes.value(account).lastSuccess;
}

void AccountsModel::setPolling(const QString &account, bool polling)
{
    if (m_polling.value(account) == polling)
        return;
    if (polling)
        m_polling.insert(account, true);
    else
        m_polling.remove(account);
    changedAccount(account);
}

void AccountsModel::setNextPass(const QString &account, const QDateTime &when)
{
    if (when.isValid())
        m_nextPass.insert(account, when);
    else
        m_nextPass.remove(account);
    changedAccount(account);
}

void AccountsModel::setWaiting(const QMap<QString, int> &waitingByAccount)
{
    m_waiting.clear();
    for (auto it = waitingByAccount.cbegin(); it != waitingByAccount.cend(); ++it)
        if (it.value() > 0)
            m_waiting.insert(it.key(), it.value());
    changedAll();
}

void AccountsModel::restarted()
{
    m_polling.clear();
    m_nextPass.clear();
    changedAll();
}

void AccountsModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused)
        m_polling.clear();
    changedAll();
}

void AccountsModel::setSignInState(const QString &account, bool needed, const QDateTime &expiresAt,
                                   const QString &detail)
{
    m_signIn.insert(account, {needed, expiresAt, detail});
    changedAccount(account);
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

AccountsModel::State AccountsModel::state(int row) const
{
    const AccountConfig &a = m_accounts.at(row);
    if (!a.enabled)
        return State::Disabled;
    if (isOAuth2(a.signIn) && m_signIn.value(a.name).needed)
        return State::SignInNeeded; // also while paused: it waits for the user
    if (m_paused)
        return State::Paused;
    if (m_polling.value(a.name))
        return State::Checking;
    const PassState p = m_passes.value(a.name);
    if (!p.known)
        return State::NotChecked;
    return stateFor(p.result);
}

QString AccountsModel::explanation(int row) const
{
    if (row < 0 || row >= m_accounts.size())
        return {};
    const AccountConfig &a = m_accounts.at(row);
    const PassState p = m_passes.value(a.name);
    const State s = state(row);
    QStringList lines;
    switch (s) {
    case State::Disabled:
        lines << tr("%1 is disabled: Pollux does not collect its mail. Tick its box to collect "
                    "it again.")
                     .arg(a.name);
        break;
    case State::Paused:
        lines << tr("Pollux is paused: no mailbox is checked until you choose “Resume” in the "
                    "tray menu.");
        break;
    case State::SignInNeeded: {
        QString detail = m_signIn.value(a.name).detail;
        if (detail.isEmpty() && p.result.code() == ErrorCode::SignInNeeded)
            detail = p.result.message();
        lines << tr("Sign-in needed: the provider no longer accepts the sign-in of %1. Choose "
                    "“Sign in again”; mail stays on the server until then.")
                     .arg(a.name);
        if (!detail.isEmpty())
            lines << tr("The provider said: %1").arg(detail);
        break;
    }
    case State::Checking:
        lines << tr("Pollux is checking %1 now.").arg(a.name);
        break;
    case State::NotChecked:
        lines << tr("Pollux has not checked %1 yet.").arg(a.name);
        break;
    case State::Ok:
        lines << tr("The last pass, at %1, collected %n message(s).", "", p.collected)
                     .arg(shortTimeText(p.when));
        break;
    default:
        lines << ErrorText::describe(p.result);
        if (p.when.isValid())
            lines << tr("Last tried at %1.").arg(shortTimeText(p.when));
        break;
    }
    if (isProblem(s) && s != State::SignInNeeded)
        lines << (p.lastSuccess.isValid()
                      ? tr("Last successful pass: %1.").arg(shortTimeText(p.lastSuccess))
                      : tr("No successful pass yet."));
    if (const int n = m_waiting.value(a.name); n > 0)
        lines << tr("%n message(s) from this mailbox wait for delivery to the office server.", "",
                    n);
    if (const QDateTime next = m_nextPass.value(a.name);
        next.isValid() && a.enabled && !m_paused && s != State::Checking)
        lines << tr("Next pass: %1.").arg(shortTimeText(next));
    if (!signInNote(a).isEmpty())
        lines << tr("The sign-in expires on %1: sign in again before then.")
                     .arg(QLocale().toString(m_signIn.value(a.name).expiresAt.toLocalTime().date(),
                                             QLocale::ShortFormat));
    return lines.join(QLatin1Char('\n'));
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
    const State s = state(index.row());
    if (role == Qt::CheckStateRole && index.column() == Server)
        return a.enabled ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == Server)
        return a.enabled ? tr("%1 is polled; clear the box to pause it.").arg(a.name)
                         : tr("%1 is disabled; tick the box to poll it.").arg(a.name);
    if (role == Qt::ToolTipRole && index.column() == Status)
        return explanation(index.row());
    if (role == Qt::ToolTipRole && index.column() == Waiting && m_waiting.value(a.name) > 0)
        return tr("%n message(s) wait for delivery to the office server.", "",
                  m_waiting.value(a.name));
    if (role == Qt::ForegroundRole) {
        if (!a.enabled)
            return QBrush(QColor(0x80, 0x80, 0x80));
        if (index.column() == Status && isProblem(s))
            return QBrush(QColor(0xb0, 0x00, 0x20));
        if ((index.column() == Status && !signInNote(a).isEmpty()) ||
            (index.column() == Waiting && m_waiting.value(a.name) > 0))
            return QBrush(QColor(0x9a, 0x5b, 0x00)); // a warning, not (yet) a failure
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() == Waiting)
        return int(Qt::AlignRight | Qt::AlignVCenter);
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
        const QString note = s == State::Ok ? signInNote(a) : QString();
        return note.isEmpty() ? stateText(s) : tr("%1; %2").arg(stateText(s), note);
    }
    case LastSuccess: {
        const QDateTime when = m_passes.value(a.name).lastSuccess;
        return when.isValid() ? shortTimeText(when) : tr("—");
    }
    case Waiting:
        return QLocale().toString(m_waiting.value(a.name));
    case NextPass: {
        if (s == State::Checking)
            return tr("now");
        const QDateTime next = m_nextPass.value(a.name);
        return next.isValid() && a.enabled && !m_paused ? shortTimeText(next) : tr("—");
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
        return tr("State");
    case LastSuccess:
        return tr("Last successful pass");
    case Waiting:
        return tr("Waiting");
    case NextPass:
        return tr("Next pass");
    }
    return {};
}

} // namespace pollux::ui
