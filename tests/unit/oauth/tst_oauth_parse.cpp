// The pure parts of core/oauth: token and device-code answers as bytes (whatever a server
// sends), the device flow's poll decision, the refresh margin and the endpoint rule.
#include "oauth/DeviceSignIn.h"
#include "oauth/TokenResponse.h"
#include "oauth/TokenSource.h"

#include <QTest>

using namespace pollux::oauth;

Q_DECLARE_METATYPE(pollux::oauth::OAuthError)

class TestOAuthParse : public QObject
{
    Q_OBJECT

private slots:
    void tokenResponse_data();
    void tokenResponse();
    void detailNeverCarriesTokens();
    void deviceCodeResponse_data();
    void deviceCodeResponse();
    void pollStep_data();
    void pollStep();
    void refreshMargin_data();
    void refreshMargin();
    void endpoint_data();
    void endpoint();
};

void TestOAuthParse::tokenResponse_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<OAuthError>("error");
    QTest::addColumn<QString>("refresh");
    QTest::addColumn<qint64>("expiresIn");
    const auto none = OAuthError::None;
    QTest::newRow("ok-rotated")
        << 200
        << QByteArray(R"({"access_token":"AT","refresh_token":"RT","token_type":"Bearer",)"
                      R"("expires_in":3599,"scope":"mail"})")
        << none << QStringLiteral("RT") << qint64(3599);
    QTest::newRow("ok-no-refresh-lowercase-bearer")
        << 200 << QByteArray(R"({"access_token":"AT","token_type":"bearer","expires_in":60})")
        << none << QString() << qint64(60);
    QTest::newRow("ok-expires-as-string")
        << 200 << QByteArray(R"({"access_token":"AT","token_type":"Bearer","expires_in":"300"})")
        << none << QString() << qint64(300);
    QTest::newRow("ok-expires-missing")
        << 200 << QByteArray(R"({"access_token":"AT","token_type":"Bearer"})") << none << QString()
        << qint64(0);
    QTest::newRow("ok-expires-negative")
        << 200 << QByteArray(R"({"access_token":"AT","token_type":"Bearer","expires_in":-5})")
        << none << QString() << qint64(0);
    QTest::newRow("error-invalid-grant")
        << 400
        << QByteArray(R"({"error":"invalid_grant","error_description":"grant request is invalid"})")
        << OAuthError::InvalidGrant << QString() << qint64(0);
    QTest::newRow("error-pending") << 400 << QByteArray(R"({"error":"authorization_pending"})")
                                   << OAuthError::AuthorizationPending << QString() << qint64(0);
    QTest::newRow("error-slow-down") << 400 << QByteArray(R"({"error":"slow_down"})")
                                     << OAuthError::SlowDown << QString() << qint64(0);
    QTest::newRow("error-expired") << 400 << QByteArray(R"({"error":"expired_token"})")
                                   << OAuthError::ExpiredToken << QString() << qint64(0);
    QTest::newRow("error-denied") << 400 << QByteArray(R"({"error":"access_denied"})")
                                  << OAuthError::AccessDenied << QString() << qint64(0);
    QTest::newRow("error-invalid-client-401")
        << 401 << QByteArray(R"({"error":"invalid_client"})") << OAuthError::InvalidClient
        << QString() << qint64(0);
    QTest::newRow("error-unauthorized-client")
        << 400 << QByteArray(R"({"error":"unauthorized_client"})") << OAuthError::InvalidClient
        << QString() << qint64(0);
    QTest::newRow("error-unknown-code")
        << 400 << QByteArray(R"({"error":"temporarily_unavailable"})") << OAuthError::OtherError
        << QString() << qint64(0);
    QTest::newRow("error-even-with-200")
        << 200
        << QByteArray(R"({"error":"invalid_grant","access_token":"AT","token_type":"Bearer"})")
        << OAuthError::InvalidGrant << QString() << qint64(0);
    QTest::newRow("html-500") << 500 << QByteArray("<html>Internal Server Error</html>")
                              << OAuthError::Protocol << QString() << qint64(0);
    QTest::newRow("json-500-no-error")
        << 500 << QByteArray("{}") << OAuthError::Protocol << QString() << qint64(0);
    QTest::newRow("empty") << 200 << QByteArray() << OAuthError::Protocol << QString() << qint64(0);
    QTest::newRow("array") << 200 << QByteArray(R"(["access_token"])") << OAuthError::Protocol
                           << QString() << qint64(0);
    QTest::newRow("no-access-token") << 200 << QByteArray(R"({"token_type":"Bearer"})")
                                     << OAuthError::Protocol << QString() << qint64(0);
    QTest::newRow("access-token-not-string")
        << 200 << QByteArray(R"({"access_token":42,"token_type":"Bearer"})") << OAuthError::Protocol
        << QString() << qint64(0);
    QTest::newRow("token-type-mac")
        << 200 << QByteArray(R"({"access_token":"AT","token_type":"mac"})") << OAuthError::Protocol
        << QString() << qint64(0);
    QTest::newRow("truncated") << 200 << QByteArray(R"({"access_token":"AT","tok)")
                               << OAuthError::Protocol << QString() << qint64(0);
    QTest::newRow("too-large") << 200
                               << QByteArray(R"({"access_token":")") +
                                      QByteArray(maxResponseBytes, 'a') + QByteArray(R"("})")
                               << OAuthError::TooLarge << QString() << qint64(0);
    QTest::newRow("huge-access-token")
        << 200
        << QByteArray(R"({"access_token":")") + QByteArray(20000, 'a') +
               QByteArray(R"(","token_type":"Bearer"})")
        << OAuthError::Protocol << QString() << qint64(0);
}

void TestOAuthParse::tokenResponse()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(OAuthError, error);
    QFETCH(QString, refresh);
    QFETCH(qint64, expiresIn);
    TokenSet t;
    QString detail;
    QCOMPARE(parseTokenResponse(status, body, t, &detail), error);
    if (error == OAuthError::None) {
        QCOMPARE(t.accessToken, QStringLiteral("AT"));
        QCOMPARE(t.refreshToken, refresh);
        QCOMPARE(t.expiresIn, expiresIn);
        QVERIFY(detail.isEmpty());
    } else {
        QVERIFY(t.accessToken.isEmpty()); // nothing half-filled on failure
        QVERIFY(!detail.isEmpty());
        QVERIFY(detail.size() < 500);
    }
}

// A server's error description goes into the message cut short and without control
// characters; tokens of a success never go into it.
void TestOAuthParse::detailNeverCarriesTokens()
{
    TokenSet t;
    QString detail;
    const QByteArray hostile = R"({"error":"invalid_grant","error_description":"line1\r\nline2)" +
                               QByteArray(1000, 'x') + R"("})";
    QCOMPARE(parseTokenResponse(400, hostile, t, &detail), OAuthError::InvalidGrant);
    QVERIFY(!detail.contains(QLatin1Char('\n')));
    QVERIFY(!detail.contains(QLatin1Char('\r')));
    QVERIFY(detail.size() < 450);
    QCOMPARE(
        parseTokenResponse(200, R"({"access_token":"SECRET-AT","token_type":"mac"})", t, &detail),
        OAuthError::Protocol);
    QVERIFY(!detail.contains(QLatin1String("SECRET-AT")));
}

void TestOAuthParse::deviceCodeResponse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<OAuthError>("error");
    QTest::addColumn<int>("interval");
    QTest::newRow("rfc-example")
        << QByteArray(
               R"({"device_code":"GmRh","user_code":"WDJB-MJHT",)"
               R"("verification_uri":"https://example.com/device",)"
               R"("verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT",)"
               R"("expires_in":1800,"interval":5})")
        << OAuthError::None << 5;
    QTest::newRow("no-interval-defaults-to-5")
        << QByteArray(
               R"({"device_code":"d","user_code":"u","verification_uri":"https://e/d","expires_in":120})")
        << OAuthError::None << 5;
    QTest::newRow("google-verification-url")
        << QByteArray(
               R"({"device_code":"d","user_code":"u","verification_url":"https://e/d","expires_in":120,"interval":8})")
        << OAuthError::None << 8;
    QTest::newRow("interval-capped")
        << QByteArray(
               R"({"device_code":"d","user_code":"u","verification_uri":"https://e/d","expires_in":120,"interval":100000})")
        << OAuthError::None << 60;
    QTest::newRow("no-device-code")
        << QByteArray(R"({"user_code":"u","verification_uri":"https://e/d","expires_in":120})")
        << OAuthError::Protocol << 0;
    QTest::newRow("no-expiry")
        << QByteArray(R"({"device_code":"d","user_code":"u","verification_uri":"https://e/d"})")
        << OAuthError::Protocol << 0;
    QTest::newRow("javascript-uri")
        << QByteArray(
               R"j({"device_code":"d","user_code":"u","verification_uri":"javascript:alert(1)","expires_in":120})j")
        << OAuthError::Protocol << 0;
    QTest::newRow("error-invalid-client")
        << QByteArray(R"({"error":"invalid_client"})") << OAuthError::InvalidClient << 0;
    QTest::newRow("garbage") << QByteArray("\x00\xff garbage", 10) << OAuthError::Protocol << 0;
}

void TestOAuthParse::deviceCodeResponse()
{
    QFETCH(QByteArray, body);
    QFETCH(OAuthError, error);
    QFETCH(int, interval);
    DeviceCode d;
    QString detail;
    QCOMPARE(parseDeviceCodeResponse(error == OAuthError::None ? 200 : 400, body, d, &detail),
             error);
    if (error == OAuthError::None)
        QCOMPARE(d.interval, interval);
    else
        QVERIFY(d.deviceCode.isEmpty());
}

void TestOAuthParse::pollStep_data()
{
    QTest::addColumn<OAuthError>("answer");
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("nextInterval");
    QTest::newRow("pending-keeps-interval")
        << OAuthError::AuthorizationPending << 5 << int(PollStep::PollAgain) << 5;
    QTest::newRow("slow-down-adds-5")
        << OAuthError::SlowDown << 5 << int(PollStep::PollAgain) << 10;
    QTest::newRow("slow-down-capped")
        << OAuthError::SlowDown << 118 << int(PollStep::PollAgain) << 120;
    QTest::newRow("timeout-doubles") << OAuthError::Timeout << 5 << int(PollStep::PollAgain) << 10;
    QTest::newRow("network-doubles") << OAuthError::Network << 40 << int(PollStep::PollAgain) << 80;
    QTest::newRow("tokens") << OAuthError::None << 5 << int(PollStep::Done) << 5;
    QTest::newRow("expired") << OAuthError::ExpiredToken << 5 << int(PollStep::Failed) << 5;
    QTest::newRow("denied") << OAuthError::AccessDenied << 5 << int(PollStep::Failed) << 5;
    QTest::newRow("invalid-grant") << OAuthError::InvalidGrant << 5 << int(PollStep::Failed) << 5;
    QTest::newRow("garbage-answer") << OAuthError::Protocol << 5 << int(PollStep::Failed) << 5;
    QTest::newRow("zero-interval-raised")
        << OAuthError::AuthorizationPending << 0 << int(PollStep::PollAgain) << 1;
}

void TestOAuthParse::pollStep()
{
    QFETCH(OAuthError, answer);
    QFETCH(int, interval);
    QFETCH(int, kind);
    QFETCH(int, nextInterval);
    const PollStep step = nextPollStep(answer, interval);
    QCOMPARE(int(step.kind), kind);
    QCOMPARE(step.intervalSecs, nextInterval);
}

void TestOAuthParse::refreshMargin_data()
{
    QTest::addColumn<qint64>("lifetime");
    QTest::addColumn<qint64>("margin");
    QTest::newRow("hour") << qint64(3600) << qint64(300);
    QTest::newRow("minute") << qint64(60) << qint64(12);
    QTest::newRow("ten-seconds") << qint64(10) << qint64(10);
    QTest::newRow("day") << qint64(86400) << qint64(300);
}

void TestOAuthParse::refreshMargin()
{
    QFETCH(qint64, lifetime);
    QFETCH(qint64, margin);
    QCOMPARE(TokenSource::refreshMarginSecs(lifetime), margin);
}

void TestOAuthParse::endpoint_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::newRow("https") << QStringLiteral(
                                  "https://login.microsoftonline.com/x/oauth2/v2.0/token")
                           << true;
    QTest::newRow("http-loopback-v4") << QStringLiteral("http://127.0.0.1:8080/token") << true;
    QTest::newRow("http-loopback-v6") << QStringLiteral("http://[::1]:8080/token") << true;
    QTest::newRow("http-localhost") << QStringLiteral("http://localhost/token") << true;
    QTest::newRow("http-remote") << QStringLiteral("http://oauth2.googleapis.com/token") << false;
    QTest::newRow("userinfo") << QStringLiteral("https://user:pw@example.com/token") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/token") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestOAuthParse::endpoint()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    QCOMPARE(TokenClient::acceptableEndpoint(QUrl(url)), ok);
}

QTEST_GUILESS_MAIN(TestOAuthParse)
#include "tst_oauth_parse.moc"
