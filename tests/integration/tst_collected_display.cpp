// From and Subject recorded when a message is collected (schema 9), end to end: a real
// Dovecot, the engine, a real SMTP server. Delivered messages keep what the activity
// window shows of them; hostile headers are collected and delivered verbatim all the same.
#include "EngineRun.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/ActivityQueries.h"
#include "store/Store.h"

#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace pollux;
using namespace pollux::test;

class TestCollectedDisplay : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void deliveredMessagesKeepFromAndSubject();

private:
    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
};

void TestCollectedDisplay::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    QVERIFY(m_dir.isValid());
}

void TestCollectedDisplay::cleanupTestCase()
{
    QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

void TestCollectedDisplay::deliveredMessagesKeepFromAndSubject()
{
    const QString user = QStringLiteral("display");
    m_dovecot.addUser(user, QStringLiteral("pw-display"));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("pw-display"));

    QByteArray filler; // 600 KB of header before From and Subject: beyond what is read
    for (int i = 0; filler.size() < 600 * 1024; ++i)
        filler += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(900, 'f') + "\r\n";
    struct Sample
    {
        QByteArray content;
        QString from;
        QString subject;
    };
    const QList<Sample> samples = {
        {"From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.org>\r\nTo: office@example.com\r\n"
         "Subject: =?utf-8?b?R3LDvMOfZSBhdXMgS8O2bG4=?=\r\nMessage-ID: <d1@example.org>\r\n\r\n"
         "Hallo\r\n",
         QStringLiteral("Jörg Müller <joerg@example.org>"), QStringLiteral("Grüße aus Köln")},
        {"From: =?utf-8?b?!!!?= <x@example.org>\r\nTo: office@example.com\r\n"
         "Subject: =?x-bogus?q?=FF=00?= =?utf-8?q?=1B[2J?= =?\r\nMessage-ID: <d2@example.org>\r\n"
         "\r\nGarbage words\r\n",
         QString(), QString()}, // shown as whatever is printable; checked below
        {filler + "From: late@example.org\r\nSubject: late\r\nMessage-ID: <d3@example.org>\r\n"
                  "\r\nA big header\r\n",
         QString(), QString()},
    };
    for (const Sample &s : samples)
        QVERIFY(m_dovecot.deliver(user, s.content));

    Config c;
    AccountConfig a;
    a.name = user;
    a.type = ServerType::Pop3;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.mailbox = MailboxType::SingleUser;
    a.recipient = QStringLiteral("desk@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.smtp.timeoutSecs = 30;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(user);

    {
        Engine engine(&m_secrets, nullptr);
        QVERIFY(engine.start(c, {false, 0}).ok());
        bool ok = false;
        QVERIFY(runOnce(engine, &ok));
        QVERIFY(ok);
    }
    // Delivered verbatim, each once.
    const QList<ReceivedMessage> got = m_sink->messages();
    QCOMPARE(got.size(), samples.size());
    for (const Sample &s : samples) {
        int found = 0;
        for (const ReceivedMessage &m : got)
            found += withoutTrace(m.data) == s.content ? 1 : 0;
        QCOMPARE(found, 1);
    }

    Store store(Engine::databasePath(c), Clock::system());
    QVERIFY(store.open().ok());
    QList<MessageRecord> records;
    QVERIFY(store.messages(user, records).ok());
    QCOMPARE(records.size(), samples.size());
    QHash<QString, MessageRecord> bySubject;
    for (const MessageRecord &r : std::as_const(records)) {
        QCOMPARE(r.state, DeliveryState::Delivered);
        QVERIFY(r.from.size() <= 200);
        QVERIFY(r.subject.size() <= 200);
        for (const QString &text : {r.from, r.subject}) {
            for (const QChar ch : text)
                QVERIFY2(ch.unicode() >= 0x20 && ch.unicode() != 0x7f, qPrintable(text));
        }
        bySubject.insert(r.subject, r);
    }
    QVERIFY(bySubject.contains(samples.at(0).subject));
    QCOMPARE(bySubject.value(samples.at(0).subject).from, samples.at(0).from);
    QVERIFY(bySubject.contains(QString())); // the big header: nothing shown

    // The window's chart: three collected and three delivered today.
    ActivityQueries queries(Engine::databasePath(c));
    QVERIFY(queries.open().ok());
    ActivityHistory h;
    QVERIFY(queries
                .history(QDate::currentDate(), QTimeZone::systemTimeZone(),
                         ActivityQueries::kHistoryDays, h)
                .ok());
    QCOMPARE(h.totals(user).collected, 3);
    QCOMPARE(h.totals(user).delivered, 3);
    QCOMPARE(h.totals(user).refused, 0);
}

QTEST_GUILESS_MAIN(TestCollectedDisplay)
#include "tst_collected_display.moc"
