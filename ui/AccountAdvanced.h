#pragma once

#include "config/Config.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace pollux {
class SecretStore;
}

namespace pollux::ui {

class AccountAuthentication;

// The account dialog's "Advanced" section: what the engine offers beyond the documented
// page. A beginner can leave it closed.
class AccountAdvanced : public QWidget
{
    Q_OBJECT
public:
    // `secrets`: where the Authentication group's client secret is kept.
    explicit AccountAdvanced(SecretStore *secrets = nullptr, QWidget *parent = nullptr);

    // isNew false: the account's client secret is loaded from the keychain.
    void load(const AccountConfig &account, bool isNew = true);
    void apply(AccountConfig &account) const;
    // Enables what applies to the server type (STARTTLS, APOP, IDLE, folder, methods).
    void setServerType(ServerType type);
    // An OAuth2 sign-in: only the methods that send a token (auto, XOAUTH2, OAUTHBEARER),
    // no plaintext or APOP options.
    void setOAuth2(bool oauth2);

    AccountAuthentication *authentication() const { return m_authentication; }

    QCheckBox *startTls() const { return m_startTls; }
    QComboBox *authMethod() const { return m_auth; }
    QCheckBox *allowPlaintext() const { return m_plaintext; }
    QCheckBox *allowApop() const { return m_apop; }
    QCheckBox *idle() const { return m_idle; }
    QLineEdit *folder() const { return m_folder; }
    QLineEdit *fingerprint() const { return m_fingerprint; }
    QListWidget *envelopeHeaders() const { return m_headers; }
    QLineEdit *providerHosts() const { return m_providerHosts; }
    QPushButton *detectButton() const { return m_detect; }
    QLabel *detectStatus() const { return m_detectStatus; }

    // The account dialog runs the detection; these show it.
    void setDetecting(bool running, const QString &status);
    void applyDetection(const QStringList &envelopeHeaders, const QStringList &providerHosts);

signals:
    // "Detect" was pressed: the dialog reads the newest messages and proposes the lists.
    void detectRequested();

private:
    void addHeader();
    void moveHeader(int delta);
    void updateMethods();

    AccountAuthentication *m_authentication;
    QCheckBox *m_startTls;
    QComboBox *m_auth;
    QCheckBox *m_plaintext;
    QCheckBox *m_apop;
    QCheckBox *m_idle;
    QLineEdit *m_folder;
    QLineEdit *m_fingerprint;
    QListWidget *m_headers;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    QPushButton *m_defaults;
    QPushButton *m_detect;
    QLineEdit *m_providerHosts;
    QLabel *m_detectStatus;
    ServerType m_type = ServerType::Pop3;
    bool m_oauth2 = false;
};

} // namespace pollux::ui
