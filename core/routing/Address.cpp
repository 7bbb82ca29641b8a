// GMime's headers use "signals" as an identifier: include them before anything from Qt.
#include <gmime/gmime.h>

#include "Address.h"
#include "Trace.h"

#include <QUrl>

#include <mutex>

namespace pollux::routing {

namespace {

GMimeParserOptions *parserOptions()
{
    static GMimeParserOptions *options = nullptr;
    static std::once_flag once;
    std::call_once(once, [] {
        ensureGMime();
        options = g_mime_parser_options_new();
        g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_allow_addresses_without_domain(options, FALSE);
    });
    return options;
}

void collect(InternetAddressList *list, QStringList &out, int depth)
{
    if (!list || depth > 4)
        return;
    const int n = internet_address_list_length(list);
    for (int i = 0; i < n; ++i) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            collect(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out, depth + 1);
        } else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
            const QString normalised = normaliseAddress(QString::fromUtf8(addr ? addr : ""));
            if (!normalised.isEmpty())
                out << normalised;
        }
    }
}

// Outlook-style "a@x; b@y": a ';' outside quotes, comments and angle brackets, in a value
// without group syntax (no such ':'), separates addresses like ','. GMime would otherwise
// read it as the end of a group and drop the rest.
QByteArray semicolonsAsCommas(const QByteArray &value)
{
    QByteArray out = value;
    bool quoted = false;
    int comment = 0;
    bool angle = false;
    QList<qsizetype> semicolons;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value.at(i);
        if (c == '\\') {
            ++i;
        } else if (quoted) {
            quoted = c != '"';
        } else if (comment > 0) {
            comment += c == '(' ? 1 : c == ')' ? -1 : 0;
        } else if (c == '"') {
            quoted = true;
        } else if (c == '(') {
            comment = 1;
        } else if (c == '<') {
            angle = true;
        } else if (c == '>') {
            angle = false;
        } else if (c == ':' && !angle) {
            return value; // group syntax: leave it to GMime
        } else if (c == ';' && !angle) {
            semicolons << i;
        }
    }
    for (const qsizetype i : semicolons)
        out[i] = ',';
    return out;
}

} // namespace

void ensureGMime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

QString normaliseDomain(const QString &domain)
{
    QString d = domain.trimmed();
    if (d.endsWith(QLatin1Char('.')))
        d.chop(1);
    if (d.isEmpty() || d.size() > 253)
        return {};
    for (const QChar c : d) {
        // toAce accepts some of these; they never belong in a mail domain.
        if (c.isSpace() || c == QLatin1Char('@') || c == QLatin1Char('<') ||
            c == QLatin1Char('>') || c == QLatin1Char('"') || c == QLatin1Char('\\') ||
            c == QLatin1Char('[') || c == QLatin1Char(']') || c.unicode() < 0x20)
            return {};
    }
    const QByteArray ace = QUrl::toAce(d);
    if (ace.isEmpty() || ace.startsWith('.') || ace.contains(".."))
        return {};
    return QString::fromLatin1(ace).toLower();
}

QString normaliseAddress(const QString &address)
{
    QString a = address.trimmed();
    if (a.startsWith(QLatin1Char('<')) && a.endsWith(QLatin1Char('>')))
        a = a.mid(1, a.size() - 2).trimmed();
    const qsizetype at = a.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || at == a.size() - 1 || a.size() > 320)
        return {};
    const QString local = a.left(at);
    for (const QChar c : local) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == QLatin1Char('<') ||
            c == QLatin1Char('>'))
            return {};
    }
    if (local.contains(QLatin1Char(' ')) && !local.startsWith(QLatin1Char('"')))
        return {};
    const QString domain = normaliseDomain(a.mid(at + 1));
    if (domain.isEmpty())
        return {};
    return local + QLatin1Char('@') + domain;
}

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : address.mid(at + 1);
}

QString addressKey(const QString &normalisedAddress)
{
    return normalisedAddress.toLower();
}

QStringList parseAddressList(const QByteArray &value)
{
    QStringList out;
    // GMime works on C strings; a NUL in a header would cut it short anyway.
    QByteArray text = value.left(64 * 1024);
    text.replace('\0', ' ');
    text = semicolonsAsCommas(text);
    InternetAddressList *list = internet_address_list_parse(parserOptions(), text.constData());
    collect(list, out, 0);
    if (list)
        g_object_unref(list);
    return out;
}

QString decodeHeaderText(const QByteArray &value)
{
    QByteArray text = value.left(16 * 1024);
    text.replace('\0', ' ');
    char *decoded = g_mime_utils_header_decode_text(parserOptions(), text.constData());
    const QString out = QString::fromUtf8(decoded ? decoded : "");
    g_free(decoded);
    return out;
}

QString receivedFor(const QByteArray &value)
{
    return parseReceived(value).forAddresses.value(0);
}

bool isRelaySyntax(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    const QString local = at < 0 ? address : address.left(at);
    // Quoted or not: Postfix looks inside quotes by default (resolve_dequoted_address).
    for (const QChar c : local) {
        if (c == QLatin1Char('%') || c == QLatin1Char('!') || c == QLatin1Char('@'))
            return true;
    }
    return false;
}

} // namespace pollux::routing
