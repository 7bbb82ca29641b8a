#include "Autostart.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace pollux::ui {

namespace {
// Desktop Entry Exec quoting: every argument in double quotes, with \ " ` $ escaped.
QString quoteArgument(const QString &argument)
{
    QString escaped;
    for (const QChar c : argument) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') ||
            c == QLatin1Char('\\'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    escaped.replace(QLatin1Char('%'), QStringLiteral("%%"));
    // The string escape rule applies on top of the quoting rule: every backslash doubles.
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}
} // namespace

QString Autostart::desktopFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/pollux.desktop");
}

bool Autostart::isEnabled()
{
    return QFileInfo::exists(desktopFilePath());
}

bool Autostart::setEnabled(bool enabled, const QString &program, const QStringList &arguments)
{
    const QString path = desktopFilePath();
    if (!enabled)
        return !QFileInfo::exists(path) || QFile::remove(path);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QStringList exec{quoteArgument(program)};
    for (const QString &a : arguments)
        exec << quoteArgument(a);
    const QString text = QStringLiteral("[Desktop Entry]\n"
                                        "Type=Application\n"
                                        "Name=Pollux\n"
                                        "Comment=Collects mail from POP3/IMAP mailboxes\n"
                                        "Exec=") +
                         exec.join(QLatin1Char(' ')) +
                         QStringLiteral("\n"
                                        "Icon=mail-receive\n"
                                        "Terminal=false\n"
                                        "X-GNOME-Autostart-enabled=true\n");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(text.toUtf8());
    return file.commit();
}

} // namespace pollux::ui
