#include "ErrorText.h"

#include "secrets/SecretStore.h"

#include <QLocale>
#include <QStringList>

namespace pollux::ui {

namespace {
const QLatin1String kMissingPrefix("no password stored for ");

// [IN-USE] (RFC 2449) is how POP3 servers say it; IMAP servers say "[INUSE]" (RFC 5530).
bool saysMailboxLocked(const QString &said)
{
    return said.contains(QLatin1String("[IN-USE]"), Qt::CaseInsensitive) ||
           said.contains(QLatin1String("[INUSE]"), Qt::CaseInsensitive);
}

// The keychain key of a missing password ("account/Alice", "smtp", "ldap").
QString missingKey(const Result &result)
{
    QString key = result.message().mid(kMissingPrefix.size());
    // Where it was looked for follows the key: the keychain, or the service's secrets folder.
    for (const QLatin1String where :
         {QLatin1String(" in the keychain"), QLatin1String(" in the secrets folder")}) {
        const qsizetype end = key.lastIndexOf(where);
        if (end >= 0) {
            key.truncate(end);
            break;
        }
    }
    return key;
}
} // namespace

bool ErrorText::isMissingSecret(const Result &result)
{
    return result.code() == ErrorCode::Secrets && result.message().startsWith(kMissingPrefix);
}

QString ErrorText::detail(const Result &result)
{
    const QString said = serverSaidLine(result);
    if (!said.isEmpty() || result.ok() || result.message().isEmpty())
        return said;
    return tr("details in the log");
}

QString ErrorText::serverSaidLine(const Result &result)
{
    if (result.serverSaid().isEmpty())
        return QString();
    // The words stay as the server sent them (cleaned and bounded by Result), untranslated.
    return tr("The server said: %1").arg(result.serverSaid());
}

QString ErrorText::sentence(const Result &result)
{
    const QString host = result.serverHost();
    const QString port = QString::number(result.serverPort());
    const bool named = !host.isEmpty() && result.serverPort() != 0;
    switch (result.code()) {
    case ErrorCode::None:
        return tr("Everything worked.");
    case ErrorCode::HostNotFound:
        if (!host.isEmpty())
            return tr("The server name “%1” could not be found. Check the spelling of the "
                      "server name.")
                .arg(host);
        return tr("The server name could not be found. Check the spelling of the server name.");
    case ErrorCode::ConnectionRefused:
        if (named)
            return tr("The server %1 refused the connection on port %2. Check the server name, "
                      "the server type and the port number.")
                .arg(host, port);
        return tr("The server refused the connection. Check the server name, the server type "
                  "and the port number.");
    case ErrorCode::Network:
        if (!host.isEmpty())
            return tr("The network connection to the server %1 was lost.").arg(host);
        return tr("The network connection to the server was lost.");
    case ErrorCode::Timeout:
        if (named)
            return tr("The server %1 did not answer in time on port %2.").arg(host, port);
        return tr("The server did not answer in time.");
    case ErrorCode::Tls:
        if (named)
            return tr("No secure connection could be made to the server %1 on port %2: the "
                      "server's certificate is not trusted, or the encryption failed.")
                .arg(host, port);
        return tr("No secure connection could be made: the server's certificate is not "
                  "trusted, or the encryption failed.");
    case ErrorCode::Protocol:
        if (named)
            return tr("The server %1 answered on port %2 in a way Pollux does not understand. "
                      "Check the server type and the port number.")
                .arg(host, port);
        return tr("The server answered in a way Pollux does not understand. Check the server "
                  "type and the port number.");
    case ErrorCode::LineTooLong:
        return tr("The server sent an unexpectedly long line.");
    case ErrorCode::AuthFailed:
        return tr("The server refused the username or password.");
    case ErrorCode::ServerError:
        return tr("The server reported an error.");
    case ErrorCode::TemporaryFailure:
        if (saysMailboxLocked(result.serverSaid()))
            return tr("The mailbox is locked: another program is collecting its mail right "
                      "now. Pollux will try again later.");
        return tr("The server is temporarily unavailable. Pollux will try again later.");
    case ErrorCode::Storage:
        return tr("Pollux could not write to its spool or database on this computer.");
    case ErrorCode::Config:
        return tr("The settings are not valid.");
    case ErrorCode::Secrets:
        if (isMissingSecret(result)) {
            const QString key = missingKey(result);
            const QString account = secretKey(SecretKind::Account);
            if (key.startsWith(account) && key.size() > account.size())
                return tr("No password is stored in the keychain for the account “%1”. Open "
                          "Settings… from the tray menu, edit the account on the POP3/IMAP "
                          "page, enter its password and save.")
                    .arg(key.mid(account.size()));
            if (key == secretKey(SecretKind::Smtp))
                return tr("No password is stored in the keychain for the office mail server. "
                          "Open Settings… from the tray menu, enter it on the Mail server page "
                          "and save.");
            if (key == secretKey(SecretKind::Ldap))
                return tr("No password is stored in the keychain for the directory. Open "
                          "Settings… from the tray menu, enter it on the Mail server page and "
                          "save.");
            return tr("No password is stored for this account yet.");
        }
        return tr("The password could not be read from or written to the keychain.");
    case ErrorCode::Cancelled:
        return tr("The operation was cancelled.");
    case ErrorCode::Integrity:
        return tr("A message arrived incomplete or not as the server announced it. It stays on "
                  "the server and was not collected.");
    case ErrorCode::SignInNeeded:
        return tr("Sign-in needed: the provider no longer accepts this account's sign-in. "
                  "Open the account and choose Sign in again. Mail stays on the server "
                  "until then.");
    }
    return tr("An unknown error occurred.");
}

QString ErrorText::describe(const Result &result)
{
    const QString said = serverSaidLine(result);
    if (said.isEmpty())
        return sentence(result);
    return sentence(result) + QLatin1Char('\n') + said;
}

namespace {
// Whether the server answered at all: these codes come only from what it said.
bool reachedServer(ErrorCode code)
{
    switch (code) {
    case ErrorCode::AuthFailed:
    case ErrorCode::ServerError:
    case ErrorCode::TemporaryFailure:
    case ErrorCode::Protocol:
    case ErrorCode::LineTooLong:
    case ErrorCode::Integrity:
    case ErrorCode::SignInNeeded:
        return true;
    default:
        return false;
    }
}
} // namespace

QString ErrorText::testAccessText(const AccessTester::Outcome &outcome,
                                  const AccountConfig &account)
{
    const Result &result = outcome.result;
    const QString security = isImplicitTls(account.type) ? tr("TLS")
                             : account.startTls          ? tr("STARTTLS")
                                                         : tr("not encrypted");
    const QString port = QString::number(account.port);
    if (result.ok())
        return tr("Access works: logged in successfully. %n message(s) waiting (%1).", "",
                  outcome.messages)
                   .arg(QLocale().formattedDataSize(outcome.bytes)) +
               QLatin1Char('\n') +
               tr("Connected to %1, port %2 (%3).").arg(account.host, port, security);

    QStringList lines;
    // Here the place to store a missing password is the dialog's own Password field.
    if (isMissingSecret(result))
        lines << tr("No password is stored in the keychain for this account yet: enter it in "
                    "the Password field and test again (OK stores it).");
    else
        lines << sentence(result);
    // The evidence: where it went (only when the mailbox server was tried: a keychain or
    // sign-in problem stops before), what the certificate was, what the server said.
    if (!result.serverHost().isEmpty())
        lines << (reachedServer(result.code()) ? tr("Connected to %1, port %2 (%3).")
                                               : tr("Tried to connect to %1, port %2 (%3)."))
                     .arg(result.serverHost(), QString::number(result.serverPort()), security);
    if (result.code() == ErrorCode::Tls && !outcome.presentedFingerprint.isEmpty())
        lines << tr("The server presented a certificate with the SHA-256 fingerprint %1.")
                     .arg(outcome.presentedFingerprint);
    const QString said = serverSaidLine(result);
    if (!said.isEmpty())
        lines << said;
    return lines.join(QLatin1Char('\n'));
}

} // namespace pollux::ui
