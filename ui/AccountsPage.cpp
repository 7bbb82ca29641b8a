#include "AccountsPage.h"

#include "FitScrollArea.h"

#include "AccountDialog.h"
#include "AccountsModel.h"
#include "FieldRules.h"
#include "MessageBox.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace pollux::ui {

AccountsPage::AccountsPage(SecretStore *secrets, QWidget *parent)
    : QWidget(parent), m_secrets(secrets), m_model(new AccountsModel(this)), m_view(new QTableView),
      m_add(new QPushButton(tr("Add…"))), m_edit(new QPushButton(tr("Edit…"))),
      m_remove(new QPushButton(tr("Remove"))), m_signInAgain(new QPushButton(tr("Sign in again…"))),
      m_details(new QLabel), m_testAccess(new QPushButton(tr("Test access"))),
      m_openActivity(new QPushButton(tr("Open activity"))), m_office(new QLabel),
      m_domains(new QPlainTextEdit), m_domainsError(new QLabel),
      m_subdomains(new QCheckBox(tr("Also accept subdomains (sales.example.com for "
                                    "example.com)"))),
      m_maxPerPass(new QSpinBox)
{
    m_domains->setObjectName(QStringLiteral("acceptedDomains"));
    m_maxPerPass->setObjectName(QStringLiteral("maxPerPass"));
    m_signInAgain->setObjectName(QStringLiteral("signInAgain"));
    m_signInAgain->setToolTip(tr("Signs the selected Microsoft 365, Google or other OAuth2 "
                                 "account in again, for example when it shows “Sign-in "
                                 "needed”."));

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    // Every column as wide as its widest text: nothing is cut (the list scrolls sideways
    // when the window is narrow); the whole story is in the details pane.
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideNone);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    // What each mailbox is doing comes right after its server; the settings after that.
    QHeaderView *header = m_view->horizontalHeader();
    int to = 1;
    for (const int column : {AccountsModel::Status, AccountsModel::LastSuccess,
                             AccountsModel::Waiting, AccountsModel::NextPass})
        header->moveSection(header->visualIndex(column), to++);
    m_view->setMinimumHeight(m_view->fontMetrics().height() * 8);

    m_details->setObjectName(QStringLiteral("accountDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_details->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_details->setMinimumHeight(m_details->fontMetrics().height() * 3);
    m_details->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_testAccess->setObjectName(QStringLiteral("testAccess"));
    m_testAccess->setToolTip(tr("Signs in to the selected mailbox now and tells what happens; "
                                "nothing is downloaded or deleted."));
    m_openActivity->setObjectName(QStringLiteral("openActivity"));
    m_openActivity->setToolTip(tr("Shows the passes and messages of Pollux."));
    m_office->setObjectName(QStringLiteral("officeServerStatus"));
    m_office->setWordWrap(true);
    m_office->setTextFormat(Qt::PlainText);
    m_office->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *hostsBox = new QGroupBox(tr("Polled POP3 Hosts"));
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_signInAgain);
    buttons->addStretch();
    auto *list = new QHBoxLayout;
    list->addWidget(m_view, 1);
    list->addLayout(buttons);
    auto *detailButtons = new QVBoxLayout;
    detailButtons->addWidget(m_testAccess);
    detailButtons->addWidget(m_openActivity);
    detailButtons->addStretch();
    auto *details = new QHBoxLayout;
    details->addWidget(m_details, 1);
    details->addLayout(detailButtons);
    auto *hosts = new QVBoxLayout(hostsBox);
    hosts->addLayout(list, 1);
    hosts->addLayout(details);
    hosts->addWidget(m_office);

    auto *domainsBox = new QGroupBox(tr("Accepted Recipient Domains"));
    auto *domains = new QVBoxLayout(domainsBox);
    auto *domainsHelp = new QLabel(
        tr("For catch-all mailboxes: only recipients in these domains are delivered. Write "
           "one domain per line, as it appears after the “@”, e.g. example.com."));
    domainsHelp->setWordWrap(true);
    m_domains->setPlaceholderText(tr("example.com"));
    m_domains->setTabChangesFocus(true);
    m_domains->setMaximumHeight(m_domains->fontMetrics().height() * 6);
    m_domainsError->setObjectName(QStringLiteral("acceptedDomains-error"));
    m_domainsError->setWordWrap(true);
    m_domainsError->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_domainsError->hide();
    domains->addWidget(domainsHelp);
    domains->addWidget(m_domains);
    domains->addWidget(m_domainsError);
    domains->addWidget(m_subdomains);

    auto *passBox = new QGroupBox(tr("Downloading"));
    auto *pass = new QFormLayout(passBox);
    m_maxPerPass->setRange(1, 100000);
    auto *passHelp = new QLabel(tr("After this many messages Pollux first forwards what it "
                                   "has, then collects the rest in the next pass."));
    passHelp->setWordWrap(true);
    pass->addRow(tr("Maximum number of emails downloaded in a single pass:"), m_maxPerPass);
    pass->addRow(passHelp);

    // A small screen (960x540 logical at 200 %) scrolls the page instead of cutting it off;
    // a bigger window gives the list the room.
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->addWidget(hostsBox, 1);
    column->addWidget(domainsBox);
    column->addWidget(passBox);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new FitScrollArea(content, 380));

    connect(m_add, &QPushButton::clicked, this, &AccountsPage::addAccount);
    connect(m_edit, &QPushButton::clicked, this, [this] { editAccount(currentRow()); });
    connect(m_remove, &QPushButton::clicked, this, [this] { removeAccount(currentRow()); });
    connect(m_signInAgain, &QPushButton::clicked, this, [this] { signInAgain(currentRow()); });
    connect(m_testAccess, &QPushButton::clicked, this, [this] { testAccess(currentRow()); });
    connect(m_openActivity, &QPushButton::clicked, this, [this] {
        const int row = currentRow();
        emit activityRequested(row < 0 ? QString() : m_model->account(row).name);
    });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QTableView::customContextMenuRequested, this, &AccountsPage::showContextMenu);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &AccountsPage::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &AccountsPage::updateDetails);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AccountsPage::updateDetails);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &AccountsPage::updateDetails);
    connect(m_view, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { editAccount(index.row()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AccountsPage::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AccountsPage::updateDetails);
    connect(m_model, &AccountsModel::edited, this, &AccountsPage::changed);
    connect(m_domains, &QPlainTextEdit::textChanged, this, &AccountsPage::checkDomains);
    connect(m_domains, &QPlainTextEdit::textChanged, this, &AccountsPage::changed);
    updateButtons();
    updateDetails();
    setOfficeServer({});
    // Numbers keep their natural width; text fields take the rest.
    for (QSpinBox *spin : findChildren<QSpinBox *>())
        spin->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void AccountsPage::setExtraCaCertificates(const QList<QSslCertificate> &certificates)
{
    m_cas = certificates;
}

void AccountsPage::load(const Config &config)
{
    m_model->setAccounts(config.accounts);
    m_domains->setPlainText(config.acceptedDomains.join(QLatin1Char('\n')));
    m_subdomains->setChecked(config.acceptSubdomains);
    m_maxPerPass->setValue(config.maxPerPass);
    updateButtons();
}

void AccountsPage::apply(Config &config) const
{
    config.accounts = m_model->accounts();
    config.acceptedDomains = acceptedDomains();
    config.acceptSubdomains = m_subdomains->isChecked();
    config.maxPerPass = m_maxPerPass->value();
}

QStringList AccountsPage::acceptedDomains() const
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    return m_domains->toPlainText().split(separators, Qt::SkipEmptyParts);
}

QStringList AccountsPage::domainProblems() const
{
    QStringList problems;
    QSet<QString> seen;
    for (const QString &d : acceptedDomains()) {
        if (d.startsWith(QLatin1Char('@')))
            problems << tr("“%1”: write the domain without “@”, e.g. “%2”.").arg(d, d.mid(1));
        else if (d.startsWith(QLatin1String("*.")))
            problems << tr("“%1”: wildcards are not supported. List each domain as it appears "
                           "after “@”, e.g. “%2”.")
                            .arg(d, d.mid(2));
        else if (d.contains(QLatin1Char('@')))
            problems << tr("“%1” is an email address. Write only the domain, e.g. “%2”.")
                            .arg(d, d.mid(d.lastIndexOf(QLatin1Char('@')) + 1));
        else if (!FieldRules::isDomainName(d))
            problems << tr("“%1” is not a domain name like “example.com”.").arg(d);
        else if (seen.contains(d.toLower()))
            problems << tr("“%1” is listed twice.").arg(d);
        seen.insert(d.toLower());
    }
    return problems;
}

void AccountsPage::checkDomains()
{
    const QStringList problems = domainProblems();
    m_domainsError->setText(problems.join(QLatin1Char('\n')));
    m_domainsError->setVisible(!problems.isEmpty());
}

bool AccountsPage::validate(QStringList &problems)
{
    const QString field = tr("Accepted Recipient Domains");
    for (const QString &p : domainProblems())
        problems << tr("%1: %2").arg(field, p);
    bool catchAll = false;
    for (const AccountConfig &a : m_model->accounts())
        catchAll = catchAll || (a.enabled && a.mailbox != MailboxType::SingleUser);
    if (catchAll && acceptedDomains().isEmpty())
        problems << tr("%1: a catch-all mailbox needs at least one domain here, e.g. "
                       "“example.com”.")
                        .arg(field);
    checkDomains();
    if (problems.isEmpty())
        return true;
    m_domains->setFocus(Qt::OtherFocusReason);
    return false;
}

int AccountsPage::currentRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void AccountsPage::updateButtons()
{
    const bool selected = currentRow() >= 0;
    m_edit->setEnabled(selected);
    m_remove->setEnabled(selected);
    const int row = currentRow();
    m_signInAgain->setEnabled(row >= 0 && m_model->account(row).needsInteractiveSignIn());
}

void AccountsPage::updateDetails()
{
    const int row = currentRow();
    m_testAccess->setEnabled(row >= 0);
    if (row < 0) {
        m_details->setText(m_model->rowCount() == 0
                               ? tr("No mailbox yet: choose “Add…” to collect the mail of one.")
                               : tr("Select a mailbox to see its details."));
        return;
    }
    const AccountConfig &a = m_model->account(row);
    m_details->setText(tr("%1 — %2").arg(a.name, AccountsModel::stateText(m_model->state(row))) +
                       QLatin1Char('\n') + m_model->explanation(row));
}

QString AccountsPage::officeServerText(const OfficeServer &office)
{
    if (!office.configured)
        return tr("Office server not set up yet: enter it on the “Mail server” page.");
    const QString since =
        office.failingSince.isValid() ? shortTimeText(office.failingSince) : QString();
    QString state;
    if (!office.failing)
        state = tr("Office server OK");
    else if (office.unreachable)
        state = since.isEmpty() ? tr("Office server unreachable")
                                : tr("Office server unreachable since %1").arg(since);
    else
        state = since.isEmpty() ? tr("Office server not accepting mail")
                                : tr("Office server not accepting mail since %1").arg(since);
    return office.waiting > 0 ? tr("%1 — %n message(s) waiting", "", office.waiting).arg(state)
                              : tr("%1 — nothing waiting").arg(state);
}

void AccountsPage::setOfficeServer(const OfficeServer &office)
{
    m_office->setText(officeServerText(office));
    m_office->setStyleSheet(office.failing ? QStringLiteral("color: #b00020;") : QString());
}

bool AccountsPage::testAccess(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return false;
    m_view->selectRow(row);
    AccountDialog *dialog = openDialog(row);
    dialog->testAccess();
    return true;
}

void AccountsPage::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    const int row = index.row();
    QMenu menu(this);
    menu.addAction(tr("Edit…"), this, [this, row] { editAccount(row); });
    menu.addAction(tr("Test access"), this, [this, row] { testAccess(row); });
    if (m_model->account(row).needsInteractiveSignIn())
        menu.addAction(tr("Sign in again…"), this, [this, row] { signInAgain(row); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

bool AccountsPage::signInAgain(int row)
{
    if (row < 0 || row >= m_model->rowCount() || !m_model->account(row).needsInteractiveSignIn())
        return false;
    m_view->selectRow(row);
    AccountDialog *dialog = openDialog(row);
    dialog->signIn();
    return true;
}

bool AccountsPage::signInAgain(const QString &account)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->account(row).name == account)
            return signInAgain(row);
    }
    return false;
}

QMap<QString, QDateTime> AccountsPage::takeSignIns()
{
    return std::exchange(m_signIns, {});
}

void AccountsPage::addAccount()
{
    openDialog(-1);
}

void AccountsPage::editAccount(int row)
{
    if (row >= 0 && row < m_model->rowCount())
        openDialog(row);
}

AccountDialog *AccountsPage::openDialog(int row)
{
    if (m_dialog)
        m_dialog->close();
    AccountDialog::Context context;
    context.secrets = m_secrets;
    context.extraCaCertificates = m_cas;
    context.haveAcceptedDomains = !acceptedDomains().isEmpty();
    context.acceptedDomains = acceptedDomains();
    context.acceptSubdomains = m_subdomains->isChecked();
    context.signInRunners = m_runners;
    if (row >= 0) {
        context.signInNeeded = m_model->signInNeeded(m_model->account(row).name);
        context.signInExpiresAt = m_model->signInExpiresAt(m_model->account(row).name);
    }
    for (int i = 0; i < m_model->rowCount(); ++i) {
        if (i != row)
            context.otherNames << m_model->account(i).name;
    }
    auto *dialog = new AccountDialog(context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAccount(row < 0 ? AccountConfig{} : m_model->account(row), row < 0);
    connect(dialog, &QDialog::accepted, this, [this, dialog, row] {
        AccountConfig a = dialog->account();
        if (dialog->signedIn())
            m_signIns.insert(a.name, dialog->signedInExpiry());
        const QString before = row < 0 ? QString() : m_model->account(row).name;
        if (!before.isEmpty() && before != a.name)
            m_signIns.remove(before); // the token moved with the name
        if (row < 0) {
            m_model->append(a);
            m_view->selectRow(m_model->rowCount() - 1);
        } else if (row < m_model->rowCount()) {
            a.enabled = m_model->account(row).enabled;
            m_model->replace(row, a);
        }
    });
    if (row >= 0) {
        const QString name = m_model->account(row).name;
        connect(dialog, &AccountDialog::signInFinished, this, [this, dialog, name](bool ok) {
            if (!ok || dialog->signedInName() != name)
                return;
            m_signIns.insert(name, dialog->signedInExpiry());
            AccountConfig a = dialog->account();
            a.name = name;
            emit signedIn(a, dialog->signedInExpiry());
        });
    }
    m_dialog = dialog;
    dialog->open();
    emit dialogOpened(dialog);
    return dialog;
}

void AccountsPage::removeAccount(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const AccountConfig &a = m_model->account(row);
    const auto answer = MessageBox::question(
        this, tr("Remove account"),
        tr("Stop collecting mail from %1 (%2 on %3)?\n\nMail already collected is not "
           "affected. The password is removed from the keychain when you save.")
            .arg(a.name, a.username, a.host));
    if (answer == QMessageBox::Yes)
        m_model->remove(row);
}

} // namespace pollux::ui
