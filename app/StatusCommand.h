#pragma once

#include "Cli.h"

#include <QString>

#include <functional>

namespace pollux::app {

// Where `pollux status` asks a running service first. Given the configuration file, it
// returns true and fills `text` when a service answered (the control socket: serviceStatus()
// in LiveStatus.h), false when none did: then the database is read.
using LiveStatusSource = std::function<bool(const QString &configPath, QString *text)>;

// `pollux status [--config FILE]`: accounts, last pass and its result, mail waiting and
// refused, the office server's last delivery and deferral. Read-only: works while another
// Pollux holds the data folder. 0 read, 1 the database could not be read, 2 bad config.
int runStatus(const Invocation &invocation, const LiveStatusSource &live = {});

} // namespace pollux::app
