// The same retrieval checks as against Dovecot and GNU Mailutils, through the Engine to the
// real SMTP sink, against a third, independent implementation: Cyrus IMAP's imapd and pop3d.
// Its dialect: its own message store (mail goes in by APPEND, not as Maildir files), SASL
// through Cyrus SASL with a long mechanism list in CAPA/CAPABILITY (SCRAM-SHA-512 down to
// LOGIN), an APOP timestamp in the POP3 greeting, UIDPLUS and expunge on POP3 QUIT.
#include "RetrievalHarness.h"
#include "support/CyrusServer.h"

#include <QLoggingCategory>
#include <QTemporaryDir>

using namespace pollux;
using namespace pollux::test;

namespace {

// Cyrus adds nothing to a message: what arrives is the original, byte for byte.
bool unchanged(ServerType, QByteArray &)
{
    return true;
}

} // namespace

class TestThirdServer : public QObject
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

    CyrusServer m_server;
    MailServerAccess m_access;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    QHash<QString, QString> m_passwords;
    int m_users = 0;
};

void TestThirdServer::initTestCase()
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
    m_access.loginName = &CyrusServer::loginName;
    m_access.deliver = [this](const QString &u, const QByteArray &m) {
        return m_server.deliver(u, m);
    };
    m_access.messageCount = [this](const QString &u) { return m_server.messageCount(u); };
    m_access.normalise = &unchanged;
}

void TestThirdServer::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_server.stop());
}

QString TestThirdServer::newUser()
{
    const QString user = QStringLiteral("cy%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-Geheim").arg(m_users);
    if (!m_server.addUser(user, password))
        qWarning("cannot add the Cyrus user %s", qPrintable(user));
    m_secrets.set(QStringLiteral("account/") + user, password);
    m_passwords.insert(user, password);
    return user;
}

void TestThirdServer::retrieval_data()
{
    addServerTypeRows({Retention::Delete, Retention::Keep, Retention::KeepDays});
}

void TestThirdServer::retrieval()
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

void TestThirdServer::authMethod_data()
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

void TestThirdServer::authMethod()
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

void TestThirdServer::wrongPasswordKeepsMail_data()
{
    QTest::addColumn<int>("type");
    QTest::newRow("pop3-ssl") << int(ServerType::Pop3Ssl);
    QTest::newRow("imap-ssl") << int(ServerType::ImapSsl);
}

void TestThirdServer::wrongPasswordKeepsMail()
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

QTEST_GUILESS_MAIN(TestThirdServer)
#include "tst_third_server.moc"
