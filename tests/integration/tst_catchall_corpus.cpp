// A generated catch-all mailbox of over 1,000 messages, as a provider stores them: one copy
// per envelope recipient, in the shapes real providers write (Postfix local delivery,
// Postfix -> Dovecot LMTP, Exim, "Received: ... for" only), with BCC recipients, mailing
// lists, quoted local parts, the provider's own re-deliveries, and forged envelope headers
// further down that name the boss. Collected from a real Dovecot and delivered through a
// real Exim under the default routing settings; every recipient's mailbox is then checked:
// lost = duplicated = misrouted = 0 (issue 11's acceptance).
#include "EngineRun.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/EximServer.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "secrets/SecretStore.h"

#include <QHash>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {

const QString Domain = QStringLiteral("office.test");
const QString Boss = QStringLiteral("ceo"); // never a real recipient: anything there is forged
const QString Quoted = QStringLiteral("john q. public");
constexpr int Originals = 460;

QString address(const QString &local)
{
    if (local.contains(QLatin1Char(' ')))
        return QLatin1Char('"') + local + QStringLiteral("\"@") + Domain;
    return local + QLatin1Char('@') + Domain;
}

struct Copy
{
    QString recipient; // local part
    QByteArray message;
};

// The provider's trace block for one recipient's copy, in one of the shapes providers write.
QByteArray providerBlock(int shape, const QString &rcpt, int n)
{
    const QByteArray to = address(rcpt).toUtf8();
    const QByteArray id = QByteArray::number(100000 + n);
    const QByteArray date = "Tue, 01 Dec 2026 10:00:00 +0000";
    switch (shape) {
    case 0: // Postfix local delivery
        return "X-Original-To: " + to + "\r\nDelivered-To: " + to +
               "\r\nReceived: from mx.outside.example (mx.outside.example [192.0.2.7])\r\n"
               "\tby mx1.provider.example (Postfix) with ESMTPS id " +
               id + "\r\n\t; " + date + "\r\n";
    case 1: // Postfix -> Dovecot LMTP
        return "Return-Path: <sender@outside.example>\r\nDelivered-To: " + to +
               "\r\nReceived: from mx1.provider.example\r\n\tby imap.provider.example with "
               "LMTP id L" +
               id + "\r\n\t(envelope-from <sender@outside.example>)\r\n\tfor <" + to + ">; " +
               date + "\r\nX-Original-To: " + to +
               "\r\nReceived: from mx.outside.example (mx.outside.example [192.0.2.7])\r\n"
               "\tby mx1.provider.example (Postfix) with ESMTPS id P" +
               id + "; " + date + "\r\n";
    case 2: // Exim
        return "Envelope-to: " + to +
               "\r\nReceived: from mx.outside.example ([192.0.2.7])\r\n\tby mx2.provider.example "
               "with esmtps (Exim 4.96)\r\n\tid 1t" +
               id + "-000A-xy\r\n\tfor " + to + "; " + date + "\r\n";
    default: // only the Received line names the envelope recipient
        return "Received: from mx.outside.example (mx.outside.example [192.0.2.7])\r\n"
               "\tby mx3.provider.example with ESMTP id R" +
               id + "\r\n\tfor <" + to + ">; " + date + "\r\n";
    }
}

// What a hostile or careless sender writes below the provider's block.
QByteArray forgedBelow(QRandomGenerator &rng)
{
    const QByteArray boss = address(Boss).toUtf8();
    switch (rng.bounded(5)) {
    case 0:
        return "X-Original-To: " + boss + "\r\n";
    case 1:
        return "Delivered-To: " + boss + "\r\nEnvelope-To: " + boss + "\r\n";
    case 2:
        return "Received: from laptop.outside.example by mail.outside.example with ESMTPSA id "
               "F1\r\n"
               "\tfor <" +
               boss + ">; Tue, 01 Dec 2026 09:59:00 +0000\r\n";
    case 3:
        return "X-Envelope-To: " + boss + "\r\nX-RCPT-TO: <" + boss + ">\r\n";
    default:
        return {};
    }
}

struct Corpus
{
    QList<Copy> copies;
    QHash<QString, QHash<QByteArray, int>> expected; // recipient -> marker -> copies expected
};

Corpus generate(const QStringList &users)
{
    QRandomGenerator rng(20261202); // fixed: the same corpus every run
    Corpus c;
    QStringList everyone = users;
    everyone << Quoted;
    for (int n = 0; n < Originals; ++n) {
        const QByteArray marker = "corpus-" + QByteArray::number(n);
        QStringList visible, bcc;
        const bool list = rng.bounded(6) == 0;
        const int count = 1 + rng.bounded(4);
        for (int i = 0; i < count; ++i) {
            const QString u = everyone.at(rng.bounded(everyone.size()));
            if (!visible.contains(u) && !bcc.contains(u))
                (rng.bounded(4) == 0 ? bcc : visible) << u;
        }
        if (visible.isEmpty() && bcc.isEmpty())
            visible << users.first();
        QByteArray to, cc;
        if (list) {
            // A list: the visible header names the list, the subscribers are only envelope.
            to = "office-friends@lists.example";
            bcc += visible;
            visible.clear();
        } else {
            QStringList shown;
            for (const QString &u : std::as_const(visible))
                shown << address(u);
            shown << QStringLiteral("partner@outside.example");
            to = shown.mid(0, (shown.size() + 1) / 2).join(QStringLiteral(", ")).toUtf8();
            cc = shown.mid((shown.size() + 1) / 2).join(QStringLiteral(", ")).toUtf8();
        }
        const QByteArray senderPart =
            forgedBelow(rng) + "From: Sender <sender@outside.example>\r\nTo: " + to + "\r\n" +
            (cc.isEmpty() ? QByteArray() : "Cc: " + cc + "\r\n") + "Subject: " + marker +
            "\r\nDate: Tue, 01 Dec 2026 09:58:00 +0000\r\nMessage-ID: <" + marker +
            "@outside.example>\r\n" + (list ? "List-Id: <friends.lists.example>\r\n" : "") +
            "\r\nBody of " + marker + "\r\n";
        for (const QString &rcpt : visible + bcc) {
            const QByteArray message =
                providerBlock(rng.bounded(4), rcpt, n * 10 + c.copies.size() % 10) + senderPart;
            c.copies.append({rcpt, message});
            c.expected[rcpt][marker] = 1;
            if (rng.bounded(40) == 0)
                c.copies.append({rcpt, message}); // the provider delivered it twice
        }
    }
    return c;
}

} // namespace

class TestCatchAllCorpus : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void generatedMailboxIsDeliveredExactly();

private:
    DovecotServer m_dovecot;
    EximServer m_exim{Domain};
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    QStringList m_users;
};

void TestCatchAllCorpus::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QVERIFY(m_dir.isValid());
    for (int i = 1; i <= 12; ++i)
        m_users << QStringLiteral("user%1").arg(i, 2, 10, QLatin1Char('0'));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    for (const QString &u : m_users + QStringList{Quoted, Boss, QStringLiteral("postmaster")})
        QVERIFY(m_exim.addUser(u));
    QVERIFY2(m_exim.start(&error), qPrintable(error));
}

void TestCatchAllCorpus::cleanupTestCase()
{
    QVERIFY(m_exim.stop());
    QVERIFY(m_dovecot.stop());
}

void TestCatchAllCorpus::generatedMailboxIsDeliveredExactly()
{
    const Corpus corpus = generate(m_users);
    QVERIFY2(corpus.copies.size() >= 1000, qPrintable(QString::number(corpus.copies.size())));
    const QString user = QStringLiteral("catchall");
    const QString password = QStringLiteral("corpus-secret-1");
    QVERIFY(m_dovecot.addUser(user, password));
    m_secrets.set(secretKey(SecretKind::Account, user), password);
    for (const Copy &c : corpus.copies)
        QVERIFY(m_dovecot.deliver(user, c.message));

    Config config;
    AccountConfig a; // default routing settings: envelope headers, duplicate window
    a.name = user;
    a.type = ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 60;
    a.mailbox = MailboxType::CatchAll;
    config.accounts << a;
    config.smtp.host = QStringLiteral("127.0.0.1");
    config.smtp.port = m_exim.port();
    config.smtp.heloName = QStringLiteral("pollux.office.test");
    config.smtp.timeoutSecs = 60;
    config.postmaster = QStringLiteral("postmaster@") + Domain;
    config.acceptedDomains = {Domain};
    config.dataDir = m_dir.filePath(user);
    QVERIFY2(config.validate().ok(), qPrintable(config.validate().message()));

    Engine engine(&m_secrets, nullptr);
    QVERIFY(engine.start(config, {false, 0}).ok());
    for (int pass = 0; pass < 20 && m_dovecot.messageCount(user) > 0; ++pass)
        QVERIFY(runOnce(engine));
    bool ok = false;
    QVERIFY(runOnce(engine, ok)); // and nothing left waiting
    QVERIFY(ok);
    engine.stop();
    QVERIFY(m_exim.waitForEmptyQueue(60000));
    QCOMPARE(m_dovecot.messageCount(user), 0);

    static const QRegularExpression subject(QStringLiteral("\\nSubject: (corpus-\\d+)\\r?\\n"));
    int lost = 0, duplicated = 0, misrouted = 0, delivered = 0;
    QStringList report;
    for (const QString &u : m_users + QStringList{Quoted, Boss, QStringLiteral("postmaster")}) {
        QHash<QByteArray, int> got;
        for (const QByteArray &m : m_exim.messages(u)) {
            const QRegularExpressionMatch match = subject.match(QString::fromUtf8(m));
            got[match.captured(1).toUtf8()] += 1;
        }
        const QHash<QByteArray, int> want = corpus.expected.value(u);
        for (auto it = got.cbegin(); it != got.cend(); ++it) {
            delivered += it.value();
            if (!want.contains(it.key())) {
                misrouted += it.value();
                report << u + QStringLiteral(" got ") + QString::fromUtf8(it.key());
            } else if (it.value() > 1) {
                duplicated += it.value() - 1;
                report << u + QStringLiteral(" got twice ") + QString::fromUtf8(it.key());
            }
        }
        for (auto it = want.cbegin(); it != want.cend(); ++it) {
            if (!got.contains(it.key())) {
                ++lost;
                report << u + QStringLiteral(" lost ") + QString::fromUtf8(it.key());
            }
        }
    }
    qInfo("%lld copies in the mailbox; %d delivered; lost %d, duplicated %d, misrouted %d",
          qlonglong(corpus.copies.size()), delivered, lost, duplicated, misrouted);
    QVERIFY2(lost == 0 && duplicated == 0 && misrouted == 0,
             qPrintable(report.mid(0, 30).join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestCatchAllCorpus)
#include "tst_catchall_corpus.moc"
