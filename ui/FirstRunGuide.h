#pragma once

#include "config/Config.h"
#include "engine/AccessTester.h"
#include "routing/DryRun.h"
#include "util/Result.h"

#include <QList>
#include <QSslCertificate>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace pollux {
class SecretStore;
}

namespace pollux::ui {

class PasswordField;
class SmtpTester;

// Set up enough to collect mail: an office mail server, at least one mailbox and, when an
// enabled mailbox is a catch-all one, accepted domains. Until then the settings window
// opens on the FirstRunGuide. Nothing the user can skip makes it true.
bool isSetUp(const Config &config);

// The first-run guide, shown by the settings window instead of its pages while the
// configuration is not set up (isSetUp): 1. office mail server, 2. first mailbox,
// 3. catch-all domains with a routing dry run, 4. go live. Every step can be skipped; the
// step list marks the steps the configuration has done.
// The guide keeps no configuration of its own: the settings window loads it, writes its
// fields into the pages (committing()) and saves through its usual path (finishRequested()).
class FirstRunGuide : public QWidget
{
    Q_OBJECT
public:
    enum Step
    {
        MailServer,
        Mailbox,
        Domains,
        GoLive,
        StepCount
    };

    explicit FirstRunGuide(SecretStore *secrets, QWidget *parent = nullptr);
    ~FirstRunGuide() override;

    void setExtraCaCertificates(const QList<QSslCertificate> &certificates);
    // Fills the fields from `config` (the office server's password from the keychain), shows
    // its progress and opens the first step not done.
    void load(const Config &config);
    // Fills the fields from `config` again (the password as it is) and shows its progress.
    void refresh(const Config &config);
    // Writes the fields changed in the guide since load() or refresh() into `config`.
    void apply(Config &config) const;
    // Shows what `config` has done: the step marks, the mailboxes, whether step 3 applies.
    void showProgress(const Config &config);

    // Whether `config` has done `step` (GoLive: never, it is the action).
    static bool isStepDone(Step step, const Config &config);
    // The first step `config` has not done (GoLive when the others are).
    static Step firstOpenStep(const Config &config);

    int currentStep() const;
    void setCurrentStep(int step);
    // The step as the list shows it now (done per the last showProgress()).
    bool stepDone(int step) const;

    QListWidget *stepList() const { return m_steps; }
    QPushButton *backButton() const { return m_back; }
    QPushButton *skipButton() const { return m_skip; }
    QPushButton *nextButton() const { return m_next; }
    QPushButton *allSettingsButton() const { return m_allSettings; }
    QLabel *hint() const { return m_hint; }
    // Step 1.
    QLineEdit *smtpHost() const { return m_host; }
    QSpinBox *smtpPort() const { return m_port; }
    QCheckBox *smtpStartTls() const { return m_startTls; }
    QLineEdit *smtpUser() const { return m_user; }
    PasswordField *smtpPassword() const { return m_password; }
    QLabel *smtpTestResult() const { return m_smtpResult; }
    // Step 2.
    QListWidget *mailboxList() const { return m_mailboxes; }
    QPushButton *addMailboxButton() const { return m_addMailbox; }
    QLabel *accessTestResult() const { return m_accessResult; }
    // Step 3.
    QLineEdit *domains() const { return m_domains; }
    QLineEdit *postmaster() const { return m_postmaster; }
    QLineEdit *sampleAddresses() const { return m_samples; }
    QTableWidget *dryRunTable() const { return m_table; }
    QPushButton *mailboxDryRunButton() const { return m_mailboxRun; }
    QLabel *mailboxDryRunStatus() const { return m_mailboxStatus; }
    // Step 4.
    QLabel *summary() const { return m_summary; }

    // The routing of one message per address ("To: <address>") for `account` as delivery
    // would route it, asking no directory (every local address counts as known).
    static QList<routing::DryRunResult> dryRunAddresses(const Config &config,
                                                        const AccountConfig &account,
                                                        const QStringList &addresses);

public slots:
    void next(); // checks the step, then the next one; on the last step: finishRequested()
    void back();
    void skip(); // the next step, the current one left as it is
    void testSmtp();
    void testAccess(); // the selected mailbox (the first when none is selected)
    // The dry run of step 3 for the sample addresses (empty: one per accepted domain and
    // one elsewhere), shown in the table: address, where it goes, why.
    void runDryRun();
    // The same for the newest messages in the first catch-all mailbox (engine/RouteDryRun in
    // a worker thread, its password from the keychain; nothing is deleted or marked).
    void runMailboxDryRun();

signals:
    // About to move to another step, to the full settings or to saving: the settings window
    // writes the guide's fields into its pages now.
    void committing();
    void addMailboxRequested();
    void editMailboxRequested(int row);
    void allSettingsRequested();
    void finishRequested(); // "Save and start"
    void smtpTestFinished(const pollux::Result &result);
    void accessTestFinished(const pollux::AccessTester::Outcome &outcome);
    void mailboxDryRunFinished(const pollux::Result &result);

private:
    QWidget *page(const QString &title, const QString &intro, QLayout *content);
    QWidget *buildMailServer();
    QWidget *buildMailbox();
    QWidget *buildDomains();
    QWidget *buildGoLive();
    void setFields(const Config &config);
    void go(int step);
    void updateButtons();
    QString checkStep() const; // why Next cannot go on; empty: it can
    QStringList domainList() const;
    const AccountConfig *catchAll() const; // the first enabled catch-all of m_state
    void fillTable(const QList<routing::DryRunResult> &results);
    void startMailboxDryRun(const Config &config, const AccountConfig &account,
                            const QString &password);
    void finishMailboxDryRun(const AccountConfig &account, const Result &result,
                             const QList<routing::DryRunResult> &results);

    SecretStore *m_secrets;
    QList<QSslCertificate> m_cas;
    Config m_base;  // the fields' values as loaded; apply() writes what differs
    Config m_state; // the configuration as last shown (showProgress)
    bool m_done[StepCount] = {};

    QListWidget *m_steps;
    QStackedWidget *m_pages;
    QLabel *m_hint;
    QPushButton *m_allSettings;
    QPushButton *m_back;
    QPushButton *m_skip;
    QPushButton *m_next;

    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QCheckBox *m_startTls = nullptr;
    QLineEdit *m_user = nullptr;
    PasswordField *m_password = nullptr;
    QPushButton *m_smtpTest = nullptr;
    QProgressBar *m_smtpBusy = nullptr;
    QLabel *m_smtpResult = nullptr;
    SmtpTester *m_smtpTester = nullptr;

    QListWidget *m_mailboxes = nullptr;
    QPushButton *m_addMailbox = nullptr;
    QPushButton *m_editMailbox = nullptr;
    QPushButton *m_accessTest = nullptr;
    QProgressBar *m_accessBusy = nullptr;
    QLabel *m_accessResult = nullptr;
    AccessTester *m_accessTester = nullptr;

    QLabel *m_noCatchAll = nullptr;
    QWidget *m_catchAllBox = nullptr;
    QLineEdit *m_domains = nullptr;
    QLineEdit *m_postmaster = nullptr;
    QLineEdit *m_samples = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_tableNote = nullptr;
    QPushButton *m_mailboxRun = nullptr;
    QProgressBar *m_mailboxBusy = nullptr;
    QLabel *m_mailboxStatus = nullptr;
    bool m_mailboxRunning = false;
    bool m_showingMailbox = false; // the table shows the mailbox's messages, not the samples

    QLabel *m_summary = nullptr;
};

} // namespace pollux::ui
