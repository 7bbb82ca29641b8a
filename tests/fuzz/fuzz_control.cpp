// libFuzzer: the control socket's line reader, message parser and snapshot reader (what a
// local client sends the service, and what the tray reads from it).
#include "control/Protocol.h"

#include <QByteArray>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

using namespace pollux::control;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first byte picks the chunk size and a small line limit, so lines split at any
    // byte and overlong lines are both tried.
    const qsizetype chunk = size ? qsizetype(data[0] % 31) + 1 : 1;
    const qsizetype max = size > 1 ? qsizetype(data[1]) * 64 + 16 : 1024;
    LineReader reader(max);
    for (qsizetype pos = 2; pos < bytes.size(); pos += chunk) {
        reader.feed(bytes.mid(pos, chunk));
        QByteArray line;
        while (reader.next(line)) {
            if (line.size() > max)
                __builtin_trap(); // the reader never hands out more than its limit
            QJsonObject message;
            if (parseMessage(line, message) != ParseError::None)
                continue;
            const Snapshot s =
                Snapshot::fromJson(message.value(QLatin1String("snapshot")).toObject());
            if (s.activity.size() > kMaxActivityLines || s.waiting.size() > kMaxBacklogEntries ||
                s.refused.size() > kMaxBacklogEntries)
                __builtin_trap();
            (void)encode(s.toJson());
            (void)resultFromJson(message.value(QLatin1String("result")).toObject());
        }
    }
    return 0;
}
