#include "Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace pollux::control {

QString parseErrorName(ParseError e)
{
    switch (e) {
    case ParseError::None:
        return QStringLiteral("none");
    case ParseError::TooLong:
        return QStringLiteral("too-long");
    case ParseError::NotJson:
        return QStringLiteral("not-json");
    case ParseError::NoType:
        return QStringLiteral("no-type");
    }
    return QStringLiteral("unknown");
}

void LineReader::feed(const QByteArray &bytes)
{
    if (m_overflow)
        return;
    m_buffer.append(bytes);
    // An unfinished line longer than the limit: no point in keeping it.
    const qsizetype nl = m_buffer.indexOf('\n');
    if ((nl < 0 && m_buffer.size() > m_max) || nl > m_max) {
        m_overflow = true;
        m_buffer.clear();
    }
}

bool LineReader::next(QByteArray &line)
{
    if (m_overflow)
        return false;
    const qsizetype nl = m_buffer.indexOf('\n');
    if (nl < 0)
        return false;
    if (nl > m_max) {
        m_overflow = true;
        m_buffer.clear();
        return false;
    }
    line = m_buffer.left(nl);
    m_buffer.remove(0, nl + 1);
    if (line.endsWith('\r'))
        line.chop(1);
    // What follows may itself be an overlong line.
    const qsizetype rest = m_buffer.indexOf('\n');
    if ((rest < 0 && m_buffer.size() > m_max) || rest > m_max) {
        m_overflow = true;
        m_buffer.clear();
    }
    return true;
}

ParseError parseMessage(const QByteArray &line, QJsonObject &out)
{
    if (line.size() > kMaxLineBytes)
        return ParseError::TooLong;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return ParseError::NotJson;
    out = doc.object();
    if (!out.value(QLatin1String("type")).isString())
        return ParseError::NoType;
    return ParseError::None;
}

QByteArray encode(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject resultToJson(const Result &r)
{
    QJsonObject o{{QStringLiteral("code"), errorCodeName(r.code())},
                  {QStringLiteral("codeNumber"), int(r.code())},
                  {QStringLiteral("message"), r.message()}};
    // Only what is known: an older peer reads neither, and a missing field is empty.
    if (!r.serverSaid().isEmpty())
        o.insert(QStringLiteral("serverSaid"), r.serverSaid());
    if (!r.serverHost().isEmpty()) {
        o.insert(QStringLiteral("serverHost"), r.serverHost());
        o.insert(QStringLiteral("serverPort"), int(r.serverPort()));
    }
    return o;
}

Result resultFromJson(const QJsonObject &o)
{
    const int n = o.value(QLatin1String("codeNumber")).toInt(-1);
    const QString message = o.value(QLatin1String("message")).toString();
    Result r = n < int(ErrorCode::None) || n > int(ErrorCode::SignInNeeded)
                   ? Result::failure(ErrorCode::Protocol, message)
                   : Result::failure(ErrorCode(n), message);
    // Cleaned and capped again: the peer's word is not taken for it.
    const QString said = o.value(QLatin1String("serverSaid")).toString();
    if (!said.isEmpty())
        r = r.withServerSaid(said);
    const QString host = o.value(QLatin1String("serverHost")).toString();
    const int port = o.value(QLatin1String("serverPort")).toInt();
    if (!host.isEmpty())
        r = r.withServer(host, port > 0 && port <= 65535 ? quint16(port) : quint16(0));
    return r;
}

Result AccountState::result() const
{
    if (code == ErrorCode::None)
        return Result::success();
    Result r = Result::failure(code, errorText);
    if (!serverSaid.isEmpty())
        r = r.withServerSaid(serverSaid);
    if (!serverHost.isEmpty())
        r = r.withServer(serverHost, serverPort);
    return r;
}

void AccountState::setResult(const Result &r)
{
    code = r.code();
    errorText = r.message();
    serverSaid = r.serverSaid();
    serverHost = r.serverHost();
    serverPort = r.serverPort();
}

namespace {
QJsonArray pairsToJson(const QList<QPair<QString, QString>> &pairs)
{
    QJsonArray a;
    for (const auto &p : pairs)
        a.append(QJsonArray{p.first, p.second});
    return a;
}

QList<QPair<QString, QString>> pairsFromJson(const QJsonValue &v)
{
    QList<QPair<QString, QString>> out;
    const QJsonArray a = v.toArray();
    for (const QJsonValue &e : a) {
        const QJsonArray p = e.toArray();
        if (p.size() == 2 && p.at(0).isString() && p.at(1).isString())
            out.append({p.at(0).toString(), p.at(1).toString()});
        if (out.size() >= kMaxBacklogEntries)
            break;
    }
    return out;
}
} // namespace

QJsonObject Snapshot::toJson() const
{
    QJsonArray list;
    for (const AccountState &a : accounts) {
        QJsonObject o{{QStringLiteral("name"), a.name},
                      {QStringLiteral("state"), a.state},
                      {QStringLiteral("collected"), a.collected},
                      {QStringLiteral("done"), a.done},
                      {QStringLiteral("total"), a.total},
                      {QStringLiteral("error"), resultToJson(a.result())}};
        if (a.lastPass.isValid())
            o.insert(QStringLiteral("lastPass"), a.lastPass.toUTC().toString(Qt::ISODate));
        if (a.lastSuccess.isValid())
            o.insert(QStringLiteral("lastSuccess"), a.lastSuccess.toUTC().toString(Qt::ISODate));
        if (a.nextPass.isValid())
            o.insert(QStringLiteral("nextPass"), a.nextPass.toUTC().toString(Qt::ISODate));
        list.append(o);
    }
    QJsonObject waitingCounts;
    for (auto it = waitingByAccount.cbegin(); it != waitingByAccount.cend(); ++it)
        waitingCounts.insert(it.key(), it.value());
    QJsonObject office{{QStringLiteral("state"), officeState},
                       {QStringLiteral("error"), officeError},
                       {QStringLiteral("codeNumber"), int(officeCode)}};
    if (officeSince.isValid())
        office.insert(QStringLiteral("since"), officeSince.toUTC().toString(Qt::ISODate));
    QJsonObject out{{QStringLiteral("paused"), paused},
                    {QStringLiteral("running"), running},
                    {QStringLiteral("accounts"), list},
                    {QStringLiteral("office"), office},
                    {QStringLiteral("storageError"), storageError},
                    {QStringLiteral("waiting"), pairsToJson(waiting)},
                    {QStringLiteral("refused"), pairsToJson(refused)},
                    {QStringLiteral("activity"), QJsonArray::fromStringList(activity)}};
    if (waitingKnown)
        out.insert(QStringLiteral("waitingByAccount"), waitingCounts);
    return out;
}

Snapshot Snapshot::fromJson(const QJsonObject &o)
{
    Snapshot s;
    s.paused = o.value(QLatin1String("paused")).toBool();
    s.running = o.value(QLatin1String("running")).toBool();
    const QJsonArray list = o.value(QLatin1String("accounts")).toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject a = v.toObject();
        AccountState st;
        st.name = a.value(QLatin1String("name")).toString();
        if (st.name.isEmpty())
            continue;
        const QString state = a.value(QLatin1String("state")).toString();
        if (state == QLatin1String("polling") || state == QLatin1String("error"))
            st.state = state;
        st.collected = a.value(QLatin1String("collected")).toInt();
        st.done = a.value(QLatin1String("done")).toInt();
        st.total = a.value(QLatin1String("total")).toInt();
        st.setResult(resultFromJson(a.value(QLatin1String("error")).toObject()));
        st.lastPass =
            QDateTime::fromString(a.value(QLatin1String("lastPass")).toString(), Qt::ISODate);
        st.lastSuccess =
            QDateTime::fromString(a.value(QLatin1String("lastSuccess")).toString(), Qt::ISODate);
        st.nextPass =
            QDateTime::fromString(a.value(QLatin1String("nextPass")).toString(), Qt::ISODate);
        s.accounts.append(st);
    }
    const QJsonObject office = o.value(QLatin1String("office")).toObject();
    s.officeState = office.value(QLatin1String("state")).toString() == QLatin1String("failing")
                        ? QStringLiteral("failing")
                        : QStringLiteral("ok");
    s.officeError = office.value(QLatin1String("error")).toString();
    const int officeCode = office.value(QLatin1String("codeNumber")).toInt(0);
    if (officeCode > int(ErrorCode::None) && officeCode <= int(ErrorCode::SignInNeeded))
        s.officeCode = ErrorCode(officeCode);
    s.officeSince =
        QDateTime::fromString(office.value(QLatin1String("since")).toString(), Qt::ISODate);
    s.storageError = o.value(QLatin1String("storageError")).toString();
    s.waiting = pairsFromJson(o.value(QLatin1String("waiting")));
    s.refused = pairsFromJson(o.value(QLatin1String("refused")));
    const QJsonValue counts = o.value(QLatin1String("waitingByAccount"));
    s.waitingKnown = counts.isObject();
    const QJsonObject countsObject = counts.toObject();
    for (auto it = countsObject.constBegin(); it != countsObject.constEnd(); ++it) {
        const int n = it.value().toInt(-1);
        if (n > 0 && !it.key().isEmpty())
            s.waitingByAccount.insert(it.key(), n);
        if (s.waitingByAccount.size() >= kMaxBacklogEntries)
            break;
    }
    const QJsonArray activity = o.value(QLatin1String("activity")).toArray();
    for (const QJsonValue &v : activity) {
        if (v.isString())
            s.activity.append(v.toString());
        if (s.activity.size() >= kMaxActivityLines)
            break;
    }
    return s;
}

} // namespace pollux::control
