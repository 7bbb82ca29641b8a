// The crash test: `pollux --headless --once` against real Dovecot (POP3-SSL and IMAP-SSL)
// and the real SMTP sink, killed with SIGKILL at a random moment, restarted and let finish.
// Then every generated message (by its X-Pollux-Seq header) must be delivered exactly once,
// or still on the server, or waiting in the spool: never lost. A duplicate is allowed only
// for a kill between the office server's final 250 and our commit of that fact, and is
// counted and checked against that window (sink file time vs. kill time vs. the store).
//
//   POLLUX_CRASH_TRIALS  number of trials (default 20; the long run uses 200)
//   POLLUX_CRASH_SEED    the random seed (default: the time; always printed)
//   POLLUX_CRASH_REPORT  a file to write the figures to (key=value lines)
#include "integration/MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/PolluxBinary.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "store/Store.h"
#include "util/Clock.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
// Whether a TCP connection to local `port` is open on the server's side: ESTABLISHED (01)
// or CLOSE_WAIT (08) in /proc/net/tcp and tcp6 (hex, as the kernel writes them).
bool openConnectionsTo(quint16 port)
{
    const QString hexPort = QStringLiteral("%1").arg(port, 4, 16, QLatin1Char('0')).toUpper();
    for (const char *file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f{QString::fromLatin1(file)};
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (const QByteArray &line : lines) {
            const QList<QByteArray> cols = line.simplified().split(' ');
            if (cols.size() < 4 || (cols.at(3) != "01" && cols.at(3) != "08"))
                continue;
            const QList<QByteArray> local = cols.at(1).split(':');
            if (local.size() == 2 && QString::fromLatin1(local.at(1)) == hexPort)
                return true;
        }
    }
    return false;
}
} // namespace

namespace {
// Under the asan preset: OpenSSL's objects reported at exit are suppressed (lsan.supp).
QString lsanOptions()
{
    if (!qEnvironmentVariableIsEmpty("LSAN_OPTIONS"))
        return qEnvironmentVariable("LSAN_OPTIONS");
    return QStringLiteral("suppressions=") + qEnvironmentVariable("POLLUX_SOURCE_DIR") +
           QStringLiteral("/tests/crash/lsan.supp:print_suppressions=0");
}
} // namespace

namespace {
const QString kPassword = QStringLiteral("Crash#pass-9931-unique");
const QString kAccount = QStringLiteral("Crash");
constexpr int kMessages = 6;

QByteArray seqOf(const QByteArray &data)
{
    static const QRegularExpression re(QStringLiteral("X-Pollux-Seq: (\\d+)\r\n"));
    const auto m = re.match(QString::fromLatin1(data.left(4096)));
    return m.hasMatch() ? m.captured(1).toLatin1() : QByteArray();
}

QString uidOf(const QByteArray &data) // from our trace header: "... id <uid>;"
{
    static const QRegularExpression re(QStringLiteral("\\) id ([^;\\s]+);"));
    const auto m = re.match(QString::fromLatin1(data.left(1024)));
    return m.hasMatch() ? m.captured(1) : QString();
}

struct Delivery
{
    QByteArray data;
    qint64 receivedMs = 0; // the sink's file time: before its 250 went out
};
} // namespace

class TestCrash : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void killAtRandomMoments();

private:
    QString writeConfig(int trial, bool imap, const QString &user);
    QProcess *startPollux(const QString &config);
    int runToEnd(const QString &config, QByteArray *err);
    QList<Delivery> takeDeliveries();
    qint64 calibrate(bool imap);

    DovecotServer m_dovecot;
    std::unique_ptr<SmtpSink> m_sink;
    QTemporaryDir m_dir;
    QString m_service;
    QString m_passwordConfig;
};

void TestCrash::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run the suite with deploy/test.sh");
    QVERIFY2(QFile::exists(polluxBinary()), qPrintable(polluxBinary()));
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    QString error;
    QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    m_sink = std::make_unique<SmtpSink>();
    QVERIFY2(m_sink->start(&error), qPrintable(error));
    m_service = QStringLiteral("pollux-crash-%1").arg(QCoreApplication::applicationPid());
    // Every trial uses the account name "Crash" (one keychain entry, one password).
    m_passwordConfig = writeConfig(0, false, QStringLiteral("calib0"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("LSAN_OPTIONS"), lsanOptions());
    p.setProcessEnvironment(env);
    p.start(polluxBinary(), {QStringLiteral("password"), QStringLiteral("set"), kAccount,
                             QStringLiteral("--config"), m_passwordConfig});
    QVERIFY(p.waitForStarted(10000));
    p.write(kPassword.toUtf8() + '\n');
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
}

void TestCrash::cleanupTestCase()
{
    if (m_sink)
        QVERIFY(m_sink->stop());
    QVERIFY(m_dovecot.stop());
}

QString TestCrash::writeConfig(int trial, bool imap, const QString &user)
{
    m_dovecot.addUser(user, kPassword);
    Config c;
    AccountConfig a;
    a.name = kAccount;
    a.type = imap ? ServerType::ImapSsl : ServerType::Pop3Ssl;
    a.host = QStringLiteral("127.0.0.1");
    a.port = imap ? m_dovecot.imapsPort() : m_dovecot.pop3sPort();
    a.username = user;
    a.timeoutSecs = 30;
    a.recipient = QStringLiteral("boss@office.example.com");
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = m_sink->port();
    c.smtp.timeoutSecs = 30;
    c.smtp.retryIntervalSecs = 60;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = m_dir.filePath(QStringLiteral("data-%1").arg(trial));
    c.caFile = TestCa::instance().caCertPath();
    const QString path = m_dir.filePath(QStringLiteral("trial-%1.json").arg(trial));
    return c.save(path).ok() ? path : QString();
}

QProcess *TestCrash::startPollux(const QString &config)
{
    auto *p = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"), m_service);
    env.insert(QStringLiteral("LSAN_OPTIONS"), lsanOptions());
    env.remove(QStringLiteral("POLLUX_TRANSCRIPT_DIR")); // transcripts off
    p->setProcessEnvironment(env);
    p->start(polluxBinary(), {QStringLiteral("--headless"), QStringLiteral("--once"),
                              QStringLiteral("--config"), config});
    return p;
}

int TestCrash::runToEnd(const QString &config, QByteArray *err)
{
    std::unique_ptr<QProcess> p(startPollux(config));
    if (!p->waitForFinished(120000)) {
        p->kill();
        p->waitForFinished();
        return -2;
    }
    if (err)
        *err = p->readAllStandardError();
    return p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -3;
}

QList<Delivery> TestCrash::takeDeliveries()
{
    QList<Delivery> out;
    const QDir dir(m_sink->directory());
    for (const QFileInfo &fi :
         dir.entryInfoList({QStringLiteral("msg-*.json")}, QDir::Files, QDir::Name)) {
        QFile f(fi.filePath());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        out.append({QByteArray::fromBase64(o.value(QStringLiteral("data")).toString().toLatin1()),
                    fi.lastModified().toMSecsSinceEpoch()});
    }
    m_sink->clear();
    return out;
}

// One uninterrupted run: how long a pass takes, so kills land anywhere within it.
qint64 TestCrash::calibrate(bool imap)
{
    const QString user = imap ? QStringLiteral("calib-imap") : QStringLiteral("calib-pop3");
    for (int i = 0; i < kMessages; ++i)
        m_dovecot.deliver(user, makeMessage(900000 + i, 2000 + i * 5000));
    const QString config = writeConfig(imap ? 9001 : 9000, imap, user);
    QElapsedTimer t;
    t.start();
    QByteArray err;
    const int status = runToEnd(config, &err);
    const qint64 ms = t.elapsed();
    if (status != 0 || takeDeliveries().size() != kMessages) {
        qWarning("calibration run failed (%d): %s", status, err.right(2000).constData());
        return -1;
    }
    return ms;
}

void TestCrash::killAtRandomMoments()
{
    const int trials = qEnvironmentVariableIsEmpty("POLLUX_CRASH_TRIALS")
                           ? 20
                           : qEnvironmentVariableIntValue("POLLUX_CRASH_TRIALS");
    const quint32 seed = qEnvironmentVariableIsEmpty("POLLUX_CRASH_SEED")
                             ? quint32(QDateTime::currentMSecsSinceEpoch())
                             : quint32(qEnvironmentVariable("POLLUX_CRASH_SEED").toUInt());
    qInfo("crash test: %d trials, seed %u (POLLUX_CRASH_SEED=%u repeats it)", trials, seed, seed);
    QRandomGenerator rng(seed);
    const qint64 expected[2] = {calibrate(false), calibrate(true)};
    QVERIFY(expected[0] > 0 && expected[1] > 0);
    qInfo("expected run time: POP3 %lld ms, IMAP %lld ms", expected[0], expected[1]);

    int generated = 0, deliveredOnce = 0, lost = 0, duplicates = 0, dupInWindow = 0;
    int duplicatedMessages = 0, onServer = 0, inSpool = 0, killedEarly = 0, finishedBeforeKill = 0,
        extraRuns = 0;
    QByteArray crashOutput;
    for (int t = 1; t <= trials; ++t) {
        const bool imap = t % 2 == 0;
        const QString user = QStringLiteral("crash%1").arg(t);
        QHash<QByteArray, QByteArray> originals; // seq -> message
        for (int i = 0; i < kMessages; ++i) {
            const int seq = t * 100 + i;
            const QByteArray m = makeMessage(seq, 1000 + qint64(rng.bounded(60000)), seed);
            originals.insert(QByteArray::number(seq), m);
            QVERIFY(m_dovecot.deliver(user, m));
        }
        generated += kMessages;
        const QString config = writeConfig(t, imap, user);
        QVERIFY(!config.isEmpty());

        // Kill somewhere within the expected run time (startup included).
        const int delay = int(rng.bounded(quint32(expected[imap ? 1 : 0] * 11 / 10)));
        std::unique_ptr<QProcess> p(startPollux(config));
        QVERIFY(p->waitForStarted(10000));
        qint64 killMs = 0;
        if (p->waitForFinished(delay)) {
            ++finishedBeforeKill;
        } else {
            killMs = QDateTime::currentMSecsSinceEpoch();
            p->kill(); // SIGKILL, to this PID only
            QVERIFY(p->waitForFinished(10000));
            if (p->exitStatus() == QProcess::CrashExit) {
                ++killedEarly;
            } else { // it exited just before the signal
                killMs = 0;
                ++finishedBeforeKill;
            }
        }
        crashOutput += p->readAllStandardError();
        p.reset();
        // A message whose end went out before the kill is stored by the sink a moment
        // after it: let the sink finish with the killed connection before the restart, so
        // that a copy from the killed run is told from the restart's by its time. The sink
        // is done with it once the kernel shows no connection to its port still open
        // (established, or closed by the killed side and not yet by the sink).
        if (killMs > 0)
            QTRY_VERIFY_WITH_TIMEOUT(!openConnectionsTo(m_sink->port()), 10000);

        // Restart and let it finish (a second run if the first leaves work, e.g. a pass
        // that was refused because the server still saw the killed session).
        QByteArray err;
        const qint64 restartMs = QDateTime::currentMSecsSinceEpoch();
        int status = runToEnd(config, &err);
        for (int again = 0; status != 0 && again < 2; ++again) {
            ++extraRuns;
            status = runToEnd(config, &err);
        }
        QVERIFY2(status == 0, err.right(3000).constData());

        Config loaded;
        QVERIFY(Config::load(config, loaded).ok());
        Store store(Engine::databasePath(loaded), Clock::system());
        QVERIFY(store.open().ok());
        QList<MessageRecord> records;
        QVERIFY(store.messages(QString(), records).ok());
        QHash<QString, MessageRecord> byUid;
        for (const MessageRecord &r : std::as_const(records))
            byUid.insert(r.uid, r);

        QHash<QByteArray, QList<Delivery>> got;
        for (const Delivery &d : takeDeliveries())
            got[seqOf(d.data)].append(d);
        QSet<QByteArray> stillOnServer;
        for (const QByteArray &m : m_dovecot.messages(user))
            stillOnServer.insert(seqOf(m));
        QSet<QByteArray> waiting;
        for (const MessageRecord &r : std::as_const(records)) {
            if (r.state != DeliveryState::Waiting && r.state != DeliveryState::Deferred)
                continue;
            QFile f(Engine::spoolDirectory(loaded) + QLatin1Char('/') + r.spoolPath);
            if (f.open(QIODevice::ReadOnly))
                waiting.insert(seqOf(f.read(64 * 1024)));
        }

        for (auto it = originals.cbegin(); it != originals.cend(); ++it) {
            const QList<Delivery> copies = got.value(it.key());
            for (const Delivery &d : copies)
                QVERIFY2(withoutTrace(d.data) == it.value(),
                         qPrintable(QStringLiteral("trial %1 seq %2: delivered content differs")
                                        .arg(t)
                                        .arg(QString::fromLatin1(it.key()))));
            if (copies.size() == 1) {
                ++deliveredOnce;
            } else if (copies.size() > 1) {
                ++duplicatedMessages;
                duplicates += copies.size() - 1;
                // In the window: the first copy came from the killed run (the sink had it
                // before the restart began; under load the sink may store a message whose
                // end was sent before the kill a little after it), and our record of
                // delivery was only committed after the kill (by the restart).
                const MessageRecord r = byUid.value(uidOf(copies.last().data));
                const bool inWindow =
                    killMs > 0 && copies.size() == 2 && copies.first().receivedMs < restartMs &&
                    r.deliveredAt.isValid() && r.deliveredAt.toMSecsSinceEpoch() >= killMs;
                qInfo("trial %d seq %s: duplicate (%s the 250-to-commit window; first copy "
                      "%lld ms after the kill, restart %lld ms after it, recorded %lld ms "
                      "after it)",
                      t, it.key().constData(), inWindow ? "within" : "OUTSIDE",
                      copies.first().receivedMs - killMs, restartMs - killMs,
                      r.deliveredAt.isValid() ? r.deliveredAt.toMSecsSinceEpoch() - killMs : 0);
                dupInWindow += inWindow ? copies.size() - 1 : 0;
            } else if (stillOnServer.contains(it.key())) {
                ++onServer;
            } else if (waiting.contains(it.key())) {
                ++inSpool;
            } else {
                ++lost;
                qWarning("trial %d seq %s: LOST (kill after %d ms, %s)", t, it.key().constData(),
                         delay, imap ? "IMAP" : "POP3");
            }
        }
    }

    const QString summary =
        QStringLiteral("trials=%1\nseed=%2\ngenerated=%3\ndelivered_once=%4\nlost=%5\n"
                       "duplicates=%6\nduplicates_in_window=%7\nstill_on_server=%8\n"
                       "waiting_in_spool=%9\nkilled=%10\nfinished_before_kill=%11\n"
                       "extra_recovery_runs=%12\n")
            .arg(trials)
            .arg(seed)
            .arg(generated)
            .arg(deliveredOnce)
            .arg(lost)
            .arg(duplicates)
            .arg(dupInWindow)
            .arg(onServer)
            .arg(inSpool)
            .arg(killedEarly)
            .arg(finishedBeforeKill)
            .arg(extraRuns);
    qInfo().noquote() << QStringLiteral("crash test figures:\n") + summary;
    if (!qEnvironmentVariableIsEmpty("POLLUX_CRASH_REPORT")) {
        QFile report(qEnvironmentVariable("POLLUX_CRASH_REPORT"));
        if (report.open(QIODevice::WriteOnly | QIODevice::Truncate))
            report.write(summary.toUtf8());
    }
    // The password never shows in what a killed run printed.
    QVERIFY(!crashOutput.contains(kPassword.toUtf8()));
    QCOMPARE(lost, 0);
    QCOMPARE(dupInWindow, duplicates); // every duplicate within the stated window
    QCOMPARE(deliveredOnce + duplicatedMessages + onServer + inSpool + lost, generated);
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
