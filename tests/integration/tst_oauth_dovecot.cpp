// XOAUTH2 and OAUTHBEARER end to end through the Engine against a real Dovecot, over
// POP3-SSL and IMAP-SSL, delivering to the SMTP sink. Dovecot's oauth2 passdb validates the
// access token locally as an HS256 JWT (DovecotServer::setOAuth2Key); the test signs its
// tokens itself. The token sits in the keychain entry "account/<name>" like a password.
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

const QByteArray serverSecret = "pollux-oauth2-test-secret-0123456789abcdef";

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// A compact JWS: base64url(header).base64url(claims).base64url(HMAC-SHA256).
QByteArray signedToken(const QString &subject, const QByteArray &secret)
{
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("kid"), QStringLiteral("default")}};
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject claims{{QStringLiteral("sub"), subject},
                             {QStringLiteral("iat"), now - 60},
                             {QStringLiteral("exp"), now + 3600},
                             {QStringLiteral("iss"), QStringLiteral("pollux-test")}};
    const QByteArray signingInput =
        base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
        base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signingInput + '.' +
           base64Url(
               QMessageAuthenticationCode::hash(signingInput, secret, QCryptographicHash::Sha256));
}

struct PassOutcome
{
    bool finished = false;
    Result result;
    int collected = 0;
};

} // namespace

class TestOAuthDovecot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void bearerDelivers_data();
    void bearerDelivers();
    void wrongKeyRefused_data();
    void wrongKeyRefused();

private:
    void addRows();
    QString newUser(int messages, const QByteArray &secret);
    Config makeConfig(const QString &user, ServerType type, const QString &method);
    PassOutcome runPass(const Config &config);
    int delivered(const QString &user) const;
    QByteArray transcript(const QString &user, ServerType type) const;
    bool dovecotLogged(const QByteArray &text, const QByteArray &alsoOnLine = {}) const;
    QString recipient(const QString &user) const
    {
        return user + QStringLiteral("@office.example.com");
    }

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    QHash<QString, QByteArray> m_tokens;
    int m_users = 0;
};

void TestOAuthDovecot::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY(m_dir.isValid());
    qputenv("POLLUX_TRANSCRIPT_DIR", m_dir.filePath(QStringLiteral("transcripts")).toUtf8());
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    m_dovecot.setOAuth2Key(serverSecret);
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
}

void TestOAuthDovecot::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

// The user exists only as a Maildir: the oauth2 passdb takes the user name from the token.
QString TestOAuthDovecot::newUser(int messages, const QByteArray &secret)
{
    const QString user = QStringLiteral("oauth%1").arg(++m_users);
    const QByteArray token = signedToken(user, secret);
    m_secrets.set(QStringLiteral("account/") + user, QString::fromLatin1(token));
    m_tokens.insert(user, token);
    for (int i = 1; i <= messages; ++i)
        m_dovecot.deliver(user, makeMessage(i, 1200 + i * 100, m_users));
    return user;
}

Config TestOAuthDovecot::makeConfig(const QString &user, ServerType type, const QString &method)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = type;
    a.host = QStringLiteral("localhost");
    a.port = type == ServerType::Pop3Ssl ? m_dovecot.pop3sPort() : m_dovecot.imapsPort();
    a.username = user;
    a.authMethod = method;
    a.timeoutSecs = 30;
    a.mailbox = MailboxType::SingleUser;
    a.recipient = recipient(user);
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.smtp.timeoutSecs = 30;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(user);
    c.caFile = TestCa::instance().caCertPath();
    return c;
}

PassOutcome TestOAuthDovecot::runPass(const Config &config)
{
    PassOutcome out;
    Engine engine(&m_secrets, nullptr);
    QSignalSpy passes(&engine, &Engine::passFinished);
    QSignalSpy done(&engine, &Engine::onceFinished);
    if (!engine.start(config, {false, 0}).ok())
        return out;
    engine.runOnce();
    if (!done.wait(120000) || passes.size() != 1)
        return out;
    out.finished = true;
    out.result = passes.first().at(1).value<Result>();
    out.collected = passes.first().at(2).toInt();
    return out;
}

int TestOAuthDovecot::delivered(const QString &user) const
{
    int n = 0;
    const QList<ReceivedMessage> all = m_sink->messages();
    for (const ReceivedMessage &m : all)
        n += m.recipients.contains(recipient(user)) ? 1 : 0;
    return n;
}

QByteArray TestOAuthDovecot::transcript(const QString &user, ServerType type) const
{
    const QString prefix = type == ServerType::Pop3Ssl ? QStringLiteral("transcripts/pop3-")
                                                       : QStringLiteral("transcripts/imap-");
    QFile f(m_dir.filePath(prefix + user + QStringLiteral(".log")));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One line of Dovecot's log that contains both.
bool TestOAuthDovecot::dovecotLogged(const QByteArray &text, const QByteArray &alsoOnLine) const
{
    QFile f(m_dovecot.logPath());
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.contains(text) && line.contains(alsoOnLine))
            return true;
    }
    return false;
}

void TestOAuthDovecot::addRows()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("command"); // how the transcript shows the login
    const int pop3s = int(ServerType::Pop3Ssl);
    const int imaps = int(ServerType::ImapSsl);
    QTest::newRow("xoauth2-pop3-ssl")
        << QStringLiteral("xoauth2") << pop3s << QByteArray("C: AUTH XOAUTH2");
    QTest::newRow("xoauth2-imap-ssl")
        << QStringLiteral("xoauth2") << imaps << QByteArray(" AUTHENTICATE XOAUTH2");
    QTest::newRow("oauthbearer-pop3-ssl")
        << QStringLiteral("oauthbearer") << pop3s << QByteArray("C: AUTH OAUTHBEARER");
    QTest::newRow("oauthbearer-imap-ssl")
        << QStringLiteral("oauthbearer") << imaps << QByteArray(" AUTHENTICATE OAUTHBEARER");
}

void TestOAuthDovecot::bearerDelivers_data()
{
    addRows();
}

void TestOAuthDovecot::bearerDelivers()
{
    QFETCH(QString, method);
    QFETCH(int, type);
    QFETCH(QByteArray, command);
    const QString user = newUser(2, serverSecret);
    const PassOutcome o = runPass(makeConfig(user, ServerType(type), method));
    QVERIFY(o.finished);
    QVERIFY2(o.result.ok(),
             qPrintable(o.result.message() + QLatin1Char('\n') + m_dovecot.logTail()));
    QCOMPARE(o.collected, 2);
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 2, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    // Dovecot's own word on which mechanism logged in (its log process writes it a little
    // later).
    QTRY_VERIFY_WITH_TIMEOUT(dovecotLogged("Login: user=<" + user.toUtf8() +
                                           ">, method=" + method.toUpper().toUtf8() + ','),
                             10000);
    const QByteArray log = transcript(user, ServerType(type));
    QVERIFY2(log.contains(command), log.constData());
    // Neither the token, nor its signature, nor the XOAUTH2 response that carries it.
    const QByteArray token = m_tokens.value(user);
    QVERIFY(!log.contains(token));
    QVERIFY(!log.contains(token.mid(token.lastIndexOf('.') + 1)));
    QVERIFY(!log.contains(
        QByteArray("user=" + user.toUtf8() + "\x01" + "auth=Bearer " + token + "\x01\x01")
            .toBase64()));
}

void TestOAuthDovecot::wrongKeyRefused_data()
{
    addRows();
}

// A well-formed token the server cannot verify: a refusal, not a connection problem, and
// the mail stays.
void TestOAuthDovecot::wrongKeyRefused()
{
    QFETCH(QString, method);
    QFETCH(int, type);
    QFETCH(QByteArray, command);
    const QString user = newUser(1, QByteArray("some-other-issuer-secret-9876543210"));
    const PassOutcome o = runPass(makeConfig(user, ServerType(type), method));
    QVERIFY(o.finished);
    QVERIFY2(o.result.code() == ErrorCode::AuthFailed,
             qPrintable(o.result.message() + QLatin1Char('\n') + m_dovecot.logTail()));
    QCOMPARE(m_dovecot.messageCount(user), 1);
    QCOMPARE(delivered(user), 0);
    // Refused by the oauth2 passdb for the signature, not for anything else.
    QTRY_VERIFY_WITH_TIMEOUT(dovecotLogged("oauth2(" + user.toUtf8() + ",",
                                           "Local validation failed: Incorrect JWT signature"),
                             10000);
    const QByteArray log = transcript(user, ServerType(type));
    QVERIFY2(log.contains(command), log.constData());
    QVERIFY(!log.contains(m_tokens.value(user)));
}

QTEST_GUILESS_MAIN(TestOAuthDovecot)
#include "tst_oauth_dovecot.moc"
