// Secrets for the service (issue 14), OAuth2: the real binary (pollux --headless --once)
// with no D-Bus session, an OAuth2 account at oidc-provider (which rotates refresh tokens and
// revokes the whole grant when a used one comes back) and Dovecot checking the access token.
// The admin hands the refresh token to the service as a systemd credential; the service
// rotates it and writes the new one to its secrets folder; the next run must use the written
// one, not the (now used up) credential, or the server would refuse it.
#include "OAuthHarness.h"

#include "support/PolluxBinary.h"

#include <QFile>
#include <QProcess>

#include <sys/stat.h>

using namespace pollux;
using namespace pollux::oauth;
using namespace pollux::test;

namespace {
struct Run
{
    int exitCode = -1;
    QByteArray stderrText;
};
} // namespace

class TestServiceSecretsOAuth : public QObject, private OAuthHarness
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { tearDown(); }
    void serviceRotatesRefreshTokenIntoItsFolder();

private:
    Run runPollux(const QString &config);
    QString writtenRefresh(const QString &account, unsigned *mode = nullptr) const;

    QString m_credentials;
    QString m_secrets;
};

void TestServiceSecretsOAuth::initTestCase()
{
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    setUp();
    m_credentials = m_dir.filePath(QStringLiteral("credentials"));
    m_secrets = m_dir.filePath(QStringLiteral("state/secrets"));
    QVERIFY(QDir().mkpath(m_credentials));
    // StateDirectory= makes the state folder before the service starts; the secrets folder
    // in it is the service's to create.
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("state"))));
}

Run TestServiceSecretsOAuth::runPollux(const QString &config)
{
    Run out;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // As under systemd as a system service: no session bus, credentials and a state folder.
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
    env.remove(QStringLiteral("POLLUX_SECRETS"));
    env.remove(QStringLiteral("POLLUX_SECRETS_DIR"));
    env.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), m_credentials);
    env.insert(QStringLiteral("STATE_DIRECTORY"), m_dir.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("POLLUX_TRANSCRIPT_DIR"),
               m_dir.filePath(QStringLiteral("transcripts")));
    p.setProcessEnvironment(env);
    p.start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--once"),
                             QStringLiteral("--config"), config});
    if (!p.waitForStarted(10000))
        return out;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return out;
    }
    out.stderrText = p.readAllStandardError();
    out.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -9;
    return out;
}

// The refresh token the service wrote (the body after the header's empty line).
QString TestServiceSecretsOAuth::writtenRefresh(const QString &account, unsigned *mode) const
{
    const QString path = m_secrets + QStringLiteral("/oauth2-refresh.") + account;
    struct stat st = {};
    if (mode)
        *mode = ::stat(QFile::encodeName(path).constData(), &st) == 0 ? (st.st_mode & 07777) : 0;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    const qsizetype body = data.indexOf("\n\n");
    return body < 0 ? QString() : QString::fromUtf8(data.mid(body + 2));
}

void TestServiceSecretsOAuth::serviceRotatesRefreshTokenIntoItsFolder()
{
    const QString user = newUser(3);
    TokenSet tokens;
    QString error;
    QVERIFY2(signIn(user, OidcServer::publicClient(), tokens, &error), qPrintable(error));
    m_seen << tokens.refreshToken;
    // The admin's credential (what systemd decrypts for LoadCredentialEncrypted=).
    QFile credential(m_credentials + QStringLiteral("/oauth2-refresh.") + user);
    QVERIFY(credential.open(QIODevice::WriteOnly));
    credential.write(tokens.refreshToken.toUtf8() + '\n');
    credential.close();

    const Config config = oauthConfig(user, ServerType::Pop3Ssl, OidcServer::publicClient());
    const QString path = config.dataDir + QStringLiteral(".json");
    QVERIFY(config.save(path).ok());

    const Run first = runPollux(path);
    QVERIFY2(first.exitCode == 0, first.stderrText.right(3000).constData());
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 3, 30000);
    QCOMPARE(m_dovecot.messageCount(user), 0);
    // The provider rotated; the service wrote the new token to its folder, 0600.
    unsigned mode = 0;
    const QString rotated = writtenRefresh(user, &mode);
    m_seen << rotated;
    QVERIFY2(!rotated.isEmpty(), first.stderrText.right(3000).constData());
    QVERIFY(rotated != tokens.refreshToken);
    QCOMPARE(mode, 0600u);
    QVERIFY(credential.open(QIODevice::ReadOnly));
    QCOMPARE(credential.readAll(), QByteArray(tokens.refreshToken.toUtf8() + '\n'));
    credential.close();

    // The next run renews with the written token: the credential's is used up, and
    // oidc-provider would revoke the whole grant if it came back.
    QVERIFY(m_dovecot.deliver(user, makeMessage(7, 1800, 707)));
    const Run second = runPollux(path);
    QVERIFY2(second.exitCode == 0, second.stderrText.right(3000).constData());
    QTRY_COMPARE_WITH_TIMEOUT(delivered(user), 4, 30000);
    const QString again = writtenRefresh(user);
    m_seen << again;
    QVERIFY(!again.isEmpty());
    QVERIFY(again != rotated);

    // The log names the backend and the source, never a token.
    QFile log(config.dataDir + QStringLiteral("/pollux.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray logged = log.readAll();
    QVERIFY2(logged.contains(QStringLiteral("secrets: files in %1 and systemd credentials in %2")
                                 .arg(m_secrets, m_credentials)
                                 .toUtf8()),
             logged.right(2000).constData());
    QVERIFY(logged.contains(QStringLiteral("secrets: oauth2-refresh/%1 from the systemd "
                                           "credential oauth2-refresh.%1")
                                .arg(user)
                                .toUtf8()));
    QVERIFY(logged.contains(QStringLiteral("secrets: oauth2-refresh/%1 from %2/oauth2-refresh.%1 "
                                           "(it replaces the systemd credential")
                                .arg(user, m_secrets)
                                .toUtf8()));
    for (const QString &token : std::as_const(m_seen)) {
        QVERIFY(!logged.contains(token.toUtf8()));
        QVERIFY(!first.stderrText.contains(token.toUtf8()));
        QVERIFY(!second.stderrText.contains(token.toUtf8()));
    }
}

QTEST_GUILESS_MAIN(TestServiceSecretsOAuth)
#include "tst_service_secrets_oauth.moc"
