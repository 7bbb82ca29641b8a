#pragma once

#include <QString>
#include <QStringList>

namespace pollux::app {

// What the command line asked for.
struct Invocation
{
    enum class Mode
    {
        Tray,
        Headless,
        PasswordSet,
        AccountTest,
        AccountRoute, // account route NAME --dry-run
        ConfigCheck,  // config check
        Help,
        Version,
        Error
    };
    Mode mode = Mode::Tray;
    bool once = false;
    QString configPath;
    QString account; // password set / account test / route: the account (empty with --smtp)
    bool smtp = false;
    bool dryRun = false;
    int limit = 20; // account route: how many of the newest messages
    QString error;
};

// Parses argv without needing an application object (it decides which one to create).
Invocation parseCommandLine(const QStringList &arguments);
QString usageText();
QString defaultConfigPath();

// Keychain service name: "Pollux", or POLLUX_KEYCHAIN_SERVICE when set.
QString keychainService();

} // namespace pollux::app
