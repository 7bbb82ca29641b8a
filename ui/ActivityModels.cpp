#include "ActivityModels.h"

#include "HumanTerms.h"

#include "ErrorText.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>
#include <QLocale>

namespace pollux::ui {

namespace {
QString when(const QDateTime &t)
{
    if (!t.isValid())
        return QStringLiteral("—");
    return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
}
QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("—") : s;
}
} // namespace

// --- PassesModel ---

void PassesModel::setPasses(const QList<PassRecord> &passes)
{
    beginResetModel();
    m_passes = passes;
    endResetModel();
}

int PassesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_passes.size());
}

int PassesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PassesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_passes.size())
        return {};
    const PassRecord &p = m_passes.at(index.row());
    const bool failed = p.errorCode != ErrorCode::None;
    if (role == Qt::ForegroundRole && failed && index.column() == Outcome)
        return QBrush(QColor(0xb0, 0x00, 0x20));
    if (role == Qt::ToolTipRole && index.column() == Outcome && failed)
        return ErrorText::describe(Result::failure(p.errorCode, p.errorMessage));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Account:
        return p.account;
    case Started:
        return when(p.started);
    case Duration:
        if (!p.finished.isValid())
            return tr("running or cut short");
        return tr("%n second(s)", "", int(qMax<qint64>(0, p.started.secsTo(p.finished))));
    case Collected:
        return p.collected;
    case Outcome:
        if (!failed)
            return tr("OK");
        if (p.errorMessage.isEmpty())
            return ErrorText::sentence(Result::failure(p.errorCode, p.errorMessage));
        return tr("%1 (%2)").arg(ErrorText::sentence(Result::failure(p.errorCode, p.errorMessage)),
                                 ErrorText::detail(Result::failure(p.errorCode, p.errorMessage)));
    }
    return {};
}

QVariant PassesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Account:
        return tr("Account");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Collected:
        return tr("Collected");
    case Outcome:
        return tr("Result");
    }
    return {};
}

// --- MessagesModel ---

void MessagesModel::setMessages(const QList<ActivityMessage> &messages)
{
    beginResetModel();
    m_messages = messages;
    endResetModel();
}

QString MessagesModel::stateText(DeliveryState state)
{
    switch (state) {
    case DeliveryState::Waiting:
        return tr("waiting");
    case DeliveryState::Deferred:
        return tr("will retry");
    case DeliveryState::Delivered:
        return tr("delivered");
    case DeliveryState::Failed:
        return tr("refused (quarantine)");
    case DeliveryState::Duplicate:
        return tr("duplicate (not delivered again)");
    }
    return {};
}

int MessagesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

int MessagesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessagesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_messages.size())
        return {};
    const ActivityMessage &m = m_messages.at(index.row());
    const MessageRecord &r = m.record;
    if (role == Qt::ForegroundRole && index.column() == State &&
        (r.state == DeliveryState::Failed || r.state == DeliveryState::Deferred))
        return QBrush(QColor(0xb0, 0x00, 0x20));
    if (role == Qt::UserRole && index.column() == State)
        return int(r.state);
    if (role == Qt::ToolTipRole && index.column() == State && r.state == DeliveryState::Deferred)
        return tr("Next attempt: %1").arg(when(r.nextAttempt));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case When:
        return when(r.deliveredAt.isValid() ? r.deliveredAt : r.firstSeen);
    case Account:
        return r.account;
    case From:
        return orDash(m.from);
    case Subject:
        return orDash(m.subject);
    case Size:
        return QLocale().formattedDataSize(r.size);
    case Recipients:
        return orDash(r.recipients.join(QStringLiteral(", ")));
    case State:
        return stateText(r.state);
    case Reply:
        return orDash(r.lastReply);
    case Uid:
        return r.uid;
    }
    return {};
}

QVariant MessagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case Account:
        return tr("Account");
    case From:
        return tr("From");
    case Subject:
        return tr("Subject");
    case Size:
        return tr("Size");
    case Recipients:
        return tr("Recipients");
    case State:
        return tr("State");
    case Reply:
        return tr("Server's reply");
    case Uid:
        return tr("UID");
    }
    return {};
}

// --- QuarantineModel ---

void QuarantineModel::setEntries(const QList<QuarantineEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

int QuarantineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int QuarantineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QuarantineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const QuarantineEntry &e = m_entries.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Folder)
        return HumanTerms::quarantineFolderHelp(e.folder);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Folder:
        return HumanTerms::quarantineFolder(e.folder); // "Too large (TOOLARGE)"
    case Modified:
        return when(e.modified);
    case From:
        return orDash(e.from);
    case Subject:
        return orDash(e.subject);
    case Size:
        return QLocale().formattedDataSize(e.size);
    case File:
        return QFileInfo(e.absolutePath).fileName();
    }
    return {};
}

QVariant QuarantineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Folder:
        return tr("Folder");
    case Modified:
        return tr("Refused");
    case From:
        return tr("From");
    case Subject:
        return tr("Subject");
    case Size:
        return tr("Size");
    case File:
        return tr("File");
    }
    return {};
}

} // namespace pollux::ui
