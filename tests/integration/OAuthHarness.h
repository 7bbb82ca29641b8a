#pragma once

// Shared by tst_oauth_oidc and tst_oauth_refresh: a real authorization server (oidc-provider,
// OidcServer), a real Dovecot whose oauth2 passdb asks that server about every token
// (introspection), the SMTP sink, and the steps the tests take: the device flow with the
// user's part done on the server's own pages (OidcUserAgent), an access token from a
// TokenSource, a pass of the Engine with that token in the account's keychain entry (how the
// engine takes OAuth2 tokens today), and the check that no token reached any log.
#include "LogCapture.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/OidcServer.h"
#include "support/OidcUserAgent.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "oauth/DeviceSignIn.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenSource.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

Q_DECLARE_METATYPE(pollux::oauth::DeviceCode)
Q_DECLARE_METATYPE(pollux::oauth::TokenSet)
Q_DECLARE_METATYPE(pollux::oauth::OAuthError)

namespace pollux::test {

using namespace pollux::oauth;

inline const QString password = QStringLiteral("any-password");

// The keychain as a kill sees it: a write that never lands.
class StuckWriteStore final : public SecretStore
{
public:
    explicit StuckWriteStore(SecretStore *inner) : m_inner(inner) {}
    void read(const QString &key, ReadCallback done) override { m_inner->read(key, done); }
    void write(const QString &key, const QString &secret, WriteCallback done) override
    {
        ++writes;
        m_pending.append({key, secret, std::move(done)});
    }
    void remove(const QString &key, WriteCallback done) override { m_inner->remove(key, done); }
    int writes = 0;
    // Lets the held writes finish: through to the inner store, or refused.
    void release(bool ok)
    {
        const QList<Pending> pending = std::exchange(m_pending, {});
        for (const Pending &p : pending) {
            if (ok)
                m_inner->write(p.key, p.secret, p.done);
            else
                p.done(Result::failure(ErrorCode::Secrets, QStringLiteral("the keychain hung")));
        }
    }
    ~StuckWriteStore() override { release(false); }

private:
    struct Pending
    {
        QString key;
        QString secret;
        WriteCallback done;
    };
    QList<Pending> m_pending;
    SecretStore *m_inner;
};

// A keychain that refuses writes (locked, full, gone), then works again.
class FailingWriteStore final : public SecretStore
{
public:
    explicit FailingWriteStore(SecretStore *inner) : m_inner(inner) {}
    void read(const QString &key, ReadCallback done) override { m_inner->read(key, done); }
    void write(const QString &key, const QString &secret, WriteCallback done) override
    {
        if (failing) {
            done(Result::failure(ErrorCode::Secrets, QStringLiteral("the keychain is locked")));
            return;
        }
        m_inner->write(key, secret, done);
    }
    void remove(const QString &key, WriteCallback done) override { m_inner->remove(key, done); }
    bool failing = true;

private:
    SecretStore *m_inner;
};

struct PassOutcome
{
    bool finished = false;
    Result result;
    int collected = 0;
};

struct Access
{
    bool answered = false;
    OAuthError error = OAuthError::Protocol;
    QString token;
    QString detail;
};

class OAuthHarness
{
public:
    void setUp()
    {
        m_log = std::make_unique<LogCapture>();
        qRegisterMetaType<DeviceCode>();
        qRegisterMetaType<TokenSet>();
        qRegisterMetaType<OAuthError>();
        // Everything, so that the log test sees all that core/oauth and the engine would write.
        QLoggingCategory::setFilterRules(QStringLiteral("pollux.*=true"));
        QVERIFY(m_dir.isValid());
        qputenv("POLLUX_TRANSCRIPT_DIR", m_dir.filePath(QStringLiteral("transcripts")).toUtf8());
        QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
        QStringList users;
        for (int i = 1; i <= 20; ++i)
            users << QStringLiteral("oidc%1").arg(i);
        m_oidc.setUsers(users);
        QString error;
        QVERIFY2(m_oidc.start(&error), qPrintable(error));
        qInfo("oidc-provider on node %s at %s", qPrintable(m_oidc.nodeVersion()),
              qPrintable(m_oidc.issuer()));
        m_dovecot.setOAuth2Introspection(m_oidc.introspectionEndpoint(),
                                         OidcServer::dovecotClient(), OidcServer::dovecotSecret());
        QVERIFY2(m_dovecot.start(&error), qPrintable(error));
        m_sink = std::make_unique<SmtpSink>();
        QVERIFY2(m_sink->start(&error), qPrintable(error));
    }

    void tearDown()
    {
        QVERIFY(m_sink->stop());
        QVERIFY(m_dovecot.stop());
        QVERIFY(m_oidc.stop());
        m_log.reset();
    }

    // `server`: another authorization server than m_oidc (its endpoints).
    Provider provider(const QString &client, const OidcServer *server = nullptr) const
    {
        const OidcServer &oidc = server ? *server : m_oidc;
        Provider p;
        p.tokenEndpoint = oidc.tokenEndpoint();
        p.deviceAuthorizationEndpoint = oidc.deviceAuthorizationEndpoint();
        p.revocationEndpoint = oidc.revocationEndpoint();
        p.clientId = client;
        if (client == OidcServer::confidentialClient())
            p.clientSecret = OidcServer::confidentialSecret();
        if (client == OidcServer::appClient()) {
            p.clientSecret = OidcServer::appSecret();
            p.scopes = QStringList{QStringLiteral("mail")};
        } else {
            p.scopes = QStringList{QStringLiteral("openid"), QStringLiteral("offline_access"),
                                   QStringLiteral("mail")};
        }
        p.timeoutSecs = 15;
        return p;
    }

    void remember(const TokenSet &t)
    {
        for (const QString &s : {t.accessToken, t.refreshToken}) {
            if (!s.isEmpty())
                m_seen << s;
        }
    }

    // The device flow, with the user's part done on the server's pages.
    bool signIn(const QString &user, const QString &client, TokenSet &out, QString *error,
                const OidcServer *server = nullptr)
    {
        DeviceSignIn flow(provider(client, server));
        QSignalSpy code(&flow, &DeviceSignIn::codeReady);
        QSignalSpy finished(&flow, &DeviceSignIn::finished);
        flow.start();
        if (!code.wait(15000)) {
            *error = QStringLiteral("no device code: ") +
                     (finished.isEmpty() ? QString() : finished.first().at(1).toString());
            return false;
        }
        const DeviceCode d = code.first().first().value<DeviceCode>();
        m_seen << d.deviceCode;
        OidcUserAgent agent;
        if (!agent.completeDeviceSignIn(QUrl(d.verificationUriComplete), user, password,
                                        OidcUserAgent::Decision::Approve, error))
            return false;
        if (!finished.wait(30000)) {
            *error = QStringLiteral("the device flow did not finish");
            return false;
        }
        const auto e = finished.first().at(0).value<OAuthError>();
        out = finished.first().at(2).value<TokenSet>();
        remember(out);
        if (e != OAuthError::None) {
            *error = oauthErrorName(e) + QLatin1Char(' ') + finished.first().at(1).toString();
            return false;
        }
        return true;
    }

    Access access(TokenSource &source)
    {
        auto out = std::make_shared<Access>();
        source.accessToken([out](OAuthError e, const QString &token, const QString &detail) {
            out->answered = true;
            out->error = e;
            out->token = token;
            out->detail = detail;
        });
        // A wait with a deadline; an unanswered call comes back as answered == false.
        QDeadlineTimer deadline(20000);
        while (!out->answered && !deadline.hasExpired())
            QTest::qWait(10);
        if (!out->token.isEmpty())
            m_seen << out->token;
        return *out;
    }

    QString storedRefresh(const QString &account)
    {
        QString secret;
        (void)m_secrets.readSync(secretKey(SecretKind::OAuth2Refresh, account), secret, 5000);
        return secret;
    }

    QString newUser(int messages)
    {
        const QString user = QStringLiteral("oidc%1").arg(++m_users);
        for (int i = 1; i <= messages; ++i)
            m_dovecot.deliver(user, makeMessage(i, 1500 + i * 100, 100 + m_users));
        return user;
    }

    Config makeConfig(const QString &user, ServerType type, const QString &method)
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

    PassOutcome runPass(const Config &config)
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

    // An account that signs in with OAuth2 at the fixture's server ("oauth2": endpoints and
    // scopes from the account), the access token from the engine's TokenSource. `client`
    // pollux-app: app-only (client credentials) for OidcServer::appMailbox().
    Config oauthConfig(const QString &user, ServerType type, const QString &client,
                       const OidcServer *server = nullptr)
    {
        const OidcServer &oidc = server ? *server : m_oidc;
        Config c = makeConfig(user, type, QStringLiteral("auto"));
        AccountConfig &a = c.accounts.first();
        a.signIn = SignInMethod::OAuth2;
        a.oauth2.clientId = client;
        a.oauth2.tokenUrl = oidc.tokenEndpoint().toString();
        a.oauth2.deviceUrl = oidc.deviceAuthorizationEndpoint().toString();
        if (client == OidcServer::appClient()) {
            a.oauth2.appOnly = true;
            a.oauth2.clientSecret = true;
            a.oauth2.scopes = QStringList{QStringLiteral("mail")};
            a.username = OidcServer::appMailbox();
        } else {
            a.oauth2.clientSecret = client == OidcServer::confidentialClient();
            a.oauth2.scopes = QStringList{QStringLiteral("openid"),
                                          QStringLiteral("offline_access"), QStringLiteral("mail")};
        }
        if (a.oauth2.clientSecret)
            m_secrets.set(secretKey(SecretKind::OAuth2ClientSecret, user),
                          client == OidcServer::appClient() ? OidcServer::appSecret()
                                                            : OidcServer::confidentialSecret());
        return c;
    }

    // The device flow, then its tokens into the keychain as the dialog and "pollux account
    // signin" store them (TokenSource::storeSignIn).
    bool signInAndStore(const QString &user, const QString &client, TokenSet &tokens,
                        QString *error)
    {
        if (!signIn(user, client, tokens, error))
            return false;
        TokenSource source(provider(client), TokenSource::Grant::RefreshToken, &m_secrets, user);
        auto stored = std::make_shared<int>(-1);
        source.storeSignIn(tokens, [stored](OAuthError e, const QString &) {
            *stored = e == OAuthError::None ? 1 : 0;
        });
        QDeadlineTimer deadline(10000);
        while (*stored < 0 && !deadline.hasExpired())
            QTest::qWait(10);
        if (*stored != 1) {
            *error = QStringLiteral("storeSignIn failed");
            return false;
        }
        return storedRefresh(user) == tokens.refreshToken;
    }

    // TokenClient::refresh with `refreshToken`, as anyone holding it could try.
    OAuthError refreshWith(const QString &client, const QString &refreshToken,
                           const OidcServer *server = nullptr)
    {
        Provider p = provider(client);
        if (server)
            p.tokenEndpoint = server->tokenEndpoint();
        TokenClient direct(p);
        auto answer = std::make_shared<std::optional<OAuthError>>();
        direct.refresh(refreshToken,
                       [this, answer](OAuthError e, const TokenSet &t, const QString &) {
                           remember(t);
                           *answer = e;
                       });
        QDeadlineTimer deadline(20000);
        while (!answer->has_value() && !deadline.hasExpired())
            QTest::qWait(10);
        return answer->value_or(OAuthError::Timeout);
    }

    bool revoke(const QString &client, const QString &refreshToken)
    {
        TokenClient direct(provider(client));
        auto done = std::make_shared<int>(-1);
        direct.revoke(refreshToken, QStringLiteral("refresh_token"),
                      [done](OAuthError e, const QString &) { *done = e == OAuthError::None; });
        QDeadlineTimer deadline(20000);
        while (*done < 0 && !deadline.hasExpired())
            QTest::qWait(10);
        return *done == 1;
    }

    // Every protocol transcript written so far, concatenated.
    QByteArray transcripts() const
    {
        QByteArray all;
        QDirIterator it(m_dir.filePath(QStringLiteral("transcripts")), QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly))
                all += f.readAll();
        }
        return all;
    }

    int delivered(const QString &user) const
    {
        int n = 0;
        const QList<ReceivedMessage> all = m_sink->messages();
        for (const ReceivedMessage &m : all)
            n += m.recipients.contains(recipient(user)) ? 1 : 0;
        return n;
    }

    // No token, refresh token or device code in Pollux's log, the protocol transcripts, the
    // authorization server's log or Dovecot's, across every test of the run; `logged` is a
    // line core/oauth must have written (the capture works).
    void checkNoTokenInLogs(const QString &logged)
    {
        m_seen.removeAll(QString());
        m_seen.removeDuplicates();
        QVERIFY2(m_seen.size() >= 10, qPrintable(QString::number(m_seen.size())));
        // The capture works: core/oauth did log (the refusals above).
        QVERIFY(m_log->contains({QStringLiteral("pollux.oauth"), logged}));
        QByteArray everything = m_log->lines().join(QLatin1Char('\n')).toUtf8();
        QDirIterator it(m_dir.filePath(QStringLiteral("transcripts")), QDir::Files,
                        QDirIterator::Subdirectories);
        int transcripts = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            everything += f.readAll();
            ++transcripts;
        }
        QVERIFY(transcripts > 0);
        QFile oidcLog(m_oidc.logPath());
        QVERIFY(oidcLog.open(QIODevice::ReadOnly));
        everything += oidcLog.readAll();
        QFile dovecotLog(m_dovecot.logPath());
        QVERIFY(dovecotLog.open(QIODevice::ReadOnly));
        everything += dovecotLog.readAll();
        for (const QString &secret : std::as_const(m_seen)) {
            const QByteArray s = secret.toUtf8();
            QVERIFY2(!everything.contains(s), "a token appears in a log");
            // Nor base64-wrapped alone (the SASL responses are redacted as a whole).
            QVERIFY2(!everything.contains(s.toBase64()), "a base64 token appears in a log");
        }
    }

    QString recipient(const QString &user) const
    {
        return user + QStringLiteral("@office.example.com");
    }

    std::unique_ptr<LogCapture> m_log; // made in setUp, after Qt Test's own handler
    OidcServer m_oidc;
    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    QStringList m_seen; // every token and device code the tests saw
    int m_users = 0;
};

} // namespace pollux::test
