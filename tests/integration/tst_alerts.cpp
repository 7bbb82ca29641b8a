// Alerts by e-mail end to end: a real Dovecot mailbox refusing the stored password and the
// real test SMTP server (SmtpSink) as the office server. A mailbox failing past a short
// threshold gives one alert (not two within the day, not again after a restart), and a
// recovered mail once it works again; the office server down and then back gives one mail,
// through it, with the outage's start and end.
#include "EngineRun.h"
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/DovecotServer.h"
#include "support/FreePort.h"
#include "support/SmtpSink.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Store.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString kStaff = QStringLiteral("staff@office.example.com");
const QString kPostmaster = QStringLiteral("postmaster@office.example.com");
const QString kExtra = QStringLiteral("it@service.example.net");

QByteArray headerOf(const QByteArray &data, const QByteArray &name)
{
    const QByteArray key = "\r\n" + name + ": ";
    const qsizetype at = data.indexOf(key);
    if (at < 0)
        return {};
    // With its continuation lines (a folded header), unfolded.
    const qsizetype start = at + key.size();
    qsizetype end = data.indexOf("\r\n", start);
    while (end >= 0 && end + 2 < data.size() &&
           (data.at(end + 2) == ' ' || data.at(end + 2) == '\t'))
        end = data.indexOf("\r\n", end + 2);
    QByteArray value = data.mid(start, end - start);
    value.replace("\r\n", "");
    return value;
}

// A header's text with its RFC 2047 encoded words (=?UTF-8?B?...?=) decoded; the white
// space between two encoded words is dropped, as the RFC says.
QString decodedHeader(const QByteArray &value)
{
    static const QRegularExpression word(
        QStringLiteral("=\\?UTF-8\\?([BbQq])\\?([^?]*)\\?=(\\s+(?==\\?))?"));
    const QString text = QString::fromLatin1(value);
    QByteArray out;
    qsizetype last = 0;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += text.mid(last, m.capturedStart() - last).toUtf8();
        const QByteArray payload = m.captured(2).toLatin1();
        if (m.captured(1).compare(QLatin1String("B"), Qt::CaseInsensitive) == 0) {
            out += QByteArray::fromBase64(payload);
        } else {
            QByteArray q = payload;
            q.replace('_', ' ');
            out += QByteArray::fromPercentEncoding(q, '=');
        }
        last = m.capturedEnd();
    }
    out += text.mid(last).toUtf8();
    return QString::fromUtf8(out);
}

QString bodyOf(const QByteArray &data)
{
    const QByteArray qp = data.mid(data.indexOf("\r\n\r\n") + 4);
    QByteArray out;
    for (qsizetype i = 0; i < qp.size(); ++i) {
        if (qp.at(i) != '=') {
            out += qp.at(i);
        } else if (qp.mid(i + 1, 2) == "\r\n") {
            i += 2;
        } else {
            out += char(qp.mid(i + 1, 2).toInt(nullptr, 16));
            i += 2;
        }
    }
    return QString::fromUtf8(out.replace("\r\n", "\n"));
}

QList<ReceivedMessage> alertsIn(const SmtpSink &sink)
{
    QList<ReceivedMessage> out;
    for (const ReceivedMessage &m : sink.messages()) {
        if (!headerOf(m.data, "X-Pollux-Alert").isEmpty())
            out << m;
    }
    return out;
}
} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void failingMailboxOnceThenRecovered();
    void officeServerDownThenBack();

private:
    Config makeConfig(const QString &user, quint16 smtpPort);

    DovecotServer m_dovecot;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    int m_seq = 0;
};

void TestAlerts::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
}

Config TestAlerts::makeConfig(const QString &user, quint16 smtpPort)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.host = QStringLiteral("127.0.0.1");
    a.port = m_dovecot.pop3Port();
    a.username = user;
    a.allowPlaintextLogin = true;
    a.timeoutSecs = 30;
    a.recipient = kStaff;
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = smtpPort;
    c.smtp.timeoutSecs = 10;
    c.smtp.retryIntervalSecs = 120;
    c.postmaster = kPostmaster;
    c.alerts.extraAddress = kExtra;
    c.alerts.failingThresholdMinutes = 30;
    c.language = QStringLiteral("en");
    c.dataDir = m_dir.filePath(user);
    return c;
}

void TestAlerts::failingMailboxOnceThenRecovered()
{
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = QStringLiteral("alerted");
    QVERIFY(m_dovecot.addUser(user, QStringLiteral("right")));
    QVERIFY(m_dovecot.deliver(user, makeMessage(++m_seq, 2000)));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("wrong"));
    const Config config = makeConfig(user, sink.port());
    ManualClock clock(QDateTime::currentDateTimeUtc());
    const QDateTime began = clock.now();
    {
        Engine engine(&m_secrets, &clock);
        QVERIFY(engine.start(config, {false, 0}).ok());
        bool ok = true;
        QVERIFY(runOnce(engine, ok));
        QVERIFY(!ok);
        clock.advance(20 * 60);
        QVERIFY(runOnce(engine, ok));
        QCOMPARE(alertsIn(sink).size(), 0); // 20 minutes: below the threshold
        clock.advance(15 * 60);
        QVERIFY(runOnce(engine, ok));
        QVERIFY(sink.waitForMessages(1));
        clock.advance(60 * 60);
        QVERIFY(runOnce(engine, ok)); // an hour later, still failing: once a day
    }
    QList<ReceivedMessage> alerts = alertsIn(sink);
    QCOMPARE(alerts.size(), 1);
    const ReceivedMessage &a = alerts.first();
    QCOMPARE(a.from, QStringLiteral("<>")); // the null sender: no bounce can loop
    QCOMPARE(a.recipients, (QStringList{kPostmaster, kExtra}));
    QCOMPARE(headerOf(a.data, "X-Pollux-Alert"), QByteArray("failing"));
    QCOMPARE(headerOf(a.data, "Auto-Submitted"), QByteArray("auto-generated"));
    QCOMPARE(headerOf(a.data, "From"), "Pollux <" + kPostmaster.toUtf8() + ">");
    QVERIFY(!headerOf(a.data, "Message-ID").isEmpty());
    QVERIFY(!headerOf(a.data, "Date").isEmpty());
    const QString since =
        QLocale(QStringLiteral("en")).toString(began.toLocalTime().time(), QStringLiteral("HH:mm"));
    QVERIFY2(QString::fromUtf8(headerOf(a.data, "Subject"))
                     .startsWith(QStringLiteral("Pollux: mailbox 'alerted' failing since ")) &&
                 QString::fromUtf8(headerOf(a.data, "Subject")).endsWith(since),
             headerOf(a.data, "Subject").constData());
    const QString body = bodyOf(a.data);
    QVERIFY2(body.contains(QStringLiteral("Last error: The server refused the user name or "
                                          "password.")),
             qPrintable(body));
    // Dovecot's own words, apart from the translated sentence.
    QVERIFY2(body.contains(QStringLiteral("\nThe server said: ")) &&
                 body.contains(QStringLiteral("-ERR [AUTH] Authentication failed")) &&
                 body.count(QStringLiteral("server said"), Qt::CaseInsensitive) == 1,
             qPrintable(body));
    QVERIFY(m_dovecot.messageCount(user) == 1); // nothing collected meanwhile

    // The password fixed, a new start (the state was kept): no repeat, a recovered mail.
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("right"));
    clock.advance(10 * 60);
    {
        Engine engine(&m_secrets, &clock);
        QVERIFY(engine.start(config, {false, 0}).ok());
        bool ok = false;
        QVERIFY(runOnce(engine, ok));
        QVERIFY(ok);
        QVERIFY(sink.waitForMessages(3)); // the collected message and the recovered mail
        QVERIFY(runOnce(engine, ok));
        QCOMPARE(alertsIn(sink).size(), 2);
        engine.sendTestAlert(); // the General page's button
        QVERIFY(sink.waitForMessages(4));
    }
    alerts = alertsIn(sink);
    QCOMPARE(alerts.size(), 3);
    QCOMPARE(headerOf(alerts[2].data, "Subject"), QByteArray("Pollux: test alert"));
    QCOMPARE(headerOf(alerts[1].data, "X-Pollux-Alert"), QByteArray("failing-recovered"));
    QCOMPARE(headerOf(alerts[1].data, "Subject"),
             QByteArray("Pollux: mailbox 'alerted' works again"));
    QCOMPARE(sink.messages().size(), 4);
}

void TestAlerts::officeServerDownThenBack()
{
    SmtpSink sink;
    QString error;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString user = QStringLiteral("officedown");
    QVERIFY(m_dovecot.addUser(user, QStringLiteral("pw")));
    QVERIFY(m_dovecot.deliver(user, makeMessage(++m_seq, 2000)));
    m_secrets.set(QStringLiteral("account/") + user, QStringLiteral("pw"));
    const quint16 closed = freePort(); // nothing listens there: the office server is down
    QVERIFY(closed != 0);
    Config config = makeConfig(user, closed);
    config.language = QStringLiteral("de");
    ManualClock clock(QDateTime::currentDateTimeUtc());
    const QDateTime start = clock.now();
    {
        Engine engine(&m_secrets, &clock);
        QSignalSpy failed(&engine, &Engine::deliveryError);
        QVERIFY(engine.start(config, {false, 0}).ok());
        bool ok = true;
        for (int i = 0; i < 3; ++i) { // down for an hour and a half, tried again and again
            QVERIFY(runOnce(engine, ok));
            QVERIFY(!ok);
            if (i == 0) {
                // The tracker (on the delivery thread) hears of the failure through this
                // thread: the clock moves on only once it has noted the outage's start.
                Store probe(Engine::databasePath(config), nullptr);
                QVERIFY(probe.open().ok());
                QVERIFY(QTest::qWaitFor(
                    [&probe] {
                        QList<Store::AlertState> states;
                        if (!probe.alertStates(states).ok())
                            return false;
                        for (const Store::AlertState &st : std::as_const(states)) {
                            if (st.condition == QLatin1String("office") && st.active)
                                return true;
                        }
                        return false;
                    },
                    10000));
            }
            clock.advance(30 * 60);
        }
        QVERIFY(failed.size() >= 3);
    }
    QCOMPARE(m_dovecot.messageCount(user), 0); // collected, waiting in the spool
    config.smtp.port = sink.port();            // back
    const QDateTime end = clock.now();
    {
        Engine engine(&m_secrets, &clock);
        QVERIFY(engine.start(config, {false, 0}).ok());
        bool ok = false;
        QVERIFY(runOnce(engine, ok));
        QVERIFY(ok);
        QVERIFY(sink.waitForMessages(2)); // the waiting message, then the outage mail
        clock.advance(60);
        QVERIFY(runOnce(engine, ok));
    }
    const QList<ReceivedMessage> alerts = alertsIn(sink);
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(sink.messages().size(), 2);
    const ReceivedMessage &a = alerts.first();
    QCOMPARE(headerOf(a.data, "X-Pollux-Alert"), QByteArray("office"));
    QCOMPARE(headerOf(a.data, "Content-Language"), QByteArray("de"));
    QCOMPARE(a.recipients, (QStringList{kPostmaster, kExtra}));
    const QLocale de(QStringLiteral("de"));
    const auto hhmm = [&de](const QDateTime &t) {
        return de.toString(t.toLocalTime().time(), QStringLiteral("HH:mm"));
    };
    const QString subject = decodedHeader(headerOf(a.data, "Subject"));
    // The outage's start and end in the subject, in German.
    QVERIFY2(subject.startsWith(QStringLiteral("Pollux: Büro-Mailserver war von ")),
             qPrintable(subject));
    QVERIFY2(subject.contains(hhmm(start)) && subject.contains(hhmm(end)), qPrintable(subject));
    const QString body = bodyOf(a.data);
    // The dates in German (QLocale), e.g. "Mittwoch, 2. Dezember 2026".
    QVERIFY2(body.contains(de.toString(start.toLocalTime().date(), QLocale::LongFormat)),
             qPrintable(body));
    // The text in German (translations/pollux_de.ts).
    QVERIFY2(body.contains(QStringLiteral("nicht an den Büro-Mailserver zustellen")),
             qPrintable(body));
    QVERIFY2(body.contains(QStringLiteral("refused")) ||
                 body.contains(QStringLiteral("verweigert")),
             qPrintable(body));
}

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
