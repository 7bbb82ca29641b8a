#pragma once

#include "engine/Engine.h"

#include <QSignalSpy>

namespace pollux::test {

// One Engine::runOnce() to its end: false when onceFinished() did not come within the
// deadline; `ok` (if given) receives its verdict - every pass succeeded and nothing is
// left waiting for delivery.
inline bool runOnce(Engine &engine, bool *ok = nullptr, int timeoutMs = 300000)
{
    QSignalSpy done(&engine, &Engine::onceFinished);
    engine.runOnce();
    if (!done.wait(timeoutMs))
        return false;
    if (ok)
        *ok = done.first().first().toBool();
    return true;
}

inline bool runOnce(Engine &engine, bool &ok, int timeoutMs = 300000)
{
    return runOnce(engine, &ok, timeoutMs);
}

} // namespace pollux::test
