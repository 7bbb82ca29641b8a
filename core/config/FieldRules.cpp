#include "FieldRules.h"

#include <QStringList>

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

bool looksLikeAddress(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || hasSpaceOrControl(address))
        return false;
    for (const QChar c : address.left(at)) {
        if (c == QLatin1Char('<') || c == QLatin1Char('>') || c == QLatin1Char(',') ||
            c == QLatin1Char(';') || c == QLatin1Char('@'))
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
