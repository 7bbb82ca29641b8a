#pragma once

#include "Cli.h"

#include <QString>

namespace pollux {
struct Config;
}

namespace pollux::app {

// Runs a command that needs no display: --headless [--once], password set, account test,
// account route --dry-run.
// Returns the process exit status (docs/SERVICE.md "Exit codes and signals"):
inline constexpr int kExitOk = 0;     // --once: every pass ok, nothing left waiting;
                                      // service: a clean stop (SIGTERM/SIGINT)
inline constexpr int kExitFailed = 1; // a pass or a delivery failed, a message was refused,
                                      // the store failed; --once cut short by a signal
inline constexpr int kExitUsage = 2;  // bad command line or a configuration that cannot be used
// 3: DataDirLock::kExitStatusInUse, another Pollux works in the same data folder.
inline constexpr int kExitWaiting = 4; // --once: no failure, but mail still waits (the office
                                       // server deferred it, or the spool limit left it on
                                       // the server); the next run takes it on
int runHeadless(const Invocation &invocation);
// The line --headless logs first: version, configuration file, data folder, log file and
// the secret backend (`secrets`: "secrets: ...", from secretBackendDescription() or the
// store's own description).
QString startLine(const QString &configPath, const Config &config, const QString &secrets);
int runPasswordSet(const Invocation &invocation);
// Reads a secret typed on standard input (echo off) and writes it to the keychain under
// `key`; `what` names it in the prompt and the messages ("Password", "Client secret").
// 0, or the exit status of the failure (2: nothing read, 1: the keychain refused).
int storeTypedSecret(const QString &key, const QString &what);
int runAccountTest(const Invocation &invocation);
int runAccountRoute(const Invocation &invocation); // account route NAME --dry-run

} // namespace pollux::app
