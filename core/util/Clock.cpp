#include "Clock.h"

#include <QElapsedTimer>
#include <QFile>
#include <QUuid>

#ifdef Q_OS_LINUX
#include <time.h>
#endif

namespace pollux {

namespace {

// The Linux bits: CLOCK_BOOTTIME runs on through suspend and is shared by every process
// of one boot, which /proc names. Elsewhere (or if either is missing): this process's
// monotonic clock, under a name of its own.
struct MonotonicSource
{
    QString origin;
    bool bootTime = false;
    QElapsedTimer timer;

    MonotonicSource()
    {
        timer.start();
#ifdef Q_OS_LINUX
        timespec ts{};
        QFile bootId(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        if (clock_gettime(CLOCK_BOOTTIME, &ts) == 0 && bootId.open(QIODevice::ReadOnly)) {
            const QString id = QString::fromLatin1(bootId.read(64)).trimmed();
            if (!id.isEmpty()) {
                origin = QStringLiteral("boot:") + id;
                bootTime = true;
                return;
            }
        }
#endif
        origin = QStringLiteral("process:") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    }

    qint64 ms() const
    {
#ifdef Q_OS_LINUX
        if (bootTime) {
            timespec ts{};
            if (clock_gettime(CLOCK_BOOTTIME, &ts) == 0)
                return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
        }
#endif
        return timer.elapsed();
    }
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override { return m_source.ms(); }
    QString monotonicOrigin() const override { return m_source.origin; }

private:
    MonotonicSource m_source;
};

} // namespace

Clock *Clock::system()
{
    static SystemClock clock;
    return &clock;
}

} // namespace pollux
