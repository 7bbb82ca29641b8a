#pragma once

#include <QByteArray>
#include <QIODevice>

namespace pollux {

// Reads `prefix` first, then everything of `body` (a file in the spool), without ever
// holding the body in memory. Used to put our trace header in front of a message.
class PrefixedDevice final : public QIODevice
{
public:
    PrefixedDevice(const QByteArray &prefix, QIODevice *body, QObject *parent = nullptr);
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_prefix;
    qint64 m_prefixPos = 0;
    QIODevice *m_body;
};

} // namespace pollux
