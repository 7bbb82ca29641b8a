#pragma once

#include "config/Config.h"

#include <QList>
#include <QSslCertificate>
#include <QWidget>

class QButtonGroup;
class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace pollux {
class SecretStore;
}

namespace pollux::ui {

class DirectoryTester;
class PasswordField;
class SmtpTester;

// The "Mail server" page: the office SMTP server, the postmaster, and the directory used
// to re-route unknown recipients (LDAP or SMTP probing), each with a Test button.
class MailServerPage : public QWidget
{
    Q_OBJECT
public:
    MailServerPage(SecretStore *secrets, QWidget *parent = nullptr);

    void setExtraCaCertificates(const QList<QSslCertificate> &certificates);
    void load(const Config &config);
    void apply(Config &config) const;
    bool validate(QStringList &problems);
    // Stores typed passwords ("smtp", "ldap") -> done(result) once both are stored.
    void storePasswords(std::function<void(Result)> done);

    QLabel *smtpTestResult() const { return m_smtpResult; }

    QLabel *directoryTestResult() const { return m_dirResult; }

public slots:
    void testSmtp();
    void testDirectory();

signals:
    void smtpTestFinished(const pollux::Result &result);
    void directoryTestFinished(const pollux::Result &result);

private:
    void updateDirectory();

    SecretStore *m_secrets;
    QList<QSslCertificate> m_cas;
    QString m_caFile;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QCheckBox *m_startTls;
    QLineEdit *m_user;
    PasswordField *m_smtpPassword;
    QLineEdit *m_helo;
    QSpinBox *m_timeout;
    QSpinBox *m_retry;
    QPushButton *m_smtpTest;
    QProgressBar *m_smtpBusy;
    QLabel *m_smtpResult;
    QLineEdit *m_postmaster;
    QButtonGroup *m_directory;
    QWidget *m_ldapBox;
    QLineEdit *m_ldapUrl;
    QCheckBox *m_ldapStartTls;
    QLineEdit *m_baseDn;
    QLineEdit *m_bindDn;
    PasswordField *m_ldapPassword;
    QLineEdit *m_filter;
    QSpinBox *m_cacheTtl;
    QSpinBox *m_dirTimeout;
    QPushButton *m_dirTest;
    QProgressBar *m_dirBusy;
    QLabel *m_dirResult;
    QLabel *m_probeHint;
    SmtpTester *m_tester;
    DirectoryTester *m_dirTester;
};

} // namespace pollux::ui
