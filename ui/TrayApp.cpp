#include "TrayIcon.h"

#include "config/Config.h"
#include "engine/Engine.h"
#include "secrets/KeychainSecretStore.h"
#include "util/Clock.h"
#include "util/FileLog.h"

#include <QApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QTranslator>

namespace pollux::ui {

int runTrayApp(const QString &configPath, const QString &keychainService)
{
    auto *translator = new QTranslator(qApp);
    if (translator->load(QLocale(), QStringLiteral("pollux"), QStringLiteral("_"),
                         QStringLiteral(":/i18n")))
        QApplication::installTranslator(translator);
    QApplication::setQuitOnLastWindowClosed(false);

    Config config;
    if (QFile::exists(configPath)) {
        Result r = Config::load(configPath, config);
        if (r)
            r = config.validate();
        if (!r) {
            QMessageBox::critical(nullptr, QObject::tr("Pollux"),
                                  QObject::tr("The configuration %1 cannot be used:\n%2")
                                      .arg(configPath, r.message()));
            return 2;
        }
    }
    FileLog::install(config.logFile.isEmpty()
                         ? Engine::dataDirectory(config) + QStringLiteral("/pollux.log")
                         : config.logFile);

    KeychainSecretStore secrets(keychainService);
    Engine engine(&secrets, Clock::system());
    TrayIcon tray;
    QObject::connect(&engine, &Engine::passStarted, &tray, &TrayIcon::onPassStarted);
    QObject::connect(&engine, &Engine::passProgress, &tray, &TrayIcon::onPassProgress);
    QObject::connect(&engine, &Engine::passFinished, &tray, &TrayIcon::onPassFinished);
    QObject::connect(&engine, &Engine::deliveryError, &tray, &TrayIcon::onError);
    QObject::connect(&engine, &Engine::storageError, &tray, &TrayIcon::onError);
    QObject::connect(&tray, &TrayIcon::pollNowRequested, &engine, [&engine] { engine.pollNow(); });
    QObject::connect(&tray, &TrayIcon::quitRequested, qApp, &QApplication::quit);
    tray.show();

    if (Result r = engine.start(config); !r)
        tray.onError(r);
    const int rc = QApplication::exec();
    engine.stop();
    FileLog::uninstall();
    return rc;
}

} // namespace pollux::ui
