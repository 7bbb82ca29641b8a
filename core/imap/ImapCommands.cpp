#include "ImapCommands.h"

#include <algorithm>
#include <cstring>

namespace pollux::imap {

namespace {

// RFC 3501 5.1.3: base64 with "," instead of "/" and no padding.
const char Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

QByteArray encodeRun(const QString &run)
{
    QByteArray utf16;
    for (QChar c : run) {
        utf16 += char(c.unicode() >> 8);
        utf16 += char(c.unicode() & 0xff);
    }
    QByteArray out = "&";
    int bits = 0;
    quint32 buffer = 0;
    for (char byte : std::as_const(utf16)) {
        buffer = (buffer << 8) | uchar(byte);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += Alphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0)
        out += Alphabet[(buffer << (6 - bits)) & 0x3f];
    return out + '-';
}

} // namespace

QByteArray encodeMailboxName(const QString &name)
{
    QByteArray out;
    QString run;
    for (QChar c : name) {
        const ushort u = c.unicode();
        if (u >= 0x20 && u <= 0x7e) {
            if (!run.isEmpty()) {
                out += encodeRun(run);
                run.clear();
            }
            out += u == '&' ? QByteArray("&-") : QByteArray(1, char(u));
        } else {
            run += c;
        }
    }
    if (!run.isEmpty())
        out += encodeRun(run);
    return out;
}

QString decodeMailboxName(const QByteArray &encoded)
{
    QString out;
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded.at(i);
        if (c != '&') {
            out += QLatin1Char(c);
            continue;
        }
        const qsizetype end = encoded.indexOf('-', i + 1);
        if (end < 0)
            return out + QString::fromLatin1(encoded.mid(i));
        if (end == i + 1) {
            out += QLatin1Char('&');
            i = end;
            continue;
        }
        quint32 buffer = 0;
        int bits = 0;
        QByteArray utf16;
        for (qsizetype j = i + 1; j < end; ++j) {
            const char *p = std::strchr(Alphabet, encoded.at(j));
            if (!p || !*p)
                return out + QString::fromLatin1(encoded.mid(i));
            buffer = (buffer << 6) | quint32(p - Alphabet);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                utf16 += char((buffer >> bits) & 0xff);
            }
        }
        for (qsizetype k = 0; k + 1 < utf16.size(); k += 2)
            out += QChar(ushort((uchar(utf16.at(k)) << 8) | uchar(utf16.at(k + 1))));
        i = end;
    }
    return out;
}

bool isSendable(const QByteArray &value)
{
    return !value.contains('\0');
}

QByteArray quoteString(const QByteArray &value, bool *literal)
{
    for (char c : value) {
        if (uchar(c) >= 0x80 || c == '\r' || c == '\n' || c == '\0') {
            *literal = true;
            return value;
        }
    }
    *literal = false;
    QByteArray out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

QByteArray uidSet(QList<qint64> uids)
{
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    QByteArray out;
    for (qsizetype i = 0; i < uids.size();) {
        qsizetype j = i;
        while (j + 1 < uids.size() && uids.at(j + 1) == uids.at(j) + 1)
            ++j;
        if (!out.isEmpty())
            out += ',';
        out += QByteArray::number(uids.at(i));
        if (j > i)
            out += ':' + QByteArray::number(uids.at(j));
        i = j + 1;
    }
    return out;
}

} // namespace pollux::imap
