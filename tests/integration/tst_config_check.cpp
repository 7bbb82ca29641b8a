// The pollux binary and a configuration file an administrator wrote by hand: `pollux config
// check`, and `account test` / `account route --dry-run`, which validate the whole file
// before they connect anywhere. No servers: every case here is decided by the file alone.
#include "support/PolluxBinary.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Edits = QList<QPair<QByteArray, QByteArray>>;

// A valid file; each row replaces parts of it. Port 1: nothing listens there (and nothing
// may be reached: a case that got past validation fails with status 1, not 2).
const QByteArray kTemplate = R"({
    "comment": "written by hand",
    "accounts": [
        {
            "name": "office",
            "type": "pop3",
            "host": "127.0.0.1",
            "port": 1,
            "username": "joe",
            "recipient": "joe@office.example",
            "retention": "keep-days",
            "keepDays": 7
        }
    ],
    "smtp": {"host": "127.0.0.1", "port": 2525},
    "postmaster": "postmaster@office.example",
    "acceptedDomains": ["office.example"],
    "pollIntervalSecs": 300,
    "dataDir": "@DATADIR@"
})";

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

Q_DECLARE_METATYPE(Edits)

class TestConfigCheck : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void validFileIsDescribedAndNothingIsCreated();
    void badFileIsRefusedNamingTheField_data();
    void badFileIsRefusedNamingTheField();
    void everyProblemOnItsOwnLine();
    void accountCommandsValidateFirst_data();
    void accountCommandsValidateFirst();

private:
    QString writeConfig(const QString &name, const Edits &edits);
    Run run(const QStringList &args);
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data-never-created")); }

    QTemporaryDir m_dir;
};

void TestConfigCheck::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString binary = polluxBinary();
    QVERIFY2(QFile::exists(binary), qPrintable(binary));
}

QString TestConfigCheck::writeConfig(const QString &name, const Edits &edits)
{
    QByteArray json = kTemplate;
    json.replace("@DATADIR@", dataDir().toUtf8());
    for (const auto &edit : edits) {
        if (!json.contains(edit.first))
            return {}; // a row that edits nothing tests nothing
        json.replace(edit.first, edit.second);
    }
    const QString path = m_dir.filePath(name + QStringLiteral(".json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size())
        return {};
    return path;
}

Run TestConfigCheck::run(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A keychain service with no entries: a command that got past validation fails on the
    // missing password (status 1) without touching anyone's keychain entries.
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"),
               QStringLiteral("pollux-config-check-%1").arg(QCoreApplication::applicationPid()));
    p.setProcessEnvironment(env);
    p.start(polluxBinary(), args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Valid: status 0 and the plain words; the command only reads (no data folder, no log).
void TestConfigCheck::validFileIsDescribedAndNothingIsCreated()
{
    const QString path = writeConfig(QStringLiteral("valid"), {});
    QVERIFY(!path.isEmpty());
    const Run r =
        run({QStringLiteral("config"), QStringLiteral("check"), QStringLiteral("--config"), path});
    QVERIFY2(r.status == 0, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    const QStringList expected = {
        path + QStringLiteral(": valid"),
        QStringLiteral("\"office\": pop3 at 127.0.0.1:1, not encrypted"),
        QStringLiteral("mailbox: single-user: all mail goes to joe@office.example"),
        QStringLiteral("retention: messages are kept for 7 days after the first download, then "
                       "deleted from the server"),
        QStringLiteral("Office server: 127.0.0.1:2525, not encrypted (no STARTTLS), no login"),
        QStringLiteral("Postmaster: postmaster@office.example"),
        QStringLiteral("Accepted domains: office.example"),
    };
    for (const QString &line : expected)
        QVERIFY2(out.contains(line), qPrintable(out));
    QVERIFY2(!QFileInfo::exists(dataDir()), "config check created the data folder");
}

void TestConfigCheck::badFileIsRefusedNamingTheField_data()
{
    QTest::addColumn<Edits>("edits");
    QTest::addColumn<QString>("expected");
    // 4294968 s * 1000 as an int is 704 ms: 18 logins at the provider in 12 s.
    QTest::newRow("poll-interval-overflowing-ms")
        << Edits{{"\"pollIntervalSecs\": 300", "\"pollIntervalSecs\": 4294968"}}
        << QStringLiteral("pollIntervalSecs: must be at least 60 and at most 604800");
    // Fell back to "delete": the mail was removed from the provider without a word.
    QTest::newRow("retention-misspelt")
        << Edits{{"\"retention\": \"keep-days\"", "\"retenion\": \"keep\""}}
        << QStringLiteral("accounts[0].retenion: unknown key; did you mean \"retention\"?");
    // Silently dropped the TLS requirement.
    QTest::newRow("smtp-starttls-case")
        << Edits{{"\"port\": 2525}", "\"port\": 2525, \"startTLS\": true}"}}
        << QStringLiteral("smtp.startTLS: unknown key; did you mean \"startTls\"?");
    // The last value won.
    QTest::newRow("retention-given-twice")
        << Edits{{"\"keepDays\": 7", "\"keepDays\": 7,\n            \"retention\": \"delete\""}}
        << QStringLiteral("accounts[0].retention: given twice (lines 11 and 13)");
    QTest::newRow("syntax") << Edits{{"\"postmaster\":", "\"postmaster\" "}}
                            << QStringLiteral("line 16, column");
}

void TestConfigCheck::badFileIsRefusedNamingTheField()
{
    QFETCH(Edits, edits);
    QFETCH(QString, expected);
    const QString path = writeConfig(QString::fromLatin1(QTest::currentDataTag()), edits);
    QVERIFY(!path.isEmpty());
    const Run r =
        run({QStringLiteral("config"), QStringLiteral("check"), QStringLiteral("--config"), path});
    QCOMPARE(r.status, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(path + QStringLiteral(": ") + expected),
             r.err.constData());
    QVERIFY2(!r.out.contains("valid"), r.out.constData());
}

void TestConfigCheck::everyProblemOnItsOwnLine()
{
    const QString path =
        writeConfig(QStringLiteral("several"),
                    {{"\"keepDays\": 7", "\"keepDays\": 0"},
                     {"\"recipient\": \"joe@office.example\"", "\"recipient\": \"\""},
                     {"[\"office.example\"]", "[\"@example.test\"]"}});
    QVERIFY(!path.isEmpty());
    const Run r =
        run({QStringLiteral("config"), QStringLiteral("check"), QStringLiteral("--config"), path});
    QCOMPARE(r.status, 2);
    const QStringList lines = QString::fromUtf8(r.err).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    const QStringList fields = {QStringLiteral("accounts[0].keepDays: "),
                                QStringLiteral("accounts[0].recipient: "),
                                QStringLiteral("acceptedDomains[0]: ")};
    for (const QString &field : fields) {
        bool found = false;
        for (const QString &line : lines)
            found = found || line.startsWith(QStringLiteral("pollux: ") + path +
                                             QStringLiteral(": ") + field);
        QVERIFY2(found, qPrintable(lines.join(QLatin1Char('\n'))));
    }
}

// `account test` said OK, and the routing dry run routed, with a file the engine refuses.
void TestConfigCheck::accountCommandsValidateFirst_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<Edits>("edits");
    QTest::addColumn<QString>("expected");
    const QStringList test = {QStringLiteral("account"), QStringLiteral("test"),
                              QStringLiteral("office")};
    const QStringList route = {QStringLiteral("account"), QStringLiteral("route"),
                               QStringLiteral("office"), QStringLiteral("--dry-run")};
    const Edits noSmtpHost = {
        {"{\"host\": \"127.0.0.1\", \"port\": 2525}", "{\"host\": \"\", \"port\": 2525}"}};
    const Edits noRecipient = {{"\"recipient\": \"joe@office.example\"", "\"recipient\": \"\""}};
    const Edits keepDaysZero = {{"\"keepDays\": 7", "\"keepDays\": 0"}};
    const Edits startTlsOnPop3Ssl = {{"\"type\": \"pop3\"", "\"type\": \"pop3-ssl\""},
                                     {"\"keepDays\": 7", "\"keepDays\": 7, \"startTls\": true"}};
    const Edits startTlsOnImapSsl = {{"\"type\": \"pop3\"", "\"type\": \"imap-ssl\""},
                                     {"\"keepDays\": 7", "\"keepDays\": 7, \"startTls\": true"}};
    const Edits atDomain = {
        {"[\"office.example\"]", "[\"@example.test\"]"},
        {"\"recipient\": \"joe@office.example\"", "\"mailbox\": \"catch-all\""}};
    const Edits misspelt = {{"\"retention\": \"keep-days\"", "\"retenion\": \"keep\""}};
    struct Case
    {
        const char *name;
        Edits edits;
        const char *field;
    };
    const Case cases[] = {
        {"smtp-host-missing", noSmtpHost, "smtp.host: must not be empty"},
        {"recipient-missing", noRecipient, "accounts[0].recipient: a single-user mailbox needs"},
        {"keep-days-zero", keepDaysZero, "accounts[0].keepDays: must be 1-3650"},
        {"starttls-on-pop3-ssl", startTlsOnPop3Ssl, "accounts[0].startTls: an -ssl server type"},
        {"starttls-on-imap-ssl", startTlsOnImapSsl, "accounts[0].startTls: an -ssl server type"},
        {"accepted-domain-with-at", atDomain, "acceptedDomains[0]: \"@example.test\": write"},
        {"retention-misspelt", misspelt, "accounts[0].retenion: unknown key"},
    };
    for (const Case &c : cases) {
        QTest::addRow("test-%s", c.name) << test << c.edits << QString::fromLatin1(c.field);
        QTest::addRow("route-%s", c.name) << route << c.edits << QString::fromLatin1(c.field);
    }
}

void TestConfigCheck::accountCommandsValidateFirst()
{
    QFETCH(QStringList, command);
    QFETCH(Edits, edits);
    QFETCH(QString, expected);
    const QString path = writeConfig(QString::fromLatin1(QTest::currentDataTag()), edits);
    QVERIFY(!path.isEmpty());
    const Run r = run(command + QStringList{QStringLiteral("--config"), path});
    QVERIFY2(
        r.status == 2,
        qPrintable(
            QStringLiteral("status %1: %2").arg(r.status).arg(QString::fromUtf8(r.err + r.out))));
    QVERIFY2(QString::fromUtf8(r.err).contains(path + QStringLiteral(": ") + expected),
             r.err.constData());
    QVERIFY2(!r.out.contains("OK"), r.out.constData());
}

QTEST_GUILESS_MAIN(TestConfigCheck)
#include "tst_config_check.moc"
