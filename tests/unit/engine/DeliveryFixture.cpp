#include "DeliveryFixture.h"

#include <QSignalSpy>
#include <QTest>

namespace pollux::test {

QStringList transaction(const char *rcptReply, const char *dataReply)
{
    return QStringList{QStringLiteral("C: MAIL FROM:<sender@example.com>"),
                       QStringLiteral("S: 250 2.1.0 Ok"),
                       QStringLiteral("C: RCPT TO:<b@example.org>"),
                       QStringLiteral("S: ") + QString::fromUtf8(rcptReply),
                       QStringLiteral("C: DATA"),
                       QStringLiteral("S: ") + QString::fromUtf8(dataReply)};
}

QStringList refusedRecipient(const char *rcptReply)
{
    return transaction(rcptReply, "").mid(0, 4);
}

QStringList fullTransaction(const char *finalReply)
{
    return transaction("250 2.1.5 Ok", "354 go ahead") +
           QStringList{QStringLiteral("C: <DATA>"),
                       QStringLiteral("S: ") + QString::fromUtf8(finalReply)};
}

void DeliveryFixture::setUp()
{
    qRegisterMetaType<pollux::Result>();
    m_data = std::make_unique<DataDir>();
    QVERIFY(m_data->open().ok());
    m_server = std::make_unique<FakeSmtpServer>();
    QVERIFY(m_server->listen());
}

void DeliveryFixture::tearDown()
{
    m_worker.reset();
    m_smtpUser.clear();
    m_config = Config();
    m_smtpTimeoutSecs = 10;
    m_finalReplyTimeoutMs = 10 * 60 * 1000;
    m_server.reset();
    m_data.reset();
}

DeliveryWorker *DeliveryFixture::startWorker(int idleCloseMs, quint16 port)
{
    DeliveryWorker::Settings s;
    s.config = m_config;
    s.smtp.host = QStringLiteral("127.0.0.1");
    s.smtp.port = port ? port : m_server->port();
    s.smtp.heloName = QStringLiteral("client.test");
    s.smtp.username = m_smtpUser;
    s.smtp.timeoutSecs = m_smtpTimeoutSecs;
    s.finalReplyTimeoutMs = m_finalReplyTimeoutMs;
    s.smtp.retryIntervalSecs = 300;
    s.databasePath = m_data->databasePath();
    s.spoolDir = m_data->spoolDir();
    s.idleCloseMs = idleCloseMs;
    m_worker = std::make_unique<DeliveryWorker>(s, &m_data->secrets, &m_data->clock);
    QSignalSpy ready(m_worker.get(), &DeliveryWorker::ready);
    m_worker->start();
    if (ready.size() != 1)
        qWarning("DeliveryWorker did not start");
    return m_worker.get();
}

} // namespace pollux::test
