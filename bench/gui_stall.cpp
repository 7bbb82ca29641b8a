// GUI responsiveness under load: the tray application's real classes (AppController with
// its tray, settings and activity windows, and the engine's worker threads) move a
// mailbox of N messages from a POP3 server to an SMTP server, while a timer on the GUI
// thread ticks every few milliseconds and records the largest gap between two ticks.
// Run by bench/run.sh against its Dovecot and SMTP receiver; prints one line
// "RESULT {json}" and exits 0 when every message was delivered.
#include "engine/Engine.h"
#include "secrets/SecretStore.h"
#include "ui/ActivityWindow.h"
#include "ui/AppController.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace pollux;

namespace {

constexpr int tickMs = 5;

class FixedSecretStore final : public SecretStore
{
public:
    explicit FixedSecretStore(QString secret) : m_secret(std::move(secret)) {}
    void read(const QString &, ReadCallback done) override
    {
        const QString secret = m_secret;
        QMetaObject::invokeMethod(
            QAbstractEventDispatcher::instance(),
            [done, secret] { done(Result::success(), secret); }, Qt::QueuedConnection);
    }
    void write(const QString &, const QString &, WriteCallback done) override
    {
        done(Result::success());
    }
    void remove(const QString &, WriteCallback done) override { done(Result::success()); }

private:
    QString m_secret;
};

// Records the largest interval between two ticks of a GUI-thread timer.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(tickMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double gap = double(now - m_last) / 1e6;
            m_last = now;
            m_max = qMax(m_max, gap);
            if (gap > 50.0)
                ++m_over50;
            ++m_ticks;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    double maxGapMs() const { return m_max; }
    int ticks() const { return m_ticks; }
    int over50() const { return m_over50; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_max = 0;
    int m_ticks = 0;
    int m_over50 = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QApplication qapp(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pollux.*.info=false"));
    QCommandLineParser parser;
    const QCommandLineOption pop3Port(QStringLiteral("pop3-port"), QString(), QStringLiteral("n"));
    const QCommandLineOption smtpPort(QStringLiteral("smtp-port"), QString(), QStringLiteral("n"));
    const QCommandLineOption user(QStringLiteral("user"), QString(), QStringLiteral("name"));
    const QCommandLineOption password(QStringLiteral("password"), QString(), QStringLiteral("pw"));
    const QCommandLineOption messages(QStringLiteral("messages"), QString(), QStringLiteral("n"));
    const QCommandLineOption noActivity(QStringLiteral("no-activity"));
    parser.addOptions({pop3Port, smtpPort, user, password, messages, noActivity});
    parser.process(qapp);
    const int expected = parser.value(messages).toInt();

    QTemporaryDir dir;
    AccountConfig account;
    account.name = parser.value(user);
    account.type = ServerType::Pop3;
    account.host = QStringLiteral("127.0.0.1");
    account.port = parser.value(pop3Port).toInt();
    account.username = parser.value(user);
    account.allowPlaintextLogin = true;
    account.recipient = QStringLiteral("rcpt@office.example");
    Config config;
    config.accounts << account;
    config.maxPerPass = 100000;
    config.smtp.host = QStringLiteral("127.0.0.1");
    config.smtp.port = parser.value(smtpPort).toInt();
    config.dataDir = dir.filePath(QStringLiteral("data"));
    const QString path = dir.filePath(QStringLiteral("pollux.json"));
    if (!config.save(path).ok())
        return 2;

    FixedSecretStore secrets(parser.value(password));
    ui::AppController::Options options;
    options.configPath = path;
    options.secrets = &secrets;
    options.engine.schedule = false;
    ui::AppController app(options);
    if (!app.loadConfig().ok())
        return 2;

    StallMeter meter;
    int delivered = 0;
    QElapsedTimer wall;
    QObject::connect(app.engine(), &Engine::delivered, &qapp, [&] {
        if (++delivered == expected)
            qapp.quit();
    });
    QObject::connect(app.engine(), &Engine::started, &qapp, [&] {
        if (!parser.isSet(noActivity))
            app.showActivity(); // the activity window follows every message while it moves
        meter.start();
        wall.start();
        app.engine()->pollNow();
    });
    QTimer::singleShot(10 * 60 * 1000, &qapp, [&] { qapp.exit(1); });
    app.start();
    const int status = qapp.exec();
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    std::printf("RESULT {\"max_gap_ms\": %.1f, \"ticks\": %d, \"gaps_over_50ms\": %d, "
                "\"delivered\": %d, \"seconds\": %.2f}\n",
                meter.maxGapMs(), meter.ticks(), meter.over50(), delivered, seconds);
    return status == 0 && delivered == expected ? 0 : 1;
}
