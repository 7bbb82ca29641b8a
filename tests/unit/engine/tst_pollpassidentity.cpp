#include "EngineTestSupport.h"
#include "engine/SpoolSink.h"
#include "unit/imap/FakeImapServer.h"

#include <QTest>

// PollPass after an IMAP server renumbered the mailbox (new UIDVALIDITY): a known message is
// recognised under its new UID only when it is provably the same copy (the digest of its
// whole header block and its size, one to one). In a catch-all mailbox the provider keeps one
// copy per recipient with the same Message-ID and size: another recipient's copy must be
// fetched, never taken for the one already collected.

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Account = QStringLiteral("office");
using Script = QList<QByteArray>;
using Renamed = QMap<QString, QString>; // old UID -> new UID

// Two copies of one message for two recipients: same Message-ID, same size, other headers.
QByteArray copyFor(const QByteArray &who)
{
    return "Delivered-To: " + who + "@example.org\r\nReceived: by mx for <" + who +
           "@example.org>\r\nMessage-ID: <same@example.org>\r\nSubject: hi\r\n\r\nHello\r\n";
}
const QByteArray Alice = copyFor("alice");
const QByteArray Carol = copyFor("carol");
const QByteArray Other = "Message-ID: <other@example.org>\r\nSubject: other\r\n\r\nBody\r\n";

QByteArray headerOf(const QByteArray &message)
{
    return message.left(message.indexOf("\r\n\r\n") + 4);
}

// A record of a message collected under the old UIDVALIDITY 42, with this fingerprint.
Result addKnown(DataDir &data, const QString &uid, const QByteArray &content,
                const QString &fingerprint)
{
    Result error;
    std::unique_ptr<Spool::Writer> writer = data.spool().create(Account, error);
    if (!writer)
        return error;
    if (Result r = writer->write(content.constData(), content.size()); !r)
        return r;
    if (Result r = writer->finish(); !r)
        return r;
    if (Result r = data.spool().makeDurable({writer->relativePath()}); !r)
        return r;
    SpooledMessage m;
    m.uid = uid;
    m.size = writer->size();
    m.spoolPath = writer->relativePath();
    m.recipients = {QStringLiteral("desk@example.org")};
    m.fingerprint = fingerprint;
    return data.store().recordSpooled(Account, {m});
}

// The session with UIDVALIDITY 43: `listed` as UIDs 1..n; the header fetch of every UID if
// `identify`; the body fetch of the UIDs in `fetched`; LOGOUT.
Script session(const QList<QByteArray> &listed, bool identify, const QList<int> &fetched)
{
    const QByteArray n = QByteArray::number(listed.size());
    Script s{"S: * OK [CAPABILITY IMAP4rev1 UIDPLUS] ready",
             "C: A1 LOGIN \"alice\" \"secret\"",
             "S: A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in",
             "C: A2 SELECT \"INBOX\"",
             "S: * " + n + " EXISTS",
             "S: * OK [UIDVALIDITY 43] UIDs valid",
             "S: * OK [UIDNEXT " + QByteArray::number(listed.size() + 1) + "] next",
             "S: A2 OK [READ-WRITE] Select completed",
             "C: A3 UID FETCH 1:* (UID RFC822.SIZE)"};
    for (int uid = 1; uid <= listed.size(); ++uid)
        s << "S: * " + QByteArray::number(uid) + " FETCH (UID " + QByteArray::number(uid) +
                 " RFC822.SIZE " + QByteArray::number(listed.at(uid - 1).size()) + ")";
    s << "S: A3 OK done";
    int tag = 4;
    const auto answer = [&](int uid, const QByteArray &command, const QByteArray &item,
                            const QByteArray &data) {
        const QByteArray t = 'A' + QByteArray::number(tag++);
        const QByteArray u = QByteArray::number(uid);
        s << "C: " + t + " UID FETCH " + u + ' ' + command
          << "S: * " + u + " FETCH (UID " + u + " RFC822.SIZE " +
                 QByteArray::number(listed.at(uid - 1).size()) + ' ' + item + " {" +
                 QByteArray::number(data.size()) + '}'
          << "R: " + data << "S: )"
          << "S: " + t + " OK done";
    };
    if (identify)
        for (int uid = 1; uid <= listed.size(); ++uid)
            answer(uid, "(UID RFC822.SIZE BODY.PEEK[HEADER])", "BODY[HEADER]",
                   headerOf(listed.at(uid - 1)));
    for (int uid : fetched) {
        const QByteArray body = listed.at(uid - 1);
        const QByteArray t = 'A' + QByteArray::number(tag++);
        const QByteArray u = QByteArray::number(uid);
        s << "C: " + t + " UID FETCH " + u + " (UID BODY.PEEK[])"
          << "S: * " + u + " FETCH (UID " + u + " BODY[] {" + QByteArray::number(body.size()) + '}'
          << "R: " + body << "S: )"
          << "S: " + t + " OK done";
    }
    const QByteArray t = 'A' + QByteArray::number(tag);
    s << "C: " + t + " LOGOUT"
      << "S: * BYE bye"
      << "S: " + t + " OK done";
    return s;
}

} // namespace

class TestPollPassIdentity : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<pollux::Result>(); }
    void renumbered_data();
    void renumbered();
};

void TestPollPassIdentity::renumbered_data()
{
    QTest::addColumn<QList<QByteArray>>("known");  // collected under UIDVALIDITY 42: 42:1...
    QTest::addColumn<bool>("oldFormat");           // their fingerprints as older versions made
    QTest::addColumn<QList<QByteArray>>("listed"); // under UIDVALIDITY 43: 43:1...
    QTest::addColumn<bool>("identify");            // the header fetch happens
    QTest::addColumn<QList<int>>("fetched");       // new UIDs whose body is fetched
    QTest::addColumn<Renamed>("renamed");

    using Bytes = QList<QByteArray>;
    // Carol's copy comes first: matched by Message-ID and size it would take Alice's record
    // and never be fetched.
    QTest::newRow("per-recipient-copies")
        << Bytes{Alice} << false << Bytes{Carol, Alice, Other} << true << QList<int>{1, 3}
        << Renamed{{QStringLiteral("42:1"), QStringLiteral("43:2")}};
    QTest::newRow("two-listed-with-one-fingerprint")
        << Bytes{Alice} << false << Bytes{Alice, Alice, Other} << true << QList<int>{1, 2, 3}
        << Renamed();
    QTest::newRow("two-known-with-one-fingerprint")
        << Bytes{Alice, Alice} << false << Bytes{Alice, Other} << false << QList<int>{1, 2}
        << Renamed();
    QTest::newRow("old-format-record-never-matches")
        << Bytes{Alice} << true << Bytes{Alice, Other} << false << QList<int>{1, 2} << Renamed();
}

void TestPollPassIdentity::renumbered()
{
    QFETCH(QList<QByteArray>, known);
    QFETCH(bool, oldFormat);
    QFETCH(QList<QByteArray>, listed);
    QFETCH(bool, identify);
    QFETCH(QList<int>, fetched);
    QFETCH(Renamed, renamed);

    DataDir data;
    QVERIFY(data.open().ok());
    data.secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    QMap<QString, QByteArray> expected; // uid -> content afterwards
    for (int i = 1; i <= known.size(); ++i) {
        const QByteArray &c = known.at(i - 1);
        const QString fingerprint = oldFormat
                                        ? QStringLiteral("<same@example.org>|%1").arg(c.size())
                                        : SpoolSink::fingerprint(c, c.size());
        const QString uid = QStringLiteral("42:%1").arg(i);
        QVERIFY(addKnown(data, uid, c, fingerprint).ok());
        expected.insert(renamed.value(uid, uid), c);
    }
    for (int uid : std::as_const(fetched))
        expected.insert(QStringLiteral("43:%1").arg(uid), listed.at(uid - 1));

    FakeImapServer server;
    server.setScript(session(listed, identify, fetched));
    PollPass::Settings settings = passSettings(server.port(), Retention::Keep);
    settings.account.type = ServerType::Imap;
    const PassRun run = runPass(data, settings);
    QCOMPARE(run.finishedCount, 1);
    QVERIFY2(run.result.ok(), qPrintable(run.result.message()));
    QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
    QVERIFY(server.scriptFinished()); // exactly these bodies were fetched, no others
    QCOMPARE(run.collected, fetched.size());

    QMap<QString, QByteArray> got;
    for (const MessageRecord &m : data.records(Account))
        got.insert(m.uid, data.readSpoolFile(m.spoolPath));
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        QVERIFY2(got.value(it.key()) == it.value(), qPrintable(it.key()));
    QCOMPARE(got.size(), expected.size());
}

QTEST_GUILESS_MAIN(TestPollPassIdentity)
#include "tst_pollpassidentity.moc"
