// libFuzzer: the SMTP reply reader and EHLO capability parser, and the envelope address
// encoder (the addresses come from message headers, i.e. from any sender).
#include "smtp/SmtpAddress.h"
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
            // Exactly one class for a code the reader accepts (2xx..5xx).
            if (int(reply.isSuccess()) + int(reply.isIntermediate()) + int(reply.isTransient()) +
                    int(reply.isPermanent()) !=
                1)
                __builtin_trap();
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
    // What goes between < and > never breaks the command line, stays within the RFC 5321
    // limit, and means the same mailbox when read back (encoding it again changes nothing).
    const WireAddress wire = encodeMailbox(QString::fromUtf8(bytes.mid(1)), true);
    if (wire.ok()) {
        if (wire.mailbox.contains('\r') || wire.mailbox.contains('\n') ||
            wire.mailbox.contains('\0') || wire.mailbox.size() > MaxMailboxBytes)
            __builtin_trap();
        if (!wire.mailbox.isEmpty() &&
            encodeMailbox(QString::fromUtf8(wire.mailbox)).mailbox != wire.mailbox)
            __builtin_trap();
    }
    return 0;
}
