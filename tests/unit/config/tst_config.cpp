#include "config/Config.h"
#include "config/ConfigKeys.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace pollux;

namespace {

// A configuration that passes validate(), for tests to break one field at a time.
Config validConfig()
{
    Config c;
    AccountConfig a;
    a.name = QStringLiteral("home");
    a.host = QStringLiteral("pop.example.com");
    a.username = QStringLiteral("joe");
    a.recipient = QStringLiteral("joe@office.example");
    c.accounts << a;
    c.smtp.host = QStringLiteral("mail.office.example");
    return c;
}

// Every field set to something other than its default.
Config fullConfig()
{
    Config c;
    AccountConfig a;
    a.name = QStringLiteral("Büro \"main\"");
    a.enabled = false;
    a.type = ServerType::ImapSsl;
    a.host = QStringLiteral("imap.example.com");
    a.port = 10993;
    a.username = QStringLiteral("user@example.com");
    a.timeoutSecs = 42;
    a.mailbox = MailboxType::CatchAllReroute;
    a.recipient = QStringLiteral("r@example.org");
    a.retention = Retention::KeepDays;
    a.keepDays = 30;
    a.allowApop = false;
    a.authMethod = QStringLiteral("scram-sha-256");
    a.allowPlaintextLogin = true;
    a.idle = true;
    a.folder = QStringLiteral("Eingang/Büro");
    a.pinnedFingerprint = QString(64, QLatin1Char('A'));
    a.envelopeHeaders = {QStringLiteral("X-Envelope-To")};
    a.providerHosts = {QStringLiteral("mx1.provider.example"), QStringLiteral(".provider.example")};
    AccountConfig b;
    b.name = QStringLiteral("second");
    b.type = ServerType::Pop3Ssl;
    b.port = 995;
    b.retention = Retention::Keep;
    b.mailbox = MailboxType::CatchAll;
    b.startTls = false;
    b.envelopeHeaders.clear();
    b.signIn = SignInMethod::OAuth2;
    b.authMethod = QStringLiteral("oauthbearer");
    b.oauth2.clientId = QStringLiteral("pollux-client");
    b.oauth2.tenant = QStringLiteral("contoso.onmicrosoft.com");
    b.oauth2.clientSecret = true;
    b.oauth2.authorizationUrl = QStringLiteral("https://login.example/authorize");
    b.oauth2.tokenUrl = QStringLiteral("https://login.example/token");
    b.oauth2.deviceUrl = QStringLiteral("https://login.example/device");
    b.oauth2.scopes = {QStringLiteral("mail.read"), QStringLiteral("offline_access")};
    b.oauth2.appOnly = true;
    c.accounts << a << b;
    c.logMaxBytes = 3 * 1024 * 1024;
    c.language = QStringLiteral("de");
    c.acceptSubdomains = true;
    c.duplicateWindowDays = 3;
    c.directory.type = DirectoryType::Ldap;
    c.directory.ldapUrl = QStringLiteral("ldaps://dc.office.example");
    c.directory.ldapStartTls = false;
    c.directory.baseDn = QStringLiteral("DC=office,DC=example");
    c.directory.bindDn = QStringLiteral("CN=svc,DC=office,DC=example");
    c.directory.filter = QStringLiteral("(mail=%s)");
    c.directory.cacheTtlSecs = 60;
    c.directory.timeoutSecs = 7;
    c.smtp = SmtpConfig{QStringLiteral("smtp.office"),   587, true, QStringLiteral("relay"),
                        QStringLiteral("pollux.office"), 77,  600};
    c.postmaster = QStringLiteral("postmaster@office.example");
    c.acceptedDomains = {QStringLiteral("office.example"), QStringLiteral("example.org")};
    c.pollIntervalSecs = 900;
    c.maxPerPass = 5000;
    c.spoolLimitMiB = 512;
    c.dataDir = QStringLiteral("/var/lib/pollux");
    c.caFile = QStringLiteral("/etc/pollux/ca.pem");
    c.logFile = QStringLiteral("/var/log/pollux.log");
    return c;
}

void compareAccounts(const AccountConfig &x, const AccountConfig &y)
{
    QCOMPARE(x.name, y.name);
    QCOMPARE(x.enabled, y.enabled);
    QCOMPARE(x.type, y.type);
    QCOMPARE(x.host, y.host);
    QCOMPARE(x.port, y.port);
    QCOMPARE(x.username, y.username);
    QCOMPARE(x.timeoutSecs, y.timeoutSecs);
    QCOMPARE(x.mailbox, y.mailbox);
    QCOMPARE(x.recipient, y.recipient);
    QCOMPARE(x.retention, y.retention);
    QCOMPARE(x.keepDays, y.keepDays);
    QCOMPARE(x.allowApop, y.allowApop);
    QCOMPARE(x.startTls, y.startTls);
    QCOMPARE(x.authMethod, y.authMethod);
    QCOMPARE(x.allowPlaintextLogin, y.allowPlaintextLogin);
    QCOMPARE(x.idle, y.idle);
    QCOMPARE(x.folder, y.folder);
    QCOMPARE(x.pinnedFingerprint, y.pinnedFingerprint);
    QCOMPARE(x.envelopeHeaders, y.envelopeHeaders);
    QCOMPARE(x.providerHosts, y.providerHosts);
    QCOMPARE(x.signIn, y.signIn);
    QCOMPARE(x.oauth2.clientId, y.oauth2.clientId);
    QCOMPARE(x.oauth2.tenant, y.oauth2.tenant);
    QCOMPARE(x.oauth2.clientSecret, y.oauth2.clientSecret);
    QCOMPARE(x.oauth2.authorizationUrl, y.oauth2.authorizationUrl);
    QCOMPARE(x.oauth2.tokenUrl, y.oauth2.tokenUrl);
    QCOMPARE(x.oauth2.deviceUrl, y.oauth2.deviceUrl);
    QCOMPARE(x.oauth2.scopes, y.oauth2.scopes);
    QCOMPARE(x.oauth2.appOnly, y.oauth2.appOnly);
}

// An account that signs in with OAuth2 at another provider, valid.
Config oauthConfig()
{
    Config c = validConfig();
    AccountConfig &a = c.accounts[0];
    a.type = ServerType::Pop3Ssl;
    a.port = 995;
    a.signIn = SignInMethod::OAuth2;
    a.oauth2.clientId = QStringLiteral("0d2c9a3e-client");
    a.oauth2.tokenUrl = QStringLiteral("https://login.example.com/token");
    a.oauth2.deviceUrl = QStringLiteral("https://login.example.com/device");
    a.oauth2.scopes = {QStringLiteral("mail"), QStringLiteral("offline_access")};
    return c;
}

using Mutation = std::function<void(Config &)>;

} // namespace

Q_DECLARE_METATYPE(Mutation)

class TestConfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    // RFC 5321 allows a quoted local part ("john q. public"@example.com); such a mailbox is
    // a valid recipient and postmaster (it was refused as "not an address").
    void quotedLocalPartIsAnAddress_data()
    {
        QTest::addColumn<QString>("address");
        QTest::newRow("space") << QStringLiteral("\"john q. public\"@office.test");
        QTest::newRow("escaped-quote") << QStringLiteral("\"a\\\"b\"@office.test");
        QTest::newRow("plain") << QStringLiteral("joe@office.test");
    }
    void quotedLocalPartIsAnAddress()
    {
        QFETCH(QString, address);
        Config c = validConfig();
        c.accounts[0].recipient = address;
        c.postmaster = address;
        const Result r = c.validate();
        QVERIFY2(r.ok(), qPrintable(r.message()));
    }

    void enumHelpers()
    {
        QCOMPARE(defaultPort(ServerType::Pop3), quint16(110));
        QCOMPARE(defaultPort(ServerType::Pop3Ssl), quint16(995));
        QCOMPARE(defaultPort(ServerType::Imap), quint16(143));
        QCOMPARE(defaultPort(ServerType::ImapSsl), quint16(993));
        QVERIFY(!isImap(ServerType::Pop3) && !isImap(ServerType::Pop3Ssl));
        QVERIFY(isImap(ServerType::Imap) && isImap(ServerType::ImapSsl));
        QVERIFY(!isImplicitTls(ServerType::Pop3) && !isImplicitTls(ServerType::Imap));
        QVERIFY(isImplicitTls(ServerType::Pop3Ssl) && isImplicitTls(ServerType::ImapSsl));
        QCOMPARE(configName(MailboxType::CatchAllReroute), QStringLiteral("catch-all-reroute"));
        QCOMPARE(configName(Retention::KeepDays), QStringLiteral("keep-days"));
    }

    void roundTripEveryField()
    {
        const QString path = m_dir.filePath(QStringLiteral("full.json"));
        const Config original = fullConfig();
        QVERIFY(original.save(path).ok());
        Config loaded;
        const Result r = Config::load(path, loaded);
        QVERIFY2(r.ok(), qPrintable(r.message()));
        QCOMPARE(loaded.accounts.size(), 2);
        compareAccounts(loaded.accounts[0], original.accounts[0]);
        compareAccounts(loaded.accounts[1], original.accounts[1]);
        QCOMPARE(loaded.smtp.host, original.smtp.host);
        QCOMPARE(loaded.smtp.port, original.smtp.port);
        QCOMPARE(loaded.smtp.startTls, original.smtp.startTls);
        QCOMPARE(loaded.smtp.username, original.smtp.username);
        QCOMPARE(loaded.smtp.heloName, original.smtp.heloName);
        QCOMPARE(loaded.smtp.timeoutSecs, original.smtp.timeoutSecs);
        QCOMPARE(loaded.smtp.retryIntervalSecs, original.smtp.retryIntervalSecs);
        QCOMPARE(loaded.postmaster, original.postmaster);
        QCOMPARE(loaded.acceptedDomains, original.acceptedDomains);
        QCOMPARE(loaded.pollIntervalSecs, original.pollIntervalSecs);
        QCOMPARE(loaded.maxPerPass, original.maxPerPass);
        QCOMPARE(loaded.spoolLimitMiB, original.spoolLimitMiB);
        QCOMPARE(loaded.dataDir, original.dataDir);
        QCOMPARE(loaded.caFile, original.caFile);
        QCOMPARE(loaded.logFile, original.logFile);
        QCOMPARE(loaded.logMaxBytes, original.logMaxBytes);
        QCOMPARE(loaded.language, original.language);
        QCOMPARE(loaded.acceptSubdomains, original.acceptSubdomains);
        QCOMPARE(loaded.duplicateWindowDays, original.duplicateWindowDays);
        QCOMPARE(loaded.directory.type, original.directory.type);
        QCOMPARE(loaded.directory.ldapUrl, original.directory.ldapUrl);
        QCOMPARE(loaded.directory.ldapStartTls, original.directory.ldapStartTls);
        QCOMPARE(loaded.directory.baseDn, original.directory.baseDn);
        QCOMPARE(loaded.directory.bindDn, original.directory.bindDn);
        QCOMPARE(loaded.directory.filter, original.directory.filter);
        QCOMPARE(loaded.directory.cacheTtlSecs, original.directory.cacheTtlSecs);
        QCOMPARE(loaded.directory.timeoutSecs, original.directory.timeoutSecs);
        QCOMPARE(loaded.toJson(), original.toJson());
        // Saving what was loaded gives the same bytes.
        QCOMPARE(loaded.toJson(), original.toJson());
        QVERIFY(loaded.account(QStringLiteral("second")));
        QVERIFY(!loaded.account(QStringLiteral("third")));
        // Human-readable: indented, enum names as words, no password anywhere.
        QVERIFY(original.toJson().contains("\n    \"accounts\": ["));
        QVERIFY(original.toJson().contains("\"imap-ssl\""));
        // ("signIn": "password" names the method; no key holds one.)
        QVERIFY(!original.toJson().toLower().contains("password\":"));
        // The client secret is only said to exist (true/false); its value is the keychain's.
        QVERIFY(!QString::fromUtf8(original.toJson())
                     .contains(QRegularExpression(QStringLiteral("\"clientSecret\": \""))));
    }

    void defaults()
    {
        Config c;
        const QByteArray json = R"({"accounts": [{"name": "a", "type": "imap-ssl"}, {}]})";
        QVERIFY(Config::parse(json, QStringLiteral("t.json"), c).ok());
        const Config d;
        const AccountConfig da;
        QCOMPARE(c.accounts.size(), 2);
        QCOMPARE(c.accounts[0].port, quint16(993)); // missing port follows the type
        QCOMPARE(c.accounts[1].port, quint16(110));
        QCOMPARE(c.accounts[1].type, ServerType::Pop3);
        QCOMPARE(c.accounts[0].enabled, da.enabled);
        QCOMPARE(c.accounts[0].timeoutSecs, 180);
        QCOMPARE(c.accounts[0].mailbox, da.mailbox);
        QCOMPARE(c.accounts[0].retention, da.retention);
        QCOMPARE(c.accounts[0].keepDays, da.keepDays);
        QCOMPARE(c.accounts[0].allowApop, da.allowApop);
        QCOMPARE(c.smtp.port, quint16(25));
        QCOMPARE(c.smtp.startTls, false);
        QCOMPARE(c.smtp.timeoutSecs, d.smtp.timeoutSecs);
        QCOMPARE(c.smtp.retryIntervalSecs, d.smtp.retryIntervalSecs);
        QCOMPARE(c.pollIntervalSecs, 300);
        QCOMPARE(c.maxPerPass, 200);
        QVERIFY(c.acceptedDomains.isEmpty());
        Config empty;
        QVERIFY(Config::parse("{}", QStringLiteral("e.json"), empty).ok());
        QVERIFY(empty.accounts.isEmpty());
        QVERIFY(Config::parse(R"({"smtp": null, "postmaster": null})", QString(), empty).ok());
    }

    // A misspelt key was ignored: "retenion": "keep" fell back to delete and the mail was
    // removed from the provider; "startTLS" in smtp dropped the TLS requirement. Unknown
    // keys are refused with their path and the nearest known key.
    void unknownKeysRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("account-retention-misspelt")
            << QByteArray(R"({"accounts": [{"name": "a"}, {"name": "b", "retenion": "keep"}]})")
            << QStringLiteral("accounts[1].retenion: unknown key; did you mean \"retention\"?");
        QTest::newRow("smtp-starttls-case")
            << QByteArray(R"({"smtp": {"host": "h", "startTLS": true}})")
            << QStringLiteral("smtp.startTLS: unknown key; did you mean \"startTls\"?");
        QTest::newRow("account-transposed-letters")
            << QByteArray(R"({"accounts": [{"reicpient": "a@b.example"}]})")
            << QStringLiteral("accounts[0].reicpient: unknown key; did you mean \"recipient\"?");
        QTest::newRow("top-level-missing-letter")
            << QByteArray(R"({"pollIntervalSec": 600})")
            << QStringLiteral("pollIntervalSec: unknown key; did you mean \"pollIntervalSecs\"?");
        QTest::newRow("directory-case")
            << QByteArray(R"({"directory": {"ldapURL": "dc1.office.example"}})")
            << QStringLiteral("directory.ldapURL: unknown key; did you mean \"ldapUrl\"?");
        QTest::newRow("nothing-near")
            << QByteArray(R"({"accounts": [{"colour": "blue"}]})")
            << QStringLiteral("accounts[0].colour: unknown key (a note may be kept as "
                              "\"comment\"");
        QTest::newRow("key-of-another-level") << QByteArray(R"({"recipient": "a@b.example"})")
                                              << QStringLiteral("recipient: unknown key");
        QTest::newRow("note-misspelt")
            << QByteArray(R"({"coment": "x"})")
            << QStringLiteral("coment: unknown key; did you mean \"comment\"?");
    }
    void unknownKeysRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        Config c;
        c.maxPerPass = 17;
        const Result r = Config::parse(json, QStringLiteral("t.json"), c);
        QCOMPARE(r.code(), ErrorCode::Config);
        QVERIFY2(r.message().contains(QStringLiteral("t.json: ") + expected),
                 qPrintable(r.message()));
        QCOMPARE(c.maxPerPass, 17); // untouched on failure
    }

    // QJsonDocument keeps the last of a repeated key without a word.
    void duplicateKeysRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("account-retention-twice")
            << QByteArray("{\"accounts\": [{\"name\": \"a\"},\n"
                          " {\"retention\": \"keep\",\n  \"retention\": \"delete\"}]}")
            << QStringLiteral("accounts[1].retention: given twice (lines 2 and 3)");
        QTest::newRow("top-level-twice")
            << QByteArray("{\"maxPerPass\": 5, \"maxPerPass\": 6}")
            << QStringLiteral("maxPerPass: given twice (lines 1 and 1)");
        QTest::newRow("escaped-spelling")
            << QByteArray("{\"smtp\": {\"host\": \"a\", \"ho\\u0073t\": \"b\"}}")
            << QStringLiteral("smtp.host: given twice");
        QTest::newRow("after-string-with-quotes-and-braces")
            << QByteArray("{\"comment\": \"say \\\"host\\\": {[,\", "
                          "\"smtp\": {\"host\": \"a\", \"host\": \"b\"}}")
            << QStringLiteral("smtp.host: given twice");
        QTest::newRow("inside-a-note") << QByteArray(R"({"x-owner": {"who": "a", "who": "b"}})")
                                       << QStringLiteral("x-owner.who: given twice");
        QTest::newRow("in-a-list")
            << QByteArray(R"({"accounts": [{}, {}, {"name": "a", "port": 1, "name": "b"}]})")
            << QStringLiteral("accounts[2].name: given twice");
    }
    void duplicateKeysRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        Config c;
        const Result r = Config::parse(json, QStringLiteral("t.json"), c);
        QCOMPARE(r.code(), ErrorCode::Config);
        QVERIFY2(r.message().contains(QStringLiteral("t.json: ") + expected),
                 qPrintable(r.message()));
    }

    // The same key in different objects is no duplicate; notes are allowed at every level.
    void notesAndRepeatedNamesAccepted()
    {
        const QByteArray json = R"({"comment": "the office", "x-owner": "it@office",
            "smtp": {"host": "h", "comment": "Exchange", "X-Ticket": 12},
            "directory": {"comment": ["a", "b"]},
            "accounts": [{"name": "a", "comment": {"name": 1}}, {"name": "b", "x-note": null}],
            "acceptedDomains": ["comment", "comment"]})";
        Config c;
        const Result r = Config::parse(json, QStringLiteral("t.json"), c);
        QVERIFY2(r.ok(), qPrintable(r.message()));
        QCOMPARE(c.smtp.host, QStringLiteral("h"));
        QCOMPARE(c.accounts.size(), 2);
        QCOMPARE(c.accounts[1].name, QStringLiteral("b"));
    }

    // Every problem of the file at once, one per line, each naming the file and the field.
    void everyKeyProblemReported()
    {
        const QByteArray json = R"({"retenion": 1, "smtp": {"startTLS": true},
            "accounts": [{"port": "x"}], "maxPerPass": 1, "maxPerPass": 2})";
        Config c;
        const Result r = Config::parse(json, QStringLiteral("t.json"), c);
        const QStringList lines = r.message().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 4);
        for (const QString &line : lines)
            QVERIFY2(line.startsWith(QLatin1String("t.json: ")), qPrintable(line));
        QVERIFY(r.message().contains(QLatin1String("t.json: retenion: unknown key")));
        QVERIFY(r.message().contains(QLatin1String("t.json: smtp.startTLS: unknown key")));
        QVERIFY(r.message().contains(QLatin1String("t.json: accounts[0].port: expected")));
        QVERIFY(r.message().contains(QLatin1String("t.json: maxPerPass: given twice")));
    }

    void nearestKey_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("case-only") << QStringLiteral("STARTTLS") << QStringLiteral("startTls");
        QTest::newRow("one-missing") << QStringLiteral("retenion") << QStringLiteral("retention");
        QTest::newRow("transposition") << QStringLiteral("hsot") << QStringLiteral("host");
        QTest::newRow("one-extra") << QStringLiteral("portt") << QStringLiteral("port");
        QTest::newRow("far") << QStringLiteral("colour") << QString();
        QTest::newRow("short-far") << QStringLiteral("ab") << QString();
    }
    void nearestKey()
    {
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const QStringList known = {QStringLiteral("host"), QStringLiteral("port"),
                                   QStringLiteral("startTls"), QStringLiteral("retention"),
                                   QStringLiteral("recipient")};
        QCOMPARE(ConfigKeys::nearest(key, known), expected);
    }

    void editDistance()
    {
        QCOMPARE(ConfigKeys::editDistance(QStringLiteral("retenion"), QStringLiteral("retention")),
                 1);
        QCOMPARE(ConfigKeys::editDistance(QStringLiteral("ab"), QStringLiteral("ba")), 1);
        QCOMPARE(ConfigKeys::editDistance(QString(), QStringLiteral("abc")), 3);
        QCOMPARE(ConfigKeys::editDistance(QStringLiteral("kitten"), QStringLiteral("sitting")), 3);
    }

    void loadErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax-missing-comma")
            << QByteArray("{\n  \"maxPerPass\": 5\n  \"postmaster\": \"\"\n}")
            << QStringLiteral("line 3, column");
        QTest::newRow("syntax-truncated")
            << QByteArray("{\"accounts\": [") << QStringLiteral("line 1, column");
        QTest::newRow("garbage-binary")
            << QByteArray("\x00\xff\xfe garbage", 12) << QStringLiteral("line 1");
        QTest::newRow("empty-file") << QByteArray() << QStringLiteral("line 1");
        QTest::newRow("top-level-array")
            << QByteArray("[1, 2]") << QStringLiteral("JSON object at the top level");
        QTest::newRow("port-string") << QByteArray(R"({"accounts": [{}, {"port": "110"}]})")
                                     << QStringLiteral("accounts[1].port: expected a number");
        QTest::newRow("port-too-big") << QByteArray(R"({"accounts": [{"port": 70000}]})")
                                      << QStringLiteral("accounts[0].port: must be 1-65535");
        QTest::newRow("port-fraction") << QByteArray(R"({"smtp": {"port": 25.5}})")
                                       << QStringLiteral("smtp.port: expected a whole number");
        QTest::newRow("enabled-string") << QByteArray(R"({"accounts": [{"enabled": "yes"}]})")
                                        << QStringLiteral("accounts[0].enabled: expected true");
        QTest::newRow("type-unknown") << QByteArray(R"({"accounts": [{"type": "POP3"}]})")
                                      << QStringLiteral("accounts[0].type: unknown value \"POP3\"");
        QTest::newRow("mailbox-number") << QByteArray(R"({"accounts": [{"mailbox": 1}]})")
                                        << QStringLiteral("accounts[0].mailbox: expected one of");
        QTest::newRow("retention-unknown")
            << QByteArray(R"({"accounts": [{"retention": "forever"}]})")
            << QStringLiteral("accounts[0].retention: unknown value");
        QTest::newRow("accounts-object")
            << QByteArray(R"({"accounts": {}})") << QStringLiteral("accounts: expected a list");
        QTest::newRow("account-not-object") << QByteArray(R"({"accounts": [{}, 5]})")
                                            << QStringLiteral("accounts[1]: expected an object");
        QTest::newRow("smtp-string")
            << QByteArray(R"({"smtp": "mail"})") << QStringLiteral("smtp: expected an object");
        QTest::newRow("domains-string") << QByteArray(R"({"acceptedDomains": "example.com"})")
                                        << QStringLiteral("acceptedDomains: expected a list");
        QTest::newRow("domains-item-number")
            << QByteArray(R"({"acceptedDomains": ["a.b", 3]})")
            << QStringLiteral("acceptedDomains[1]: expected a string");
        QTest::newRow("spool-limit-string")
            << QByteArray(R"({"spoolLimitMiB": "2 GB"})") << QStringLiteral("spoolLimitMiB");
        QTest::newRow("interval-huge") << QByteArray(R"({"pollIntervalSecs": 1e12})")
                                       << QStringLiteral("pollIntervalSecs: number out of range");
        QTest::newRow("newer-format") << QByteArray(R"({"version": 2})")
                                      << QStringLiteral("version: written by a newer Pollux");
    }
    void loadErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json);
        file.close();
        Config c;
        c.maxPerPass = 17;
        const Result r = Config::load(path, c);
        QCOMPARE(r.code(), ErrorCode::Config);
        QVERIFY2(r.message().contains(expected), qPrintable(r.message()));
        QVERIFY2(r.message().startsWith(path), qPrintable(r.message()));
        QCOMPARE(c.maxPerPass, 17); // untouched on failure
    }

    void missingFile()
    {
        Config c;
        const Result r = Config::load(m_dir.filePath(QStringLiteral("nope.json")), c);
        QCOMPARE(r.code(), ErrorCode::Storage);
        QVERIFY(r.message().contains(QLatin1String("nope.json")));
    }

    void validConfigPasses()
    {
        const Result r = validConfig().validate();
        QVERIFY2(r.ok(), qPrintable(r.message()));
        Config c = fullConfig();
        c.accounts[1].host = QStringLiteral("pop.example.net");
        const Result full = c.validate();
        QVERIFY2(full.ok(), qPrintable(full.message()));
    }

    void validationNamesField_data()
    {
        QTest::addColumn<Mutation>("mutate");
        QTest::addColumn<QString>("field");
        auto row = [](const char *name, const char *field, Mutation m) {
            QTest::newRow(name) << m << QString::fromLatin1(field);
        };
        auto second = [](Config &c) -> AccountConfig & {
            AccountConfig b = c.accounts[0];
            b.name = QStringLiteral("second");
            c.accounts << b;
            return c.accounts[1];
        };
        row("auth-method-unknown", "accounts[0].authMethod: \"digest-md5\" is not one of",
            [](Config &c) { c.accounts[0].authMethod = QStringLiteral("digest-md5"); });
        row("starttls-with-ssl-type", "accounts[0].startTls", [](Config &c) {
            c.accounts[0].type = ServerType::Pop3Ssl;
            c.accounts[0].startTls = true;
        });
        row("starttls-with-imap-ssl", "accounts[0].startTls: an -ssl server type", [](Config &c) {
            c.accounts[0].type = ServerType::ImapSsl;
            c.accounts[0].startTls = true;
        });
        row("fingerprint-short", "accounts[0].pinnedFingerprint: must be a SHA-256",
            [](Config &c) { c.accounts[0].pinnedFingerprint = QStringLiteral("AB:CD"); });
        row("envelope-header-colon", "accounts[0].envelopeHeaders[0]",
            [](Config &c) { c.accounts[0].envelopeHeaders = {QStringLiteral("X-To:")}; });
        row("provider-host-with-space", "accounts[0].providerHosts[1]: \"mx provider\" is not",
            [](Config &c) {
                c.accounts[0].providerHosts = {QStringLiteral("mx.provider.example"),
                                               QStringLiteral("mx provider")};
            });
        row("provider-host-address", "accounts[0].providerHosts[0]", [](Config &c) {
            c.accounts[0].providerHosts = {QStringLiteral("a@provider.example")};
        });
        row("imap-folder-empty", "accounts[0].folder", [](Config &c) {
            c.accounts[0].type = ServerType::Imap;
            c.accounts[0].folder.clear();
        });
        row("language-unknown", "language: \"fr\"",
            [](Config &c) { c.language = QStringLiteral("fr"); });
        row("ldap-url-scheme", "directory.ldapUrl: must start with ldap://", [](Config &c) {
            c.directory.type = DirectoryType::Ldap;
            c.directory.ldapUrl = QStringLiteral("dc1.example.local");
            c.directory.baseDn = QStringLiteral("DC=x");
        });
        row("ldap-filter-without-placeholder", "directory.filter", [](Config &c) {
            c.directory.type = DirectoryType::Ldap;
            c.directory.ldapUrl = QStringLiteral("ldap://dc1");
            c.directory.baseDn = QStringLiteral("DC=x");
            c.directory.filter = QStringLiteral("(mail=x)");
        });
        row("directory-timeout-zero", "directory.timeoutSecs: must be 1-300", [](Config &c) {
            c.directory.type = DirectoryType::SmtpProbe;
            c.directory.timeoutSecs = 0;
        });
        row("directory-timeout-too-long", "directory.timeoutSecs: must be 1-300", [](Config &c) {
            c.directory.type = DirectoryType::SmtpProbe;
            c.directory.timeoutSecs = 301;
        });
        row("name-empty", "accounts[0].name: must not be empty",
            [](Config &c) { c.accounts[0].name = QStringLiteral("  "); });
        row("name-slash", "accounts[0].name: must not contain '/'",
            [](Config &c) { c.accounts[0].name = QStringLiteral("a/b"); });
        row("name-duplicate", "accounts[1].name: \"home\" is already used by accounts[0]",
            [second](Config &c) { second(c).name = QStringLiteral("home"); });
        row("host-empty", "accounts[1].host", [second](Config &c) { second(c).host.clear(); });
        row("port-zero", "accounts[0].port: must be 1-65535",
            [](Config &c) { c.accounts[0].port = 0; });
        row("timeout-low", "accounts[0].timeoutSecs: must be 10-3600",
            [](Config &c) { c.accounts[0].timeoutSecs = 9; });
        row("timeout-high", "accounts[0].timeoutSecs",
            [](Config &c) { c.accounts[0].timeoutSecs = 3601; });
        row("keep-days-zero", "accounts[0].keepDays: must be 1-3650", [](Config &c) {
            c.accounts[0].retention = Retention::KeepDays;
            c.accounts[0].keepDays = 0;
        });
        row("keep-days-huge", "accounts[0].keepDays", [](Config &c) {
            c.accounts[0].retention = Retention::KeepDays;
            c.accounts[0].keepDays = 3651;
        });
        row("recipient-missing", "accounts[0].recipient",
            [](Config &c) { c.accounts[0].recipient.clear(); });
        row("recipient-no-at", "accounts[0].recipient",
            [](Config &c) { c.accounts[0].recipient = QStringLiteral("joe"); });
        row("recipient-display-name", "accounts[0].recipient",
            [](Config &c) { c.accounts[0].recipient = QStringLiteral("Joe <joe@x.example>"); });
        row("recipient-garbage", "accounts[0].recipient",
            [](Config &c) { c.accounts[0].recipient = QStringLiteral("@@\x01"); });
        row("recipient-quote-unbalanced", "accounts[0].recipient",
            [](Config &c) { c.accounts[0].recipient = QStringLiteral("\"joe q@x.example"); });
        row("recipient-quote-inside", "accounts[0].recipient",
            [](Config &c) { c.accounts[0].recipient = QStringLiteral("\"a\"b\"@x.example"); });
        row("recipient-quote-control", "accounts[0].recipient",
            [](Config &c) { c.accounts[0].recipient = QStringLiteral("\"a\tb\"@x.example"); });
        row("catch-all-no-domains", "accounts[0].mailbox: a catch-all mailbox needs",
            [](Config &c) { c.accounts[0].mailbox = MailboxType::CatchAll; });
        row("reroute-no-postmaster", "accounts[0].mailbox: catch-all-reroute needs", [](Config &c) {
            c.accounts[0].mailbox = MailboxType::CatchAllReroute;
            c.acceptedDomains = {QStringLiteral("example.com")};
        });
        row("interval-low", "pollIntervalSecs: must be at least 60",
            [](Config &c) { c.pollIntervalSecs = 59; });
        // 4294968 s * 1000 as an int is 704 ms: 18 logins at the provider in 12 s.
        row("interval-overflowing-ms", "pollIntervalSecs: must be at least 60 and at most 604800",
            [](Config &c) { c.pollIntervalSecs = 4294968; });
        row("interval-past-a-week", "pollIntervalSecs",
            [](Config &c) { c.pollIntervalSecs = 7 * 86400 + 1; });
        row("max-per-pass-zero", "maxPerPass: must be 1-100000",
            [](Config &c) { c.maxPerPass = 0; });
        row("max-per-pass-huge", "maxPerPass", [](Config &c) { c.maxPerPass = 100001; });
        row("spool-limit-tiny", "spoolLimitMiB: must be 10-1048576",
            [](Config &c) { c.spoolLimitMiB = 9; });
        row("spool-limit-negative", "spoolLimitMiB", [](Config &c) { c.spoolLimitMiB = -1; });
        row("smtp-host-empty", "smtp.host: must not be empty",
            [](Config &c) { c.smtp.host.clear(); });
        row("smtp-port-zero", "smtp.port", [](Config &c) { c.smtp.port = 0; });
        row("smtp-timeout", "smtp.timeoutSecs", [](Config &c) { c.smtp.timeoutSecs = 0; });
        row("smtp-retry", "smtp.retryIntervalSecs",
            [](Config &c) { c.smtp.retryIntervalSecs = 1; });
        row("postmaster-bad", "postmaster: \"postmaster\" is not an address",
            [](Config &c) { c.postmaster = QStringLiteral("postmaster"); });
        row("domain-with-at", "acceptedDomains[1]: \"@example.com\": write the domain without '@'",
            [](Config &c) {
                c.acceptedDomains = {QStringLiteral("ok.example"), QStringLiteral("@example.com")};
            });
        row("domain-at-only", "acceptedDomains[0]: \"@example.test\": write the domain",
            [](Config &c) { c.acceptedDomains = {QStringLiteral("@example.test")}; });
        row("domain-wildcard", "acceptedDomains[0]: \"*.example.com\": wildcards are not supported",
            [](Config &c) { c.acceptedDomains = {QStringLiteral("*.example.com")}; });
        row("domain-address", "acceptedDomains[0]: \"joe@example.com\" is an address",
            [](Config &c) { c.acceptedDomains = {QStringLiteral("joe@example.com")}; });
        row("domain-spaces", "acceptedDomains[0]: \"exa mple.com\" is not a domain name",
            [](Config &c) { c.acceptedDomains = {QStringLiteral("exa mple.com")}; });
        row("domain-empty", "acceptedDomains[0]",
            [](Config &c) { c.acceptedDomains = {QString()}; });
        // OAuth2 accounts (signIn, oauth2): each message names its field.
        const auto oauth = [](Mutation m) {
            return Mutation([m](Config &c) {
                c = oauthConfig();
                m(c);
            });
        };
        row("oauth2-client-id-empty", "accounts[0].oauth2.clientId: must name the client",
            oauth([](Config &c) { c.accounts[0].oauth2.clientId.clear(); }));
        row("oauth2-client-id-space", "accounts[0].oauth2.clientId: must not contain spaces",
            oauth([](Config &c) { c.accounts[0].oauth2.clientId = QStringLiteral("a b"); }));
        row("oauth2-app-only-organizations",
            "accounts[0].oauth2.tenant: app-only access needs your own tenant",
            oauth([](Config &c) {
                c.accounts[0].signIn = SignInMethod::Microsoft365App;
                c.accounts[0].oauth2.clientSecret = true;
                c.accounts[0].oauth2.tenant = QStringLiteral("organizations");
            }));
        row("oauth2-tenant-garbage", "accounts[0].oauth2.tenant: \"a/b\" is not a tenant",
            oauth([](Config &c) {
                c.accounts[0].signIn = SignInMethod::Microsoft365;
                c.accounts[0].oauth2.tenant = QStringLiteral("a/b");
            }));
        row("oauth2-google-no-secret",
            "accounts[0].oauth2.clientSecret: Google requires the client secret",
            oauth([](Config &c) { c.accounts[0].signIn = SignInMethod::Google; }));
        row("oauth2-app-only-no-secret",
            "accounts[0].oauth2.clientSecret: app-only access requires a client secret",
            oauth([](Config &c) { c.accounts[0].oauth2.appOnly = true; }));
        row("oauth2-no-token-url", "accounts[0].oauth2.tokenUrl: must name the provider's endpoint",
            oauth([](Config &c) { c.accounts[0].oauth2.tokenUrl.clear(); }));
        row("oauth2-http-token-url",
            "accounts[0].oauth2.tokenUrl: \"http://login.example.com/token\" is not an https URL",
            oauth([](Config &c) {
                c.accounts[0].oauth2.tokenUrl = QStringLiteral("http://login.example.com/token");
            }));
        row("oauth2-http-device-url", "accounts[0].oauth2.deviceUrl", oauth([](Config &c) {
                c.accounts[0].oauth2.deviceUrl = QStringLiteral("http://10.0.0.1/device");
            }));
        row("oauth2-no-sign-in-endpoint", "accounts[0].oauth2.authorizationUrl: a sign-in needs",
            oauth([](Config &c) { c.accounts[0].oauth2.deviceUrl.clear(); }));
        row("oauth2-no-scopes", "accounts[0].oauth2.scopes: must list the scopes",
            oauth([](Config &c) { c.accounts[0].oauth2.scopes.clear(); }));
        row("oauth2-scope-with-space", "accounts[0].oauth2.scopes[1]: a scope is one word",
            oauth([](Config &c) {
                c.accounts[0].oauth2.scopes = {QStringLiteral("mail"), QStringLiteral("a b")};
            }));
        row("oauth2-auth-method-plain",
            "accounts[0].authMethod: \"plain\" is a password method; an OAuth2 sign-in",
            oauth([](Config &c) { c.accounts[0].authMethod = QStringLiteral("plain"); }));
        row("domain-twice", "acceptedDomains[1]: \"Example.com\" is listed twice", [](Config &c) {
            c.acceptedDomains = {QStringLiteral("example.com"), QStringLiteral("Example.com")};
        });
    }
    void validationNamesField()
    {
        QFETCH(Mutation, mutate);
        QFETCH(QString, field);
        Config c = validConfig();
        mutate(c);
        const Result r = c.validate();
        QCOMPARE(r.code(), ErrorCode::Config);
        QVERIFY2(r.message().contains(field), qPrintable(r.message()));
    }

    void validationEdgesAccepted()
    {
        Config c = validConfig();
        c.accounts[0].enabled = false;
        c.smtp.host.clear(); // no enabled account: no office server needed yet
        c.accounts[0].port = 65535;
        c.accounts[0].timeoutSecs = 10;
        c.accounts[0].retention = Retention::Keep;
        c.accounts[0].keepDays = 0; // ignored unless keep-days
        c.pollIntervalSecs = 60;
        c.maxPerPass = 100000;
        Config week = c;
        week.pollIntervalSecs = Config::kMaxPollIntervalSecs;
        QVERIFY2(week.validate().ok(), qPrintable(week.validate().message()));
        c.acceptedDomains = {QStringLiteral("bücher.example"), QStringLiteral("localhost")};
        const Result r = c.validate();
        QVERIFY2(r.ok(), qPrintable(r.message()));
    }

    // OAuth2 accounts that are valid: http on a loopback address (test servers), the token
    // mechanisms by name, app-only with a secret and its own tenant.
    void oauthValidationAccepts()
    {
        Config c = oauthConfig();
        QVERIFY2(c.validate().ok(), qPrintable(c.validate().message()));
        c.accounts[0].oauth2.tokenUrl = QStringLiteral("http://127.0.0.1:8080/token");
        c.accounts[0].oauth2.deviceUrl = QStringLiteral("http://localhost:8080/device");
        c.accounts[0].authMethod = QStringLiteral("xoauth2");
        QVERIFY2(c.validate().ok(), qPrintable(c.validate().message()));
        c.accounts[0].authMethod = QStringLiteral("oauthbearer");
        c.accounts[0].oauth2.appOnly = true;
        c.accounts[0].oauth2.clientSecret = true;
        c.accounts[0].oauth2.deviceUrl.clear(); // app-only signs in without a person
        QVERIFY2(c.validate().ok(), qPrintable(c.validate().message()));
        Config app = oauthConfig();
        app.accounts[0].signIn = SignInMethod::Microsoft365App;
        app.accounts[0].oauth2.clientSecret = true;
        app.accounts[0].oauth2.tenant = QStringLiteral("contoso.onmicrosoft.com");
        QVERIFY2(app.validate().ok(), qPrintable(app.validate().message()));
        QVERIFY(app.accounts[0].isAppOnly());
        QVERIFY(!app.accounts[0].needsInteractiveSignIn());
    }

    // The keys survive a save and a load, and an OAuth2 account's JSON holds no secret.
    void oauthRoundTrip()
    {
        const QString path = m_dir.filePath(QStringLiteral("oauth.json"));
        Config original = oauthConfig();
        original.accounts[0].oauth2.clientSecret = true;
        original.accounts[0].oauth2.authorizationUrl =
            QStringLiteral("https://login.example.com/authorize");
        QVERIFY(original.save(path).ok());
        Config loaded;
        QVERIFY(Config::load(path, loaded).ok());
        compareAccounts(loaded.accounts[0], original.accounts[0]);
        const QByteArray json = original.toJson();
        QVERIFY(json.contains("\"signIn\": \"oauth2\""));
        QVERIFY(json.contains("\"clientSecret\": true"));
    }

    void validationReportsEveryProblem()
    {
        Config c = validConfig();
        c.accounts[0].port = 0;
        c.maxPerPass = 0;
        const Result r = c.validate();
        QVERIFY(r.message().contains(QLatin1String("accounts[0].port")));
        QVERIFY(r.message().contains(QLatin1String("maxPerPass")));
    }

    // docs/CONFIG.md's example loads, validates, and is exactly what save() writes.
    void documentedExample()
    {
        QFile doc(QStringLiteral(POLLUX_CONFIG_DOC));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QByteArray text = doc.readAll();
        const qsizetype start = text.indexOf("```json\n");
        QVERIFY(start >= 0);
        const qsizetype end = text.indexOf("```", start + 8);
        QVERIFY(end > start);
        const QByteArray json = text.mid(start + 8, end - start - 8);
        Config c;
        const Result r = Config::parse(json, QStringLiteral("CONFIG.md"), c);
        QVERIFY2(r.ok(), qPrintable(r.message()));
        const Result v = c.validate();
        QVERIFY2(v.ok(), qPrintable(v.message()));
        QCOMPARE(c.accounts.size(), 2);
        QCOMPARE(QString::fromUtf8(c.toJson()), QString::fromUtf8(json));
    }

    // `pollux config check` says in words what stays on the provider's server.
    void describeSaysWhatHappens_data()
    {
        QTest::addColumn<Mutation>("mutate");
        QTest::addColumn<QString>("expected");
        QTest::newRow("delete") << Mutation([](Config &) {})
                                << QStringLiteral("    retention: messages are deleted from the "
                                                  "server once collected\n");
        QTest::newRow("keep") << Mutation([](Config &c) {
            c.accounts[0].retention = Retention::Keep;
        }) << QStringLiteral("    retention: messages are kept on the server");
        QTest::newRow("keep-days")
            << Mutation([](Config &c) { c.accounts[0].retention = Retention::KeepDays; })
            << QStringLiteral("    retention: messages are kept for 7 days after the first "
                              "download, then deleted from the server\n");
        QTest::newRow("single-user-recipient")
            << Mutation([](Config &) {})
            << QStringLiteral("    mailbox: single-user: all mail goes to joe@office.example\n");
        QTest::newRow("server-and-tls")
            << Mutation([](Config &c) {
                   c.accounts[0].type = ServerType::Pop3Ssl;
                   c.accounts[0].port = 995;
               })
            << QStringLiteral("  \"home\": pop3-ssl at pop.example.com:995, TLS from the first "
                              "byte\n");
        QTest::newRow("starttls") << Mutation([](Config &c) { c.accounts[0].startTls = true; })
                                  << QStringLiteral("pop.example.com:110, STARTTLS, required");
        QTest::newRow("office-server") << Mutation([](Config &c) { c.smtp.startTls = true; })
                                       << QStringLiteral("Office server: mail.office.example:25, "
                                                         "STARTTLS required, no login\n");
        QTest::newRow("postmaster-and-domains") << Mutation([](Config &c) {
            c.postmaster = QStringLiteral("pm@office.example");
            c.acceptedDomains = {QStringLiteral("office.example"), QStringLiteral("b.example")};
        })
                                                << QStringLiteral(
                                                       "Postmaster: pm@office.example\nAccepted "
                                                       "domains: office.example, "
                                                       "b.example\n");
        QTest::newRow("catch-all")
            << Mutation([](Config &c) {
                   c.accounts[0].mailbox = MailboxType::CatchAll;
                   c.accounts[0].envelopeHeaders = {QStringLiteral("X-Original-To")};
                   c.acceptedDomains = {QStringLiteral("office.example")};
               })
            << QStringLiteral("catch-all: each message goes to its recipients in the accepted "
                              "domains (envelope headers trusted: X-Original-To); mail with no "
                              "local recipient is quarantined (no postmaster set)");
        QTest::newRow("disabled") << Mutation([](Config &c) { c.accounts[0].enabled = false; })
                                  << QStringLiteral("\"home\" (disabled: not collected)");
        QTest::newRow("interval") << Mutation([](Config &c) { c.pollIntervalSecs = 7 * 86400; })
                                  << QStringLiteral("Polling: every 7 days");
    }
    void describeSaysWhatHappens()
    {
        QFETCH(Mutation, mutate);
        QFETCH(QString, expected);
        Config c = validConfig();
        mutate(c);
        QVERIFY2(c.validate().ok(), qPrintable(c.validate().message()));
        const QString text = c.describe();
        QVERIFY2(text.contains(expected), qPrintable(text));
    }

    void saveIsAtomicAndReportsErrors()
    {
        const QString path = m_dir.filePath(QStringLiteral("atomic.json"));
        QVERIFY(validConfig().save(path).ok());
        Config c = validConfig();
        c.maxPerPass = 9;
        QVERIFY(c.save(path).ok());
        Config loaded;
        QVERIFY(Config::load(path, loaded).ok());
        QCOMPARE(loaded.maxPerPass, 9);
        const Result r = c.save(m_dir.filePath(QStringLiteral("atomic.json/sub.json")));
        QCOMPARE(r.code(), ErrorCode::Storage);
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
