#include "Store.h"

#include "store/SqlTransaction.h"
#include "store/StoreSchema.h"
#include "util/Clock.h"
#include "util/FileMode.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>
#include <utility>

namespace pollux {

namespace {

QString newConnectionName()
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("pollux-store-") % QString::number(++counter);
}

// SQLite's primary result code (the low byte of an extended one) of a failed statement.
int sqliteCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? code & 0xff : -1;
}

// What open() says instead of "damaged" when the file cannot be used as it is, yet nothing
// is wrong with it. Never advises deleting: the file records what was collected.
const QString kNothingDamaged = QStringLiteral(
    "nothing is damaged and nothing was changed; do not delete the database: it records which "
    "messages were collected and delivered");

// Whether this process may read and write the database, its WAL files and its folder
// (QFileInfo asks access(2), so a read-only file system and an immutable file count even
// for root). Empty when it may; else what to tell the admin.
QString accessProblem(const QString &path)
{
    const QFileInfo db(path);
    const QString dir = db.absolutePath();
    const QString cause = QStringLiteral("(a read-only file system, or no permission for this "
                                         "user)");
    if (!QFileInfo(dir).isWritable())
        return QStringLiteral("the data folder %1 is not writable %2: Pollux writes its "
                              "database there; make the folder writable again, or point "
                              "dataDir at a writable folder; %3")
            .arg(dir, cause, kNothingDamaged);
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        const QFileInfo file(path + suffix);
        if (file.exists() && (!file.isReadable() || !file.isWritable()))
            return QStringLiteral("the database file %1 cannot be %2 %3: make it readable and "
                                  "writable for the user Pollux runs as; %4")
                .arg(file.absoluteFilePath(),
                     file.isReadable() ? QStringLiteral("written") : QStringLiteral("read"), cause,
                     kNothingDamaged);
    }
    return {};
}

// Why a statement on a database that passed accessProblem() failed, when it is not damage:
// a full disk, a lock, an I/O or permission error. Empty for damage or anything else.
QString notDamage(const QSqlError &error)
{
    switch (sqliteCode(error)) {
    case 13: // SQLITE_FULL
        return QStringLiteral("the disk is full: free some space; ") + kNothingDamaged;
    case 3:  // SQLITE_PERM
    case 8:  // SQLITE_READONLY
    case 14: // SQLITE_CANTOPEN
        return QStringLiteral("the database or its folder cannot be written (a read-only file "
                              "system, or no permission for this user): make them writable; ") +
               kNothingDamaged;
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return QStringLiteral("another program holds the database locked: stop it, or wait; ") +
               kNothingDamaged;
    case 10: // SQLITE_IOERR
        return QStringLiteral("the disk reported an I/O error: check the disk; do not delete "
                              "the database: it records which messages were collected and "
                              "delivered");
    default:
        return {};
    }
}

// For real damage: keep the file, it is the record of what was collected.
const QString kDamagedAdvice = QStringLiteral(
    "; keep the file (do not delete it: it records which messages were collected and "
    "delivered, and without it mail left on the server would be collected again): restore it "
    "from a backup, or copy it away and ask for help (docs/RELIABILITY.md)");

bool isUniqueViolation(const QSqlError &error)
{
    // SQLITE_CONSTRAINT (19) and its extended UNIQUE / PRIMARYKEY codes.
    const QString code = error.nativeErrorCode();
    return code == QLatin1String("19") || code == QLatin1String("2067") ||
           code == QLatin1String("1555");
}

} // namespace

Store::Store(const QString &path, Clock *clock)
    : m_path(path), m_connection(newConnectionName()), m_clock(clock ? clock : Clock::system())
{
}

Store::~Store()
{
    if (m_db) {
        m_db->close();
        m_db.reset();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

int Store::schemaVersion()
{
    return schemaMigrations().size();
}

qint64 Store::nowMs() const
{
    return m_clock->now().toMSecsSinceEpoch();
}

Result Store::failure(const QString &what, const QString &detail) const
{
    return Result::failure(ErrorCode::Storage, what % QStringLiteral(": ") % detail %
                                                   QStringLiteral(" (") % m_path %
                                                   QStringLiteral(")"));
}

Result Store::ready() const
{
    if (!m_db || !m_db->isOpen())
        return failure(QStringLiteral("database"), QStringLiteral("not open"));
    return Result::success();
}

Result Store::prepare(QSqlQuery &query, const QString &sql) const
{
    if (Result r = ready(); !r)
        return r;
    query = QSqlQuery(*m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return failure(QStringLiteral("cannot prepare query"), query.lastError().text());
    return Result::success();
}

Result Store::exec(QSqlQuery &query, const QString &what) const
{
    if (!query.exec())
        return failure(what, query.lastError().text());
    return Result::success();
}

Result Store::open(Check level)
{
    if (m_db && m_db->isOpen())
        return Result::success();
    if (!m_db) {
        const QString dir = QFileInfo(m_path).absolutePath();
        if (!filemode::makePrivatePath(dir))
            return failure(QStringLiteral("cannot create directory"),
                           dir % QStringLiteral(" (a read-only file system, or no permission "
                                                "for this user?)"));
        // Before SQLite is asked: a folder it cannot write makes the first query fail with
        // "unable to open database file", which is not damage and must not read like it.
        if (const QString problem = accessProblem(m_path); !problem.isEmpty())
            return Result::failure(ErrorCode::Storage, problem);
        // SQLite creates a new database 0644 (minus the umask) and its -wal and -shm files
        // with the database's mode: created 0600 here first, all three are private. One
        // made by an older version is closed to others too.
        if (!filemode::ensurePrivateFile(m_path))
            return failure(QStringLiteral("cannot create database"), m_path);
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            filemode::makePrivate(m_path + suffix);
        m_db = std::make_unique<QSqlDatabase>(
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection));
        m_db->setDatabaseName(m_path);
        m_db->setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    }
    if (!m_db->open()) {
        const QString why = notDamage(m_db->lastError());
        return failure(QStringLiteral("cannot open database"),
                       m_db->lastError().text() %
                           (why.isEmpty() ? QString() : QStringLiteral("; ") % why));
    }

    auto pragma = [this](const QString &sql, QString *value) -> Result {
        QSqlQuery query(*m_db);
        if (!query.exec(sql)) {
            const QString why = notDamage(query.lastError());
            return failure(sql, query.lastError().text() %
                                    (why.isEmpty() ? QString() : QStringLiteral("; ") % why));
        }
        if (value && query.next())
            *value = query.value(0).toString();
        return Result::success();
    };

    // Integrity first: a damaged file is reported, never replaced by a new one. The full
    // check reads the whole file: about 0.8 s for 500,000 messages (220 MB) from the page
    // cache, a few seconds from a cold disk.
    {
        QSqlQuery check(*m_db);
        if (!check.exec(level == Check::Full ? QStringLiteral("PRAGMA integrity_check")
                                             : QStringLiteral("PRAGMA quick_check"))) {
            const QString error = check.lastError().text();
            const QString why = notDamage(check.lastError());
            m_db->close();
            if (!why.isEmpty())
                return failure(QStringLiteral("cannot read the database"),
                               error % QStringLiteral("; ") % why);
            return failure(QStringLiteral("database damaged or not a database"),
                           error % kDamagedAdvice);
        }
        QStringList problems;
        while (check.next() && problems.size() < 5)
            problems << check.value(0).toString();
        if (problems != QStringList{QStringLiteral("ok")}) {
            check.finish();
            m_db->close();
            QString detail = problems.join(QStringLiteral("; ")).simplified();
            if (detail.size() > 300)
                detail = detail.left(300) % QStringLiteral("...");
            return failure(QStringLiteral("database damaged"), detail % kDamagedAdvice);
        }
    }

    QString mode;
    Result r = pragma(QStringLiteral("PRAGMA busy_timeout = 10000"), nullptr);
    if (r)
        r = pragma(QStringLiteral("PRAGMA journal_mode = WAL"), &mode);
    if (r && mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        r = failure(QStringLiteral("cannot use WAL journal mode"), QStringLiteral("got ") % mode);
    // synchronous=NORMAL: a commit is in the WAL (the operating system has it) when it
    // returns, on the disk at the next checkpoint or the next commit made with FULL. What
    // must survive a power cut before anything else happens is committed with FULL
    // (recordSpooled: before the provider may delete the batch) or made durable in groups
    // (syncCommits: delivered marks, before their spool files go). One WAL sync makes every
    // commit before it durable: the WAL is one file, written in order.
    if (r)
        r = pragma(QStringLiteral("PRAGMA synchronous = NORMAL"), nullptr);
    if (r)
        r = pragma(QStringLiteral("PRAGMA foreign_keys = ON"), nullptr);
    if (r)
        r = migrate();
    if (!r)
        m_db->close();
    return r;
}

Result Store::migrate()
{
    const QVector<QStringList> &steps = schemaMigrations();
    auto readVersion = [this](int &version) -> Result {
        QSqlQuery query(*m_db);
        if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
            return failure(QStringLiteral("cannot read schema version"), query.lastError().text());
        version = query.value(0).toInt();
        return Result::success();
    };

    for (;;) {
        SqlTransaction transaction(*m_db);
        if (Result r = transaction.begin(); !r)
            return r;
        // Read inside the write transaction: another connection may have just upgraded.
        int version = 0;
        if (Result r = readVersion(version); !r)
            return r;
        if (version > steps.size())
            return failure(QStringLiteral("database schema is newer than this program"),
                           QStringLiteral("version ") % QString::number(version));
        if (version == steps.size())
            return transaction.commit();
        for (const QString &statement : steps.at(version)) {
            QSqlQuery query(*m_db);
            if (!query.exec(statement))
                return failure(QStringLiteral("schema upgrade to version ") %
                                   QString::number(version + 1),
                               query.lastError().text());
        }
        QSqlQuery setVersion(*m_db);
        if (!setVersion.exec(QStringLiteral("PRAGMA user_version = ") %
                             QString::number(version + 1)))
            return failure(QStringLiteral("cannot set schema version"),
                           setVersion.lastError().text());
        if (Result r = transaction.commit(); !r)
            return r;
    }
}

Result Store::knownUids(const QString &account, QSet<QString> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT uid FROM messages WHERE account = ?")); !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read known UIDs")); !r)
        return r;
    while (query.next())
        out.insert(query.value(0).toString());
    return Result::success();
}

Result Store::recordSpooled(const QString &account, const QList<SpooledMessage> &batch)
{
    if (batch.isEmpty())
        return Result::success();
    if (Result r = ready(); !r)
        return r;
    // Durable when it returns (the provider may delete the batch next): FULL for this one
    // commit, which syncs the WAL and so every commit before it too.
    if (Result r = setFullSync(true); !r)
        return r;
    struct Normal
    {
        Store *store;
        ~Normal() { (void)store->setFullSync(false); }
    } normal{this};
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    QSqlQuery query;
    if (Result r =
            prepare(query, QStringLiteral("INSERT INTO messages (account, uid, size, first_seen, "
                                          "spool_path, recipients, state, attempts, fingerprint, "
                                          "kind, first_seen_elapsed, header_from, "
                                          "header_subject) VALUES "
                                          "(?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)"));
        !r)
        return r;
    ElapsedReading elapsed;
    if (Result r = readElapsed(false, elapsed); !r)
        return r;
    const qint64 now = elapsed.wall.toMSecsSinceEpoch();
    for (const SpooledMessage &message : batch) {
        query.addBindValue(account);
        query.addBindValue(message.uid);
        query.addBindValue(message.size);
        query.addBindValue(now);
        query.addBindValue(message.spoolPath);
        // Never NULL: an empty list (not routed yet) is the empty string.
        query.addBindValue(message.recipients.isEmpty()
                               ? QStringLiteral("")
                               : message.recipients.join(QLatin1Char('\n')));
        query.addBindValue(static_cast<int>(DeliveryState::Waiting));
        query.addBindValue(message.fingerprint.isEmpty() ? QVariant()
                                                         : QVariant(message.fingerprint));
        query.addBindValue(static_cast<int>(message.kind));
        query.addBindValue(elapsed.elapsedMs);
        query.addBindValue(message.from.isEmpty() ? QVariant() : QVariant(message.from));
        query.addBindValue(message.subject.isEmpty() ? QVariant() : QVariant(message.subject));
        if (!query.exec()) {
            const QSqlError error = query.lastError();
            const QString what = QStringLiteral("cannot record UID ") % message.uid %
                                 QStringLiteral(" of account ") % account;
            return failure(what, isUniqueViolation(error)
                                     ? QStringLiteral("already recorded (duplicate UID)")
                                     : error.text());
        }
    }
    query.finish();
    QSqlQuery forget;
    if (Result r = prepare(forget, QStringLiteral("DELETE FROM retrieval_refusals WHERE "
                                                  "account = ? AND uid = ?"));
        !r)
        return r;
    for (const SpooledMessage &message : batch) {
        forget.addBindValue(account);
        forget.addBindValue(message.uid);
        if (Result r = exec(forget, QStringLiteral("cannot forget a refusal")); !r)
            return r;
    }
    forget.finish();
    if (Result r = transaction.commit(); !r)
        return r;
    m_unsynced = false;
    return Result::success();
}

Result Store::setFullSync(bool full)
{
    QSqlQuery query(*m_db);
    if (!query.exec(full ? QStringLiteral("PRAGMA synchronous = FULL")
                         : QStringLiteral("PRAGMA synchronous = NORMAL")))
        return failure(QStringLiteral("cannot set synchronous"), query.lastError().text());
    return Result::success();
}

// A write with synchronous=FULL syncs the WAL: every frame in it, of every commit before,
// reaches the disk. The write rewrites one row as it is (SQLite writes the page all the
// same), so that there is a commit to sync.
Result Store::syncCommits()
{
    if (Result r = ready(); !r)
        return r;
    if (!m_unsynced)
        return Result::success();
    if (Result r = setFullSync(true); !r)
        return r;
    struct Normal
    {
        Store *store;
        ~Normal() { (void)store->setFullSync(false); }
    } normal{this};
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    {
        QSqlQuery query;
        if (Result r = prepare(query, QStringLiteral("UPDATE messages SET state = state WHERE id "
                                                     "= (SELECT MAX(id) FROM messages)"));
            !r)
            return r;
        if (Result r = exec(query, QStringLiteral("cannot make commits durable")); !r)
            return r;
    }
    if (Result r = transaction.commit(); !r)
        return r;
    m_unsynced = false;
    return Result::success();
}

Result Store::storedSizes(const QString &account, QHash<QString, qint64> &out)
{
    out.clear();
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("SELECT uid, size FROM messages WHERE account = ? "
                                                 "AND removed_at IS NULL AND kind = 0"));
        !r)
        return r;
    query.addBindValue(account);
    if (Result r = exec(query, QStringLiteral("cannot read message sizes")); !r)
        return r;
    while (query.next())
        out.insert(query.value(0).toString(), query.value(1).toLongLong());
    return Result::success();
}

Result Store::markRemoved(const QString &account, const QStringList &uids)
{
    if (uids.isEmpty())
        return ready();
    if (Result r = ready(); !r)
        return r;
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE messages SET removed_at = ? WHERE "
                                                 "account = ? AND uid = ? AND removed_at IS NULL"));
        !r)
        return r;
    const qint64 now = nowMs();
    for (const QString &uid : uids) {
        query.addBindValue(now);
        query.addBindValue(account);
        query.addBindValue(uid);
        if (Result r = exec(query, QStringLiteral("cannot mark removed")); !r)
            return r;
    }
    return transaction.commit();
}

Result Store::markVanished(const QString &account, const QSet<QString> &onServer)
{
    if (Result r = ready(); !r)
        return r;
    SqlTransaction transaction(*m_db);
    if (Result r = transaction.begin(); !r)
        return r;
    QStringList vanished;
    {
        QSqlQuery select;
        if (Result r = prepare(select, QStringLiteral("SELECT uid FROM messages WHERE account = ? "
                                                      "AND removed_at IS NULL"));
            !r)
            return r;
        select.addBindValue(account);
        if (Result r = exec(select, QStringLiteral("cannot read known UIDs")); !r)
            return r;
        while (select.next()) {
            const QString uid = select.value(0).toString();
            if (!onServer.contains(uid))
                vanished.append(uid);
        }
    }
    QSqlQuery update;
    if (Result r = prepare(update, QStringLiteral("UPDATE messages SET removed_at = ? WHERE "
                                                  "account = ? AND uid = ?"));
        !r)
        return r;
    const qint64 now = nowMs();
    for (const QString &uid : std::as_const(vanished)) {
        update.addBindValue(now);
        update.addBindValue(account);
        update.addBindValue(uid);
        if (Result r = exec(update, QStringLiteral("cannot mark vanished")); !r)
            return r;
    }
    return transaction.commit();
}

Result Store::beginPass(const QString &account, qint64 &passId)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("INSERT INTO passes (account, started) "
                                                 "VALUES (?, ?)"));
        !r)
        return r;
    query.addBindValue(account);
    query.addBindValue(nowMs());
    if (Result r = exec(query, QStringLiteral("cannot record pass")); !r)
        return r;
    passId = query.lastInsertId().toLongLong();
    return Result::success();
}

Result Store::finishPass(qint64 passId, int collected, const Result &outcome)
{
    QSqlQuery query;
    if (Result r = prepare(query, QStringLiteral("UPDATE passes SET finished = ?, collected = ?, "
                                                 "error_code = ?, error_message = ? WHERE id = ?"));
        !r)
        return r;
    query.addBindValue(nowMs());
    query.addBindValue(collected);
    query.addBindValue(static_cast<int>(outcome.code()));
    query.addBindValue(outcome.ok() ? QVariant() : QVariant(outcome.message()));
    query.addBindValue(passId);
    if (Result r = exec(query, QStringLiteral("cannot finish pass")); !r)
        return r;
    if (query.numRowsAffected() != 1)
        return failure(QStringLiteral("cannot finish pass"),
                       QStringLiteral("no pass ") % QString::number(passId));
    return Result::success();
}

} // namespace pollux
