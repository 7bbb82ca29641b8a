#pragma once

#include <QJsonValue>
#include <QtGlobal>

#include <cmath>

namespace pollux::control {

// A whole number from a peer's JSON, or `fallback` when it is none: not a number, a
// fraction, or outside ±2^53 (the integers a double holds exactly). Converting such a
// double to qint64 directly is undefined behaviour (1e300, say).
inline qint64 jsonInteger(const QJsonValue &value, qint64 fallback)
{
    if (!value.isDouble())
        return fallback;
    const double d = value.toDouble();
    constexpr double kExact = 9007199254740992.0; // 2^53
    if (!(d >= -kExact && d <= kExact) || std::floor(d) != d)
        return fallback;
    return qint64(d);
}

} // namespace pollux::control
