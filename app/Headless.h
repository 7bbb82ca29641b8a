#pragma once

#include "Cli.h"

namespace pollux::app {

// Runs a command that needs no display: --headless [--once], password set.
// Returns the process exit status.
int runHeadless(const Invocation &invocation);
int runPasswordSet(const Invocation &invocation);
int runAccountTest(const Invocation &invocation);

} // namespace pollux::app
