#include "ContentDigest.h"

#include "mail/MessageHeader.h"

#include <QCryptographicHash>
#include <QIODevice>

namespace pollux::mail {

namespace {

constexpr qint64 HeaderLimit = 1024 * 1024; // as the routing reads it

const char *const OriginatorFields[] = {
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
};

bool isOriginatorField(const QByteArray &lowerName)
{
    for (const char *name : OriginatorFields) {
        if (lowerName == name)
            return true;
    }
    return false;
}

// Every originator field of the header block as "name:value\n", in order, unfolded.
QByteArray originatorFields(const QByteArray &header)
{
    QByteArray out;
    QByteArray name;
    QByteArray value;
    const auto flushField = [&] {
        if (!name.isEmpty() && isOriginatorField(name))
            out += name + ':' + value.simplified() + '\n';
        name.clear();
        value.clear();
    };
    for (const QByteArray &rawLine : header.split('\n')) {
        QByteArray line = rawLine;
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.isEmpty() && (line.at(0) == ' ' || line.at(0) == '\t')) {
            value += ' ' + line; // continuation of the field before
            continue;
        }
        flushField();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        name = line.left(colon).trimmed().toLower();
        value = line.mid(colon + 1);
    }
    flushField();
    return out;
}

} // namespace

QString contentDigest(QIODevice *device)
{
    const QByteArray header = readHeaderBlock(device, HeaderLimit);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(originatorFields(header));
    hash.addData(QByteArrayView("\n--body--\n"));
    if (!device->seek(header.size()))
        return {};
    char buffer[64 * 1024];
    qint64 n;
    while ((n = device->read(buffer, sizeof buffer)) > 0) {
        QByteArray chunk(buffer, n);
        chunk.replace('\r', QByteArray());
        hash.addData(chunk);
    }
    const bool ok = n == 0 && device->seek(0);
    return ok ? QString::fromLatin1(hash.result().toHex()) : QString();
}

} // namespace pollux::mail
