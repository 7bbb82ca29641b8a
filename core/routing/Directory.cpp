#include "Directory.h"

#include "Address.h"
#include "util/Clock.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDirectory, "pollux.directory")

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

CircuitBreakerDirectory::CircuitBreakerDirectory(std::unique_ptr<RecipientDirectory> inner,
                                                 int openSecs, Clock *clock, int maxOpenSecs)
    : m_inner(std::move(inner)), m_openSecs(qMax(1, openSecs)),
      m_maxOpenSecs(qMax(m_openSecs, maxOpenSecs)), m_clock(clock)
{
}

bool CircuitBreakerDirectory::isOpen() const
{
    if (m_until.isNull())
        return false;
    const QDateTime now = m_clock->now();
    return now >= m_openedAt && now < m_until;
}

DirectoryAnswer CircuitBreakerDirectory::lookup(const QString &address)
{
    return lookupAll({address}).value(0);
}

QList<DirectoryAnswer> CircuitBreakerDirectory::lookupAll(const QStringList &addresses)
{
    if (isOpen()) {
        DirectoryAnswer a;
        a.status = DirectoryStatus::Unavailable;
        a.error = m_last.error == ErrorCode::None ? ErrorCode::Network : m_last.error;
        a.detail = QStringLiteral("directory not asked until %1 (it did not answer: %2)")
                       .arg(m_until.toString(Qt::ISODate), m_last.detail);
        return QList<DirectoryAnswer>(addresses.size(), a);
    }
    const QList<DirectoryAnswer> answers = m_inner->lookupAll(addresses);
    const DirectoryAnswer *failed = nullptr;
    bool cancelled = false; // an interrupted lookup says nothing about the directory
    for (const DirectoryAnswer &a : answers) {
        if (a.status != DirectoryStatus::Unavailable)
            continue;
        if (a.error == ErrorCode::Cancelled) {
            cancelled = true;
            continue;
        }
        failed = &a;
        break;
    }
    if (!failed) {
        if (!cancelled && m_failures > 0) {
            qCInfo(lcDirectory).noquote()
                << QStringLiteral("recipient directory answers again: circuit closed after %1 "
                                  "failed attempt(s)")
                       .arg(m_failures);
            m_failures = 0;
            m_until = QDateTime();
        }
        return answers;
    }
    ++m_failures;
    qint64 secs = m_openSecs;
    for (int i = 1; i < m_failures && secs < m_maxOpenSecs; ++i)
        secs *= 2;
    secs = qMin<qint64>(secs, m_maxOpenSecs);
    m_last = *failed;
    m_openedAt = m_clock->now();
    m_until = m_openedAt.addSecs(secs);
    qCWarning(lcDirectory).noquote()
        << QStringLiteral("recipient directory unavailable (%1): circuit open, not asked again "
                          "for %2 s, until %3; catch-all mail that needs it waits")
               .arg(m_last.detail)
               .arg(secs)
               .arg(m_until.toString(Qt::ISODate));
    return answers;
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
