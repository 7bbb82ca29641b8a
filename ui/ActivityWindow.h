#pragma once

#include "ActivityLoader.h"

#include <QSet>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTimer;

namespace pollux::ui {

class HistoryChart;
class MessagesModel;
class PassesModel;
class QuarantineModel;

// The activity window: per account the last passes, a searchable list of recent messages,
// the quarantine folders with Retry and Delete, and a chart of the last 30 days (collected,
// delivered, refused per day, of one account or all). Everything is read in a worker thread.
class ActivityWindow : public QWidget
{
    Q_OBJECT
public:
    explicit ActivityWindow(QWidget *parent = nullptr);

    void setLocation(const QString &databasePath, const QString &spoolDir);
    // Refreshes soon (several calls in a row make one refresh).
    void scheduleRefresh();

    PassesModel *passesModel() const { return m_passes; }
    MessagesModel *messagesModel() const { return m_messages; }
    QuarantineModel *quarantineModel() const { return m_quarantine; }
    QSortFilterProxyModel *messagesView() const { return m_messageFilter; }
    QLineEdit *searchEdit() const { return m_search; }
    QTableView *quarantineTable() const { return m_quarantineTable; }
    QTabWidget *tabs() const { return m_tabs; }
    HistoryChart *historyChart() const { return m_chart; }
    QComboBox *historyAccountBox() const { return m_historyAccount; }
    QLabel *historyTotals() const { return m_historyTotals; }
    const ActivityHistory &history() const { return m_history; }

public slots:
    void refresh();
    // Deletes the selected quarantined files after asking.
    void deleteSelectedQuarantine();
    // Asks the engine to deliver the selected refused messages again.
    void retrySelectedQuarantine();

signals:
    void refreshed();
    // With every load: (account, uid) of the messages waiting after a 4xx and of the
    // refused ones, as the database has them.
    void backlogLoaded(const QList<pollux::ActivityQueries::MessageKey> &deferred,
                       const QList<pollux::ActivityQueries::MessageKey> &refused);
    void retryRequested(qint64 messageId);
    // A refused message the store knows: the engine deletes its file and keeps the record.
    void discardRequested(qint64 messageId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onLoaded(const ActivitySnapshot &snapshot);
    void updateButtons();
    void showHistory();

    ActivityLoader *m_loader;
    QString m_spoolDir;
    QTimer *m_timer;
    QTabWidget *m_tabs;
    PassesModel *m_passes;
    QSortFilterProxyModel *m_passFilter;
    QComboBox *m_account;
    MessagesModel *m_messages;
    QSortFilterProxyModel *m_messageFilter;
    QLineEdit *m_search;
    QuarantineModel *m_quarantine;
    QTableView *m_quarantineTable;
    QList<QTableView *> m_tables;
    QPushButton *m_retry;
    QPushButton *m_delete;
    QLabel *m_status;
    HistoryChart *m_chart;
    QComboBox *m_historyAccount;
    QLabel *m_historyTotals;
    ActivityHistory m_history;
    QSet<QTableView *> m_sized; // tables whose columns were sized to their contents
};

} // namespace pollux::ui
