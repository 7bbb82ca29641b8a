#pragma once

#include <QDateTime>

namespace pollux {

// The source of "now" for everything that depends on time (retention, retries),
// so tests can move time instead of waiting. Implementations must be thread-safe.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;

    // The wall clock; lives for the whole program.
    static Clock *system();
};

} // namespace pollux
