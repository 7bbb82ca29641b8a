// Self-test of the real-server fixtures: Dovecot, the SMTP sink and the test CA.
#include "support/DovecotServer.h"
#include "support/ProcessUtil.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

using namespace pollux::test;

namespace {

constexpr int ioTimeoutMs = 10000;

// Reads until the buffer ends with terminator (or the deadline passes); returns what was read.
QByteArray readUntil(QTcpSocket &socket, const QByteArray &terminator)
{
    QByteArray buffer;
    waitUntil(
        [&] {
            buffer += socket.readAll();
            return buffer.endsWith(terminator) || socket.state() != QAbstractSocket::ConnectedState;
        },
        ioTimeoutMs);
    return buffer;
}

QByteArray command(QTcpSocket &socket, const QByteArray &line,
                   const QByteArray &terminator = QByteArrayLiteral("\r\n"))
{
    socket.write(line + "\r\n");
    return readUntil(socket, terminator);
}

QByteArray testMessage(int n)
{
    return QByteArrayLiteral("From: a@example.org\r\nTo: b@example.org\r\nSubject: test ") +
           QByteArray::number(n) + QByteArrayLiteral("\r\n\r\nBody ") + QByteArray::number(n) +
           QByteArrayLiteral("\r\n");
}

QSslConfiguration trustTestCa()
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(QSslCertificate::fromPath(TestCa::instance().caCertPath()));
    return config;
}

} // namespace

class TestFixtures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void certificates_data();
    void certificates();
    void dovecotPop3();
    void dovecotTls_data();
    void dovecotTls();
    void dovecotImap();
    void dovecotManyMessages();
    void dovecotStopsAllProcesses();
    void smtpSinkKeepsBytes();
    void smtpSinkRules();

private:
    DovecotServer m_dovecot;
};

void TestFixtures::initTestCase()
{
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QVERIFY(m_dovecot.addUser(QStringLiteral("alice"), QStringLiteral("secret")));
    // A password with characters that a passwd-file line could trip over.
    QVERIFY(m_dovecot.addUser(QStringLiteral("bob"), QStringLiteral("p:ä ss{x}")));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    for (int i = 1; i <= 3; ++i)
        QVERIFY(m_dovecot.deliver(QStringLiteral("alice"), testMessage(i)));
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("alice")), 3);
}

void TestFixtures::certificates_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QSslError::SslError>("expected");
    const TestCa &ca = TestCa::instance();
    QTest::newRow("valid-localhost") << ca.certPath() << QSslError::NoError;
    QTest::newRow("expired") << ca.expiredCertPath() << QSslError::CertificateExpired;
    QTest::newRow("wrong-host") << ca.wrongHostCertPath() << QSslError::HostNameMismatch;
    QTest::newRow("self-signed") << ca.selfSignedCertPath() << QSslError::SelfSignedCertificate;
}

void TestFixtures::certificates()
{
    QFETCH(QString, path);
    QFETCH(QSslError::SslError, expected);
    QList<QSslCertificate> chain = QSslCertificate::fromPath(path);
    QCOMPARE(chain.size(), 1);
    chain += QSslCertificate::fromPath(TestCa::instance().caCertPath());
    QList<QSslError> errors = QSslCertificate::verify(chain, QStringLiteral("localhost"));
    // verify() trusts only the system CAs; the test CA at the root is expected to be reported.
    errors.removeIf(
        [](const QSslError &e) { return e.error() == QSslError::SelfSignedCertificateInChain; });
    if (expected == QSslError::NoError) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).errorString()));
        return;
    }
    bool found = false;
    for (const QSslError &e : errors)
        found = found || e.error() == expected;
    QVERIFY2(
        found,
        qPrintable(QStringLiteral("expected error missing, got %1 errors").arg(errors.size())));
}

void TestFixtures::dovecotPop3()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_dovecot.pop3Port());
    QVERIFY(socket.waitForConnected(ioTimeoutMs));
    QVERIFY(readUntil(socket, "\r\n").startsWith("+OK"));
    const QByteArray capa = command(socket, "CAPA", "\r\n.\r\n");
    QVERIFY2(capa.contains("\r\nPIPELINING\r\n"), capa.constData());
    QVERIFY2(capa.contains("\r\nUIDL\r\n"), capa.constData());
    QVERIFY(command(socket, "USER alice").startsWith("+OK"));
    QVERIFY(command(socket, "PASS wrong").startsWith("-ERR"));
    QVERIFY(command(socket, "USER alice").startsWith("+OK"));
    QVERIFY(command(socket, "PASS secret").startsWith("+OK"));
    QVERIFY(command(socket, "STAT").startsWith("+OK 3 "));
    const QByteArray uidl = command(socket, "UIDL 1");
    // pop3_uidl_format %08Xu%08Xv: 16 hex digits.
    QVERIFY2(QByteArray(uidl).trimmed().split(' ').value(2).size() == 16, uidl.constData());
    const QByteArray retr = command(socket, "RETR 2", "\r\n.\r\n");
    QVERIFY(retr.startsWith("+OK"));
    QVERIFY(retr.contains(testMessage(2)));
    QVERIFY(command(socket, "QUIT").startsWith("+OK"));
}

void TestFixtures::dovecotTls_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("peerName");
    QTest::newRow("pop3s-localhost") << QStringLiteral("pop3") << QStringLiteral("localhost");
    QTest::newRow("pop3s-ip") << QStringLiteral("pop3") << QStringLiteral("127.0.0.1");
    QTest::newRow("imaps-localhost") << QStringLiteral("imap") << QStringLiteral("localhost");
}

void TestFixtures::dovecotTls()
{
    QFETCH(QString, protocol);
    QFETCH(QString, peerName);
    const bool pop3 = protocol == QLatin1String("pop3");
    QSslSocket socket;
    socket.setSslConfiguration(trustTestCa());
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"),
                                  pop3 ? m_dovecot.pop3sPort() : m_dovecot.imapsPort(), peerName);
    QVERIFY2(socket.waitForEncrypted(ioTimeoutMs), qPrintable(socket.errorString()));
    QVERIFY(socket.sslHandshakeErrors().isEmpty());
    const QByteArray greeting = readUntil(socket, "\r\n");
    QVERIFY2(greeting.startsWith(pop3 ? "+OK" : "* OK"), greeting.constData());
    if (pop3) {
        QVERIFY(command(socket, "USER bob").startsWith("+OK"));
        QVERIFY(command(socket, QByteArrayLiteral("PASS ") + QStringLiteral("p:ä ss{x}").toUtf8())
                    .startsWith("+OK"));
        QVERIFY(command(socket, "STAT").startsWith("+OK 0 0"));
    }
}

void TestFixtures::dovecotImap()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_dovecot.imapPort());
    QVERIFY(socket.waitForConnected(ioTimeoutMs));
    QVERIFY(readUntil(socket, "\r\n").startsWith("* OK"));
    QVERIFY(command(socket, "a1 LOGIN alice secret").contains("a1 OK"));
    const QByteArray select = command(socket, "a2 SELECT INBOX");
    QVERIFY2(select.contains("* 3 EXISTS"), select.constData());
    QVERIFY(command(socket, "a3 LOGOUT").contains("a3 OK"));
}

void TestFixtures::dovecotManyMessages()
{
    const QString user = QStringLiteral("carol");
    QVERIFY(m_dovecot.addUser(user, QStringLiteral("many")));
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 1000; ++i)
        QVERIFY(m_dovecot.deliver(user, testMessage(i)));
    QVERIFY2(timer.elapsed() < 20000, "delivering 1000 messages took too long");
    QCOMPARE(m_dovecot.messageCount(user), 1000);
    const QList<QByteArray> messages = m_dovecot.messages(user);
    QCOMPARE(messages.first(), testMessage(0));
    QCOMPARE(messages.last(), testMessage(999));

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_dovecot.pop3Port());
    QVERIFY(socket.waitForConnected(ioTimeoutMs));
    readUntil(socket, "\r\n");
    // Pipelined: all three commands in one write.
    socket.write("USER carol\r\nPASS many\r\nSTAT\r\n");
    QByteArray replies;
    QVERIFY(waitUntil(
        [&] {
            replies += socket.readAll();
            return replies.count("\r\n") >= 3;
        },
        ioTimeoutMs));
    QVERIFY2(replies.split('\n').value(2).startsWith("+OK 1000 "), replies.constData());
}

void TestFixtures::dovecotStopsAllProcesses()
{
    // Log in once more so that login and auth processes exist.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_dovecot.pop3Port());
    QVERIFY(socket.waitForConnected(ioTimeoutMs));
    QVERIFY(readUntil(socket, "\r\n").startsWith("+OK"));
    QVERIFY(command(socket, "USER alice").startsWith("+OK"));
    QVERIFY(command(socket, "PASS secret").startsWith("+OK"));

    const qint64 master = m_dovecot.pid();
    const QList<qint64> children = m_dovecot.childPids();
    QVERIFY(processAlive(master));
    QVERIFY2(children.size() >= 2, "expected auth and login processes under the master");
    QVERIFY(m_dovecot.stop());
    QVERIFY(!processAlive(master));
    for (qint64 pid : children)
        QVERIFY2(!processAlive(pid), qPrintable(QStringLiteral("pid %1 survived").arg(pid)));
    // The mail is still there, and a restart serves it again on new ports.
    QCOMPARE(m_dovecot.messageCount(QStringLiteral("alice")), 3);
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    QVERIFY(m_dovecot.stop());
}

void TestFixtures::smtpSinkKeepsBytes()
{
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const qint64 pid = sink.pid();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, sink.port());
    QVERIFY(socket.waitForConnected(ioTimeoutMs));
    QVERIFY(readUntil(socket, "\r\n").startsWith("220"));
    const QByteArray ehlo = command(socket, "EHLO client.test");
    QVERIFY(ehlo.startsWith("250"));
    QVERIFY2(ehlo.contains("SIZE 33554432"), ehlo.constData());
    QVERIFY(command(socket, "MAIL FROM:<from@example.org> SIZE=100").startsWith("250"));
    QVERIFY(command(socket, "RCPT TO:<one@example.org>").startsWith("250"));
    QVERIFY(command(socket, "RCPT TO:<two@example.org>").startsWith("250"));
    QVERIFY(command(socket, "DATA").startsWith("354"));
    // A dot-stuffed line, a line of only "..", trailing spaces, 8-bit bytes.
    socket.write("Subject: bytes\r\n\r\n..leading dot\r\n..\r\ntrailing  \r\n\xc3\xa4\r\n.\r\n");
    QVERIFY(readUntil(socket, "\r\n").startsWith("250"));
    QVERIFY(command(socket, "QUIT").startsWith("221"));

    QVERIFY(sink.waitForMessages(1, ioTimeoutMs));
    const QList<ReceivedMessage> received = sink.messages();
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().from, QStringLiteral("from@example.org"));
    QCOMPARE(received.first().recipients,
             QStringList({QStringLiteral("one@example.org"), QStringLiteral("two@example.org")}));
    QCOMPARE(received.first().mailOptions, QStringList{QStringLiteral("SIZE=100")});
    QCOMPARE(received.first().data,
             QByteArray("Subject: bytes\r\n\r\n.leading dot\r\n.\r\ntrailing  \r\n\xc3\xa4\r\n"));
    sink.clear();
    QCOMPARE(sink.messages().size(), 0);
    QVERIFY(sink.stop());
    QVERIFY(!processAlive(pid));
}

void TestFixtures::smtpSinkRules()
{
    SmtpSink::Options options;
    options.rejectRecipients = QStringList{QStringLiteral("nobody@example.org")};
    options.tempFailFirst = 1;
    options.maxSize = 1000;
    SmtpSink sink(options);
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, sink.port());
    QVERIFY(socket.waitForConnected(ioTimeoutMs));
    readUntil(socket, "\r\n");
    QVERIFY(command(socket, "EHLO client.test").contains("SIZE 1000"));
    for (const QByteArray &expected : {QByteArrayLiteral("451 4.3.0"), QByteArrayLiteral("250")}) {
        QVERIFY(command(socket, "MAIL FROM:<from@example.org>").startsWith("250"));
        QVERIFY(command(socket, "RCPT TO:<nobody@example.org>").startsWith("550 5.1.1"));
        QVERIFY(command(socket, "RCPT TO:<ok@example.org>").startsWith("250"));
        QVERIFY(command(socket, "DATA").startsWith("354"));
        const QByteArray reply = command(socket, "Subject: x\r\n\r\nhello\r\n.");
        QVERIFY2(reply.startsWith(expected), reply.constData());
    }
    QVERIFY(command(socket, "MAIL FROM:<from@example.org>").startsWith("250"));
    QVERIFY(command(socket, "RCPT TO:<ok@example.org>").startsWith("250"));
    QVERIFY(command(socket, "DATA").startsWith("354"));
    const QByteArray tooBig = command(socket, QByteArray(2000, 'x') + "\r\n.");
    QVERIFY2(tooBig.startsWith("552") || tooBig.startsWith("500"), tooBig.constData());
    QVERIFY(sink.waitForMessages(1, ioTimeoutMs));
    QCOMPARE(sink.messages().size(), 1);
    QCOMPARE(sink.messages().first().recipients, QStringList{QStringLiteral("ok@example.org")});
}

QTEST_GUILESS_MAIN(TestFixtures)
#include "tst_fixtures.moc"
