#include "AccountDialog.h"

#include "AccountAdvanced.h"
#include "AccountAuthentication.h"
#include "AccountDialogDetect.h"
#include "DurationEdit.h"
#include "ErrorText.h"
#include "FitScrollArea.h"
#include "MessageBox.h"
#include "PasswordField.h"
#include "secrets/SecretStore.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QScrollBar>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace pollux::ui {

AccountDialog::AccountDialog(const Context &context, QWidget *parent)
    : QDialog(parent), m_context(context), m_types(new QButtonGroup(this)), m_name(new QLineEdit),
      m_host(new QLineEdit), m_user(new QLineEdit), m_password(new PasswordField(context.secrets)),
      m_port(new QSpinBox), m_timeout(new DurationEdit), m_mailbox(new QButtonGroup(this)),
      m_recipient(new QLineEdit), m_catchAllHint(new QLabel), m_retention(new QButtonGroup(this)),
      m_keepDays(new QSpinBox), m_advancedToggle(new QToolButton),
      m_advanced(new AccountAdvanced(context.secrets)), m_test(new QPushButton(tr("Test access"))),
      m_busy(new QProgressBar), m_testResult(new QLabel),
      m_trust(new QPushButton(tr("Trust this certificate…"))), m_generalError(new QLabel)
{
    setWindowTitle(tr("POP3/IMAP account"));
    m_name->setObjectName(QStringLiteral("name"));
    m_host->setObjectName(QStringLiteral("host"));
    m_user->setObjectName(QStringLiteral("username"));
    m_port->setObjectName(QStringLiteral("port"));
    m_timeout->setObjectName(QStringLiteral("timeout"));
    m_recipient->setObjectName(QStringLiteral("recipient"));
    m_keepDays->setObjectName(QStringLiteral("keepDays"));

    // Server type.
    auto *typeBox = new QGroupBox(tr("Server type"));
    auto *typeRow = new QHBoxLayout(typeBox);
    const QList<std::pair<ServerType, QString>> types = {{ServerType::Pop3, tr("POP3")},
                                                         {ServerType::Pop3Ssl, tr("POP3-SSL")},
                                                         {ServerType::Imap, tr("IMAP")},
                                                         {ServerType::ImapSsl, tr("IMAP-SSL")}};
    for (const auto &t : types) {
        auto *b = new QRadioButton(t.second);
        b->setObjectName(QStringLiteral("type-") + configName(t.first));
        m_types->addButton(b, int(t.first));
        typeRow->addWidget(b);
    }
    typeRow->addStretch();

    // Access.
    auto *accessBox = new QGroupBox(tr("Access"));
    auto *access = new QFormLayout(accessBox);
    access->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name->setToolTip(tr("How this account appears in the list, the activity and the log."));
    // Wide enough for "joe.smith@provider.example" without scrolling.
    const int wide = fontMetrics().horizontalAdvance(QLatin1Char('x')) * 30;
    for (QLineEdit *edit : {m_name, m_host, m_user})
        edit->setMinimumWidth(wide);
    m_password->setMinimumWidth(wide);
    m_port->setRange(1, 65535);
    m_timeout->setRange(10, 3600);
    m_timeout->setToolTip(tr("How long to wait for a server that does not answer."));
    m_access = access;
    buildSignIn();
    access->addRow(tr("Account name:"), field(m_name, "name"));
    access->addRow(tr("Servername:"), field(m_host, "host"));
    access->addRow(m_providerRow);
    access->addRow(tr("Username:"), field(m_user, "username"));
    access->addRow(tr("Password:"), m_password);
    access->addRow(tr("Sign-in:"), m_signInRow);
    access->addRow(tr("IP portnumber:"), field(m_port, "port"));
    access->addRow(tr("Timeout:"), field(m_timeout, "timeout"));

    // Type of mailbox / distribution.
    auto *mailboxBox = new QGroupBox(tr("Type of mailbox / distribution"));
    auto *mailbox = new QVBoxLayout(mailboxBox);
    auto *catchAll = new QRadioButton(tr("Catch-all mailbox"));
    auto *reroute = new QRadioButton(tr("Catch-all mailbox – re-route mail to unknown recipients"));
    auto *single = new QRadioButton(tr("Single user mailbox, all mail goes to:"));
    catchAll->setObjectName(QStringLiteral("mailbox-catch-all"));
    reroute->setObjectName(QStringLiteral("mailbox-catch-all-reroute"));
    single->setObjectName(QStringLiteral("mailbox-single-user"));
    m_mailbox->addButton(catchAll, int(MailboxType::CatchAll));
    m_mailbox->addButton(reroute, int(MailboxType::CatchAllReroute));
    m_mailbox->addButton(single, int(MailboxType::SingleUser));
    m_recipient->setPlaceholderText(tr("user@example.com"));
    m_catchAllHint->setWordWrap(true);
    m_catchAllHint->setText(tr("Don't forget to add your local domains to the Accepted "
                               "Recipient Domains box on the POP3/IMAP page."));
    auto *recipientRow = new QHBoxLayout;
    recipientRow->addSpacing(24);
    recipientRow->addWidget(field(m_recipient, "recipient"));
    mailbox->addWidget(catchAll);
    mailbox->addWidget(reroute);
    mailbox->addWidget(single);
    mailbox->addLayout(recipientRow);
    mailbox->addWidget(m_catchAllHint);
    mailbox->addStretch();

    // Delete / keep email on the server.
    auto *keepBox = new QGroupBox(tr("Delete / keep email on the server"));
    auto *keep = new QVBoxLayout(keepBox);
    auto *del = new QRadioButton(tr("Delete downloaded email"));
    auto *keepAll = new QRadioButton(tr("Leave a copy of downloaded email (indefinitely)"));
    auto *keepDays = new QRadioButton(tr("Leave a copy of downloaded email for"));
    del->setObjectName(QStringLiteral("retention-delete"));
    keepAll->setObjectName(QStringLiteral("retention-keep"));
    keepDays->setObjectName(QStringLiteral("retention-keep-days"));
    m_retention->addButton(del, int(Retention::Delete));
    m_retention->addButton(keepAll, int(Retention::Keep));
    m_retention->addButton(keepDays, int(Retention::KeepDays));
    m_keepDays->setRange(1, 3650);
    DurationEdit::nameUnitAfter(m_keepDays, DurationEdit::Days);
    auto *daysRow = new QHBoxLayout;
    daysRow->addWidget(keepDays);
    daysRow->addWidget(field(m_keepDays, "keepDays"));
    daysRow->addStretch();
    keep->addWidget(del);
    keep->addWidget(keepAll);
    keep->addLayout(daysRow);
    keep->addStretch();

    // Advanced.
    m_advancedToggle->setText(tr("Advanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    m_advanced->setVisible(false);
    connect(m_advancedToggle, &QToolButton::toggled, this, &AccountDialog::setAdvancedVisible);
    connect(m_advanced, &AccountAdvanced::detectRequested, this, &AccountDialog::detectEnvelope);
    for (QWidget *w : {static_cast<QWidget *>(m_advanced->folder()),
                       static_cast<QWidget *>(m_advanced->fingerprint()),
                       static_cast<QWidget *>(m_advanced->envelopeHeaders()),
                       static_cast<QWidget *>(m_advanced->providerHosts()),
                       static_cast<QWidget *>(m_advanced->authMethod())}) {
        auto *label = new QLabel;
        label->setWordWrap(true);
        label->setStyleSheet(QStringLiteral("color: #b00020;"));
        label->hide();
        w->parentWidget()->layout()->addWidget(label);
        m_errorLabels.insert(w, label);
    }
    const auto &authErrors = m_advanced->authentication()->errorLabels();
    for (auto it = authErrors.cbegin(); it != authErrors.cend(); ++it)
        m_errorLabels.insert(it.key(), it.value());

    // Test access.
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->hide();
    m_testResult->setWordWrap(true);
    m_testResult->setTextFormat(Qt::PlainText); // the server's words are text, never markup
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_trust->hide();
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_busy);
    testRow->addWidget(m_trust);
    testRow->addStretch();

    m_generalError->setWordWrap(true);
    m_generalError->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_generalError->hide();

    auto *buttons = new QDialogButtonBox;
    m_ok = buttons->addButton(tr("OK"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    m_ok->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &AccountDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AccountDialog::reject);

    auto *grid = new QGridLayout;
    grid->addWidget(typeBox, 0, 0, 1, 2);
    grid->addWidget(accessBox, 1, 0, 2, 1);
    grid->addWidget(mailboxBox, 1, 1);
    grid->addWidget(keepBox, 2, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    // The fields scroll; Test access, its result and OK stay in view below them.
    auto *fields = new QWidget;
    auto *fieldsLayout = new QVBoxLayout(fields);
    fieldsLayout->setContentsMargins(0, 0, 0, 0);
    fieldsLayout->addLayout(grid);
    fieldsLayout->addWidget(m_advancedToggle);
    fieldsLayout->addWidget(m_advanced);
    fieldsLayout->addStretch();
    m_scroll = new FitScrollArea(fields, QWIDGETSIZE_MAX);
    m_scroll->setObjectName(QStringLiteral("fields"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scroll, 1);
    layout->addLayout(testRow);
    layout->addWidget(m_testResult);
    layout->addWidget(m_generalError);
    layout->addWidget(buttons);

    connect(m_types, &QButtonGroup::idClicked, this, &AccountDialog::onTypeChanged);
    connect(m_mailbox, &QButtonGroup::idToggled, this, &AccountDialog::updateEnabled);
    connect(m_retention, &QButtonGroup::idToggled, this, &AccountDialog::updateEnabled);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });
    connect(m_host, &QLineEdit::textEdited, this, &AccountDialog::suggestName);
    connect(m_user, &QLineEdit::textEdited, this, &AccountDialog::suggestName);
    connect(m_test, &QPushButton::clicked, this, &AccountDialog::testAccess);
    connect(m_trust, &QPushButton::clicked, this, &AccountDialog::trustCertificate);
    connect(m_password, &PasswordField::statusChanged, this, &AccountDialog::growToFit);

    setAccount(AccountConfig{}, true);
}

AccountDialog::~AccountDialog() = default;

QWidget *AccountDialog::field(QWidget *editor, const char *name)
{
    auto *box = new QWidget;
    box->setObjectName(QString::fromLatin1(name) + QStringLiteral("-field"));
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(editor);
    auto *error = new QLabel;
    error->setObjectName(QString::fromLatin1(name) + QStringLiteral("-error"));
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #b00020;"));
    error->hide();
    v->addWidget(error);
    m_errorLabels.insert(editor, error);
    return box;
}

void AccountDialog::growToFit()
{
    // Deferred: the layout learns about the new text in the next event loop round.
    QTimer::singleShot(0, this, [this] {
        layout()->activate();
        const int h = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                    : layout()->totalSizeHint().height();
        if (h > height())
            resize(width(), qMin(h, maxHeight()));
    });
}

void AccountDialog::setAdvancedVisible(bool visible)
{
    m_advancedToggle->setChecked(visible);
    m_advancedToggle->setArrowType(visible ? Qt::DownArrow : Qt::RightArrow);
    m_advanced->setVisible(visible);
    m_scroll->refit();
    adjustSize();
    if (visible) {
        // Opened: the section's start at the top, as far as the fields scroll.
        QTimer::singleShot(0, this, [this] {
            if (m_advanced->isVisible())
                m_scroll->verticalScrollBar()->setValue(m_advancedToggle->y());
        });
    }
}

int AccountDialog::maxHeight() const
{
    // The window frame (~40 logical pixels) comes on top of this.
    const QScreen *s = screen();
    const int room = s ? s->availableGeometry().height() - 40 : kMaxHintHeight;
    return qMax(200, qMin(kMaxHintHeight, room));
}

QSize AccountDialog::sizeHint() const
{
    QSize hint = QDialog::sizeHint();
    hint.setHeight(qMin(hint.height(), maxHeight()));
    return hint;
}

void AccountDialog::setAccount(const AccountConfig &account, bool isNew)
{
    m_isNew = isNew;
    m_nameEdited = !isNew;
    m_originalName = account.name;
    m_type = account.type;
    m_types->button(int(account.type))->setChecked(true);
    m_name->setText(account.name);
    m_host->setText(account.host);
    m_user->setText(account.username);
    m_port->setValue(account.port);
    m_timeout->setValue(account.timeoutSecs);
    m_mailbox->button(int(account.mailbox))->setChecked(true);
    m_recipient->setText(account.recipient);
    m_retention->button(int(account.retention))->setChecked(true);
    m_keepDays->setValue(account.keepDays);
    cancelSignIn();
    m_advanced->load(account, isNew);
    m_loadedMethod = account.signIn;
    m_signedIn = false;
    m_signedInExpiry = QDateTime();
    m_refreshName = isNew ? QString() : account.name;
    setSignInStatus(QString(), false);
    updateSignIn();
    m_testResult->clear();
    m_trust->hide();
    clearErrors();
    updateEnabled();
    setWindowTitle(isNew ? tr("Add POP3/IMAP account") : tr("Edit POP3/IMAP account"));
    const QString hint = QStringLiteral("pollux password set \"%1\"").arg(account.name);
    m_password->load(isNew ? QString() : secretKey(SecretKind::Account, account.name), hint);
    m_scroll->refit(); // shown next: ask for the size of what is shown now
}

AccountConfig AccountDialog::account() const
{
    AccountConfig a;
    a.name = m_name->text().trimmed();
    a.type = m_type;
    a.host = m_host->text().trimmed();
    a.port = quint16(m_port->value());
    a.username = m_user->text();
    a.timeoutSecs = m_timeout->value();
    a.mailbox = MailboxType(m_mailbox->checkedId());
    a.recipient = m_recipient->text().trimmed();
    a.retention = Retention(m_retention->checkedId());
    a.keepDays = m_keepDays->value();
    m_advanced->apply(a);
    return a;
}

void AccountDialog::setServerType(ServerType type)
{
    m_types->button(int(type))->setChecked(true);
    onTypeChanged(int(type));
}

void AccountDialog::onTypeChanged(int id)
{
    const ServerType type = ServerType(id);
    // The port follows the type unless the user chose another one.
    if (m_port->value() == defaultPort(m_type))
        m_port->setValue(defaultPort(type));
    m_type = type;
    updateEnabled();
    updateSignIn();
}

void AccountDialog::updateEnabled()
{
    m_advanced->setServerType(m_type);
    const auto mailbox = MailboxType(m_mailbox->checkedId());
    m_recipient->setEnabled(mailbox == MailboxType::SingleUser);
    m_catchAllHint->setVisible(mailbox != MailboxType::SingleUser &&
                               !m_context.haveAcceptedDomains);
    m_keepDays->setEnabled(Retention(m_retention->checkedId()) == Retention::KeepDays);
}

void AccountDialog::suggestName()
{
    if (m_nameEdited || !m_isNew)
        return;
    const QString user = m_user->text().trimmed();
    const QString host = m_host->text().trimmed();
    m_name->setText(user.isEmpty() || host.isEmpty() ? QString(user + host)
                                                     : QString(user + QLatin1Char('@') + host));
}

void AccountDialog::testAccess()
{
    if (!m_tester) {
        m_tester = new AccessTester(m_context.secrets, this);
        connect(m_tester, &AccessTester::finished, this, &AccountDialog::onTestFinished);
    }
    m_test->setEnabled(false);
    m_trust->hide();
    m_busy->show();
    m_testResult->setText(tr("Connecting to %1…").arg(m_host->text().trimmed()));
    const QString password = m_password->password();
    m_tester->start(account(), m_context.extraCaCertificates, password);
}

void AccountDialog::onTestFinished(const AccessTester::Outcome &outcome)
{
    m_busy->hide();
    m_test->setEnabled(true);
    m_presentedFingerprint = outcome.presentedFingerprint;
    // One sentence, then the evidence (ErrorText::testAccessText).
    m_testResult->setText(ErrorText::testAccessText(outcome, account()));
    if (outcome.result.code() == ErrorCode::Tls && !outcome.presentedFingerprint.isEmpty())
        m_trust->show();
    growToFit();
    emit testFinished(outcome);
}

void AccountDialog::trustCertificate()
{
    if (m_presentedFingerprint.isEmpty())
        return;
    const auto answer = MessageBox::question(
        this, tr("Trust this certificate?"),
        tr("Trust the certificate with this SHA-256 fingerprint for this account?\n\n%1\n\n"
           "Only do this if you know the server uses its own (self-signed) certificate, "
           "ideally after comparing the fingerprint with the one your provider gives you.")
            .arg(m_presentedFingerprint));
    if (answer != QMessageBox::Yes)
        return;
    m_advanced->fingerprint()->setText(m_presentedFingerprint);
    setAdvancedVisible(true);
    m_trust->hide();
    m_testResult->setText(tr("The certificate will be trusted. Test access again to check."));
}

void AccountDialog::reject()
{
    cancelSignIn();
    QDialog::reject();
}

void AccountDialog::accept()
{
    if (m_saving || !validate())
        return;
    if (m_password->isLoading() || m_advanced->authentication()->clientSecret()->isLoading()) {
        m_generalError->setText(tr("Please wait until the password has been loaded."));
        m_generalError->show();
        return;
    }
    if (isSigningIn()) {
        m_generalError->setText(tr("Please finish or cancel the sign-in first."));
        m_generalError->show();
        return;
    }
    m_saving = true;
    m_ok->setEnabled(false);
    QPointer<AccountDialog> self(this);
    storeSecrets([self](bool ok) {
        if (!self)
            return;
        self->m_saving = false;
        self->m_ok->setEnabled(true);
        if (ok)
            self->QDialog::accept();
    });
}

} // namespace pollux::ui
