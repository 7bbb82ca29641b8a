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
        ClientSecretSet, // password set NAME --client-secret
        AccountTest,
        AccountSignIn, // account signin NAME [--browser]
        AccountRoute,  // account route NAME --dry-run
        ConfigCheck,   // config check
        Status,        // status
        Help,
        Version,
        Error
    };
    Mode mode = Mode::Tray;
    bool once = false;
    QString configPath;
    // Set when the file is read from where earlier versions kept it: the line to log.
    QString configNote;
    QString account; // password set / account test / signin / route: the account (not --smtp)
    bool smtp = false;
    bool ldap = false;         // password set --ldap: the directory's bind password
    bool clientSecret = false; // password set NAME --client-secret
    bool browser = false;      // account signin --browser
    bool dryRun = false;
    int limit = 20; // account route: how many of the newest messages
    QString error;
};

// Parses argv without needing an application object (it decides which one to create).
Invocation parseCommandLine(const QStringList &arguments);
QString usageText();
// Without --config: $XDG_CONFIG_HOME/Pollux/pollux.json (~/.config/Pollux/pollux.json), the
// path the documentation names.
QString defaultConfigPath();
// ~/.config/pollux.json, which versions that computed the default before the organisation
// name was set read.
QString legacyConfigPath();
// defaultConfigPath(), or legacyConfigPath() when only that file exists; then `note` says
// so and how to move it.
QString chooseDefaultConfigPath(QString *note);

// Keychain service name: "Pollux", or POLLUX_KEYCHAIN_SERVICE when set.
QString keychainService();
// The secret backend in use, in words ("secrets: ..."), for `pollux status` and the start
// line: today the desktop keychain (Secret Service) under keychainService(). The one place
// to name another (with core/secrets' ChosenSecretStore: describeSecretBackend()).
QString secretBackendDescription();

} // namespace pollux::app
