#pragma once

#include "config/Config.h"

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QTabWidget;

namespace pollux {
class SecretStore;
}

namespace pollux::ui {

class AccountsPage;
class FirstRunGuide;
class GeneralPage;
class MailServerPage;
class PasswordField;

// The settings window: the "POP3/IMAP", "Mail server" and "General" pages. Save checks
// every page (each problem names its field), stores typed passwords in the keychain,
// writes the configuration file and emits saved() so the engine can apply it.
// While the configuration is not set up (isSetUp, FirstRunGuide.h) the window opens on the
// first-run guide instead of the pages; the guide writes into the pages and saves with them.
class SettingsWindow : public QWidget
{
    Q_OBJECT
public:
    SettingsWindow(SecretStore *secrets, const QString &configPath, QWidget *parent = nullptr);

    // Loads the pages; opens the first-run guide when `config` is not set up (isSetUp).
    void setConfig(const Config &config);
    // The configuration as the pages (and the guide, while shown) show it now.
    Config config() const;
    QString configPath() const { return m_configPath; }

    // Problems found by the last save(), each "Field: problem".
    QStringList problems() const { return m_problems; }

    AccountsPage *accountsPage() const { return m_accounts; }
    MailServerPage *mailServerPage() const { return m_mailServer; }
    GeneralPage *generalPage() const { return m_general; }
    QTabWidget *tabs() const { return m_tabs; }
    FirstRunGuide *guide() const { return m_guide; }
    // The guide is shown instead of the pages.
    bool isGuideShown() const { return m_guideShown; }
    QPushButton *guideButton() const { return m_guideButton; }

    // Where Save writes the configuration: by default the file configPath(); with a target
    // set (the tray attached to a service), the target does, and calls `done` with an empty
    // problem on success or the sentence to show.
    using SaveTarget =
        std::function<void(const Config &config, std::function<void(const QString &problem)> done)>;
    void setSaveTarget(SaveTarget target) { m_saveTarget = std::move(target); }
    // A line above the pages (empty: none), e.g. whose settings these are.
    void setNote(const QString &text);
    QString note() const;

    // How the autostart entry starts Pollux (program and arguments).
    void setAutostartCommand(const QString &program, const QStringList &arguments);

public slots:
    // Validates; when all is well stores passwords, writes the file and emits saved()
    // (asynchronously: the keychain answers later). Returns false on a validation problem.
    bool save();
    // The first-run guide instead of the pages (true), or the pages (the guide's fields
    // written into them first).
    void showGuide(bool show);

signals:
    void saved(const pollux::Config &config);
    void saveFailed(const QString &problem);

private:
    Config pagesConfig() const;
    void commitGuide();
    void updateGuide();
    PasswordField *pageSmtpPassword() const;
    void showProblems(int page);
    void finishSave(const Config &config);
    void written(const Config &config);
    QString describe(const QString &coreProblem, const Config &config) const;

    SecretStore *m_secrets;
    QString m_configPath;
    Config m_loaded;
    QString m_autostartProgram;
    QStringList m_autostartArguments;
    QStringList m_problems;
    QTabWidget *m_tabs;
    AccountsPage *m_accounts;
    MailServerPage *m_mailServer;
    GeneralPage *m_general;
    FirstRunGuide *m_guide;
    bool m_guideShown = false;
    QPushButton *m_guideButton;
    QLabel *m_status;
    QLabel *m_note;
    QPushButton *m_save;
    bool m_saving = false;
    SaveTarget m_saveTarget;
};

} // namespace pollux::ui
