#include "ServiceSecrets.h"

#include <QMetaObject>
#include <QTimer>

namespace pollux::ui {

namespace {
const QLatin1String kPrefix("kept by the Pollux service");
const QLatin1String kWith("; an admin stores it with: ");
constexpr char kDefaultServiceConfig[] = "/etc/pollux/pollux.json";

// As the keychain does: the callback after the call returns, in the caller's thread.
void later(std::function<void()> f)
{
    QTimer::singleShot(0, [f = std::move(f)] { f(); });
}
} // namespace

ServiceSecrets::ServiceSecrets(std::function<QString()> serviceConfigPath)
    : m_configPath(std::move(serviceConfigPath))
{
}

Result ServiceSecrets::serviceOwned(const QString &key, const QString &serviceConfigPath)
{
    QString message = kPrefix;
    const QString set = passwordSetCommand(key, QStringLiteral("Pollux"));
    if (!set.isEmpty())
        message += kWith + QStringLiteral("sudo ") + set + QStringLiteral(" --config ") +
                   (serviceConfigPath.isEmpty() ? QString::fromLatin1(kDefaultServiceConfig)
                                                : serviceConfigPath);
    return Result::failure(ErrorCode::Secrets, message);
}

bool ServiceSecrets::isServiceOwned(const Result &result)
{
    return result.code() == ErrorCode::Secrets && result.message().startsWith(kPrefix);
}

QString ServiceSecrets::command(const Result &result)
{
    const qsizetype at = result.message().indexOf(kWith);
    return at < 0 ? QString() : result.message().mid(at + kWith.size());
}

void ServiceSecrets::read(const QString &key, ReadCallback done)
{
    const Result r = serviceOwned(key, m_configPath ? m_configPath() : QString());
    later([done = std::move(done), r] { done(r, QString()); });
}

void ServiceSecrets::write(const QString &key, const QString &, WriteCallback done)
{
    const Result r = serviceOwned(key, m_configPath ? m_configPath() : QString());
    later([done = std::move(done), r] { done(r); });
}

void ServiceSecrets::remove(const QString &, WriteCallback done)
{
    later([done = std::move(done)] { done(Result::success()); });
}

} // namespace pollux::ui
