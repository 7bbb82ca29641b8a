#pragma once

#include "config/Config.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace pollux::ui {

class DurationEdit;
class FitScrollArea;

// The "General" page: poll interval, start at login, alerts by e-mail, log file and size,
// language, and the less common settings (duplicate window, spool limit, extra CA
// certificates). Durations show in minutes, hours or days; the page scrolls when the
// window is small.
class GeneralPage : public QWidget
{
    Q_OBJECT
public:
    explicit GeneralPage(QWidget *parent = nullptr);

    // `defaultLogFile`: shown when the log file is left empty.
    void load(const Config &config, bool autostart, const QString &defaultLogFile);
    void apply(Config &config) const;
    bool startAtLogin() const;
    // Checks the page; each problem names its field, the first one is focused.
    bool validate(QStringList &problems);

    DurationEdit *pollInterval() const { return m_poll; }
    QComboBox *language() const { return m_language; }
    QSpinBox *spoolLimit() const { return m_spoolLimit; }
    QCheckBox *alertsEnabled() const { return m_alertsOn; }
    QLineEdit *alertExtraAddress() const { return m_alertExtra; }
    QLineEdit *alertFrom() const { return m_alertFrom; }
    DurationEdit *alertFailingThreshold() const { return m_failing; }
    DurationEdit *alertOfficeOutage() const { return m_outage; }
    QPushButton *testAlertButton() const { return m_testAlert; }
    QLabel *testAlertResult() const { return m_alertResult; }

public slots:
    // The answer to testAlertRequested(): ok, the test alert is queued (it is delivered
    // like any message); otherwise why not, shown in words next to the button: `text` when
    // given (e.g. "the service is not running"), else ErrorText's sentence for the result.
    void showTestAlertResult(const pollux::Result &result, const QString &text = QString());

signals:
    // "Send test alert" was pressed with alerts on: the engine (Engine::sendTestAlert)
    // queues one with the saved settings; answer with showTestAlertResult().
    void testAlertRequested();

private:
    void requestTestAlert();
    void updateAlerts();

    DurationEdit *m_poll;
    QCheckBox *m_autostart;
    QCheckBox *m_alertsOn;
    QLineEdit *m_alertExtra;
    QLineEdit *m_alertFrom;
    DurationEdit *m_failing;
    DurationEdit *m_outage;
    QPushButton *m_testAlert;
    QLabel *m_alertResult;
    QLineEdit *m_logFile;
    QSpinBox *m_logSize;
    QComboBox *m_language;
    QLabel *m_languageHint;
    QSpinBox *m_duplicateDays;
    QSpinBox *m_spoolLimit;
    QLineEdit *m_caFile;
    FitScrollArea *m_scroll;
};

} // namespace pollux::ui
