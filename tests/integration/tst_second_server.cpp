// The same retrieval checks as against Dovecot, through the Engine to the real SMTP sink, but
// against a second, independent implementation: GNU Mailutils' pop3d and imap4d. Its dialect
// differs where it matters: an APOP timestamp in every greeting, no SASL in CAPA, STAT sizes
// with LF line ends but LIST sizes with CRLF, an X-UIDL header that pop3d writes into the
// message, no UIDPLUS (so no UID EXPUNGE), and SASL through GNU SASL.
#include "RetrievalHarness.h"
#include "support/MailutilsServer.h"

#include <QLoggingCategory>
#include <QTemporaryDir>

using namespace pollux;
using namespace pollux::test;

namespace {

// pop3d adds "X-UIDL: <digest>.<time>.<n>" as the last header field: exactly one, where the
// original had none. Everything else must be the original bytes.
bool removeServerUidl(ServerType type, QByteArray &data)
{
    if (type != ServerType::Pop3 && type != ServerType::Pop3Ssl)
        return !data.contains("\r\nX-UIDL: ");
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    const qsizetype at = data.indexOf("\r\nX-UIDL: ");
    if (at < 0 || headerEnd < 0 || at >= headerEnd || data.indexOf("\r\nX-UIDL: ", at + 2) >= 0)
        return false;
    data.remove(at, data.indexOf("\r\n", at + 2) - at);
    return true;
}

} // namespace

class TestSecondServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void retrieval_data();
    void retrieval();
    void authMethod_data();
    void authMethod();
    void wrongPasswordKeepsMail_data();
    void wrongPasswordKeepsMail();

private:
    QString newUser();

    MailutilsServer m_server;
    MailServerAccess m_access;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    QHash<QString, QString> m_passwords;
    int m_users = 0;
};

void TestSecondServer::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY(m_dir.isValid());
    qputenv("POLLUX_TRANSCRIPT_DIR", m_dir.filePath(QStringLiteral("transcripts")).toUtf8());
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_access.port = [this](ServerType type) {
        switch (type) {
        case ServerType::Pop3:
            return m_server.pop3Port();
        case ServerType::Pop3Ssl:
            return m_server.pop3sPort();
        case ServerType::Imap:
            return m_server.imapPort();
        case ServerType::ImapSsl:
            return m_server.imapsPort();
        }
        return quint16(0);
    };
    m_access.loginName = &MailutilsServer::loginName;
    m_access.deliver = [this](const QString &u, const QByteArray &m) {
        return m_server.deliver(u, m);
    };
    m_access.messageCount = [this](const QString &u) { return m_server.messageCount(u); };
    m_access.normalise = &removeServerUidl;
}

void TestSecondServer::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_server.stop());
}

QString TestSecondServer::newUser()
{
    const QString user = QStringLiteral("mu%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-Geheim").arg(m_users);
    m_server.addUser(user, password);
    m_secrets.set(QStringLiteral("account/") + user, password);
    m_passwords.insert(user, password);
    return user;
}

void TestSecondServer::retrieval_data()
{
    addServerTypeRows({Retention::Delete, Retention::Keep, Retention::KeepDays});
}

void TestSecondServer::retrieval()
{
    QFETCH(int, type);
    QFETCH(bool, startTls);
    QFETCH(int, retention);
    const QString user = newUser();
    checkRetrieval(m_access, *m_sink, m_dir.filePath(user), &m_secrets, user, ServerType(type),
                   startTls, Retention(retention), m_dir.filePath(QStringLiteral("transcripts")));
    if (QTest::currentTestFailed())
        qWarning("%s", qPrintable(m_server.logTail()));
}

void TestSecondServer::authMethod_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("command"); // how the transcript shows the login
    const int pop3s = int(ServerType::Pop3Ssl);
    const int imaps = int(ServerType::ImapSsl);
    QTest::newRow("pop3-user") << pop3s << QStringLiteral("user") << QByteArray("C: USER ");
    QTest::newRow("pop3-apop") << pop3s << QStringLiteral("apop") << QByteArray("C: APOP ");
    QTest::newRow("imap-login") << imaps << QStringLiteral("login") << QByteArray(" LOGIN ");
    QTest::newRow("imap-plain") << imaps << QStringLiteral("plain")
                                << QByteArray(" AUTHENTICATE PLAIN");
    QTest::newRow("imap-cram-md5")
        << imaps << QStringLiteral("cram-md5") << QByteArray(" AUTHENTICATE CRAM-MD5");
    QTest::newRow("imap-scram-sha-1")
        << imaps << QStringLiteral("scram-sha-1") << QByteArray(" AUTHENTICATE SCRAM-SHA-1");
    QTest::newRow("imap-scram-sha-256")
        << imaps << QStringLiteral("scram-sha-256") << QByteArray(" AUTHENTICATE SCRAM-SHA-256");
}

void TestSecondServer::authMethod()
{
    QFETCH(int, type);
    QFETCH(QString, method);
    QFETCH(QByteArray, command);
    const QString user = newUser();
    for (int i = 1; i <= 2; ++i)
        QVERIFY(m_server.deliver(user, mixedMessage(i, 7)));
    Config c =
        retrievalConfig(m_access, *m_sink, m_dir.filePath(user), user, ServerType(type), false);
    c.accounts[0].authMethod = method;
    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(c, {false, 0}).ok());
    bool ok = false;
    QString message;
    QVERIFY(runOnePass(engine, &ok, &message));
    QVERIFY2(ok, qPrintable(message + QLatin1Char('\n') + m_server.logTail()));
    QCOMPARE(sinkBySeq(*m_sink, officeRecipient(user)).size(), 2);
    QCOMPARE(m_server.messageCount(user), 0);
    const bool imap = ServerType(type) == ServerType::ImapSsl;
    QFile log(m_dir.filePath(QStringLiteral("transcripts/") +
                             (imap ? QStringLiteral("imap-") : QStringLiteral("pop3-")) + user +
                             QStringLiteral(".log")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QVERIFY2(text.contains(command), text.constData());
    QVERIFY(!text.contains(m_passwords.value(user).toUtf8()));
}

void TestSecondServer::wrongPasswordKeepsMail_data()
{
    QTest::addColumn<int>("type");
    QTest::newRow("pop3-ssl") << int(ServerType::Pop3Ssl);
    QTest::newRow("imap-ssl") << int(ServerType::ImapSsl);
}

void TestSecondServer::wrongPasswordKeepsMail()
{
    QFETCH(int, type);
    const QString user = newUser();
    QVERIFY(m_server.deliver(user, mixedMessage(1, 3)));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("wrong"));
    const Config c =
        retrievalConfig(m_access, *m_sink, m_dir.filePath(user), user, ServerType(type), false);
    Engine engine(&m_secrets, nullptr);
    QSignalSpy passes(&engine, &Engine::passFinished);
    QVERIFY(engine.start(c, {false, 0}).ok());
    bool ok = true;
    QString message;
    QVERIFY(runOnePass(engine, &ok, &message));
    QVERIFY(!ok);
    QCOMPARE(passes.size(), 1);
    QCOMPARE(passes.first().at(1).value<Result>().code(), ErrorCode::AuthFailed);
    QCOMPARE(m_server.messageCount(user), 1);
    QCOMPARE(sinkBySeq(*m_sink, officeRecipient(user)).size(), 0);
}

QTEST_GUILESS_MAIN(TestSecondServer)
#include "tst_second_server.moc"
