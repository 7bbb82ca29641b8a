#include "MessageHeader.h"

#include <QIODevice>
#include <QRegularExpression>

namespace pollux::mail {

QByteArray readHeaderBlock(QIODevice *device, qint64 maxBytes)
{
    QByteArray block;
    if (!device->seek(0))
        return block;
    char buf[8192];
    while (block.size() < maxBytes) {
        const qint64 n = device->read(buf, qMin<qint64>(sizeof buf, maxBytes - block.size()));
        if (n <= 0)
            break;
        block.append(buf, n);
        const qsizetype crlf = block.indexOf("\r\n\r\n");
        const qsizetype lf = block.indexOf("\n\n");
        qsizetype end = -1;
        if (crlf >= 0 && (lf < 0 || crlf < lf))
            end = crlf + 2;
        else if (lf >= 0)
            end = lf + 1;
        if (end >= 0) {
            block.truncate(end);
            break;
        }
    }
    device->seek(0);
    return block;
}

QByteArray headerValue(const QByteArray &headerBlock, const QByteArray &name)
{
    const QByteArray lowerName = name.toLower() + ':';
    qsizetype pos = 0;
    while (pos < headerBlock.size()) {
        qsizetype eol = headerBlock.indexOf('\n', pos);
        if (eol < 0)
            eol = headerBlock.size();
        if (headerBlock.mid(pos, lowerName.size()).toLower() == lowerName) {
            QByteArray value =
                headerBlock.mid(pos + lowerName.size(), eol - pos - lowerName.size());
            // Unfold continuation lines.
            qsizetype next = eol + 1;
            while (next < headerBlock.size() &&
                   (headerBlock.at(next) == ' ' || headerBlock.at(next) == '\t')) {
                qsizetype e = headerBlock.indexOf('\n', next);
                if (e < 0)
                    e = headerBlock.size();
                value += ' ' + headerBlock.mid(next, e - next).trimmed();
                next = e + 1;
            }
            return value.trimmed();
        }
        pos = eol + 1;
    }
    return {};
}

QString firstAddress(const QByteArray &value)
{
    static const QRegularExpression angle(QStringLiteral("<([^<>\\s@]+@[^<>\\s@]+)>"));
    static const QRegularExpression bare(QStringLiteral("([^<>\\s@,;:\"()]+@[^<>\\s@,;:\"()]+)"));
    const QString text = QString::fromUtf8(value);
    QRegularExpressionMatch m = angle.match(text);
    if (m.hasMatch())
        return m.captured(1);
    m = bare.match(text);
    return m.hasMatch() ? m.captured(1) : QString();
}

QString envelopeSender(const QByteArray &headerBlock)
{
    for (const char *name : {"Return-Path", "Sender", "From"}) {
        const QByteArray v = headerValue(headerBlock, name);
        if (v.isEmpty())
            continue;
        const QString addr = firstAddress(v);
        if (!addr.isEmpty())
            return addr;
        if (qstrcmp(name, "Return-Path") == 0 && v.contains("<>"))
            return {};
    }
    return {};
}

} // namespace pollux::mail
