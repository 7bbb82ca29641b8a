#pragma once

#include <QAtomicPointer>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace pollux::test {

// Collects what Pollux writes to its log (the "pollux.*" categories, from any thread)
// while it lives, so a test can assert what the log says; other messages (Qt Test's own)
// go to the handler that was there before. One at a time; create it before the engine
// and let it outlive the engine's threads.
class LogCapture
{
public:
    LogCapture() : m_previous(qInstallMessageHandler(&LogCapture::handle))
    {
        s_instance.storeRelease(this);
    }
    ~LogCapture()
    {
        s_instance.storeRelease(nullptr);
        qInstallMessageHandler(m_previous);
    }
    LogCapture(const LogCapture &) = delete;
    LogCapture &operator=(const LogCapture &) = delete;

    // "<category>: <message>", in order.
    QStringList lines() const
    {
        QMutexLocker lock(&m_mutex);
        return m_lines;
    }
    // How many lines contain every one of `parts`.
    int count(const QStringList &parts) const
    {
        int n = 0;
        for (const QString &line : lines()) {
            bool all = true;
            for (const QString &part : parts)
                all = all && line.contains(part);
            n += all;
        }
        return n;
    }
    bool contains(const QStringList &parts) const { return count(parts) > 0; }
    void clear()
    {
        QMutexLocker lock(&m_mutex);
        m_lines.clear();
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        LogCapture *self = s_instance.loadAcquire();
        const QString category = QString::fromLatin1(context.category ? context.category : "");
        if (!self || !category.startsWith(QLatin1String("pollux."))) {
            if (self && self->m_previous)
                self->m_previous(type, context, message);
            return;
        }
        QMutexLocker lock(&self->m_mutex);
        self->m_lines << category + QStringLiteral(": ") + message;
    }

    static inline QAtomicPointer<LogCapture> s_instance;
    QtMessageHandler m_previous;
    mutable QMutex m_mutex;
    QStringList m_lines;
};

} // namespace pollux::test
