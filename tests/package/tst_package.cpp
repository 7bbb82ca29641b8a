// The Debian package as a user gets it: built by deploy/package.sh (the package_deb test,
// a fixture), unpacked with dpkg-deb; its control data, its files agreeing with each other,
// and the installed binary doing a headless pass against a real Dovecot and SMTP server.
// (Install and remove with dpkg: install_remove.sh; lintian and the validators:
// check_files.sh.)
#include "MessageFactory.h"
#include "support/DovecotServer.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace pollux;
using namespace pollux::test;

namespace {
const QString kVersion = QStringLiteral(POLLUX_VERSION);

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString &program, const QStringList &args, const QByteArray &input = {},
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    Run r;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    return r;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// "Key=value" lines of a systemd unit (the last one of a key wins, as in systemd).
QString unitValue(const QByteArray &unit, const QString &key)
{
    QString value;
    for (const QByteArray &line : unit.split('\n')) {
        const QString l = QString::fromUtf8(line).trimmed();
        if (l.startsWith(key + QLatin1Char('=')))
            value = l.mid(key.size() + 1);
    }
    return value;
}
} // namespace

class TestPackage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void controlFields();
    void contents_data();
    void contents();
    void everyFileInEtcIsAConffile();
    void versionsAgree();
    void screenshotsAreTheRenderersFiles();
    void installedBinaryVersion();
    void unitAgreesWithThePackage();
    void headlessPassWithTheInstalledFiles();

private:
    void checkLoadedAtRunTime(const QString &dir);
    QStringList dependsAndRecommends() const;

    QString m_deb;
    QTemporaryDir m_root;
    QTemporaryDir m_control;
};

void TestPackage::initTestCase()
{
    const QDir dir(qEnvironmentVariable("POLLUX_TEST_DEB_DIR"));
    const QStringList debs = dir.entryList({QStringLiteral("pollux_*.deb")}, QDir::Files);
    QVERIFY2(debs.size() == 1,
             qPrintable(QStringLiteral("want one pollux_*.deb in %1 (the package_deb test "
                                       "makes it), found: %2")
                            .arg(dir.path(), debs.join(QLatin1Char(' ')))));
    m_deb = dir.filePath(debs.first());
    QVERIFY(m_root.isValid() && m_control.isValid());
    Run x = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root.path()});
    QVERIFY2(x.status == 0, x.err.constData());
    Run e = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-e"), m_deb, m_control.path()});
    QVERIFY2(e.status == 0, e.err.constData());
}

void TestPackage::controlFields()
{
    const QString control =
        QString::fromUtf8(readFile(m_control.filePath(QStringLiteral("control"))));
    auto field = [&control](const QString &name) {
        const QRegularExpression re(QStringLiteral("^%1: (.*)$").arg(name),
                                    QRegularExpression::MultilineOption);
        return re.match(control).captured(1).trimmed();
    };
    QCOMPARE(field(QStringLiteral("Package")), QStringLiteral("pollux"));
    QCOMPARE(field(QStringLiteral("Version")), kVersion + QStringLiteral("-1"));
    QCOMPARE(field(QStringLiteral("Section")), QStringLiteral("mail"));
    QVERIFY(!field(QStringLiteral("Maintainer")).isEmpty());
    QVERIFY(!field(QStringLiteral("Description")).isEmpty());
    const QStringList depends = field(QStringLiteral("Depends")).split(QStringLiteral(", "));
    auto depends_on = [&depends](const QString &package) {
        for (const QString &d : depends)
            if (d == package || d.startsWith(package + QLatin1Char(' ')))
                return true;
        return false;
    };
    // dpkg-shlibdeps ran (the libraries the binary links) and the run-time ones were added.
    for (const QString &package :
         {QStringLiteral("libc6"), QStringLiteral("libqt6core6"), QStringLiteral("libqt6network6"),
          QStringLiteral("libqt6widgets6"), QStringLiteral("libqt6keychain1"),
          QStringLiteral("adduser"), QStringLiteral("libqt6sql6-sqlite")})
        QVERIFY2(depends_on(package), qPrintable(package + QStringLiteral(" not in Depends: ") +
                                                 depends.join(QStringLiteral(", "))));
    for (const QString &script :
         {QStringLiteral("postinst"), QStringLiteral("prerm"), QStringLiteral("postrm")}) {
        const QFileInfo info(m_control.filePath(script));
        QVERIFY2(info.isFile() && info.isExecutable(), qPrintable(script));
    }
}

void TestPackage::contents_data()
{
    QTest::addColumn<QString>("path");
    for (const char *path :
         {"usr/bin/pollux", "usr/share/applications/io.github.pollux.Pollux.desktop",
          "usr/share/metainfo/io.github.pollux.Pollux.metainfo.xml",
          "usr/share/icons/hicolor/scalable/apps/io.github.pollux.Pollux.svg",
          "usr/share/man/man1/pollux.1.gz", "usr/share/doc/pollux/copyright",
          "usr/share/doc/pollux/changelog.Debian.gz", "usr/share/doc/pollux/README.md",
          "usr/share/doc/pollux/SERVICE.md", "lib/systemd/system/pollux.service",
          "etc/xdg/autostart/pollux.desktop", "etc/pollux/pollux.json"})
        QTest::newRow(path) << QString::fromLatin1(path);
}

void TestPackage::contents()
{
    QFETCH(QString, path);
    const QFileInfo info(m_root.filePath(path));
    QVERIFY2(info.isFile() && info.size() > 0, qPrintable(path));
    if (path == QLatin1String("usr/bin/pollux"))
        QVERIFY(info.isExecutable());
}

void TestPackage::everyFileInEtcIsAConffile()
{
    QStringList conffiles;
    for (const QByteArray &line :
         readFile(m_control.filePath(QStringLiteral("conffiles"))).split('\n'))
        if (!line.trimmed().isEmpty())
            conffiles << QString::fromUtf8(line.trimmed());
    QStringList inEtc;
    QDirIterator it(m_root.filePath(QStringLiteral("etc")), QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        inEtc << it.next().mid(m_root.path().size());
    conffiles.sort();
    inEtc.sort();
    QCOMPARE(conffiles, inEtc);
    QVERIFY(inEtc.contains(QStringLiteral("/etc/pollux/pollux.json")));
}

void TestPackage::versionsAgree()
{
    // The newest release in the metainfo, the Debian changelog and the man page all name
    // the version being built.
    const QByteArray metainfo = readFile(
        m_root.filePath(QStringLiteral("usr/share/metainfo/io.github.pollux.Pollux.metainfo.xml")));
    const QRegularExpression release(QStringLiteral("<release version=\"([^\"]+)\""));
    QCOMPARE(release.match(QString::fromUtf8(metainfo)).captured(1), kVersion);

    Run changelog =
        run(QStringLiteral("gzip"),
            {QStringLiteral("-dc"),
             m_root.filePath(QStringLiteral("usr/share/doc/pollux/changelog.Debian.gz"))});
    QCOMPARE(changelog.status, 0);
    QVERIFY2(changelog.out.startsWith(QByteArray("pollux (" + kVersion.toUtf8() + "-1) ")),
             changelog.out.left(200).constData());

    Run man = run(
        QStringLiteral("gzip"),
        {QStringLiteral("-dc"), m_root.filePath(QStringLiteral("usr/share/man/man1/pollux.1.gz"))});
    QCOMPARE(man.status, 0);
    QVERIFY2(man.out.contains(".TH POLLUX 1 ") &&
                 man.out.contains(QByteArray("\"Pollux " + kVersion.toUtf8() + '"')),
             "the man page's .TH line names another version");
}

void TestPackage::screenshotsAreTheRenderersFiles()
{
    // Each screenshot of the metainfo is a file tests/gui/screenshots.sh renders (English,
    // scale 1), published under the same name.
    const QString metainfo = QString::fromUtf8(readFile(m_root.filePath(
        QStringLiteral("usr/share/metainfo/io.github.pollux.Pollux.metainfo.xml"))));
    // The renderer draws the windows of the window catalogue.
    const QByteArray renderer = readFile(qEnvironmentVariable("POLLUX_SOURCE_DIR") +
                                         QStringLiteral("/tests/gui/WindowCatalogue.cpp"));
    QVERIFY(!renderer.isEmpty());
    const QRegularExpression image(QStringLiteral(
        "<image type=\"source\"[^>]*>https://[^<]*/screenshots/en-1x/([a-z0-9-]+)\\.png</image>"));
    int count = 0;
    for (auto it = image.globalMatch(metainfo); it.hasNext(); ++count) {
        const QString name = it.next().captured(1);
        QVERIFY2(renderer.contains(QByteArray("QStringLiteral(\"" + name.toUtf8() + "\")")),
                 qPrintable(name +
                            QStringLiteral(" is not a window tests/gui/WindowCatalogue.cpp has")));
    }
    QVERIFY(count >= 1);
    QCOMPARE(count, int(metainfo.count(QStringLiteral("<image "))));
}

void TestPackage::installedBinaryVersion()
{
    Run r = run(m_root.filePath(QStringLiteral("usr/bin/pollux")), {QStringLiteral("--version")});
    QCOMPARE(r.status, 0);
    QCOMPARE(r.out, "pollux " + kVersion.toUtf8() + '\n');
}

void TestPackage::unitAgreesWithThePackage()
{
    const QByteArray unit =
        readFile(m_root.filePath(QStringLiteral("lib/systemd/system/pollux.service")));
    QVERIFY(!unit.isEmpty());
    const QStringList exec = unitValue(unit, QStringLiteral("ExecStart")).split(QLatin1Char(' '));
    QCOMPARE(exec.value(0), QStringLiteral("/usr/bin/pollux"));
    QVERIFY(QFileInfo(m_root.filePath(exec.value(0).mid(1))).isExecutable());
    QVERIFY(exec.contains(QStringLiteral("--headless")));
    QVERIFY(!exec.contains(QStringLiteral("--once")));
    const int configAt = exec.indexOf(QStringLiteral("--config"));
    QVERIFY(configAt > 0);
    const QString configPath = exec.value(configAt + 1);
    QCOMPARE(configPath, QStringLiteral("/etc/pollux/pollux.json"));

    // The user the postinst creates runs it; its data folder is the state directory.
    QCOMPARE(unitValue(unit, QStringLiteral("User")), QStringLiteral("pollux"));
    QVERIFY(readFile(m_control.filePath(QStringLiteral("postinst")))
                .contains("adduser --system --quiet --ingroup pollux --home /var/lib/pollux"));
    Config config;
    const Result loaded = Config::load(m_root.filePath(configPath.mid(1)), config);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message()));
    QVERIFY2(config.validate().ok(), qPrintable(config.validate().message()));
    QCOMPARE(config.dataDir,
             QStringLiteral("/var/lib/") + unitValue(unit, QStringLiteral("StateDirectory")));

    // Reload is SIGHUP; a stop may wait 10 minutes for the office server's last reply.
    QCOMPARE(unitValue(unit, QStringLiteral("ExecReload")),
             QStringLiteral("/bin/kill -HUP $MAINPID"));
    QCOMPARE(unitValue(unit, QStringLiteral("Restart")), QStringLiteral("on-failure"));
    const QRegularExpression minutes(QStringLiteral("^(\\d+)min$"));
    const auto m = minutes.match(unitValue(unit, QStringLiteral("TimeoutStopSec")));
    QVERIFY2(m.hasMatch() && m.captured(1).toInt() >= 11,
             qPrintable(unitValue(unit, QStringLiteral("TimeoutStopSec"))));
}

void TestPackage::headlessPassWithTheInstalledFiles()
{
    QVERIFY2(
        !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
        "no D-Bus session: run the suite with deploy/test.sh (the password goes to its keyring)");
    QVERIFY2(TestCa::instance().ok(), qPrintable(TestCa::instance().error()));
    DovecotServer dovecot;
    QString error;
    QVERIFY2(dovecot.start(&error), qPrintable(error));
    SmtpSink sink;
    QVERIFY2(sink.start(&error), qPrintable(error));
    const QString password = QStringLiteral("Pk9#package-pass-4410");
    QVERIFY(dovecot.addUser(QStringLiteral("carol"), password));
    for (int i = 1; i <= 5; ++i)
        QVERIFY(dovecot.deliver(QStringLiteral("carol"), makeMessage(i, 3000)));

    // The packaged service configuration, with an account and the office server added,
    // and a data folder of its own.
    QTemporaryDir work;
    Config config;
    QVERIFY(Config::load(m_root.filePath(QStringLiteral("etc/pollux/pollux.json")), config).ok());
    AccountConfig a;
    a.name = QStringLiteral("carol");
    a.type = ServerType::Pop3Ssl;
    a.host = QStringLiteral("127.0.0.1");
    a.port = dovecot.pop3sPort();
    a.username = QStringLiteral("carol");
    a.timeoutSecs = 30;
    a.recipient = QStringLiteral("carol@office.example.com");
    config.accounts << a;
    config.smtp.host = QStringLiteral("127.0.0.1");
    config.smtp.port = sink.port();
    config.postmaster = QStringLiteral("postmaster@office.example.com");
    config.caFile = TestCa::instance().caCertPath();
    config.dataDir = work.filePath(QStringLiteral("state"));
    const QString configPath = work.filePath(QStringLiteral("pollux.json"));
    QVERIFY(config.save(configPath).ok());

    const QString pollux = m_root.filePath(QStringLiteral("usr/bin/pollux"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POLLUX_KEYCHAIN_SERVICE"),
               QStringLiteral("pollux-package-%1").arg(QCoreApplication::applicationPid()));
    Run set = run(pollux,
                  {QStringLiteral("password"), QStringLiteral("set"), QStringLiteral("carol"),
                   QStringLiteral("--config"), configPath},
                  password.toUtf8() + '\n', env);
    QVERIFY2(set.status == 0, set.err.constData());

    // As the unit runs it: its environment, and no writable+executable memory
    // (MemoryDenyWriteExecute=yes) where the kernel can enforce that for one process.
    env.insert(QStringLiteral("QT_ENABLE_REGEXP_JIT"), QStringLiteral("0"));
    // What the pass loads with dlopen (plugins, libraries Qt loads itself) is invisible to
    // dpkg-shlibdeps: the dynamic loader lists it into work/ld.<pid>.
    env.insert(QStringLiteral("LD_DEBUG"), QStringLiteral("files"));
    env.insert(QStringLiteral("LD_DEBUG_OUTPUT"), work.filePath(QStringLiteral("ld")));
    const QString mdwe =
        qEnvironmentVariable("POLLUX_SOURCE_DIR") + QStringLiteral("/tests/package/mdwe.py");
    QStringList args{QStringLiteral("--headless"), QStringLiteral("--once"),
                     QStringLiteral("--config"), configPath};
    Run probe = run(mdwe, {QStringLiteral("/bin/true")});
    Run pass;
    if (probe.status == 0) {
        pass = run(mdwe, QStringList{pollux} + args, {}, env);
    } else {
        QCOMPARE(probe.status, 77); // the kernel has no PR_SET_MDWE
        qInfo("this kernel cannot deny writable+executable memory to one process: plain run");
        pass = run(pollux, args, {}, env);
    }
    QVERIFY2(pass.status == 0, pass.err.right(3000).constData());
    checkLoadedAtRunTime(work.path());
    QCOMPARE(dovecot.messageCount(QStringLiteral("carol")), 0);
    int delivered = 0;
    for (const ReceivedMessage &m : sink.messages())
        delivered += m.recipients.contains(QStringLiteral("carol@office.example.com")) ? 1 : 0;
    QCOMPARE(delivered, 5);
    QVERIFY(QFileInfo::exists(work.filePath(QStringLiteral("state/pollux.db"))));
    QVERIFY(sink.stop());
    QVERIFY(dovecot.stop());
}

QStringList TestPackage::dependsAndRecommends() const
{
    const QString control =
        QString::fromUtf8(readFile(m_control.filePath(QStringLiteral("control"))));
    QStringList names;
    for (const QString &field : {QStringLiteral("Depends"), QStringLiteral("Recommends")}) {
        const QRegularExpression re(QStringLiteral("^%1: (.*)$").arg(field),
                                    QRegularExpression::MultilineOption);
        for (const QString &alternatives : re.match(control).captured(1).split(QLatin1Char(',')))
            for (const QString &d : alternatives.split(QLatin1Char('|')))
                names << d.trimmed().section(QLatin1Char(' '), 0, 0);
    }
    names.removeAll(QString());
    return names;
}

// Every file the pass loaded with dlopen belongs to a package the .deb depends on (or
// recommends), or to one those depend on directly (their own plugins and libraries).
void TestPackage::checkLoadedAtRunTime(const QString &dir)
{
    QSet<QString> loaded;
    const QRegularExpression line(
        QStringLiteral("file=(\\S+) \\[\\d+\\];\\s+dynamically loaded by (\\S+)"));
    for (const QString &name : QDir(dir).entryList({QStringLiteral("ld.*")}, QDir::Files)) {
        for (const QByteArray &l : readFile(dir + QLatin1Char('/') + name).split('\n')) {
            const auto m = line.match(QString::fromUtf8(l));
            // (The MDWE wrapper is Python; what it loads is not ours.)
            if (m.hasMatch() && !m.captured(2).contains(QLatin1String("python")) &&
                QFileInfo(m.captured(1)).isFile())
                loaded.insert(QFileInfo(m.captured(1)).canonicalFilePath());
        }
    }
    QVERIFY2(!loaded.isEmpty(), "the loader listed nothing loaded at run time (LD_DEBUG=files)");
    const QStringList direct = dependsAndRecommends();
    QSet<QString> allowed(direct.cbegin(), direct.cend());
    for (const QString &package : direct) {
        Run q = run(QStringLiteral("dpkg-query"),
                    {QStringLiteral("-W"), QStringLiteral("-f=${Depends}"), package});
        for (const QString &alternatives : QString::fromUtf8(q.out).split(QLatin1Char(',')))
            for (const QString &d : alternatives.split(QLatin1Char('|')))
                allowed.insert(
                    d.trimmed().section(QLatin1Char(' '), 0, 0).section(QLatin1Char(':'), 0, 0));
    }
    QStringList sorted(loaded.cbegin(), loaded.cend());
    sorted.sort();
    for (const QString &file : sorted) {
        Run owner = run(QStringLiteral("dpkg"), {QStringLiteral("-S"), file});
        QVERIFY2(owner.status == 0, qPrintable(file + QStringLiteral(": no package owns it")));
        const QString package =
            QString::fromUtf8(owner.out).section(QLatin1Char(':'), 0, 0).trimmed();
        qInfo("loaded at run time: %s (%s)", qPrintable(file), qPrintable(package));
        QVERIFY2(allowed.contains(package),
                 qPrintable(QStringLiteral("%1 (package %2) is loaded at run time, but the .deb "
                                           "does not depend on %2")
                                .arg(file, package)));
    }
}

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
