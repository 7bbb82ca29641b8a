#include "TrayApp.h"
#include "ServiceSecrets.h"

#include "AppController.h"
#include "MessageBox.h"
#include "SingleInstance.h"
#include "TrayIcon.h"
#include "TrayIcons.h"
#include "config/Config.h"
#include "control/ControlClient.h"
#include "control/ControlServer.h"
#include "engine/Engine.h"
#include "secrets/ChosenSecretStore.h"
#include "util/Clock.h"
#include "util/DataDirLock.h"
#include "util/FileLog.h"

#include <QApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSystemTrayIcon>
#include <QTranslator>

namespace pollux::ui {

QTranslator *installTranslator(const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    auto *translator = new QTranslator(qApp);
    // Without a catalogue for the language, English (it has the plural forms).
    if (!translator->load(locale, QStringLiteral("pollux"), QStringLiteral("_"),
                          QStringLiteral(":/i18n")) &&
        !translator->load(QStringLiteral("pollux_en"), QStringLiteral(":/i18n"))) {
        delete translator;
        return nullptr;
    }
    QApplication::installTranslator(translator);
    // Qt's own texts (the file dialog, standard buttons) from Debian's
    // qt6-translations-l10n; English needs none.
    if (locale.language() != QLocale::English) {
        auto *qt = new QTranslator(qApp);
        if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QApplication::installTranslator(qt);
        else
            delete qt;
    }
    return translator;
}

namespace {
// When a Pollux service answers on its control socket (docs/SERVICE.md), the tray attaches
// to it and runs no engine of its own; returns the exit status then, or -1 when no service
// answers (the tray runs the engine itself).
int runAttached(AppController::Options options)
{
    const QString socketPath = control::ControlServer::defaultSocketPath();
    QString refusal;
    if (!control::ControlClient::serviceAnswers(socketPath, 1500, &refusal))
        return -1;
    if (!refusal.isEmpty()) {
        // Never a second engine beside a running service, silently or not.
        MessageBox::warning(nullptr, QObject::tr("Pollux"),
                            QObject::tr("A Pollux service runs on this machine, but it does not "
                                        "let this user attach to it:\n%1\n\nAsk an admin to "
                                        "add you to the group \"pollux\". This tray closes now.")
                                .arg(refusal));
        return 1;
    }
    control::ControlClient::Options clientOptions;
    clientOptions.socketPath = socketPath;
    control::ControlClient service(clientOptions);
    options.service = &service;
    // The service's passwords are its own: none typed here goes to this user's keychain.
    ServiceSecrets serviceSecrets([&service] { return service.configPath(); });
    options.secrets = &serviceSecrets;
    AppController app(options);
    app.start();
    return QApplication::exec();
}
} // namespace

int runTrayApp(const QString &configPath, const QString &keychainService)
{
    QApplication::setWindowIcon(trayStateIcon(TrayState::Idle));
    SingleInstance instance(SingleInstance::defaultName(keychainService));
    if (!instance.claim())
        return 0; // the running instance comes to the front

    Config config;
    Result loadResult = Result::success();
    if (QFile::exists(configPath)) {
        loadResult = Config::load(configPath, config);
        if (loadResult)
            loadResult = config.validate();
    }
    installTranslator(loadResult ? config.language : QString());
    if (!loadResult) {
        QMessageBox::critical(nullptr, QObject::tr("Pollux"),
                              QObject::tr("The configuration %1 cannot be used:\n%2")
                                  .arg(configPath, loadResult.message()));
        return 2;
    }

    ChosenSecretStore secrets(keychainService);
    AppController::Options options;
    options.configPath = configPath;
    options.secrets = &secrets;
    options.clock = Clock::system();
    options.useTray = QSystemTrayIcon::isSystemTrayAvailable();
    QApplication::setQuitOnLastWindowClosed(!options.useTray);
    if (const int attached = runAttached(options); attached >= 0)
        return attached;
    int rc = 0;
    {
        AppController app(options);
        app.setConfig(config);
        // Before the log, the store or the spool are touched: another Pollux (a headless
        // service, or one with another keychain) may already work in this data folder.
        qint64 holder = 0;
        const Result claimed = app.engine()->claimDataDirectory(config, &holder);
        if (!claimed && holder != 0) {
            const QString process =
                holder > 0 ? QString::number(holder) : QObject::tr("of unknown number");
            MessageBox::warning(
                nullptr, QObject::tr("Pollux"),
                QObject::tr("Another Pollux (process %1) is already working in the data "
                            "folder %2.\n\nThis one closes now. Stop the other one first, "
                            "or give this configuration its own data folder.")
                    .arg(process, Engine::dataDirectory(config)));
            return DataDirLock::kExitStatusInUse;
        }
        // Any other failure is shown by the tray once the engine is started.
        FileLog::install(config.logFile.isEmpty()
                             ? Engine::dataDirectory(config) + QStringLiteral("/pollux.log")
                             : config.logFile);
        QObject::connect(&instance, &SingleInstance::activationRequested, &app,
                         &AppController::bringToFront);
        app.start();
        rc = QApplication::exec();
    }
    FileLog::uninstall();
    return rc;
}

} // namespace pollux::ui
