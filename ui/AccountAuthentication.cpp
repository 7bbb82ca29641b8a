#include "AccountAuthentication.h"

#include "PasswordField.h"
#include "oauth/Presets.h"
#include "secrets/SecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace pollux::ui {

AccountAuthentication::AccountAuthentication(SecretStore *secrets, QWidget *parent)
    : QGroupBox(tr("Authentication"), parent), m_form(new QFormLayout(this)),
      m_method(new QComboBox), m_clientId(new QLineEdit), m_tenant(new QLineEdit),
      m_secret(new PasswordField(secrets)), m_authUrl(new QLineEdit), m_tokenUrl(new QLineEdit),
      m_deviceUrl(new QLineEdit), m_scopes(new QLineEdit),
      m_appOnly(new QCheckBox(tr("App-only access (no user signs in; needs the client secret)"))),
      m_secretHint(new QLabel)
{
    m_method->setObjectName(QStringLiteral("signIn"));
    m_clientId->setObjectName(QStringLiteral("clientId"));
    m_tenant->setObjectName(QStringLiteral("tenant"));
    m_secret->lineEdit()->setObjectName(QStringLiteral("clientSecret"));
    m_authUrl->setObjectName(QStringLiteral("authorizationUrl"));
    m_tokenUrl->setObjectName(QStringLiteral("tokenUrl"));
    m_deviceUrl->setObjectName(QStringLiteral("deviceUrl"));
    m_scopes->setObjectName(QStringLiteral("scopes"));
    m_appOnly->setObjectName(QStringLiteral("appOnly"));

    for (SignInMethod m : {SignInMethod::Password, SignInMethod::Microsoft365, SignInMethod::Google,
                           SignInMethod::OAuth2, SignInMethod::Microsoft365App})
        m_method->addItem(methodText(m), int(m));
    m_clientId->setToolTip(tr("The client (application) ID of your own app registration with "
                              "the provider (see docs/OAUTH.md)."));
    m_tenant->setPlaceholderText(tr("organizations"));
    m_tenant->setToolTip(tr("Your Microsoft 365 directory (tenant) ID or a domain like "
                            "contoso.onmicrosoft.com; “organizations” lets any work or school "
                            "account sign in. App-only access needs your own tenant."));
    m_authUrl->setPlaceholderText(tr("https://login.provider.example/authorize"));
    m_tokenUrl->setPlaceholderText(tr("https://login.provider.example/token"));
    m_deviceUrl->setPlaceholderText(tr("empty: no sign-in on another device"));
    m_scopes->setToolTip(tr("The permissions to ask for, separated by spaces."));
    m_secretHint->setWordWrap(true);

    m_form->setContentsMargins(6, 6, 6, 6);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("Sign-in method:"), m_method);
    m_form->addRow(tr("Client ID:"), field(m_clientId));
    m_form->addRow(tr("Tenant:"), field(m_tenant));
    m_form->addRow(tr("Client secret:"), field(m_secret));
    m_form->addRow(tr("Authorization URL:"), field(m_authUrl));
    m_form->addRow(tr("Token URL:"), field(m_tokenUrl));
    m_form->addRow(tr("Device URL:"), field(m_deviceUrl));
    m_form->addRow(tr("Scopes:"), field(m_scopes));
    m_form->addRow(field(m_appOnly));

    connect(m_method, &QComboBox::activated, this, [this] {
        updateFields();
        emit methodChosen(method());
    });
    for (QLineEdit *e : {m_authUrl, m_tokenUrl, m_deviceUrl, m_clientId})
        connect(e, &QLineEdit::textChanged, this, &AccountAuthentication::edited);
    connect(m_appOnly, &QCheckBox::toggled, this, [this] {
        updateFields();
        emit edited();
    });
    updateFields();
}

QString AccountAuthentication::methodText(SignInMethod method)
{
    switch (method) {
    case SignInMethod::Password:
        return tr("Password");
    case SignInMethod::Microsoft365:
        return tr("Microsoft 365");
    case SignInMethod::Google:
        return tr("Google");
    case SignInMethod::OAuth2:
        return tr("Other OAuth2 provider");
    case SignInMethod::Microsoft365App:
        return tr("Microsoft 365 app-only (no user)");
    }
    return {};
}

QWidget *AccountAuthentication::field(QWidget *editor)
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(editor);
    if (editor == m_secret)
        v->addWidget(m_secretHint);
    auto *error = new QLabel;
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #b00020;"));
    error->hide();
    v->addWidget(error);
    QWidget *key = editor == m_secret ? static_cast<QWidget *>(m_secret->lineEdit()) : editor;
    m_errors.insert(key, error);
    m_rows.insert(key, box);
    return box;
}

SignInMethod AccountAuthentication::method() const
{
    return SignInMethod(m_method->currentData().toInt());
}

void AccountAuthentication::setMethod(SignInMethod method)
{
    m_method->setCurrentIndex(m_method->findData(int(method)));
    updateFields();
}

void AccountAuthentication::setServerType(ServerType type)
{
    m_type = type;
    updateFields();
}

void AccountAuthentication::updateFields()
{
    const SignInMethod m = method();
    const bool oauth = isOAuth2(m);
    const bool microsoft = m == SignInMethod::Microsoft365 || m == SignInMethod::Microsoft365App;
    const bool other = m == SignInMethod::OAuth2;
    const auto show = [this](QWidget *editor, bool visible) {
        m_form->setRowVisible(m_rows.value(editor), visible);
    };
    show(m_clientId, oauth);
    show(m_tenant, microsoft);
    show(m_secret->lineEdit(), oauth);
    show(m_authUrl, other);
    show(m_tokenUrl, other);
    show(m_deviceUrl, other);
    show(m_scopes, oauth);
    show(m_appOnly, other);
    // The presets' scopes are shown as they are sent; another provider's are typed.
    m_scopes->setReadOnly(!other);
    if (!other)
        m_scopes->setText(oauth::presetScopes(m, isImap(m_type)).join(QLatin1Char(' ')));
    const bool required = m == SignInMethod::Google || m == SignInMethod::Microsoft365App ||
                          (other && m_appOnly->isChecked());
    m_secretHint->setText(required ? tr("Required by this provider.")
                                   : tr("Optional: only if your app registration has one."));
}

void AccountAuthentication::load(const AccountConfig &account, bool isNew)
{
    const OAuth2Config &c = account.oauth2;
    m_clientId->setText(c.clientId);
    m_tenant->setText(c.tenant);
    m_authUrl->setText(c.authorizationUrl);
    m_tokenUrl->setText(c.tokenUrl);
    m_deviceUrl->setText(c.deviceUrl);
    m_scopes->setText(account.signIn == SignInMethod::OAuth2 ? c.scopes.join(QLatin1Char(' '))
                                                             : QString());
    m_appOnly->setChecked(c.appOnly);
    m_type = account.type;
    m_loadedSecret = !isNew && c.clientSecret;
    m_secret->load(m_loadedSecret ? secretKey(SecretKind::OAuth2ClientSecret, account.name)
                                  : QString(),
                   QString());
    setMethod(account.signIn);
}

void AccountAuthentication::apply(AccountConfig &account) const
{
    const SignInMethod m = method();
    account.signIn = m;
    account.oauth2 = OAuth2Config{};
    if (!isOAuth2(m))
        return;
    OAuth2Config &c = account.oauth2;
    c.clientId = m_clientId->text().trimmed();
    if (m == SignInMethod::Microsoft365 || m == SignInMethod::Microsoft365App)
        c.tenant = m_tenant->text().trimmed();
    // While the keychain answers, the loaded account's answer stands.
    c.clientSecret = m_secret->isLoading() ? m_loadedSecret : !m_secret->password().isEmpty();
    if (m == SignInMethod::OAuth2) {
        c.authorizationUrl = m_authUrl->text().trimmed();
        c.tokenUrl = m_tokenUrl->text().trimmed();
        c.deviceUrl = m_deviceUrl->text().trimmed();
        static const QRegularExpression space(QStringLiteral("\\s+"));
        c.scopes = m_scopes->text().split(space, Qt::SkipEmptyParts);
        c.appOnly = m_appOnly->isChecked();
    }
}

} // namespace pollux::ui
