// CircuitBreakerDirectory: a directory that does not answer is not asked again for a while
// (the retry interval, doubled per failed probe, bounded); one probe when it half-opens.
#include "routing/Directory.h"
#include "util/Clock.h"

#include <QTest>

#include <atomic>

using namespace pollux;
using namespace pollux::routing;

Q_DECLARE_METATYPE(pollux::ErrorCode)

namespace {

class TestClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::fromMSecsSinceEpoch(m_ms, Qt::UTC); }
    void advance(qint64 secs) { m_ms += secs * 1000; }

private:
    std::atomic<qint64> m_ms{
        QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch()};
};

// Answers every address with `status` (and `error` when Unavailable); counts its calls.
class ScriptedDirectory final : public RecipientDirectory
{
public:
    DirectoryStatus status = DirectoryStatus::Known;
    ErrorCode error = ErrorCode::Timeout;
    int calls = 0;
    DirectoryAnswer lookup(const QString &) override
    {
        DirectoryAnswer a;
        a.status = status;
        a.error = status == DirectoryStatus::Unavailable ? error : ErrorCode::None;
        a.detail = QStringLiteral("scripted");
        return a;
    }
    QList<DirectoryAnswer> lookupAll(const QStringList &addresses) override
    {
        ++calls;
        return RecipientDirectory::lookupAll(addresses);
    }
};

const QStringList Two = {QStringLiteral("a@office.example"), QStringLiteral("b@office.example")};

} // namespace

class TestCircuitBreaker : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void opensWhenUnavailable_data();
    void opensWhenUnavailable();
    void probeClosesWhenAnswered();
    void failedProbeDoublesUpToTheBound();
    void cancelledLookupDoesNotOpen();
    void clockGoneBackEndsTheWait();
    void cachedAnswersStillCountWhileOpen();

private:
    TestClock m_clock;
    ScriptedDirectory *m_inner = nullptr;
    std::unique_ptr<CircuitBreakerDirectory> m_breaker;
};

void TestCircuitBreaker::init()
{
    auto inner = std::make_unique<ScriptedDirectory>();
    m_inner = inner.get();
    m_breaker = std::make_unique<CircuitBreakerDirectory>(std::move(inner), 300, &m_clock, 1200);
}

void TestCircuitBreaker::opensWhenUnavailable_data()
{
    QTest::addColumn<ErrorCode>("error");
    QTest::newRow("timeout") << ErrorCode::Timeout;
    QTest::newRow("connection-refused") << ErrorCode::Network;
    QTest::newRow("bind-refused") << ErrorCode::AuthFailed;
    QTest::newRow("tls") << ErrorCode::Tls;
}

// Unavailable once: for the next 300 s every lookup is answered at once, Unavailable, with
// the reason that opened it, and the directory is not asked.
void TestCircuitBreaker::opensWhenUnavailable()
{
    QFETCH(ErrorCode, error);
    m_inner->status = DirectoryStatus::Unavailable;
    m_inner->error = error;
    QCOMPARE(m_breaker->lookupAll(Two).value(1).status, DirectoryStatus::Unavailable);
    QCOMPARE(m_inner->calls, 1);
    QVERIFY(m_breaker->isOpen());
    m_inner->status = DirectoryStatus::Known; // it would answer now: it is not asked
    for (int i = 0; i < 5; ++i) {
        m_clock.advance(50);
        const QList<DirectoryAnswer> answers = m_breaker->lookupAll(Two);
        QCOMPARE(answers.size(), 2);
        QCOMPARE(answers.at(0).status, DirectoryStatus::Unavailable);
        QCOMPARE(answers.at(0).error, error);
        QVERIFY2(answers.at(0).detail.contains(QLatin1String("not asked until")),
                 qPrintable(answers.at(0).detail));
    }
    QCOMPARE(m_inner->calls, 1);
}

void TestCircuitBreaker::probeClosesWhenAnswered()
{
    m_inner->status = DirectoryStatus::Unavailable;
    (void)m_breaker->lookupAll(Two);
    m_clock.advance(300);
    QVERIFY(!m_breaker->isOpen());
    m_inner->status = DirectoryStatus::Known;
    QCOMPARE(m_breaker->lookupAll(Two).value(0).status, DirectoryStatus::Known); // the probe
    QCOMPARE(m_inner->calls, 2);
    QCOMPARE(m_breaker->failures(), 0);
    (void)m_breaker->lookupAll(Two);
    QCOMPARE(m_inner->calls, 3); // closed: asked every time
}

// 300 s, then 600 s, then the bound of 1200 s, and it stays there.
void TestCircuitBreaker::failedProbeDoublesUpToTheBound()
{
    m_inner->status = DirectoryStatus::Unavailable;
    (void)m_breaker->lookupAll(Two);
    const QList<int> periods = {300, 600, 1200, 1200};
    int calls = 1;
    for (const int period : periods) {
        m_clock.advance(period - 1);
        (void)m_breaker->lookupAll(Two);
        QCOMPARE(m_inner->calls, calls); // still open one second before the end
        m_clock.advance(1);
        (void)m_breaker->lookupAll(Two); // half-open: the one probe, which fails
        QCOMPARE(m_inner->calls, ++calls);
        (void)m_breaker->lookupAll(Two);
        QCOMPARE(m_inner->calls, calls); // open again at once
    }
}

// A lookup cut short by a stop says nothing about the directory.
void TestCircuitBreaker::cancelledLookupDoesNotOpen()
{
    m_inner->status = DirectoryStatus::Unavailable;
    m_inner->error = ErrorCode::Cancelled;
    (void)m_breaker->lookupAll(Two);
    QVERIFY(!m_breaker->isOpen());
    (void)m_breaker->lookupAll(Two);
    QCOMPARE(m_inner->calls, 2);
}

// A clock set back while open does not keep the directory shut for the difference.
void TestCircuitBreaker::clockGoneBackEndsTheWait()
{
    m_inner->status = DirectoryStatus::Unavailable;
    (void)m_breaker->lookupAll(Two);
    m_clock.advance(-86400);
    QVERIFY(!m_breaker->isOpen());
    (void)m_breaker->lookupAll(Two);
    QCOMPARE(m_inner->calls, 2);
}

// The cache sits in front of the breaker: an answer it remembers counts while it is open.
void TestCircuitBreaker::cachedAnswersStillCountWhileOpen()
{
    auto inner = std::make_unique<ScriptedDirectory>();
    ScriptedDirectory *scripted = inner.get();
    CachedDirectory cached(
        std::make_unique<CircuitBreakerDirectory>(std::move(inner), 300, &m_clock), 3600, &m_clock);
    QCOMPARE(cached.lookup(QStringLiteral("a@office.example")).status, DirectoryStatus::Known);
    scripted->status = DirectoryStatus::Unavailable;
    QCOMPARE(cached.lookup(QStringLiteral("b@office.example")).status,
             DirectoryStatus::Unavailable); // opens
    const QList<DirectoryAnswer> answers = cached.lookupAll(Two);
    QCOMPARE(answers.at(0).status, DirectoryStatus::Known);
    QCOMPARE(answers.at(1).status, DirectoryStatus::Unavailable);
    QCOMPARE(scripted->calls, 2);
}

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
