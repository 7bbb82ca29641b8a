#include "Trace.h"

#include "Address.h"

#include <QHostAddress>

namespace pollux::routing {

namespace {

struct Token
{
    enum Kind
    {
        Word,
        Angle,   // <...>, text without the brackets
        Comment, // (...), text without the outer parentheses
        Comma,
        Semicolon,
    };
    Kind kind;
    QByteArray text;
};

// From a '"' at `pos` to after the closing one (backslash escapes honoured); an
// unterminated string runs to the end.
qsizetype skipQuoted(const QByteArray &v, qsizetype pos)
{
    for (++pos; pos < v.size(); ++pos) {
        if (v.at(pos) == '\\')
            ++pos;
        else if (v.at(pos) == '"')
            return pos + 1;
    }
    return v.size();
}

// The top-level tokens of a Received: value. Comments nest; a quoted string inside a
// comment or an angle address is opaque (a ')' or '>' in it ends nothing). Anything
// unterminated runs to the end of the value.
QList<Token> tokenize(const QByteArray &v)
{
    QList<Token> out;
    qsizetype pos = 0;
    const qsizetype size = v.size();
    while (pos < size) {
        const char c = v.at(pos);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++pos;
        } else if (c == '(') {
            const qsizetype start = ++pos;
            int depth = 1;
            while (pos < size && depth > 0) {
                const char d = v.at(pos);
                if (d == '\\') {
                    pos += 2;
                    continue;
                }
                if (d == '"') {
                    pos = skipQuoted(v, pos);
                    continue;
                }
                depth += d == '(' ? 1 : d == ')' ? -1 : 0;
                ++pos;
            }
            out.append({Token::Comment, v.mid(start, (depth == 0 ? pos - 1 : pos) - start)});
        } else if (c == '<') {
            const qsizetype start = ++pos;
            while (pos < size && v.at(pos) != '>') {
                if (v.at(pos) == '"')
                    pos = skipQuoted(v, pos);
                else
                    pos += v.at(pos) == '\\' ? 2 : 1;
            }
            out.append({Token::Angle, v.mid(start, qMin(pos, size) - start)});
            ++pos;
        } else if (c == ',') {
            out.append(Token{Token::Comma, {}});
            ++pos;
        } else if (c == ';') {
            out.append(Token{Token::Semicolon, {}});
            ++pos;
        } else {
            const qsizetype start = pos;
            while (pos < size) {
                const char d = v.at(pos);
                if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == '(' || d == '<' ||
                    d == ',' || d == ';')
                    break;
                pos = d == '"' ? skipQuoted(v, pos) : pos + 1;
            }
            out.append({Token::Word, v.mid(start, qMin(pos, size) - start)});
        }
    }
    return out;
}

bool isKeyword(const Token &t, const char *word)
{
    return t.kind == Token::Word && t.text.compare(word, Qt::CaseInsensitive) == 0;
}

QString hostName(QByteArray word)
{
    if (word.endsWith('.'))
        word.chop(1);
    return QString::fromUtf8(word).toLower();
}

// "[192.0.2.1]", "[IPv6:2001:db8::1]", "192.0.2.1", "2001:db8::1": an address, not a name.
bool isAddressLiteral(const QByteArray &word)
{
    QByteArray w = word;
    if (w.startsWith('[') && w.endsWith(']'))
        w = w.mid(1, w.size() - 2);
    if (w.startsWith("IPv6:") || w.startsWith("ipv6:"))
        w = w.mid(5);
    if (w.isEmpty())
        return false;
    bool colon = false;
    for (const char c : w) {
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        colon = colon || c == ':';
        if (!hex && c != '.' && c != ':')
            return false;
    }
    // A name made of hex letters and dots ("cafe.be") is a name: a literal has a colon or
    // only digits and dots.
    if (colon)
        return true;
    for (const char c : w) {
        if (c != '.' && (c < '0' || c > '9'))
            return false;
    }
    return true;
}

bool isPrivate(QByteArray literal)
{
    if (literal.startsWith('[') && literal.endsWith(']'))
        literal = literal.mid(1, literal.size() - 2);
    if (literal.startsWith("IPv6:") || literal.startsWith("ipv6:"))
        literal = literal.mid(5);
    const QHostAddress a(QString::fromLatin1(literal));
    if (a.isNull())
        return false;
    if (a.isLoopback())
        return true;
    for (const char *net :
         {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10"}) {
        if (a.isInSubnet(QHostAddress::parseSubnet(QString::fromLatin1(net))))
            return true;
    }
    return false;
}

// The words of the TCP-info comment after the from-domain, as names.
void addCommentNames(const QByteArray &comment, ReceivedLine &line)
{
    QStringList &names = line.fromNames;
    QByteArray text = comment;
    for (char &c : text) {
        if (c == '(' || c == ')' || c == '"')
            c = ' ';
    }
    for (QByteArray word : text.simplified().split(' ')) {
        if (word.isEmpty())
            continue;
        const bool helo = word.startsWith("helo=") || word.startsWith("HELO=");
        if (helo)
            word = word.mid(5);
        if (word.isEmpty())
            continue;
        if (isAddressLiteral(word)) {
            line.publicAddress = line.publicAddress || !isPrivate(word);
            continue;
        }
        line.commentNamesHost = line.commentNamesHost || !helo;
        names << hostName(word);
    }
}

bool isLocalhost(const QString &name)
{
    return name == QLatin1String("localhost") || name == QLatin1String("localhost.localdomain");
}

} // namespace

ReceivedLine parseReceived(const QByteArray &value)
{
    ReceivedLine line;
    QList<Token> tokens = tokenize(value.left(16 * 1024));
    // The date follows the first top-level ';' (no received-token has one). Not the last:
    // a sender whose header starts with a continuation line ("\tfor <ceo@...>; x") has it
    // folded onto the end of the provider's inbound line, after the provider's date.
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        if (tokens.at(i).kind == Token::Semicolon) {
            tokens.resize(i);
            break;
        }
    }
    qsizetype next = 0;
    if (!tokens.isEmpty() && isKeyword(tokens.first(), "from")) {
        line.hasFrom = true;
        next = 1;
        if (tokens.size() > 1 && tokens.at(1).kind == Token::Word) {
            line.fromHost = hostName(tokens.at(1).text);
            line.fromIsLiteral = isAddressLiteral(tokens.at(1).text);
            if (!line.fromIsLiteral)
                line.fromNames << line.fromHost;
            next = 2;
            if (tokens.size() > 2 && tokens.at(2).kind == Token::Comment) {
                addCommentNames(tokens.at(2).text, line);
                next = 3;
            }
        }
    }
    // The last top-level "by": a HELO name cannot hide the real one, which comes after it.
    qsizetype by = -1;
    for (qsizetype i = next; i < tokens.size(); ++i) {
        if (isKeyword(tokens.at(i), "by"))
            by = i;
    }
    // Only comments may follow the from-domain (Postfix's TLS comments); a word there (a HELO
    // name with a space pushes the TCP-info comment away) makes the clause unreadable.
    for (qsizetype i = line.hasFrom ? 2 : tokens.size(); i < (by < 0 ? tokens.size() : by); ++i)
        line.fromIrregular = line.fromIrregular || tokens.at(i).kind != Token::Comment;
    if (by < 0)
        return line;
    if (by + 1 < tokens.size() && tokens.at(by + 1).kind == Token::Word)
        line.byHost = hostName(tokens.at(by + 1).text);

    qsizetype forAt = -1;
    for (qsizetype i = by + 1; i < tokens.size(); ++i) {
        if (isKeyword(tokens.at(i), "for"))
            forAt = i;
    }
    if (forAt < 0)
        return line;
    // addr [, addr ...] then nothing but comments.
    QStringList addresses;
    qsizetype i = forAt + 1;
    bool expectAddress = true;
    for (; i < tokens.size(); ++i) {
        const Token &t = tokens.at(i);
        if (t.kind == Token::Comment)
            continue;
        if (expectAddress && (t.kind == Token::Angle || t.kind == Token::Word)) {
            const QString a = normaliseAddress(QString::fromUtf8(t.text));
            if (a.isEmpty())
                return line; // not an address: not a for clause we understand
            addresses << a;
            expectAddress = false;
        } else if (!expectAddress && t.kind == Token::Comma) {
            expectAddress = true;
        } else {
            return line; // more clauses after "for": it is not the provider's last clause
        }
    }
    if (!expectAddress)
        line.forAddresses = addresses;
    return line;
}

ProviderHosts::ProviderHosts(const QStringList &entries)
{
    for (QString e : entries) {
        e = e.trimmed();
        if (e.startsWith(QLatin1Char('.')))
            e = e.mid(1);
        const QString n = normaliseDomain(e);
        if (!n.isEmpty() && !isLocalhost(n))
            m_entries << n;
    }
}

bool ProviderHosts::contains(const QString &host) const
{
    const QString h = normaliseDomain(host);
    if (h.isEmpty())
        return false;
    for (const QString &e : m_entries) {
        if (h == e || (h.endsWith(e) && h.at(h.size() - e.size() - 1) == QLatin1Char('.')))
            return true;
    }
    return false;
}

bool isInternalHop(const ReceivedLine &line, const ProviderHosts &hosts)
{
    if (!line.hasFrom || line.fromIsLiteral || line.fromIrregular || line.fromNames.isEmpty() ||
        hosts.isEmpty())
        return false;
    if (!line.commentNamesHost && line.publicAddress)
        return false;
    for (const QString &name : line.fromNames) {
        if (!isLocalhost(name) && !hosts.contains(name))
            return false;
    }
    return true;
}

ProviderTrace providerTrace(const QList<HeaderField> &fields, const ProviderHosts &hosts)
{
    ProviderTrace trace;
    for (int i = 0; i < fields.size(); ++i) {
        if (fields.at(i).name.compare("Received", Qt::CaseInsensitive) != 0)
            continue;
        trace.receivedLines << i;
        trace.inbound = i;
        if (!isInternalHop(parseReceived(fields.at(i).value), hosts))
            break;
    }
    return trace;
}

} // namespace pollux::routing
