#include "TraceHeader.h"

#include <QLocale>

namespace pollux::mail {

namespace {
// Printable ASCII without characters that would end a comment or the header.
QByteArray safeToken(const QString &text)
{
    QByteArray out;
    for (const QChar c : text) {
        const ushort u = c.unicode();
        if (u > 0x20 && u < 0x7f && u != '(' && u != ')' && u != '\\' && u != ';')
            out += char(u);
        else
            out += '_';
    }
    return out.left(200);
}
} // namespace

QByteArray traceHeader(const QString &byHost, const QString &protocol, const QString &account,
                       const QString &uid, const QDateTime &when)
{
    const QString date =
        QLocale::c().toString(when.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss")) +
        QStringLiteral(" +0000");
    return "Received: by " + safeToken(byHost) + " (Pollux) with " + safeToken(protocol) +
           "\r\n\t(account " + safeToken(account) + ") id " + safeToken(uid) + ";\r\n\t" +
           date.toLatin1() + "\r\n";
}

} // namespace pollux::mail
