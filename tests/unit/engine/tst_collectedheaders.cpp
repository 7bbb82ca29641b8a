#include "EngineTestSupport.h"
#include "engine/SpoolSink.h"
#include "unit/pop3/FakePop3Server.h"

#include <QTest>

// From and Subject are recorded with a collected message for the activity window (schema
// 9), decoded for display and bounded. A message whose header is hostile (garbage encoded
// words, a header of a megabyte, NUL bytes, none at all) is collected and kept verbatim all
// the same; only what is shown of it stays empty.

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Account = QStringLiteral("office");
using Script = QList<QByteArray>;

QByteArray megabyteOfFields()
{
    QByteArray out;
    for (int i = 0; out.size() < 1024 * 1024; ++i)
        out += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(1000, 'a') + "\r\n";
    return out;
}

QByteArray foldedMegabyteSubject()
{
    QByteArray out = "Subject: ";
    while (out.size() < 1024 * 1024)
        out += QByteArray(998, 'x') + "\r\n ";
    return out + "end\r\n";
}

struct Case
{
    const char *name;
    QByteArray content;
    QString from;
    QString subject;
};

const QString Ellipsis = QString(QChar(0x2026));

QList<Case> cases()
{
    return {
        {"encoded",
         "From: =?utf-8?q?Anna_M=C3=BCller?= <anna@example.org>\r\nSubject: "
         "=?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?ISO-8859-1?B?S/Zsbg==?=\r\n\r\nHallo\r\n",
         QStringLiteral("Anna Müller <anna@example.org>"), QStringLiteral("Grüße aus Köln")},
        {"folded-and-controls",
         "From: bob@example.org\r\nSubject: one\r\n\ttwo =?utf-8?q?a=0D=0Ab=1B[31mc?=\r\n "
         "\xe2\x80\xae"
         "evil\x7f\r\n\r\nbody\r\n",
         QStringLiteral("bob@example.org"), QStringLiteral("one two a b[31mc evil")},
        {"nul-bytes",
         QByteArray("From: a") + QByteArray(1, '\0') + "b@example.org\r\nSubject: nul" +
             QByteArray(1, '\0') + "here\r\n\r\nbody " + QByteArray(1, '\0') + "\r\n",
         QStringLiteral("a b@example.org"), QStringLiteral("nul here")},
        {"no-header", "\r\nonly a body\r\n", QString(), QString()},
        {"no-empty-line", "just some text without a colon\r\n", QString(), QString()},
        // From and Subject after 64 KiB of header: not read for display.
        {"megabyte-header",
         megabyteOfFields() + "From: late@example.org\r\nSubject: late\r\n\r\nbody\r\n", QString(),
         QString()},
        {"megabyte-subject", "From: c@example.org\r\n" + foldedMegabyteSubject() + "\r\nbody\r\n",
         QStringLiteral("c@example.org"), QString(199, QLatin1Char('x')) + Ellipsis},
    };
}

} // namespace

class TestCollectedHeaders : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<pollux::Result>(); }
    void displayText_data();
    void displayText();
    void recordedWhenCollected();
};

void TestCollectedHeaders::displayText_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QByteArray("Hello  world ") << QStringLiteral("Hello world");
    QTest::newRow("q-utf8") << QByteArray("=?utf-8?q?Gr=C3=BC=C3=9Fe?=") << QStringLiteral("Grüße");
    QTest::newRow("adjacent-words")
        << QByteArray("=?utf-8?q?a?= =?utf-8?q?b?=") << QStringLiteral("ab");
    QTest::newRow("raw-utf8") << QByteArray("Gr\xc3\xbc\xc3\x9f"
                                            "e")
                              << QStringLiteral("Grüße");
    QTest::newRow("c1-control") << QByteArray("a\xc2\x85\xc2\x9b"
                                              "b")
                                << QStringLiteral("a b"); // NEL is a line end, CSI nothing
    QTest::newRow("bidi-isolates")
        << QByteArray("x\xe2\x81\xa6y\xe2\x81\xa9z") << QStringLiteral("xyz");
    QTest::newRow("only-controls") << QByteArray("\x01\x02\x1b") << QString();
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("exactly-200") << QByteArray(200, 'y') << QString(200, QLatin1Char('y'));
    QTest::newRow("201") << QByteArray(201, 'y') << QString(199, QLatin1Char('y')) + Ellipsis;
    // A character beyond U+FFFF at the cut is not split in half.
    QTest::newRow("surrogate-at-cut")
        << QByteArray(198, 'y') + QByteArray("\xf0\x9f\x98\x80\xf0\x9f\x98\x80")
        << QString(198, QLatin1Char('y')) + Ellipsis;
}

void TestCollectedHeaders::displayText()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, text);
    QCOMPARE(SpoolSink::displayText(raw), text);
}

// Hostile and garbage encoded words never fail: whatever comes out is printable and bounded.
// Then one real pass collects every case; each is stored verbatim, with what is shown of it.
void TestCollectedHeaders::recordedWhenCollected()
{
    const QList<QByteArray> garbage = {
        "=?utf-8?b?!!!not-base64!!!?=",
        "=?x-no-such-charset?q?abc?=",
        "=?utf-8?q?=FF=FE=00=1B?=",
        "=?",
        "=?utf-8?",
        "=?utf-8?x?abc?=",
        QByteArray(20000, '=') + "?utf-8?b?" + QByteArray(20000, 'A'),
        QByteArray("=?utf-8?b?") + QByteArray(30000, 'A').toBase64() + "?=",
        QByteArray("\xff\xfe\xfd\x80\x81"),
    };
    for (const QByteArray &value : garbage) {
        const QString text = SpoolSink::displayText(value);
        QVERIFY(text.size() <= SpoolSink::DisplayLimit);
        for (const QChar c : text)
            QVERIFY2(c.unicode() >= 0x20 && (c.unicode() < 0x7f || c.unicode() >= 0xa0),
                     qPrintable(QString::number(c.unicode(), 16)));
    }

    DataDir data;
    QVERIFY(data.open().ok());
    data.secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    QList<QByteArray> contents;
    for (const Case &c : cases())
        contents << c.content;
    for (const QByteArray &value : garbage)
        contents << "From: " + value + "\r\nSubject: " + value + "\r\n\r\ngarbage\r\n";
    FakePop3Server server;
    Script script = pop3Opening(contents);
    for (int i = 0; i < contents.size(); ++i)
        script << pop3Retr(i + 1, contents.at(i));
    script << "C: QUIT"
           << "S: +OK bye";
    server.setScript(script);
    const PassRun run = runPass(data, passSettings(server.port(), Retention::Keep));
    QCOMPARE(run.finishedCount, 1);
    QCOMPARE(run.result.code(), ErrorCode::None);
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished());
    QCOMPARE(run.collected, int(contents.size()));

    const QList<Case> expected = cases();
    for (int i = 0; i < contents.size(); ++i) {
        const QString uid = QStringLiteral("uid-%1").arg(i + 1);
        const MessageRecord m = data.record(Account, uid);
        QCOMPARE(m.uid, uid);
        QCOMPARE(m.state, DeliveryState::Waiting);
        QCOMPARE(m.kind, MessageKind::Collected);
        QCOMPARE(data.readSpoolFile(m.spoolPath), contents.at(i)); // verbatim
        QVERIFY(m.from.size() <= SpoolSink::DisplayLimit);
        QVERIFY(m.subject.size() <= SpoolSink::DisplayLimit);
        if (i < expected.size()) {
            const Case &c = expected.at(i);
            QVERIFY2(m.from == c.from, c.name);
            QVERIFY2(m.subject == c.subject,
                     qPrintable(QLatin1String(c.name) + QStringLiteral(": ") + m.subject));
        }
    }
    // The body is never recorded.
    for (const MessageRecord &m : data.records(Account)) {
        QVERIFY(!m.subject.contains(QStringLiteral("Hallo")));
        QVERIFY(!m.subject.contains(QStringLiteral("body")));
    }
}

QTEST_GUILESS_MAIN(TestCollectedHeaders)
#include "tst_collectedheaders.moc"
