#pragma once

#include <QString>
#include <QStringList>

namespace pollux::ui {

// Start at login through an XDG autostart entry: ~/.config/autostart/pollux.desktop.
class Autostart
{
public:
    static QString desktopFilePath();
    static bool isEnabled();
    // Writes the entry for `program arguments...` or removes it; false if that failed.
    static bool setEnabled(bool enabled, const QString &program, const QStringList &arguments);
};

} // namespace pollux::ui
