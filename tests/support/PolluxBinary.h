#pragma once

#include <QString>
#include <QtGlobal>

// The pollux binary the integration tests run: POLLUX_TEST_BINARY runs them against another
// build or a wrapper (heaptrack, the old main's binary to show a regression test fails
// there); otherwise the one built next to the tests (POLLUX_BINARY_DIR, set by CMake).
inline QString polluxBinary()
{
    if (!qEnvironmentVariableIsEmpty("POLLUX_TEST_BINARY"))
        return qEnvironmentVariable("POLLUX_TEST_BINARY");
    return qEnvironmentVariable("POLLUX_BINARY_DIR") + QStringLiteral("/app/pollux");
}
