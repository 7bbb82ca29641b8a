// TokenClient against answers real providers do not give on purpose: silence, a dropped
// connection, an endless body, an HTML error page, a redirect, a closed port. Every request
// ends with a typed error within its timeout; nothing is followed, nothing grows unbounded.
#include "support/FreePort.h"
#include "support/ScriptedServer.h"

#include "oauth/TokenClient.h"

#include <QElapsedTimer>
#include <QTest>

using namespace pollux::oauth;
using namespace pollux::test;

Q_DECLARE_METATYPE(pollux::oauth::OAuthError)

namespace {

QByteArray httpAnswer(const QByteArray &status, const QByteArray &body,
                      const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\nConnection: close\r\n" + extraHeaders + "\r\n" +
           body;
}

} // namespace

class TestOAuthHttp : public QObject
{
    Q_OBJECT

private slots:
    void answers_data();
    void answers();
    void closedPort();
};

void TestOAuthHttp::answers_data()
{
    QTest::addColumn<QList<QByteArray>>("script");
    QTest::addColumn<OAuthError>("error");
    const QByteArray request = "C: POST /token*";
    QTest::newRow("ok") << QList<QByteArray>{request,
                                             "R: " + httpAnswer("200 OK",
                                                                R"({"access_token":"AT",)"
                                                                R"("token_type":"Bearer"})")}
                        << OAuthError::None;
    QTest::newRow("invalid-grant")
        << QList<QByteArray>{request,
                             "R: " + httpAnswer("400 Bad Request", R"({"error":"invalid_grant"})")}
        << OAuthError::InvalidGrant;
    QTest::newRow("silence") << QList<QByteArray>{request} << OAuthError::Timeout;
    QTest::newRow("dropped") << QList<QByteArray>{request, "X:"} << OAuthError::Network;
    QTest::newRow("headers-then-silence")
        << QList<QByteArray>{request, "R: HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"}
        << OAuthError::Timeout;
    QTest::newRow("body-too-large")
        << QList<QByteArray>{request,
                             "R: " + httpAnswer("200 OK", R"({"access_token":")" +
                                                              QByteArray(maxResponseBytes, 'a') +
                                                              R"(","token_type":"Bearer"})")}
        << OAuthError::TooLarge;
    QTest::newRow("html-502") << QList<QByteArray>{request,
                                                   "R: " + httpAnswer("502 Bad Gateway",
                                                                      "<html>proxy</html>")}
                              << OAuthError::Protocol;
    QTest::newRow("redirect-not-followed")
        << QList<QByteArray>{request, "R: " + httpAnswer("302 Found", "",
                                                         "Location: http://127.0.0.1:1/token\r\n")}
        << OAuthError::Protocol;
}

void TestOAuthHttp::answers()
{
    QFETCH(QList<QByteArray>, script);
    QFETCH(OAuthError, error);
    ScriptedServer server(ScriptedServer::Dialect::Pop3);
    server.setScript(script);
    Provider p;
    p.tokenEndpoint = QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(server.port()));
    p.clientId = QStringLiteral("client");
    p.timeoutSecs = 2;
    TokenClient client(p);
    bool answered = false;
    OAuthError got = OAuthError::None;
    TokenSet tokens;
    QString detail;
    QElapsedTimer clock;
    clock.start();
    client.refresh(QStringLiteral("RT+/="), [&](OAuthError e, const TokenSet &t, const QString &d) {
        answered = true;
        got = e;
        tokens = t;
        detail = d;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QCOMPARE(got, error);
    QVERIFY2(clock.elapsed() < 6000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(server.error().isEmpty());
    if (error == OAuthError::None) {
        QCOMPARE(tokens.accessToken, QStringLiteral("AT"));
    } else {
        QVERIFY(tokens.accessToken.isEmpty());
        QVERIFY(!detail.isEmpty());
        QVERIFY(!detail.contains(QLatin1String("RT+/=")));
    }
}

void TestOAuthHttp::closedPort()
{
    Provider p;
    p.tokenEndpoint = QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(freePort()));
    p.timeoutSecs = 2;
    TokenClient client(p);
    bool answered = false;
    OAuthError got = OAuthError::None;
    client.clientCredentials([&](OAuthError e, const TokenSet &, const QString &) {
        answered = true;
        got = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QCOMPARE(got, OAuthError::Network);
}

QTEST_GUILESS_MAIN(TestOAuthHttp)
#include "tst_oauth_http.moc"
