#include "HeaderFields.h"

namespace pollux::routing {

namespace {

bool isNameChar(char c)
{
    return c > 32 && c < 127 && c != ':';
}

} // namespace

QString HeaderRead::incompleteReason() const
{
    switch (stop) {
    case Stop::End:
        return {};
    case Stop::ByteLimit: {
        const QString where =
            !fields.isEmpty() && fields.last().cut
                ? QStringLiteral(" (cut in %1:)").arg(QString::fromLatin1(fields.last().name))
                : QString();
        return QStringLiteral("the header does not end within %1 bytes%2, what follows was "
                              "not read")
            .arg(maxBytes)
            .arg(where);
    }
    case Stop::FieldLimit:
        return QStringLiteral("the header has more than %1 fields, the rest were not read")
            .arg(maxFields);
    }
    return {};
}

HeaderRead readHeaderFields(const QByteArray &block, qsizetype maxBytes, int maxFields)
{
    HeaderRead read;
    read.maxBytes = maxBytes;
    read.maxFields = maxFields;
    QList<HeaderField> &fields = read.fields;
    qsizetype pos = 0;
    const qsizetype size = qMin(block.size(), maxBytes);
    bool current = false; // the last line began a field that continuation lines extend
    bool ended = false;   // the empty line was seen
    while (pos < size) {
        // One physical line, ending in LF, CRLF or a bare CR.
        qsizetype end = pos;
        while (end < size && block.at(end) != '\n' && block.at(end) != '\r')
            ++end;
        const QByteArray line = block.mid(pos, end - pos);
        if (end < size && block.at(end) == '\r' && end + 1 < size && block.at(end + 1) == '\n')
            pos = end + 2;
        else
            pos = end + 1;

        if (line.isEmpty()) {
            ended = true;
            break; // end of the header
        }
        if (line.at(0) == ' ' || line.at(0) == '\t') {
            if (current)
                fields.last().value += ' ' + line.trimmed();
            continue;
        }
        current = false;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue; // garbage line (or an mbox "From " line)
        const QByteArray name = line.left(colon).trimmed();
        bool ok = !name.isEmpty();
        for (const char c : name)
            ok = ok && isNameChar(c);
        if (!ok)
            continue;
        if (fields.size() == maxFields) {
            read.stop = HeaderRead::Stop::FieldLimit;
            return read;
        }
        fields.append({name, line.mid(colon + 1).trimmed()});
        current = true;
    }
    if (!ended && block.size() >= maxBytes) {
        read.stop = HeaderRead::Stop::ByteLimit;
        if (current)
            fields.last().cut = true;
    }
    return read;
}

QList<HeaderField> splitHeaderFields(const QByteArray &block, int maxFields)
{
    return readHeaderFields(block, block.size() + 1, maxFields).fields;
}

QList<QByteArray> fieldValues(const QList<HeaderField> &fields, const QByteArray &name)
{
    QList<QByteArray> out;
    for (const HeaderField &f : fields) {
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            out << f.value;
    }
    return out;
}

int fieldCount(const QList<HeaderField> &fields, const QByteArray &name)
{
    int n = 0;
    for (const HeaderField &f : fields)
        n += f.name.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
    return n;
}

} // namespace pollux::routing
