// libFuzzer: POP3 response parsing (no changes to the parser here).
#include "pop3/Pop3Parser.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

using namespace pollux;
using namespace pollux::pop3;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype chunk = size ? qsizetype(data[0] % 13) + 1 : 1;

    LineSplitter splitter(256);
    Capabilities caps;
    QList<UidlEntry> uids;
    QList<ListEntry> sizes;
    for (qsizetype pos = 1; pos < bytes.size(); pos += chunk) {
        splitter.append(bytes.mid(pos, chunk));
        for (;;) {
            QByteArray line;
            bool complete = false;
            if (!splitter.takeLine(line, complete) || !complete)
                break;
            Status status;
            if (parseStatus(line, status).ok()) {
                (void)apopTimestamp(status.text);
                (void)loginFailure("PASS", status);
            }
            if (isEndOfResponse(line))
                continue;
            const QByteArray text = unstuff(line);
            addCapability(caps, text);
            UidlEntry u;
            if (parseUidlLine(text, u).ok() && uids.size() < 100)
                uids << u;
            ListEntry l;
            if (parseListLine(text, l).ok() && sizes.size() < 100)
                sizes << l;
        }
    }
    QList<RemoteMessage> messages;
    (void)joinListing(uids, sizes, messages);

    DataDecoder decoder;
    QByteArray out;
    ContentCount count;
    qsizetype consumed = 0;
    for (qsizetype pos = 0; pos < bytes.size() && !decoder.finished(); pos += chunk) {
        const qsizetype n = qMin(chunk, bytes.size() - pos);
        const qsizetype before = out.size();
        consumed += decoder.feed(bytes.constData() + pos, n, out);
        count.add(out.constData() + before, out.size() - before);
    }
    // The completeness rule's framing half: a message ends only at CRLF "." CRLF (or at a
    // "." CRLF first line, after the status line's CRLF), never after a bare LF.
    if (decoder.finished() && !(consumed == 3 && bytes.startsWith(".\r\n")) &&
        bytes.mid(consumed - 5, 5) != "\r\n.\r\n")
        __builtin_trap();
    if (count.octets() != out.size() || count.crlfs() > out.size() / 2)
        __builtin_trap();
    (void)count.check(messages.isEmpty() ? RemoteMessage() : messages.first());
    return 0;
}
