// No password and no OAuth token anywhere but the keychain: after full runs of the real
// binary with transcripts on -- a password account (real Dovecot, POP3-SSL) and an XOAUTH2
// account (a scripted POP3 server that accepts any token), one run killed with SIGKILL --
// the config, the database, the spool, the log, the transcripts and everything the runs
// printed (the killed one's too) are searched for the secrets, plain and base64-encoded.
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"
#include "support/PolluxBinary.h"

#include "config/Config.h"

#include <QDeadlineTimer>
#include <QDirIterator>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
// Under the asan preset: OpenSSL's objects reported at exit are suppressed (lsan.supp).
QString lsanOptions()
{
    if (!qEnvironmentVariableIsEmpty("LSAN_OPTIONS"))
        return qEnvironmentVariable("LSAN_OPTIONS");
    return QStringLiteral("suppressions=") + qEnvironmentVariable("POLLUX_SOURCE_DIR") +
           QStringLiteral("/tests/crash/lsan.supp:print_suppressions=0");
}
} // namespace

namespace {
const QString kPassword = QStringLiteral("Pw#secret-4471-needle");
const QString kToken = QStringLiteral("ya29.token-needle-8812-abcdefghijklmnopqrstuvwxyz");

// An XOAUTH2 POP3 server: accepts any token, has an empty mailbox; records what it got.
class OAuthPop3 : public QObject
{
public:
    OAuthPop3()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                s->setParent(this);
                s->write("+OK fake POP3 ready\r\n");
                connect(s, &QTcpSocket::readyRead, this, [this, s] {
                    while (s->canReadLine()) {
                        const QByteArray line = s->readLine();
                        m_received += line;
                        answer(s, line.trimmed());
                    }
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray received() const { return m_received; }

private:
    void answer(QTcpSocket *s, const QByteArray &line)
    {
        const QByteArray verb = line.split(' ').value(0).toUpper();
        if (m_awaitingResponse) {
            m_awaitingResponse = false;
            s->write("+OK logged in\r\n");
        } else if (verb == "CAPA") {
            s->write("+OK\r\nSASL XOAUTH2\r\nUIDL\r\nUSER\r\n.\r\n");
        } else if (verb == "AUTH") {
            if (line.split(' ').size() >= 3) {
                s->write("+OK logged in\r\n");
            } else {
                m_awaitingResponse = true;
                s->write("+ \r\n");
            }
        } else if (verb == "UIDL" || verb == "LIST") {
            s->write("+OK\r\n.\r\n");
        } else if (verb == "STAT") {
            s->write("+OK 0 0\r\n");
        } else if (verb == "QUIT") {
            s->write("+OK bye\r\n");
            s->disconnectFromHost();
        } else {
            s->write("+OK\r\n");
        }
    }

    QTcpServer m_server;
    QByteArray m_received;
    bool m_awaitingResponse = false;
};
} // namespace

class TestFaultsSecrets : public QObject
{
    Q_OBJECT

private slots:
    void noSecretAnywhere();

private:
    QProcess *start(const QStringList &args);
    QString m_service;
    QTemporaryDir m_transcripts;
};

QProcess *TestFaultsSecrets::start(const QStringList &args)
{
    auto *p = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("LSAN_OPTIONS"), lsanOptions());
    env.insert(QStringLiteral("POLLUX_TRANSCRIPT_DIR"), m_transcripts.path());
    p->setProcessEnvironment(env);
    p->start(polluxBinary(), args);
    p->waitForStarted(10000);
    return p;
}

void TestFaultsSecrets::noSecretAnywhere()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY(TestCa::instance().ok());
    m_service = QStringLiteral("pollux-secrets-%1").arg(QCoreApplication::applicationPid());
    DovecotServer dovecot;
    QString error;
    QVERIFY2(dovecot.start(&error), qPrintable(error));
    SmtpSink sink;
    QVERIFY2(sink.start(&error), qPrintable(error));
    OAuthPop3 oauth;
    QVERIFY(oauth.port() != 0);
    QVERIFY(dovecot.addUser(QStringLiteral("sam"), kPassword));
    for (int i = 1; i <= 5; ++i)
        QVERIFY(dovecot.deliver(QStringLiteral("sam"), makeMessage(i, 30000)));

    QTemporaryDir dir;
    Config c;
    AccountConfig pw;
    pw.name = QStringLiteral("Sam");
    pw.type = ServerType::Pop3Ssl;
    pw.host = QStringLiteral("127.0.0.1");
    pw.port = dovecot.pop3sPort();
    pw.username = QStringLiteral("sam");
    pw.recipient = QStringLiteral("sam@office.example.com");
    AccountConfig token = pw;
    token.name = QStringLiteral("Cloud");
    token.type = ServerType::Pop3;
    token.port = oauth.port();
    token.username = QStringLiteral("cloud@example.com");
    token.authMethod = QStringLiteral("xoauth2");
    token.allowPlaintextLogin = true; // the fake is plain text on loopback
    c.accounts << pw << token;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = sink.port();
    c.dataDir = dir.filePath(QStringLiteral("data"));
    c.caFile = TestCa::instance().caCertPath();
    const QString config = dir.filePath(QStringLiteral("pollux.json"));
    QVERIFY(c.save(config).ok());

    QByteArray printed;
    auto finish = [&printed](QProcess *p) {
        // The fake server lives in this thread: keep the event loop running meanwhile.
        QDeadlineTimer deadline(120000);
        while (p->state() != QProcess::NotRunning && !deadline.hasExpired())
            QTest::qWait(10);
        const bool done = p->state() == QProcess::NotRunning;
        if (!done) {
            p->kill();
            p->waitForFinished();
        }
        printed += p->readAllStandardOutput() + p->readAllStandardError();
        const int code = done && p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
        delete p;
        return code;
    };
    for (const auto &[name, secret] : {std::pair{QStringLiteral("Sam"), kPassword},
                                       std::pair{QStringLiteral("Cloud"), kToken}}) {
        QProcess *p = start({QStringLiteral("password"), QStringLiteral("set"), name,
                             QStringLiteral("--config"), config});
        p->write(secret.toUtf8() + '\n');
        p->closeWriteChannel();
        QCOMPARE(finish(p), 0);
    }
    const QStringList once = {QStringLiteral("--headless"), QStringLiteral("--once"),
                              QStringLiteral("--config"), config};
    // A run killed in the middle (its output is searched too), then full runs.
    QProcess *killed = start(once);
    QTest::qWait(60);
    killed->kill(); // SIGKILL (it may have finished already: then it is just a full run)
    finish(killed);
    int status = finish(start(once));
    if (status != 0)
        status = finish(start(once));
    QVERIFY2(status == 0, printed.right(3000).constData());
    QVERIFY(sink.messages().size() >= 5);
    QCOMPARE(dovecot.messageCount(QStringLiteral("sam")), 0);
    // The token did reach the (fake) server: it went through the real path.
    const QByteArray sasl = "user=cloud@example.com\x01"
                            "auth=Bearer " +
                            kToken.toUtf8() + "\x01\x01";
    QVERIFY2(oauth.received().contains(sasl.toBase64()), oauth.received().constData());

    const QList<QByteArray> needles = {
        kPassword.toUtf8(),
        kToken.toUtf8(),
        sasl.toBase64(),
        QByteArray("\0sam\0", 5).append(kPassword.toUtf8()).toBase64(), // AUTH PLAIN
        kPassword.toUtf8().toBase64(),                                  // AUTH LOGIN
    };
    QStringList searched;
    for (const QString &root : {dir.path(), m_transcripts.path()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray content = f.readAll();
            for (const QByteArray &needle : needles)
                QVERIFY2(!content.contains(needle), qPrintable(path));
            searched << QFileInfo(path).fileName();
        }
    }
    for (const QByteArray &needle : needles)
        QVERIFY2(!printed.contains(needle), "a secret in what pollux printed");
    for (const char *expected : {"pollux.json", "pollux.db", "pollux.log", "pop3-Sam.log",
                                 "pop3-Cloud.log", "smtp-office.log"}) {
        if (!searched.contains(QString::fromLatin1(expected)))
            qWarning("not searched (not written?): %s; searched: %s", expected,
                     qPrintable(searched.join(QLatin1Char(' '))));
    }
    QVERIFY(searched.contains(QStringLiteral("pollux.db")));
    QVERIFY(searched.contains(QStringLiteral("pop3-Cloud.log")));
    QVERIFY(searched.contains(QStringLiteral("pop3-Sam.log")));
    QVERIFY(sink.stop());
    QVERIFY(dovecot.stop());
}

QTEST_GUILESS_MAIN(TestFaultsSecrets)
#include "tst_faults_secrets.moc"
