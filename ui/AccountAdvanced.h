#pragma once

#include "config/Config.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace pollux::ui {

// The account dialog's "Advanced" section: what the engine offers beyond the documented
// page. A beginner can leave it closed.
class AccountAdvanced : public QWidget
{
    Q_OBJECT
public:
    explicit AccountAdvanced(QWidget *parent = nullptr);

    void load(const AccountConfig &account);
    void apply(AccountConfig &account) const;
    // Enables what applies to the server type (STARTTLS, APOP, IDLE, folder, methods).
    void setServerType(ServerType type);

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
};

} // namespace pollux::ui
