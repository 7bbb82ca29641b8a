#pragma once

#include <QIcon>

namespace pollux::ui {

enum class TrayState
{
    Idle,
    Polling,
    Error,
    Paused
};

// The tray's state icons, drawn at run time (an envelope with a coloured badge), so no
// image format plugin is needed. Also the application's window icon (Idle).
QIcon trayStateIcon(TrayState state);

} // namespace pollux::ui
