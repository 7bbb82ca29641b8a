// libFuzzer: the SMTP reply reader and EHLO capability parser (no changes to them here).
#include "smtp/SmtpParser.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

using namespace pollux::smtp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first byte picks the chunk size, so replies split at any byte are tried.
    const qsizetype chunk = size ? qsizetype(data[0] % 17) + 1 : 1;
    ReplyReader reader(512, 64);
    for (qsizetype pos = 1; pos < bytes.size(); pos += chunk) {
        reader.feed(bytes.mid(pos, chunk));
        Reply reply;
        QList<QByteArray> raw;
        while (reader.next(reply, &raw)) {
            (void)reply.toString();
            (void)Capabilities::fromEhlo(reply);
            raw.clear();
        }
        if (reader.hasError()) {
            (void)reader.error().toResult();
            break;
        }
    }
    for (const QByteArray &line : bytes.split('\n')) {
        ReplyLine out;
        (void)parseReplyLine(line, out);
    }
    return 0;
}
