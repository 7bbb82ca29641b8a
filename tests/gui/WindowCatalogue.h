#pragma once

#include "config/Config.h"

#include <QString>
#include <QTemporaryDir>

#include <functional>

class QWidget;

namespace pollux::gui {

// Every window and dialog of the desktop app in the states worth looking at, with sample
// data: the screenshot renderer draws them, the clipping check (tst_clipping) measures them.
// Each window is shown at the size the app gives it, then handed to the visitor.
class WindowCatalogue
{
public:
    // The visitor gets the shown top-level window and the scene's name
    // ("settings-pop3-imap", "account-advanced", ...).
    using Visitor = std::function<void(QWidget *window, const QString &scene)>;

    WindowCatalogue();
    ~WindowCatalogue();

    const Config &config() const { return m_config; }
    QString dataDir() const { return m_dir.path(); }

    // Builds each scene in turn, calls `visit`, and closes the window again.
    void visit(const Visitor &visit);

    // Lets queued events (keychain answers, loaders) run for `ms` milliseconds.
    static void settle(int ms = 150);

private:
    QTemporaryDir m_dir;
    Config m_config;
};

} // namespace pollux::gui
