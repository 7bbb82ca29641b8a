#include "ui/ErrorText.h"
#include "ui/TrayApp.h"

#include <QApplication>
#include <QTest>
#include <QTranslator>

using namespace pollux;
using pollux::ui::ErrorText;

namespace {

// What the engine says, in English, for the log: never to be seen in the UI's text.
const QString EngineMessage =
    QStringLiteral("login refused (PASS); server said: -ERR [AUTH] invalid login");

Result authFailed()
{
    return Result::failure(ErrorCode::AuthFailed, EngineMessage)
        .withServerSaid(QByteArray("-ERR [AUTH] invalid login"))
        .withServer(QStringLiteral("pop.example.com"), 995);
}

AccountConfig account()
{
    AccountConfig a;
    a.name = QStringLiteral("joe");
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("pop.example.com");
    a.port = 995;
    return a;
}

// The German catalogue for the scope of one test.
class German
{
public:
    German() : m_translator(ui::installTranslator(QStringLiteral("de"))) {}
    ~German()
    {
        for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
    }
    bool ok() const { return m_translator != nullptr; }

private:
    QTranslator *m_translator;
};

} // namespace

class TestErrorText : public QObject
{
    Q_OBJECT
private slots:
    void cleanServerText_data();
    void cleanServerText();
    void englishKeepsServerWordsApart();
    void germanHasNoEnglish_data();
    void germanHasNoEnglish();
    void germanServerWordsOnTheirOwnLine();
    void detailBesideTheSentence();
    void lockedMailboxHasItsSentence();
    void testAccessIsOneSentenceAndEvidence();
    void testAccessInGerman();
};

void TestErrorText::cleanServerText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("clean");
    QTest::newRow("plain") << QStringLiteral("-ERR no") << QStringLiteral("-ERR no");
    QTest::newRow("multi-line") << QStringLiteral("554-one\n554 two\r\n")
                                << QStringLiteral("554-one 554 two");
    QTest::newRow("escape-and-bell")
        << QStringLiteral("NO \x1b[31mred\x07!") << QStringLiteral("NO [31mred !");
    QTest::newRow("c1-control") << QString(QStringLiteral("a") + QChar(0x9b) + QStringLiteral("b"))
                                << QStringLiteral("a b");
    QTest::newRow("bidi-override")
        << QString(QStringLiteral("-ERR ") + QChar(0x202e) + QStringLiteral("txt.exe"))
        << QStringLiteral("-ERR txt.exe");
    QTest::newRow("spaces") << QStringLiteral("  a \t  b  ") << QStringLiteral("a b");
    QTest::newRow("umlauts-kept") << QStringLiteral("NO Zugriff verweigert: Größe")
                                  << QStringLiteral("NO Zugriff verweigert: Größe");
    QTest::newRow("100k") << QString(100 * 1024, QLatin1Char('x'))
                          << QString(QString(Result::MaxServerSaid, QLatin1Char('x')) +
                                     QChar(0x2026));
    // A cut never splits a surrogate pair (an emoji at the limit).
    QTest::newRow("surrogate-at-cut")
        << QString(QString(Result::MaxServerSaid - 1, QLatin1Char('x')) +
                   QString::fromUtf8("\xf0\x9f\x98\x80") + QStringLiteral("yyy"))
        << QString(QString(Result::MaxServerSaid - 1, QLatin1Char('x')) + QChar(0x2026));
}

void TestErrorText::cleanServerText()
{
    QFETCH(QString, text);
    QFETCH(QString, clean);
    QCOMPARE(Result::cleanServerText(text), clean);
    QCOMPARE(Result::failure(ErrorCode::ServerError, QString()).withServerSaid(text).serverSaid(),
             clean);
}

void TestErrorText::englishKeepsServerWordsApart()
{
    const Result r = authFailed();
    QCOMPARE(r.message(), EngineMessage); // the log keeps it
    const QString text = ErrorText::describe(r);
    QCOMPARE(text, QStringLiteral("The server refused the username or password.\n"
                                  "The server said: -ERR [AUTH] invalid login"));
    QVERIFY(!text.contains(QLatin1String("Details")));
    QVERIFY(!text.contains(QLatin1String("login refused (PASS)")));
    // Nothing said: the sentence alone, the English message nowhere.
    const Result quiet = Result::failure(ErrorCode::ConnectionRefused,
                                         QStringLiteral("127.0.0.1:1 refused the connection"))
                             .withServer(QStringLiteral("127.0.0.1"), 1);
    QCOMPARE(ErrorText::describe(quiet),
             QStringLiteral("The server 127.0.0.1 refused the connection on port 1. Check the "
                            "server name, the server type and the port number."));
}

void TestErrorText::germanHasNoEnglish_data()
{
    QTest::addColumn<Result>("result");
    QTest::addColumn<QString>("named"); // the server as the German sentence must name it
    const QString english = QStringLiteral("127.0.0.1:1 refused the connection: no mail server "
                                           "listens on that port (connection refused)");
    const auto at = [&](ErrorCode code) {
        return Result::failure(code, english).withServer(QStringLiteral("127.0.0.1"), 1);
    };
    QTest::newRow("host-not-found") << at(ErrorCode::HostNotFound) << QStringLiteral("127.0.0.1");
    QTest::newRow("refused") << at(ErrorCode::ConnectionRefused) << QStringLiteral("127.0.0.1");
    QTest::newRow("network") << at(ErrorCode::Network) << QStringLiteral("127.0.0.1");
    QTest::newRow("timeout") << at(ErrorCode::Timeout) << QStringLiteral("127.0.0.1");
    QTest::newRow("tls") << at(ErrorCode::Tls) << QStringLiteral("127.0.0.1");
    QTest::newRow("protocol") << at(ErrorCode::Protocol) << QStringLiteral("127.0.0.1");
    for (ErrorCode code :
         {ErrorCode::LineTooLong, ErrorCode::AuthFailed, ErrorCode::ServerError,
          ErrorCode::TemporaryFailure, ErrorCode::Storage, ErrorCode::Config, ErrorCode::Secrets,
          ErrorCode::Cancelled, ErrorCode::Integrity, ErrorCode::SignInNeeded})
        QTest::newRow(qPrintable(errorCodeName(code)))
            << Result::failure(code, english) << QString();
}

// Defect of issue 15: a German window showed the engine's English details.
void TestErrorText::germanHasNoEnglish()
{
    QFETCH(Result, result);
    QFETCH(QString, named);
    const QString englishSentence = ErrorText::sentence(result);
    German german;
    QVERIFY(german.ok());
    const QString text = ErrorText::describe(result);
    QVERIFY2(!text.contains(result.message()), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("refused the connection")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("Details")), qPrintable(text));
    QVERIFY2(text != englishSentence, qPrintable(text)); // translated
    QVERIFY2(!text.contains(QLatin1String("The server")), qPrintable(text));
    if (!named.isEmpty())
        QVERIFY2(text.contains(named), qPrintable(text));
    const QString detail = ErrorText::detail(result);
    QVERIFY2(!detail.contains(result.message()) && !detail.isEmpty(), qPrintable(detail));
}

void TestErrorText::germanServerWordsOnTheirOwnLine()
{
    German german;
    QVERIFY(german.ok());
    const QStringList lines = ErrorText::describe(authFailed()).split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0), QStringLiteral("Der Server hat Benutzername oder Passwort abgelehnt."));
    // The words verbatim, untranslated, never spliced into the sentence.
    QCOMPARE(lines.at(1), QStringLiteral("Der Server sagte: -ERR [AUTH] invalid login"));
    QVERIFY(!lines.at(0).contains(QLatin1String("-ERR")));
    QVERIFY(!ErrorText::describe(authFailed()).contains(EngineMessage));
}

void TestErrorText::detailBesideTheSentence()
{
    QCOMPARE(ErrorText::detail(authFailed()),
             QStringLiteral("The server said: -ERR [AUTH] invalid login"));
    QCOMPARE(ErrorText::detail(Result::failure(ErrorCode::Storage, QStringLiteral("disk full"))),
             QStringLiteral("details in the log"));
    QVERIFY(ErrorText::detail(Result::failure(ErrorCode::Storage, QString())).isEmpty());
    QVERIFY(ErrorText::detail(Result::success()).isEmpty());
    // A missing password: the sentence says all; the terminal command stays out.
    const Result missing = Result::failure(
        ErrorCode::Secrets, QStringLiteral("no password stored for account/joe in the keychain; "
                                           "store it with: pollux password set joe"));
    QVERIFY(ErrorText::isMissingSecret(missing));
    QVERIFY(!ErrorText::describe(missing).contains(QLatin1String("pollux password set")));
    QVERIFY2(ErrorText::describe(missing).contains(QStringLiteral("“joe”")),
             qPrintable(ErrorText::describe(missing)));
}

void TestErrorText::lockedMailboxHasItsSentence()
{
    const Result locked = Result::failure(ErrorCode::TemporaryFailure, QStringLiteral("x"))
                              .withServerSaid(QByteArray("-ERR [IN-USE] Unable to lock maildrop"));
    QVERIFY2(ErrorText::sentence(locked).startsWith(QLatin1String("The mailbox is locked")),
             qPrintable(ErrorText::sentence(locked)));
    const Result imap = Result::failure(ErrorCode::TemporaryFailure, QStringLiteral("x"))
                            .withServerSaid(QByteArray("NO [INUSE] in use"));
    QCOMPARE(ErrorText::sentence(imap), ErrorText::sentence(locked));
}

void TestErrorText::testAccessIsOneSentenceAndEvidence()
{
    AccessTester::Outcome o;
    // What AccessTester gives: its English sentence for the command line, our facts apart.
    o.result = AccessTester::describe(account(), authFailed(), QString());
    QVERIFY(o.result.message().contains(QLatin1String("rejected the login")));
    QCOMPARE(ErrorText::testAccessText(o, account()).split(QLatin1Char('\n')),
             (QStringList{QStringLiteral("The server refused the username or password."),
                          QStringLiteral("Connected to pop.example.com, port 995 (TLS)."),
                          QStringLiteral("The server said: -ERR [AUTH] invalid login")}));

    // Not reached: what was tried; the fingerprint of an untrusted certificate.
    AccountConfig plain = account();
    plain.type = ServerType::Pop3;
    plain.port = 110;
    plain.startTls = true;
    o.result = AccessTester::describe(
        plain,
        Result::failure(ErrorCode::Tls, QStringLiteral("certificate not trusted"))
            .withServer(plain.host, plain.port),
        QStringLiteral("AA:BB"));
    o.presentedFingerprint = QStringLiteral("AA:BB");
    const QStringList tls = ErrorText::testAccessText(o, plain).split(QLatin1Char('\n'));
    QCOMPARE(tls.size(), 3);
    QVERIFY2(tls.at(0).startsWith(QLatin1String("No secure connection could be made to the "
                                                "server pop.example.com on port 110")),
             qPrintable(tls.at(0)));
    QCOMPARE(tls.at(1),
             QStringLiteral("Tried to connect to pop.example.com, port 110 (STARTTLS)."));
    QCOMPARE(tls.at(2), QStringLiteral("The server presented a certificate with the SHA-256 "
                                       "fingerprint AA:BB."));
    o.presentedFingerprint.clear();

    // The keychain had nothing: one sentence, nothing was tried.
    o.result = AccessTester::describe(
        account(),
        Result::failure(ErrorCode::Secrets,
                        QStringLiteral("no password stored for account/joe in the keychain")),
        QString());
    const QStringList missing = ErrorText::testAccessText(o, account()).split(QLatin1Char('\n'));
    QCOMPARE(missing.size(), 1);
    QVERIFY(missing.at(0).contains(QLatin1String("Password field")));

    o.result = Result::success();
    o.messages = 2;
    o.bytes = 2048;
    const QStringList works = ErrorText::testAccessText(o, account()).split(QLatin1Char('\n'));
    QCOMPARE(works.size(), 2);
    QVERIFY2(works.at(0).startsWith(QLatin1String("Access works")), qPrintable(works.at(0)));
    QCOMPARE(works.at(1), QStringLiteral("Connected to pop.example.com, port 995 (TLS)."));
}

void TestErrorText::testAccessInGerman()
{
    AccessTester::Outcome o;
    o.result = AccessTester::describe(account(), authFailed(), QString());
    German german;
    QVERIFY(german.ok());
    const QString text = ErrorText::testAccessText(o, account());
    QCOMPARE(text.split(QLatin1Char('\n')),
             (QStringList{QStringLiteral("Der Server hat Benutzername oder Passwort abgelehnt."),
                          QStringLiteral("Verbunden mit pop.example.com, Port 995 (TLS)."),
                          QStringLiteral("Der Server sagte: -ERR [AUTH] invalid login")}));
    QVERIFY(!text.contains(o.result.message()));
}

QTEST_MAIN(TestErrorText)
#include "tst_errortext.moc"
