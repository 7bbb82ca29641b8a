#pragma once

#include "util/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace pollux {
class Clock;
}

namespace pollux::routing {

enum class DirectoryStatus
{
    Known,       // the recipient exists
    Unknown,     // the directory says it does not: re-route to the postmaster
    Unavailable, // no answer (server down, timeout, bind refused): the message must WAIT
};

struct DirectoryAnswer
{
    DirectoryStatus status = DirectoryStatus::Unavailable;
    // What the directory said, for logs and the dry run: the SMTP reply, the LDAP result,
    // or the reason it could not be asked. Never a password.
    QString detail;
    // For Unavailable: why (Network, Timeout, Tls, AuthFailed, ServerError, ...).
    ErrorCode error = ErrorCode::None;
};

// Set from any thread to end the lookups in progress: they answer Unavailable with
// ErrorCode::Cancelled within a fraction of a second, and so does every later one. The
// delivery worker sets it when it is asked to stop (DeliveryWorker::interrupt()).
using CancelFlag = std::shared_ptr<std::atomic_bool>;

// Where catch-all-reroute learns whether a local recipient exists. Implementations are
// synchronous and bounded by their timeouts: they are called from the delivery worker's
// thread, never the GUI thread. One instance belongs to one thread.
// lookupAll() is the unit of work: the lookups of one message share one time budget and
// one connection; when the directory fails or the budget is spent, the addresses not
// answered yet are Unavailable at once (never one timeout per address).
class RecipientDirectory
{
public:
    virtual ~RecipientDirectory() = default;
    // `address`: normalised (routing/Address.h).
    virtual DirectoryAnswer lookup(const QString &address) = 0;
    // Several at once (one connection where the implementation can); answers in order.
    virtual QList<DirectoryAnswer> lookupAll(const QStringList &addresses);
};

// Remembers Known and Unknown answers of another directory for ttlSecs (Unavailable ones
// are never cached). Keys are addressKey()s.
class CachedDirectory : public RecipientDirectory
{
public:
    CachedDirectory(std::unique_ptr<RecipientDirectory> inner, int ttlSecs, Clock *clock);
    DirectoryAnswer lookup(const QString &address) override;
    QList<DirectoryAnswer> lookupAll(const QStringList &addresses) override;
    void clear() { m_cache.clear(); }
    int cachedCount() const { return int(m_cache.size()); }

private:
    struct Entry
    {
        DirectoryAnswer answer;
        QDateTime expires;
    };
    bool cached(const QString &key, DirectoryAnswer &out);

    std::unique_ptr<RecipientDirectory> m_inner;
    int m_ttlSecs;
    Clock *m_clock;
    QHash<QString, Entry> m_cache;
};

// Stops asking a directory that does not answer. After a lookupAll() of the inner
// directory with an Unavailable answer (a cancelled one excepted) the breaker OPENS: for
// openSecs every lookup answers Unavailable at once, without touching the network. Then it
// is half-open: the next lookupAll() goes through as the one probe. Answered -> CLOSED
// again; unavailable -> open for twice as long as before, at most maxOpenSecs. Opening and
// closing are logged (pollux.directory). A clock that went back counts as time up.
class CircuitBreakerDirectory : public RecipientDirectory
{
public:
    CircuitBreakerDirectory(std::unique_ptr<RecipientDirectory> inner, int openSecs, Clock *clock,
                            int maxOpenSecs = 3600);
    DirectoryAnswer lookup(const QString &address) override;
    QList<DirectoryAnswer> lookupAll(const QStringList &addresses) override;
    // Open now: lookups are answered without asking the inner directory.
    bool isOpen() const;
    int failures() const { return m_failures; } // consecutive unavailable lookupAll()s

private:
    std::unique_ptr<RecipientDirectory> m_inner;
    int m_openSecs;
    int m_maxOpenSecs;
    Clock *m_clock;
    int m_failures = 0;
    QDateTime m_openedAt;
    QDateTime m_until;
    DirectoryAnswer m_last; // the unavailable answer that opened it
};

// A fixed answer for every address (tests; DirectoryType::None behaves as "all known").
class FixedDirectory : public RecipientDirectory
{
public:
    explicit FixedDirectory(QHash<QString, DirectoryStatus> answers,
                            DirectoryStatus otherwise = DirectoryStatus::Unknown);
    DirectoryAnswer lookup(const QString &address) override;
    int lookups() const { return m_lookups; }

private:
    QHash<QString, DirectoryStatus> m_answers; // by addressKey
    DirectoryStatus m_otherwise;
    int m_lookups = 0;
};

} // namespace pollux::routing
