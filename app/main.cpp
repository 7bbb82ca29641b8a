// Pollux: collects mail from POP3/IMAP mailboxes and delivers it to the office server.
// A thin entry point: it picks the tray application or a headless command.
#include "Cli.h"
#include "ConfigCheck.h"
#include "Headless.h"
#include "LiveStatus.h"
#include "SignInCommand.h"
#include "StatusCommand.h"
#include "ui/TrayApp.h"
#include "util/TlsLibrary.h"

#include <QApplication>
#include <QCoreApplication>
#include <QGuiApplication>

#include <cstdio>
#include <memory>

namespace {

// Whether the tray can start: a display, or a Qt platform that needs none (offscreen,
// minimal, eglfs, vnc... named by QT_QPA_PLATFORM or -platform).
bool hasDisplay(int argc, char *argv[])
{
    if (qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))
        return true;
    const QString platform = qEnvironmentVariable("QT_QPA_PLATFORM");
    if (!platform.isEmpty() && !platform.startsWith(QLatin1String("xcb")) &&
        !platform.startsWith(QLatin1String("wayland")))
        return true;
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "-platform") == 0)
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    pollux::keepTlsLibraryUntilExit(); // before any TLS (see TlsLibrary.h)
    // Before anything asks QStandardPaths (the data folder is AppDataLocation).
    QCoreApplication::setOrganizationName(QStringLiteral("Pollux"));
    QCoreApplication::setApplicationName(QStringLiteral("pollux"));
    QCoreApplication::setApplicationVersion(QStringLiteral(POLLUX_VERSION));

    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const pollux::app::Invocation inv = pollux::app::parseCommandLine(args);
    // (--headless logs it itself, into its log file too.)
    if (!inv.configNote.isEmpty() && inv.mode != pollux::app::Invocation::Mode::Headless)
        fprintf(stderr, "pollux: %s\n", qPrintable(inv.configNote));

    using Mode = pollux::app::Invocation::Mode;
    switch (inv.mode) {
    case Mode::Help:
        fputs(qPrintable(pollux::app::usageText()), stdout);
        return 0;
    case Mode::Version:
        printf("pollux %s\n", POLLUX_VERSION);
        return 0;
    case Mode::Error:
        fprintf(stderr, "pollux: %s\n%s", qPrintable(inv.error),
                qPrintable(pollux::app::usageText()));
        return 2;
    case Mode::Headless: {
        QCoreApplication app(argc, argv);
        return pollux::app::runHeadless(inv);
    }
    case Mode::AccountTest: {
        QCoreApplication app(argc, argv);
        return pollux::app::runAccountTest(inv);
    }
    case Mode::AccountRoute: {
        QCoreApplication app(argc, argv);
        return pollux::app::runAccountRoute(inv);
    }
    case Mode::ConfigCheck: {
        QCoreApplication app(argc, argv);
        return pollux::app::runConfigCheck(inv);
    }
    case Mode::AccountSignIn: {
        // The browser is opened only where there is a display; without one (SSH, a
        // service) a QGuiApplication could not start, and the address is printed anyway.
        if (inv.browser && (qEnvironmentVariableIsSet("DISPLAY") ||
                            qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))) {
            QGuiApplication app(argc, argv);
            return pollux::app::runAccountSignIn(inv);
        }
        QCoreApplication app(argc, argv);
        return pollux::app::runAccountSignIn(inv);
    }
    case Mode::ClientSecretSet: {
        QCoreApplication app(argc, argv);
        return pollux::app::runClientSecretSet(inv);
    }
    case Mode::PasswordSet: {
        QCoreApplication app(argc, argv);
        return pollux::app::runPasswordSet(inv);
    }
    case Mode::Status: {
        QCoreApplication app(argc, argv);
        return pollux::app::runStatus(inv, pollux::app::serviceStatus);
    }
    case Mode::Tray:
        break;
    }
    // Without a display Qt would abort (status 134, "Reinstalling the application may fix
    // this problem"); say what to run instead, before QApplication is constructed.
    if (!hasDisplay(argc, argv)) {
        fputs("pollux: no display to show the tray on (neither DISPLAY nor WAYLAND_DISPLAY is "
              "set); on a server or as a service run: pollux --headless [--config FILE] (see "
              "pollux --help)\n",
              stderr);
        return 2;
    }
    QApplication app(argc, argv);
    return pollux::ui::runTrayApp(inv.configPath, pollux::app::keychainService());
}
