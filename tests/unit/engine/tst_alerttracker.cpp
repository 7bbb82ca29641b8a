// AlertTracker against a real Store and Spool in a temporary directory, with a manual
// clock: the threshold, at most once a day, recovered mails, the state across a restart,
// one mail per office server outage (none while it is down), and the mail's form.
#include "EngineTestSupport.h"

#include "engine/AlertMessage.h"
#include "engine/AlertTracker.h"

#include <QSignalSpy>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString kPostmaster = QStringLiteral("postmaster@office.example");
const QString kExtra = QStringLiteral("admin@elsewhere.example");

Result authFailed()
{
    return Result::failure(ErrorCode::AuthFailed, QStringLiteral("-ERR [AUTH] Invalid login"));
}

QByteArray decodeQuotedPrintable(const QByteArray &in)
{
    QByteArray out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c != '=') {
            out += c;
            continue;
        }
        if (in.mid(i + 1, 2) == "\r\n") {
            i += 2;
            continue;
        }
        out += char(in.mid(i + 1, 2).toInt(nullptr, 16));
        i += 2;
    }
    return out;
}

struct Mail
{
    MessageRecord record;
    QByteArray raw;
    QByteArray header;
    QString subject;
    QString body;
};
} // namespace

class TestAlertTracker : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void failingPastThreshold();
    void failingOnceADayWithReminder();
    void recoveredOnlyAfterAnAlert();
    void stateSurvivesRestart();
    void signInNeededAndRecovered();
    void quarantineOncePerDayNotForOurOwn();
    void spoolLimitAndRoom();
    void officeOutageOneMailWhenBack();
    void officeShortOutageNoMail();
    void noAddressNoMail();
    void removedAccountEndsQuietly();
    void testAlertEveryTime();
    void crashBeforeStateSavedMakesNoSecond();
    void mailForm();
    void quotedPrintableRoundTrip_data();
    void quotedPrintableRoundTrip();

private:
    std::unique_ptr<AlertTracker> makeTracker();
    QList<Mail> mails();

    std::unique_ptr<DataDir> m_data;
    Config m_config;
};

void TestAlertTracker::init()
{
    m_data = std::make_unique<DataDir>();
    QVERIFY(m_data->open().ok());
    m_config = Config();
    m_config.postmaster = kPostmaster;
    m_config.alerts.extraAddress = kExtra;
    m_config.language = QStringLiteral("en");
    m_config.smtp.heloName = QStringLiteral("pollux.office.example");
    for (const QString &name :
         {QStringLiteral("office"), QStringLiteral("other"), QStringLiteral("m365"),
          QStringLiteral("second"), QStringLiteral("Büro")}) {
        AccountConfig a;
        a.name = name;
        m_config.accounts << a;
    }
    // 09:00 local time, so that "since 09:00" reads the same wherever the test runs.
    const QDateTime nine(QDate(2026, 1, 5), QTime(9, 0), Qt::LocalTime);
    m_data->clock.advance(m_data->clock.now().secsTo(nine));
}

void TestAlertTracker::cleanup()
{
    m_data.reset();
}

std::unique_ptr<AlertTracker> TestAlertTracker::makeTracker()
{
    AlertTracker::Settings s;
    s.config = m_config;
    s.databasePath = m_data->databasePath();
    s.spoolDir = m_data->spoolDir();
    s.tickMs = 0;
    auto t = std::make_unique<AlertTracker>(s, &m_data->clock);
    if (!t->start().ok())
        return nullptr;
    return t;
}

QList<Mail> TestAlertTracker::mails()
{
    QList<Mail> out;
    for (const MessageRecord &r : m_data->records(QString())) {
        if (r.kind != MessageKind::Alert)
            continue;
        Mail m;
        m.record = r;
        m.raw = m_data->readSpoolFile(r.spoolPath);
        const qsizetype end = m.raw.indexOf("\r\n\r\n");
        m.header = m.raw.left(end + 2);
        const qsizetype at = m.header.indexOf("\r\nSubject: ");
        m.subject =
            QString::fromUtf8(m.header.mid(at + 11, m.header.indexOf("\r\n", at + 2) - at - 11));
        m.body = QString::fromUtf8(decodeQuotedPrintable(m.raw.mid(end + 4)).replace("\r\n", "\n"));
        out << m;
    }
    return out;
}

void TestAlertTracker::failingPastThreshold()
{
    auto t = makeTracker();
    QVERIFY(t);
    QSignalSpy queued(t.get(), &AlertTracker::queued);
    t->passFinished(QStringLiteral("office"), authFailed());
    m_data->clock.advance(119 * 60);
    t->passFinished(QStringLiteral("office"), authFailed());
    t->evaluate();
    QCOMPARE(mails().size(), 0); // 1 h 59 min: not yet
    m_data->clock.advance(60);
    t->passFinished(QStringLiteral("office"), authFailed());
    const QList<Mail> m = mails();
    QCOMPARE(m.size(), 1);
    QCOMPARE(queued.count(), 1);
    QCOMPARE(m[0].record.account, QStringLiteral("office"));
    QCOMPARE(m[0].record.recipients, (QStringList{kPostmaster, kExtra}));
    QCOMPARE(m[0].record.state, DeliveryState::Waiting);
    QCOMPARE(m[0].subject, QStringLiteral("Pollux: mailbox 'office' failing since 09:00"));
    QVERIFY2(m[0].body.contains(QStringLiteral("Last error: The server refused the user name or "
                                               "password. (code: authentication failed)")),
             qPrintable(m[0].body));
    QVERIFY2(m[0].body.contains(QStringLiteral("\nThe server said: -ERR [AUTH] Invalid login\n")),
             qPrintable(m[0].body));
    QVERIFY(m[0].body.contains(QStringLiteral("Test access")));
}

void TestAlertTracker::failingOnceADayWithReminder()
{
    auto t = makeTracker();
    QVERIFY(t);
    t->passFinished(QStringLiteral("office"), authFailed());
    m_data->clock.advance(2 * 3600);
    t->passFinished(QStringLiteral("office"), authFailed());
    QCOMPARE(mails().size(), 1);
    for (int i = 0; i < 23 * 12; ++i) { // a pass every 5 minutes for 23 hours
        m_data->clock.advance(300);
        t->passFinished(QStringLiteral("office"), authFailed());
        t->evaluate();
    }
    QCOMPARE(mails().size(), 1);
    // Another mailbox is a condition of its own.
    t->passFinished(QStringLiteral("other"), authFailed());
    m_data->clock.advance(3600);
    t->evaluate(); // 24 h since the first alert, no pass needed: the reminder
    const QList<Mail> m = mails();
    QCOMPARE(m.size(), 2);
    QCOMPARE(m[1].record.account, QStringLiteral("office"));
    QVERIFY(m[1].subject.contains(QStringLiteral("failing since 5 Jan 09:00")));
    QCOMPARE(t->state(QStringLiteral("failing"), QStringLiteral("office")).sent, 2);
}

void TestAlertTracker::recoveredOnlyAfterAnAlert()
{
    auto t = makeTracker();
    QVERIFY(t);
    // A short failure: no alert, so no recovered mail either.
    t->passFinished(QStringLiteral("office"), authFailed());
    m_data->clock.advance(600);
    t->passFinished(QStringLiteral("office"), Result::success());
    QCOMPARE(mails().size(), 0);
    QVERIFY(!t->state(QStringLiteral("failing"), QStringLiteral("office")).active);
    // A long one: the alert, then the recovered mail, once.
    t->passFinished(QStringLiteral("office"),
                    Result::failure(ErrorCode::ConnectionRefused,
                                    QStringLiteral("127.0.0.1:1 refused the connection")));
    m_data->clock.advance(3 * 3600);
    t->passFinished(QStringLiteral("office"),
                    Result::failure(ErrorCode::ConnectionRefused,
                                    QStringLiteral("127.0.0.1:1 refused the connection")));
    QCOMPARE(mails().size(), 1);
    QVERIFY(mails()[0].body.contains(QStringLiteral("\nDetails: 127.0.0.1:1 refused")));
    QVERIFY(!mails()[0].body.contains(QStringLiteral("The server said")));
    m_data->clock.advance(300);
    t->passFinished(QStringLiteral("office"), Result::success());
    t->passFinished(QStringLiteral("office"), Result::success());
    const QList<Mail> m = mails();
    QCOMPARE(m.size(), 2);
    QCOMPARE(m[1].subject, QStringLiteral("Pollux: mailbox 'office' works again"));
    QVERIFY(m[1].header.contains("X-Pollux-Alert: failing-recovered\r\n"));
    // Failing again the same day: past the threshold, but once a day holds it back.
    t->passFinished(QStringLiteral("office"), authFailed());
    m_data->clock.advance(3 * 3600);
    t->passFinished(QStringLiteral("office"), authFailed());
    QCOMPARE(mails().size(), 2);
    t->passFinished(QStringLiteral("office"), Result::success()); // not mailed: no recovered
    QCOMPARE(mails().size(), 2);
}

void TestAlertTracker::stateSurvivesRestart()
{
    {
        auto t = makeTracker();
        QVERIFY(t);
        t->passFinished(QStringLiteral("office"), authFailed());
        m_data->clock.advance(2 * 3600);
        t->passFinished(QStringLiteral("office"), authFailed());
        t->deliveryError(Result::failure(ErrorCode::ConnectionRefused, QStringLiteral("down")));
        QCOMPARE(mails().size(), 1);
    }
    m_data->clock.advance(3600);
    auto t = makeTracker();
    QVERIFY(t);
    const Store::AlertState s = t->state(QStringLiteral("failing"), QStringLiteral("office"));
    QVERIFY(s.active);
    QCOMPARE(s.sent, 1);
    t->passFinished(QStringLiteral("office"), authFailed());
    t->evaluate();
    QCOMPARE(mails().size(), 1); // no repeat after the restart
    t->passFinished(QStringLiteral("office"), Result::success());
    QCOMPARE(mails().size(), 2); // the recovered mail: it knew an alert had gone
    // The office outage that began before the restart ends after it, with its start.
    t->delivered(QStringLiteral("office"), QStringLiteral("uid-1"));
    const QList<Mail> m = mails();
    QCOMPARE(m.size(), 3);
    QVERIFY2(m[2].subject.contains(QStringLiteral("unreachable 11:00 to 12:00")),
             qPrintable(m[2].subject));
}

void TestAlertTracker::signInNeededAndRecovered()
{
    auto t = makeTracker();
    QVERIFY(t);
    t->signInState(QStringLiteral("m365"), false, QString()); // every start says it: nothing
    QCOMPARE(mails().size(), 0);
    t->signInState(QStringLiteral("m365"), true, QStringLiteral("invalid_grant: AADSTS70008"));
    QCOMPARE(mails().size(), 1);
    QCOMPARE(mails()[0].subject, QStringLiteral("Pollux: sign-in needed for 'm365'"));
    QVERIFY(
        mails()[0].body.contains(QStringLiteral("The server said: invalid_grant: AADSTS70008")));
    // The account's passes report it too: no "failing" mail on top.
    t->passFinished(QStringLiteral("m365"),
                    Result::failure(ErrorCode::SignInNeeded, QStringLiteral("sign in again")));
    m_data->clock.advance(3 * 3600);
    t->passFinished(QStringLiteral("m365"),
                    Result::failure(ErrorCode::SignInNeeded, QStringLiteral("sign in again")));
    t.reset();
    t = makeTracker(); // a restart reports the stored state again
    t->signInState(QStringLiteral("m365"), true, QStringLiteral("invalid_grant: AADSTS70008"));
    t->evaluate();
    QCOMPARE(mails().size(), 1);
    m_data->clock.advance(21 * 3600);
    t->evaluate(); // 24 h later and still waiting: the reminder
    QCOMPARE(mails().size(), 2);
    t->signInState(QStringLiteral("m365"), false, QString());
    QCOMPARE(mails().size(), 3);
    QCOMPARE(mails()[2].subject, QStringLiteral("Pollux: 'm365' is signed in again"));
}

void TestAlertTracker::quarantineOncePerDayNotForOurOwn()
{
    auto t = makeTracker();
    QVERIFY(t);
    // A notice or alert of ours refused by the office server is no alert (no loop).
    t->quarantined(QStringLiteral("office"), QStringLiteral("uid-1 #quarantine"),
                   QStringLiteral("554 no"), QStringLiteral("BADMAIL"));
    t->quarantined(QStringLiteral("office"), QStringLiteral("alert #failing-1-1"),
                   QStringLiteral("554 no"), QStringLiteral("BADMAIL"));
    QCOMPARE(mails().size(), 0);
    t->quarantined(QStringLiteral("office"), QStringLiteral("uid-7"),
                   QStringLiteral("552 5.3.4 Message too big"), QStringLiteral("TOOLARGE"));
    t->quarantined(QStringLiteral("office"), QStringLiteral("uid-8"),
                   QStringLiteral("552 5.3.4 Message too big"), QStringLiteral("TOOLARGE"));
    QCOMPARE(mails().size(), 1);
    QVERIFY(mails()[0].body.contains(QStringLiteral("The server said: 552 5.3.4 Message too big")));
    QVERIFY(mails()[0].body.contains(QStringLiteral("(TOOLARGE)")));
    t->quarantined(QStringLiteral("second"), QStringLiteral("uid-9"), QStringLiteral("554 x"),
                   QStringLiteral("BADMAIL"));
    QCOMPARE(mails().size(), 2); // per account
    m_data->clock.advance(24 * 3600);
    t->quarantined(QStringLiteral("office"), QStringLiteral("uid-10"), QStringLiteral("554 x"),
                   QStringLiteral("BADMAIL"));
    QCOMPARE(mails().size(), 3);
}

void TestAlertTracker::spoolLimitAndRoom()
{
    m_config.spoolLimitMiB = 10;
    auto t = makeTracker();
    QVERIFY(t);
    const qint64 limit = 10 * 1024 * 1024;
    QVERIFY(m_data
                ->addMessage(QStringLiteral("office"), QStringLiteral("big"),
                             QByteArray(int(limit), 'x'), {QStringLiteral("a@office.example")})
                .ok());
    t->spoolLimitReached(QStringLiteral("office"), 3, limit, limit);
    t->spoolLimitReached(QStringLiteral("office"), 4, limit, limit);
    t->evaluate(); // still full
    QCOMPARE(mails().size(), 1);
    QCOMPARE(mails()[0].subject, QStringLiteral("Pollux: mail queue full"));
    QCOMPARE(mails()[0].record.account, QString());
    QVERIFY(mails()[0].body.contains(QStringLiteral("3 new message(s) left")));
    const MessageRecord big = m_data->record(QStringLiteral("office"), QStringLiteral("big"));
    QVERIFY(m_data->store().markDelivered(big.id, QStringLiteral("250 ok")).ok());
    t->delivered(QStringLiteral("office"), QStringLiteral("big"));
    QCOMPARE(mails().size(), 2);
    QCOMPARE(mails()[1].subject, QStringLiteral("Pollux: mail queue has room again"));
}

void TestAlertTracker::officeOutageOneMailWhenBack()
{
    auto t = makeTracker();
    QVERIFY(t);
    for (int i = 0; i < 12; ++i) { // down for an hour, retried every 5 minutes
        t->deliveryError(Result::failure(ErrorCode::ConnectionRefused,
                                         QStringLiteral("127.0.0.1:25 refused the connection")));
        m_data->clock.advance(300);
        t->evaluate();
    }
    QCOMPARE(mails().size(), 0); // nothing is queued while it is down
    t->delivered(QStringLiteral("office"), QStringLiteral("uid-1"));
    t->delivered(QStringLiteral("office"), QStringLiteral("uid-2"));
    const QList<Mail> m = mails();
    QCOMPARE(m.size(), 1);
    QCOMPARE(m[0].subject,
             QStringLiteral("Pollux: office mail server was unreachable 09:00 to 10:00"));
    QVERIFY(m[0].body.contains(QStringLiteral("Details: 127.0.0.1:25 refused the connection")));
    QCOMPARE(m[0].record.account, QString());
    // A second outage the same day: once a day.
    t->deliveryError(Result::failure(ErrorCode::Timeout, QStringLiteral("timeout")));
    m_data->clock.advance(3600);
    t->delivered(QStringLiteral("office"), QStringLiteral("uid-3"));
    QCOMPARE(mails().size(), 1);
    QVERIFY(!t->state(QStringLiteral("office")).active);
}

void TestAlertTracker::officeShortOutageNoMail()
{
    auto t = makeTracker();
    QVERIFY(t);
    t->deliveryError(Result::failure(ErrorCode::Timeout, QStringLiteral("timeout")));
    m_data->clock.advance(14 * 60);
    t->delivered(QStringLiteral("office"), QStringLiteral("uid-1"));
    QCOMPARE(mails().size(), 0);
    QVERIFY(!t->state(QStringLiteral("office")).active);
}

void TestAlertTracker::noAddressNoMail()
{
    m_config.postmaster.clear();
    m_config.alerts.extraAddress.clear();
    auto t = makeTracker();
    QVERIFY(t);
    t->passFinished(QStringLiteral("office"), authFailed());
    m_data->clock.advance(3 * 3600);
    t->passFinished(QStringLiteral("office"), authFailed());
    t->quarantined(QStringLiteral("office"), QStringLiteral("u"), QString(), QString());
    QCOMPARE(mails().size(), 0);
    QCOMPARE(t->state(QStringLiteral("failing"), QStringLiteral("office")).sent, 0);
}

void TestAlertTracker::removedAccountEndsQuietly()
{
    for (const char *name : {"kept", "gone"}) {
        AccountConfig a;
        a.name = QString::fromLatin1(name);
        m_config.accounts << a;
    }
    {
        auto t = makeTracker();
        QVERIFY(t);
        t->passFinished(QStringLiteral("kept"), authFailed());
        t->passFinished(QStringLiteral("gone"), authFailed());
        m_data->clock.advance(2 * 3600);
        t->evaluate();
        QCOMPARE(mails().size(), 2);
    }
    m_config.accounts.removeLast();
    m_data->clock.advance(25 * 3600);
    auto t = makeTracker();
    QVERIFY(t);
    QVERIFY(!t->state(QStringLiteral("failing"), QStringLiteral("gone")).active);
    QVERIFY(t->state(QStringLiteral("failing"), QStringLiteral("kept")).active);
    const QList<Mail> m = mails(); // start() evaluated: the reminder for "kept" only
    QCOMPARE(m.size(), 3);
    QCOMPARE(m[2].record.account, QStringLiteral("kept"));
}

void TestAlertTracker::testAlertEveryTime()
{
    auto t = makeTracker();
    QVERIFY(t);
    QVERIFY(t->sendTest());
    m_data->clock.advance(1);
    QVERIFY(t->sendTest()); // the admin asked: not held back by once a day
    const QList<Mail> m = mails();
    QCOMPARE(m.size(), 2);
    QCOMPARE(m[0].subject, QStringLiteral("Pollux: test alert"));
    QVERIFY(m[0].header.contains("X-Pollux-Alert: test\r\n"));
    m_config.postmaster.clear();
    m_config.alerts.extraAddress.clear();
    auto none = makeTracker();
    QVERIFY(!none->sendTest());
}

// Killed after the alert was recorded but before its state was: the UID of the episode's
// first alert is known, so the restarted tracker does not make it again.
void TestAlertTracker::crashBeforeStateSavedMakesNoSecond()
{
    Store::AlertState before;
    {
        auto t = makeTracker();
        QVERIFY(t);
        t->passFinished(QStringLiteral("office"), authFailed());
        before = t->state(QStringLiteral("failing"), QStringLiteral("office"));
        QCOMPARE(before.sent, 0);
        m_data->clock.advance(2 * 3600);
        t->passFinished(QStringLiteral("office"), authFailed());
        QCOMPARE(mails().size(), 1);
    }
    QVERIFY(m_data->store().saveAlertState(before).ok()); // the state as before the alert
    auto t = makeTracker();
    QVERIFY(t);
    // start() evaluated: the alert is due again, its UID is known, nothing new is made.
    QCOMPARE(mails().size(), 1);
    QCOMPARE(t->state(QStringLiteral("failing"), QStringLiteral("office")).sent, 1);
    t->passFinished(QStringLiteral("office"), authFailed());
    QCOMPARE(mails().size(), 1);
}

void TestAlertTracker::mailForm()
{
    m_config.alerts.from = QStringLiteral("pollux@office.example");
    auto t = makeTracker();
    QVERIFY(t);
    t->signInState(QStringLiteral("Büro"), true, QString());
    const QList<Mail> m = mails();
    QCOMPARE(m.size(), 1);
    const QByteArray &h = m[0].header;
    QVERIFY(m[0].raw.startsWith("Return-Path: <>\r\n")); // the null sender: no bounce loop
    QVERIFY(h.contains("\r\nFrom: Pollux <pollux@office.example>\r\n"));
    QVERIFY(h.contains("\r\nTo: <postmaster@office.example>, <admin@elsewhere.example>\r\n"));
    QVERIFY(h.contains("\r\nAuto-Submitted: auto-generated\r\n"));
    QVERIFY(h.contains("\r\nMessage-ID: <"));
    QVERIFY(h.contains("@pollux.office.example>\r\n"));
    QVERIFY(h.contains("\r\nDate: Mon, 05 Jan 2026 09:00:00 "));
    QVERIFY(h.contains("\r\nSubject: =?UTF-8?B?")); // the umlaut, encoded
    QVERIFY(h.contains("\r\nContent-Transfer-Encoding: quoted-printable\r\n"));
    QVERIFY(h.contains("\r\nContent-Language: en\r\n"));
    for (const QByteArray &line : m[0].raw.split('\n'))
        QVERIFY(line.size() <= 78);
    QVERIFY(m[0].body.contains(QStringLiteral("'Büro'")));
}

void TestAlertTracker::quotedPrintableRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QStringLiteral("Hello\nworld\n");
    QTest::newRow("umlauts") << QStringLiteral("Postfach 'Büro' fällt aus = schlecht\n");
    QTest::newRow("long-line") << QString(300, QLatin1Char('a')) + QStringLiteral("ä\n");
    QTest::newRow("trailing-space") << QStringLiteral("end \nnext\t\n");
    QTest::newRow("dot-line") << QStringLiteral(".\n..\nFrom me\n");
}

void TestAlertTracker::quotedPrintableRoundTrip()
{
    QFETCH(QString, text);
    const QByteArray qp = alertmail::quotedPrintable(text.toUtf8());
    for (const QByteArray &line : qp.split('\n')) {
        QVERIFY(line.size() <= 77); // 76 + the CR
        QVERIFY(!line.endsWith(" \r") && !line.endsWith("\t\r"));
    }
    for (const char c : qp)
        QVERIFY(static_cast<unsigned char>(c) < 0x80);
    QByteArray decoded = decodeQuotedPrintable(qp);
    decoded.replace("\r\n", "\n");
    QCOMPARE(QString::fromUtf8(decoded), text);
}

QTEST_GUILESS_MAIN(TestAlertTracker)
#include "tst_alerttracker.moc"
