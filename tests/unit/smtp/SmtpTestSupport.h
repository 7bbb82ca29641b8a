#pragma once

// Shared by the SmtpClient tests: script helpers, message bodies, and a fixture base that
// owns a FakeSmtpServer and a client per test function.

#include "FakeSmtpServer.h"

#include "smtp/SmtpClient.h"

#include <QBuffer>
#include <QSignalSpy>
#include <QTest>

namespace smtptest {

using namespace pollux;
using namespace pollux::smtp;

inline constexpr int Wait = 10000; // ms: generous deadline for a signal that must come

inline QString s(const char *text)
{
    return QString::fromUtf8(text);
}

inline QStringList lines(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

// Greeting and EHLO with the given extension lines.
QStringList hello(const QStringList &extensions);
// PIPELINING, SIZE 50000000, 8BITMIME.
QStringList pipeliningHello();
// From a@example.org to the given recipients.
Envelope envelope(std::initializer_list<const char *> recipients);

// A message body that stays alive as long as the test function.
struct Body
{
    explicit Body(const QByteArray &data) : bytes(data)
    {
        buffer.setBuffer(&bytes);
        buffer.open(QIODevice::ReadOnly);
    }
    QByteArray bytes;
    QBuffer buffer;
};

// Test classes derive from this and call setUp()/tearDown() from init()/cleanup().
class ClientFixture : public QObject
{
protected:
    void setUp();
    void tearDown();
    Options options(int timeoutMs = Wait) const;
    void openClient(const QStringList &script) { openClient(script, options()); }
    void openClient(const QStringList &script, const Options &o);
    // Waits for exactly one sent(); an empty result (and a warning) otherwise.
    SendResult sendAndWait(const Envelope &e, QIODevice *body, qint64 size);
    Result firstError() const { return m_failed->at(0).at(0).value<Result>(); }

    FakeSmtpServer *m_server = nullptr;
    SmtpClient *m_client = nullptr;
    QSignalSpy *m_failed = nullptr;
};

} // namespace smtptest
