#include "AccountAdvanced.h"

#include "AccountAuthentication.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace pollux::ui {

AccountAdvanced::AccountAdvanced(SecretStore *secrets, QWidget *parent)
    : QWidget(parent), m_authentication(new AccountAuthentication(secrets)),
      m_startTls(new QCheckBox(tr("Use STARTTLS (encrypt before logging in)"))),
      m_auth(new QComboBox), m_plaintext(new QCheckBox(tr("Allow the password to be sent "
                                                          "unencrypted"))),
      m_apop(new QCheckBox(tr("Use APOP when the server offers it"))),
      m_idle(new QCheckBox(tr("Stay connected (IMAP IDLE): collect new mail at once"))),
      m_folder(new QLineEdit), m_fingerprint(new QLineEdit), m_headers(new QListWidget),
      m_add(new QPushButton(tr("Add"))), m_remove(new QPushButton(tr("Remove"))),
      m_up(new QPushButton(tr("Up"))), m_down(new QPushButton(tr("Down"))),
      m_defaults(new QPushButton(tr("Defaults"))), m_detect(new QPushButton(tr("Detect"))),
      m_providerHosts(new QLineEdit), m_detectStatus(new QLabel)
{
    m_startTls->setObjectName(QStringLiteral("startTls"));
    m_auth->setObjectName(QStringLiteral("authMethod"));
    m_plaintext->setObjectName(QStringLiteral("allowPlaintextLogin"));
    m_apop->setObjectName(QStringLiteral("allowApop"));
    m_idle->setObjectName(QStringLiteral("idle"));
    m_folder->setObjectName(QStringLiteral("folder"));
    m_fingerprint->setObjectName(QStringLiteral("pinnedFingerprint"));
    m_headers->setObjectName(QStringLiteral("envelopeHeaders"));
    m_add->setObjectName(QStringLiteral("header-add"));
    m_remove->setObjectName(QStringLiteral("header-remove"));
    m_up->setObjectName(QStringLiteral("header-up"));
    m_down->setObjectName(QStringLiteral("header-down"));
    m_defaults->setObjectName(QStringLiteral("header-defaults"));
    m_detect->setObjectName(QStringLiteral("header-detect"));
    m_providerHosts->setObjectName(QStringLiteral("providerHosts"));
    m_detectStatus->setObjectName(QStringLiteral("detect-status"));
    m_detectStatus->setWordWrap(true);
    m_detectStatus->hide();
    m_detect->setToolTip(tr("Reads the headers of the newest messages in the mailbox (nothing "
                            "is deleted or marked) and proposes the envelope headers and the "
                            "provider's hosts."));
    m_providerHosts->setPlaceholderText(tr("e.g. mx1.provider.example, imap.provider.example"));
    m_providerHosts->setToolTip(
        tr("Catch-all mailboxes: your provider's own mail servers, separated by commas. Envelope "
           "headers count only where these servers wrote them; without any, only what stands "
           "above the topmost Received: header counts. A domain stands for every server below it: "
           "list only names no other customer of the provider can use."));

    const QList<std::pair<QString, QString>> methods = {
        {QStringLiteral("auto"), tr("Automatic (the strongest the server offers)")},
        {QStringLiteral("user"), tr("USER/PASS (POP3)")},
        {QStringLiteral("apop"), tr("APOP (POP3)")},
        {QStringLiteral("login"), tr("LOGIN")},
        {QStringLiteral("plain"), tr("PLAIN")},
        {QStringLiteral("cram-md5"), tr("CRAM-MD5")},
        {QStringLiteral("scram-sha-1"), tr("SCRAM-SHA-1")},
        {QStringLiteral("scram-sha-256"), tr("SCRAM-SHA-256")},
        {QStringLiteral("xoauth2"), tr("XOAUTH2 (the password is an access token)")},
        {QStringLiteral("oauthbearer"), tr("OAUTHBEARER (the password is an access token)")},
    };
    for (const auto &m : methods)
        m_auth->addItem(m.second, m.first);

    m_fingerprint->setPlaceholderText(tr("empty: only certificates that verify"));
    m_fingerprint->setToolTip(tr("SHA-256 fingerprint of a certificate to trust although it "
                                 "does not verify, e.g. a self-signed one (64 hex digits)."));
    m_headers->setToolTip(tr("Catch-all mailboxes: the headers your provider adds with the "
                             "real recipient, most trusted first. The first one present "
                             "decides where a message goes."));
    m_headers->setMaximumHeight(m_headers->fontMetrics().height() * 7);

    auto *buttons = new QVBoxLayout;
    for (QPushButton *b : {m_add, m_remove, m_up, m_down, m_defaults, m_detect})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *headerRow = new QHBoxLayout;
    headerRow->addWidget(m_headers, 1);
    headerRow->addLayout(buttons);

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_authentication);
    form->addRow(m_startTls);
    form->addRow(tr("Authentication method:"), m_auth);
    form->addRow(m_plaintext);
    form->addRow(m_apop);
    form->addRow(m_idle);
    form->addRow(tr("IMAP folder:"), m_folder);
    form->addRow(tr("Trusted certificate fingerprint:"), m_fingerprint);
    form->addRow(tr("Envelope headers to trust:"), headerRow);
    form->addRow(tr("Provider's mail servers:"), m_providerHosts);
    form->addRow(m_detectStatus);

    connect(m_detect, &QPushButton::clicked, this, &AccountAdvanced::detectRequested);
    connect(m_add, &QPushButton::clicked, this, &AccountAdvanced::addHeader);
    connect(m_remove, &QPushButton::clicked, this, [this] { delete m_headers->currentItem(); });
    connect(m_up, &QPushButton::clicked, this, [this] { moveHeader(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveHeader(1); });
    connect(m_defaults, &QPushButton::clicked, this, [this] {
        m_headers->clear();
        for (const QString &h : AccountConfig::defaultEnvelopeHeaders()) {
            auto *item = new QListWidgetItem(h, m_headers);
            item->setFlags(item->flags() | Qt::ItemIsEditable);
        }
    });
}

void AccountAdvanced::addHeader()
{
    auto *item = new QListWidgetItem(tr("X-New-Header"), m_headers);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    m_headers->setCurrentItem(item);
}

void AccountAdvanced::moveHeader(int delta)
{
    const int row = m_headers->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_headers->count())
        return;
    QListWidgetItem *item = m_headers->takeItem(row);
    m_headers->insertItem(to, item);
    m_headers->setCurrentRow(to);
}

void AccountAdvanced::setDetecting(bool running, const QString &status)
{
    m_detect->setEnabled(!running);
    m_detectStatus->setText(status);
    m_detectStatus->setVisible(!status.isEmpty());
}

void AccountAdvanced::applyDetection(const QStringList &envelopeHeaders,
                                     const QStringList &providerHosts)
{
    m_headers->clear();
    for (const QString &h : envelopeHeaders) {
        auto *item = new QListWidgetItem(h, m_headers);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_providerHosts->setText(providerHosts.join(QStringLiteral(", ")));
}

void AccountAdvanced::load(const AccountConfig &account, bool isNew)
{
    m_authentication->load(account, isNew);
    m_oauth2 = isOAuth2(account.signIn);
    m_startTls->setChecked(account.startTls);
    const int auth = m_auth->findData(account.authMethod);
    m_auth->setCurrentIndex(auth < 0 ? 0 : auth);
    m_plaintext->setChecked(account.allowPlaintextLogin);
    m_apop->setChecked(account.allowApop);
    m_idle->setChecked(account.idle);
    m_folder->setText(account.folder);
    m_fingerprint->setText(account.pinnedFingerprint);
    m_headers->clear();
    for (const QString &h : account.envelopeHeaders) {
        auto *item = new QListWidgetItem(h, m_headers);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_providerHosts->setText(account.providerHosts.join(QStringLiteral(", ")));
    m_detectStatus->clear();
    m_detectStatus->hide();
    setServerType(account.type);
}

void AccountAdvanced::apply(AccountConfig &account) const
{
    m_authentication->apply(account);
    account.startTls = m_startTls->isChecked() && !isImplicitTls(m_type);
    account.authMethod = m_auth->currentData().toString();
    account.allowPlaintextLogin = m_plaintext->isChecked();
    account.allowApop = m_apop->isChecked();
    account.idle = m_idle->isChecked();
    account.folder = m_folder->text().trimmed();
    account.pinnedFingerprint = m_fingerprint->text().trimmed();
    account.envelopeHeaders.clear();
    for (int i = 0; i < m_headers->count(); ++i)
        account.envelopeHeaders << m_headers->item(i)->text().trimmed();
    account.providerHosts.clear();
    for (const QString &h : m_providerHosts->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!h.trimmed().isEmpty())
            account.providerHosts << h.trimmed();
    }
}

void AccountAdvanced::setServerType(ServerType type)
{
    m_type = type;
    const bool imap = isImap(type);
    m_startTls->setEnabled(!isImplicitTls(type));
    m_apop->setEnabled(!imap && !m_oauth2);
    m_idle->setEnabled(imap);
    m_folder->setEnabled(imap);
    m_authentication->setServerType(type);
    updateMethods();
}

void AccountAdvanced::setOAuth2(bool oauth2)
{
    m_oauth2 = oauth2;
    setServerType(m_type);
}

void AccountAdvanced::updateMethods()
{
    const bool imap = isImap(m_type);
    m_plaintext->setEnabled(!m_oauth2);
    // POP3-only methods make no sense for IMAP; password methods none for an OAuth2 sign-in.
    const QStringList tokenMethods = {QStringLiteral("auto"), QStringLiteral("xoauth2"),
                                      QStringLiteral("oauthbearer")};
    const QStringList pop3Only = {QStringLiteral("user"), QStringLiteral("apop")};
    auto *model = qobject_cast<QStandardItemModel *>(m_auth->model());
    for (int i = 0; model && i < m_auth->count(); ++i) {
        const QString method = m_auth->itemData(i).toString();
        if (QStandardItem *item = model->item(i))
            item->setEnabled(!(imap && pop3Only.contains(method)) &&
                             !(m_oauth2 && !tokenMethods.contains(method)));
    }
    const QString current = m_auth->currentData().toString();
    if ((imap && pop3Only.contains(current)) || (m_oauth2 && !tokenMethods.contains(current)))
        m_auth->setCurrentIndex(0);
}

} // namespace pollux::ui
