#pragma once

#include "AccountDialog.h"
#include "SignInRunner.h"
#include "config/Config.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QSslCertificate>
#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace pollux {
class SecretStore;
}

namespace pollux::ui {

class AccountsModel;

// The "POP3/IMAP" page: the Polled POP3 Hosts with Add, Edit, Remove and enable/disable,
// each with its state; under the list the details of the selected mailbox (the whole
// explanation, selectable, with "Test access" and "Open activity") and a line on the office
// server; the Accepted Recipient Domains box; the maximum number of emails per pass.
class AccountsPage : public QWidget
{
    Q_OBJECT
public:
    AccountsPage(SecretStore *secrets, QWidget *parent = nullptr);

    void setExtraCaCertificates(const QList<QSslCertificate> &certificates);
    // The account dialog's sign-in runners (tests); empty: the real ones.
    void setSignInRunnerFactory(SignInRunnerFactory factory) { m_runners = std::move(factory); }
    // The sign-ins done in the account dialog since the last call (account name -> when the
    // new refresh token expires, invalid: not stated): once the settings are saved, the
    // engine hears of them (Engine::signedIn).
    QMap<QString, QDateTime> takeSignIns();
    void load(const Config &config);
    void apply(Config &config) const;

    // The office server line: where mail goes, whether it takes it, what waits for it.
    struct OfficeServer
    {
        bool configured = false; // a host is set
        bool failing = false;
        bool unreachable = false; // failing: it cannot be reached at all
        QDateTime failingSince;   // local time; invalid: not known
        int waiting = 0;          // messages waiting for it, tried or not
    };
    void setOfficeServer(const OfficeServer &office);
    static QString officeServerText(const OfficeServer &office);

    // The accepted domains as typed (one per line; commas and spaces also separate).
    QStringList acceptedDomains() const;
    // Problems with the domains, each naming the entry, in plain words.
    QStringList domainProblems() const;
    // Checks the page; focuses the first problem. Problems go to `problems`.
    bool validate(QStringList &problems);

    AccountsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPlainTextEdit *domainsEdit() const { return m_domains; }
    QLabel *domainsError() const { return m_domainsError; }
    QSpinBox *maxPerPass() const { return m_maxPerPass; }
    QPushButton *signInAgainButton() const { return m_signInAgain; }
    QLabel *detailsLabel() const { return m_details; }
    QLabel *officeServerLabel() const { return m_office; }
    QPushButton *testAccessButton() const { return m_testAccess; }
    QPushButton *openActivityButton() const { return m_openActivity; }
    AccountDialog *currentDialog() const { return m_dialog; }

public slots:
    void addAccount();
    void editAccount(int row);
    void removeAccount(int row);
    // "Sign in again": opens the account's dialog and starts its sign-in (the browser where
    // the provider has one, else another device). False: no such OAuth2 account.
    bool signInAgain(int row);
    bool signInAgain(const QString &account);
    // "Test access": opens the account's dialog and tests the access there (AccessTester).
    // False: no such row.
    bool testAccess(int row);

signals:
    void dialogOpened(pollux::ui::AccountDialog *dialog);
    // An existing account signed in again in its dialog (the refresh token is stored);
    // `account` as the dialog shows it now (it may differ from the saved one).
    void signedIn(const pollux::AccountConfig &account, const QDateTime &refreshExpiresAt);
    void changed();
    // "Open activity" for the selected mailbox.
    void activityRequested(const QString &account);

private:
    AccountDialog *openDialog(int row);
    void showContextMenu(const QPoint &pos);
    void updateButtons();
    void updateDetails();
    void checkDomains();
    int currentRow() const;

    SecretStore *m_secrets;
    QList<QSslCertificate> m_cas;
    AccountsModel *m_model;
    QTableView *m_view;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_signInAgain;
    QLabel *m_details;
    QPushButton *m_testAccess;
    QPushButton *m_openActivity;
    QLabel *m_office;
    QPlainTextEdit *m_domains;
    QLabel *m_domainsError;
    QCheckBox *m_subdomains;
    QSpinBox *m_maxPerPass;
    QPointer<AccountDialog> m_dialog;
    SignInRunnerFactory m_runners;
    QMap<QString, QDateTime> m_signIns;
};

} // namespace pollux::ui
