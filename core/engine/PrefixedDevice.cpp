#include "PrefixedDevice.h"

#include <cstring>

namespace pollux {

PrefixedDevice::PrefixedDevice(const QByteArray &prefix, QIODevice *body, QObject *parent)
    : QIODevice(parent), m_prefix(prefix), m_body(body)
{
    open(QIODevice::ReadOnly);
}

qint64 PrefixedDevice::bytesAvailable() const
{
    return (m_prefix.size() - m_prefixPos) + m_body->bytesAvailable() + QIODevice::bytesAvailable();
}

qint64 PrefixedDevice::readData(char *data, qint64 maxSize)
{
    qint64 done = 0;
    if (m_prefixPos < m_prefix.size()) {
        const qint64 n = qMin(maxSize, qint64(m_prefix.size()) - m_prefixPos);
        std::memcpy(data, m_prefix.constData() + m_prefixPos, size_t(n));
        m_prefixPos += n;
        done = n;
    }
    if (done < maxSize) {
        const qint64 n = m_body->read(data + done, maxSize - done);
        if (n < 0)
            return done > 0 ? done : -1;
        done += n;
    }
    return done;
}

} // namespace pollux
