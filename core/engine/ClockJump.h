#pragma once

#include "store/Store.h"

#include <QString>

namespace pollux {

// A wall clock that moved this much more (or less) than the time that passed is worth a
// line in the log; NTP's small steps are not.
constexpr qint64 kClockJumpLogMs = qint64(5) * 60 * 1000;

// The log line for a jump of the wall clock between two readings of the keep-days clock
// (Store::advanceElapsed), with both clocks' values and what keep-days makes of it; empty
// when the clocks agree within kClockJumpLogMs. Each reading is recorded, so each jump is
// reported by one reading only, whichever account's pass comes first.
QString clockJumpMessage(const ElapsedReading &reading);

// "30 days", "2.5 hours", "1 minute", "40 seconds" (rounded to a tenth below 10).
QString describeDuration(qint64 ms);

} // namespace pollux
