#include "ErrorText.h"

#include "secrets/SecretStore.h"

namespace pollux::ui {

namespace {
const QLatin1String kMissingPrefix("no password stored for ");
const QLatin1String kCommandPart("; store it with: ");

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
    QString text = result.message();
    if (isMissingSecret(result)) {
        const qsizetype at = text.indexOf(kCommandPart);
        if (at >= 0)
            text.truncate(at);
    }
    return text;
}

QString ErrorText::sentence(const Result &result)
{
    switch (result.code()) {
    case ErrorCode::None:
        return tr("Everything worked.");
    case ErrorCode::HostNotFound:
        return tr("The server name could not be found. Check the spelling of the server name.");
    case ErrorCode::ConnectionRefused:
        return tr("The server refused the connection. Check the server name, the server type "
                  "and the port number.");
    case ErrorCode::Network:
        return tr("The network connection to the server was lost.");
    case ErrorCode::Timeout:
        return tr("The server did not answer in time.");
    case ErrorCode::Tls:
        return tr("No secure connection could be made: the server's certificate is not "
                  "trusted, or the encryption failed.");
    case ErrorCode::Protocol:
        return tr("The server answered in a way Pollux does not understand. Check the server "
                  "type and the port number.");
    case ErrorCode::LineTooLong:
        return tr("The server sent an unexpectedly long line.");
    case ErrorCode::AuthFailed:
        return tr("The server refused the username or password.");
    case ErrorCode::ServerError:
        return tr("The server reported an error.");
    case ErrorCode::TemporaryFailure:
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
    if (result.ok() || result.message().isEmpty())
        return sentence(result);
    return tr("%1\nDetails: %2").arg(sentence(result), detail(result));
}

} // namespace pollux::ui
