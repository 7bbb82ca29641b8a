#pragma once

#include "Cli.h"

namespace pollux::app {

// Runs a command that needs no display: --headless [--once], password set, account test,
// account route --dry-run.
// Returns the process exit status.
// --headless: 2 for a configuration that cannot be used, DataDirLock::kExitStatusInUse (3)
// when another Pollux works in the same data folder.
int runHeadless(const Invocation &invocation);
int runPasswordSet(const Invocation &invocation);
// Reads a secret typed on standard input (echo off) and writes it to the keychain under
// `key`; `what` names it in the prompt and the messages ("Password", "Client secret").
// 0, or the exit status of the failure (2: nothing read, 1: the keychain refused).
int storeTypedSecret(const QString &key, const QString &what);
int runAccountTest(const Invocation &invocation);
int runAccountRoute(const Invocation &invocation); // account route NAME --dry-run

} // namespace pollux::app
