#pragma once

// Shared by the DeliveryWorker tests: a data directory, a scripted SMTP server and a
// worker per test function, plus SMTP script pieces.

#include "EngineTestSupport.h"
#include "engine/DeliveryWorker.h"
#include "unit/smtp/FakeSmtpServer.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace pollux::test {

inline const QString Account = QStringLiteral("office");
inline const QString Uid = QStringLiteral("uid-1");
inline const QByteArray Message =
    "Return-Path: <sender@example.com>\r\nSubject: hi\r\n\r\n.leading dot\r\n.\r\nbye\r\n";

// What the fake must see for one message to b@example.org, up to the DATA reply.
QStringList transaction(const char *rcptReply, const char *dataReply);
// The only recipient refused: no DATA follows (lockstep).
QStringList refusedRecipient(const char *rcptReply);
// A message with its data and the final reply.
QStringList fullTransaction(const char *finalReply);

// Test classes derive from this and call setUp()/tearDown() from init()/cleanup().
class DeliveryFixture : public QObject
{
protected:
    void setUp();
    void tearDown();
    // A worker for the fake server (or `port`), started; set the fake's script first.
    DeliveryWorker *startWorker(int idleCloseMs = 60000, quint16 port = 0);

    std::unique_ptr<DataDir> m_data;
    std::unique_ptr<FakeSmtpServer> m_server;
    std::unique_ptr<DeliveryWorker> m_worker;
    QString m_smtpUser;         // for the next startWorker()
    Config m_config;            // accounts, routing and postmaster for the next startWorker()
    int m_smtpTimeoutSecs = 10; // for the next startWorker()
    int m_finalReplyTimeoutMs = 10 * 60 * 1000; // for the next startWorker()
};

} // namespace pollux::test
