#include "GeneralPage.h"

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
    : QWidget(parent), m_poll(new QSpinBox),
      m_autostart(new QCheckBox(tr("Start Pollux when I log in"))), m_logFile(new QLineEdit),
      m_logSize(new QSpinBox), m_language(new QComboBox), m_languageHint(new QLabel),
      m_duplicateDays(new QSpinBox), m_spoolLimit(new QSpinBox), m_caFile(new QLineEdit)
{
    m_poll->setObjectName(QStringLiteral("pollInterval"));
    m_poll->setRange(1, 24 * 60);
    m_poll->setSuffix(tr(" min"));
    m_logSize->setRange(1, 10240);
    m_logSize->setSuffix(tr(" MiB"));
    m_duplicateDays->setRange(0, 365);
    m_duplicateDays->setSpecialValueText(tr("off"));
    m_duplicateDays->setSuffix(tr(" days"));
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

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(runBox);
    layout->addWidget(logBox);
    layout->addWidget(langBox);
    layout->addWidget(moreBox);
    layout->addStretch();
    // Numbers keep their natural width; text fields take the rest.
    for (QSpinBox *spin : findChildren<QSpinBox *>())
        spin->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void GeneralPage::load(const Config &config, bool autostart, const QString &defaultLogFile)
{
    m_poll->setValue(qMax(1, config.pollIntervalSecs / 60));
    m_autostart->setChecked(autostart);
    m_logFile->setText(config.logFile);
    m_logFile->setPlaceholderText(defaultLogFile);
    m_logSize->setValue(int(qBound(qint64(1), config.logMaxBytes / (1024 * 1024), qint64(10240))));
    const int lang = m_language->findData(config.language);
    m_language->setCurrentIndex(lang < 0 ? 0 : lang);
    m_duplicateDays->setValue(config.duplicateWindowDays);
    m_spoolLimit->setValue(config.spoolLimitMiB);
    m_caFile->setText(config.caFile);
}

void GeneralPage::apply(Config &config) const
{
    // Keep an interval that is not whole minutes (edited by hand) unless it was changed.
    if (config.pollIntervalSecs / 60 != m_poll->value() || config.pollIntervalSecs < 60)
        config.pollIntervalSecs = m_poll->value() * 60;
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
    const QString ca = m_caFile->text().trimmed();
    if (!ca.isEmpty() && !QFileInfo(ca).isReadable()) {
        problems << tr("%1: %2").arg(tr("Extra trusted certificates"),
                                     tr("the file “%1” cannot be read.").arg(ca));
        m_caFile->setFocus(Qt::OtherFocusReason);
        return false;
    }
    return true;
}

} // namespace pollux::ui
