#pragma once

#include "config/Config.h"

#include <QList>
#include <QSslCertificate>
#include <QWidget>

class QButtonGroup;
class QCheckBox;
class QComboBox;
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

class DirectoryTester;
class DurationEdit;
class FitScrollArea;
class PasswordField;
class SmtpTester;

// The "Mail server" page: the office SMTP server, the postmaster, and the directory used
// to re-route unknown recipients (LDAP or SMTP probing), each with a Test button.
// Durations show in minutes, hours or days (DurationEdit); the LDAP search filter is
// chosen by the kind of directory (Active Directory, OpenLDAP), the filter itself behind
// "Advanced", where an own filter can be typed (and is kept as typed). The page scrolls
// when the window is small.
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

    DurationEdit *smtpTimeout() const { return m_timeout; }
    DurationEdit *retryInterval() const { return m_retry; }
    DurationEdit *cacheTtl() const { return m_cacheTtl; }
    DurationEdit *directoryTimeout() const { return m_dirTimeout; }
    // The kind of directory: a preset id ("active-directory", "openldap") or "custom".
    QComboBox *directoryKind() const { return m_kind; }
    QLineEdit *searchFilter() const { return m_filter; }
    QToolButton *filterToggle() const { return m_filterToggle; }
    void setFilterVisible(bool visible);
    QLabel *postmasterHelp() const { return m_postHelp; }

public slots:
    void testSmtp();
    void testDirectory();

signals:
    void smtpTestFinished(const pollux::Result &result);
    void directoryTestFinished(const pollux::Result &result);

private:
    void updateDirectory();
    void onKindChosen();
    void onFilterEdited();

    SecretStore *m_secrets;
    QList<QSslCertificate> m_cas;
    QString m_caFile;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QCheckBox *m_startTls;
    QLineEdit *m_user;
    PasswordField *m_smtpPassword;
    QLineEdit *m_helo;
    DurationEdit *m_timeout;
    DurationEdit *m_retry;
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
    QComboBox *m_kind;
    QToolButton *m_filterToggle;
    QWidget *m_filterBox;
    QLineEdit *m_filter;
    QString m_customFilter; // the own filter last typed or loaded, kept across presets
    DurationEdit *m_cacheTtl;
    DurationEdit *m_dirTimeout;
    QPushButton *m_dirTest;
    QProgressBar *m_dirBusy;
    QLabel *m_dirResult;
    QLabel *m_probeHint;
    QLabel *m_postHelp;
    FitScrollArea *m_scroll;
    SmtpTester *m_tester;
    DirectoryTester *m_dirTester;
};

} // namespace pollux::ui
