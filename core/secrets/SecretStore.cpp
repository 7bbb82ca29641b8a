#include "secrets/SecretStore.h"

#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace pollux {

QString secretKey(SecretKind kind, const QString &account)
{
    switch (kind) {
    case SecretKind::Account:
        return QStringLiteral("account/") + account;
    case SecretKind::Smtp:
        return QStringLiteral("smtp");
    case SecretKind::Ldap:
        return QStringLiteral("ldap");
    case SecretKind::OAuth2Refresh:
        return QStringLiteral("oauth2-refresh/") + account;
    case SecretKind::OAuth2ClientSecret:
        return QStringLiteral("oauth2-client/") + account;
    }
    return {};
}

namespace {

// An argument as a POSIX shell reads it back: as it is when it is plain, else in quotes.
QString shellWord(const QString &word)
{
    bool plain = !word.isEmpty();
    for (const QChar c : word)
        plain = plain && (c.isLetterOrNumber() || QStringLiteral("@%+=:,./_-").contains(c));
    if (plain)
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

QString passwordSetCommand(const QString &key, const QString &service)
{
    QString command = QStringLiteral("pollux password set ");
    const QString accountPrefix = secretKey(SecretKind::Account);
    const QString clientPrefix = secretKey(SecretKind::OAuth2ClientSecret);
    if (key.startsWith(accountPrefix) && key.size() > accountPrefix.size())
        command += shellWord(key.mid(accountPrefix.size()));
    else if (key.startsWith(clientPrefix) && key.size() > clientPrefix.size())
        command += shellWord(key.mid(clientPrefix.size())) + QStringLiteral(" --client-secret");
    else if (key == secretKey(SecretKind::Smtp))
        command += QStringLiteral("--smtp");
    else if (key == secretKey(SecretKind::Ldap))
        command += QStringLiteral("--ldap");
    else
        return {};
    if (service != QLatin1String("Pollux"))
        command = QStringLiteral("POLLUX_KEYCHAIN_SERVICE=") + shellWord(service) +
                  QLatin1Char(' ') + command;
    return command;
}

Result missingSecret(const QString &key, const QString &service)
{
    QString message = QStringLiteral("no password stored for %1 in the keychain (service \"%2\")")
                          .arg(key, service);
    const QString command = passwordSetCommand(key, service);
    if (!command.isEmpty())
        message += QStringLiteral("; store it with: ") + command;
    return Result::failure(ErrorCode::Secrets, message);
}

namespace {

// Shared with the callback, which may arrive after a timeout made us return.
struct SyncState
{
    QEventLoop *loop = nullptr;
    bool done = false;
    Result result;
    QString secret;
};

Result waitFor(const std::shared_ptr<SyncState> &state, int timeoutMs)
{
    if (!state->done) {
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
        state->loop = &loop;
        loop.exec(QEventLoop::ExcludeUserInputEvents);
        state->loop = nullptr;
    }
    if (!state->done) {
        return Result::failure(
            ErrorCode::Secrets,
            QStringLiteral("the keychain did not answer within %1 ms").arg(timeoutMs));
    }
    return state->result;
}

void complete(const std::shared_ptr<SyncState> &state, const Result &result, const QString &secret)
{
    state->done = true;
    state->result = result;
    state->secret = secret;
    if (state->loop)
        state->loop->quit();
}

} // namespace

Result SecretStore::readSync(const QString &key, QString &secret, int timeoutMs)
{
    auto state = std::make_shared<SyncState>();
    read(key, [state](Result result, QString value) { complete(state, result, value); });
    const Result result = waitFor(state, timeoutMs);
    if (result.ok())
        secret = state->secret;
    state->secret.clear();
    return result;
}

Result SecretStore::writeSync(const QString &key, const QString &secret, int timeoutMs)
{
    auto state = std::make_shared<SyncState>();
    write(key, secret, [state](Result result) { complete(state, result, QString()); });
    return waitFor(state, timeoutMs);
}

} // namespace pollux
