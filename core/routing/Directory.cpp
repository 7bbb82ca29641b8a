#include "Directory.h"

#include "Address.h"
#include "util/Clock.h"

namespace pollux::routing {

QList<DirectoryAnswer> RecipientDirectory::lookupAll(const QStringList &addresses)
{
    QList<DirectoryAnswer> out;
    for (const QString &a : addresses)
        out << lookup(a);
    return out;
}

CachedDirectory::CachedDirectory(std::unique_ptr<RecipientDirectory> inner, int ttlSecs,
                                 Clock *clock)
    : m_inner(std::move(inner)), m_ttlSecs(qMax(0, ttlSecs)), m_clock(clock)
{
}

bool CachedDirectory::cached(const QString &key, DirectoryAnswer &out)
{
    const auto it = m_cache.constFind(key);
    if (it == m_cache.constEnd())
        return false;
    if (m_clock->now() >= it->expires) {
        m_cache.erase(it);
        return false;
    }
    out = it->answer;
    return true;
}

DirectoryAnswer CachedDirectory::lookup(const QString &address)
{
    return lookupAll({address}).value(0);
}

QList<DirectoryAnswer> CachedDirectory::lookupAll(const QStringList &addresses)
{
    QList<DirectoryAnswer> out(addresses.size());
    QStringList missing;
    QList<int> missingIndex;
    for (int i = 0; i < addresses.size(); ++i) {
        if (!cached(addressKey(addresses.at(i)), out[i])) {
            missing << addresses.at(i);
            missingIndex << i;
        }
    }
    if (missing.isEmpty())
        return out;
    const QList<DirectoryAnswer> fresh = m_inner->lookupAll(missing);
    const QDateTime expires = m_clock->now().addSecs(m_ttlSecs);
    for (int j = 0; j < missing.size(); ++j) {
        const DirectoryAnswer a = fresh.value(j);
        out[missingIndex.at(j)] = a;
        if (a.status != DirectoryStatus::Unavailable && m_ttlSecs > 0)
            m_cache.insert(addressKey(missing.at(j)), {a, expires});
    }
    return out;
}

FixedDirectory::FixedDirectory(QHash<QString, DirectoryStatus> answers, DirectoryStatus otherwise)
    : m_otherwise(otherwise)
{
    for (auto it = answers.cbegin(); it != answers.cend(); ++it)
        m_answers.insert(addressKey(it.key()), it.value());
}

DirectoryAnswer FixedDirectory::lookup(const QString &address)
{
    ++m_lookups;
    DirectoryAnswer a;
    a.status = m_answers.value(addressKey(address), m_otherwise);
    a.detail = QStringLiteral("fixed answer");
    if (a.status == DirectoryStatus::Unavailable)
        a.error = ErrorCode::Network;
    return a;
}

} // namespace pollux::routing
