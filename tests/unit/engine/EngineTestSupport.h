#pragma once

// Shared by the engine stage tests: a data directory with a real Store and Spool in a
// QTemporaryDir, a manual clock and in-memory secrets, plus script and file helpers.

#include "engine/PollPass.h"
#include "integration/TestDoubles.h"
#include "store/Spool.h"
#include "store/Store.h"

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace pollux::test {

inline constexpr int Deadline = 15000; // ms: generous deadline for a signal that must come

// A temporary data directory: database, spool, clock, secrets. Members are destroyed in
// reverse order, so the store closes before the directory goes.
class DataDir
{
public:
    DataDir();
    Result open(); // creates the schema and the spool tree

    QString databasePath() const { return m_dir.filePath(QStringLiteral("pollux.db")); }
    QString spoolDir() const { return m_dir.filePath(QStringLiteral("spool")); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    Store &store() { return *m_store; }
    Spool &spool() { return *m_spool; }

    // Relative paths of every message file in the spool, quarantine excluded, sorted.
    QStringList messageFiles() const;
    // Relative paths of the files in quarantine/<folder>, sorted.
    QStringList quarantineFiles(const QString &folder) const;
    QByteArray readSpoolFile(const QString &relativePath) const;

    // Every message of the account, oldest first; empty (and a warning) on a store error.
    QList<MessageRecord> records(const QString &account);
    MessageRecord record(const QString &account, const QString &uid);
    QStringList knownUids(const QString &account); // sorted
    // Spool paths the store says must exist, sorted.
    QStringList liveSpoolPaths();

    // Writes a message into the spool, durably, and records it as collected.
    Result addMessage(const QString &account, const QString &uid, const QByteArray &content,
                      const QStringList &recipients);

    ManualClock clock;
    MemorySecretStore secrets;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Spool> m_spool;
    std::unique_ptr<Store> m_store;
};

// SMTP/POP3 transparency: a '.' at the start of a line is doubled.
QByteArray dotStuff(const QByteArray &content);

// POP3 script pieces for a mailbox holding `contents` as messages 1..n, UIDs "uid-<n>".
QList<QByteArray> pop3Uidl(const QList<QByteArray> &contents);
QList<QByteArray> pop3List(const QList<QByteArray> &contents);
// Greeting, CAPA (no PIPELINING: lockstep), USER alice, PASS `password`, CAPA.
QList<QByteArray> pop3Login(const QByteArray &password = "secret");
// Login, UIDL, LIST.
QList<QByteArray> pop3Opening(const QList<QByteArray> &contents);
// "C: RETR n" and its complete answer.
QList<QByteArray> pop3Retr(int number, const QByteArray &content);

// The account "office" on a POP3 server at 127.0.0.1:port, user alice, plaintext login
// allowed (the fakes have no TLS), 10 s timeout, everything for desk@example.org.
PollPass::Settings passSettings(quint16 port, Retention retention, int maxPerPass = 200);

// The outcome of one PollPass run to its end.
struct PassRun
{
    int finishedCount = 0; // how often finished() came (must be 1)
    Result result;
    int collected = -1;
    bool more = false;
    int batched = 0;       // messages reported durable by batchCommitted()
    int limitSignals = 0;  // spoolLimitReached() emissions
    int leftOnServer = -1; // its count, when it came
};
// Runs one pass on the data directory (or on `spool` instead of its own) until finished()
// or the deadline; the secret comes from data.secrets.
PassRun runPass(DataDir &data, const PollPass::Settings &settings, Spool *spool = nullptr);

// Lines of the fake POP3 server's record that start with `prefix`.
QList<QByteArray> linesStartingWith(const QList<QByteArray> &lines, const QByteArray &prefix);

} // namespace pollux::test

namespace pollux {
// Readable QCOMPARE failures (found by argument-dependent lookup).
char *toString(const ErrorCode &code);
char *toString(const DeliveryState &state);
} // namespace pollux

Q_DECLARE_METATYPE(pollux::ErrorCode)
Q_DECLARE_METATYPE(pollux::DeliveryState)
