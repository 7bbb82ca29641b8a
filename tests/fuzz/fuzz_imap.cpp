// libFuzzer: IMAP response framing and parsing (ResponseReader, parseResponse,
// parseFetchStart, capabilities, modified UTF-7 mailbox names). The first byte picks the
// chunk size, so literals and lines are split at every possible place.
#include "imap/ImapCommands.h"
#include "imap/ImapParser.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

using namespace pollux;
using namespace pollux::imap;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype chunk = size ? qsizetype(data[0] % 31) + 1 : 1;

    ResponseReader reader;
    qint64 bodyBytes = 0;
    bool broken = false;
    for (qsizetype pos = 1; pos < bytes.size() && !broken; pos += chunk) {
        reader.append(bytes.constData() + pos, qMin(chunk, bytes.size() - pos));
        for (;;) {
            ResponseReader::Event e = ResponseReader::Event::NeedMore;
            if (!reader.next(e).ok()) {
                broken = true;
                break;
            }
            if (e == ResponseReader::Event::NeedMore)
                break;
            if (e == ResponseReader::Event::Response) {
                Response r;
                (void)parseResponse(reader.response(), r);
            } else if (e == ResponseReader::Event::BodyBegin) {
                qint64 sequence = 0, uid = 0;
                (void)parseFetchStart(reader.response(), sequence, uid);
            } else if (e == ResponseReader::Event::BodyData) {
                bodyBytes += reader.chunkSize();
                if (reader.chunkSize() < 0 || !reader.chunk())
                    __builtin_trap();
            }
        }
    }
    (void)bodyBytes;

    // The whole input as one line of atoms / a mailbox name / a number.
    (void)parseCapabilities(bytes);
    (void)decodeMailboxName(bytes);
    (void)encodeMailboxName(QString::fromUtf8(bytes));
    qint64 n = 0;
    (void)parseNumber(bytes.left(32), 0, n);
    (void)quoteLine(bytes);
    return 0;
}
