#include "SmtpAddress.h"

namespace pollux::smtp {

namespace {

bool isControl(QChar c)
{
    const char16_t u = c.unicode();
    return u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0);
}

// RFC 5322 atext, with RFC 6531's UTF8-non-ascii.
bool isAtext(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= 0x80)
        return !isControl(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))
        return true;
    return u < 0x80 && std::char_traits<char>::find("!#$%&'*+-/=?^_`{|}~", 19, char(u));
}

bool isDotString(const QString &s)
{
    if (s.isEmpty() || s.startsWith(QLatin1Char('.')) || s.endsWith(QLatin1Char('.')) ||
        s.contains(QLatin1String("..")))
        return false;
    for (const QChar c : s)
        if (c != QLatin1Char('.') && !isAtext(c))
            return false;
    return true;
}

// RFC 5322 local-part = word *("." word), word = atom / quoted-string (no comments, no
// folding: a header's local part has been unfolded by the parser). False if it is not.
bool parseLocalPart(const QString &local, QString &decoded)
{
    decoded.clear();
    qsizetype i = 0;
    const qsizetype n = local.size();
    if (n == 0)
        return false;
    while (true) {
        if (i < n && local.at(i) == QLatin1Char('"')) {
            ++i;
            bool closed = false;
            while (i < n) {
                const QChar c = local.at(i++);
                if (c == QLatin1Char('"')) {
                    closed = true;
                    break;
                }
                if (c == QLatin1Char('\\')) {
                    if (i >= n)
                        return false;
                    decoded += local.at(i++);
                } else {
                    decoded += c;
                }
            }
            if (!closed)
                return false;
        } else {
            const qsizetype start = i;
            while (i < n && isAtext(local.at(i)))
                ++i;
            if (i == start)
                return false;
            decoded += local.mid(start, i - start);
        }
        if (i == n)
            return true;
        if (local.at(i) != QLatin1Char('.'))
            return false;
        decoded += QLatin1Char('.');
        ++i;
    }
}

// A domain, or an RFC 5321 address literal "[...]". Lenient on purpose (the sender comes
// from message headers, and the server is the judge of a strange but harmless domain):
// refused are only what would be ambiguous inside <...> or break the command line -
// white space, controls, '<', '>', '"', '\\', brackets other than an address literal's,
// and an empty name or label. Non-ASCII sets utf8 (an IDN U-label, RFC 6531).
bool isDomain(const QString &domain, bool &utf8)
{
    if (domain.startsWith(QLatin1Char('[')) && domain.endsWith(QLatin1Char(']'))) {
        if (domain.size() < 3)
            return false;
        for (qsizetype i = 1; i + 1 < domain.size(); ++i) {
            const char16_t u = domain.at(i).unicode();
            if (u < 33 || u > 126 || u == '[' || u == '\\' || u == ']')
                return false; // RFC 5321 dcontent
        }
        return true;
    }
    if (domain.isEmpty() || domain.startsWith(QLatin1Char('.')) ||
        domain.contains(QLatin1String("..")))
        return false;
    for (const QChar c : domain) {
        const char16_t u = c.unicode();
        if (u >= 0x80 && !isControl(c)) {
            utf8 = true;
            continue;
        }
        if (u <= 0x20 || u >= 0x7f || u == '<' || u == '>' || u == '"' || u == '\\' || u == '[' ||
            u == ']')
            return false;
    }
    return true;
}

} // namespace

QString decodeLocalPart(const QString &local)
{
    QString decoded;
    return parseLocalPart(local, decoded) ? decoded : local;
}

QByteArray encodeLocalPart(const QString &decoded)
{
    for (const QChar c : decoded)
        if (isControl(c))
            return {};
    if (isDotString(decoded))
        return decoded.toUtf8();
    QByteArray out = "\"";
    for (const QChar c : decoded) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out += '\\';
        out += QString(c).toUtf8();
    }
    return out + '"';
}

WireAddress encodeMailbox(const QString &address, bool allowNull)
{
    WireAddress out;
    if (address.isEmpty()) {
        if (!allowNull)
            out.problem = AddressProblem::Empty;
        return out;
    }
    for (const QChar c : address) {
        if (isControl(c)) {
            out.problem = AddressProblem::Control;
            return out;
        }
    }
    if (address.size() > 4 * MaxMailboxBytes) { // cheap bound before any work
        out.problem = AddressProblem::TooLong;
        return out;
    }
    // No '@' at all: a bare local part, as RFC 5321 allows for <Postmaster> (and servers
    // take for their own domain); it is encoded like any local part.
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    if (at == 0) {
        out.problem = AddressProblem::Malformed;
        return out;
    }
    const QString local = decodeLocalPart(at < 0 ? address : address.left(at));
    const QString domain = at < 0 ? QString() : address.mid(at + 1);
    bool utf8 = false;
    if (at > 0 && !isDomain(domain, utf8)) {
        out.problem = AddressProblem::Malformed;
        return out;
    }
    for (const QChar c : local)
        if (c.unicode() >= 0x80)
            utf8 = true;
    const QByteArray wireLocal = encodeLocalPart(local);
    if (wireLocal.isEmpty()) {
        out.problem = AddressProblem::Control;
        return out;
    }
    out.mailbox = at < 0 ? wireLocal : wireLocal + '@' + domain.toUtf8();
    out.utf8 = utf8;
    if (out.mailbox.size() > MaxMailboxBytes) {
        out.mailbox.clear();
        out.problem = AddressProblem::TooLong;
    }
    return out;
}

QString problemText(AddressProblem problem)
{
    switch (problem) {
    case AddressProblem::None:
        break;
    case AddressProblem::Empty:
        return QStringLiteral("empty address");
    case AddressProblem::Malformed:
        return QStringLiteral("not a mailbox of the form local-part@domain");
    case AddressProblem::Control:
        return QStringLiteral("the address contains a control character (CR, LF, NUL, ...)");
    case AddressProblem::TooLong:
        return QStringLiteral("the address is longer than %1 bytes").arg(MaxMailboxBytes);
    case AddressProblem::NeedsSmtpUtf8:
        return QStringLiteral("the address is not ASCII and the server does not offer "
                              "SMTPUTF8");
    }
    return {};
}

} // namespace pollux::smtp
