#pragma once

#include <QString>

namespace pollux {

// Sends Qt's log messages (qDebug/qInfo/qWarning...) to a file as well as to stderr.
// The file is capped: past maxBytes it is renamed to "<file>.1" and a new one begun.
// Thread-safe. Log lines never carry secrets: callers never log them.
class FileLog
{
public:
    static bool install(const QString &path, qint64 maxBytes = 10 * 1024 * 1024);
    static void uninstall();
};

} // namespace pollux
