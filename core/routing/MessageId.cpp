#include "MessageId.h"

#include "HeaderFields.h"

namespace pollux::routing {

namespace {

// Removes (nested) comments outside quoted strings.
QByteArray withoutComments(const QByteArray &in)
{
    QByteArray out;
    int depth = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c == '\\' && i + 1 < in.size()) {
            if (depth == 0)
                out += in.mid(i, 2);
            ++i;
        } else if (quoted) {
            out += c;
            quoted = c != '"';
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && depth > 0) {
            --depth;
        } else if (depth == 0) {
            out += c;
            quoted = c == '"';
        }
    }
    return out;
}

} // namespace

QString normaliseMessageId(const QByteArray &value)
{
    QByteArray v = withoutComments(value.left(4096)).trimmed();
    const qsizetype open = v.indexOf('<');
    if (open >= 0) {
        const qsizetype close = v.indexOf('>', open + 1);
        v = v.mid(open + 1, close < 0 ? -1 : close - open - 1);
    }
    QByteArray id;
    for (const char c : v) {
        if (c > 32 && c < 127)
            id += c;
    }
    if (id.isEmpty() || id.size() > 995)
        return {};
    const qsizetype at = id.lastIndexOf('@');
    if (at >= 0)
        id = id.left(at + 1) + id.mid(at + 1).toLower();
    return QString::fromLatin1(id);
}

QString duplicateKey(const QByteArray &headerBlock)
{
    const QList<QByteArray> ids = fieldValues(splitHeaderFields(headerBlock), "Message-ID");
    return ids.isEmpty() ? QString() : normaliseMessageId(ids.first());
}

} // namespace pollux::routing
