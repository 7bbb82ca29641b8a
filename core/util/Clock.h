#pragma once

#include <QDateTime>
#include <QString>

namespace pollux {

// The source of "now" for everything that depends on time (retention, retries),
// so tests can move time instead of waiting. Implementations must be thread-safe.
class Clock
{
public:
    virtual ~Clock() = default;
    // The wall clock (UTC): what the administrator, NTP or a dead CMOS battery set it to.
    virtual QDateTime now() const = 0;

    // Time as it passes, whatever the wall clock is set to: milliseconds from an arbitrary
    // origin, never going back. Keep-days retention counts this (Store::advanceElapsed), so
    // a wall clock set forward cannot delete mail early. Two readings are comparable only
    // when monotonicOrigin() was the same for both. A clock that does not override these
    // (a simple test clock) counts its wall time as monotonic, under one origin.
    virtual qint64 monotonicMs() const { return now().toMSecsSinceEpoch(); }
    // Names the origin of monotonicMs(). The system clock: this boot of the machine
    // (CLOCK_BOOTTIME, which counts suspend; so every process of one boot agrees), or this
    // process where the boot cannot be told.
    virtual QString monotonicOrigin() const { return QStringLiteral("wall"); }

    // The wall clock and CLOCK_BOOTTIME; lives for the whole program.
    static Clock *system();
};

} // namespace pollux
