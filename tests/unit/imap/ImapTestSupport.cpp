#include "ImapTestSupport.h"

#include <QSignalSpy>
#include <QTest>

namespace pollux::test {

QByteArray imapMessage(int uid)
{
    return "Message-ID: <" + QByteArray::number(uid) +
           "@example.org>\r\nSubject: " + QByteArray::number(uid) + "\r\n\r\n.body " +
           QByteArray::number(uid) + "\r\n)\r\n* 1 FETCH {3}\r\n";
}

QList<QByteArray> imapOpenScript(const QByteArray &caps, int exists)
{
    return {"S: * OK [CAPABILITY " + caps + "] ready",
            "C: A1 LOGIN \"alice\" \"secret\"",
            "S: A1 OK [CAPABILITY " + caps + "] Logged in",
            "C: A2 SELECT \"INBOX\"",
            "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
            "S: * " + QByteArray::number(exists) + " EXISTS",
            "S: * 0 RECENT",
            "S: * OK [UIDVALIDITY 42] UIDs valid",
            "S: * OK [UIDNEXT " + QByteArray::number(exists + 1) + "] Predicted next UID",
            "S: A2 OK [READ-WRITE] Select completed"};
}

QList<QByteArray> imapListAnswer(const QByteArray &tag, int count)
{
    QList<QByteArray> s;
    for (int i = 1; i <= count; ++i)
        s << "S: * " + QByteArray::number(i) + " FETCH (UID " + QByteArray::number(i) +
                 " RFC822.SIZE " + QByteArray::number(imapMessage(i).size()) + ")";
    s << "S: " + tag + " OK Fetch completed";
    return s;
}

QList<QByteArray> imapBodyAnswer(qint64 uid, bool uidFirst)
{
    const QByteArray body = imapMessage(int(uid));
    const QByteArray n = QByteArray::number(uid);
    const QByteArray announce = "{" + QByteArray::number(body.size()) + "}";
    if (uidFirst)
        return {"S: * " + n + " FETCH (UID " + n + " BODY[] " + announce, "R: " + body, "S: )"};
    return {"S: * " + n + " FETCH (BODY[] " + announce, "R: " + body, "S:  UID " + n + ")"};
}

MailboxOptions imapOptionsFor(const FakeImapServer &server, int timeoutMs)
{
    MailboxOptions o;
    o.endpoint.host = QStringLiteral("127.0.0.1");
    o.endpoint.port = server.port();
    o.endpoint.tls = net::TlsMode::None;
    o.endpoint.timeoutMs = timeoutMs;
    o.username = QStringLiteral("alice");
    o.password = QStringLiteral("secret");
    o.allowPlaintextLogin = true;
    o.label = QStringLiteral("test-account");
    return o;
}

ImapRun runImapSession(MailboxClient &client, const MailboxOptions &options, MemorySink &sink,
                       const QString &until, int waitMs)
{
    ImapRun run;
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
