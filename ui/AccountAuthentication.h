#pragma once

#include "config/Config.h"

#include <QGroupBox>
#include <QHash>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace pollux {
class SecretStore;
}

namespace pollux::ui {

class PasswordField;

// The "Authentication" group of the account dialog's Advanced section: how the account
// signs in (a password, Microsoft 365, Google, another OAuth2 provider, Microsoft 365
// app-only) and the app registration it uses: client ID, tenant (Microsoft), client secret
// (kept in the keychain as "oauth2-client/<name>"), and for another provider its endpoints,
// scopes and app-only access. Only the fields that apply to the method are shown.
class AccountAuthentication : public QGroupBox
{
    Q_OBJECT
public:
    explicit AccountAuthentication(SecretStore *secrets, QWidget *parent = nullptr);

    // Fills the fields; an existing account's client secret is loaded from the keychain.
    void load(const AccountConfig &account, bool isNew);
    void apply(AccountConfig &account) const;

    SignInMethod method() const;
    void setMethod(SignInMethod method); // without the presets (the dialog applies them)
    void setServerType(ServerType type); // the presets' scopes follow POP3/IMAP

    static QString methodText(SignInMethod method);

    QComboBox *methodBox() const { return m_method; }
    QLineEdit *clientId() const { return m_clientId; }
    QLineEdit *tenant() const { return m_tenant; }
    PasswordField *clientSecret() const { return m_secret; }
    QLineEdit *authorizationUrl() const { return m_authUrl; }
    QLineEdit *tokenUrl() const { return m_tokenUrl; }
    QLineEdit *deviceUrl() const { return m_deviceUrl; }
    QLineEdit *scopes() const { return m_scopes; }
    QCheckBox *appOnly() const { return m_appOnly; }
    // The label under each field that shows its problem (the dialog's validation).
    const QHash<QWidget *, QLabel *> &errorLabels() const { return m_errors; }

signals:
    // The user chose another method in the combo box.
    void methodChosen(pollux::SignInMethod method);
    // A field that changes what sign-in can do (endpoints, app-only) was edited.
    void edited();

private:
    QWidget *field(QWidget *editor);
    void updateFields();

    QFormLayout *m_form;
    QComboBox *m_method;
    QLineEdit *m_clientId;
    QLineEdit *m_tenant;
    PasswordField *m_secret;
    QLineEdit *m_authUrl;
    QLineEdit *m_tokenUrl;
    QLineEdit *m_deviceUrl;
    QLineEdit *m_scopes;
    QCheckBox *m_appOnly;
    QLabel *m_secretHint;
    QHash<QWidget *, QLabel *> m_errors;
    QHash<QWidget *, QWidget *> m_rows; // editor -> the row's field widget
    ServerType m_type = ServerType::Pop3;
    bool m_loadedSecret = false; // the loaded account has a client secret
};

} // namespace pollux::ui
