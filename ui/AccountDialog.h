#pragma once

#include "config/Config.h"
#include "engine/AccessTester.h"
#include "routing/EnvelopeDetect.h"

#include <QDialog>
#include <QHash>
#include <QList>
#include <QSslCertificate>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace pollux {
class SecretStore;
}

namespace pollux::ui {

class AccountAdvanced;
class EnvelopeDetector;
class PasswordField;

// The account dialog, as documented: Server type; Access; Type of mailbox / distribution;
// Delete / keep email on the server; plus an "Advanced" section and "Test access".
// Accepting validates (each problem shown next to its field, the first one focused) and
// stores the password in the keychain before the dialog closes.
class AccountDialog : public QDialog
{
    Q_OBJECT
public:
    struct Context
    {
        SecretStore *secrets = nullptr;
        QList<QSslCertificate> extraCaCertificates;
        QStringList otherNames;          // the other accounts' names (must differ)
        bool haveAcceptedDomains = true; // false: remind catch-all users to add them
        // For "Detect" (which recipients are local); empty: any address counts.
        QStringList acceptedDomains;
        bool acceptSubdomains = false;
    };

    explicit AccountDialog(const Context &context, QWidget *parent = nullptr);
    ~AccountDialog() override;

    // Fills the dialog; an existing account's password is loaded from the keychain.
    void setAccount(const AccountConfig &account, bool isNew);
    AccountConfig account() const;
    bool isNew() const { return m_isNew; }

    // Checks every field; shows each problem next to its field and focuses the first.
    bool validate();
    // The problems shown now, each "Field: problem" (tests).
    QStringList errors() const;

    PasswordField *passwordField() const { return m_password; }
    AccountAdvanced *advanced() const { return m_advanced; }
    QLabel *testResult() const { return m_testResult; }
    QPushButton *trustButton() const { return m_trust; }
    void setServerType(ServerType type); // as if its button was clicked
    void setAdvancedVisible(bool visible);

public slots:
    void accept() override;
    void testAccess();
    // The Advanced section's "Detect": reads the newest message headers in a worker thread
    // (engine/RouteDryRun, nothing deleted or marked) and proposes the envelope headers and
    // the provider's hosts (routing::detectEnvelope). Progress and errors show in the section.
    void detectEnvelope();

signals:
    void testFinished(const pollux::AccessTester::Outcome &outcome);
    void detectFinished(const pollux::Result &result);

private:
    QWidget *field(QWidget *editor, const char *name);
    void setError(QWidget *editor, const QString &label, const QString &problem);
    void clearErrors();
    void onTypeChanged(int id);
    void updateEnabled();
    void onTestFinished(const AccessTester::Outcome &outcome);
    void onDetectFinished(const Result &result, const routing::EnvelopeDetection &detection);
    void trustCertificate();
    void suggestName();
    void growToFit(); // taller when a message appeared, never narrower

    Context m_context;
    bool m_isNew = true;
    bool m_nameEdited = false;
    bool m_saving = false;
    ServerType m_type = ServerType::Pop3;
    QString m_originalName;
    QString m_presentedFingerprint;

    QButtonGroup *m_types;
    QLineEdit *m_name;
    QLineEdit *m_host;
    QLineEdit *m_user;
    PasswordField *m_password;
    QSpinBox *m_port;
    QSpinBox *m_timeout;
    QButtonGroup *m_mailbox;
    QLineEdit *m_recipient;
    QLabel *m_catchAllHint;
    QButtonGroup *m_retention;
    QSpinBox *m_keepDays;
    QToolButton *m_advancedToggle;
    AccountAdvanced *m_advanced;
    QPushButton *m_test;
    QProgressBar *m_busy;
    QLabel *m_testResult;
    QPushButton *m_trust;
    QLabel *m_generalError;
    QPushButton *m_ok;
    QHash<QWidget *, QLabel *> m_errorLabels;
    QList<QWidget *> m_errorOrder;
    AccessTester *m_tester = nullptr;
    EnvelopeDetector *m_detector = nullptr;
};

} // namespace pollux::ui
