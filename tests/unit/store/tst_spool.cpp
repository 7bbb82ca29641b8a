#include "store/Spool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace pollux;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

// Writes `data` as one spool file for `account`; returns its relative path (empty on error).
QString spoolMessage(Spool &spool, const QString &account, const QByteArray &data)
{
    Result error;
    auto writer = spool.create(account, error);
    if (!writer || !writer->write(data.constData(), data.size()).ok() || !writer->finish().ok())
        return QString();
    return writer->relativePath();
}

} // namespace

class TestSpool : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_count = 0;
    QString newDir()
    {
        return m_tmp.filePath(QStringLiteral("spool-") % QString::number(++m_count));
    }

private slots:
    void writeFinishDurableRemove()
    {
        Spool spool(newDir());
        QVERIFY(spool.init().ok());
        QVERIFY(QFileInfo(spool.dir() % QStringLiteral("/quarantine/TOOLARGE")).isDir());
        QVERIFY(QFileInfo(spool.dir() % QStringLiteral("/quarantine/BADMAIL")).isDir());

        Result error;
        auto writer = spool.create(QStringLiteral("home"), error);
        QVERIFY2(writer, qPrintable(error.message()));
        QByteArray expected;
        for (int i = 0; i < 5000; ++i) {
            const QByteArray line = "Line " + QByteArray::number(i) + "\r\n";
            expected += line;
            QVERIFY(writer->write(line.constData(), line.size()).ok());
        }
        QCOMPARE(writer->size(), qint64(expected.size()));
        QVERIFY(writer->finish().ok());
        const QString relative = writer->relativePath();
        QVERIFY(relative.startsWith(Spool::accountKey(QStringLiteral("home")) % QLatin1Char('/')));
        QVERIFY(relative.endsWith(QLatin1String(".eml")));
        writer.reset(); // a finished file survives its writer
        QCOMPARE(readAll(spool.absolutePath(relative)), expected);

        QVERIFY(spool.makeDurable({relative}).ok());
        QVERIFY(spool.remove(relative).ok());
        QVERIFY(!QFile::exists(spool.absolutePath(relative)));
        QVERIFY(spool.remove(relative).ok()); // idempotent
        QCOMPARE(spool.makeDurable({relative}).code(), ErrorCode::Storage);
    }

    void unfinishedIsDiscarded()
    {
        Spool spool(newDir());
        QVERIFY(spool.init().ok());
        Result error;
        QString path;
        {
            auto writer = spool.create(QStringLiteral("a"), error);
            QVERIFY(writer);
            QVERIFY(writer->write("partial", 7).ok());
            path = spool.absolutePath(writer->relativePath());
            QVERIFY(QFile::exists(path));
        }
        QVERIFY(!QFile::exists(path));

        auto writer = spool.create(QStringLiteral("a"), error);
        QVERIFY(writer);
        path = spool.absolutePath(writer->relativePath());
        writer->discard();
        QVERIFY(!QFile::exists(path));
        QCOMPARE(writer->write("x", 1).code(), ErrorCode::Storage);
    }

    void namesAreUnique()
    {
        Spool spool(newDir());
        QVERIFY(spool.init().ok());
        QSet<QString> paths;
        std::vector<std::unique_ptr<Spool::Writer>> writers;
        for (int i = 0; i < 200; ++i) {
            Result error;
            writers.push_back(spool.create(QStringLiteral("a"), error));
            QVERIFY(writers.back());
            paths.insert(writers.back()->relativePath());
        }
        QCOMPARE(paths.size(), 200);
    }

    void hostileAccountNames_data()
    {
        QTest::addColumn<QString>("account");
        QTest::newRow("dot-dot-slash") << QStringLiteral("../x");
        QTest::newRow("dot-dot") << QStringLiteral("..");
        QTest::newRow("dot") << QStringLiteral(".");
        QTest::newRow("empty") << QString();
        QTest::newRow("absolute") << QStringLiteral("/etc");
        QTest::newRow("slashes") << QStringLiteral("a/b/../../c");
        QTest::newRow("backslash") << QStringLiteral("..\\..\\x");
        QTest::newRow("quarantine") << QStringLiteral("quarantine");
        QTest::newRow("upper-case") << QStringLiteral("Home");
        QTest::newRow("lower-case") << QStringLiteral("home");
        QTest::newRow("control-chars") << QStringLiteral("a\nb\tc\x01");
        QTest::newRow("unicode") << QStringLiteral("Büro 東京 ✉");
        QTest::newRow("very-long") << QString(300, QChar(0x00e9));
        QTest::newRow("very-long-variant") << QString(299, QChar(0x00e9)) % QLatin1Char('x');
    }
    void hostileAccountNames()
    {
        QFETCH(QString, account);
        const QString root = m_tmp.filePath(QStringLiteral("hostile"));
        Spool spool(root);
        QVERIFY(spool.init().ok());
        const QString key = Spool::accountKey(account);
        QVERIFY(!key.contains(QLatin1Char('/')) && !key.contains(QLatin1Char('\\')));
        QVERIFY(key != QLatin1String("quarantine") && !key.startsWith(QLatin1Char('.')));
        QVERIFY(key.toUtf8().size() <= 120);
        Result error;
        auto writer = spool.create(account, error);
        QVERIFY2(writer, qPrintable(error.message()));
        QVERIFY(writer->finish().ok());
        const QFileInfo info(spool.absolutePath(writer->relativePath()));
        QVERIFY(info.exists());
        QCOMPARE(QFileInfo(info.canonicalPath()).canonicalPath(),
                 QFileInfo(root).canonicalFilePath());
        // Every row's key is distinct from every other row's (including case variants).
        static QHash<QString, QString> seen;
        QVERIFY2(!seen.contains(key) || seen.value(key) == account, qPrintable(key));
        seen.insert(key, account);
    }

    void quarantine()
    {
        Spool spool(newDir());
        QVERIFY(spool.init().ok());
        const QString relative = spoolMessage(spool, QStringLiteral("a"), "big message");
        QVERIFY(!relative.isEmpty());
        QString moved;
        QVERIFY(spool.quarantine(relative, QuarantineFolder::TooLarge, moved).ok());
        QVERIFY(moved.startsWith(QLatin1String("quarantine/TOOLARGE/")));
        QVERIFY(!QFile::exists(spool.absolutePath(relative)));
        QCOMPARE(readAll(spool.absolutePath(moved)), QByteArray("big message"));

        // Same name again: it must not overwrite the first.
        QVERIFY(writeFile(spool.absolutePath(relative), "second"));
        QString movedAgain;
        QVERIFY(spool.quarantine(relative, QuarantineFolder::TooLarge, movedAgain).ok());
        QVERIFY(movedAgain != moved);
        QCOMPARE(readAll(spool.absolutePath(moved)), QByteArray("big message"));
        QCOMPARE(readAll(spool.absolutePath(movedAgain)), QByteArray("second"));

        QString unused;
        QCOMPARE(spool.quarantine(relative, QuarantineFolder::BadMail, unused).code(),
                 ErrorCode::Storage); // already moved
    }

    void removeOrphans()
    {
        Spool spool(newDir());
        QVERIFY(spool.init().ok());
        const QString keep1 = spoolMessage(spool, QStringLiteral("a"), "1");
        const QString keep2 = spoolMessage(spool, QStringLiteral("b"), "2");
        const QString orphan1 = spoolMessage(spool, QStringLiteral("a"), "3");
        const QString orphan2 = spoolMessage(spool, QStringLiteral("c"), "4");
        const QString quarantined = spoolMessage(spool, QStringLiteral("a"), "5");
        QString inQuarantine;
        QVERIFY(spool.quarantine(quarantined, QuarantineFolder::BadMail, inQuarantine).ok());
        QCOMPARE(spool.removeOrphans({keep1, keep2}), 2);
        QVERIFY(QFile::exists(spool.absolutePath(keep1)));
        QVERIFY(QFile::exists(spool.absolutePath(keep2)));
        QVERIFY(!QFile::exists(spool.absolutePath(orphan1)));
        QVERIFY(!QFile::exists(spool.absolutePath(orphan2)));
        QVERIFY(QFile::exists(spool.absolutePath(inQuarantine)));
        QCOMPARE(spool.removeOrphans({keep1, keep2}), 0);
    }

    void pathsCannotLeaveTheSpool_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("parent") << QStringLiteral("../outside.eml");
        QTest::newRow("sneaky-parent") << QStringLiteral("a/../../outside.eml");
        QTest::newRow("absolute") << QStringLiteral("/tmp/outside.eml");
        QTest::newRow("empty") << QString();
    }
    void pathsCannotLeaveTheSpool()
    {
        QFETCH(QString, path);
        const QString base = newDir();
        Spool spool(base % QStringLiteral("/inner"));
        QVERIFY(spool.init().ok());
        const QString outside = base % QStringLiteral("/outside.eml");
        QVERIFY(writeFile(outside, "keep me"));
        QCOMPARE(spool.remove(path).code(), ErrorCode::Storage);
        QCOMPARE(spool.makeDurable({path}).code(), ErrorCode::Storage);
        QString moved;
        QCOMPARE(spool.quarantine(path, QuarantineFolder::BadMail, moved).code(),
                 ErrorCode::Storage);
        QCOMPARE(readAll(outside), QByteArray("keep me"));
    }

    void unwritableLocation_data()
    {
        QTest::addColumn<bool>("readOnlyDir");
        QTest::newRow("parent-is-a-file") << false;
        QTest::newRow("read-only-directory") << true;
    }
    void unwritableLocation()
    {
        QFETCH(bool, readOnlyDir);
        const QString base = newDir();
        QVERIFY(QDir().mkpath(base));
        QString dir;
        if (readOnlyDir) {
#ifdef Q_OS_UNIX
            if (::geteuid() == 0)
                QSKIP("running as root: directory permissions do not apply");
#endif
            Spool ok(base);
            QVERIFY(ok.init().ok());
            QVERIFY(QFile::setPermissions(base, QFile::ReadOwner | QFile::ExeOwner));
            dir = base;
        } else {
            QVERIFY(writeFile(base % QStringLiteral("/file"), "x"));
            dir = base % QStringLiteral("/file/spool");
        }
        Spool spool(dir);
        Result error;
        auto writer = spool.create(QStringLiteral("a"), error);
        QVERIFY(!writer);
        QCOMPARE(error.code(), ErrorCode::Storage);
        QVERIFY2(error.message().contains(dir), qPrintable(error.message()));
        if (!readOnlyDir)
            QCOMPARE(spool.init().code(), ErrorCode::Storage);
        QFile::setPermissions(base, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    // Disk full, simulated with a file-size limit (works as root too): the error surfaces at
    // write() or finish() as ErrorCode::Storage, and the partial file is gone.
    void diskFullIsStorageError()
    {
#ifndef Q_OS_UNIX
        QSKIP("needs setrlimit");
#else
        Spool spool(newDir());
        QVERIFY(spool.init().ok());
        Result error;
        auto writer = spool.create(QStringLiteral("a"), error);
        QVERIFY(writer);
        const QString path = spool.absolutePath(writer->relativePath());

        rlimit saved{};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &saved), 0);
        auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = saved;
        small.rlim_cur = 64 * 1024;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
        const QByteArray chunk(4096, 'x');
        Result result;
        for (int i = 0; i < 256 && result.ok(); ++i)
            result = writer->write(chunk.constData(), chunk.size());
        if (result.ok())
            result = writer->finish();
        ::setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, oldHandler);

        QCOMPARE(result.code(), ErrorCode::Storage);
        QVERIFY2(result.message().contains(path), qPrintable(result.message()));
        writer.reset();
        QVERIFY(!QFile::exists(path));
#endif
    }
};

QTEST_GUILESS_MAIN(TestSpool)
#include "tst_spool.moc"
