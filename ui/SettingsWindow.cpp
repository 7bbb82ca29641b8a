#include "SettingsWindow.h"

#include "AccountsModel.h"
#include "AccountsPage.h"
#include "Autostart.h"
#include "ErrorText.h"
#include "FirstRunGuide.h"
#include "FitScrollArea.h"
#include "GeneralPage.h"
#include "MailServerPage.h"
#include "PasswordField.h"
#include "TrayIcons.h"
#include "engine/Engine.h"
#include "secrets/SecretStore.h"
#include "util/FileMode.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QTabWidget>
#include <QVBoxLayout>

#include <optional>

namespace pollux::ui {

SettingsWindow::SettingsWindow(SecretStore *secrets, const QString &configPath, QWidget *parent)
    : QWidget(parent, Qt::Window), m_secrets(secrets), m_configPath(configPath),
      m_autostartProgram(QCoreApplication::applicationFilePath()), m_tabs(new QTabWidget),
      m_accounts(new AccountsPage(secrets)), m_mailServer(new MailServerPage(secrets)),
      m_general(new GeneralPage), m_guide(new FirstRunGuide(secrets)), m_status(new QLabel),
      m_note(new QLabel)
{
    setWindowTitle(tr("Pollux settings"));
    setWindowIcon(trayStateIcon(TrayState::Idle));
    m_autostartArguments << QStringLiteral("--config") << configPath;
    m_tabs->addTab(m_accounts, tr("POP3/IMAP"));
    m_tabs->addTab(m_mailServer, tr("Mail server"));
    m_tabs->addTab(m_general, tr("General"));
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("problems"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    auto *buttons = new QDialogButtonBox;
    m_save = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    m_guideButton = buttons->addButton(tr("Setup guide…"), QDialogButtonBox::ActionRole);
    m_guideButton->setToolTip(tr("Opens the guide again that helps to set up Pollux."));
    m_guideButton->hide();
    auto *close = buttons->addButton(tr("Close"), QDialogButtonBox::RejectRole);
    m_save->setDefault(true);
    connect(m_save, &QPushButton::clicked, this, &SettingsWindow::save);
    connect(close, &QPushButton::clicked, this, &QWidget::close);
    connect(m_guideButton, &QPushButton::clicked, this, [this] { showGuide(true); });

    m_guide->hide();
    connect(m_guide, &FirstRunGuide::committing, this, &SettingsWindow::commitGuide);
    connect(m_guide, &FirstRunGuide::allSettingsRequested, this, [this] { showGuide(false); });
    connect(m_guide, &FirstRunGuide::finishRequested, this, &SettingsWindow::save);
    connect(m_guide, &FirstRunGuide::addMailboxRequested, m_accounts, &AccountsPage::addAccount);
    connect(m_guide, &FirstRunGuide::editMailboxRequested, m_accounts, &AccountsPage::editAccount);
    // A mailbox added, edited or removed: the guide's list and step marks follow.
    AccountsModel *model = m_accounts->model();
    connect(model, &QAbstractItemModel::rowsInserted, this, &SettingsWindow::updateGuide);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &SettingsWindow::updateGuide);
    connect(model, &QAbstractItemModel::modelReset, this, &SettingsWindow::updateGuide);
    connect(model, &QAbstractItemModel::dataChanged, this, &SettingsWindow::updateGuide);

    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("note"));
    m_note->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addWidget(m_guide, 1); // one of the two is hidden (and takes no room then)
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    // Room for the account list and the guide's tables.
    resizeWithinScreen(this, sizeHint().expandedTo(QSize(860, 620)));
}

void SettingsWindow::setNote(const QString &text)
{
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

QString SettingsWindow::note() const
{
    return m_note->text();
}

void SettingsWindow::setAutostartCommand(const QString &program, const QStringList &arguments)
{
    m_autostartProgram = program;
    m_autostartArguments = arguments;
}

void SettingsWindow::setConfig(const Config &config)
{
    m_loaded = config;
    QList<QSslCertificate> cas;
    (void)Engine::loadCaCertificates(config, cas); // a bad caFile is reported on save
    m_accounts->setExtraCaCertificates(cas);
    m_mailServer->setExtraCaCertificates(cas);
    m_accounts->load(config);
    m_mailServer->load(config);
    const QString defaultLog = Engine::dataDirectory(config) + QStringLiteral("/pollux.log");
    m_general->load(config, Autostart::isEnabled(), defaultLog);
    m_problems.clear();
    m_status->hide();
    m_guideShown = false; // nothing of the guide to write: it loads afresh
    m_guide->setExtraCaCertificates(cas);
    m_guide->load(config);
    showGuide(!isSetUp(config));
}

Config SettingsWindow::pagesConfig() const
{
    Config c = m_loaded;
    m_accounts->apply(c);
    m_mailServer->apply(c);
    m_general->apply(c);
    return c;
}

Config SettingsWindow::config() const
{
    Config c = pagesConfig();
    if (m_guideShown)
        m_guide->apply(c);
    return c;
}

// The Mail server page's SMTP password: the password field in the box of its server field.
PasswordField *SettingsWindow::pageSmtpPassword() const
{
    const auto *host = m_mailServer->findChild<QLineEdit *>(QStringLiteral("smtp.host"));
    return host && host->parentWidget() ? host->parentWidget()->findChild<PasswordField *>()
                                        : nullptr;
}

void SettingsWindow::showGuide(bool show)
{
    if (show) {
        if (!m_guideShown) {
            m_guide->refresh(pagesConfig());
            // A password typed on the Mail server page is the one the guide shows.
            PasswordField *typed = pageSmtpPassword();
            if (typed && typed->isModified())
                m_guide->smtpPassword()->setPassword(typed->password());
        }
    } else {
        commitGuide();
    }
    m_guideShown = show;
    m_guide->setVisible(show);
    m_tabs->setVisible(!show);
    m_save->setVisible(!show);
    m_guideButton->setVisible(!show && !isSetUp(m_loaded));
}

void SettingsWindow::commitGuide()
{
    if (!m_guideShown)
        return;
    const Config before = pagesConfig();
    Config c = before;
    m_guide->apply(c);
    const bool mailServerChanged =
        c.smtp.host != before.smtp.host || c.smtp.port != before.smtp.port ||
        c.smtp.startTls != before.smtp.startTls || c.smtp.username != before.smtp.username ||
        c.postmaster != before.postmaster;
    const QList<PasswordField *> passwords = m_mailServer->findChildren<PasswordField *>();
    if (mailServerChanged) {
        // load() reads the passwords from the keychain again: the typed ones stay typed.
        QList<std::optional<QString>> typed;
        for (PasswordField *p : passwords)
            typed << (p->isModified() ? std::optional(p->password()) : std::nullopt);
        m_mailServer->load(c);
        for (int i = 0; i < passwords.size(); ++i) {
            if (typed.at(i))
                passwords.at(i)->setPassword(*typed.at(i));
        }
    }
    if (PasswordField *page = pageSmtpPassword(); page && m_guide->smtpPassword()->isModified())
        page->setPassword(m_guide->smtpPassword()->password());
    if (c.acceptedDomains != before.acceptedDomains)
        m_accounts->domainsEdit()->setPlainText(c.acceptedDomains.join(QLatin1Char('\n')));
    m_guide->refresh(pagesConfig());
}

void SettingsWindow::updateGuide()
{
    if (m_guideShown)
        m_guide->showProgress(config());
}

void SettingsWindow::showProblems(int page)
{
    if (page >= 0)
        m_tabs->setCurrentIndex(page);
    m_status->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_status->setText(tr("Please correct this before saving:") + QLatin1Char('\n') +
                      m_problems.join(QLatin1Char('\n')));
    m_status->show();
    emit saveFailed(m_problems.join(QLatin1Char('\n')));
}

QString SettingsWindow::describe(const QString &coreProblem, const Config &config) const
{
    const QString field = coreProblem.section(QStringLiteral(": "), 0, 0);
    const QString problem = coreProblem.section(QStringLiteral(": "), 1);
    static const QRegularExpression accountField(QStringLiteral("^accounts\\[(\\d+)\\]"));
    const QRegularExpressionMatch m = accountField.match(field);
    QString label;
    if (m.hasMatch()) {
        const int i = m.captured(1).toInt();
        label =
            tr("Account “%1”")
                .arg(i < config.accounts.size() ? config.accounts.at(i).name : QString::number(i));
    } else if (field.startsWith(QLatin1String("smtp"))) {
        label = tr("Office mail server");
    } else if (field.startsWith(QLatin1String("directory"))) {
        label = tr("Re-routing unknown recipients");
    } else if (field.startsWith(QLatin1String("acceptedDomains"))) {
        label = tr("Accepted Recipient Domains");
    } else if (field == QLatin1String("postmaster")) {
        label = tr("Postmaster address");
    } else {
        label = field;
    }
    return tr("%1: %2").arg(label, problem);
}

bool SettingsWindow::save()
{
    if (m_saving)
        return false;
    commitGuide();
    m_problems.clear();
    if (!m_accounts->validate(m_problems)) {
        showProblems(0);
        return false;
    }
    if (!m_mailServer->validate(m_problems)) {
        showProblems(1);
        return false;
    }
    if (!m_general->validate(m_problems)) {
        showProblems(2);
        return false;
    }
    const Config c = config();
    bool anyEnabled = false;
    bool reroute = false;
    for (const AccountConfig &a : c.accounts) {
        anyEnabled = anyEnabled || a.enabled;
        reroute = reroute || (a.enabled && a.mailbox == MailboxType::CatchAllReroute);
    }
    if (anyEnabled && c.smtp.host.isEmpty())
        m_problems << tr("%1: %2").arg(tr("Office mail server"),
                                       tr("enter the server that receives the collected mail."));
    if (reroute && c.postmaster.isEmpty())
        m_problems << tr("%1: %2").arg(tr("Postmaster address"),
                                       tr("re-routing unknown recipients needs a postmaster "
                                          "address."));
    if (!m_problems.isEmpty()) {
        showProblems(1);
        return false;
    }
    if (Result r = c.validate(); !r) {
        const QStringList lines = r.message().split(QLatin1Char('\n'));
        for (const QString &line : lines)
            m_problems << describe(line, c);
        showProblems(-1);
        return false;
    }
    m_saving = true;
    m_save->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Saving…"));
    m_status->show();
    QPointer<SettingsWindow> self(this);
    m_mailServer->storePasswords([self, c](Result r) {
        if (!self)
            return;
        if (!r) {
            self->m_saving = false;
            self->m_save->setEnabled(true);
            self->m_problems = {ErrorText::describe(r)};
            self->showProblems(1);
            return;
        }
        self->finishSave(c);
    });
    return true;
}

void SettingsWindow::finishSave(const Config &c)
{
    if (m_saveTarget) {
        QPointer<SettingsWindow> self(this);
        m_saveTarget(c, [self, c](const QString &problem) {
            if (!self)
                return;
            self->m_saving = false;
            self->m_save->setEnabled(true);
            if (!problem.isEmpty()) {
                self->m_problems = {problem};
                self->showProblems(-1);
                return;
            }
            self->written(c);
        });
        return;
    }
    m_saving = false;
    m_save->setEnabled(true);
    // The default file's folder (~/.config/Pollux) may not exist yet; private like the file.
    filemode::makePrivatePath(QFileInfo(m_configPath).absolutePath());
    if (Result r = c.save(m_configPath); !r) {
        m_problems = {ErrorText::describe(r)};
        showProblems(-1);
        return;
    }
    written(c);
}

void SettingsWindow::written(const Config &c)
{
    if (m_general->startAtLogin() != Autostart::isEnabled() &&
        !Autostart::setEnabled(m_general->startAtLogin(), m_autostartProgram,
                               m_autostartArguments)) {
        m_problems = {
            tr("%1: %2").arg(tr("Start at login"),
                             tr("%1 could not be written.").arg(Autostart::desktopFilePath()))};
        showProblems(2);
        return;
    }
    // Passwords of removed accounts leave the keychain with them.
    QSet<QString> names;
    for (const AccountConfig &a : c.accounts)
        names.insert(a.name);
    for (const AccountConfig &a : std::as_const(m_loaded.accounts)) {
        if (names.contains(a.name) || !m_secrets)
            continue;
        m_secrets->remove(secretKey(SecretKind::Account, a.name), [](Result) {});
        if (isOAuth2(a.signIn)) {
            m_secrets->remove(secretKey(SecretKind::OAuth2ClientSecret, a.name), [](Result) {});
            m_secrets->remove(secretKey(SecretKind::OAuth2Refresh, a.name), [](Result) {});
        }
    }
    m_loaded = c;
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Saved. The new settings are in use."));
    m_status->show();
    if (m_guideShown && isSetUp(c))
        showGuide(false); // done: the pages from now on
    else if (m_guideShown)
        m_guide->refresh(c);
    m_guideButton->setVisible(!m_guideShown && !isSetUp(c));
    emit saved(c);
}

} // namespace pollux::ui
