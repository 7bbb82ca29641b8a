#pragma once

#include "ActivityLoader.h"

#include <QAbstractTableModel>

namespace pollux::ui {

// The last passes: account, when, how many, the outcome.
class PassesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Account,
        Started,
        Duration,
        Collected,
        Outcome,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;
    void setPasses(const QList<PassRecord> &passes);
    const PassRecord &pass(int row) const { return m_passes.at(row); }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<PassRecord> m_passes;
};

// Recent messages: when, account, from, subject, size, recipients, state, server's reply.
class MessagesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        When,
        Account,
        From,
        Subject,
        Size,
        Recipients,
        State,
        Reply,
        Uid,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;
    void setMessages(const QList<ActivityMessage> &messages);
    const ActivityMessage &message(int row) const { return m_messages.at(row); }
    static QString stateText(DeliveryState state);
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ActivityMessage> m_messages;
};

// The files in quarantine/BADMAIL and quarantine/TOOLARGE.
class QuarantineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Folder,
        Modified,
        From,
        Subject,
        Size,
        File,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;
    void setEntries(const QList<QuarantineEntry> &entries);
    const QuarantineEntry &entry(int row) const { return m_entries.at(row); }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<QuarantineEntry> m_entries;
};

} // namespace pollux::ui
