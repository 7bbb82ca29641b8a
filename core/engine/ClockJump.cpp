#include "ClockJump.h"

namespace pollux {

QString describeDuration(qint64 ms)
{
    const double value = double(qAbs(ms));
    const auto amount = [](double v, const char *one, const char *many) -> QString {
        const bool whole = v >= 10 || v == double(qint64(v));
        return QString::number(v, 'f', whole ? 0 : 1) + QLatin1Char(' ') +
               QLatin1String(whole && qint64(v) == 1 ? one : many);
    };
    if (value >= 86400000.0)
        return amount(value / 86400000.0, "day", "days");
    if (value >= 3600000.0)
        return amount(value / 3600000.0, "hour", "hours");
    if (value >= 60000.0)
        return amount(value / 60000.0, "minute", "minutes");
    return amount(value / 1000.0, "second", "seconds");
}

QString clockJumpMessage(const ElapsedReading &reading)
{
    const qint64 jump = reading.jumpMs();
    if (!reading.previousWall.isValid() || qAbs(jump) <= kClockJumpLogMs)
        return QString();
    const QString from = reading.previousWall.toString(Qt::ISODate);
    const QString to = reading.wall.toString(Qt::ISODate);
    if (!reading.sameOrigin) // after a reboot: only a clock set back can be told
        return QStringLiteral("clock jump: the wall clock says %1, %2 earlier than when Pollux "
                              "last ran (%3); keep-days counts the time in between as none")
            .arg(to, describeDuration(jump), from);
    return QStringLiteral("clock jump: the wall clock was set %1 by %2 (it moved from %3 to %4 "
                          "while the monotonic clock counted %5); keep-days counts the time "
                          "that passed, not the clock")
        .arg(jump > 0 ? QStringLiteral("forward") : QStringLiteral("back"), describeDuration(jump),
             from, to, describeDuration(reading.passedMs));
}

} // namespace pollux
