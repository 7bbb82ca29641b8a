#include "PasswordField.h"
#include "ServiceSecrets.h"

#include "ErrorText.h"
#include "secrets/SecretStore.h"

#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QVBoxLayout>

namespace pollux::ui {

PasswordField::PasswordField(SecretStore *secrets, QWidget *parent)
    : QWidget(parent), m_secrets(secrets), m_edit(new QLineEdit(this)), m_status(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setObjectName(QStringLiteral("password"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    layout->addWidget(m_edit);
    layout->addWidget(m_status);
    connect(m_edit, &QLineEdit::textEdited, this, [this] { m_modified = true; });
}

void PasswordField::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b00020;") : QString());
    m_status->setVisible(!text.isEmpty());
    emit statusChanged();
}

QString PasswordField::statusText() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

QString PasswordField::password() const
{
    return m_edit->text();
}

void PasswordField::setPassword(const QString &password)
{
    m_edit->setText(password);
    m_modified = true;
}

void PasswordField::load(const QString &key, const QString &commandHint)
{
    m_key = key;
    m_hint = commandHint;
    m_modified = false;
    m_haveStored = false;
    m_edit->clear();
    if (key.isEmpty() || !m_secrets) {
        setStatus(QString(), false);
        emit loaded();
        return;
    }
    m_loading = true;
    m_edit->setEnabled(false);
    m_edit->setPlaceholderText(tr("loading…"));
    setStatus(QString(), false);
    QPointer<PasswordField> self(this);
    m_secrets->read(key, [self, key](Result result, QString secret) {
        if (!self || self->m_key != key)
            return;
        self->m_loading = false;
        self->m_edit->setEnabled(true);
        self->m_edit->setPlaceholderText(QString());
        if (result.ok()) {
            if (!self->m_modified)
                self->m_edit->setText(secret);
            self->m_haveStored = true;
            self->m_available = true;
        } else if (ServiceSecrets::isServiceOwned(result)) {
            // Attached to a service: its passwords are its own, set by an admin.
            self->m_available = false;
            self->m_edit->setEnabled(false);
            self->m_edit->setPlaceholderText(tr("kept by the Pollux service"));
            const QString command = ServiceSecrets::command(result);
            self->setStatus(command.isEmpty()
                                ? tr("The Pollux service keeps this password; an admin sets it.")
                                : tr("The Pollux service keeps this password; an admin sets it "
                                     "with: %1")
                                      .arg(command),
                            false);
        } else if (ErrorText::isMissingSecret(result)) {
            self->m_available = true;
            self->m_edit->setPlaceholderText(tr("no password stored yet"));
        } else {
            self->m_available = false;
            QString text = tr("No keychain is available, so Pollux cannot read or store this "
                              "password. Start your desktop's keyring (for example GNOME "
                              "Keyring or KWallet) and open this dialog again.");
            if (!self->m_hint.isEmpty())
                text += QLatin1Char(' ') +
                        tr("Or set the password from a terminal: %1").arg(self->m_hint);
            self->setStatus(text, true);
        }
        emit self->loaded();
    });
}

void PasswordField::store(const QString &key, std::function<void(Result)> done)
{
    const bool keyChanged = key != m_key;
    const QString secret = m_edit->text();
    if (!m_secrets || (!m_modified && !(keyChanged && m_haveStored)) ||
        (secret.isEmpty() && !m_haveStored)) {
        done(Result::success());
        return;
    }
    QPointer<PasswordField> self(this);
    auto finish = [self, key, done](Result result) {
        if (self) {
            if (result.ok()) {
                self->m_key = key;
                self->m_modified = false;
                self->m_haveStored = true;
                self->setStatus(QString(), false);
            } else {
                self->setStatus(
                    tr("The password could not be stored: %1").arg(ErrorText::describe(result)),
                    true);
            }
        }
        done(result);
    };
    if (secret.isEmpty())
        m_secrets->remove(key, finish);
    else
        m_secrets->write(key, secret, finish);
}

} // namespace pollux::ui
