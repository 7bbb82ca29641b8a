#pragma once

#include "secrets/SecretStore.h"
#include "util/Clock.h"

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QMetaObject>
#include <QMutex>

#include <atomic>

namespace pollux::test {

// A clock the test moves by hand; thread-safe. advance() is time passing (the wall clock
// and the monotonic one move together); jumpWall() sets the wall clock alone.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(const QDateTime &start = QDateTime(QDate(2026, 1, 5), QTime(9, 0),
                                                            Qt::UTC))
        : m_msecs(start.toMSecsSinceEpoch())
    {
    }
    QDateTime now() const override { return QDateTime::fromMSecsSinceEpoch(m_msecs, Qt::UTC); }
    qint64 monotonicMs() const override { return m_monotonic; }
    QString monotonicOrigin() const override { return QStringLiteral("manual"); }
    void advance(qint64 seconds)
    {
        m_msecs += seconds * 1000;
        m_monotonic += seconds * 1000;
    }
    void jumpWall(qint64 seconds) { m_msecs += seconds * 1000; }

private:
    std::atomic<qint64> m_msecs;
    std::atomic<qint64> m_monotonic{0};
};

// Secrets in memory, for in-process engine tests (the keychain has its own tests, and
// the headless tests use the real one). Callbacks run in the caller's thread, later.
class MemorySecretStore final : public SecretStore
{
public:
    void set(const QString &key, const QString &secret)
    {
        QMutexLocker lock(&m_mutex);
        m_secrets.insert(key, secret);
    }
    void read(const QString &key, ReadCallback done) override
    {
        QMutexLocker lock(&m_mutex);
        const bool found = m_secrets.contains(key);
        const QString secret = m_secrets.value(key);
        lock.unlock();
        // Answer later, in the calling thread, like a real keychain.
        QMetaObject::invokeMethod(
            QAbstractEventDispatcher::instance(),
            [done, found, secret, key] {
                done(found ? Result::success()
                           : Result::failure(ErrorCode::Secrets,
                                             QStringLiteral("no password stored for %1").arg(key)),
                     secret);
            },
            Qt::QueuedConnection);
    }
    void write(const QString &key, const QString &secret, WriteCallback done) override
    {
        set(key, secret);
        done(Result::success());
    }
    void remove(const QString &key, WriteCallback done) override
    {
        QMutexLocker lock(&m_mutex);
        m_secrets.remove(key);
        lock.unlock();
        done(Result::success());
    }

private:
    QMutex m_mutex;
    QHash<QString, QString> m_secrets;
};

} // namespace pollux::test
