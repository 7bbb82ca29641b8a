#pragma once

#include "net/MailboxClient.h"

#include <QMap>
#include <QStringList>

namespace pollux::test {

// Keeps retrieved messages in memory and logs the calls: "begin 2", "end 2", "abort 2".
class MemorySink : public MessageSink
{
public:
    Result begin(const RemoteMessage &message) override
    {
        events << QStringLiteral("begin %1").arg(message.index);
        m_current = message.index;
        m_data.clear();
        return Result::success();
    }
    Result write(const char *data, qsizetype size) override
    {
        if (m_current == failWriteOf)
            return Result::failure(ErrorCode::Storage, QStringLiteral("disk full"));
        m_data.append(data, size);
        return Result::success();
    }
    Result end(const RemoteMessage &message) override
    {
        events << QStringLiteral("end %1").arg(message.index);
        messages.insert(message.index, m_data);
        m_current = -1;
        return Result::success();
    }
    void abort(const RemoteMessage &message) override
    {
        events << QStringLiteral("abort %1").arg(message.index);
        m_current = -1;
    }

    QStringList events;
    QMap<qint64, QByteArray> messages; // message number -> content, for ended messages
    qint64 failWriteOf = -1;           // write() of this message number fails

private:
    qint64 m_current = -1;
    QByteArray m_data;
};

} // namespace pollux::test
