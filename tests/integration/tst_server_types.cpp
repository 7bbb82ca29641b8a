// All four documented server types plus STARTTLS on both protocols, against a real Dovecot,
// each delivering to the real SMTP server with every retention mode (ManualClock), checking
// server state and what was delivered after every pass. Also: IMAP accounts refuse the POP3
// login methods at validation.
#include "RetrievalHarness.h"
#include "support/DovecotServer.h"

#include <QLoggingCategory>
#include <QTemporaryDir>

using namespace pollux;
using namespace pollux::test;

class TestServerTypes : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void serverType_data();
    void serverType();
    void imapRefusesPop3AuthMethods_data();
    void imapRefusesPop3AuthMethods();

private:
    DovecotServer m_dovecot;
    MailServerAccess m_access;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_users = 0;
};

void TestServerTypes::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY(m_dir.isValid());
    qputenv("POLLUX_TRANSCRIPT_DIR", m_dir.filePath(QStringLiteral("transcripts")).toUtf8());
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    m_dovecot.setAuthMechanisms(QStringLiteral("plain login cram-md5 scram-sha-1 scram-sha-256 "
                                               "apop"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_access.port = [this](ServerType type) {
        switch (type) {
        case ServerType::Pop3:
            return m_dovecot.pop3Port();
        case ServerType::Pop3Ssl:
            return m_dovecot.pop3sPort();
        case ServerType::Imap:
            return m_dovecot.imapPort();
        case ServerType::ImapSsl:
            return m_dovecot.imapsPort();
        }
        return quint16(0);
    };
    m_access.loginName = [](const QString &user) { return user; };
    m_access.deliver = [this](const QString &u, const QByteArray &m) {
        return m_dovecot.deliver(u, m);
    };
    m_access.messageCount = [this](const QString &u) { return m_dovecot.messageCount(u); };
    m_access.normalise = [](ServerType, QByteArray &) { return true; }; // Dovecot adds nothing
}

void TestServerTypes::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

void TestServerTypes::serverType_data()
{
    addServerTypeRows({Retention::Delete, Retention::Keep, Retention::KeepDays});
}

void TestServerTypes::serverType()
{
    QFETCH(int, type);
    QFETCH(bool, startTls);
    QFETCH(int, retention);
    const QString user = QStringLiteral("st%1").arg(++m_users);
    const QString password = QStringLiteral("pw-%1-Geheim").arg(m_users);
    QVERIFY(m_dovecot.addUser(user, password));
    m_secrets.set(QStringLiteral("account/") + user, password);
    checkRetrieval(m_access, *m_sink, m_dir.filePath(user), &m_secrets, user, ServerType(type),
                   startTls, Retention(retention), m_dir.filePath(QStringLiteral("transcripts")));
    if (QTest::currentTestFailed())
        qWarning("%s", qPrintable(m_dovecot.logTail()));
}

void TestServerTypes::imapRefusesPop3AuthMethods_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("valid");
    QTest::newRow("imap-user") << int(ServerType::Imap) << QStringLiteral("user") << false;
    QTest::newRow("imap-apop") << int(ServerType::Imap) << QStringLiteral("apop") << false;
    QTest::newRow("imap-ssl-user") << int(ServerType::ImapSsl) << QStringLiteral("user") << false;
    QTest::newRow("imap-ssl-apop") << int(ServerType::ImapSsl) << QStringLiteral("apop") << false;
    QTest::newRow("imap-login") << int(ServerType::Imap) << QStringLiteral("login") << true;
    QTest::newRow("pop3-apop") << int(ServerType::Pop3) << QStringLiteral("apop") << true;
    QTest::newRow("pop3-ssl-user") << int(ServerType::Pop3Ssl) << QStringLiteral("user") << true;
}

void TestServerTypes::imapRefusesPop3AuthMethods()
{
    QFETCH(int, type);
    QFETCH(QString, method);
    QFETCH(bool, valid);
    Config c = retrievalConfig(m_access, *m_sink, m_dir.filePath(QStringLiteral("v")),
                               QStringLiteral("validation"), ServerType(type), false);
    c.accounts[0].authMethod = method;
    const Result result = c.validate();
    const bool refused = !result.ok() &&
                         result.message().contains(QLatin1String("accounts[0].authMethod")) &&
                         result.message().contains(QLatin1String("POP3 method"));
    QVERIFY2(refused != valid, qPrintable(result.message()));
    QCOMPARE(result.ok(), valid); // nothing else in the configuration is wrong
}

QTEST_GUILESS_MAIN(TestServerTypes)
#include "tst_server_types.moc"
