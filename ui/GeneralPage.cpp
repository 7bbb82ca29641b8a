#include "GeneralPage.h"

#include "DurationEdit.h"
#include "ErrorText.h"
#include "FieldRules.h"
#include "FitScrollArea.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pollux::ui {

namespace {
QHBoxLayout *withBrowse(QLineEdit *edit, QWidget *parent, const QString &title)
{
    auto *row = new QHBoxLayout;
    auto *browse = new QPushButton(GeneralPage::tr("Browse…"));
    row->addWidget(edit, 1);
    row->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, parent, [edit, parent, title] {
        const QString path = QFileDialog::getSaveFileName(
            parent, title, edit->text(), QString(), nullptr, QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            edit->setText(path);
    });
    return row;
}
} // namespace

GeneralPage::GeneralPage(QWidget *parent)
    : QWidget(parent), m_poll(new DurationEdit),
      m_autostart(new QCheckBox(tr("Start Pollux when I log in"))),
      m_alertsOn(new QCheckBox(tr("Send alerts by e-mail when something needs attention"))),
      m_alertExtra(new QLineEdit), m_alertFrom(new QLineEdit),
      m_failing(new DurationEdit(DurationEdit::Minutes)),
      m_outage(new DurationEdit(DurationEdit::Minutes)),
      m_testAlert(new QPushButton(tr("Send test alert"))), m_alertResult(new QLabel),
      m_logFile(new QLineEdit), m_logSize(new QSpinBox), m_language(new QComboBox),
      m_languageHint(new QLabel), m_duplicateDays(new QSpinBox), m_spoolLimit(new QSpinBox),
      m_caFile(new QLineEdit)
{
    m_poll->setObjectName(QStringLiteral("pollInterval"));
    m_poll->setRange(Config::kMinPollIntervalSecs, Config::kMaxPollIntervalSecs);
    m_logSize->setRange(1, 10240);
    m_logSize->setSuffix(tr(" MiB"));
    m_duplicateDays->setRange(0, 365);
    m_duplicateDays->setSpecialValueText(tr("off"));
    DurationEdit::nameUnitAfter(m_duplicateDays, DurationEdit::Days);
    m_spoolLimit->setObjectName(QStringLiteral("spoolLimit"));
    m_spoolLimit->setRange(10, 1024 * 1024);
    m_spoolLimit->setSingleStep(256);
    m_spoolLimit->setSuffix(tr(" MiB"));
    m_spoolLimit->setToolTip(
        tr("When this much mail waits for the office server (for example while it is down), "
           "Pollux stops collecting; new mail stays on the provider's server until there is "
           "room again."));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_languageHint->setText(tr("A new language takes effect when Pollux is started again."));
    m_languageHint->setWordWrap(true);
    m_caFile->setPlaceholderText(tr("empty: the system's certificates only"));

    auto *runBox = new QGroupBox(tr("Running"));
    auto *run = new QFormLayout(runBox);
    run->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    run->addRow(tr("Poll the mailboxes every:"), m_poll);
    run->addRow(QString(), m_autostart);

    // Alerts by e-mail (engine/AlertTracker).
    m_alertsOn->setObjectName(QStringLiteral("alerts.enabled"));
    m_alertExtra->setObjectName(QStringLiteral("alerts.extraAddress"));
    m_alertFrom->setObjectName(QStringLiteral("alerts.from"));
    m_failing->setObjectName(QStringLiteral("alerts.failingThreshold"));
    m_outage->setObjectName(QStringLiteral("alerts.officeOutage"));
    m_testAlert->setObjectName(QStringLiteral("alerts.test"));
    m_alertResult->setObjectName(QStringLiteral("alerts.testResult"));
    m_alertExtra->setPlaceholderText(tr("optional, e.g. it-support@example.com"));
    m_alertFrom->setPlaceholderText(tr("empty: the postmaster address"));
    m_failing->setRange(5 * 60, 7 * 24 * 3600);
    m_failing->setToolTip(tr("A mailbox whose collection has failed this long without a "
                             "success is reported. A mailbox that needs a new sign-in is "
                             "reported at once."));
    m_outage->setRange(0, 24 * 3600);
    m_outage->setSpecialValueText(tr("any length"));
    m_outage->setToolTip(tr("Outages of the office mail server at least this long are "
                            "reported once it works again; shorter ones are only logged."));
    m_testAlert->setToolTip(tr("Sends a test alert with the saved settings, through the office "
                               "mail server."));
    m_alertResult->setWordWrap(true);
    m_alertResult->setTextFormat(Qt::PlainText);
    m_alertResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *alertsHelp = new QLabel(
        tr("Alerts go to the postmaster (Mail server page) through the office mail server: a "
           "mailbox that keeps failing or needs a new sign-in, a message kept in quarantine, "
           "a full queue, an outage of the office server. Each at most once a day."));
    alertsHelp->setWordWrap(true);
    auto *alertsBox = new QGroupBox(tr("Alerts by e-mail"));
    auto *alerts = new QFormLayout(alertsBox);
    alerts->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    alerts->addRow(m_alertsOn);
    alerts->addRow(alertsHelp);
    alerts->addRow(tr("Also send alerts to:"), m_alertExtra);
    alerts->addRow(tr("Sender (From:):"), m_alertFrom);
    alerts->addRow(tr("Report a mailbox failing for:"), m_failing);
    alerts->addRow(tr("Report office server outages from:"), m_outage);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testAlert);
    testRow->addWidget(m_alertResult, 1);
    alerts->addRow(testRow);

    auto *logBox = new QGroupBox(tr("Log"));
    auto *log = new QFormLayout(logBox);
    log->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    log->addRow(tr("Log file:"), withBrowse(m_logFile, this, tr("Log file")));
    log->addRow(tr("Start a new log file after:"), m_logSize);

    auto *langBox = new QGroupBox(tr("Language"));
    auto *lang = new QFormLayout(langBox);
    lang->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    lang->addRow(tr("Language:"), m_language);
    lang->addRow(m_languageHint);

    auto *moreBox = new QGroupBox(tr("More"));
    auto *more = new QFormLayout(moreBox);
    more->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    more->addRow(tr("Deliver the same message to a recipient only once within:"), m_duplicateDays);
    more->addRow(tr("Keep at most this much mail waiting for the office server:"), m_spoolLimit);
    more->addRow(tr("Extra trusted certificates (PEM):"),
                 withBrowse(m_caFile, this, tr("Certificate file")));

    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->addWidget(runBox);
    column->addWidget(alertsBox);
    column->addWidget(logBox);
    column->addWidget(langBox);
    column->addWidget(moreBox);
    column->addStretch();
    // A small screen (960x540 logical at 200 %) scrolls the page instead of cutting it off.
    m_scroll = new FitScrollArea(content, 380);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scroll);
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

    connect(m_alertsOn, &QCheckBox::toggled, this, &GeneralPage::updateAlerts);
    connect(m_testAlert, &QPushButton::clicked, this, &GeneralPage::requestTestAlert);
    updateAlerts();
}

void GeneralPage::load(const Config &config, bool autostart, const QString &defaultLogFile)
{
    m_poll->setValue(config.pollIntervalSecs);
    m_autostart->setChecked(autostart);
    m_alertsOn->setChecked(config.alerts.enabled);
    m_alertExtra->setText(config.alerts.extraAddress);
    m_alertFrom->setText(config.alerts.from);
    m_failing->setValue(config.alerts.failingThresholdMinutes * 60);
    m_outage->setValue(config.alerts.officeOutageMinutes * 60);
    m_alertResult->clear();
    updateAlerts();
    m_logFile->setText(config.logFile);
    m_logFile->setPlaceholderText(defaultLogFile);
    m_logSize->setValue(int(qBound(qint64(1), config.logMaxBytes / (1024 * 1024), qint64(10240))));
    const int lang = m_language->findData(config.language);
    m_language->setCurrentIndex(lang < 0 ? 0 : lang);
    m_duplicateDays->setValue(config.duplicateWindowDays);
    m_spoolLimit->setValue(config.spoolLimitMiB);
    m_caFile->setText(config.caFile);
    m_scroll->refit();
}

void GeneralPage::apply(Config &config) const
{
    config.pollIntervalSecs = m_poll->value(); // exact: 90 s shows as "90 seconds"
    config.alerts.enabled = m_alertsOn->isChecked();
    config.alerts.extraAddress = m_alertExtra->text().trimmed();
    config.alerts.from = m_alertFrom->text().trimmed();
    config.alerts.failingThresholdMinutes = m_failing->value() / 60;
    config.alerts.officeOutageMinutes = m_outage->value() / 60;
    config.logFile = m_logFile->text().trimmed();
    config.logMaxBytes = qint64(m_logSize->value()) * 1024 * 1024;
    config.language = m_language->currentData().toString();
    config.duplicateWindowDays = m_duplicateDays->value();
    config.spoolLimitMiB = m_spoolLimit->value();
    config.caFile = m_caFile->text().trimmed();
}

bool GeneralPage::startAtLogin() const
{
    return m_autostart->isChecked();
}

bool GeneralPage::validate(QStringList &problems)
{
    QWidget *first = nullptr;
    auto problem = [&](QWidget *w, const QString &field, const QString &text) {
        problems << tr("%1: %2").arg(field, text);
        if (!first)
            first = w;
    };
    const QString extra = m_alertExtra->text().trimmed();
    if (!extra.isEmpty() && !FieldRules::looksLikeAddress(extra))
        problem(m_alertExtra, tr("Also send alerts to"),
                tr("“%1” is not an email address like it-support@example.com.").arg(extra));
    const QString from = m_alertFrom->text().trimmed();
    if (!from.isEmpty() && !FieldRules::looksLikeAddress(from))
        problem(m_alertFrom, tr("Sender of alerts"),
                tr("“%1” is not an email address like pollux@example.com.").arg(from));
    const QString ca = m_caFile->text().trimmed();
    if (!ca.isEmpty() && !QFileInfo(ca).isReadable())
        problem(m_caFile, tr("Extra trusted certificates"),
                tr("the file “%1” cannot be read.").arg(ca));
    if (first) {
        m_scroll->reveal(first);
        first->setFocus(Qt::OtherFocusReason);
    }
    return first == nullptr;
}

void GeneralPage::updateAlerts()
{
    const bool on = m_alertsOn->isChecked();
    for (QWidget *w : {static_cast<QWidget *>(m_alertExtra), static_cast<QWidget *>(m_alertFrom),
                       static_cast<QWidget *>(m_failing), static_cast<QWidget *>(m_outage),
                       static_cast<QWidget *>(m_testAlert)})
        w->setEnabled(on);
}

void GeneralPage::requestTestAlert()
{
    if (!m_alertsOn->isChecked()) {
        m_alertResult->setText(tr("Alerts are off: turn them on and save first."));
        return;
    }
    m_alertResult->setText(tr("Sending a test alert…"));
    emit testAlertRequested();
}

void GeneralPage::showTestAlertResult(const Result &result, const QString &text)
{
    if (!text.isEmpty()) {
        m_alertResult->setText(text);
        return;
    }
    m_alertResult->setText(result.ok() ? tr("The test alert is on its way to the postmaster and "
                                            "the extra address, as last saved. The Activity "
                                            "window shows its delivery.")
                                       : ErrorText::describe(result));
}

} // namespace pollux::ui
