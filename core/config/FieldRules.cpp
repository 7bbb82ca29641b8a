#include "FieldRules.h"

#include <QStringList>
#include <QUrl>

namespace pollux::FieldRules {

bool hasControl(const QString &s)
{
    for (const QChar c : s) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

bool hasSpaceOrControl(const QString &s)
{
    for (const QChar c : s) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

bool isEndpointUrl(const QString &s)
{
    const QUrl u(s, QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty() || !u.userInfo().isEmpty())
        return false;
    if (u.scheme() == QLatin1String("https"))
        return true;
    const QString host = u.host();
    const bool loopback = host == QLatin1String("localhost") || host == QLatin1String("::1") ||
                          host.startsWith(QLatin1String("127."));
    return u.scheme() == QLatin1String("http") && loopback;
}

bool isDomainName(const QString &domain)
{
    if (domain.isEmpty() || domain.size() > 253)
        return false;
    const QStringList labels = domain.split(QLatin1Char('.'));
    for (const QString &label : labels) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(QLatin1Char('-')) ||
            label.endsWith(QLatin1Char('-')))
            return false;
        for (const QChar c : label) {
            if (!c.isLetterOrNumber() && c != QLatin1Char('-'))
                return false;
        }
    }
    return true;
}

namespace {
// RFC 5321 Quoted-string: "..." with printable ASCII, space, and \-escaped pairs inside.
bool isQuotedLocalPart(const QString &local)
{
    if (local.size() < 2 || !local.startsWith(QLatin1Char('"')) ||
        !local.endsWith(QLatin1Char('"')))
        return false;
    for (qsizetype i = 1; i + 1 < local.size(); ++i) {
        const ushort u = local.at(i).unicode();
        if (u < 0x20 || u == 0x7f)
            return false;
        if (u == '\\') {
            if (++i + 1 >= local.size() || local.at(i).unicode() < 0x20)
                return false;
        } else if (u == '"') {
            return false;
        }
    }
    return true;
}
} // namespace

bool looksLikeAddress(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || hasControl(address))
        return false;
    const QString local = address.left(at);
    if (local.startsWith(QLatin1Char('"')))
        return isQuotedLocalPart(local) && isDomainName(address.mid(at + 1));
    if (hasSpaceOrControl(address))
        return false;
    for (const QChar c : local) {
        if (c == QLatin1Char('<') || c == QLatin1Char('>') || c == QLatin1Char(',') ||
            c == QLatin1Char(';') || c == QLatin1Char('@') || c == QLatin1Char('"'))
            return false;
    }
    return isDomainName(address.mid(at + 1));
}

bool isFingerprint(const QString &hex)
{
    QString digits = hex;
    digits.remove(QLatin1Char(':'));
    if (digits.size() != 64)
        return false;
    for (const QChar c : digits) {
        const QChar l = c.toLower();
        if (!c.isDigit() && (l < QLatin1Char('a') || l > QLatin1Char('f')))
            return false;
    }
    return true;
}

bool isHeaderName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (const QChar c : name) {
        if (c.unicode() <= 32 || c.unicode() >= 127 || c == QLatin1Char(':'))
            return false;
    }
    return true;
}

} // namespace pollux::FieldRules
