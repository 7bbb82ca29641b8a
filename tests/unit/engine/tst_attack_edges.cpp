// The outside review of issue 12's fixes: holes found by attacking them, each driven
// through the real DeliveryWorker (RoutingStage, OutcomeApplier, Store) against the
// scripted SMTP fake on 127.0.0.1.
#include "DeliveryFixture.h"
#include "unit/smtp/SmtpTestSupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::test;
using smtptest::hello;

namespace {

// One lockstep transaction from sender@example.com: each recipient with its RCPT reply,
// then DATA and its final reply (RCPT replies starting with '2' let DATA follow).
QStringList partial(const QList<QPair<QString, QString>> &rcpts)
{
    QStringList out{QStringLiteral("C: MAIL FROM:<sender@example.com>"),
                    QStringLiteral("S: 250 2.1.0 Ok")};
    for (const auto &[to, reply] : rcpts)
        out << QStringLiteral("C: RCPT TO:<%1>").arg(to) << QStringLiteral("S: ") + reply;
    out << QStringLiteral("C: DATA") << QStringLiteral("S: 354 go ahead")
        << QStringLiteral("C: <DATA>") << QStringLiteral("S: 250 2.0.0 queued");
    return out;
}

} // namespace

class TestAttackEdges : public DeliveryFixture
{
    Q_OBJECT

private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }

    // RFC 5321 4.5.3.1.10: a client with more recipients than the server takes in one
    // transaction "SHOULD be prepared to transmit in 100-recipient chunks". A server that
    // answers 452 past its limit took the message for the first ones; the rest must go in
    // the next transaction, not after the backoff - with the backoff growing per round
    // (4 hours from the sixth), 10,000 recipients at 100 a transaction took 16 days.
    void recipientsPastTheServersLimitGoAtOnce()
    {
        const QString a = QStringLiteral("a@example.org");
        const QString b = QStringLiteral("b@example.org");
        const QString c = QStringLiteral("c@example.org");
        QVERIFY(m_data->addMessage(Account, Uid, Message, {a, b, c}).ok());
        const QString tooMany = QStringLiteral("452 4.5.3 Too many recipients");
        m_server->setScript(
            hello({}) + partial({{a, QStringLiteral("250 2.1.5 Ok")}, {b, tooMany}, {c, tooMany}}) +
            partial({{b, QStringLiteral("250 2.1.5 Ok")}, {c, QStringLiteral("250 2.1.5 Ok")}}));
        startWorker();
        // The worker's retry interval is 300 s: the second transaction must not wait for it.
        QTRY_COMPARE_WITH_TIMEOUT(m_data->record(Account, Uid).state, DeliveryState::Delivered,
                                  10000);
        QCOMPARE(m_server->bodies().size(), 2); // a, then b and c: nobody twice
        QCOMPARE(m_server->errors(), QStringList());
    }

    // The same in one --once run (requestDrainReport): the run ends with everyone
    // delivered, not with the rest waiting for the next run.
    void recipientsPastTheServersLimitGoInTheSameRun()
    {
        const QString a = QStringLiteral("a@example.org");
        const QString b = QStringLiteral("b@example.org");
        const QString c = QStringLiteral("c@example.org");
        QVERIFY(m_data->addMessage(Account, Uid, Message, {a, b, c}).ok());
        const QString ok = QStringLiteral("250 2.1.5 Ok");
        const QString tooMany = QStringLiteral("452 4.5.3 Too many recipients");
        m_server->setScript(hello({}) + partial({{a, ok}, {b, tooMany}, {c, tooMany}}) +
                            partial({{b, ok}, {c, tooMany}}) + partial({{c, ok}}));
        DeliveryWorker *worker = startWorker();
        QSignalSpy drained(worker, &DeliveryWorker::drained);
        worker->requestDrainReport();
        QVERIFY(drained.wait(10000));
        QCOMPARE(drained.first().first().toBool(), true);
        QCOMPARE(m_data->record(Account, Uid).state, DeliveryState::Delivered);
        QCOMPARE(m_server->bodies().size(), 3); // a; b; c: nobody twice
        QCOMPARE(m_server->errors(), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestAttackEdges)
#include "tst_attack_edges.moc"
