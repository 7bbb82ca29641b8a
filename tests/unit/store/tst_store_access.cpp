// Store::open() on a database that is sound but cannot be written (issue 12, item 12): a
// read-only folder or file is said to be one, with what to do, and never called damaged (an
// admin who deletes a "damaged" database loses the record of what was collected). Real
// damage is still reported as such, with the advice to keep the file.
//
// Unwritable as the suite runs: as root file modes are not enforced, so the immutable
// attribute (chattr +i, which binds root too) stands in for them; otherwise the mode.
#include "store/Store.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace pollux;

namespace {

bool chattr(const QString &flag, const QString &path)
{
    QProcess p;
    p.start(QStringLiteral("chattr"), {flag, path});
    return p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// Makes `path` unwritable for this process; false (with `why`) when that cannot be done.
bool makeUnwritable(const QString &path, bool isDir, QString *why)
{
    if (::geteuid() != 0) {
        const QFile::Permissions keep =
            isDir ? QFile::ReadOwner | QFile::ExeOwner : QFile::Permissions(QFile::ReadOwner);
        return QFile::setPermissions(path, keep);
    }
    if (chattr(QStringLiteral("+i"), path))
        return true;
    *why = QStringLiteral("as root only the immutable attribute makes %1 unwritable, and "
                          "chattr +i fails here (file system without it, or no "
                          "CAP_LINUX_IMMUTABLE)")
               .arg(path);
    return false;
}

void makeWritable(const QString &path, bool isDir)
{
    if (::geteuid() == 0)
        chattr(QStringLiteral("-i"), path);
    else
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner |
                                        (isDir ? QFile::ExeOwner : QFile::Permissions()));
}

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
               ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
               : QByteArray();
}

} // namespace

class TestStoreAccess : public QObject
{
    Q_OBJECT

private slots:
    void unwritableIsNotDamaged_data();
    void unwritableIsNotDamaged();
};

void TestStoreAccess::unwritableIsNotDamaged_data()
{
    QTest::addColumn<bool>("folder"); // the folder, else the database file itself
    QTest::addColumn<QString>("says");
    QTest::newRow("read-only-folder") << true << QStringLiteral("is not writable");
    QTest::newRow("read-only-file") << false << QStringLiteral("cannot be written");
}

void TestStoreAccess::unwritableIsNotDamaged()
{
    QFETCH(bool, folder);
    QFETCH(QString, says);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString data = dir.filePath(QStringLiteral("data"));
    const QString path = data + QStringLiteral("/pollux.db");
    {
        Store store(path, nullptr);
        QVERIFY(store.open().ok());
        QVERIFY(store
                    .recordSpooled(QStringLiteral("acct"),
                                   {SpooledMessage{QStringLiteral("u1"),
                                                   100,
                                                   QStringLiteral("acct/u1.eml"),
                                                   {QStringLiteral("a@example.com")}}})
                    .ok());
    }
    // Closed cleanly: no -wal or -shm left, so SQLite has to create them to read (WAL mode).
    QVERIFY(!QFile::exists(path + QStringLiteral("-shm")));
    const QByteArray before = sha256Of(path);
    const QString target = folder ? data : path;
    QString why;
    if (!makeUnwritable(target, folder, &why))
        QSKIP(qPrintable(why));
    Result r;
    {
        Store store(path, nullptr);
        r = store.open();
    }
    makeWritable(target, folder);
    QVERIFY2(!r.ok(), "an unwritable database was opened for writing");
    QCOMPARE(r.code(), ErrorCode::Storage);
    QVERIFY2(r.message().contains(says), qPrintable(r.message()));
    QVERIFY2(r.message().contains(target), qPrintable(r.message()));
    QVERIFY2(!r.message().contains(QLatin1String("damaged or not a database")),
             qPrintable(r.message()));
    QVERIFY2(r.message().contains(QLatin1String("nothing is damaged")), qPrintable(r.message()));
    QVERIFY2(r.message().contains(QLatin1String("do not delete")), qPrintable(r.message()));
    QCOMPARE(sha256Of(path), before);

    // Writable again: the same file opens, with its record intact.
    Store store(path, nullptr);
    QVERIFY2(store.open().ok(), "the database was not left as it was");
}

QTEST_GUILESS_MAIN(TestStoreAccess)
#include "tst_store_access.moc"
