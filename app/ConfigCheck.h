#pragma once

#include "Cli.h"

namespace pollux {
struct Config;
}

namespace pollux::app {

// Loads `path` into `config` and runs the full validation. On a problem it prints each one
// on its own line to standard error (the file and the field named) and returns false: the
// command then exits with status 2. Only reads the file.
bool loadValidConfig(const QString &path, Config &config);

// `pollux config check`: the validation, and what the configuration would do in plain words.
// Only reads: takes no lock, opens no database, creates no folder. 0 valid, 2 not.
int runConfigCheck(const Invocation &invocation);

} // namespace pollux::app
