#pragma once

#include <QString>

namespace pollux::app {

// `pollux status` from a running service: asks its control socket
// (ControlServer::defaultSocketPath()) for a snapshot and writes it as text. False, with
// nothing written, when no service answers there (then the database is read); a socket
// that exists but refuses or fails is named on stderr first.
bool serviceStatus(const QString &configPath, QString *text);

} // namespace pollux::app
