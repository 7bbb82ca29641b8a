// AccountDialog's validation: every problem in plain words, next to its field.
#include "AccountDialog.h"

#include "AccountAdvanced.h"
#include "FieldRules.h"
#include "FitScrollArea.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QSpinBox>
#include <QTimer>

namespace pollux::ui {

void AccountDialog::clearErrors()
{
    for (QLabel *label : std::as_const(m_errorLabels))
        label->hide();
    m_errorOrder.clear();
    m_generalError->hide();
}

void AccountDialog::setError(QWidget *editor, const QString &label, const QString &problem)
{
    const QString text = tr("%1: %2").arg(label, problem);
    if (QLabel *error = m_errorLabels.value(editor)) {
        error->setText(!error->isHidden() ? error->text() + QLatin1Char('\n') + text : text);
        error->show();
    } else {
        m_generalError->setText(
            !m_generalError->isHidden() ? m_generalError->text() + QLatin1Char('\n') + text : text);
        m_generalError->show();
    }
    if (!m_errorOrder.contains(editor))
        m_errorOrder << editor;
}

QStringList AccountDialog::errors() const
{
    QStringList out;
    for (QWidget *w : m_errorOrder) {
        QLabel *label = m_errorLabels.value(w, m_generalError);
        if (!label->isHidden())
            out << label->text().split(QLatin1Char('\n'));
    }
    out.removeDuplicates();
    return out;
}

bool AccountDialog::validate()
{
    clearErrors();
    const AccountConfig a = account();

    if (a.name.isEmpty())
        setError(m_name, tr("Account name"), tr("enter a name for this account."));
    else if (a.name.contains(QLatin1Char('/')))
        setError(m_name, tr("Account name"), tr("the name must not contain “/”."));
    else if (FieldRules::hasControl(a.name))
        setError(m_name, tr("Account name"), tr("the name must not contain control characters."));
    else if (m_context.otherNames.contains(a.name))
        setError(m_name, tr("Account name"),
                 tr("another account is already called “%1”.").arg(a.name));

    if (a.host.isEmpty())
        setError(m_host, tr("Servername"), tr("enter the name or IP address of the server."));
    else if (FieldRules::hasSpaceOrControl(a.host))
        setError(m_host, tr("Servername"), tr("the server name must not contain spaces."));

    if (a.username.trimmed().isEmpty())
        setError(m_user, tr("Username"), tr("enter the username for the mail server."));

    if (a.mailbox == MailboxType::SingleUser) {
        if (a.recipient.isEmpty())
            setError(m_recipient, tr("Single user mailbox"),
                     tr("enter the address that receives all mail from this mailbox."));
        else if (!FieldRules::looksLikeAddress(a.recipient))
            setError(m_recipient, tr("Single user mailbox"),
                     tr("“%1” is not an email address like user@example.com.").arg(a.recipient));
    }

    if (isImap(a.type) && (a.folder.isEmpty() || FieldRules::hasControl(a.folder))) {
        setError(m_advanced->folder(), tr("IMAP folder"),
                 tr("enter the folder to collect, e.g. INBOX."));
    }
    if (!a.pinnedFingerprint.isEmpty() && !FieldRules::isFingerprint(a.pinnedFingerprint))
        setError(m_advanced->fingerprint(), tr("Trusted certificate fingerprint"),
                 tr("must be 64 hexadecimal digits (colons allowed)."));
    if (isImap(a.type) &&
        (a.authMethod == QLatin1String("user") || a.authMethod == QLatin1String("apop")))
        setError(m_advanced->authMethod(), tr("Authentication method"),
                 tr("this method exists only for POP3; choose another one for IMAP."));
    for (const QString &h : a.envelopeHeaders) {
        if (!FieldRules::isHeaderName(h))
            setError(m_advanced->envelopeHeaders(), tr("Envelope headers to trust"),
                     tr("“%1” is not a header name like X-Original-To.").arg(h));
    }

    if (isOAuth2(a.signIn))
        checkSignIn(a);

    for (const QString &h : a.providerHosts) {
        if (!FieldRules::isDomainName(h.startsWith(QLatin1Char('.')) ? h.mid(1) : h))
            setError(m_advanced->providerHosts(), tr("Provider's mail servers"),
                     tr("“%1” is not a host name or domain like mx.provider.example.").arg(h));
    }

    // Whatever else the engine's rules find (they are the final word), named by field.
    if (m_errorOrder.isEmpty()) {
        Config probe;
        probe.accounts << a;
        probe.smtp.host = QStringLiteral("localhost");
        probe.postmaster = QStringLiteral("postmaster@example.com");
        probe.acceptedDomains << QStringLiteral("example.com");
        if (Result r = probe.validate(); !r) {
            const QStringList lines = r.message().split(QLatin1Char('\n'));
            for (const QString &line : lines)
                setError(nullptr, tr("Account"), line.section(QStringLiteral("accounts[0]."), -1));
        }
    }

    if (m_errorOrder.isEmpty())
        return true;
    showFirstError();
    return false;
}

void AccountDialog::showFirstError()
{
    if (m_errorOrder.isEmpty())
        return;
    growToFit();
    QWidget *first = m_errorOrder.first();
    if (first) {
        if (m_advanced->isAncestorOf(first))
            setAdvancedVisible(true);
        first->setFocus(Qt::OtherFocusReason);
        // After the layout has placed an Advanced field just shown.
        QPointer<QWidget> target(first);
        QTimer::singleShot(0, this, [this, target] { m_scroll->reveal(target); });
    }
}

} // namespace pollux::ui
