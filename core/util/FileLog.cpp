#include "FileLog.h"

#include "util/FileMode.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>

#include <cstdio>

namespace pollux {

namespace {
QMutex g_mutex;
QFile *g_file = nullptr;
qint64 g_maxBytes = 0;
QtMessageHandler g_previous = nullptr;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "?";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() +
                            ' ' + levelName(type) + ' ' +
                            (context.category ? context.category : "default") + ": " +
                            message.toUtf8() + '\n';
    {
        QMutexLocker lock(&g_mutex);
        if (g_file) {
            if (g_maxBytes > 0 && g_file->size() + line.size() > g_maxBytes) {
                const QString name = g_file->fileName();
                g_file->close();
                QFile::remove(name + QStringLiteral(".1"));
                QFile::rename(name, name + QStringLiteral(".1"));
                g_file->setFileName(name);
                filemode::openPrivate(*g_file, QIODevice::Append);
            }
            g_file->write(line);
            g_file->flush();
        }
    }
    fwrite(line.constData(), 1, size_t(line.size()), stderr);
    if (type == QtFatalMsg)
        abort();
}
} // namespace

bool FileLog::install(const QString &path, qint64 maxBytes)
{
    QMutexLocker lock(&g_mutex);
    // The log names senders, recipients and servers: 0600 in a folder we create 0700.
    filemode::makePrivatePath(QFileInfo(path).absolutePath());
    auto *file = new QFile(path);
    if (!filemode::openPrivate(*file, QIODevice::Append)) {
        delete file;
        return false;
    }
    filemode::makePrivate(path); // one written by an older version
    filemode::makePrivate(path + QStringLiteral(".1"));
    delete g_file;
    g_file = file;
    g_maxBytes = maxBytes;
    QtMessageHandler previous = qInstallMessageHandler(handler);
    if (previous != handler)
        g_previous = previous;
    return true;
}

void FileLog::uninstall()
{
    QMutexLocker lock(&g_mutex);
    qInstallMessageHandler(g_previous);
    delete g_file;
    g_file = nullptr;
}

} // namespace pollux
