#include "ActivityWindow.h"

#include "ActivityModels.h"
#include "ErrorText.h"
#include "FitScrollArea.h"
#include "HistoryChart.h"
#include "MessageBox.h"
#include "TrayIcons.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTime>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace pollux::ui {

namespace {
QTableView *makeTable(QAbstractItemModel *model)
{
    auto *view = new QTableView;
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSortingEnabled(false);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    return view;
}
} // namespace

ActivityWindow::ActivityWindow(QWidget *parent)
    : QWidget(parent, Qt::Window), m_loader(new ActivityLoader(this)), m_timer(new QTimer(this)),
      m_tabs(new QTabWidget), m_passes(new PassesModel(this)),
      m_passFilter(new QSortFilterProxyModel(this)), m_account(new QComboBox),
      m_messages(new MessagesModel(this)), m_messageFilter(new QSortFilterProxyModel(this)),
      m_search(new QLineEdit), m_quarantine(new QuarantineModel(this)),
      m_retry(new QPushButton(tr("Retry"))), m_delete(new QPushButton(tr("Delete…"))),
      m_status(new QLabel), m_chart(new HistoryChart), m_historyAccount(new QComboBox),
      m_historyTotals(new QLabel)
{
    setWindowTitle(tr("Pollux activity"));
    setWindowIcon(trayStateIcon(TrayState::Idle));
    m_timer->setSingleShot(true);
    m_timer->setInterval(300);
    connect(m_timer, &QTimer::timeout, this, &ActivityWindow::refresh);
    connect(m_loader, &ActivityLoader::loaded, this, &ActivityWindow::onLoaded);

    // Passes.
    m_passFilter->setSourceModel(m_passes);
    m_passFilter->setFilterKeyColumn(PassesModel::Account);
    m_account->addItem(tr("All accounts"), QString());
    connect(m_account, &QComboBox::currentIndexChanged, this, [this] {
        const QString account = m_account->currentData().toString();
        m_passFilter->setFilterRegularExpression(
            account.isEmpty()
                ? QString()
                : QLatin1Char('^') + QRegularExpression::escape(account) + QLatin1Char('$'));
    });
    auto *passesPage = new QWidget;
    auto *passesTop = new QHBoxLayout;
    passesTop->addWidget(new QLabel(tr("Account:")));
    passesTop->addWidget(m_account);
    passesTop->addStretch();
    auto *passes = new QVBoxLayout(passesPage);
    passes->addLayout(passesTop);
    m_tables << makeTable(m_passFilter);
    passes->addWidget(m_tables.last());

    // Messages.
    m_messageFilter->setSourceModel(m_messages);
    m_messageFilter->setFilterKeyColumn(-1);
    m_messageFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_search->setPlaceholderText(tr("Search sender, subject, recipients, reply…"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_messageFilter,
            &QSortFilterProxyModel::setFilterFixedString);
    auto *messagesPage = new QWidget;
    auto *messages = new QVBoxLayout(messagesPage);
    messages->addWidget(m_search);
    m_tables << makeTable(m_messageFilter);
    messages->addWidget(m_tables.last());

    // Quarantine.
    m_quarantineTable = makeTable(m_quarantine);
    m_tables << m_quarantineTable;
    m_retry->setToolTip(tr("Send the selected messages to the office mail server again, "
                           "e.g. after the mailbox was created or the size limit raised."));
    auto *open = new QPushButton(tr("Open folder"));
    auto *quarantineHelp = new QLabel(tr("Messages the office mail server refused for good. "
                                         "They stay here until you delete them."));
    quarantineHelp->setWordWrap(true);
    auto *qButtons = new QHBoxLayout;
    qButtons->addWidget(m_retry);
    qButtons->addWidget(m_delete);
    qButtons->addWidget(open);
    qButtons->addStretch();
    auto *quarantinePage = new QWidget;
    auto *quarantine = new QVBoxLayout(quarantinePage);
    quarantine->addWidget(quarantineHelp);
    quarantine->addWidget(m_quarantineTable);
    quarantine->addLayout(qButtons);
    connect(m_delete, &QPushButton::clicked, this, &ActivityWindow::deleteSelectedQuarantine);
    connect(m_retry, &QPushButton::clicked, this, &ActivityWindow::retrySelectedQuarantine);
    connect(open, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_spoolDir + QStringLiteral("/quarantine")));
    });
    connect(m_quarantineTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ActivityWindow::updateButtons);

    // History: the last 30 days.
    m_historyAccount->addItem(tr("All accounts"), QString());
    connect(m_historyAccount, &QComboBox::currentIndexChanged, this, &ActivityWindow::showHistory);
    auto *historyTop = new QHBoxLayout;
    historyTop->addWidget(new QLabel(tr("Account:")));
    historyTop->addWidget(m_historyAccount);
    historyTop->addStretch();
    m_historyTotals->setWordWrap(true);
    auto *historyPage = new QWidget;
    auto *history = new QVBoxLayout(historyPage);
    history->addLayout(historyTop);
    history->addWidget(m_chart, 1);
    history->addWidget(m_historyTotals);

    m_tabs->addTab(passesPage, tr("Passes"));
    m_tabs->addTab(messagesPage, tr("Messages"));
    m_tabs->addTab(quarantinePage, tr("Quarantine"));
    m_tabs->addTab(historyPage, tr("Last 30 days"));

    auto *refreshButton = new QPushButton(tr("Refresh"));
    connect(refreshButton, &QPushButton::clicked, this, &ActivityWindow::refresh);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(bottom);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText); // errors carry the server's words
    resizeWithinScreen(this, QSize(1000, 560)); // room for the tables
    updateButtons();
}

void ActivityWindow::setLocation(const QString &databasePath, const QString &spoolDir)
{
    m_spoolDir = spoolDir;
    m_loader->setLocation(databasePath, spoolDir);
}

void ActivityWindow::scheduleRefresh()
{
    // While hidden there is nobody to show it to; showEvent() refreshes.
    if (!isVisible())
        return;
    // At most one reload per interval, also while mail keeps moving (a throttle, not a
    // debounce that would postpone the view until the traffic stops).
    if (!m_timer->isActive())
        m_timer->start();
}

void ActivityWindow::refresh()
{
    m_status->setText(tr("Loading…"));
    m_loader->refresh();
}

void ActivityWindow::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void ActivityWindow::onLoaded(const ActivitySnapshot &snapshot)
{
    m_passes->setPasses(snapshot.passes);
    m_messages->setMessages(snapshot.messages);
    m_quarantine->setEntries(snapshot.quarantine);

    QSet<QString> accounts;
    for (const PassRecord &p : snapshot.passes)
        accounts.insert(p.account);
    for (const QString &a : std::as_const(accounts)) {
        if (m_account->findData(a) < 0)
            m_account->addItem(a, a);
    }
    m_history = snapshot.history;
    {
        // New accounts are added, none removed: the choice stays while the window is open.
        const QSignalBlocker quiet(m_historyAccount);
        QStringList names = m_history.accounts.keys();
        for (const QString &a : std::as_const(accounts)) {
            if (!m_history.accounts.contains(a))
                names << a;
        }
        names.sort(Qt::CaseInsensitive);
        for (const QString &a : std::as_const(names)) {
            if (m_historyAccount->findData(a) < 0)
                m_historyAccount->addItem(a, a);
        }
    }
    showHistory();
    // Columns as wide as their contents, within reason (long replies are elided) — once a
    // table has rows; later refreshes keep the widths (and whatever the user dragged them
    // to), so a refresh during heavy traffic costs no layout pass over every row.
    const int widest = fontMetrics().horizontalAdvance(QLatin1Char('x')) * 40;
    for (QTableView *table : std::as_const(m_tables)) {
        if (m_sized.contains(table) || table->model()->rowCount() == 0)
            continue;
        m_sized.insert(table);
        table->horizontalHeader()->setResizeContentsPrecision(100);
        table->resizeColumnsToContents();
        for (int c = 0; c < table->model()->columnCount(); ++c)
            table->setColumnWidth(c, qMin(table->columnWidth(c), widest));
    }
    if (snapshot.result.ok())
        m_status->setText(tr("Updated at %1.")
                              .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
    else
        m_status->setText(ErrorText::describe(snapshot.result));
    updateButtons();
    if (snapshot.result.ok())
        emit backlogLoaded(snapshot.deferredKeys, snapshot.refusedKeys);
    emit refreshed();
}

void ActivityWindow::showHistory()
{
    const QString account = m_historyAccount->currentData().toString();
    m_chart->setDays(m_history.firstDay, m_history.days(account));
    const DayCounts total = m_history.totals(account);
    if (m_history.dayCount == 0) {
        m_historyTotals->clear();
        return;
    }
    m_historyTotals->setText(tr("%1 to %2: %3 collected, %4 delivered, %5 refused.")
                                 .arg(QLocale().toString(m_history.firstDay, QLocale::ShortFormat),
                                      QLocale().toString(m_history.lastDay(), QLocale::ShortFormat),
                                      QLocale().toString(total.collected),
                                      QLocale().toString(total.delivered),
                                      QLocale().toString(total.refused)));
}

void ActivityWindow::updateButtons()
{
    const QModelIndexList rows = m_quarantineTable->selectionModel()->selectedRows();
    m_delete->setEnabled(!rows.isEmpty());
    bool retryable = false;
    for (const QModelIndex &index : rows)
        retryable = retryable || m_quarantine->entry(index.row()).messageId > 0;
    m_retry->setEnabled(retryable);
}

void ActivityWindow::retrySelectedQuarantine()
{
    const QModelIndexList rows = m_quarantineTable->selectionModel()->selectedRows();
    int count = 0;
    for (const QModelIndex &index : rows) {
        if (const qint64 id = m_quarantine->entry(index.row()).messageId; id > 0) {
            emit retryRequested(id);
            ++count;
        }
    }
    if (count > 0)
        m_status->setText(tr("%n message(s) will be sent again.", "", count));
    scheduleRefresh();
}

void ActivityWindow::deleteSelectedQuarantine()
{
    const QModelIndexList rows = m_quarantineTable->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const auto answer = MessageBox::question(
        this, tr("Delete messages"),
        tr("Delete %n quarantined message(s) for good? They cannot be recovered.", "",
           int(rows.size())));
    if (answer != QMessageBox::Yes)
        return;
    // Only files inside the quarantine folders, never anything else.
    const QString root = QDir(m_spoolDir + QStringLiteral("/quarantine")).canonicalPath();
    QStringList failed;
    for (const QModelIndex &index : rows) {
        const QuarantineEntry &entry = m_quarantine->entry(index.row());
        if (entry.messageId > 0) {
            emit discardRequested(entry.messageId); // the store must know it is gone
            continue;
        }
        const QString path = entry.absolutePath;
        const QString canonical = QFileInfo(path).canonicalFilePath();
        if (root.isEmpty() || !canonical.startsWith(root + QLatin1Char('/')) ||
            !QFile::remove(canonical))
            failed << path;
    }
    if (!failed.isEmpty())
        MessageBox::warning(
            this, tr("Delete messages"),
            tr("These files could not be deleted:\n%1").arg(failed.join(QLatin1Char('\n'))));
    refresh();
}

} // namespace pollux::ui
