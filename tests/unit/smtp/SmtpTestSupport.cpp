#include "SmtpTestSupport.h"

namespace smtptest {

QStringList hello(const QStringList &extensions)
{
    QStringList script = lines({"S: 220 fake.test ESMTP", "C: EHLO client.test"});
    if (extensions.isEmpty()) {
        script << s("S: 250 fake.test");
        return script;
    }
    script << s("S: 250-fake.test");
    for (int i = 0; i < extensions.size(); ++i)
        script << (i + 1 < extensions.size() ? s("S: 250-") : s("S: 250 ")) + extensions.at(i);
    return script;
}

QStringList pipeliningHello()
{
    return hello(lines({"PIPELINING", "SIZE 50000000", "8BITMIME"}));
}

Envelope envelope(std::initializer_list<const char *> recipients)
{
    Envelope e;
    e.sender = s("a@example.org");
    e.recipients = lines(recipients);
    return e;
}

void ClientFixture::setUp()
{
    m_server = new FakeSmtpServer(this);
    QVERIFY(m_server->listen());
    m_client = new SmtpClient(this);
    m_failed = new QSignalSpy(m_client, &SmtpClient::failed);
}

void ClientFixture::tearDown()
{
    delete m_failed;
    delete m_client;
    delete m_server;
    m_failed = nullptr;
    m_client = nullptr;
    m_server = nullptr;
}

Options ClientFixture::options(int timeoutMs) const
{
    Options o;
    o.endpoint.host = s("127.0.0.1");
    o.endpoint.port = m_server->port();
    o.endpoint.timeoutMs = timeoutMs;
    o.heloName = s("client.test");
    o.label = s("test");
    return o;
}

void ClientFixture::openClient(const QStringList &script, const Options &o)
{
    m_server->setScript(script);
    QSignalSpy opened(m_client, &SmtpClient::opened);
    m_client->open(o);
    QVERIFY2(opened.wait(Wait), qPrintable(m_server->errors().join(QLatin1Char('\n'))));
    QVERIFY(m_client->isOpen());
}

SendResult ClientFixture::sendAndWait(const Envelope &e, QIODevice *body, qint64 size)
{
    QSignalSpy sent(m_client, &SmtpClient::sent);
    m_client->send(e, body, size);
    if (!sent.wait(Wait)) {
        qWarning() << "no sent(); server:" << m_server->errors()
                   << "failed:" << (m_failed->isEmpty() ? QString() : firstError().message());
        return SendResult();
    }
    if (sent.size() != 1) {
        qWarning() << "sent() emitted" << sent.size() << "times";
        return SendResult();
    }
    return sent.at(0).at(0).value<SendResult>();
}

} // namespace smtptest
