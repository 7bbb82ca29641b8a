#pragma once

#include "SignInRunner.h"
#include "config/Config.h"
#include "engine/AccessTester.h"
#include "routing/EnvelopeDetect.h"

#include <QDateTime>
#include <QDialog>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSslCertificate>

class QButtonGroup;
class QFormLayout;
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
class AccountAuthentication;
class DeviceCodeDialog;
class DurationEdit;
class EnvelopeDetector;
class FitScrollArea;
class PasswordField;

// The account dialog, as documented: Server type; Access; Type of mailbox / distribution;
// Delete / keep email on the server; plus an "Advanced" section and "Test access".
// Accepting validates (each problem shown next to its field, the first one focused) and
// stores the password in the keychain before the dialog closes.
// OAuth2 accounts (Microsoft 365, Google, another provider) sign in instead of a password:
// "Sign in…" (the system browser) or "Sign in on another device…" (a code to enter
// elsewhere); the refresh token goes to the keychain at once, the client secret on OK.
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
        // The sign-in runners (browser, device); empty: the real ones (makeSignInRunner).
        SignInRunnerFactory signInRunners;
        // What the engine last said about the account's stored sign-in (OAuth2 accounts).
        bool signInNeeded = false;
        QDateTime signInExpiresAt; // invalid: not stated
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
    // The fields (documented part and Advanced) scroll inside the dialog, so that it fits
    // a small screen (960x540 logical at 200 %): the dialog asks for at most this height,
    // less on a screen with less room; Test access and OK stay in view below.
    static constexpr int kMaxHintHeight = 500;
    QSize sizeHint() const override;
    FitScrollArea *scrollArea() const { return m_scroll; }
    DurationEdit *timeout() const { return m_timeout; }
    // As if chosen: an OAuth2 method's preset fills host, port and server type (POP3 or
    // IMAP as chosen); the password gives way to the sign-in.
    void setSignInMethod(SignInMethod method);
    AccountAuthentication *authentication() const;

    // The main page's line for a known provider's host ("… is Microsoft 365: sign in with
    // Microsoft instead of a password") and its button that switches the method.
    QLabel *providerHint() const { return m_providerText; }
    QPushButton *providerSwitch() const { return m_providerSwitch; }
    QLabel *signInStatus() const { return m_signInStatus; }
    QPushButton *signInButton() const { return m_signInBrowser; }
    QPushButton *deviceSignInButton() const { return m_signInDevice; }
    QPushButton *cancelSignInButton() const { return m_signInCancel; }
    DeviceCodeDialog *deviceCodeDialog() const; // while the device sign-in waits
    bool isSigningIn() const { return m_runner != nullptr || m_storingSignIn; }
    // A sign-in in this dialog stored its refresh token (for the account's name at OK).
    bool signedIn() const { return m_signedIn; }
    QString signedInName() const { return m_refreshName; }        // where the token is now
    QDateTime signedInExpiry() const { return m_signedInExpiry; } // invalid: not stated

public slots:
    void accept() override;
    void reject() override; // also stops a sign-in that waits
    void testAccess();
    // The Advanced section's "Detect": reads the newest message headers in a worker thread
    // (engine/RouteDryRun, nothing deleted or marked) and proposes the envelope headers and
    // the provider's hosts (routing::detectEnvelope). Progress and errors show in the section.
    void detectEnvelope();
    // "Sign in again": with the browser where the provider has an authorization endpoint,
    // otherwise on another device. Waits for the client secret to load first.
    void signIn();
    void signInWithBrowser();
    void signInOnAnotherDevice();
    void cancelSignIn();

signals:
    void testFinished(const pollux::AccessTester::Outcome &outcome);
    void detectFinished(const pollux::Result &result);
    // A sign-in ended: stored (ok), failed or cancelled; `message` as the dialog shows it.
    void signInFinished(bool ok, const QString &message);

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
    // Sign-in (AccountDialogSignIn.cpp).
    void buildSignIn();
    void updateSignIn();
    void updateProviderHint();
    void setSignInStatus(const QString &text, bool problem);
    void checkSignIn(const AccountConfig &a); // the rules of ConfigValidate's validateOAuth2
    void startSignIn(SignInRunner::Kind kind);
    void onSignInFinished(oauth::OAuthError error, const QString &detail,
                          const oauth::TokenSet &tokens);
    void showFirstError();
    void storeSecrets(std::function<void(bool ok)> done);
    static QString signInErrorText(oauth::OAuthError error, const QString &detail);

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
    QFormLayout *m_access = nullptr;
    QWidget *m_providerRow = nullptr;
    QLabel *m_providerText = nullptr;
    QPushButton *m_providerSwitch = nullptr;
    SignInMethod m_offered = SignInMethod::Password;
    QWidget *m_signInRow = nullptr;
    QLabel *m_signInStatus = nullptr;
    QPushButton *m_signInBrowser = nullptr;
    QPushButton *m_signInDevice = nullptr;
    QPushButton *m_signInCancel = nullptr;
    QPointer<SignInRunner> m_runner;
    QPointer<DeviceCodeDialog> m_deviceDialog;
    QString m_signInName;  // the name a running sign-in stores its token under
    QString m_refreshName; // where this account's refresh token is (empty: none known)
    bool m_signedIn = false;
    bool m_storingSignIn = false;
    QDateTime m_signedInExpiry;
    QString m_signInMessage; // the last attempt's outcome; empty: what is known before
    bool m_signInProblem = false;
    SignInMethod m_loadedMethod = SignInMethod::Password;
    int maxHeight() const; // kMaxHintHeight, or less on a small screen
    QSpinBox *m_port;
    DurationEdit *m_timeout;
    QButtonGroup *m_mailbox;
    QLineEdit *m_recipient;
    QLabel *m_catchAllHint;
    QButtonGroup *m_retention;
    QSpinBox *m_keepDays;
    QToolButton *m_advancedToggle;
    AccountAdvanced *m_advanced;
    FitScrollArea *m_scroll = nullptr;
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
