// Renders every window and dialog of the desktop app into PNG files, with sample data:
//   pollux_screenshots OUTPUT_DIR LANGUAGE(en|de)
// Run under a real X server (tests/gui/screenshots.sh uses Xvfb), with QT_SCALE_FACTOR for
// high-DPI renderings. The windows and their states come from WindowCatalogue.
#include "WindowCatalogue.h"

#include "ui/TrayApp.h"
#include "ui/TrayIcons.h"

#include <QApplication>
#include <QDir>
#include <QLocale>
#include <QPainter>
#include <QWidget>

#include <cstdio>

using namespace pollux;
using namespace pollux::ui;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pollux-screenshots"));
    if (argc < 3) {
        fprintf(stderr, "usage: pollux_screenshots OUTPUT_DIR en|de\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    const QString language = QString::fromLocal8Bit(argv[2]);
    QDir().mkpath(out);
    QLocale::setDefault(QLocale(language));
    installTranslator(language);

    int failures = 0;
    gui::WindowCatalogue catalogue;
    catalogue.visit([&](QWidget *window, const QString &scene) {
        const QString path = out + QLatin1Char('/') + scene + QStringLiteral(".png");
        if (!window->grab().save(path)) {
            fprintf(stderr, "cannot write %s\n", qPrintable(path));
            ++failures;
        } else {
            printf("%s\n", qPrintable(path));
        }
    });

    // The tray's state icons side by side.
    QPixmap icons(4 * 72, 72);
    icons.fill(Qt::white);
    {
        QPainter p(&icons);
        int x = 4;
        for (TrayState s :
             {TrayState::Idle, TrayState::Polling, TrayState::Error, TrayState::Paused}) {
            p.drawPixmap(x, 4, trayStateIcon(s).pixmap(64, 64));
            x += 72;
        }
    }
    icons.save(out + QStringLiteral("/tray-icons.png"));
    return failures == 0 ? 0 : 1;
}
