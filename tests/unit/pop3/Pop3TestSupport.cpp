#include "Pop3TestSupport.h"

namespace pollux::test {

const QByteArray Message1 = "From: a@example.com\r\nSubject: one\r\n\r\nHello\r\n";
const QByteArray Message2 = "Subject: two\r\n\r\n.hidden line\r\n.\r\n..\r\nend.\r\n";
const QByteArray Message3 = "Subject: three\r\n\r\nbare\nline feed\r\n\r\n";

QByteArray message(int number)
{
    switch (number) {
    case 1:
        return Message1;
    case 2:
        return Message2;
    case 3:
        return Message3;
    default:
        break;
    }
    return "Subject: " + QByteArray::number(number) + "\r\n\r\n.body " +
           QByteArray::number(number) + "\r\n";
}

QByteArray dotStuff(const QByteArray &content)
{
    QByteArray out;
    bool lineStart = true;
    for (char c : content) {
        if (lineStart && c == '.')
            out += '.';
        out += c;
        lineStart = c == '\n';
    }
    return out;
}

QList<QByteArray> retrAnswer(const QByteArray &content)
{
    return {"S: +OK " + QByteArray::number(content.size()) + " octets",
            "R: " + dotStuff(content) + ".\r\n"};
}

QList<QByteArray> loginScript(const QList<QByteArray> &capa, const QByteArray &greeting)
{
    QList<QByteArray> s{"S: " + greeting, "C: CAPA", "S: +OK Capability list follows"};
    for (const QByteArray &c : capa)
        s << "S: " + c;
    s << "S: ."
      << "C: USER alice"
      << "S: +OK"
      << "C: PASS secret"
      << "S: +OK Logged in."
      << "C: CAPA"
      << "S: +OK";
    for (const QByteArray &c : capa)
        s << "S: " + c;
    s << "S: .";
    return s;
}

QList<QByteArray> uidlAnswer(int count)
{
    QList<QByteArray> s{"S: +OK"};
    for (int i = 1; i <= count; ++i)
        s << "S: " + QByteArray::number(i) + " uid-" + QByteArray::number(i);
    s << "S: .";
    return s;
}

QList<QByteArray> listAnswer(int count)
{
    QList<QByteArray> s{"S: +OK " + QByteArray::number(count) + " messages"};
    for (int i = 1; i <= count; ++i)
        s << "S: " + QByteArray::number(i) + ' ' + QByteArray::number(message(i).size());
    s << "S: .";
    return s;
}

MailboxOptions optionsFor(const FakePop3Server &server, int timeoutMs)
{
    MailboxOptions o;
    o.endpoint.host = QStringLiteral("127.0.0.1");
    o.endpoint.port = server.port();
    o.endpoint.tls = net::TlsMode::None;
    o.endpoint.timeoutMs = timeoutMs;
    o.username = QStringLiteral("alice");
    o.password = QStringLiteral("secret");
    o.label = QStringLiteral("test-account");
    // The scripts log in with USER/PASS over plain TCP, which needs the user's consent.
    o.allowPlaintextLogin = true;
    return o;
}

} // namespace pollux::test
