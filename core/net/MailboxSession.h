#pragma once

#include "net/Connection.h"
#include "net/MailboxClient.h"
#include "util/Result.h"

#include <QList>
#include <QString>
#include <QTimer>

namespace pollux::net {

// What a POP3 and an IMAP session share about ending: the connection, the error that ended
// the session while no call was running, and the message open in the sink. The clients'
// private parts derive from it; each keeps its own phases and what to clear on failure.
struct MailboxSession
{
    Connection *conn = nullptr;
    Result idleError; // the connection broke while no call was running
    // Of the running retrieve(), fetchIdentities() or remove().
    QList<RemoteMessage> messages;
    MessageSink *sink = nullptr;
    int openItem = -1; // the message begun in the sink and not yet ended

    // Drops the connection without a goodbye (no QUIT / LOGOUT): the server commits nothing.
    void dropConnection(QObject *client)
    {
        if (conn) {
            conn->disconnect(client);
            conn->abort();
        }
    }
    // The message begun in the sink will not be completed: the sink throws it away.
    void abortPartial()
    {
        if (openItem >= 0 && sink) {
            const RemoteMessage m = messages.at(openItem);
            openItem = -1;
            sink->abort(m);
        }
    }
    // `client` reports `error` on the next event-loop turn (to a call made when the session
    // could not run it), and the session is done with it.
    void failedLater(MailboxClient *client, const Result &error)
    {
        idleError = error;
        QTimer::singleShot(0, client, [client, error] { emit client->failed(error); });
    }
    // For a call made when the session is not ready: the error that ended it, if any.
    Result notReady(bool ended, const char *protocol, const char *call) const
    {
        if (ended && !idleError.ok())
            return idleError;
        return Result::failure(ErrorCode::Protocol,
                               QStringLiteral("%1 %2() called while the session is not ready")
                                   .arg(QLatin1String(protocol), QLatin1String(call)));
    }
};

} // namespace pollux::net
