#include "Cli.h"

#include "secrets/ChosenSecretStore.h"

#include <QFileInfo>
#include <QStandardPaths>

namespace pollux::app {

// Spelt out rather than QStandardPaths::AppConfigLocation: that one depends on the
// organisation and application names, which are set only after the command line is parsed.
QString defaultConfigPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/Pollux/pollux.json");
}

QString legacyConfigPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/pollux.json");
}

QString chooseDefaultConfigPath(QString *note)
{
    const QString path = defaultConfigPath();
    const QString legacy = legacyConfigPath();
    if (QFileInfo::exists(path) || !QFileInfo(legacy).isFile())
        return path;
    // Earlier versions read the file from there: it keeps working, and says so.
    if (note)
        *note = QStringLiteral("reading the configuration from %1, where earlier versions "
                               "kept it; move it to %2 (where Pollux looks first): "
                               "mkdir -p '%3' && mv '%1' '%2'")
                    .arg(legacy, path, QFileInfo(path).absolutePath());
    return legacy;
}

QString keychainService()
{
    const QString fromEnv = qEnvironmentVariable("POLLUX_KEYCHAIN_SERVICE");
    return fromEnv.isEmpty() ? QStringLiteral("Pollux") : fromEnv;
}

QString secretBackendDescription()
{
    return describeSecretBackend(keychainService());
}

QString usageText()
{
    return QStringLiteral(
        "Usage:\n"
        "  pollux [--config FILE]                    tray application\n"
        "  pollux --headless [--once] [--config FILE]\n"
        "                                            run without a tray; --once: one pass of\n"
        "                                            every account, deliver, exit; exit status\n"
        "                                            0: everything succeeded, nothing waits;\n"
        "                                            1: a pass or a delivery failed; 2: the\n"
        "                                            configuration cannot be used; 3: another\n"
        "                                            Pollux works in the same data folder; 4: no\n"
        "                                            failure, but mail still waits (deferred)\n"
        "                                            SIGTERM: clean stop (0); SIGHUP: reload\n"
        "  pollux status [--config FILE]             accounts, last pass, mail waiting and\n"
        "                                            refused, the office server; works while\n"
        "                                            Pollux runs\n"
        "  pollux password set ACCOUNT [--config FILE]\n"
        "  pollux password set --smtp [--config FILE]\n"
        "  pollux password set --ldap [--config FILE]\n"
        "  pollux password set ACCOUNT --client-secret [--config FILE]\n"
        "                                            store a password read from standard input\n"
        "                                            in the OS keychain (--smtp: the office\n"
        "                                            server's, --ldap: the directory's,\n"
        "                                            --client-secret: the client secret of an\n"
        "                                            OAuth2 account's app registration)\n"
        "  pollux account signin ACCOUNT [--browser] [--config FILE]\n"
        "                                            sign an OAuth2 account in: prints an address\n"
        "                                            and a code to enter on any device and waits\n"
        "                                            (--browser, or a provider without device\n"
        "                                            sign-in: opens the browser on this machine,\n"
        "                                            answering on 127.0.0.1); the refresh token\n"
        "                                            goes to the OS keychain\n"
        "  pollux account test ACCOUNT [--config FILE]\n"
        "                                            connect, log in and count the waiting\n"
        "                                            messages without changing anything\n"
        "  pollux account route ACCOUNT --dry-run [--limit N] [--config FILE]\n"
        "                                            read the newest N (default 20) messages\n"
        "                                            without changing anything and print, per\n"
        "                                            message, the recipients found, which header\n"
        "                                            gave them and where each would go\n"
        "  pollux config check [--config FILE]       validate the configuration and say in\n"
        "                                            plain words what it would do (status 0\n"
        "                                            valid, 2 not); reads the file only\n"
        "  pollux --help | --version\n"
        "Without --config: ~/.config/Pollux/pollux.json ($XDG_CONFIG_HOME/Pollux/pollux.json),\n"
        "or ~/.config/pollux.json when only that one exists.\n");
}

Invocation parseCommandLine(const QStringList &arguments)
{
    Invocation inv;
    QStringList positional;
    bool headless = false;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (arg == QLatin1String("--headless")) {
            headless = true;
        } else if (arg == QLatin1String("--once")) {
            inv.once = true;
        } else if (arg == QLatin1String("--smtp")) {
            inv.smtp = true;
        } else if (arg == QLatin1String("--ldap")) {
            inv.ldap = true;
        } else if (arg == QLatin1String("--client-secret")) {
            inv.clientSecret = true;
        } else if (arg == QLatin1String("--browser")) {
            inv.browser = true;
        } else if (arg == QLatin1String("--dry-run")) {
            inv.dryRun = true;
        } else if (arg == QLatin1String("--limit") || arg.startsWith(QLatin1String("--limit="))) {
            QString value;
            if (arg.startsWith(QLatin1String("--limit=")))
                value = arg.mid(8);
            else if (i + 1 < arguments.size())
                value = arguments.at(++i);
            bool ok = false;
            inv.limit = value.toInt(&ok);
            if (!ok || inv.limit < 1) {
                inv.mode = Invocation::Mode::Error;
                inv.error = QStringLiteral("--limit needs a number of messages (1 or more)");
                return inv;
            }
        } else if (arg == QLatin1String("--config") || arg == QLatin1String("-c")) {
            if (i + 1 >= arguments.size()) {
                inv.mode = Invocation::Mode::Error;
                inv.error = QStringLiteral("--config needs a file name");
                return inv;
            }
            inv.configPath = arguments.at(++i);
        } else if (arg.startsWith(QLatin1String("--config="))) {
            inv.configPath = arg.mid(9);
        } else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            inv.mode = Invocation::Mode::Help;
            return inv;
        } else if (arg == QLatin1String("--version")) {
            inv.mode = Invocation::Mode::Version;
            return inv;
        } else if (arg.startsWith(QLatin1Char('-'))) {
            inv.mode = Invocation::Mode::Error;
            inv.error = QStringLiteral("unknown option %1").arg(arg);
            return inv;
        } else {
            positional << arg;
        }
    }
    if (inv.configPath.isEmpty())
        inv.configPath = chooseDefaultConfigPath(&inv.configNote);

    if (!positional.isEmpty()) {
        if (inv.browser && (positional.value(0) != QLatin1String("account") ||
                            positional.value(1) != QLatin1String("signin"))) {
            inv.mode = Invocation::Mode::Error;
            inv.error = QStringLiteral("--browser goes with account signin");
            return inv;
        }
        if (positional.value(0) == QLatin1String("password") &&
            positional.value(1) == QLatin1String("set") && inv.clientSecret) {
            if (positional.size() != 3 || inv.smtp || inv.ldap) {
                inv.mode = Invocation::Mode::Error;
                inv.error = QStringLiteral("--client-secret needs an account name (and "
                                           "neither --smtp nor --ldap)");
                return inv;
            }
            inv.mode = Invocation::Mode::ClientSecretSet;
            inv.account = positional.value(2);
            return inv;
        }
        if (positional.value(0) == QLatin1String("password") &&
            positional.value(1) == QLatin1String("set") && !(inv.smtp && inv.ldap) &&
            ((positional.size() == 3 && !inv.smtp && !inv.ldap) ||
             (positional.size() == 2 && (inv.smtp || inv.ldap)))) {
            inv.mode = Invocation::Mode::PasswordSet;
            inv.account = positional.value(2);
            return inv;
        }
        if (positional.value(0) == QLatin1String("account") &&
            positional.value(1) == QLatin1String("test") && positional.size() == 3) {
            inv.mode = Invocation::Mode::AccountTest;
            inv.account = positional.value(2);
            return inv;
        }
        if (positional.value(0) == QLatin1String("account") &&
            positional.value(1) == QLatin1String("signin") && positional.size() == 3) {
            inv.mode = Invocation::Mode::AccountSignIn;
            inv.account = positional.value(2);
            return inv;
        }
        if (positional.value(0) == QLatin1String("account") &&
            positional.value(1) == QLatin1String("route") && positional.size() == 3) {
            if (!inv.dryRun) {
                // Routing for real is what a pass does; this command only ever looks.
                inv.mode = Invocation::Mode::Error;
                inv.error = QStringLiteral("account route needs --dry-run");
                return inv;
            }
            inv.mode = Invocation::Mode::AccountRoute;
            inv.account = positional.value(2);
            return inv;
        }
        if (positional.value(0) == QLatin1String("config") &&
            positional.value(1) == QLatin1String("check") && positional.size() == 2) {
            inv.mode = Invocation::Mode::ConfigCheck;
            return inv;
        }
        if (positional.value(0) == QLatin1String("status") && positional.size() == 1) {
            inv.mode = Invocation::Mode::Status;
            return inv;
        }
        inv.mode = Invocation::Mode::Error;
        inv.error = QStringLiteral("unknown command: %1").arg(positional.join(QLatin1Char(' ')));
        return inv;
    }
    if (inv.once && !headless) {
        inv.mode = Invocation::Mode::Error;
        inv.error = QStringLiteral("--once needs --headless");
        return inv;
    }
    inv.mode = headless ? Invocation::Mode::Headless : Invocation::Mode::Tray;
    return inv;
}

} // namespace pollux::app
