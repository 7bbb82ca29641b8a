#pragma once

#include "util/Clock.h"

#include <atomic>

// A clock the test moves by hand. Thread-safe. advance*() moves the wall clock and the
// monotonic clock together (time passes); jumpWall*() moves the wall clock alone (an
// administrator or NTP sets it); restart() is a reboot: the monotonic clock starts again
// from another origin.
class ManualClock final : public pollux::Clock
{
public:
    explicit ManualClock(qint64 startMs = 1700000000000) : m_ms(startMs) {}

    QDateTime now() const override { return QDateTime::fromMSecsSinceEpoch(m_ms.load(), Qt::UTC); }
    qint64 monotonicMs() const override { return m_monotonic.load(); }
    QString monotonicOrigin() const override
    {
        return QStringLiteral("manual-boot-") + QString::number(m_boot.load());
    }

    void set(const QDateTime &time) { m_ms.store(time.toMSecsSinceEpoch()); }
    void advanceMs(qint64 ms)
    {
        m_ms.fetch_add(ms);
        m_monotonic.fetch_add(ms);
    }
    void advanceSecs(qint64 secs) { advanceMs(secs * 1000); }
    void advanceDays(qint64 days) { advanceSecs(days * 24 * 3600); }
    void jumpWallMs(qint64 ms) { m_ms.fetch_add(ms); }
    void jumpWallDays(qint64 days) { jumpWallMs(days * 24 * 3600 * 1000); }
    void restart()
    {
        m_boot.fetch_add(1);
        m_monotonic.store(12345); // the new boot's clock has nothing to do with the old one
    }

private:
    std::atomic<qint64> m_ms;
    std::atomic<qint64> m_monotonic{1000};
    std::atomic<int> m_boot{0};
};
