#include "SessionRun.h"

#include <QSignalSpy>
#include <QTest>

namespace pollux::test {

SessionRun runSession(MailboxClient &client, const MailboxOptions &options, MessageSink &sink,
                      const QString &until, int waitMs)
{
    SessionRun run;
    QSignalSpy failed(&client, &MailboxClient::failed);
    QSignalSpy opened(&client, &MailboxClient::opened);
    QSignalSpy listed(&client, &MailboxClient::listed);
    QSignalSpy retrieved(&client, &MailboxClient::retrieved);
    QSignalSpy removeMarked(&client, &MailboxClient::removeMarked);
    QSignalSpy closed(&client, &MailboxClient::closed);

    const auto step = [&](QSignalSpy &done, const QString &call) {
        const bool any =
            QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, waitMs);
        if (!failed.isEmpty()) {
            run.stoppedAt = call;
            run.error = failed.first().first().value<Result>();
            return false;
        }
        if (!any) {
            run.stoppedAt = call;
            run.error = Result::failure(ErrorCode::Timeout, QStringLiteral("test: no answer"));
            return false;
        }
        if (call == until)
            run.stoppedAt = QStringLiteral("done");
        return call != until;
    };

    client.open(options);
    if (!step(opened, QStringLiteral("open")))
        return run;
    client.list();
    const bool listDone = step(listed, QStringLiteral("list"));
    if (!listed.isEmpty())
        run.listed = listed.first().first().value<QList<RemoteMessage>>();
    if (!listDone)
        return run;
    client.retrieve(run.listed, &sink);
    if (!step(retrieved, QStringLiteral("retrieve")))
        return run;
    client.remove(run.listed);
    if (!step(removeMarked, QStringLiteral("remove")))
        return run;
    client.close();
    step(closed, QStringLiteral("close"));
    if (run.stoppedAt == QStringLiteral("done"))
        run.committed = closed.first().first().toBool();
    return run;
}

} // namespace pollux::test
