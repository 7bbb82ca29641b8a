#include "ConfigKeys.h"

#include <QHash>
#include <QList>

#include <algorithm>
#include <vector>

namespace pollux::ConfigKeys {

bool isNote(const QString &key)
{
    return key == QLatin1String("comment") ||
           key.startsWith(QLatin1String("x-"), Qt::CaseInsensitive);
}

namespace {

// One open object or array while scanning; `key` / `index` say where its current child is.
struct Frame
{
    bool object = true;
    bool expectKey = true;     // objects: the next string is a key
    QString key;               // objects: the key of the current member
    int index = 0;             // arrays: the current element
    QHash<QString, int> lines; // objects: key -> line of its first appearance
};

// The path of the current position inside the frames, e.g. accounts[1].retention.
QString pathOf(const QList<Frame> &frames)
{
    QString path;
    for (const Frame &f : frames) {
        if (f.object)
            path += (path.isEmpty() ? QString() : QStringLiteral(".")) + f.key;
        else
            path += QLatin1Char('[') + QString::number(f.index) + QLatin1Char(']');
    }
    return path;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Reads the string starting at the quote at `pos`; `pos` ends after its closing quote.
QString readString(const QByteArray &json, qsizetype &pos)
{
    QString out;
    QByteArray run;
    ++pos; // the opening quote
    while (pos < json.size() && json.at(pos) != '"') {
        const char c = json.at(pos++);
        if (c != '\\' || pos >= json.size()) {
            run.append(c);
            continue;
        }
        out += QString::fromUtf8(run);
        run.clear();
        const char e = json.at(pos++);
        switch (e) {
        case 'b':
            out += QLatin1Char('\b');
            break;
        case 'f':
            out += QLatin1Char('\f');
            break;
        case 'n':
            out += QLatin1Char('\n');
            break;
        case 'r':
            out += QLatin1Char('\r');
            break;
        case 't':
            out += QLatin1Char('\t');
            break;
        case 'u': {
            int unit = 0;
            for (int i = 0; i < 4 && pos < json.size(); ++i)
                unit = unit * 16 + qMax(0, hexValue(json.at(pos++)));
            out += QChar(char16_t(unit)); // a surrogate pair is two escapes in a row
            break;
        }
        default:
            out += QLatin1Char(e);
            break; // \" \\ \/
        }
    }
    ++pos; // the closing quote
    return out + QString::fromUtf8(run);
}

} // namespace

QStringList duplicateKeys(const QByteArray &json)
{
    QStringList problems;
    QList<Frame> frames;
    int line = 1;
    qsizetype pos = 0;
    while (pos < json.size()) {
        const char c = json.at(pos);
        switch (c) {
        case '\n':
            ++line;
            ++pos;
            break;
        case '{':
        case '[': {
            Frame f;
            f.object = c == '{';
            frames.append(f);
            ++pos;
            break;
        }
        case '}':
        case ']':
            if (!frames.isEmpty())
                frames.removeLast();
            ++pos;
            break;
        case ',':
            if (!frames.isEmpty()) {
                Frame &top = frames.last();
                if (top.object)
                    top.expectKey = true;
                else
                    ++top.index;
            }
            ++pos;
            break;
        case '"': {
            const QString text = readString(json, pos);
            if (frames.isEmpty() || !frames.last().object || !frames.last().expectKey)
                break; // a value
            Frame &top = frames.last();
            top.expectKey = false;
            top.key = text;
            const auto first = top.lines.constFind(text);
            if (first == top.lines.cend()) {
                top.lines.insert(text, line);
            } else {
                problems << pathOf(frames) %
                                QStringLiteral(": given twice (lines %1 and %2); only one "
                                               "value may be given, remove the other")
                                    .arg(first.value())
                                    .arg(line);
            }
            break;
        }
        default:
            ++pos; // white space, ':', numbers, true/false/null
            break;
        }
    }
    return problems;
}

int editDistance(const QString &a, const QString &b)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    // d[i][j]: distance between the first i characters of a and the first j of b.
    std::vector<std::vector<int>> d(size_t(n + 1), std::vector<int>(size_t(m + 1)));
    for (qsizetype i = 0; i <= n; ++i)
        d[size_t(i)][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][size_t(j)] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const size_t x = size_t(i);
            const size_t y = size_t(j);
            const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            d[x][y] = std::min({d[x - 1][y] + 1, d[x][y - 1] + 1, d[x - 1][y - 1] + cost});
            if (i > 1 && j > 1 && a.at(i - 1) == b.at(j - 2) && a.at(i - 2) == b.at(j - 1))
                d[x][y] = std::min(d[x][y], d[x - 2][y - 2] + 1);
        }
    }
    return d[size_t(n)][size_t(m)];
}

QString nearest(const QString &key, const QStringList &known)
{
    for (const QString &k : known) {
        if (k.compare(key, Qt::CaseInsensitive) == 0)
            return k;
    }
    const QString lower = key.toLower();
    QString best;
    int bestDistance = 0;
    for (const QString &k : known) {
        const int distance = editDistance(lower, k.toLower());
        if (best.isEmpty() || distance < bestDistance) {
            best = k;
            bestDistance = distance;
        }
    }
    // Close enough to be a typo: a third of the key's letters at most, and never more than 3.
    const qsizetype allowed = qBound(qsizetype(1), qMin(key.size(), best.size()) / 3, qsizetype(3));
    return !best.isEmpty() && bestDistance <= allowed ? best : QString();
}

} // namespace pollux::ConfigKeys
