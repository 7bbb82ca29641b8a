// AccountDialog's OAuth2 sign-in: the method's presets, the known-provider hint, the
// browser and device sign-ins, their rules, and storing what they bring in the keychain.
#include "AccountDialog.h"

#include "AccountAdvanced.h"
#include "AccountAuthentication.h"
#include "DeviceCodeDialog.h"
#include "ErrorText.h"
#include "FieldRules.h"
#include "PasswordField.h"
#include "oauth/Presets.h"
#include "oauth/TokenSource.h"
#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace pollux::ui {

namespace {

QString shortDate(const QDateTime &when)
{
    return QLocale().toString(when.toLocalTime(), QLocale::ShortFormat);
}

} // namespace

AccountAuthentication *AccountDialog::authentication() const
{
    return m_advanced->authentication();
}

DeviceCodeDialog *AccountDialog::deviceCodeDialog() const
{
    return m_deviceDialog;
}

void AccountDialog::buildSignIn()
{
    m_providerRow = new QWidget;
    m_providerRow->setObjectName(QStringLiteral("providerHint-row"));
    m_providerText = new QLabel;
    m_providerText->setObjectName(QStringLiteral("providerHint"));
    m_providerText->setWordWrap(true);
    m_providerSwitch = new QPushButton;
    m_providerSwitch->setObjectName(QStringLiteral("providerSwitch"));
    auto *hint = new QHBoxLayout(m_providerRow);
    hint->setContentsMargins(0, 0, 0, 0);
    hint->addWidget(m_providerText, 1);
    hint->addWidget(m_providerSwitch);

    m_signInRow = new QWidget;
    m_signInRow->setObjectName(QStringLiteral("signIn-row"));
    m_signInStatus = new QLabel;
    m_signInStatus->setObjectName(QStringLiteral("signInStatus"));
    m_signInStatus->setWordWrap(true);
    m_signInStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_signInBrowser = new QPushButton(tr("Sign in…"));
    m_signInBrowser->setObjectName(QStringLiteral("signInBrowser"));
    m_signInBrowser->setToolTip(tr("Opens the provider's sign-in page in your web browser."));
    m_signInDevice = new QPushButton(tr("Sign in on another device…"));
    m_signInDevice->setObjectName(QStringLiteral("signInDevice"));
    m_signInDevice->setToolTip(tr("Shows an address and a code to enter on a phone or another "
                                  "computer: for when no browser can be used here."));
    m_signInCancel = new QPushButton(tr("Cancel sign-in"));
    m_signInCancel->setObjectName(QStringLiteral("signInCancel"));
    m_signInCancel->hide();
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_signInBrowser);
    buttons->addWidget(m_signInDevice);
    buttons->addWidget(m_signInCancel);
    buttons->addStretch();
    auto *row = new QVBoxLayout(m_signInRow);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    row->addLayout(buttons);
    row->addWidget(m_signInStatus);

    connect(m_providerSwitch, &QPushButton::clicked, this, [this] {
        setSignInMethod(m_offered);
        setAdvancedVisible(true); // the client ID is the admin's to enter
        authentication()->clientId()->setFocus(Qt::OtherFocusReason);
    });
    connect(m_signInBrowser, &QPushButton::clicked, this, &AccountDialog::signInWithBrowser);
    connect(m_signInDevice, &QPushButton::clicked, this, &AccountDialog::signInOnAnotherDevice);
    connect(m_signInCancel, &QPushButton::clicked, this, &AccountDialog::cancelSignIn);
    connect(m_host, &QLineEdit::textChanged, this, &AccountDialog::updateProviderHint);
    AccountAuthentication *auth = authentication();
    connect(auth, &AccountAuthentication::methodChosen, this, &AccountDialog::setSignInMethod);
    connect(auth, &AccountAuthentication::edited, this, &AccountDialog::updateSignIn);
}

void AccountDialog::setSignInMethod(SignInMethod method)
{
    authentication()->setMethod(method);
    const oauth::ServerPreset preset = oauth::serverPreset(method, isImap(m_type));
    if (!preset.host.isEmpty()) {
        m_host->setText(preset.host);
        setServerType(preset.type);
        m_port->setValue(preset.port);
        suggestName();
    }
    updateSignIn();
}

void AccountDialog::setSignInStatus(const QString &text, bool problem)
{
    m_signInMessage = text;
    m_signInProblem = problem;
    updateSignIn();
    growToFit();
}

void AccountDialog::updateSignIn()
{
    if (!m_signInRow)
        return;
    const AccountConfig a = account();
    const bool oauth = isOAuth2(a.signIn);
    m_advanced->setOAuth2(oauth);
    m_access->setRowVisible(m_password, !oauth);
    m_access->setRowVisible(m_signInRow, oauth);
    updateProviderHint();
    if (!oauth)
        return;
    const bool appOnly = a.isAppOnly();
    const bool running = isSigningIn();
    const oauth::Provider p = oauth::providerFor(a);
    m_signInBrowser->setVisible(!appOnly);
    m_signInDevice->setVisible(!appOnly);
    m_signInBrowser->setEnabled(!running && !p.authorizationEndpoint.isEmpty());
    m_signInDevice->setEnabled(!running && !p.deviceAuthorizationEndpoint.isEmpty());
    m_signInCancel->setVisible(running && m_runner);
    QString text = m_signInMessage;
    if (text.isEmpty()) {
        if (appOnly)
            text = tr("App-only access: no one signs in; Pollux uses the client secret.");
        else if (m_isNew || a.signIn != m_loadedMethod)
            text = tr("Not signed in yet: sign in before the first pass.");
        else if (m_context.signInNeeded)
            text = tr("Sign-in needed: the provider no longer accepts the stored sign-in. "
                      "Sign in again.");
        else if (m_context.signInExpiresAt.isValid())
            text =
                tr("Signed in; sign-in valid until %1.").arg(shortDate(m_context.signInExpiresAt));
        else
            text = tr("Signed in before. Sign in again to replace the stored sign-in.");
    }
    const bool problem =
        m_signInMessage.isEmpty()
            ? (!appOnly && !m_isNew && a.signIn == m_loadedMethod && m_context.signInNeeded)
            : m_signInProblem;
    m_signInStatus->setText(text);
    m_signInStatus->setStyleSheet(problem ? QStringLiteral("color: #b00020;") : QString());
}

void AccountDialog::updateProviderHint()
{
    if (!m_providerRow)
        return;
    const QString host = m_host->text().trimmed();
    m_offered = oauth::providerForHost(host);
    const bool offer = m_offered != SignInMethod::Password && !isOAuth2(authentication()->method());
    m_access->setRowVisible(m_providerRow, offer);
    if (!offer)
        return;
    if (m_offered == SignInMethod::Google) {
        m_providerText->setText(
            tr("%1 is Google: sign in with Google instead of a password.").arg(host));
        m_providerSwitch->setText(tr("Use Google sign-in"));
    } else {
        m_providerText->setText(
            tr("%1 is Microsoft 365: sign in with Microsoft instead of a password.").arg(host));
        m_providerSwitch->setText(tr("Use Microsoft sign-in"));
    }
}

void AccountDialog::checkSignIn(const AccountConfig &a)
{
    AccountAuthentication *auth = authentication();
    const OAuth2Config &c = a.oauth2;
    const QString method = AccountAuthentication::methodText(a.signIn);
    if (a.authMethod != QLatin1String("auto") && a.authMethod != QLatin1String("xoauth2") &&
        a.authMethod != QLatin1String("oauthbearer"))
        setError(m_advanced->authMethod(), tr("Authentication method"),
                 tr("a sign-in with %1 uses Automatic, XOAUTH2 or OAUTHBEARER, not a password "
                    "method.")
                     .arg(method));
    if (c.clientId.isEmpty())
        setError(auth->clientId(), tr("Client ID"),
                 tr("enter the client (application) ID of your app registration with the "
                    "provider (docs/OAUTH.md)."));
    else if (FieldRules::hasSpaceOrControl(c.clientId))
        setError(auth->clientId(), tr("Client ID"), tr("the client ID must not contain spaces."));
    if (a.signIn == SignInMethod::Microsoft365 || a.signIn == SignInMethod::Microsoft365App) {
        static const QRegularExpression tenantRule(QStringLiteral("^[A-Za-z0-9.-]{1,256}$"));
        if (!tenantRule.match(c.tenant).hasMatch())
            setError(auth->tenant(), tr("Tenant"),
                     tr("“%1” is not a tenant: enter the directory (tenant) ID, a domain like "
                        "contoso.onmicrosoft.com, or organizations.")
                         .arg(c.tenant));
        else if (a.signIn == SignInMethod::Microsoft365App &&
                 QStringList({QStringLiteral("organizations"), QStringLiteral("common"),
                              QStringLiteral("consumers")})
                     .contains(c.tenant.toLower()))
            setError(auth->tenant(), tr("Tenant"),
                     tr("app-only access needs your own tenant (its directory ID or domain), "
                        "not “%1”.")
                         .arg(c.tenant));
    }
    if ((a.isAppOnly() || a.signIn == SignInMethod::Google) && !c.clientSecret)
        setError(auth->clientSecret()->lineEdit(), tr("Client secret"),
                 a.signIn == SignInMethod::Google
                     ? tr("Google requires the client secret of your app registration.")
                     : tr("app-only access requires the client secret of your app "
                          "registration."));
    if (a.signIn != SignInMethod::OAuth2)
        return;
    const auto url = [this](QLineEdit *edit, const QString &label, const QString &value,
                            bool required) {
        if (value.isEmpty()) {
            if (required)
                setError(edit, label, tr("enter the provider's endpoint (an https URL)."));
        } else if (!FieldRules::isEndpointUrl(value)) {
            setError(
                edit, label,
                tr("“%1” is not an https URL (http only to this computer, for tests).").arg(value));
        }
    };
    url(auth->tokenUrl(), tr("Token URL"), c.tokenUrl, true);
    url(auth->authorizationUrl(), tr("Authorization URL"), c.authorizationUrl, false);
    url(auth->deviceUrl(), tr("Device URL"), c.deviceUrl, false);
    if (!c.appOnly && c.authorizationUrl.isEmpty() && c.deviceUrl.isEmpty())
        setError(auth->authorizationUrl(), tr("Authorization URL"),
                 tr("a sign-in needs the authorization URL (browser) or the device URL (another "
                    "device), or both."));
    if (c.scopes.isEmpty())
        setError(auth->scopes(), tr("Scopes"),
                 tr("enter the scopes to ask for, separated by spaces, e.g. the provider's mail "
                    "scope and offline_access."));
}

void AccountDialog::signIn()
{
    const oauth::Provider p = oauth::providerFor(account());
    startSignIn(p.authorizationEndpoint.isEmpty() ? SignInRunner::Kind::Device
                                                  : SignInRunner::Kind::Browser);
}

void AccountDialog::signInWithBrowser()
{
    startSignIn(SignInRunner::Kind::Browser);
}

void AccountDialog::signInOnAnotherDevice()
{
    startSignIn(SignInRunner::Kind::Device);
}

void AccountDialog::startSignIn(SignInRunner::Kind kind)
{
    if (isSigningIn())
        return;
    PasswordField *secret = authentication()->clientSecret();
    if (secret->isLoading()) { // the client secret is part of the request
        setSignInStatus(tr("Loading the client secret from the keychain…"), false);
        connect(
            secret, &PasswordField::loaded, this, [this, kind] { startSignIn(kind); },
            Qt::SingleShotConnection);
        return;
    }
    clearErrors();
    const AccountConfig a = account();
    if (a.name.isEmpty())
        setError(m_name, tr("Account name"), tr("enter a name for this account."));
    else if (a.name.contains(QLatin1Char('/')))
        setError(m_name, tr("Account name"), tr("the name must not contain “/”."));
    if (isOAuth2(a.signIn))
        checkSignIn(a);
    if (!m_errorOrder.isEmpty()) {
        showFirstError();
        setSignInStatus(tr("Correct the fields marked in red, then sign in."), true);
        return;
    }
    if (!a.needsInteractiveSignIn())
        return;
    if (!m_context.secrets) {
        setSignInStatus(tr("No keychain is available, so Pollux cannot keep the sign-in."), true);
        return;
    }
    oauth::Provider provider = oauth::providerFor(a);
    provider.clientSecret = secret->password();
    const SignInRunnerFactory factory =
        m_context.signInRunners ? m_context.signInRunners : SignInRunnerFactory(makeSignInRunner);
    SignInRunner *runner = factory(kind, provider, this);
    if (!runner)
        return;
    m_runner = runner;
    m_signInName = a.name;
    connect(runner, &SignInRunner::browserOpened, this, [this] {
        setSignInStatus(tr("The browser is open: sign in there, then come back here."), false);
    });
    connect(runner, &SignInRunner::codeReady, this, [this](const oauth::DeviceCode &code) {
        if (m_deviceDialog)
            m_deviceDialog->deleteLater();
        m_deviceDialog = new DeviceCodeDialog(code, this);
        m_deviceDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_deviceDialog, &QDialog::rejected, this, &AccountDialog::cancelSignIn);
        m_deviceDialog->open();
        setSignInStatus(tr("Waiting for the sign-in on the other device…"), false);
    });
    connect(runner, &SignInRunner::finished, this, &AccountDialog::onSignInFinished);
    setSignInStatus(kind == SignInRunner::Kind::Browser ? tr("Opening the browser…")
                                                        : tr("Asking the provider for a code…"),
                    false);
    runner->start();
}

void AccountDialog::cancelSignIn()
{
    if (m_deviceDialog) {
        DeviceCodeDialog *d = m_deviceDialog;
        m_deviceDialog = nullptr;
        d->disconnect(this);
        if (d->isVisible())
            d->close();
    }
    if (!m_runner)
        return;
    SignInRunner *runner = m_runner;
    m_runner = nullptr;
    runner->cancel();
    runner->deleteLater();
    const QString text = tr("Sign-in cancelled.");
    setSignInStatus(text, false);
    emit signInFinished(false, text);
}

QString AccountDialog::signInErrorText(oauth::OAuthError error, const QString &detail)
{
    QString text;
    switch (error) {
    case oauth::OAuthError::AccessDenied:
        text = tr("The sign-in was refused: access was denied (by you or your administrator).");
        break;
    case oauth::OAuthError::ExpiredToken:
    case oauth::OAuthError::Timeout:
        text = tr("The sign-in timed out: it was not finished in time. Try again.");
        break;
    case oauth::OAuthError::InvalidClient:
        text = tr("The provider refused the app registration: check the client ID and the "
                  "client secret (docs/OAUTH.md).");
        break;
    case oauth::OAuthError::InvalidScope:
        text = tr("The provider refused the permissions Pollux asks for (the scopes): check "
                  "that your app registration may use them.");
        break;
    case oauth::OAuthError::Network:
        text = tr("The provider could not be reached: check the network connection and try "
                  "again.");
        break;
    case oauth::OAuthError::Secrets:
        text = tr("The sign-in could not be stored in the keychain.");
        break;
    case oauth::OAuthError::InvalidGrant:
    case oauth::OAuthError::NoRefreshToken:
        text = tr("The provider did not accept the sign-in. Try again.");
        break;
    case oauth::OAuthError::None:
    case oauth::OAuthError::AuthorizationPending:
    case oauth::OAuthError::SlowDown:
    case oauth::OAuthError::OtherError:
    case oauth::OAuthError::TooLarge:
    case oauth::OAuthError::Protocol:
        text = tr("The sign-in failed.");
        break;
    }
    if (!detail.isEmpty())
        text += QLatin1Char(' ') + tr("(The provider said: %1)").arg(detail);
    return text;
}

void AccountDialog::onSignInFinished(oauth::OAuthError error, const QString &detail,
                                     const oauth::TokenSet &tokens)
{
    if (SignInRunner *runner = m_runner) {
        m_runner = nullptr;
        runner->deleteLater();
    }
    if (m_deviceDialog) {
        DeviceCodeDialog *d = m_deviceDialog;
        m_deviceDialog = nullptr;
        d->disconnect(this);
        d->accept();
    }
    if (error != oauth::OAuthError::None) {
        const QString text = signInErrorText(error, detail);
        setSignInStatus(text, true);
        emit signInFinished(false, text);
        return;
    }
    const QString name = m_signInName;
    const qint64 refreshSecs = tokens.refreshExpiresIn;
    AccountConfig a = account();
    a.name = name;
    auto *source =
        new oauth::TokenSource(oauth::providerFor(a), oauth::TokenSource::Grant::RefreshToken,
                               m_context.secrets, name, this);
    m_storingSignIn = true;
    setSignInStatus(tr("Signed in; storing the sign-in in the keychain…"), false);
    QPointer<AccountDialog> self(this);
    source->storeSignIn(tokens, [self, source, name, refreshSecs](oauth::OAuthError e,
                                                                  const QString &why) {
        source->deleteLater();
        if (!self)
            return;
        self->m_storingSignIn = false;
        if (e != oauth::OAuthError::None) {
            const QString text = e == oauth::OAuthError::Secrets
                                     ? tr("Signed in, but the sign-in could not be stored in the "
                                          "keychain: %1")
                                           .arg(why)
                                     : signInErrorText(e, why);
            self->setSignInStatus(text, true);
            emit self->signInFinished(false, text);
            return;
        }
        self->m_signedIn = true;
        self->m_refreshName = name;
        self->m_signedInExpiry =
            refreshSecs > 0 ? QDateTime::currentDateTimeUtc().addSecs(refreshSecs) : QDateTime();
        const QString text =
            self->m_signedInExpiry.isValid()
                ? tr("Signed in; sign-in valid until %1.").arg(shortDate(self->m_signedInExpiry))
                : tr("Signed in.");
        self->setSignInStatus(text, false);
        emit self->signInFinished(true, text);
    });
}

void AccountDialog::storeSecrets(std::function<void(bool ok)> done)
{
    const AccountConfig a = account();
    QPointer<AccountDialog> self(this);
    // 3. A renamed account's refresh token follows it to the new name.
    auto moveRefresh = [self, a, done] {
        if (!self)
            return;
        const QString from = self->m_refreshName;
        SecretStore *secrets = self->m_context.secrets;
        if (!a.needsInteractiveSignIn() || from.isEmpty() || from == a.name || !secrets) {
            done(true);
            return;
        }
        secrets->read(secretKey(SecretKind::OAuth2Refresh, from), [self, secrets, a,
                                                                   done](Result r, QString token) {
            if (!self)
                return;
            if (!r.ok()) {
                const bool missing = ErrorText::isMissingSecret(r);
                if (!missing)
                    self->setSignInStatus(ErrorText::describe(r), true);
                done(missing); // nothing stored: nothing to move
                return;
            }
            secrets->write(secretKey(SecretKind::OAuth2Refresh, a.name), token,
                           [self, a, done](Result w) {
                               if (!self)
                                   return;
                               if (w.ok())
                                   self->m_refreshName = a.name;
                               else
                                   self->setSignInStatus(ErrorText::describe(w), true);
                               done(w.ok());
                           });
        });
    };
    // 2. The client secret of an OAuth2 account.
    auto storeClient = [self, a, done, moveRefresh] {
        if (!self)
            return;
        if (!isOAuth2(a.signIn)) {
            moveRefresh();
            return;
        }
        PasswordField *secret = self->authentication()->clientSecret();
        secret->store(secretKey(SecretKind::OAuth2ClientSecret, a.name),
                      [self, done, moveRefresh](Result r) {
                          if (!self)
                              return;
                          if (r.ok()) {
                              moveRefresh();
                              return;
                          }
                          self->setAdvancedVisible(true);
                          self->authentication()->clientSecret()->lineEdit()->setFocus();
                          done(false);
                      });
    };
    // 1. The password (a password account only).
    if (isOAuth2(a.signIn)) {
        storeClient();
        return;
    }
    m_password->store(secretKey(SecretKind::Account, a.name), [self, done, storeClient](Result r) {
        if (!self)
            return;
        if (r.ok()) {
            storeClient();
            return;
        }
        self->m_password->lineEdit()->setFocus();
        done(false);
    });
}

} // namespace pollux::ui
