#include "Config.h"
#include "ConfigKeys.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cmath>
#include <limits>

namespace pollux {

namespace {

template <typename E> struct EnumName
{
    E value;
    const char *name;
};

const EnumName<ServerType> kServerTypes[] = {{ServerType::Pop3, "pop3"},
                                             {ServerType::Pop3Ssl, "pop3-ssl"},
                                             {ServerType::Imap, "imap"},
                                             {ServerType::ImapSsl, "imap-ssl"}};
const EnumName<MailboxType> kMailboxTypes[] = {{MailboxType::SingleUser, "single-user"},
                                               {MailboxType::CatchAll, "catch-all"},
                                               {MailboxType::CatchAllReroute, "catch-all-reroute"}};
const EnumName<DirectoryType> kDirectoryTypes[] = {{DirectoryType::None, "none"},
                                                   {DirectoryType::Ldap, "ldap"},
                                                   {DirectoryType::SmtpProbe, "smtp-probe"}};
const EnumName<SignInMethod> kSignInMethods[] = {{SignInMethod::Password, "password"},
                                                 {SignInMethod::Microsoft365, "microsoft365"},
                                                 {SignInMethod::Google, "google"},
                                                 {SignInMethod::OAuth2, "oauth2"},
                                                 {SignInMethod::Microsoft365App,
                                                  "microsoft365-app"}};
const EnumName<Retention> kRetentions[] = {
    {Retention::Delete, "delete"}, {Retention::Keep, "keep"}, {Retention::KeepDays, "keep-days"}};

template <typename E, size_t N> QString nameOf(const EnumName<E> (&table)[N], E value)
{
    for (const auto &entry : table) {
        if (entry.value == value)
            return QString::fromLatin1(entry.name);
    }
    return QString::fromLatin1(table[0].name);
}

// Reads typed values out of JSON objects, remembering every problem with its field, and
// which keys each object was asked for (so that the others can be refused as unknown).
class Reader
{
public:
    QStringList problems;

    bool fail(const QString &field, const QString &problem)
    {
        problems << field % QStringLiteral(": ") % problem;
        return false;
    }

    // `key` is a setting of the object at `prefix` (the read functions call this).
    void known(const QString &prefix, const char *key)
    {
        m_known[prefix] << QString::fromLatin1(key);
    }

    // Every key of `o` that no read function asked for, and that is no note, is refused,
    // with the nearest known key as a suggestion.
    void refuseUnknown(const QJsonObject &o, const QString &prefix)
    {
        const QStringList known = m_known.value(prefix);
        for (const QString &key : o.keys()) {
            if (known.contains(key) || ConfigKeys::isNote(key))
                continue;
            const QString guess =
                ConfigKeys::nearest(key, known + QStringList{QStringLiteral("comment")});
            fail(prefix % key,
                 guess.isEmpty()
                     ? QStringLiteral("unknown key (a note may be kept as \"comment\" or a key "
                                      "starting with \"x-\")")
                     : QStringLiteral("unknown key; did you mean \"") % guess %
                           QStringLiteral("\"?"));
        }
    }

    // A missing key or null keeps the default.
    static bool absent(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isUndefined() || v.isNull();
    }

    void string(const QJsonObject &o, const QString &prefix, const char *key, QString &out)
    {
        known(prefix, key);
        if (absent(o, key))
            return;
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isString())
            fail(prefix % QLatin1String(key), QStringLiteral("expected a string"));
        else
            out = v.toString();
    }

    void boolean(const QJsonObject &o, const QString &prefix, const char *key, bool &out)
    {
        known(prefix, key);
        if (absent(o, key))
            return;
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isBool())
            fail(prefix % QLatin1String(key), QStringLiteral("expected true or false"));
        else
            out = v.toBool();
    }

    bool integer(const QJsonObject &o, const QString &prefix, const char *key, qint64 &out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        const QString field = prefix % QLatin1String(key);
        if (!v.isDouble())
            return fail(field, QStringLiteral("expected a number"));
        const double d = v.toDouble();
        if (d != std::floor(d) || std::fabs(d) > 1e15)
            return fail(field, QStringLiteral("expected a whole number"));
        out = static_cast<qint64>(d);
        return true;
    }

    void number(const QJsonObject &o, const QString &prefix, const char *key, int &out)
    {
        known(prefix, key);
        qint64 v = 0;
        if (absent(o, key) || !integer(o, prefix, key, v))
            return;
        if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
            fail(prefix % QLatin1String(key), QStringLiteral("number out of range"));
        else
            out = static_cast<int>(v);
    }

    void port(const QJsonObject &o, const QString &prefix, const char *key, quint16 &out)
    {
        known(prefix, key);
        qint64 v = 0;
        if (absent(o, key) || !integer(o, prefix, key, v))
            return;
        if (v < 0 || v > 65535)
            fail(prefix % QLatin1String(key), QStringLiteral("must be 1-65535"));
        else
            out = static_cast<quint16>(v);
    }

    template <typename E, size_t N>
    void enumeration(const QJsonObject &o, const QString &prefix, const char *key,
                     const EnumName<E> (&table)[N], E &out)
    {
        known(prefix, key);
        if (absent(o, key))
            return;
        const QJsonValue v = o.value(QLatin1String(key));
        QStringList names;
        for (const auto &entry : table) {
            names << QString::fromLatin1(entry.name);
            if (v.isString() && v.toString() == QLatin1String(entry.name)) {
                out = entry.value;
                return;
            }
        }
        const QString expected =
            QStringLiteral("expected one of ") % names.join(QStringLiteral(", "));
        if (!v.isString())
            fail(prefix % QLatin1String(key), expected);
        else
            fail(prefix % QLatin1String(key), QStringLiteral("unknown value \"") % v.toString() %
                                                  QStringLiteral("\" (") % expected %
                                                  QStringLiteral(")"));
    }

    void stringList(const QJsonObject &o, const QString &prefix, const char *key, QStringList &out)
    {
        known(prefix, key);
        if (absent(o, key))
            return;
        const QJsonValue v = o.value(QLatin1String(key));
        const QString field = prefix % QLatin1String(key);
        if (!v.isArray()) {
            fail(field, QStringLiteral("expected a list of strings"));
            return;
        }
        QStringList list;
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString()) {
                fail(field % QLatin1Char('[') % QString::number(i) % QLatin1Char(']'),
                     QStringLiteral("expected a string"));
                return;
            }
            list << array.at(i).toString();
        }
        out = list;
    }

private:
    QHash<QString, QStringList> m_known; // object prefix -> the keys read from it
};

void readAccount(Reader &r, const QJsonObject &o, const QString &prefix, AccountConfig &a)
{
    r.string(o, prefix, "name", a.name);
    r.boolean(o, prefix, "enabled", a.enabled);
    r.enumeration(o, prefix, "type", kServerTypes, a.type);
    a.port = defaultPort(a.type); // a missing port follows the server type
    r.string(o, prefix, "host", a.host);
    r.port(o, prefix, "port", a.port);
    r.string(o, prefix, "username", a.username);
    r.number(o, prefix, "timeoutSecs", a.timeoutSecs);
    r.enumeration(o, prefix, "mailbox", kMailboxTypes, a.mailbox);
    r.string(o, prefix, "recipient", a.recipient);
    r.enumeration(o, prefix, "retention", kRetentions, a.retention);
    r.number(o, prefix, "keepDays", a.keepDays);
    r.boolean(o, prefix, "allowApop", a.allowApop);
    r.boolean(o, prefix, "startTls", a.startTls);
    r.string(o, prefix, "authMethod", a.authMethod);
    r.boolean(o, prefix, "allowPlaintextLogin", a.allowPlaintextLogin);
    r.boolean(o, prefix, "idle", a.idle);
    r.string(o, prefix, "folder", a.folder);
    r.string(o, prefix, "pinnedFingerprint", a.pinnedFingerprint);
    r.stringList(o, prefix, "envelopeHeaders", a.envelopeHeaders);
    r.stringList(o, prefix, "providerHosts", a.providerHosts);
    r.enumeration(o, prefix, "signIn", kSignInMethods, a.signIn);
    r.known(prefix, "oauth2");
    r.refuseUnknown(o, prefix);
    if (!Reader::absent(o, "oauth2")) {
        const QJsonValue v = o.value(QLatin1String("oauth2"));
        if (!v.isObject()) {
            r.fail(prefix % QStringLiteral("oauth2"), QStringLiteral("expected an object"));
        } else {
            const QJsonObject oo = v.toObject();
            const QString inner = prefix % QStringLiteral("oauth2.");
            OAuth2Config &c = a.oauth2;
            r.string(oo, inner, "clientId", c.clientId);
            r.string(oo, inner, "tenant", c.tenant);
            r.boolean(oo, inner, "clientSecret", c.clientSecret);
            r.string(oo, inner, "authorizationUrl", c.authorizationUrl);
            r.string(oo, inner, "tokenUrl", c.tokenUrl);
            r.string(oo, inner, "deviceUrl", c.deviceUrl);
            r.stringList(oo, inner, "scopes", c.scopes);
            r.boolean(oo, inner, "appOnly", c.appOnly);
            r.refuseUnknown(oo, inner);
        }
    }
}

void readDirectory(Reader &r, const QJsonObject &o, DirectoryConfig &d)
{
    const QString prefix = QStringLiteral("directory.");
    r.enumeration(o, prefix, "type", kDirectoryTypes, d.type);
    r.string(o, prefix, "ldapUrl", d.ldapUrl);
    r.boolean(o, prefix, "ldapStartTls", d.ldapStartTls);
    r.string(o, prefix, "baseDn", d.baseDn);
    r.string(o, prefix, "bindDn", d.bindDn);
    r.string(o, prefix, "filter", d.filter);
    r.number(o, prefix, "cacheTtlSecs", d.cacheTtlSecs);
    r.number(o, prefix, "timeoutSecs", d.timeoutSecs);
    r.refuseUnknown(o, prefix);
}

void readSmtp(Reader &r, const QJsonObject &o, SmtpConfig &s)
{
    const QString prefix = QStringLiteral("smtp.");
    r.string(o, prefix, "host", s.host);
    r.port(o, prefix, "port", s.port);
    r.boolean(o, prefix, "startTls", s.startTls);
    r.string(o, prefix, "username", s.username);
    r.string(o, prefix, "heloName", s.heloName);
    r.number(o, prefix, "timeoutSecs", s.timeoutSecs);
    r.number(o, prefix, "retryIntervalSecs", s.retryIntervalSecs);
    r.refuseUnknown(o, prefix);
}

void readAlerts(Reader &r, const QJsonObject &o, AlertsConfig &a)
{
    const QString prefix = QStringLiteral("alerts.");
    r.boolean(o, prefix, "enabled", a.enabled);
    r.string(o, prefix, "extraAddress", a.extraAddress);
    r.string(o, prefix, "from", a.from);
    r.number(o, prefix, "failingThresholdMinutes", a.failingThresholdMinutes);
    r.number(o, prefix, "officeOutageMinutes", a.officeOutageMinutes);
    r.refuseUnknown(o, prefix);
}

// The top level, after "version".
void readRoot(Reader &r, const QJsonObject &root, Config &config)
{
    r.number(root, QString(), "pollIntervalSecs", config.pollIntervalSecs);
    r.number(root, QString(), "maxPerPass", config.maxPerPass);
    r.number(root, QString(), "spoolLimitMiB", config.spoolLimitMiB);
    r.string(root, QString(), "postmaster", config.postmaster);
    r.stringList(root, QString(), "acceptedDomains", config.acceptedDomains);
    r.string(root, QString(), "dataDir", config.dataDir);
    r.string(root, QString(), "caFile", config.caFile);
    r.string(root, QString(), "logFile", config.logFile);
    {
        int mib = int(config.logMaxBytes / (1024 * 1024));
        r.number(root, QString(), "logMaxMiB", mib);
        config.logMaxBytes = qint64(mib) * 1024 * 1024;
    }
    r.string(root, QString(), "language", config.language);
    r.boolean(root, QString(), "acceptSubdomains", config.acceptSubdomains);
    r.number(root, QString(), "duplicateWindowDays", config.duplicateWindowDays);
    r.known(QString(), "directory");
    r.known(QString(), "smtp");
    r.known(QString(), "accounts");
    r.known(QString(), "alerts");
    r.refuseUnknown(root, QString());
    if (!Reader::absent(root, "alerts")) {
        const QJsonValue alerts = root.value(QLatin1String("alerts"));
        if (!alerts.isObject())
            r.fail(QStringLiteral("alerts"), QStringLiteral("expected an object"));
        else
            readAlerts(r, alerts.toObject(), config.alerts);
    }
    if (!Reader::absent(root, "directory")) {
        const QJsonValue directory = root.value(QLatin1String("directory"));
        if (!directory.isObject())
            r.fail(QStringLiteral("directory"), QStringLiteral("expected an object"));
        else
            readDirectory(r, directory.toObject(), config.directory);
    }

    if (!Reader::absent(root, "smtp")) {
        const QJsonValue smtp = root.value(QLatin1String("smtp"));
        if (!smtp.isObject())
            r.fail(QStringLiteral("smtp"), QStringLiteral("expected an object"));
        else
            readSmtp(r, smtp.toObject(), config.smtp);
    }
    if (!Reader::absent(root, "accounts")) {
        const QJsonValue accounts = root.value(QLatin1String("accounts"));
        if (!accounts.isArray()) {
            r.fail(QStringLiteral("accounts"), QStringLiteral("expected a list of accounts"));
        } else {
            const QJsonArray array = accounts.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                const QString field =
                    QStringLiteral("accounts[") % QString::number(i) % QLatin1Char(']');
                if (!array.at(i).isObject()) {
                    r.fail(field, QStringLiteral("expected an object"));
                    break;
                }
                AccountConfig account;
                readAccount(r, array.at(i).toObject(), field % QLatin1Char('.'), account);
                config.accounts.append(account);
            }
        }
    }
}

} // namespace

quint16 defaultPort(ServerType type)
{
    switch (type) {
    case ServerType::Pop3:
        return 110;
    case ServerType::Pop3Ssl:
        return 995;
    case ServerType::Imap:
        return 143;
    case ServerType::ImapSsl:
        return 993;
    }
    return 110;
}

bool isImap(ServerType type)
{
    return type == ServerType::Imap || type == ServerType::ImapSsl;
}

bool isImplicitTls(ServerType type)
{
    return type == ServerType::Pop3Ssl || type == ServerType::ImapSsl;
}

QString configName(ServerType type)
{
    return nameOf(kServerTypes, type);
}

QString configName(MailboxType type)
{
    return nameOf(kMailboxTypes, type);
}

QString configName(Retention retention)
{
    return nameOf(kRetentions, retention);
}

QString configName(SignInMethod method)
{
    return nameOf(kSignInMethods, method);
}

bool isOAuth2(SignInMethod method)
{
    return method != SignInMethod::Password;
}

bool AccountConfig::isAppOnly() const
{
    return signIn == SignInMethod::Microsoft365App ||
           (signIn == SignInMethod::OAuth2 && oauth2.appOnly);
}

QString configName(DirectoryType type)
{
    return nameOf(kDirectoryTypes, type);
}

QStringList AccountConfig::defaultEnvelopeHeaders()
{
    return {QStringLiteral("X-Original-To"), QStringLiteral("Envelope-To"),
            QStringLiteral("X-Envelope-To"), QStringLiteral("X-RCPT-TO"),
            QStringLiteral("Delivered-To"),  QStringLiteral("Received")};
}

QStringList AccountConfig::authMethods()
{
    return {QStringLiteral("auto"),        QStringLiteral("user"),
            QStringLiteral("apop"),        QStringLiteral("login"),
            QStringLiteral("plain"),       QStringLiteral("cram-md5"),
            QStringLiteral("scram-sha-1"), QStringLiteral("scram-sha-256"),
            QStringLiteral("xoauth2"),     QStringLiteral("oauthbearer")};
}

const AccountConfig *Config::account(const QString &name) const
{
    for (const AccountConfig &a : accounts) {
        if (a.name == name)
            return &a;
    }
    return nullptr;
}

Result Config::parse(const QByteArray &json, const QString &source, Config &out)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray before = json.left(parseError.offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = parseError.offset - (before.lastIndexOf('\n') + 1) + 1;
        return Result::failure(ErrorCode::Config,
                               source % QStringLiteral(": line ") % QString::number(line) %
                                   QStringLiteral(", column ") % QString::number(column) %
                                   QStringLiteral(" (offset ") %
                                   QString::number(parseError.offset) % QStringLiteral("): ") %
                                   parseError.errorString());
    }
    if (!doc.isObject())
        return Result::failure(ErrorCode::Config,
                               source %
                                   QStringLiteral(": expected a JSON object at the top level"));

    const QJsonObject root = doc.object();
    Config config;
    Reader r;
    int version = kFormatVersion;
    r.number(root, QString(), "version", version);
    if (version > kFormatVersion) { // its keys may mean what this version cannot know
        r.fail(QStringLiteral("version"),
               QStringLiteral("written by a newer Pollux (format %1)").arg(version));
    } else {
        readRoot(r, root, config);
        // A key given twice: QJsonDocument kept the last value without a word.
        r.problems << ConfigKeys::duplicateKeys(json);
    }
    if (!r.problems.isEmpty()) {
        QStringList lines;
        for (const QString &problem : std::as_const(r.problems))
            lines << source % QStringLiteral(": ") % problem;
        return Result::failure(ErrorCode::Config, lines.join(QLatin1Char('\n')));
    }
    out = config;
    return Result::success();
}

Result Config::load(const QString &path, Config &out)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result::failure(ErrorCode::Storage, QStringLiteral("cannot read ") % path %
                                                       QStringLiteral(": ") % file.errorString());
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Result::failure(ErrorCode::Storage, QStringLiteral("cannot read ") % path %
                                                       QStringLiteral(": ") % file.errorString());
    return parse(data, path, out);
}

QByteArray Config::toJson() const
{
    QJsonObject smtpObject{
        {QStringLiteral("host"), smtp.host},
        {QStringLiteral("port"), int(smtp.port)},
        {QStringLiteral("startTls"), smtp.startTls},
        {QStringLiteral("username"), smtp.username},
        {QStringLiteral("heloName"), smtp.heloName},
        {QStringLiteral("timeoutSecs"), smtp.timeoutSecs},
        {QStringLiteral("retryIntervalSecs"), smtp.retryIntervalSecs},
    };
    QJsonArray accountArray;
    for (const AccountConfig &a : accounts) {
        accountArray.append(QJsonObject{
            {QStringLiteral("name"), a.name},
            {QStringLiteral("enabled"), a.enabled},
            {QStringLiteral("type"), configName(a.type)},
            {QStringLiteral("host"), a.host},
            {QStringLiteral("port"), int(a.port)},
            {QStringLiteral("username"), a.username},
            {QStringLiteral("timeoutSecs"), a.timeoutSecs},
            {QStringLiteral("mailbox"), configName(a.mailbox)},
            {QStringLiteral("recipient"), a.recipient},
            {QStringLiteral("retention"), configName(a.retention)},
            {QStringLiteral("keepDays"), a.keepDays},
            {QStringLiteral("allowApop"), a.allowApop},
            {QStringLiteral("startTls"), a.startTls},
            {QStringLiteral("authMethod"), a.authMethod},
            {QStringLiteral("allowPlaintextLogin"), a.allowPlaintextLogin},
            {QStringLiteral("idle"), a.idle},
            {QStringLiteral("folder"), a.folder},
            {QStringLiteral("pinnedFingerprint"), a.pinnedFingerprint},
            {QStringLiteral("envelopeHeaders"), QJsonArray::fromStringList(a.envelopeHeaders)},
            {QStringLiteral("providerHosts"), QJsonArray::fromStringList(a.providerHosts)},
            {QStringLiteral("signIn"), configName(a.signIn)},
            {QStringLiteral("oauth2"),
             QJsonObject{
                 {QStringLiteral("clientId"), a.oauth2.clientId},
                 {QStringLiteral("tenant"), a.oauth2.tenant},
                 {QStringLiteral("clientSecret"), a.oauth2.clientSecret},
                 {QStringLiteral("authorizationUrl"), a.oauth2.authorizationUrl},
                 {QStringLiteral("tokenUrl"), a.oauth2.tokenUrl},
                 {QStringLiteral("deviceUrl"), a.oauth2.deviceUrl},
                 {QStringLiteral("scopes"), QJsonArray::fromStringList(a.oauth2.scopes)},
                 {QStringLiteral("appOnly"), a.oauth2.appOnly},
             }},
        });
    }
    const QJsonObject root{
        {QStringLiteral("version"), kFormatVersion},
        {QStringLiteral("accounts"), accountArray},
        {QStringLiteral("smtp"), smtpObject},
        {QStringLiteral("postmaster"), postmaster},
        {QStringLiteral("acceptedDomains"), QJsonArray::fromStringList(acceptedDomains)},
        {QStringLiteral("pollIntervalSecs"), pollIntervalSecs},
        {QStringLiteral("maxPerPass"), maxPerPass},
        {QStringLiteral("spoolLimitMiB"), spoolLimitMiB},
        {QStringLiteral("dataDir"), dataDir},
        {QStringLiteral("caFile"), caFile},
        {QStringLiteral("logFile"), logFile},
        {QStringLiteral("logMaxMiB"), int(logMaxBytes / (1024 * 1024))},
        {QStringLiteral("language"), language},
        {QStringLiteral("acceptSubdomains"), acceptSubdomains},
        {QStringLiteral("duplicateWindowDays"), duplicateWindowDays},
        {QStringLiteral("directory"),
         QJsonObject{
             {QStringLiteral("type"), configName(directory.type)},
             {QStringLiteral("ldapUrl"), directory.ldapUrl},
             {QStringLiteral("ldapStartTls"), directory.ldapStartTls},
             {QStringLiteral("baseDn"), directory.baseDn},
             {QStringLiteral("bindDn"), directory.bindDn},
             {QStringLiteral("filter"), directory.filter},
             {QStringLiteral("cacheTtlSecs"), directory.cacheTtlSecs},
             {QStringLiteral("timeoutSecs"), directory.timeoutSecs},
         }},
        {QStringLiteral("alerts"),
         QJsonObject{
             {QStringLiteral("enabled"), alerts.enabled},
             {QStringLiteral("extraAddress"), alerts.extraAddress},
             {QStringLiteral("from"), alerts.from},
             {QStringLiteral("failingThresholdMinutes"), alerts.failingThresholdMinutes},
             {QStringLiteral("officeOutageMinutes"), alerts.officeOutageMinutes},
         }},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result Config::save(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Result::failure(ErrorCode::Storage, QStringLiteral("cannot write ") % path %
                                                       QStringLiteral(": ") % file.errorString());
    // It names the servers, accounts and user names: for its owner only, whatever the umask
    // or the mode of the file it replaces (set on the new file before anything is in it).
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
    const QByteArray data = toJson();
    if (file.write(data) != data.size() || !file.commit())
        return Result::failure(ErrorCode::Storage, QStringLiteral("cannot write ") % path %
                                                       QStringLiteral(": ") % file.errorString());
    return Result::success();
}

} // namespace pollux
