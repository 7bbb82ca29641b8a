#pragma once

#include "net/MailboxClient.h"

#include <QList>
#include <QString>

namespace pollux::test {

// The outcome of driving a POP3 or IMAP client through open, list, retrieve (all listed),
// remove (all listed), close.
struct SessionRun
{
    QString stoppedAt; // the call that failed, or "done"
    Result error;      // of failed()
    bool committed = false;
    QList<RemoteMessage> listed;
};

// Runs the session until `until` ("open", "list", "retrieve", "remove", "close") is done
// or a call fails; each call must answer within `waitMs`.
SessionRun runSession(MailboxClient &client, const MailboxOptions &options, MessageSink &sink,
                      const QString &until = QStringLiteral("close"), int waitMs = 10000);

} // namespace pollux::test
