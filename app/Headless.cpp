#include "Headless.h"
#include "ConfigCheck.h"
#include "Service.h"

#include "TerminalEcho.h"

#include "config/Config.h"
#include "control/ControlServer.h"
#include "engine/AccessTester.h"
#include "engine/Engine.h"
#include "engine/RouteDryRun.h"
#include "secrets/ChosenSecretStore.h"
#include "secrets/SecretStore.h"
#include "util/Clock.h"
#include "util/DataDirLock.h"
#include "util/FileLog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace pollux::app {

namespace {
int g_signalFd[2] = {-1, -1};

void onSignal(int signo)
{
    const char c = char(signo);
    [[maybe_unused]] ssize_t n = ::write(g_signalFd[1], &c, 1);
}

// SIGTERM/SIGINT end the event loop cleanly (threads joined, nothing half-written). The
// first one stops polling and new deliveries at once, but lets a reply the office server
// still owes for a message already sent arrive and be recorded (at most the final-reply
// wait, 10 minutes), so that the message is not sent twice. A second one stops at once: that
// message stays queued and may then reach the office server twice (logged).
// SIGHUP re-reads the configuration (Service::reload); --once ignores it (logged).
void installSignalHandlers(QCoreApplication &app, Service &service, bool once, bool *signalStop)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFd[0], QSocketNotifier::Read, &app);
    auto received = std::make_shared<int>(0);
    QObject::connect(notifier, &QSocketNotifier::activated, &app,
                     [&service, received, once, signalStop] {
                         char c;
                         if (::read(g_signalFd[0], &c, 1) != 1)
                             return;
                         if (c == SIGHUP && once) {
                             // One pass with the file as it was read; the next run reads it again.
                             qInfo("SIGHUP received: ignored by --once");
                             return;
                         }
                         if (c == SIGHUP) {
                             qInfo("SIGHUP received: reloading the configuration");
                             service.reload();
                             return;
                         }
                         *signalStop = true;
                         if (++*received == 1) {
                             qInfo("signal received, stopping (signal again to stop at once)");
                             service.stop(); // -> finished() -> exit
                         } else {
                             qWarning("second signal received, stopping at once");
                             service.stopNow();
                         }
                     });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
}

void err(const QString &text)
{
    fprintf(stderr, "pollux: %s\n", qPrintable(text));
}

// VmHWM of this process image (getrusage's maxrss would include the parent's memory
// copied at fork time, before exec).
long peakResidentKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

QString logPath(const Config &config)
{
    return config.logFile.isEmpty() ? Engine::dataDirectory(config) + QStringLiteral("/pollux.log")
                                    : config.logFile;
}

// What --once saw, for its exit status (ExitStatus in Headless.h).
struct OnceOutcome
{
    bool failed = false;  // a pass failed, a message was refused, the store failed
    bool waiting = false; // deferred by the office server, or left on the server (spool limit)
};

// The signals of the service's engine.
void wireEngine(Engine &engine, QCoreApplication &app, bool once, OnceOutcome *outcome,
                std::shared_ptr<QHash<QString, bool>> lastNeeded)
{
    QObject::connect(&engine, &Engine::storageError, &app, [&app, once, outcome](const Result &r) {
        err(r.message());
        outcome->failed = true;
        if (once)
            app.exit(kExitFailed);
    });
    QObject::connect(&engine, &Engine::passFinished, &app,
                     [outcome](const QString &, const Result &r, int) {
                         if (!r)
                             outcome->failed = true;
                     });
    QObject::connect(&engine, &Engine::quarantined, &app, [outcome] { outcome->failed = true; });
    QObject::connect(&engine, &Engine::deliveryError, &app,
                     [outcome](const Result &) { outcome->failed = true; });
    QObject::connect(&engine, &Engine::deferred, &app, [outcome] { outcome->waiting = true; });
    QObject::connect(&engine, &Engine::spoolLimitReached, &app,
                     [outcome] { outcome->waiting = true; });
    // OAuth2: a refused sign-in is said plainly, on stderr and in the log (the pass's own
    // error follows; --once exits 1 as for any failed pass); every other account goes on.
    // A refresh token about to expire is warned about ahead.
    QObject::connect(
        &engine, &Engine::signInState, &app,
        [lastNeeded](const QString &account, bool needed, const QDateTime &expiresAt,
                     const QString &detail) {
            const bool was = lastNeeded->value(account, false);
            lastNeeded->insert(account, needed);
            if (needed && !was) {
                const QString text =
                    QStringLiteral("account %1: sign-in needed, its mail waits on the server "
                                   "(%2); sign in with: pollux account signin %1")
                        .arg(account,
                             detail.isEmpty() ? QStringLiteral("no sign-in stored") : detail);
                err(text);
                qWarning("%s", qPrintable(text));
            } else if (!needed && was) {
                qInfo("account %s: signed in again", qPrintable(account));
            }
            if (!needed && expiresAt.isValid() &&
                expiresAt < QDateTime::currentDateTimeUtc().addDays(14))
                qWarning("account %s: the stored sign-in expires on %s; sign in again before "
                         "then (pollux account signin %s)",
                         qPrintable(account), qPrintable(expiresAt.toString(Qt::ISODate)),
                         qPrintable(account));
        });
    if (once) {
        QObject::connect(&engine, &Engine::onceFinished, &app, [&app, outcome](bool ok) {
            if (outcome->failed)
                app.exit(kExitFailed);
            else if (!ok || outcome->waiting)
                app.exit(kExitWaiting);
            else
                app.exit(kExitOk);
        });
    }
}
} // namespace

QString startLine(const QString &configPath, const Config &config, const QString &secrets)
{
    return QStringLiteral("pollux %1 starting: config %2, data folder %3, log %4, %5")
        .arg(QStringLiteral(POLLUX_VERSION), configPath, Engine::dataDirectory(config),
             logPath(config), secrets);
}

int runHeadless(const Invocation &inv)
{
    QCoreApplication &app = *QCoreApplication::instance();
    Config config;
    QStringList errors;
    if (!loadServiceConfig(inv.configPath, config, errors)) {
        for (const QString &line : errors)
            err(line); // each names the file and the field
        return kExitUsage;
    }
    ChosenSecretStore secrets(keychainService());
    Engine::Options options;
    options.schedule = !inv.once;
    if (inv.once)
        options.deliveryIdleCloseMs = 0;
    OnceOutcome outcome;
    auto lastNeeded = std::make_shared<QHash<QString, bool>>();
    Service service(inv.configPath, &secrets, options);
    wireEngine(*service.engine(), app, inv.once, &outcome, lastNeeded);
    // Before the log, the store or the spool are touched: a second Pollux on the same data
    // folder would deliver the same mail again and sweep away the first one's new files.
    {
        qint64 holder = 0;
        if (Result r = service.claim(config, &holder); !r) {
            err(r.message());
            if (holder == 0)
                return kExitUsage;
            err(QStringLiteral("stop that one first, or give this configuration its own dataDir"));
            return DataDirLock::kExitStatusInUse;
        }
    }
    if (!FileLog::install(logPath(config)))
        err(QStringLiteral("cannot write the log file %1").arg(logPath(config)));
    qInfo("%s", qPrintable(startLine(inv.configPath, config, secrets.describe())));
    if (!inv.configNote.isEmpty())
        qWarning("%s", qPrintable(inv.configNote));
    bool signalStop = false;
    installSignalHandlers(app, service, inv.once, &signalStop);
    QObject::connect(&service, &Service::finished, &app, [&app, &inv, &signalStop] {
        // A stop asked for (SIGTERM, SIGINT) is a clean stop: whatever is queued stays in
        // the spool for the next start. --once cut short did not do its job: 1.
        if (inv.once && signalStop)
            app.exit(kExitFailed);
        else if (signalStop)
            app.exit(kExitOk);
        else
            app.exit(kExitFailed); // the engine could not go on (a reload that failed)
    });

    // A reload that names another log file (or data folder) moves the log there.
    QString currentLog = logPath(config);
    QObject::connect(&service, &Service::reloaded, &app, [&service, &currentLog](const Result &r) {
        const QString next = logPath(service.config());
        if (!r || next == currentLog)
            return;
        qInfo("reload: the log continues in %s", qPrintable(next));
        if (FileLog::install(next))
            currentLog = next;
        else
            err(QStringLiteral("cannot write the log file %1").arg(next));
    });
    if (Result r = service.start(config); !r) {
        err(r.message());
        return kExitUsage;
    }
    if (inv.once)
        service.engine()->runOnce();
    // The control socket (docs/SERVICE.md): the tray and `pollux status` attach here. Only
    // for a service (see serviceSocketPath()), not for --once; a socket that cannot be made
    // is logged, and the service runs on without it.
    std::unique_ptr<control::ControlServer> controlServer;
    const QString socketPath = control::ControlServer::serviceSocketPath();
    if (!inv.once && !socketPath.isEmpty()) {
        control::ControlServer::Hooks hooks;
        hooks.config = [&service] { return service.config(); };
        hooks.check = [&service](const Config &next) { return service.canReloadWith(next); };
        hooks.reload = [&service](const Config &next) { return service.reloadWith(next); };
        control::ControlServer::Options controlOptions;
        controlOptions.socketPath = socketPath;
        controlOptions.configPath = inv.configPath;
        controlServer =
            std::make_unique<control::ControlServer>(service.engine(), hooks, controlOptions);
        if (Result r = controlServer->listen(); !r) {
            qWarning("control socket %s: %s", qPrintable(socketPath), qPrintable(r.message()));
            controlServer.reset();
        } else {
            qInfo("control socket: %s", qPrintable(socketPath));
            control::ControlServer *server = controlServer.get();
            // A SIGHUP's or a "put config"'s: the new accounts are in use now.
            QObject::connect(&service, &Service::reloaded, server, [server](const Result &r) {
                if (r)
                    server->configurationReloaded();
            });
        }
    }
    const int rc = app.exec();
    controlServer.reset();
    service.engine()->stop();
    const long peak = peakResidentKib();
    if (peak > 0)
        qInfo("stopped; peak resident memory %ld KiB", peak);
    FileLog::uninstall();
    return rc;
}

int runPasswordSet(const Invocation &inv)
{
    Config config;
    if (Result r = Config::load(inv.configPath, config); !r) {
        err(QStringLiteral("%1: %2").arg(inv.configPath, r.message()));
        return 2;
    }
    QString key;
    if (inv.smtp) {
        key = secretKey(SecretKind::Smtp);
    } else if (inv.ldap) {
        key = secretKey(SecretKind::Ldap);
    } else {
        if (!config.account(inv.account)) {
            err(QStringLiteral("no account named \"%1\" in %2").arg(inv.account, inv.configPath));
            return 2;
        }
        key = secretKey(SecretKind::Account, inv.account);
    }
    return storeTypedSecret(key, QStringLiteral("Password"));
}

int storeTypedSecret(const QString &key, const QString &what)
{
    QByteArray line;
    const QByteArray prompt = QStringLiteral("%1 for %2: ").arg(what, key).toLocal8Bit();
    if (!readSecretLine(prompt.constData(), line)) {
        err(QStringLiteral("cannot read standard input"));
        return 2;
    }
    if (line.isEmpty()) {
        err(QStringLiteral("no %1 given on standard input").arg(what.toLower()));
        return 2;
    }
    ChosenSecretStore secrets(keychainService());
    if (Result r = secrets.writeSync(key, QString::fromUtf8(line)); !r) {
        err(r.message());
        return 1;
    }
    fprintf(stderr, "%s for %s stored in the keychain.\n", qPrintable(what), qPrintable(key));
    return 0;
}

} // namespace pollux::app

namespace pollux::app {

namespace {

// What to do about a failed test, when the error says more than the message: pinning only
// for a certificate that was refused (a certificate presented is also one that was trusted),
// the command that stores a missing password.
void printAdvice(const AccessTester::Outcome &o, const Invocation &inv)
{
    if (o.result.code() == ErrorCode::Tls && !o.presentedFingerprint.isEmpty()) {
        fprintf(stderr,
                "The server presented a certificate with SHA-256 fingerprint %s; to trust "
                "it, set \"pinnedFingerprint\" of the account.\n",
                qPrintable(o.presentedFingerprint));
    }
    if (o.result.code() == ErrorCode::Secrets &&
        o.result.message().contains(QLatin1String("no password stored for account/"))) {
        QString command =
            passwordSetCommand(secretKey(SecretKind::Account, inv.account), keychainService());
        if (inv.configPath != defaultConfigPath()) {
            QString path = inv.configPath;
            path.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
            command += QStringLiteral(" --config '%1'").arg(path);
        }
        fprintf(stderr, "No password is stored for account \"%s\". Store it with:\n    %s\n",
                qPrintable(inv.account), qPrintable(command));
    }
    if (o.result.code() == ErrorCode::SignInNeeded)
        fprintf(stderr, "Sign in again with:\n    pollux account signin %s\n",
                qPrintable(inv.account));
}

} // namespace

int runAccountTest(const Invocation &inv)
{
    Config config;
    if (!loadValidConfig(inv.configPath, config)) // the whole file, as a pass would see it
        return 2;
    const AccountConfig *account = config.account(inv.account);
    if (!account) {
        err(QStringLiteral("no account named \"%1\" in %2").arg(inv.account, inv.configPath));
        return 2;
    }
    QList<QSslCertificate> cas;
    if (Result r = Engine::loadCaCertificates(config, cas); !r) {
        err(r.message());
        return 2;
    }
    ChosenSecretStore secrets(keychainService());
    AccessTester tester(&secrets);
    int status = 1;
    QObject::connect(&tester, &AccessTester::finished, QCoreApplication::instance(),
                     [&status, &inv](const AccessTester::Outcome &o) {
                         if (o.result.ok()) {
                             printf("OK: %d messages (%lld bytes) waiting\n", o.messages,
                                    static_cast<long long>(o.bytes));
                             status = 0;
                         } else {
                             err(o.result.message());
                             printAdvice(o, inv);
                             status = 1;
                         }
                         QCoreApplication::exit(status);
                     });
    tester.start(*account, cas);
    QCoreApplication::exec();
    return status;
}

// Reads the newest messages' headers without changing the mailbox and prints where each
// would go. Exit status 0 when the mailbox could be read, 1 when not, 2 for a bad config.
int runAccountRoute(const Invocation &inv)
{
    Config config;
    if (!loadValidConfig(inv.configPath, config)) // the whole file, as a pass would see it
        return 2;
    if (!config.account(inv.account)) {
        err(QStringLiteral("no account named \"%1\" in %2").arg(inv.account, inv.configPath));
        return 2;
    }
    ChosenSecretStore secrets(keychainService());
    RouteDryRun dryRun(&secrets, Clock::system());
    int status = 1;
    QObject::connect(
        &dryRun, &RouteDryRun::finished, QCoreApplication::instance(),
        [&status, &inv, &dryRun](const Result &r, const QList<routing::DryRunResult> &results) {
            if (!r) {
                err(r.message());
                status = 1;
            } else {
                printf("Dry run of %s: %d messages, nothing delivered, nothing "
                       "changed on the server\n",
                       qPrintable(inv.account), int(results.size()));
                for (const routing::DryRunResult &one : results)
                    fputs(qPrintable(routing::describe(one)), stdout);
                // Which envelope header this provider writes, which hosts
                // form its trace: the proposal for the account's settings.
                fputs(qPrintable(routing::describe(dryRun.detection())), stdout);
                status = 0;
            }
            QCoreApplication::exit(status);
        });
    dryRun.start(config, inv.account, inv.limit);
    QCoreApplication::exec();
    return status;
}

} // namespace pollux::app
