#include "sasl/Sasl.h"

#include <QTest>

using namespace pollux;
using namespace pollux::sasl;

namespace {

QStringList names(const QList<Mechanism> &list)
{
    QStringList out;
    for (Mechanism m : list)
        out << QString::fromLatin1(mechanismName(m));
    return out;
}

// RFC 5802 section 5 and RFC 7677 section 3.
const QByteArray Sha1Nonce = "fyko+d2lbbFgONRv9qkxdawL";
const QByteArray Sha1ServerFirst =
    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
const QByteArray Sha1ClientFinal = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                                   "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
const QByteArray Sha1ServerFinal = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

const QByteArray Sha256Nonce = "rOprNGfwEbeRWgbNEkqO";
const QByteArray Sha256ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                     "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
const QByteArray Sha256ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                     "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
const QByteArray Sha256ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

} // namespace

class TestSasl : public QObject
{
    Q_OBJECT
private slots:
    void names_data();
    void names();
    void choose_data();
    void choose();
    void plain();
    void plainWithoutInitialResponse();
    void login();
    void cramMd5Rfc2195();
    void cramMd5Malformed_data();
    void cramMd5Malformed();
    void scram_data();
    void scram();
    void scramFinalInSuccess();
    void scramWrongServerSignature_data();
    void scramWrongServerSignature();
    void scramServerError();
    void scramSuccessWithoutSignature();
    void scramMalformedServerFirst_data();
    void scramMalformedServerFirst();
    void scramRandomNonce();
    void scramEscapesUserName();
    void xoauth2();
    void oauthBearer();
};

void TestSasl::names_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("known");
    QTest::addColumn<bool>("sendsSecret");
    QTest::newRow("plain") << QByteArray("PLAIN") << true << true;
    QTest::newRow("login-lower") << QByteArray("login") << true << true;
    QTest::newRow("cram-md5") << QByteArray("Cram-Md5") << true << false;
    QTest::newRow("scram-sha-1") << QByteArray("SCRAM-SHA-1") << true << false;
    QTest::newRow("scram-sha-256") << QByteArray("scram-sha-256") << true << false;
    QTest::newRow("xoauth2") << QByteArray("XOAUTH2") << true << true;
    QTest::newRow("oauthbearer") << QByteArray("OAUTHBEARER") << true << true;
    QTest::newRow("scram-plus") << QByteArray("SCRAM-SHA-256-PLUS") << false << false;
    QTest::newRow("gssapi") << QByteArray("GSSAPI") << false << false;
    QTest::newRow("empty") << QByteArray() << false << false;
    QTest::newRow("garbage") << QByteArray("\x01\xff PLAIN") << false << false;
}

void TestSasl::names()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, known);
    QFETCH(bool, sendsSecret);
    Mechanism m = Mechanism::Plain;
    QCOMPARE(fromName(name, m), known);
    if (known) {
        QCOMPARE(mechanismName(m), name.toUpper());
        QCOMPARE(sendsPassword(m), sendsSecret);
    }
}

void TestSasl::choose_data()
{
    QTest::addColumn<QStringList>("offered");
    QTest::addColumn<QString>("configured");
    QTest::addColumn<bool>("encrypted");
    QTest::addColumn<bool>("allowPlaintext");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("why");         // part of the reason when nothing is chosen
    QTest::addColumn<bool>("plaintextIsWhy"); // blockedByPlaintextPolicy()

    const QStringList all{QStringLiteral("PLAIN"),         QStringLiteral("LOGIN"),
                          QStringLiteral("CRAM-MD5"),      QStringLiteral("SCRAM-SHA-1"),
                          QStringLiteral("SCRAM-SHA-256"), QStringLiteral("XOAUTH2"),
                          QStringLiteral("OAUTHBEARER"),   QStringLiteral("GSSAPI")};
    const QStringList strongestFirst{QStringLiteral("SCRAM-SHA-256"), QStringLiteral("SCRAM-SHA-1"),
                                     QStringLiteral("CRAM-MD5"), QStringLiteral("PLAIN"),
                                     QStringLiteral("LOGIN")};
    const QStringList plainLogin{QStringLiteral("PLAIN"), QStringLiteral("LOGIN")};
    const QString a = QStringLiteral("auto");
    QTest::newRow("auto-all-tls") << all << a << true << false << strongestFirst << QString()
                                  << false;
    QTest::newRow("auto-all-plain-text")
        << all << a << false << false << strongestFirst.mid(0, 3) << QString() << false;
    QTest::newRow("auto-all-plain-text-allowed")
        << all << a << false << true << strongestFirst << QString() << false;
    QTest::newRow("auto-lowercase-offer")
        << QStringList{QStringLiteral("plain"), QStringLiteral("scram-sha-1")} << a << true << false
        << QStringList{QStringLiteral("SCRAM-SHA-1"), QStringLiteral("PLAIN")} << QString()
        << false;
    QTest::newRow("auto-plain-login-tls")
        << plainLogin << a << true << false << plainLogin << QString() << false;
    QTest::newRow("auto-plain-login-unencrypted")
        << plainLogin << a << false << false << QStringList() << QStringLiteral("plaintext login")
        << true;
    QTest::newRow("auto-tokens-only")
        << QStringList{QStringLiteral("XOAUTH2"), QStringLiteral("OAUTHBEARER")} << a << true
        << false << QStringList() << QStringLiteral("no SASL mechanism") << false;
    QTest::newRow("auto-nothing-offered") << QStringList() << a << true << true << QStringList()
                                          << QStringLiteral("no SASL mechanism") << false;
    QTest::newRow("auto-garbage-offered")
        << QStringList{QStringLiteral("\x01"), QStringLiteral("KERBEROS_V4")} << a << true << true
        << QStringList() << QStringLiteral("no SASL mechanism") << false;
    QTest::newRow("configured-cram")
        << all << QStringLiteral("cram-md5") << false << false
        << QStringList{QStringLiteral("CRAM-MD5")} << QString() << false;
    QTest::newRow("configured-plain-tls")
        << all << QStringLiteral("plain") << true << false << QStringList{QStringLiteral("PLAIN")}
        << QString() << false;
    QTest::newRow("configured-plain-unencrypted")
        << all << QStringLiteral("plain") << false << false << QStringList()
        << QStringLiteral("allow plaintext login") << true;
    QTest::newRow("configured-plain-unencrypted-allowed")
        << all << QStringLiteral("plain") << false << true << QStringList{QStringLiteral("PLAIN")}
        << QString() << false;
    QTest::newRow("configured-xoauth2-tls")
        << all << QStringLiteral("xoauth2") << true << false
        << QStringList{QStringLiteral("XOAUTH2")} << QString() << false;
    QTest::newRow("configured-oauthbearer-unencrypted")
        << all << QStringLiteral("oauthbearer") << false << false << QStringList()
        << QStringLiteral("OAUTHBEARER") << true;
    QTest::newRow("configured-not-offered")
        << plainLogin << QStringLiteral("scram-sha-256") << true << true << QStringList()
        << QStringLiteral("does not offer the configured authentication method SCRAM-SHA-256")
        << false;
    // "oauth2": an OAuth2 account with method "auto" - OAUTHBEARER, then XOAUTH2.
    const QString o = QStringLiteral("oauth2");
    QTest::newRow("oauth2-both-prefers-oauthbearer")
        << all << o << true << false
        << QStringList{QStringLiteral("OAUTHBEARER"), QStringLiteral("XOAUTH2")} << QString()
        << false;
    QTest::newRow("oauth2-xoauth2-only")
        << QStringList{QStringLiteral("PLAIN"), QStringLiteral("XOAUTH2")} << o << true << false
        << QStringList{QStringLiteral("XOAUTH2")} << QString() << false;
    QTest::newRow("oauth2-oauthbearer-only")
        << QStringList{QStringLiteral("oauthbearer")} << o << true << false
        << QStringList{QStringLiteral("OAUTHBEARER")} << QString() << false;
    QTest::newRow("oauth2-neither-names-offer")
        << QStringList{QStringLiteral("PLAIN"), QStringLiteral("GSSAPI")} << o << true << true
        << QStringList()
        << QStringLiteral("the server offers neither OAUTHBEARER nor XOAUTH2 for the OAuth2 "
                          "sign-in (it offers: PLAIN, GSSAPI)")
        << false;
    QTest::newRow("oauth2-nothing-offered")
        << QStringList() << o << true << true << QStringList()
        << QStringLiteral("neither OAUTHBEARER nor XOAUTH2") << false;
    QTest::newRow("oauth2-unencrypted") << all << o << false << false << QStringList()
                                        << QStringLiteral("OAUTHBEARER, XOAUTH2") << true;
    QTest::newRow("configured-not-sasl") << all << QStringLiteral("apop") << true << true
                                         << QStringList() << QStringLiteral("not a SASL") << false;
}

void TestSasl::choose()
{
    QFETCH(QStringList, offered);
    QFETCH(QString, configured);
    QFETCH(bool, encrypted);
    QFETCH(bool, allowPlaintext);
    QFETCH(QStringList, expected);
    QFETCH(QString, why);
    QFETCH(bool, plaintextIsWhy);
    QString reason;
    const QList<Mechanism> chosen =
        sasl::choose(offered, configured, encrypted, allowPlaintext, &reason);
    QCOMPARE(::names(chosen), expected);
    if (expected.isEmpty())
        QVERIFY2(reason.contains(why), qPrintable(reason));
    QCOMPARE(blockedByPlaintextPolicy(offered, configured, encrypted, allowPlaintext),
             plaintextIsWhy);
}

void TestSasl::plain()
{
    auto a = Authenticator::create(Mechanism::Plain, QStringLiteral("tim"),
                                   QStringLiteral("tanstaaftanstaaf"), QString());
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QCOMPARE(out, QByteArray("\0tim\0tanstaaftanstaaf", 21));
    QVERIFY(!a->respond("more?", out).ok()); // PLAIN has one message
    QVERIFY(a->verifySuccess(QByteArray()).ok());
}

void TestSasl::plainWithoutInitialResponse()
{
    auto a = Authenticator::create(Mechanism::Plain, QStringLiteral("u"), QStringLiteral("p"),
                                   QString());
    QByteArray out;
    QVERIFY(a->respond(QByteArray(), out).ok());
    QCOMPARE(out, QByteArray("\0u\0p", 4));
}

void TestSasl::login()
{
    auto a = Authenticator::create(Mechanism::Login, QStringLiteral("user"),
                                   QStringLiteral("pässword"), QString());
    QByteArray out;
    QVERIFY(!a->initialResponse(out));
    QVERIFY(a->respond("Username:", out).ok());
    QCOMPARE(out, QByteArray("user"));
    QVERIFY(a->respond("Password:", out).ok());
    QCOMPARE(out, QStringLiteral("pässword").toUtf8());
    const Result third = a->respond("Again:", out);
    QCOMPARE(third.code(), ErrorCode::Protocol);
}

void TestSasl::cramMd5Rfc2195()
{
    auto a = Authenticator::create(Mechanism::CramMd5, QStringLiteral("tim"),
                                   QStringLiteral("tanstaaftanstaaf"), QString());
    QByteArray out;
    QVERIFY(!a->initialResponse(out));
    QVERIFY(a->respond("<1896.697170952@postoffice.reston.mci.net>", out).ok());
    QCOMPARE(out, QByteArray("tim b913a602c7eda7a495b4e6e7334d3890"));
    QVERIFY(!a->respond("<1896.697170952@postoffice.reston.mci.net>", out).ok());
}

void TestSasl::cramMd5Malformed_data()
{
    QTest::addColumn<QByteArray>("challenge");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("no-brackets") << QByteArray("1896.697170952@host");
    QTest::newRow("brackets-only") << QByteArray("<>");
    QTest::newRow("open-only") << QByteArray("<1896.697170952@host");
    QTest::newRow("control-byte") << QByteArray("<1896\x01@host>");
    QTest::newRow("binary") << QByteArray("<\xff\xfe>");
    QTest::newRow("space") << QByteArray("<a b@host>");
}

void TestSasl::cramMd5Malformed()
{
    QFETCH(QByteArray, challenge);
    auto a = Authenticator::create(Mechanism::CramMd5, QStringLiteral("tim"), QStringLiteral("x"),
                                   QString());
    QByteArray out = "untouched";
    const Result r = a->respond(challenge, out);
    QCOMPARE(r.code(), ErrorCode::Protocol);
    QVERIFY(r.message().contains(QLatin1String("CRAM-MD5")));
}

void TestSasl::scram_data()
{
    QTest::addColumn<int>("mechanism");
    QTest::addColumn<QByteArray>("nonce");
    QTest::addColumn<QByteArray>("serverFirst");
    QTest::addColumn<QByteArray>("clientFinal");
    QTest::addColumn<QByteArray>("serverFinal");
    QTest::newRow("rfc5802-sha1") << int(Mechanism::ScramSha1) << Sha1Nonce << Sha1ServerFirst
                                  << Sha1ClientFinal << Sha1ServerFinal;
    QTest::newRow("rfc7677-sha256") << int(Mechanism::ScramSha256) << Sha256Nonce
                                    << Sha256ServerFirst << Sha256ClientFinal << Sha256ServerFinal;
}

void TestSasl::scram()
{
    QFETCH(int, mechanism);
    QFETCH(QByteArray, nonce);
    QFETCH(QByteArray, serverFirst);
    QFETCH(QByteArray, clientFinal);
    QFETCH(QByteArray, serverFinal);
    auto a =
        createScram(Mechanism(mechanism), QStringLiteral("user"), QStringLiteral("pencil"), nonce);
    QVERIFY(a);
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QCOMPARE(out, "n,,n=user,r=" + nonce);
    const Result first = a->respond(serverFirst, out);
    QVERIFY2(first.ok(), qPrintable(first.message()));
    QCOMPARE(out, clientFinal);
    const Result final = a->respond(serverFinal, out);
    QVERIFY2(final.ok(), qPrintable(final.message()));
    QCOMPARE(out, QByteArray());
    QVERIFY(a->verifySuccess(QByteArray()).ok());
}

// IMAP/SMTP may carry the server-final message in the success reply instead.
void TestSasl::scramFinalInSuccess()
{
    auto a = createScram(Mechanism::ScramSha256, QStringLiteral("user"), QStringLiteral("pencil"),
                         Sha256Nonce);
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QVERIFY(a->respond(Sha256ServerFirst, out).ok());
    QVERIFY(a->verifySuccess(Sha256ServerFinal).ok());
}

void TestSasl::scramWrongServerSignature_data()
{
    QTest::addColumn<QByteArray>("serverFinal");
    QTest::addColumn<bool>("inSuccess");
    QTest::newRow("sha1-signature-as-challenge") << Sha1ServerFinal << false;
    QTest::newRow("flipped-bit-as-challenge")
        << QByteArray("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") << false;
    QTest::newRow("flipped-bit-in-success")
        << QByteArray("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") << true;
    QTest::newRow("empty-signature") << QByteArray("v=") << false;
}

void TestSasl::scramWrongServerSignature()
{
    QFETCH(QByteArray, serverFinal);
    QFETCH(bool, inSuccess);
    auto a = createScram(Mechanism::ScramSha256, QStringLiteral("user"), QStringLiteral("pencil"),
                         Sha256Nonce);
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QVERIFY(a->respond(Sha256ServerFirst, out).ok());
    const Result r = inSuccess ? a->verifySuccess(serverFinal) : a->respond(serverFinal, out);
    QCOMPARE(r.code(), ErrorCode::AuthFailed);
    QVERIFY2(r.message().contains(QLatin1String("signature does not match")),
             qPrintable(r.message()));
    // Nothing later turns it into a success.
    QCOMPARE(a->verifySuccess(QByteArray()).code(), ErrorCode::AuthFailed);
}

void TestSasl::scramServerError()
{
    auto a = createScram(Mechanism::ScramSha1, QStringLiteral("user"), QStringLiteral("pencil"),
                         Sha1Nonce);
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QVERIFY(a->respond(Sha1ServerFirst, out).ok());
    const Result r = a->respond("e=invalid-proof", out);
    QCOMPARE(r.code(), ErrorCode::AuthFailed);
    QVERIFY(r.message().contains(QLatin1String("invalid-proof")));
}

void TestSasl::scramSuccessWithoutSignature()
{
    auto a = createScram(Mechanism::ScramSha256, QStringLiteral("user"), QStringLiteral("pencil"),
                         Sha256Nonce);
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QCOMPARE(a->verifySuccess(QByteArray()).code(), ErrorCode::AuthFailed); // before anything
    QVERIFY(a->respond(Sha256ServerFirst, out).ok());
    const Result r = a->verifySuccess(QByteArray());
    QCOMPARE(r.code(), ErrorCode::AuthFailed);
    QVERIFY(r.message().contains(QLatin1String("without proving")));
}

void TestSasl::scramMalformedServerFirst_data()
{
    QTest::addColumn<QByteArray>("serverFirst");
    const QByteArray r = "r=" + Sha256Nonce + "srv";
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("\x00\xff garbage", 10);
    QTest::newRow("pop3-line") << QByteArray("+OK ready");
    QTest::newRow("missing-iterations") << r + ",s=QSXCR+Q6sek8bf92";
    QTest::newRow("wrong-order") << "s=QSXCR+Q6sek8bf92," + r + ",i=4096";
    QTest::newRow("mandatory-extension") << "m=ext," + r + ",s=QSXCR+Q6sek8bf92,i=4096";
    QTest::newRow("nonce-not-ours") << QByteArray("r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096");
    QTest::newRow("nonce-not-extended") << "r=" + Sha256Nonce + ",s=QSXCR+Q6sek8bf92,i=4096";
    QTest::newRow("nonce-control-byte") << r + "\x01,s=QSXCR+Q6sek8bf92,i=4096";
    QTest::newRow("salt-not-base64") << r + ",s=!!!,i=4096";
    QTest::newRow("salt-empty") << r + ",s=,i=4096";
    QTest::newRow("iterations-zero") << r + ",s=QSXCR+Q6sek8bf92,i=0";
    QTest::newRow("iterations-negative") << r + ",s=QSXCR+Q6sek8bf92,i=-1";
    QTest::newRow("iterations-text") << r + ",s=QSXCR+Q6sek8bf92,i=many";
    QTest::newRow("iterations-huge") << r + ",s=QSXCR+Q6sek8bf92,i=2000000000";
    QTest::newRow("iterations-overflow") << r + ",s=QSXCR+Q6sek8bf92,i=99999999999999999999";
}

void TestSasl::scramMalformedServerFirst()
{
    QFETCH(QByteArray, serverFirst);
    auto a = createScram(Mechanism::ScramSha256, QStringLiteral("user"), QStringLiteral("pencil"),
                         Sha256Nonce);
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    out.clear();
    const Result r = a->respond(serverFirst, out);
    QCOMPARE(r.code(), ErrorCode::Protocol);
    QVERIFY(r.message().startsWith(QLatin1String("SCRAM-SHA-256: ")));
    QVERIFY(out.isEmpty()); // no proof leaves
}

void TestSasl::scramRandomNonce()
{
    auto a = Authenticator::create(Mechanism::ScramSha256, QStringLiteral("user"),
                                   QStringLiteral("pencil"), QString());
    auto b = Authenticator::create(Mechanism::ScramSha256, QStringLiteral("user"),
                                   QStringLiteral("pencil"), QString());
    QByteArray first;
    QByteArray second;
    QVERIFY(a->initialResponse(first));
    QVERIFY(b->initialResponse(second));
    QVERIFY(first.startsWith("n,,n=user,r="));
    QVERIFY(first.size() >= QByteArray("n,,n=user,r=").size() + 24);
    QVERIFY(first != second);
    QVERIFY(!first.mid(3).contains(",r=,"));
}

void TestSasl::scramEscapesUserName()
{
    auto a =
        createScram(Mechanism::ScramSha1, QStringLiteral("a=b,c"), QStringLiteral("p"), "nonce");
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QCOMPARE(out, QByteArray("n,,n=a=3Db=2Cc,r=nonce"));
}

void TestSasl::xoauth2()
{
    auto a = Authenticator::create(Mechanism::XOAuth2, QStringLiteral("someuser@example.com"),
                                   QStringLiteral("ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"),
                                   QStringLiteral("imap.example.com"));
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QCOMPARE(out, QByteArray("user=someuser@example.com\x01"
                             "auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"));
    // An error comes as a JSON challenge, acknowledged with an empty response.
    QVERIFY(a->respond("{\"status\":\"401\"}", out).ok());
    QCOMPARE(out, QByteArray());
    QVERIFY(!a->respond("{\"status\":\"401\"}", out).ok());
}

void TestSasl::oauthBearer()
{
    // RFC 7628 section 4.1, without the port.
    auto a = Authenticator::create(Mechanism::OAuthBearer, QStringLiteral("user@example.com"),
                                   QStringLiteral("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="),
                                   QStringLiteral("server.example.com"));
    QByteArray out;
    QVERIFY(a->initialResponse(out));
    QCOMPARE(out, QByteArray("n,a=user@example.com,\x01host=server.example.com\x01"
                             "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"));
    QVERIFY(a->respond("eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0", out).ok());
    QCOMPARE(out, QByteArray("\x01"));
}

QTEST_GUILESS_MAIN(TestSasl)
#include "tst_sasl.moc"
