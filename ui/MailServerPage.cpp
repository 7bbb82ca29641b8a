#include "MailServerPage.h"

#include "DirectoryTester.h"
#include "DurationEdit.h"
#include "ErrorText.h"
#include "FieldRules.h"
#include "FitScrollArea.h"
#include "HumanTerms.h"
#include "PasswordField.h"
#include "SmtpTester.h"
#include "secrets/SecretStore.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <functional>
#include <memory>

namespace pollux::ui {

namespace {
// The page's height before it scrolls: the settings window (tabs, buttons, frame) stays
// within 540 logical pixels.
constexpr int kPageHintHeight = 380;
const QString kCustom = QStringLiteral("custom");
} // namespace

MailServerPage::MailServerPage(SecretStore *secrets, QWidget *parent)
    : QWidget(parent), m_secrets(secrets), m_host(new QLineEdit), m_port(new QSpinBox),
      m_startTls(new QCheckBox(tr("Require STARTTLS (encrypted connection)"))),
      m_user(new QLineEdit), m_smtpPassword(new PasswordField(secrets)), m_helo(new QLineEdit),
      m_timeout(new DurationEdit), m_retry(new DurationEdit),
      m_smtpTest(new QPushButton(tr("Test"))), m_smtpBusy(new QProgressBar),
      m_smtpResult(new QLabel), m_postmaster(new QLineEdit), m_directory(new QButtonGroup(this)),
      m_ldapBox(new QWidget), m_ldapUrl(new QLineEdit),
      m_ldapStartTls(new QCheckBox(tr("Use StartTLS"))), m_baseDn(new QLineEdit),
      m_bindDn(new QLineEdit), m_ldapPassword(new PasswordField(secrets)), m_kind(new QComboBox),
      m_filterToggle(new QToolButton), m_filterBox(new QWidget), m_filter(new QLineEdit),
      m_cacheTtl(new DurationEdit), m_dirTimeout(new DurationEdit),
      m_dirTest(new QPushButton(tr("Test"))), m_dirBusy(new QProgressBar), m_dirResult(new QLabel),
      m_probeHint(new QLabel), m_postHelp(new QLabel), m_tester(new SmtpTester(this)),
      m_dirTester(new DirectoryTester(this))
{
    m_host->setObjectName(QStringLiteral("smtp.host"));
    m_postmaster->setObjectName(QStringLiteral("postmaster"));
    m_timeout->setObjectName(QStringLiteral("smtp.timeout"));
    m_retry->setObjectName(QStringLiteral("smtp.retryInterval"));
    m_kind->setObjectName(QStringLiteral("directory.kind"));
    m_filter->setObjectName(QStringLiteral("directory.filter"));
    m_filterToggle->setObjectName(QStringLiteral("directory.advanced"));
    m_cacheTtl->setObjectName(QStringLiteral("directory.cacheTtl"));
    m_dirTimeout->setObjectName(QStringLiteral("directory.timeout"));

    // The office mail server.
    auto *smtpBox = new QGroupBox(tr("Office mail server (SMTP)"));
    auto *smtp = new QFormLayout(smtpBox);
    smtp->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_host->setPlaceholderText(tr("mail.office.example"));
    m_port->setRange(1, 65535);
    m_user->setPlaceholderText(tr("empty: no login"));
    m_helo->setPlaceholderText(tr("empty: this computer's name"));
    m_timeout->setRange(10, 3600);
    m_timeout->setToolTip(tr("How long to wait for the office mail server to answer."));
    m_retry->setRange(10, 86400);
    m_retry->setToolTip(tr("When the office mail server does not accept a message yet (it is "
                           "busy or cannot be reached), Pollux tries again after this time, "
                           "then waits longer each time. Messages it refuses for good are "
                           "kept in quarantine."));
    m_smtpBusy->setRange(0, 0);
    m_smtpBusy->setMaximumWidth(120);
    m_smtpBusy->hide();
    m_smtpResult->setWordWrap(true);
    m_smtpResult->setTextFormat(Qt::PlainText); // the server's words are text, never markup
    m_smtpResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port:")));
    hostRow->addWidget(m_port);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_smtpTest);
    testRow->addWidget(m_smtpBusy);
    testRow->addStretch();
    smtp->addRow(tr("Server:"), hostRow);
    smtp->addRow(m_startTls);
    smtp->addRow(tr("Username (optional):"), m_user);
    smtp->addRow(tr("Password:"), m_smtpPassword);
    smtp->addRow(tr("HELO name:"), m_helo);
    smtp->addRow(tr("Timeout:"), m_timeout);
    smtp->addRow(tr("First retry after:"), m_retry);
    smtp->addRow(testRow);
    smtp->addRow(m_smtpResult);

    // The postmaster, and what becomes of mail the office server refuses.
    auto *postBox = new QGroupBox(tr("Postmaster"));
    auto *post = new QFormLayout(postBox);
    post->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_postmaster->setPlaceholderText(tr("postmaster@office.example"));
    post->addRow(tr("Postmaster address:"), m_postmaster);
    m_postHelp->setObjectName(QStringLiteral("postmaster.help"));
    m_postHelp->setWordWrap(true);
    m_postHelp->setText(
        tr("Receives mail with no local recipient, mail for unknown recipients (re-routing) "
           "and notices. Mail the office server refuses for good is kept in quarantine, in "
           "the folders “%1” and “%2”: the Activity window lists it and sends it again.")
            .arg(HumanTerms::quarantineFolder(QuarantineFolder::BadMail),
                 HumanTerms::quarantineFolder(QuarantineFolder::TooLarge)));
    m_postHelp->setToolTip(
        HumanTerms::quarantineFolder(QuarantineFolder::BadMail) + QStringLiteral(": ") +
        HumanTerms::quarantineFolderHelp(QuarantineFolder::BadMail) + QLatin1Char('\n') +
        HumanTerms::quarantineFolder(QuarantineFolder::TooLarge) + QStringLiteral(": ") +
        HumanTerms::quarantineFolderHelp(QuarantineFolder::TooLarge));
    post->addRow(m_postHelp);

    // The directory.
    auto *dirBox = new QGroupBox(tr("Re-routing unknown recipients"));
    auto *dir = new QVBoxLayout(dirBox);
    auto *none = new QRadioButton(tr("No check: all recipients count as known"));
    none->setToolTip(tr("Every recipient in an accepted domain is taken as known."));
    auto *ldap = new QRadioButton(tr("Look recipients up in a directory (LDAP)"));
    auto *probe = new QRadioButton(tr("Ask the office mail server (SMTP probing)"));
    m_directory->addButton(none, int(DirectoryType::None));
    m_directory->addButton(ldap, int(DirectoryType::Ldap));
    m_directory->addButton(probe, int(DirectoryType::SmtpProbe));
    m_ldapUrl->setPlaceholderText(tr("ldap://dc1.office.example"));
    for (const HumanTerms::FilterPreset &preset : HumanTerms::filterPresets())
        m_kind->addItem(preset.name, preset.id);
    m_kind->addItem(tr("Other (own search filter)"), QStringLiteral("custom"));
    m_kind->setToolTip(tr("Which directory server answers: it decides how Pollux searches for "
                          "an address (the search filter under “Advanced”)."));
    m_baseDn->setPlaceholderText(HumanTerms::filterPresets().constFirst().baseDnExample);
    m_bindDn->setPlaceholderText(tr("empty: anonymous"));
    m_filter->setToolTip(tr("An LDAP search filter; %s stands for the address looked up."));
    m_cacheTtl->setRange(0, 7 * 86400);
    m_cacheTtl->setSpecialValueText(tr("not at all"));
    m_cacheTtl->setToolTip(tr("How long an answer from the directory is remembered."));
    m_dirTimeout->setRange(1, 300);
    m_dirTimeout->setToolTip(tr("For all the lookups of one message together. A directory that "
                                "does not answer in time is not asked again for the retry "
                                "interval; catch-all mail waits meanwhile."));
    m_dirTest->setToolTip(tr("Looks the postmaster address up in the directory."));
    m_dirBusy->setRange(0, 0);
    m_dirBusy->setMaximumWidth(120);
    m_dirBusy->hide();
    m_dirResult->setWordWrap(true);
    m_dirResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The search filter itself, for those who know LDAP.
    m_filterToggle->setText(tr("Advanced"));
    m_filterToggle->setCheckable(true);
    m_filterToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_filterToggle->setArrowType(Qt::RightArrow);
    m_filterToggle->setAutoRaise(true);
    auto *filterForm = new QFormLayout(m_filterBox);
    filterForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    filterForm->setContentsMargins(0, 0, 0, 0);
    filterForm->addRow(tr("Search filter:"), m_filter);
    m_filterBox->hide();

    auto *ldapForm = new QFormLayout(m_ldapBox);
    ldapForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    ldapForm->setContentsMargins(24, 0, 0, 0);
    ldapForm->addRow(tr("Server URL:"), m_ldapUrl);
    ldapForm->addRow(QString(), m_ldapStartTls);
    ldapForm->addRow(tr("Directory server:"), m_kind);
    ldapForm->addRow(tr("Base DN:"), m_baseDn);
    ldapForm->addRow(tr("Bind DN:"), m_bindDn);
    ldapForm->addRow(tr("Bind password:"), m_ldapPassword);
    ldapForm->addRow(m_filterToggle);
    ldapForm->addRow(m_filterBox);
    m_probeHint->setWordWrap(true);
    m_probeHint->setContentsMargins(24, 0, 0, 0);
    m_probeHint->setText(tr("Pollux asks the office mail server whether it knows each "
                            "recipient; test that server with its Test button."));
    auto *ttlRow = new QFormLayout;
    ttlRow->addRow(tr("Remember answers for:"), m_cacheTtl);
    ttlRow->addRow(tr("Time for one message's lookups:"), m_dirTimeout);
    dir->addWidget(none);
    dir->addWidget(ldap);
    dir->addWidget(m_ldapBox);
    dir->addWidget(probe);
    dir->addWidget(m_probeHint);
    dir->addLayout(ttlRow);
    auto *dirTestRow = new QHBoxLayout;
    dirTestRow->addWidget(m_dirTest);
    dirTestRow->addWidget(m_dirBusy);
    dirTestRow->addStretch();
    dir->addLayout(dirTestRow);
    dir->addWidget(m_dirResult);

    auto *content = new QWidget;
    auto *left = new QVBoxLayout;
    left->addWidget(smtpBox);
    left->addWidget(postBox);
    left->addStretch();
    auto *right = new QVBoxLayout;
    right->addWidget(dirBox);
    right->addStretch();
    auto *columns = new QHBoxLayout(content);
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    // A small screen (960x540 logical at 200 %) scrolls the page instead of cutting it off.
    m_scroll = new FitScrollArea(content, kPageHintHeight);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scroll);

    connect(m_filterToggle, &QToolButton::toggled, this, &MailServerPage::setFilterVisible);
    connect(m_kind, &QComboBox::activated, this, &MailServerPage::onKindChosen);
    connect(m_filter, &QLineEdit::textEdited, this, &MailServerPage::onFilterEdited);
    connect(m_smtpTest, &QPushButton::clicked, this, &MailServerPage::testSmtp);
    connect(m_tester, &SmtpTester::finished, this, [this](const Result &result) {
        m_smtpBusy->hide();
        m_smtpTest->setEnabled(true);
        m_smtpResult->setText(result.ok() ? tr("The office mail server answered and accepted "
                                               "the login.")
                                          : ErrorText::describe(result));
        emit smtpTestFinished(result);
    });
    connect(m_directory, &QButtonGroup::idToggled, this, &MailServerPage::updateDirectory);
    connect(m_dirTest, &QPushButton::clicked, this, &MailServerPage::testDirectory);
    connect(m_dirTester, &DirectoryTester::finished, this,
            [this](const Result &result, bool known, const QString &detail) {
                m_dirBusy->hide();
                m_dirTest->setEnabled(true);
                const QString address = m_postmaster->text().trimmed();
                if (!result.ok())
                    m_dirResult->setText(ErrorText::describe(result));
                else if (known)
                    m_dirResult->setText(tr("The directory answered: it knows %1.").arg(address));
                else
                    m_dirResult->setText(tr("The directory answered, but it does not know %1 "
                                            "(%2). Check the postmaster address and the "
                                            "search settings.")
                                             .arg(address, detail));
                emit directoryTestFinished(result);
            });
    // Numbers keep their natural width; text fields take the rest; wrapped texts take the
    // width the fields leave (their own wish, 80 characters, would widen the page).
    for (QSpinBox *spin : findChildren<QSpinBox *>())
        spin->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    for (QLabel *label : findChildren<QLabel *>()) {
        if (label->wordWrap()) {
            QSizePolicy policy = label->sizePolicy(); // keeps height-for-width
            policy.setHorizontalPolicy(QSizePolicy::Ignored);
            label->setSizePolicy(policy);
        }
    }
}

void MailServerPage::setExtraCaCertificates(const QList<QSslCertificate> &certificates)
{
    m_cas = certificates;
}

void MailServerPage::load(const Config &config)
{
    m_caFile = config.caFile;
    m_host->setText(config.smtp.host);
    m_port->setValue(config.smtp.port);
    m_startTls->setChecked(config.smtp.startTls);
    m_user->setText(config.smtp.username);
    m_helo->setText(config.smtp.heloName);
    m_timeout->setValue(config.smtp.timeoutSecs);
    m_retry->setValue(config.smtp.retryIntervalSecs);
    m_postmaster->setText(config.postmaster);
    m_directory->button(int(config.directory.type))->setChecked(true);
    m_ldapUrl->setText(config.directory.ldapUrl);
    m_ldapStartTls->setChecked(config.directory.ldapStartTls);
    m_baseDn->setText(config.directory.baseDn);
    m_bindDn->setText(config.directory.bindDn);
    m_filter->setText(config.directory.filter);
    const HumanTerms::FilterPreset preset = HumanTerms::presetForFilter(config.directory.filter);
    m_customFilter = preset.id.isEmpty() ? config.directory.filter : QString();
    if (!preset.id.isEmpty())
        m_baseDn->setPlaceholderText(preset.baseDnExample);
    m_kind->setCurrentIndex(m_kind->findData(preset.id.isEmpty() ? kCustom : preset.id));
    // An own filter is shown, so that nobody wonders where the search rule is.
    setFilterVisible(preset.id.isEmpty());
    m_cacheTtl->setValue(config.directory.cacheTtlSecs);
    m_dirTimeout->setValue(config.directory.timeoutSecs);
    m_smtpPassword->load(secretKey(SecretKind::Smtp), QStringLiteral("pollux password set --smtp"));
    m_ldapPassword->load(secretKey(SecretKind::Ldap));
    m_smtpResult->clear();
    updateDirectory();
    m_scroll->refit();
}

void MailServerPage::apply(Config &config) const
{
    config.smtp.host = m_host->text().trimmed();
    config.smtp.port = quint16(m_port->value());
    config.smtp.startTls = m_startTls->isChecked();
    config.smtp.username = m_user->text().trimmed();
    config.smtp.heloName = m_helo->text().trimmed();
    config.smtp.timeoutSecs = m_timeout->value();
    config.smtp.retryIntervalSecs = m_retry->value();
    config.postmaster = m_postmaster->text().trimmed();
    config.directory.type = DirectoryType(m_directory->checkedId());
    config.directory.ldapUrl = m_ldapUrl->text().trimmed();
    config.directory.ldapStartTls = m_ldapStartTls->isChecked();
    config.directory.baseDn = m_baseDn->text().trimmed();
    config.directory.bindDn = m_bindDn->text().trimmed();
    config.directory.filter = m_filter->text().trimmed();
    config.directory.cacheTtlSecs = m_cacheTtl->value();
    config.directory.timeoutSecs = m_dirTimeout->value();
}

bool MailServerPage::validate(QStringList &problems)
{
    QWidget *first = nullptr;
    auto problem = [&](QWidget *w, const QString &field, const QString &text) {
        problems << tr("%1: %2").arg(field, text);
        if (!first)
            first = w;
    };
    Config c;
    apply(c);
    if (FieldRules::hasSpaceOrControl(c.smtp.host))
        problem(m_host, tr("Office mail server"), tr("the server name must not contain spaces."));
    if (FieldRules::hasSpaceOrControl(c.smtp.heloName))
        problem(m_helo, tr("HELO name"), tr("must not contain spaces."));
    if (!c.postmaster.isEmpty() && !FieldRules::looksLikeAddress(c.postmaster))
        problem(m_postmaster, tr("Postmaster address"),
                tr("“%1” is not an email address like postmaster@example.com.").arg(c.postmaster));
    if (c.directory.type == DirectoryType::Ldap) {
        if (!c.directory.ldapUrl.startsWith(QLatin1String("ldap://")) &&
            !c.directory.ldapUrl.startsWith(QLatin1String("ldaps://")))
            problem(m_ldapUrl, tr("Directory server URL"),
                    tr("must start with ldap:// or ldaps://, e.g. ldap://dc1.example.local."));
        if (c.directory.baseDn.isEmpty())
            problem(m_baseDn, tr("Base DN"),
                    tr("enter where to search, e.g. DC=example,DC=local."));
        if (!c.directory.filter.contains(QLatin1String("%s"))) {
            problem(m_filter, tr("Search filter"), tr("must contain %s where the address goes."));
            setFilterVisible(true);
        }
    }
    if (first) {
        m_scroll->reveal(first);
        first->setFocus(Qt::OtherFocusReason);
    }
    return first == nullptr;
}

void MailServerPage::storePasswords(std::function<void(Result)> done)
{
    auto first = std::make_shared<Result>();
    auto remaining = std::make_shared<int>(2);
    auto one = [first, remaining, done](Result r) {
        if (!r && first->ok())
            *first = r;
        if (--*remaining == 0)
            done(*first);
    };
    m_smtpPassword->store(secretKey(SecretKind::Smtp), one);
    m_ldapPassword->store(secretKey(SecretKind::Ldap), one);
}

void MailServerPage::setFilterVisible(bool visible)
{
    m_filterToggle->setChecked(visible);
    m_filterToggle->setArrowType(visible ? Qt::DownArrow : Qt::RightArrow);
    m_filterBox->setVisible(visible);
    m_scroll->refit();
}

void MailServerPage::onKindChosen()
{
    const QString id = m_kind->currentData().toString();
    if (id == kCustom) {
        // Back to the own filter typed before, if any; open where it is typed.
        if (!m_customFilter.isEmpty())
            m_filter->setText(m_customFilter);
        setFilterVisible(true);
        m_filter->setFocus(Qt::OtherFocusReason);
        return;
    }
    for (const HumanTerms::FilterPreset &preset : HumanTerms::filterPresets()) {
        if (preset.id == id) {
            m_filter->setText(preset.filter);
            m_baseDn->setPlaceholderText(preset.baseDnExample);
        }
    }
}

void MailServerPage::onFilterEdited()
{
    // Typing a filter makes it an own one unless it is exactly a preset's.
    const HumanTerms::FilterPreset preset = HumanTerms::presetForFilter(m_filter->text());
    if (preset.id.isEmpty())
        m_customFilter = m_filter->text();
    m_kind->setCurrentIndex(m_kind->findData(preset.id.isEmpty() ? kCustom : preset.id));
}

void MailServerPage::updateDirectory()
{
    const auto type = DirectoryType(m_directory->checkedId());
    m_ldapBox->setEnabled(type == DirectoryType::Ldap);
    m_probeHint->setEnabled(type == DirectoryType::SmtpProbe);
    m_cacheTtl->setEnabled(type != DirectoryType::None);
    m_dirTimeout->setEnabled(type != DirectoryType::None);
    m_dirTest->setEnabled(type != DirectoryType::None && !m_dirTester->isRunning());
}

void MailServerPage::testDirectory()
{
    Config c;
    apply(c);
    c.caFile = m_caFile; // LDAP reads the file itself
    const QString address = c.postmaster;
    if (address.isEmpty()) {
        m_dirResult->setText(tr("Enter the postmaster address first: the test looks it up."));
        m_postmaster->setFocus();
        return;
    }
    m_dirTest->setEnabled(false);
    m_dirBusy->show();
    m_dirResult->setText(tr("Looking up %1…").arg(address));
    m_dirTester->start(c, m_ldapPassword->password(), m_smtpPassword->password(), m_cas, address);
}

void MailServerPage::testSmtp()
{
    Config c;
    apply(c);
    if (c.smtp.host.isEmpty()) {
        m_smtpResult->setText(tr("Enter the office mail server first."));
        m_host->setFocus();
        return;
    }
    m_smtpTest->setEnabled(false);
    m_smtpBusy->show();
    m_smtpResult->setText(tr("Connecting to %1…").arg(c.smtp.host));
    m_tester->start(c.smtp, m_smtpPassword->password(), m_cas);
}

} // namespace pollux::ui
