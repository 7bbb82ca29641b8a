#include "FirstRunGuide.h"
#include "FirstRunGuide_p.h"

#include "AccountsModel.h"
#include "ErrorText.h"
#include "FieldRules.h"
#include "PasswordField.h"
#include "SmtpTester.h"
#include "secrets/SecretStore.h"

#include <QCheckBox>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace pollux::ui {

using namespace firstrun;

bool isSetUp(const Config &config)
{
    for (int step = 0; step < FirstRunGuide::GoLive; ++step) {
        if (!FirstRunGuide::isStepDone(FirstRunGuide::Step(step), config))
            return false;
    }
    return true;
}

bool FirstRunGuide::isStepDone(Step step, const Config &config)
{
    switch (step) {
    case MailServer:
        return !config.smtp.host.isEmpty();
    case Mailbox:
        return !config.accounts.isEmpty();
    case Domains:
        return !hasCatchAll(config) || !config.acceptedDomains.isEmpty();
    case GoLive:
    case StepCount:
        break;
    }
    return false;
}

FirstRunGuide::Step FirstRunGuide::firstOpenStep(const Config &config)
{
    for (int step = 0; step < GoLive; ++step) {
        if (!isStepDone(Step(step), config))
            return Step(step);
    }
    return GoLive;
}

FirstRunGuide::FirstRunGuide(SecretStore *secrets, QWidget *parent)
    : QWidget(parent), m_secrets(secrets), m_steps(new QListWidget), m_pages(new QStackedWidget),
      m_hint(new QLabel), m_allSettings(new QPushButton(tr("All settings…"))),
      m_back(new QPushButton(tr("Back"))), m_skip(new QPushButton(tr("Skip"))),
      m_next(new QPushButton(tr("Next")))
{
    setObjectName(QStringLiteral("firstRunGuide"));
    m_steps->setObjectName(QStringLiteral("guideSteps"));
    m_allSettings->setToolTip(tr("Leaves the guide for all the settings pages. The guide "
                                 "opens again until Pollux is set up."));
    m_pages->addWidget(buildMailServer());
    m_pages->addWidget(buildMailbox());
    m_pages->addWidget(buildDomains());
    m_pages->addWidget(buildGoLive());
    for (int step = 0; step < StepCount; ++step)
        m_steps->addItem(QString());
    m_steps->setFrameShape(QFrame::NoFrame);
    m_steps->setStyleSheet(QStringLiteral("QListWidget { background: transparent; }"));
    m_hint->setObjectName(QStringLiteral("guideHint"));
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_hint->hide();

    auto *nav = new QHBoxLayout;
    nav->addWidget(m_allSettings);
    nav->addStretch();
    nav->addWidget(m_back);
    nav->addWidget(m_skip);
    nav->addWidget(m_next);
    auto *right = new QVBoxLayout;
    right->setContentsMargins(0, 0, 0, 0);
    right->addWidget(m_pages, 1);
    right->addWidget(m_hint);
    right->addLayout(nav);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_steps);
    layout->addLayout(right, 1);

    connect(m_next, &QPushButton::clicked, this, &FirstRunGuide::next);
    connect(m_back, &QPushButton::clicked, this, &FirstRunGuide::back);
    connect(m_skip, &QPushButton::clicked, this, &FirstRunGuide::skip);
    connect(m_allSettings, &QPushButton::clicked, this, [this] {
        emit committing();
        emit allSettingsRequested();
    });
    connect(m_steps, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row != currentStep())
            go(row);
    });
    showProgress(Config{});
    updateButtons();
}

FirstRunGuide::~FirstRunGuide() = default;

QWidget *FirstRunGuide::page(const QString &title, const QString &intro, QLayout *content)
{
    auto *w = new QWidget;
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *heading = new QLabel(title);
    QFont font = heading->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.2);
    heading->setFont(font);
    layout->addWidget(heading);
    layout->addWidget(wrapped(intro));
    layout->addLayout(content);
    layout->addStretch();
    return w;
}

QWidget *FirstRunGuide::buildMailServer()
{
    m_host = new QLineEdit;
    m_host->setObjectName(QStringLiteral("guide.smtp.host"));
    m_host->setPlaceholderText(tr("mail.office.example"));
    m_port = new QSpinBox;
    m_port->setRange(1, 65535);
    m_port->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_startTls = new QCheckBox(tr("Require STARTTLS (encrypted connection)"));
    m_user = new QLineEdit;
    m_user->setPlaceholderText(tr("empty: no login"));
    m_password = new PasswordField(m_secrets);
    m_smtpTest = new QPushButton(tr("Test"));
    m_smtpBusy = busyBar();
    m_smtpResult = wrapped(QString());
    m_smtpResult->setTextFormat(Qt::PlainText); // the server's words are text
    m_smtpResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_smtpTester = new SmtpTester(this);

    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port:")));
    hostRow->addWidget(m_port);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_smtpTest);
    testRow->addWidget(m_smtpBusy);
    testRow->addStretch();
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Server:"), hostRow);
    form->addRow(QString(), m_startTls);
    form->addRow(tr("Username (optional):"), m_user);
    form->addRow(tr("Password:"), m_password);
    form->addRow(testRow);
    form->addRow(m_smtpResult);

    connect(m_smtpTest, &QPushButton::clicked, this, &FirstRunGuide::testSmtp);
    connect(m_smtpTester, &SmtpTester::finished, this, [this](const Result &result) {
        m_smtpBusy->hide();
        m_smtpTest->setEnabled(true);
        m_smtpResult->setText(result.ok() ? tr("The office mail server answered and accepted "
                                               "the login.")
                                          : ErrorText::describe(result));
        emit smtpTestFinished(result);
    });
    return page(tr("Office mail server"),
                tr("Pollux delivers the mail it collects to your office mail server (SMTP). "
                   "Ask your administrator for its name if you do not know it."),
                form);
}

QWidget *FirstRunGuide::buildMailbox()
{
    m_mailboxes = new QListWidget;
    m_mailboxes->setObjectName(QStringLiteral("guideMailboxes"));
    m_mailboxes->setMaximumHeight(m_mailboxes->fontMetrics().height() * 6);
    m_addMailbox = new QPushButton(tr("Add mailbox…"));
    m_editMailbox = new QPushButton(tr("Edit…"));
    m_accessTest = new QPushButton(tr("Test access"));
    m_accessBusy = busyBar();
    m_accessResult = wrapped(QString());
    m_accessResult->setTextFormat(Qt::PlainText); // the server's words are text
    m_accessResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_accessTester = new AccessTester(m_secrets, this);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addMailbox);
    buttons->addWidget(m_editMailbox);
    buttons->addWidget(m_accessTest);
    buttons->addWidget(m_accessBusy);
    buttons->addStretch();
    auto *layout = new QVBoxLayout;
    layout->addWidget(m_mailboxes);
    layout->addLayout(buttons);
    layout->addWidget(m_accessResult);

    connect(m_addMailbox, &QPushButton::clicked, this, [this] {
        emit committing();
        emit addMailboxRequested();
    });
    auto edit = [this] {
        const int row = m_mailboxes->currentRow();
        if (row >= 0)
            emit editMailboxRequested(row);
    };
    connect(m_editMailbox, &QPushButton::clicked, this, edit);
    connect(m_mailboxes, &QListWidget::itemDoubleClicked, this, edit);
    connect(m_mailboxes, &QListWidget::currentRowChanged, this, &FirstRunGuide::updateButtons);
    connect(m_accessTest, &QPushButton::clicked, this, &FirstRunGuide::testAccess);
    connect(m_accessTester, &AccessTester::finished, this,
            [this](const AccessTester::Outcome &outcome) {
                m_accessBusy->hide();
                m_accessTest->setEnabled(true);
                m_accessResult->setText(
                    outcome.result.ok()
                        ? tr("Access works: logged in successfully. %n message(s) waiting (%1).",
                             "", outcome.messages)
                              .arg(QLocale().formattedDataSize(outcome.bytes))
                        : ErrorText::describe(outcome.result));
                emit accessTestFinished(outcome);
            });
    return page(tr("First mailbox"),
                tr("Add the POP3 or IMAP mailbox Pollux collects from. Its dialog asks for "
                   "the server and login, and whether the mailbox belongs to one person or "
                   "is a catch-all mailbox for a whole domain."),
                layout);
}

QWidget *FirstRunGuide::buildGoLive()
{
    m_summary = wrapped(QString());
    m_summary->setObjectName(QStringLiteral("guideSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    auto *layout = new QVBoxLayout;
    layout->addWidget(m_summary);
    return page(tr("Go live"),
                tr("Save the settings: Pollux starts collecting at once and delivers to the "
                   "office mail server."),
                layout);
}

void FirstRunGuide::setExtraCaCertificates(const QList<QSslCertificate> &certificates)
{
    m_cas = certificates;
}

void FirstRunGuide::load(const Config &config)
{
    m_password->load(secretKey(SecretKind::Smtp), QStringLiteral("pollux password set --smtp"));
    m_smtpResult->clear();
    m_accessResult->clear();
    m_hint->hide();
    refresh(config);
    go(firstOpenStep(config));
}

void FirstRunGuide::refresh(const Config &config)
{
    setFields(config);
    showProgress(config);
}

void FirstRunGuide::setFields(const Config &config)
{
    m_base = config;
    m_host->setText(config.smtp.host);
    m_port->setValue(config.smtp.port);
    m_startTls->setChecked(config.smtp.startTls);
    m_user->setText(config.smtp.username);
    if (domainList() != config.acceptedDomains)
        m_domains->setText(config.acceptedDomains.join(QStringLiteral(", ")));
    m_postmaster->setText(config.postmaster);
}

void FirstRunGuide::apply(Config &config) const
{
    const QString host = m_host->text().trimmed();
    if (host != m_base.smtp.host)
        config.smtp.host = host;
    if (m_port->value() != m_base.smtp.port)
        config.smtp.port = quint16(m_port->value());
    if (m_startTls->isChecked() != m_base.smtp.startTls)
        config.smtp.startTls = m_startTls->isChecked();
    const QString user = m_user->text().trimmed();
    if (user != m_base.smtp.username)
        config.smtp.username = user;
    const QStringList domains = domainList();
    if (domains != m_base.acceptedDomains)
        config.acceptedDomains = domains;
    const QString postmaster = m_postmaster->text().trimmed();
    if (postmaster != m_base.postmaster)
        config.postmaster = postmaster;
}

QStringList FirstRunGuide::domainList() const
{
    return splitList(m_domains->text());
}

void FirstRunGuide::showProgress(const Config &config)
{
    m_state = config;
    const QString titles[StepCount] = {tr("Office mail server"), tr("First mailbox"),
                                       tr("Catch-all domains"), tr("Go live")};
    const bool catchAll = hasCatchAll(config);
    int widest = 0;
    for (int step = 0; step < StepCount; ++step) {
        m_done[step] = isStepDone(Step(step), config);
        QString text = tr("%1. %2").arg(step + 1).arg(titles[step]);
        if (step == Domains && !catchAll)
            text += QLatin1Char(' ') + tr("(not needed)");
        else if (m_done[step])
            text += QStringLiteral(" ✓");
        QListWidgetItem *item = m_steps->item(step);
        item->setText(text);
        item->setToolTip(m_done[step] ? tr("Done") : tr("Not done yet"));
        widest = std::max(widest, m_steps->fontMetrics().horizontalAdvance(text));
    }
    m_steps->setFixedWidth(widest + m_steps->fontMetrics().averageCharWidth() * 3 +
                           2 * m_steps->frameWidth());

    const int selected = m_mailboxes->currentRow();
    m_mailboxes->clear();
    for (const AccountConfig &a : config.accounts) {
        m_mailboxes->addItem(
            tr("%1 – %2 on %3 (%4)")
                .arg(a.name, a.username, a.host, AccountsModel::mailboxText(a.mailbox)));
    }
    if (!config.accounts.isEmpty())
        m_mailboxes->setCurrentRow(std::clamp(selected, 0, int(config.accounts.size()) - 1));

    m_noCatchAll->setVisible(!catchAll);
    m_catchAllBox->setVisible(catchAll);

    QStringList lines;
    lines << (config.smtp.host.isEmpty() ? tr("✗ Office mail server: not entered yet.")
                                         : tr("✓ Office mail server: %1, port %2.")
                                               .arg(config.smtp.host)
                                               .arg(config.smtp.port));
    lines << (config.accounts.isEmpty()
                  ? tr("✗ Mailboxes: none yet.")
                  : tr("✓ Mailboxes: %1.").arg(QLocale().createSeparatedList([&config] {
                        QStringList names;
                        for (const AccountConfig &a : config.accounts)
                            names << a.name;
                        return names;
                    }())));
    if (catchAll)
        lines << (config.acceptedDomains.isEmpty()
                      ? tr("✗ Accepted domains: none yet, a catch-all mailbox needs them.")
                      : tr("✓ Accepted domains: %1.")
                            .arg(config.acceptedDomains.join(QStringLiteral(", "))));
    lines << QString();
    lines << (isSetUp(config) ? tr("Everything needed is there. “Save and start” saves the "
                                   "settings and starts collecting.")
                              : tr("Some steps are not done yet. You can save what is there; "
                                   "this guide opens again until they are done."));
    m_summary->setText(lines.join(QLatin1Char('\n')));
    if (!m_showingMailbox)
        runDryRun();
    updateButtons();
}

int FirstRunGuide::currentStep() const
{
    return m_pages->currentIndex();
}

void FirstRunGuide::setCurrentStep(int step)
{
    go(step);
}

bool FirstRunGuide::stepDone(int step) const
{
    return step >= 0 && step < StepCount && m_done[step];
}

void FirstRunGuide::go(int step)
{
    step = std::clamp(step, 0, int(StepCount) - 1);
    if (step != currentStep())
        emit committing(); // the window writes the fields and shows the progress again
    m_hint->hide();
    m_pages->setCurrentIndex(step);
    {
        const QSignalBlocker block(m_steps);
        m_steps->setCurrentRow(step);
    }
    updateButtons();
}

void FirstRunGuide::updateButtons()
{
    const int step = currentStep();
    m_back->setEnabled(step > 0);
    m_skip->setVisible(step < GoLive);
    m_next->setText(step == GoLive ? tr("Save and start") : tr("Next"));
    m_next->setDefault(true);
    m_editMailbox->setEnabled(m_mailboxes->currentRow() >= 0);
    m_accessTest->setEnabled(m_mailboxes->count() > 0 && m_accessBusy->isHidden());
}

QString FirstRunGuide::checkStep() const
{
    switch (currentStep()) {
    case MailServer: {
        const QString host = m_host->text().trimmed();
        if (host.isEmpty())
            return tr("Enter the office mail server, or skip this step for now.");
        if (FieldRules::hasSpaceOrControl(host))
            return tr("The server name must not contain spaces.");
        break;
    }
    case Mailbox:
        if (m_state.accounts.isEmpty())
            return tr("Add a mailbox, or skip this step for now.");
        break;
    case Domains: {
        if (!catchAll())
            break;
        const QStringList domains = domainList();
        if (domains.isEmpty())
            return tr("Enter at least one domain, e.g. example.com, or skip this step for now.");
        for (const QString &d : domains) {
            if (!FieldRules::isDomainName(d))
                return tr("“%1” is not a domain name like “example.com”.").arg(d);
        }
        const QString postmaster = m_postmaster->text().trimmed();
        if (!postmaster.isEmpty() && !FieldRules::looksLikeAddress(postmaster))
            return tr("“%1” is not an email address like postmaster@example.com.").arg(postmaster);
        break;
    }
    default:
        break;
    }
    return QString();
}

void FirstRunGuide::next()
{
    if (const QString problem = checkStep(); !problem.isEmpty()) {
        m_hint->setText(problem);
        m_hint->show();
        return;
    }
    if (currentStep() == GoLive) {
        emit committing();
        emit finishRequested();
        return;
    }
    go(currentStep() + 1);
}

void FirstRunGuide::back()
{
    go(currentStep() - 1);
}

void FirstRunGuide::skip()
{
    go(currentStep() + 1);
}

void FirstRunGuide::testSmtp()
{
    SmtpConfig smtp = m_state.smtp;
    smtp.host = m_host->text().trimmed();
    smtp.port = quint16(m_port->value());
    smtp.startTls = m_startTls->isChecked();
    smtp.username = m_user->text().trimmed();
    if (smtp.host.isEmpty()) {
        m_smtpResult->setText(tr("Enter the office mail server first."));
        m_host->setFocus();
        return;
    }
    m_smtpTest->setEnabled(false);
    m_smtpBusy->show();
    m_smtpResult->setText(tr("Connecting to %1…").arg(smtp.host));
    m_smtpTester->start(smtp, m_password->password(), m_cas);
}

void FirstRunGuide::testAccess()
{
    if (m_state.accounts.isEmpty())
        return;
    const int row = std::max(0, m_mailboxes->currentRow());
    const AccountConfig a = m_state.accounts.value(row);
    m_accessTest->setEnabled(false);
    m_accessBusy->show();
    m_accessResult->setText(tr("Connecting to %1…").arg(a.host));
    m_accessTester->start(a, m_cas); // the password as the dialog stored it
}

} // namespace pollux::ui
