// An office server that keeps talking but never answers (issue 12, item 2, attacked): after
// the final "." it trickles a multi-line "250-" reply that never ends, one line at a time,
// faster than the ordinary timeout. Any traffic restarting the final-reply bound would hold
// the message (and a stop waiting for it) for ever; the bound must hold from the last byte.
#include "smtp/SmtpClient.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace pollux;
using namespace pollux::smtp;

namespace {

// Lockstep replies to EHLO, MAIL, RCPT and DATA; after "\r\n.\r\n" a "250-" line every
// `everyMs`, never the last one.
class TricklingServer : public QObject
{
public:
    explicit TricklingServer(int everyMs)
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            m_socket = m_server.nextPendingConnection();
            m_socket->write("220 trickle ESMTP\r\n");
            connect(m_socket, &QTcpSocket::readyRead, this, [this] { onRead(); });
        });
        connect(&m_trickle, &QTimer::timeout, this, [this] {
            if (m_socket)
                m_socket->write("250-still thinking\r\n");
            ++lines;
        });
        m_trickle.setInterval(everyMs);
    }
    quint16 port() const { return m_server.serverPort(); }
    int lines = 0;

private:
    void onRead()
    {
        m_buffer += m_socket->readAll();
        if (m_inData) {
            if (m_buffer.contains("\r\n.\r\n"))
                m_trickle.start();
            return;
        }
        qsizetype end;
        while ((end = m_buffer.indexOf("\r\n")) >= 0) {
            const QByteArray line = m_buffer.left(end).toUpper();
            m_buffer.remove(0, end + 2);
            if (line.startsWith("EHLO")) {
                m_socket->write("250 trickle\r\n");
            } else if (line.startsWith("DATA")) {
                m_socket->write("354 go\r\n");
                m_inData = true;
                return;
            } else {
                m_socket->write("250 ok\r\n");
            }
        }
    }
    QTcpServer m_server;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_buffer;
    bool m_inData = false;
    QTimer m_trickle;
};

} // namespace

class TestSmtpTrickle : public QObject
{
    Q_OBJECT
private slots:
    void finalReplyBoundHoldsAgainstATrickle()
    {
        TricklingServer server(100); // a line every 100 ms, the ordinary timeout is 400 ms
        SmtpClient client;
        Options o;
        o.endpoint.host = QStringLiteral("127.0.0.1");
        o.endpoint.port = server.port();
        o.endpoint.timeoutMs = 400;
        o.finalReplyTimeoutMs = 1500;
        o.heloName = QStringLiteral("client.test");
        o.label = QStringLiteral("trickle");
        QSignalSpy opened(&client, &SmtpClient::opened);
        QSignalSpy failed(&client, &SmtpClient::failed);
        QSignalSpy sent(&client, &SmtpClient::sent);
        client.open(o);
        QVERIFY(opened.wait(5000));
        QByteArray bytes("Subject: hi\r\n\r\nhello\r\n");
        QBuffer body(&bytes);
        body.open(QIODevice::ReadOnly);
        Envelope e;
        e.sender = QStringLiteral("a@example.org");
        e.recipients = {QStringLiteral("b@example.org")};
        QElapsedTimer clock;
        clock.start();
        client.send(e, &body, bytes.size());
        QTRY_VERIFY_WITH_TIMEOUT(client.awaitingFinalReply(), 5000);
        QVERIFY(failed.wait(8000)); // the bound, not the trickle's end (there is none)
        QVERIFY2(clock.elapsed() >= 1400 && clock.elapsed() < 4000,
                 qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(server.lines >= 5, qPrintable(QString::number(server.lines))); // it did talk
        QCOMPARE(sent.size(), 0);
        QCOMPARE(failed.first().at(0).value<Result>().code(), ErrorCode::Timeout);
        QVERIFY(client.deliveryUncertain());
    }
};

QTEST_GUILESS_MAIN(TestSmtpTrickle)
#include "tst_smtptrickle.moc"
