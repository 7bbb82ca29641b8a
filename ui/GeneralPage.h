#pragma once

#include "config/Config.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace pollux::ui {

// The "General" page: poll interval, start at login, log file and size, language, and the
// less common settings (duplicate window, spool limit, extra CA certificates).
class GeneralPage : public QWidget
{
    Q_OBJECT
public:
    explicit GeneralPage(QWidget *parent = nullptr);

    // `defaultLogFile`: shown when the log file is left empty.
    void load(const Config &config, bool autostart, const QString &defaultLogFile);
    void apply(Config &config) const;
    bool startAtLogin() const;
    bool validate(QStringList &problems);

    QSpinBox *pollMinutes() const { return m_poll; }
    QComboBox *language() const { return m_language; }
    QSpinBox *spoolLimit() const { return m_spoolLimit; }

private:
    QSpinBox *m_poll;
    QCheckBox *m_autostart;
    QLineEdit *m_logFile;
    QSpinBox *m_logSize;
    QComboBox *m_language;
    QLabel *m_languageHint;
    QSpinBox *m_duplicateDays;
    QSpinBox *m_spoolLimit;
    QLineEdit *m_caFile;
};

} // namespace pollux::ui
