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

// The mailboxes of `list`, groups expanded, appended to `out` when usable; returns how many
// mailboxes GMime found (usable or not). Groups: readAddressList() hands GMime none it can
// see (and no entry with more ':' than the guard), so the guard never drops anything.
int collect(InternetAddressList *list, QStringList &out, int depth)
{
    if (!list || depth > kMaxEntryColons)
        return 0;
    int found = 0;
    const int n = internet_address_list_length(list);
    for (int i = 0; i < n; ++i) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            found += collect(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out,
                             depth + 1);
        } else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            ++found;
            const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
            const QString normalised = normaliseAddress(QString::fromUtf8(addr ? addr : ""));
            if (!normalised.isEmpty())
                out << normalised;
        }
    }
    return found;
}

// One entry of an address list: the bytes between two separators - ',', ';' or ':'
// outside quotes, comments and <...>. Splitting at ':' and ';' expands groups ("team: a,
// b;" gives "team", "a", "b") and reads Outlook's "a@x; b@y" like "a@x, b@y" (GMime alone
// would take the ';' for the end of a group and drop the rest); GMime is never handed a
// group, so it never recurses into nested ones (it overflows the stack past about 30,000).
struct Entry
{
    qsizetype begin = 0;
    qsizetype end = 0;
    bool hasAt = false; // an '@' outside quotes and comments: it meant to name an address
};

// The entries of `text` in order, and what ended the scan early: (`cut`) the end of a
// value that went on - the entry at the cut is left out, it may be half an address - or
// syntax that never ends - the last entry then runs to the end of the text, for GMime's
// loose reading. One pass, no recursion.
struct Scan
{
    QList<Entry> entries;
    AddressList::Problem problem = AddressList::Problem::None;
    QString detail;
};

Scan scanEntries(const QByteArray &text, bool cut)
{
    Scan s;
    bool quoted = false;
    int comment = 0;
    bool angle = false;
    qsizetype open = -1;  // where the outermost unclosed quote, comment or '<' began
    bool literal = false; // inside [...] (never reported unclosed: ends with its entry)
    Entry entry;
    const auto next = [&](qsizetype end) {
        literal = false;
        entry.end = end;
        if (!text.mid(entry.begin, entry.end - entry.begin).trimmed().isEmpty())
            s.entries << entry;
        entry = Entry();
        entry.begin = end + 1;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '\\') {
            ++i; // a quoted pair: the next byte is taken literally
        } else if (quoted) {
            if (c == '"') {
                quoted = false;
                open = angle ? open : -1;
            }
        } else if (comment > 0) {
            comment += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (comment == 0)
                open = angle ? open : -1;
        } else if (c == '"' || c == '(') {
            quoted = c == '"';
            comment = c == '(' ? 1 : 0;
            open = angle ? open : i;
        } else if (c == '<') {
            if (!angle)
                open = i;
            angle = true;
        } else if (c == '>') {
            if (angle)
                open = -1;
            angle = false;
        } else if (c == '@') {
            entry.hasAt = true;
        } else if (c == '[' || c == ']') {
            literal = c == '['; // a domain literal "[IPv6:2001:db8::1]": its ':' separate nothing
        } else if (!angle && (c == ',' || c == ';' || (c == ':' && !literal))) {
            // Inside <...>, ',' and ':' belong to a source route "<@a,@b:u@x>".
            next(i);
        }
    }
    if (cut) {
        // Also when a quote or comment is open: the cut may be why, and the tail must not
        // be read loosely (half an address in it would pass for a whole one).
        s.problem = AddressList::Problem::Cut;
        s.detail = QStringLiteral("cut after %1 bytes").arg(text.size());
    } else if (quoted || comment > 0 || angle) {
        s.problem = AddressList::Problem::Unterminated;
        const char first = text.at(open);
        s.detail = QStringLiteral("%1 at byte %2 never ends")
                       .arg(first == '"'   ? QStringLiteral("a quoted string")
                            : first == '(' ? QStringLiteral("a comment")
                                           : QStringLiteral("an address in <...>"))
                       .arg(open);
        // What is quoted by mistake may well hold addresses: GMime reads loosely.
        entry.hasAt = text.indexOf('@', entry.begin) >= 0;
        next(text.size());
    } else {
        next(text.size());
    }
    return s;
}

// An entry for a message: printable, at most 60 characters.
QString excerpt(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.trimmed());
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    }
    return text.size() > 60 ? text.left(57) + QStringLiteral("...") : text;
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

AddressList readAddressList(const QByteArray &value, bool cut, int maxAddresses)
{
    AddressList out;
    // GMime works on C strings; a NUL in a header would cut it short anyway.
    QByteArray text = value.left(kMaxAddressListBytes);
    cut = cut || value.size() > kMaxAddressListBytes;
    text.replace('\0', ' ');
    const Scan scan = scanEntries(text, cut);
    int unreadable = 0;
    QString firstUnreadable;
    for (const Entry &e : scan.entries) {
        if (!e.hasAt)
            continue; // a group's name, a bare word: no address in it, nothing to read
        const QByteArray entry = text.mid(e.begin, e.end - e.begin);
        int found = 0;
        // Left of a separator, a ':' is quoted or in a comment or <...>, where GMime reads
        // no group - unless its reading of broken syntax differs from scanEntries'. Then
        // many of them could nest: such an entry is not read at all.
        if (entry.count(':') <= kMaxEntryColons) {
            InternetAddressList *list =
                internet_address_list_parse(parserOptions(), entry.constData());
            found = collect(list, out.addresses, 0);
            if (list)
                g_object_unref(list);
        }
        if (found == 0 && unreadable++ == 0)
            firstUnreadable = excerpt(entry);
        // Unreadable entries count: 500,000 of "@," are as much work as addresses.
        out.entries = int(out.addresses.size()) + unreadable;
        if (out.entries > maxAddresses) {
            out.addresses.resize(qMin<qsizetype>(out.addresses.size(), maxAddresses));
            out.entries = maxAddresses;
            out.problem = AddressList::Problem::TooMany;
            out.detail = QStringLiteral("more than %1 addresses").arg(maxAddresses);
            break;
        }
    }
    if (out.problem == AddressList::Problem::None && scan.problem != AddressList::Problem::None) {
        out.problem = scan.problem;
        out.detail = scan.detail;
    }
    if (out.problem != AddressList::Problem::None) {
        out.detail += out.problem == AddressList::Problem::Unterminated
                          ? QStringLiteral(", what follows could not be read reliably")
                          : QStringLiteral(", the rest was not read");
        if (!out.addresses.isEmpty())
            out.detail += QStringLiteral(" (the last address read: %1)").arg(out.addresses.last());
    } else if (unreadable > 0) {
        out.problem = AddressList::Problem::Unreadable;
        out.detail =
            unreadable == 1
                ? QStringLiteral("no address could be read from \"%1\"").arg(firstUnreadable)
                : QStringLiteral("%1 entries could not be read, the first: \"%2\"")
                      .arg(unreadable)
                      .arg(firstUnreadable);
    }
    return out;
}

QStringList parseAddressList(const QByteArray &value)
{
    return readAddressList(value).addresses;
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
