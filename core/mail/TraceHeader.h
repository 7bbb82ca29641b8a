#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace pollux::mail {

// Our Received: line, prepended to every message we deliver. It names Pollux, the
// protocol and the account, so a message that comes back to the same account can be
// recognised as a loop.
QByteArray traceHeader(const QString &byHost, const QString &protocol, const QString &account,
                       const QString &uid, const QDateTime &when);

} // namespace pollux::mail
