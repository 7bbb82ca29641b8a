#pragma once

#include "util/Clock.h"

#include <atomic>

// A clock the test moves by hand. Thread-safe.
class ManualClock final : public pollux::Clock
{
public:
    explicit ManualClock(qint64 startMs = 1700000000000) : m_ms(startMs) {}

    QDateTime now() const override { return QDateTime::fromMSecsSinceEpoch(m_ms.load(), Qt::UTC); }
    void set(const QDateTime &time) { m_ms.store(time.toMSecsSinceEpoch()); }
    void advanceMs(qint64 ms) { m_ms.fetch_add(ms); }
    void advanceSecs(qint64 secs) { advanceMs(secs * 1000); }
    void advanceDays(qint64 days) { advanceSecs(days * 24 * 3600); }

private:
    std::atomic<qint64> m_ms;
};
