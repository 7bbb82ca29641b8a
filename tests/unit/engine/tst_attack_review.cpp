// An outside attacker and a sloppy provider against the integrity rules of issue 11: holes
// found by the attack review, each driven through the real engine stages (DeliveryWorker with
// RoutingStage and OutcomeApplier, PollPass) against scripted fakes on 127.0.0.1.
#include "DeliveryFixture.h"
#include "engine/OutcomeApplier.h"
#include "unit/pop3/FakePop3Server.h"
#include "unit/smtp/SmtpTestSupport.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using smtptest::hello;

namespace {

// One lockstep transaction from any sender to `recipient`, accepted.
QStringList acceptedFor(const QString &recipient)
{
    return {QStringLiteral("C: MAIL FROM:*"),
            QStringLiteral("S: 250 Ok"),
            QStringLiteral("C: RCPT TO:<%1>").arg(recipient),
            QStringLiteral("S: 250 Ok"),
            QStringLiteral("C: DATA"),
            QStringLiteral("S: 354 go"),
            QStringLiteral("C: <DATA>"),
            QStringLiteral("S: 250 queued")};
}

QByteArray rcptLines(const FakeSmtpServer &server)
{
    QByteArray out;
    for (const QByteArray &line : server.receivedLines())
        if (line.startsWith("RCPT"))
            out += line + '\n';
    return out;
}

// The provider (mx.provider.example) took the message from 203.0.113.5, whose client said
// "EHLO mx1.provider.example x": Postfix collapses the arguments into one HELO name with a
// space and writes it as it is (it neuters only <>()\";:@), so the TCP-info comment is no
// longer the token after the from-domain. Below the provider's inbound line, the sender
// wrote an envelope header and a Received: that names a provider host.
const QByteArray HeloWithSpace =
    "Return-Path: <a@evil.example>\r\n"
    "X-Original-To: bob@example.org\r\n"
    "Delivered-To: catchall@provider.example\r\n"
    "Received: from mx1.provider.example x (unknown [203.0.113.5])\r\n"
    "\tby mx.provider.example (Postfix) with ESMTP id 4AB12\r\n"
    "\tfor <catchall@provider.example>; Mon, 05 Jan 2026 09:00:00 +0000\r\n"
    "X-Original-To: ceo@example.org\r\n"
    "Received: from evil.example (evil.example [203.0.113.5])\r\n"
    "\tby mx1.provider.example with ESMTP\r\n"
    "\tfor <ceo@example.org>; Mon, 05 Jan 2026 08:59:00 +0000\r\n"
    "From: a@evil.example\r\n"
    "To: bob@example.org\r\n"
    "Subject: for bob only\r\n"
    "Message-ID: <helo-space@evil.example>\r\n"
    "\r\n"
    "bob's mail\r\n";

} // namespace

class TestAttackReview : public DeliveryFixture
{
    Q_OBJECT

private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void heloWithSpaceDoesNotExtendProviderTrace();
    void serverUidLikeDerivedCopyIsNotSkipped();
    void serverUidLikeDerivedRecordIsNotDeletedUnread();
    void changedMessageUnderKnownUidIsNotDeletedUnread();
    void bodyFarBeyondAnnouncedSizeStopsEarly();
    void crashAfterQuarantineMoveLosesTrackOfFile();

private:
    void catchAll();
};

void TestAttackReview::catchAll()
{
    AccountConfig a;
    a.name = Account;
    a.mailbox = MailboxType::CatchAll;
    a.providerHosts = {QStringLiteral("provider.example")};
    m_config.accounts = {a};
    m_config.acceptedDomains = {QStringLiteral("example.org")};
    m_config.postmaster = QStringLiteral("postmaster@example.org");
}

// Hole 1 (routing trust): a HELO name with a space made the provider's inbound line look like
// an internal hop (core/routing/Trace.cpp parseReceived() reads the TCP-info comment only
// as the token right after the from-domain; with none found, "unknown [203.0.113.5]" is
// never seen and isInternalHop() trusts the bare HELO name). The trace then runs on into
// the sender's part: the forged X-Original-To: ceo@ and Received: ... for <ceo@> count.
void TestAttackReview::heloWithSpaceDoesNotExtendProviderTrace()
{
    catchAll();
    QVERIFY(m_data->addMessage(Account, Uid, HeloWithSpace, {}).ok());
    m_server->setScript(hello({}) + acceptedFor(QStringLiteral("bob@example.org")));
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy deferred(worker, &DeliveryWorker::deferred);
    QTRY_VERIFY_WITH_TIMEOUT(
        delivered.size() + deferred.size() > 0 || !m_server->errors().isEmpty(), Deadline);
    QVERIFY2(!rcptLines(*m_server).contains("ceo@"), rcptLines(*m_server).constData());
    QCOMPARE(m_server->errors(), QStringList());
    QCOMPARE(m_data->record(Account, Uid).state, DeliveryState::Delivered);
}

// Hole 2 (one namespace for server UIDs and our own copies): OutcomeApplier::queueDerived()
// names a postmaster copy "<uid>#postmaster" in the account's UID space and skips making it
// when that UID is known - "made before a crash". A POP3 UIDL may contain '#' (RFC 1939:
// 0x21-0x7E), so a server message listed as "7#postmaster" makes the copy of message 7
// "known": message 7 (no local recipient) is marked delivered and its file removed, and
// the postmaster never gets it.
void TestAttackReview::serverUidLikeDerivedCopyIsNotSkipped()
{
    catchAll();
    const QByteArray serverMessage = "Return-Path: <x@vendor.example>\r\n"
                                     "X-Original-To: b@example.org\r\n"
                                     "Received: from a (a [10.0.0.1]) by mx.provider.example "
                                     "with ESMTP; Mon, 05 Jan 2026 09:00:00 +0000\r\n"
                                     "Subject: for b\r\n\r\nfor b\r\n";
    const QByteArray foreignOnly = "Return-Path: <x@vendor.example>\r\n"
                                   "X-Original-To: someone@foreign.example\r\n"
                                   "Received: from a (a [10.0.0.1]) by mx.provider.example "
                                   "with ESMTP; Mon, 05 Jan 2026 09:00:00 +0000\r\n"
                                   "Subject: nobody here\r\n\r\nUNIQUE-SEVEN-CONTENT\r\n";
    QVERIFY(m_data->addMessage(Account, QStringLiteral("7#postmaster"), serverMessage, {}).ok());
    m_data->clock.advance(1);
    QVERIFY(m_data->addMessage(Account, QStringLiteral("7"), foreignOnly, {}).ok());
    m_server->setScript(hello({}) + acceptedFor(QStringLiteral("b@example.org")) +
                        acceptedFor(m_config.postmaster));
    startWorker();
    QTRY_COMPARE_WITH_TIMEOUT(m_data->record(Account, QStringLiteral("7")).state,
                              DeliveryState::Delivered, Deadline);
    // Message 7's content must have gone somewhere: the postmaster's copy.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->bodies().size(), 2, 3000);
    QVERIFY(m_server->bodies().at(1).contains("UNIQUE-SEVEN-CONTENT"));
}

// Hole 2, the other way round: once the copy "7#postmaster" is recorded, a POP3 server
// message with that UIDL is "known": never retrieved, and with retention Delete removed
// from the server unread (Store::removalCandidates() takes every record of the account,
// copies and notices included).
void TestAttackReview::serverUidLikeDerivedRecordIsNotDeletedUnread()
{
    catchAll();
    const QByteArray foreignOnly = "Return-Path: <x@vendor.example>\r\n"
                                   "X-Original-To: someone@foreign.example\r\n"
                                   "Received: from a (a [10.0.0.1]) by mx.provider.example "
                                   "with ESMTP; Mon, 05 Jan 2026 09:00:00 +0000\r\n"
                                   "Subject: nobody here\r\n\r\nseven\r\n";
    QVERIFY(m_data->addMessage(Account, QStringLiteral("7"), foreignOnly, {}).ok());
    m_server->setScript(hello({}) + acceptedFor(m_config.postmaster));
    startWorker();
    QTRY_COMPARE_WITH_TIMEOUT(
        m_data
            ->record(Account,
                     OutcomeApplier::derivedUid(QStringLiteral("7"), QStringLiteral("postmaster")))
            .state,
        DeliveryState::Delivered, Deadline);
    m_worker.reset();

    // The server now lists a new message whose UIDL happens to be "7#postmaster".
    const QByteArray fresh = "Subject: new mail\r\n\r\nnever seen before\r\n";
    FakePop3Server pop3;
    m_data->secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    pop3.setScript(pop3Login() +
                   QList<QByteArray>{"C: UIDL", "S: +OK", "S: 1 7#postmaster", "S: ."} +
                   pop3List({fresh}) + pop3Retr(1, fresh) +
                   QList<QByteArray>{"C: DELE 1", "S: +OK", "C: QUIT", "S: +OK bye"});
    const PassRun run = runPass(*m_data, passSettings(pop3.port(), Retention::Delete));
    QVERIFY(pop3.waitForClientGone(Deadline));
    QVERIFY2(pop3.error().isEmpty(), qPrintable(pop3.error()));
    QCOMPARE(run.result.code(), ErrorCode::None);
    QCOMPARE(linesStartingWith(pop3.received(), "RETR").size(), 1);
}

// Hole 3 (a sloppy provider reuses a UID): a message collected and kept (retention Keep) is
// gone from the server, and the server lists a different message - another size - under
// its UID (UIDL derived from the message number, a mailbox rebuilt, a UIDL taken from the
// Message-ID). Switched to retention Delete, Pollux deletes that message unread: a known
// UID is never retrieved and every known UID on the server is a removal candidate,
// whatever its listed size (PollPass::proceed(), applyRetention(),
// Store::removalCandidates()). A message whose stored copy is not the one announced must
// not be deleted.
void TestAttackReview::changedMessageUnderKnownUidIsNotDeletedUnread()
{
    m_data->secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    const QByteArray first = "Subject: first\r\n\r\nthe first message\r\n";
    {
        FakePop3Server pop3;
        pop3.setScript(pop3Opening({first}) + pop3Retr(1, first) +
                       QList<QByteArray>{"C: QUIT", "S: +OK bye"});
        const PassRun run = runPass(*m_data, passSettings(pop3.port(), Retention::Keep));
        QCOMPARE(run.result.code(), ErrorCode::None);
        QCOMPARE(run.collected, 1);
        QVERIFY(pop3.waitForClientGone(Deadline));
    }
    const QByteArray other = "Subject: another\r\n\r\na different, longer message under the "
                             "same UIDL\r\n";
    QVERIFY(other.size() != first.size());
    FakePop3Server pop3;
    pop3.setScript(pop3Opening({other}) + QList<QByteArray>{"C: QUIT", "S: +OK bye"});
    runPass(*m_data, passSettings(pop3.port(), Retention::Delete));
    QVERIFY(pop3.waitForClientGone(Deadline));
    QCOMPARE(linesStartingWith(pop3.received(), "DELE"), QList<QByteArray>());
}

// Hole 4 (bounded sizes): LIST announces 100 octets, RETR streams on and on. No reading of
// the announced size can agree once more than 2 x 100 + 2 octets came (ContentCount::agrees),
// yet Pop3Client keeps writing the stream into the spool until a terminator or the
// inactivity timeout - a server that never stops (or drips a byte before each timeout)
// fills the disk or holds the pass for ever. Here 400 kB come and then nothing: the pass
// must end with the message refused as too large, not wait for the timeout.
void TestAttackReview::bodyFarBeyondAnnouncedSizeStopsEarly()
{
    m_data->secrets.set(QStringLiteral("account/office"), QStringLiteral("secret"));
    QByteArray flood = "Subject: flood\r\n\r\n";
    while (flood.size() < 400 * 1024)
        flood += QByteArray(78, 'x') + "\r\n";
    FakePop3Server pop3;
    pop3.setScript(pop3Login() + QList<QByteArray>{"C: UIDL", "S: +OK", "S: 1 big", "S: .",
                                                   "C: LIST", "S: +OK", "S: 1 100", "S: .",
                                                   "C: RETR 1", "S: +OK", "R: " + flood});
    const PassRun run = runPass(*m_data, passSettings(pop3.port(), Retention::Delete));
    QCOMPARE(run.finishedCount, 1);
    QVERIFY2(run.result.code() != ErrorCode::Timeout, qPrintable(run.result.message()));
    QCOMPARE(m_data->knownUids(Account), QStringList());
    QCOMPARE(m_data->messageFiles(), QStringList());
}

// Hole 5 (crash order in OutcomeApplier::applyQuarantine()): the spool file is moved into
// quarantine first (Spool::quarantine(), fsynced), the notice is queued, and only then does
// Store::markFailed() record the new path. A crash between the move and that commit leaves
// the record Waiting with a path that no longer exists. After the restart the worker cannot
// open it, quarantines it "in place" with the old, missing path: Retry can never work, and
// the real file in quarantine/BADMAIL is referenced by nothing. Simulated here by doing the
// applier's first step by hand, then starting a worker as after the restart.
void TestAttackReview::crashAfterQuarantineMoveLosesTrackOfFile()
{
    m_config.postmaster = QStringLiteral("postmaster@example.org");
    QVERIFY(m_data->addMessage(Account, Uid, Message, {QStringLiteral("b@example.org")}).ok());
    const QString path = m_data->record(Account, Uid).spoolPath;
    QString moved;
    QVERIFY(m_data->spool().quarantine(path, QuarantineFolder::BadMail, moved).ok());
    // -- crash: markFailed(moved) never ran --
    m_server->setScript(hello({}) + acceptedFor(QStringLiteral("b@example.org")) +
                        acceptedFor(m_config.postmaster));
    DeliveryWorker *worker = startWorker();
    QSignalSpy delivered(worker, &DeliveryWorker::delivered);
    QSignalSpy quarantined(worker, &DeliveryWorker::quarantined);
    QTRY_VERIFY_WITH_TIMEOUT(delivered.size() + quarantined.size() > 0, Deadline);
    const MessageRecord m = m_data->record(Account, Uid);
    if (m.state == DeliveryState::Delivered)
        return; // delivered from where it was found: fine
    QCOMPARE(m.state, DeliveryState::Failed);
    QVERIFY2(QFileInfo::exists(m_data->spool().absolutePath(m.spoolPath)),
             qPrintable(
                 QStringLiteral("record points at %1, the file is at %2").arg(m.spoolPath, moved)));
}

QTEST_GUILESS_MAIN(TestAttackReview)
#include "tst_attack_review.moc"
