#pragma once

#include <QtGlobal>

namespace pollux::test {

// A TCP port on 127.0.0.1 that was free a moment ago: binds port 0, reads the port the
// kernel chose, closes. Another process may take it before the caller binds, so callers
// retry their start once or twice when the bind fails. Returns 0 if nothing could be bound.
quint16 freePort();

} // namespace pollux::test
