#include "TlsTestServer.h"

#include "net/Connection.h"
#include "support/FreePort.h"
#include "support/ProcessUtil.h"
#include "support/TestCa.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace pollux;
using namespace pollux::net;
using namespace pollux::test;

namespace {

constexpr int Deadline = 10000;

QSslCertificate loadCert(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QSslCertificate(f.readAll(), QSsl::Pem)
                                       : QSslCertificate();
}

struct Outcome
{
    bool ready = false;
    Result error;
};

// Opens `endpoint` and waits for ready() or failed().
Outcome openAndWait(Connection &c, const Endpoint &endpoint)
{
    QSignalSpy ready(&c, &Connection::ready);
    QSignalSpy failed(&c, &Connection::failed);
    c.open(endpoint);
    (void)QTest::qWaitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, Deadline);
    Outcome o;
    o.ready = !ready.isEmpty() && failed.isEmpty();
    if (!failed.isEmpty())
        o.error = failed.first().first().value<Result>();
    else if (!o.ready)
        o.error = Result::failure(ErrorCode::Timeout, QStringLiteral("test: neither signal"));
    return o;
}

// Reads until `text` arrived (or the deadline).
QByteArray readUntil(Connection &c, const QByteArray &text)
{
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (!got.contains(text) && t.elapsed() < Deadline) {
        if (c.bytesAvailable() == 0) {
            QSignalSpy spy(&c, &Connection::readyRead);
            spy.wait(200);
        }
        got += c.readAll();
    }
    return got;
}

} // namespace

class TestConnection : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void verification_data();
    void verification();
    void startTlsUpgrade();
    void handshakeTimeout();
    void startTlsHandshakeTimeout();
    void tlsMinimumVersion();
    void inactivityTimeout();
    void idleStopsTimer();
    void refused();
    // The server type and the port disagree (issue 12, item 12).
    void plainAtTlsPort_data();
    void plainAtTlsPort();
    void tlsAtPlainPort();
    void slowPlainGreetingIsNotDisturbed();
    void sanitisedGreeting_data();
    void sanitisedGreeting();
};

void TestConnection::initTestCase()
{
    qRegisterMetaType<Result>();
    if (!TestCa::instance().ok())
        QFAIL(qPrintable(TestCa::instance().error()));
}

void TestConnection::verification_data()
{
    const TestCa &ca = TestCa::instance();
    QTest::addColumn<QString>("certPath");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("trustTestCa");
    QTest::addColumn<QString>("pinCertPath"); // pin that certificate's SHA-256
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("messagePart");

    const QString localhost = QStringLiteral("localhost");
    const QString none;
    QTest::newRow("verified-test-ca") << ca.certPath() << localhost << true << none << true << none;
    QTest::newRow("verified-ip-san")
        << ca.certPath() << QStringLiteral("127.0.0.1") << true << none << true << none;
    QTest::newRow("wrong-host-refused") << ca.wrongHostCertPath() << localhost << true << none
                                        << false << QStringLiteral("host name");
    QTest::newRow("expired-refused")
        << ca.expiredCertPath() << localhost << true << none << false << QStringLiteral("expired");
    QTest::newRow("untrusted-ca-refused") << ca.certPath() << localhost << false << none << false
                                          << QStringLiteral("certificate not trusted");
    QTest::newRow("self-signed-refused") << ca.selfSignedCertPath() << localhost << false << none
                                         << false << QStringLiteral("self-signed");
    QTest::newRow("pinned-self-signed-accepted")
        << ca.selfSignedCertPath() << localhost << false << ca.selfSignedCertPath() << true << none;
    QTest::newRow("pinned-wrong-host-accepted")
        << ca.wrongHostCertPath() << localhost << false << ca.wrongHostCertPath() << true << none;
    QTest::newRow("pinned-but-different-refused")
        << ca.selfSignedCertPath() << localhost << false << ca.certPath() << false
        << QStringLiteral("not the pinned certificate");
    QTest::newRow("pinned-expired-other-refused")
        << ca.expiredCertPath() << localhost << true << ca.certPath() << false
        << QStringLiteral("not the pinned certificate");
}

void TestConnection::verification()
{
    QFETCH(QString, certPath);
    QFETCH(QString, host);
    QFETCH(bool, trustTestCa);
    QFETCH(QString, pinCertPath);
    QFETCH(bool, accepted);
    QFETCH(QString, messagePart);

    TlsTestServer server;
    QVERIFY2(server.setCertificate(certPath, TestCa::instance().keyPathFor(certPath)),
             qPrintable(server.error()));
    QVERIFY2(server.start(), qPrintable(server.error()));

    Endpoint e;
    e.host = host;
    e.port = server.serverPort();
    e.tls = TlsMode::Implicit;
    e.timeoutMs = Deadline;
    if (trustTestCa)
        e.extraCaCertificates << loadCert(TestCa::instance().caCertPath());
    if (!pinCertPath.isEmpty())
        e.pinnedSha256 = loadCert(pinCertPath).digest(QCryptographicHash::Sha256);

    Connection c(QStringLiteral("test"), QStringLiteral("verification"));
    const Outcome o = openAndWait(c, e);
    const QString presented = sha256Fingerprint(server.certificate());
    QCOMPARE(c.peerFingerprint(), presented);
    if (accepted) {
        QVERIFY2(o.ready, qPrintable(o.error.message()));
        QVERIFY(c.isEncrypted());
        QVERIFY(readUntil(c, "+OK hello").contains("+OK hello"));
        return;
    }
    QVERIFY(!o.ready);
    QCOMPARE(o.error.code(), ErrorCode::Tls);
    QVERIFY2(o.error.message().contains(messagePart, Qt::CaseInsensitive),
             qPrintable(o.error.message()));
    QVERIFY2(o.error.message().contains(presented), qPrintable(o.error.message()));
    QCOMPARE(server.handshakesCompleted(), 0);
}

void TestConnection::startTlsUpgrade()
{
    TlsTestServer server;
    server.setMode(TlsTestServer::Mode::StartTls);
    QVERIFY2(server.setCertificate(TestCa::instance().certPath(), TestCa::instance().keyPath()),
             qPrintable(server.error()));
    QVERIFY(server.start());
    Endpoint e;
    e.host = QStringLiteral("localhost");
    e.port = server.serverPort();
    e.tls = TlsMode::StartTls;
    e.timeoutMs = Deadline;
    e.extraCaCertificates << loadCert(TestCa::instance().caCertPath());
    Connection c(QStringLiteral("test"), QStringLiteral("starttls"));
    const Outcome o = openAndWait(c, e);
    QVERIFY(o.ready);
    QVERIFY(!c.isEncrypted());
    QVERIFY(readUntil(c, "+OK plain\r\n").contains("+OK plain"));
    c.write("STLS\r\n");
    QVERIFY(readUntil(c, "+OK go\r\n").contains("+OK go"));
    QSignalSpy ready(&c, &Connection::ready);
    QSignalSpy failed(&c, &Connection::failed);
    c.startTls();
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), Deadline);
    QVERIFY(failed.isEmpty());
    QVERIFY(c.isEncrypted());
    QVERIFY(readUntil(c, "+OK hello").contains("+OK hello"));
}

// A server that accepts TCP but never speaks TLS: the handshake times out.
void TestConnection::handshakeTimeout()
{
    TlsTestServer server;
    server.setMode(TlsTestServer::Mode::Silent);
    QVERIFY(server.start());
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = server.serverPort();
    e.tls = TlsMode::Implicit;
    e.timeoutMs = 500;
    Connection c(QStringLiteral("test"), QStringLiteral("timeout"));
    QElapsedTimer t;
    t.start();
    const Outcome o = openAndWait(c, e);
    QVERIFY(!o.ready);
    QCOMPARE(o.error.code(), ErrorCode::Timeout);
    QVERIFY2(o.error.message().contains(QLatin1String("TLS handshake")),
             qPrintable(o.error.message()));
    QVERIFY(t.elapsed() >= 450);
}

void TestConnection::startTlsHandshakeTimeout()
{
    TlsTestServer server;
    server.setMode(TlsTestServer::Mode::Silent);
    QVERIFY(server.start());
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = server.serverPort();
    e.tls = TlsMode::StartTls;
    e.timeoutMs = 500;
    Connection c(QStringLiteral("test"), QStringLiteral("timeout"));
    QVERIFY(openAndWait(c, e).ready);
    c.setIdle(true); // even a client that said it waits for nothing
    QSignalSpy failed(&c, &Connection::failed);
    c.startTls();
    QVERIFY(failed.wait(Deadline));
    const Result r = failed.first().first().value<Result>();
    QCOMPARE(r.code(), ErrorCode::Timeout);
    QVERIFY(r.message().contains(QLatin1String("TLS handshake")));
}

// A server that speaks TLS 1.1 at most: the openssl command line's s_server (Qt cannot
// serve TLS 1.1 here: OpenSSL 3 refuses it at the default security level, so the old server
// needs "@SECLEVEL=0"). Our client must refuse to go below TLS 1.2.
void TestConnection::tlsMinimumVersion()
{
    const TestCa &ca = TestCa::instance();
    const auto serveTls11 = [&](QProcess &server, quint16 &port) {
        port = freePort();
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(QStringLiteral("openssl"),
                     {QStringLiteral("s_server"), QStringLiteral("-accept"),
                      QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-tls1_1"),
                      QStringLiteral("-cipher"), QStringLiteral("DEFAULT:@SECLEVEL=0"),
                      QStringLiteral("-cert"), ca.certPath(), QStringLiteral("-key"), ca.keyPath(),
                      QStringLiteral("-www")});
        return server.waitForStarted(Deadline) &&
               waitUntil([&] { return portAccepts(port); }, Deadline);
    };
    QProcess server;
    quint16 port = 0;
    if (!serveTls11(server, port)) {
        stopProcessTree(server);
        if (!serveTls11(server, port)) // the free port may have been taken meanwhile
            QSKIP(qPrintable(QStringLiteral("openssl s_server -tls1_1 does not run here: ") +
                             QString::fromLocal8Bit(server.readAll())));
    }
    // The server really speaks TLS 1.1 to a client that accepts it.
    QProcess probe;
    probe.setProcessChannelMode(QProcess::MergedChannels);
    probe.start(QStringLiteral("openssl"),
                {QStringLiteral("s_client"), QStringLiteral("-connect"),
                 QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-tls1_1"),
                 QStringLiteral("-cipher"), QStringLiteral("DEFAULT:@SECLEVEL=0")});
    probe.closeWriteChannel();
    QVERIFY(probe.waitForFinished(Deadline));
    const QByteArray probed = probe.readAll();
    if (!probed.contains("Protocol  : TLSv1.1") || probed.contains("Cipher is (NONE)")) {
        stopProcessTree(server);
        QSKIP("the openssl command line here cannot make a TLS 1.1 connection at all");
    }

    Endpoint e;
    e.host = QStringLiteral("localhost");
    e.port = port;
    e.tls = TlsMode::Implicit;
    e.timeoutMs = Deadline;
    e.extraCaCertificates << loadCert(ca.caCertPath());
    Connection c(QStringLiteral("test"), QStringLiteral("tls11"));
    const Outcome o = openAndWait(c, e);
    stopProcessTree(server);
    QVERIFY(!o.ready);
    QCOMPARE(o.error.code(), ErrorCode::Tls);
    QVERIFY2(o.error.message().contains(QLatin1String("protocol"), Qt::CaseInsensitive),
             qPrintable(o.error.message()));
}

void TestConnection::inactivityTimeout()
{
    TlsTestServer server;
    server.setMode(TlsTestServer::Mode::Silent);
    QVERIFY(server.start());
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = server.serverPort();
    e.timeoutMs = 300;
    Connection c(QStringLiteral("test"), QStringLiteral("inactive"));
    QVERIFY(openAndWait(c, e).ready);
    QSignalSpy failed(&c, &Connection::failed);
    c.write("NOOP\r\n");
    QVERIFY(failed.wait(Deadline));
    QCOMPARE(failed.first().first().value<Result>().code(), ErrorCode::Timeout);
}

// Nothing outstanding: no timeout, however long the owner takes; a write re-arms it.
void TestConnection::idleStopsTimer()
{
    TlsTestServer server;
    server.setMode(TlsTestServer::Mode::Silent);
    QVERIFY(server.start());
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = server.serverPort();
    e.timeoutMs = 200;
    Connection c(QStringLiteral("test"), QStringLiteral("idle"));
    QVERIFY(openAndWait(c, e).ready);
    c.setIdle(true);
    QVERIFY(c.isIdle());
    QSignalSpy failed(&c, &Connection::failed);
    QVERIFY(!failed.wait(1000)); // five timeouts' worth: must stay quiet
    QVERIFY(c.isOpen());
    QElapsedTimer t;
    t.start();
    c.write("NOOP\r\n");
    QVERIFY(!c.isIdle());
    QVERIFY(failed.wait(Deadline));
    QCOMPARE(failed.first().first().value<Result>().code(), ErrorCode::Timeout);
    QVERIFY(t.elapsed() >= 150);
}

void TestConnection::refused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = port;
    e.timeoutMs = Deadline;
    Connection c(QStringLiteral("test"), QStringLiteral("refused"));
    const Outcome o = openAndWait(c, e);
    QVERIFY(!o.ready);
    QCOMPARE(o.error.code(), ErrorCode::ConnectionRefused);
}

namespace {
// A plain server on 127.0.0.1 that sends `first` to each client after `delayMs`.
class PlainServer : public QTcpServer
{
public:
    PlainServer(const QByteArray &first, int delayMs) : m_first(first), m_delayMs(delayMs)
    {
        listen(QHostAddress::LocalHost, 0);
    }
    int connections = 0;

protected:
    void incomingConnection(qintptr handle) override
    {
        ++connections;
        auto *s = new QTcpSocket(this);
        s->setSocketDescriptor(handle);
        QTimer::singleShot(m_delayMs, s, [s, first = m_first] { s->write(first); });
    }

private:
    QByteArray m_first;
    int m_delayMs;
};
} // namespace

// A plain endpoint at a TLS port: said within seconds instead of the inactivity timeout,
// whether the port waits for a handshake in silence (the common case) or sends an alert.
void TestConnection::plainAtTlsPort_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<bool>("alert"); // the server sends a TLS alert at once
    QTest::addColumn<QString>("choose");
    QTest::newRow("pop3-silent-tls")
        << QStringLiteral("pop3") << false << QStringLiteral("POP3-SSL");
    QTest::newRow("imap-silent-tls")
        << QStringLiteral("imap") << false << QStringLiteral("IMAP-SSL");
    QTest::newRow("smtp-silent-tls")
        << QStringLiteral("smtp") << false << QStringLiteral("SMTP port");
    QTest::newRow("pop3-tls-alert") << QStringLiteral("pop3") << true << QStringLiteral("POP3-SSL");
}

void TestConnection::plainAtTlsPort()
{
    QFETCH(QString, protocol);
    QFETCH(bool, alert);
    QFETCH(QString, choose);
    TlsTestServer tls;
    QVERIFY(tls.setCertificate(TestCa::instance().certPath(), TestCa::instance().keyPath()));
    QVERIFY(tls.start());
    PlainServer alerting(QByteArray("\x15\x03\x01\x00\x02\x02\x46", 7), 0);
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = alert ? alerting.serverPort() : tls.serverPort();
    e.timeoutMs = 60000;
    Connection c(protocol, QStringLiteral("plain-at-tls"));
    QSignalSpy failed(&c, &Connection::failed);
    QElapsedTimer t;
    t.start();
    c.open(e);
    QVERIFY(failed.wait(Deadline));
    const Result r = failed.first().first().value<Result>();
    QCOMPARE(r.code(), ErrorCode::Protocol);
    QVERIFY2(r.message().contains(QLatin1String("speaks TLS")), qPrintable(r.message()));
    QVERIFY2(r.message().contains(choose), qPrintable(r.message()));
    QVERIFY(t.elapsed() < (alert ? Connection::kTlsProbeDelayMs : Deadline));
}

// A TLS endpoint at a plain port: what the server said, not "wrong version number".
void TestConnection::tlsAtPlainPort()
{
    PlainServer plain("+OK plain POP3 here \x01\r\n", 0);
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = plain.serverPort();
    e.tls = TlsMode::Implicit;
    e.timeoutMs = 60000;
    Connection c(QStringLiteral("pop3"), QStringLiteral("tls-at-plain"));
    const Outcome o = openAndWait(c, e);
    QVERIFY(!o.ready);
    QCOMPARE(o.error.code(), ErrorCode::Protocol);
    QVERIFY2(o.error.message().contains(
                 QLatin1String("does not speak TLS (the server sent: \"+OK plain POP3 here ?\")")),
             qPrintable(o.error.message()));
    QVERIFY2(o.error.message().contains(QLatin1String("POP3 or POP3 with STARTTLS")),
             qPrintable(o.error.message()));
}

// A plain server that greets late (after the TLS check began): the check, on a second
// connection, neither breaks nor delays the first one.
void TestConnection::slowPlainGreetingIsNotDisturbed()
{
    PlainServer slow("+OK slow\r\n", Connection::kTlsProbeDelayMs + 1500);
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = slow.serverPort();
    e.timeoutMs = 60000;
    Connection c(QStringLiteral("pop3"), QStringLiteral("slow"));
    QSignalSpy failed(&c, &Connection::failed);
    QVERIFY(openAndWait(c, e).ready);
    QVERIFY(readUntil(c, "+OK slow\r\n").contains("+OK slow"));
    QVERIFY(failed.isEmpty());
    QVERIFY(c.isOpen());
    QCOMPARE(slow.connections, 2); // the check was made
}

void TestConnection::sanitisedGreeting_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("shown");
    QTest::newRow("first-line-only") << QByteArray("+OK ready\r\nmore\r\n") << "+OK ready";
    QTest::newRow("controls-and-8bit") << QByteArray("* OK \x1b[31m\xc3\xa9\r\n") << "* OK ?[31m??";
    QTest::newRow("cut-long") << QByteArray(200, 'x')
                              << QString(QString(80, QLatin1Char('x')) + QStringLiteral("..."));
    QTest::newRow("empty") << QByteArray() << QString();
}

void TestConnection::sanitisedGreeting()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, shown);
    QCOMPARE(pollux::net::sanitisedGreeting(data), shown);
}

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
