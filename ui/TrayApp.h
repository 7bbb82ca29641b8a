#pragma once

#include <QString>

class QTranslator;

namespace pollux::ui {

// Runs the tray application until Quit; returns the exit status. A second launch brings
// the running instance to the front and returns 0.
int runTrayApp(const QString &configPath, const QString &keychainService);

// Installs the Pollux catalogue for `language` ("en", "de"; empty: the system's) on the
// application; returns the translator (owned by qApp), or null when none applies.
QTranslator *installTranslator(const QString &language);

} // namespace pollux::ui
