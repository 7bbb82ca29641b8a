// The first-run guide's step 3: the accepted domains, the postmaster and the routing dry
// run (sample addresses, or the catch-all mailbox's newest messages) shown as a table.
#include "FirstRunGuide.h"
#include "FirstRunGuide_p.h"

#include "ErrorText.h"
#include "engine/RouteDryRun.h"
#include "secrets/SecretStore.h"
#include "util/Clock.h"
#include "util/Result.h"

#include <QEventLoop>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <memory>
#include <utility>

namespace pollux::ui {

using namespace firstrun;

QWidget *FirstRunGuide::buildDomains()
{
    m_noCatchAll = wrapped(tr("None of your mailboxes is a catch-all mailbox, so there is "
                              "nothing to do here."));
    m_noCatchAll->setObjectName(QStringLiteral("guideNoCatchAll"));
    m_catchAllBox = new QWidget;
    m_domains = new QLineEdit;
    m_domains->setObjectName(QStringLiteral("guide.acceptedDomains"));
    m_domains->setPlaceholderText(tr("example.com, example.org"));
    m_postmaster = new QLineEdit;
    m_postmaster->setObjectName(QStringLiteral("guide.postmaster"));
    m_postmaster->setPlaceholderText(tr("postmaster@example.com"));
    m_samples = new QLineEdit;
    m_samples->setObjectName(QStringLiteral("guide.samples"));
    m_samples->setPlaceholderText(tr("e.g. info@example.com, someone@elsewhere.example"));
    m_table = new QTableWidget(0, 3);
    m_table->setObjectName(QStringLiteral("guideDryRun"));
    m_table->setHorizontalHeaderLabels({tr("Address"), tr("Goes to"), tr("Why")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    // Addresses and recipients keep their width; the reason wraps in what is left (a small
    // screen leaves little), its row as tall as it needs.
    m_table->setWordWrap(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setMinimumHeight(m_table->fontMetrics().height() * 6);
    m_tableNote = wrapped(QString());
    m_mailboxRun = new QPushButton(tr("Try the newest messages"));
    m_mailboxRun->setToolTip(tr("Reads the headers of the newest messages in the catch-all "
                                "mailbox and shows where each recipient's copy would go. "
                                "Nothing is deleted or marked as read."));
    m_mailboxBusy = busyBar();
    m_mailboxStatus = wrapped(QString());
    m_mailboxStatus->setTextFormat(Qt::PlainText);
    m_mailboxStatus->setObjectName(QStringLiteral("guideMailboxDryRun"));
    m_mailboxStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *mailboxRow = new QHBoxLayout;
    mailboxRow->addWidget(m_mailboxRun);
    mailboxRow->addWidget(m_mailboxBusy);
    mailboxRow->addWidget(m_mailboxStatus, 1);

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Accepted domains:"), m_domains);
    form->addRow(tr("Postmaster address:"), m_postmaster);
    form->addRow(tr("Try addresses:"), m_samples);
    auto *box = new QVBoxLayout(m_catchAllBox);
    box->setContentsMargins(0, 0, 0, 0);
    box->addLayout(form);
    box->addWidget(m_table, 1);
    box->addWidget(m_tableNote);
    box->addLayout(mailboxRow);
    auto *layout = new QVBoxLayout;
    layout->addWidget(m_noCatchAll);
    layout->addWidget(m_catchAllBox, 1);

    for (QLineEdit *edit : {m_domains, m_postmaster, m_samples})
        connect(edit, &QLineEdit::textChanged, this, &FirstRunGuide::runDryRun);
    connect(m_mailboxRun, &QPushButton::clicked, this, &FirstRunGuide::runMailboxDryRun);
    QWidget *w = page(tr("Catch-all domains"),
                      tr("A catch-all mailbox holds mail for many addresses. Pollux delivers "
                         "mail for the domains you accept to its recipients; the rest goes "
                         "to the postmaster."),
                      layout);
    // The table takes the room, not the space below it.
    auto *outer = static_cast<QVBoxLayout *>(w->layout());
    outer->setStretch(outer->count() - 2, 1);
    outer->setStretch(outer->count() - 1, 0);
    return w;
}

const AccountConfig *FirstRunGuide::catchAll() const
{
    for (const AccountConfig &a : m_state.accounts) {
        if (isCatchAll(a))
            return &a;
    }
    return nullptr;
}

QList<routing::DryRunResult> FirstRunGuide::dryRunAddresses(const Config &config,
                                                            const AccountConfig &account,
                                                            const QStringList &addresses)
{
    QList<routing::DryRunInput> messages;
    for (const QString &address : addresses)
        messages.append({address, "To: " + address.toUtf8() + '\n'});
    return routing::dryRun(account, config, messages, nullptr);
}

void FirstRunGuide::runDryRun()
{
    if (std::exchange(m_showingMailbox, false))
        m_mailboxStatus->clear(); // it described the mailbox's messages
    const AccountConfig *account = catchAll();
    m_mailboxRun->setEnabled(account && !m_mailboxRunning);
    if (!account) {
        fillTable({});
        return;
    }
    Config config = m_state;
    config.acceptedDomains = domainList();
    config.postmaster = m_postmaster->text().trimmed();
    QStringList addresses = splitList(m_samples->text());
    if (addresses.isEmpty()) {
        for (const QString &d : config.acceptedDomains.mid(0, 2))
            addresses << QStringLiteral("info@") + d;
        addresses << QStringLiteral("someone@elsewhere.example");
    }
    fillTable(dryRunAddresses(config, *account, addresses));
    m_tableNote->setText(
        account->mailbox == MailboxType::CatchAllReroute
            ? tr("The directory is not asked here: an address in an accepted domain shows as "
                 "delivered even if nobody there has it (then it would go to the postmaster).")
            : QString());
    m_tableNote->setVisible(!m_tableNote->text().isEmpty());
}

void FirstRunGuide::fillTable(const QList<routing::DryRunResult> &results)
{
    struct Row
    {
        QString address, to, why, message;
    };
    QList<Row> rows;
    const QString postmaster = m_postmaster->text().trimmed();
    for (const routing::DryRunResult &r : results) {
        const routing::RoutingDecision &d = r.decision;
        // The sender's words (Subject, From, the server's UID): cleaned of control and
        // hidden characters, and shown as plain text (escaped below).
        const QString message =
            r.from.isEmpty() && r.subject.isEmpty()
                ? QString()
                : tr("Message %1: “%2” from %3")
                      .arg(Result::cleanServerText(r.label), Result::cleanServerText(r.subject),
                           Result::cleanServerText(r.from));
        const bool quarantined = d.action == routing::RoutingDecision::Action::Quarantine;
        const QString toPostmaster =
            quarantined ? tr("nobody: quarantined") : tr("the postmaster (%1)").arg(postmaster);
        const QString noPostmaster =
            quarantined ? QLatin1Char(' ') + tr("– no postmaster address is entered") : QString();
        if (d.details.isEmpty())
            rows.append({r.label, toPostmaster, tr("no address found") + noPostmaster, message});
        for (const routing::RoutedRecipient &one : d.details) {
            Row row{one.address, {}, {}, message};
            switch (one.fate) {
            case routing::Fate::Deliver:
                row.to = quarantined ? toPostmaster : one.address;
                row.why = tr("in an accepted domain");
                break;
            case routing::Fate::Foreign:
                row.to = d.recipients.isEmpty() ? toPostmaster : tr("left out");
                row.why = tr("not in an accepted domain") + noPostmaster;
                break;
            case routing::Fate::ToPostmaster:
                row.to = toPostmaster;
                row.why = tr("unknown to the directory") + noPostmaster;
                break;
            case routing::Fate::NotLocal:
                row.to = toPostmaster;
                row.why = tr("relay syntax (% ! @) before the domain") + noPostmaster;
                break;
            case routing::Fate::Unchecked:
                row.to = tr("waits");
                row.why = tr("the directory did not answer");
                break;
            }
            rows.append(row);
        }
    }
    m_table->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        const Row &row = rows.at(i);
        const QString cells[3] = {row.address, row.to, row.why};
        for (int column = 0; column < 3; ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            // A tooltip whose first line looks like HTML is drawn as HTML: a message's
            // Subject must not be able to draw its own, so the text is always escaped.
            const QString tip = row.message.isEmpty()
                                    ? cells[column]
                                    : row.message + QLatin1Char('\n') + cells[column];
            item->setToolTip(QStringLiteral("<p style='white-space:pre-wrap'>%1</p>")
                                 .arg(tip.toHtmlEscaped()));
            m_table->setItem(i, column, item);
        }
    }
}

void FirstRunGuide::runMailboxDryRun()
{
    const AccountConfig *found = catchAll();
    if (!found || m_mailboxRunning)
        return;
    const AccountConfig account = *found;
    if (isOAuth2(account.signIn)) {
        m_mailboxStatus->setText(tr("“%1” signs in with OAuth2: try its messages from a "
                                    "terminal with: pollux account route %1 --dry-run")
                                     .arg(account.name));
        return;
    }
    Config config = m_state;
    config.acceptedDomains = domainList();
    config.postmaster = m_postmaster->text().trimmed();
    m_mailboxRunning = true;
    m_mailboxRun->setEnabled(false);
    m_mailboxBusy->show();
    m_mailboxStatus->setText(
        tr("Reading the headers of the newest %n message(s) on %1…", "", RouteDryRun::kDefaultLimit)
            .arg(account.host));
    if (!m_secrets) {
        startMailboxDryRun(config, account, QString());
        return;
    }
    QPointer<FirstRunGuide> self(this);
    m_secrets->read(secretKey(SecretKind::Account, account.name),
                    [self, config, account](Result r, QString password) {
                        if (!self)
                            return;
                        if (!r)
                            self->finishMailboxDryRun(account, r, {});
                        else
                            self->startMailboxDryRun(config, account, password);
                    });
}

void FirstRunGuide::startMailboxDryRun(const Config &config, const AccountConfig &account,
                                       const QString &password)
{
    struct Outcome
    {
        Result result;
        QList<routing::DryRunResult> results;
    };
    auto outcome = std::make_shared<Outcome>();
    const QList<QSslCertificate> cas = m_cas;
    // The mailbox and the parsing never hold up the GUI (as the account dialog's Detect).
    QThread *thread = QThread::create([config, account, password, cas, outcome] {
        QEventLoop loop;
        RouteDryRun dryRun(nullptr, Clock::system());
        QObject::connect(&dryRun, &RouteDryRun::finished, &loop,
                         [&](const Result &r, const QList<routing::DryRunResult> &results) {
                             outcome->result = r;
                             outcome->results = results;
                             loop.quit();
                         });
        dryRun.startWith(config, account, password, cas, RouteDryRun::kDefaultLimit);
        loop.exec();
    });
    thread->setObjectName(QStringLiteral("guide-dry-run"));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, account, outcome] {
        finishMailboxDryRun(account, outcome->result, outcome->results);
    });
    thread->start();
}

void FirstRunGuide::finishMailboxDryRun(const AccountConfig &account, const Result &result,
                                        const QList<routing::DryRunResult> &results)
{
    m_mailboxRunning = false;
    m_mailboxBusy->hide();
    m_mailboxRun->setEnabled(catchAll() != nullptr);
    if (!result) {
        m_mailboxStatus->setText(
            ErrorText::isMissingSecret(result)
                ? tr("No password is stored for “%1” yet: edit the mailbox in step 2 and "
                     "enter it.")
                      .arg(account.name)
                : ErrorText::describe(result));
    } else if (results.isEmpty()) {
        m_mailboxStatus->setText(
            tr("The mailbox “%1” is empty: there is nothing to try yet.").arg(account.name));
    } else {
        fillTable(results);
        m_showingMailbox = true;
        m_tableNote->hide();
        m_mailboxStatus->setText(tr("The newest %n message(s) in “%1”, routed as delivery "
                                    "would route them. Nothing was changed on the server.",
                                    "", int(results.size()))
                                     .arg(account.name));
    }
    emit mailboxDryRunFinished(result);
}

} // namespace pollux::ui
