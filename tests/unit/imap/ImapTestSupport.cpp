#include "ImapTestSupport.h"

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

} // namespace pollux::test
