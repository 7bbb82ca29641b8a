#include "StoreSchema.h"

namespace pollux {

const QVector<QStringList> &schemaMigrations()
{
    static const QVector<QStringList> steps = {
        // 1: messages and passes.
        {
            QStringLiteral("CREATE TABLE messages ("
                           " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " account TEXT NOT NULL,"
                           " uid TEXT NOT NULL,"
                           " size INTEGER NOT NULL DEFAULT 0,"
                           " first_seen INTEGER NOT NULL,"
                           " spool_path TEXT,"
                           " recipients TEXT NOT NULL DEFAULT '',"
                           " state INTEGER NOT NULL DEFAULT 0,"
                           " attempts INTEGER NOT NULL DEFAULT 0,"
                           " next_attempt INTEGER,"
                           " last_reply TEXT,"
                           " delivered_at INTEGER,"
                           " removed_at INTEGER,"
                           " UNIQUE (account, uid))"),
            // The UNIQUE constraint above is the (account, uid) index; this one serves the
            // delivery queue.
            QStringLiteral("CREATE INDEX messages_queue ON messages (state, next_attempt)"),
            QStringLiteral("CREATE TABLE passes ("
                           " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " account TEXT NOT NULL,"
                           " started INTEGER NOT NULL,"
                           " finished INTEGER,"
                           " collected INTEGER NOT NULL DEFAULT 0,"
                           " error_code INTEGER NOT NULL DEFAULT 0,"
                           " error_message TEXT)"),
            QStringLiteral("CREATE INDEX passes_account ON passes (account, started)"),
        },
        // 2: identity beyond the UID (IMAP UIDVALIDITY changes) and duplicate suppression.
        {
            QStringLiteral("ALTER TABLE messages ADD COLUMN fingerprint TEXT"),
            QStringLiteral("CREATE INDEX messages_fingerprint ON messages (account, fingerprint)"),
            QStringLiteral("CREATE TABLE delivered_ids ("
                           " message_id TEXT NOT NULL,"
                           " recipient TEXT NOT NULL,"
                           " delivered_at INTEGER NOT NULL,"
                           " PRIMARY KEY (message_id, recipient))"),
        },
        // 3: IMAP mailbox state of the last complete listing (passes that change nothing).
        {
            QStringLiteral("CREATE TABLE mailbox_state ("
                           " account TEXT PRIMARY KEY,"
                           " state TEXT NOT NULL)"),
        },
        // 4: what a message is (collected, or a copy/notice Pollux made), typed instead of
        // read from its UID; the content digest of the route; duplicate suppression keyed by
        // Message-ID *and* content, so a forged mail with a borrowed Message-ID suppresses
        // nothing. The old Message-ID-only records cannot be compared and are dropped.
        {
            QStringLiteral("ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0"),
            QStringLiteral("UPDATE messages SET kind = 1 WHERE uid LIKE '%#postmaster'"),
            QStringLiteral("UPDATE messages SET kind = 2 WHERE uid LIKE '%#rejected-%'"),
            QStringLiteral("UPDATE messages SET kind = 3 WHERE uid LIKE '%#quarantine'"),
            QStringLiteral("ALTER TABLE messages ADD COLUMN content_digest TEXT"),
            QStringLiteral("DROP TABLE delivered_ids"),
            QStringLiteral("CREATE TABLE delivered_copies ("
                           " message_id TEXT NOT NULL,"
                           " digest TEXT NOT NULL,"
                           " recipient TEXT NOT NULL,"
                           " delivered_at INTEGER NOT NULL,"
                           " message INTEGER NOT NULL,"
                           " PRIMARY KEY (message_id, digest, recipient))"),
        },
        // 5: messages the server would not return, or returned not provably complete: how
        // often, and not to be asked for again before not_before (backoff, see
        // Store::recordRefusal). A row goes when the message is collected or no longer listed.
        {
            QStringLiteral("CREATE TABLE retrieval_refusals ("
                           " account TEXT NOT NULL,"
                           " uid TEXT NOT NULL,"
                           " refusals INTEGER NOT NULL,"
                           " not_before INTEGER NOT NULL,"
                           " last_refused INTEGER NOT NULL,"
                           " reason TEXT NOT NULL DEFAULT '',"
                           " PRIMARY KEY (account, uid))"),
        },
        // 6: keep-days counts time as it passed, not what the wall clock says (see
        // Store::advanceElapsed): the counted time now ("elapsed", one row) and the counted
        // time at which each message was first seen. The store fills both on first use with
        // the injected clock: a migrated message is counted from min(first_seen, now).
        {
            QStringLiteral("ALTER TABLE messages ADD COLUMN first_seen_elapsed INTEGER"),
            QStringLiteral("CREATE TABLE elapsed_clock ("
                           " id INTEGER PRIMARY KEY CHECK (id = 1),"
                           " elapsed INTEGER NOT NULL,"
                           " wall INTEGER NOT NULL,"
                           " monotonic INTEGER NOT NULL,"
                           " origin TEXT NOT NULL)"),
        },
        // 7: OAuth2 accounts: whether the provider refused the stored sign-in (and its words),
        // and when the stored refresh token expires where the provider stated it. Never a
        // token: those live in the keychain only.
        {
            QStringLiteral("CREATE TABLE sign_in_state ("
                           " account TEXT PRIMARY KEY,"
                           " needed INTEGER NOT NULL DEFAULT 0,"
                           " detail TEXT NOT NULL DEFAULT '',"
                           " refresh_expires_at INTEGER)"),
        },
        // 8: alerts by e-mail.
        alertsMigration(),
        // 9: From and Subject for the activity window, refused_at for its chart.
        historyMigration(),
    };
    return steps;
}

// Alerts by e-mail: per condition and account, whether it holds, since when, when the last
// alert mail went, and how many went in this episode (no repeat after a restart).
QStringList alertsMigration()
{
    return {
        QStringLiteral("CREATE TABLE alert_state ("
                       " condition TEXT NOT NULL,"
                       " account TEXT NOT NULL,"
                       " active INTEGER NOT NULL DEFAULT 0,"
                       " since INTEGER,"
                       " last_alert INTEGER,"
                       " sent INTEGER NOT NULL DEFAULT 0,"
                       " detail TEXT NOT NULL DEFAULT '',"
                       " PRIMARY KEY (condition, account))"),
    };
}

// What the activity window shows and charts: From and Subject of a collected message as
// decoded for display when it was collected (bounded, never the body; empty for messages
// collected before, and when the header could not be read), when a message was refused
// (quarantined), and indexes for the per-day counts of the last days (first_seen,
// delivered_at, refused_at, each with kind and account: a range of days is counted from its
// index entries alone: 40,000 messages in 30 days in a few tens of ms). A message refused
// before this step has no recorded time of refusal: it counts as refused when it was
// collected (delivery follows collection within seconds, unless the office server
// deferred it).
QStringList historyMigration()
{
    return {
        QStringLiteral("ALTER TABLE messages ADD COLUMN header_from TEXT"),
        QStringLiteral("ALTER TABLE messages ADD COLUMN header_subject TEXT"),
        QStringLiteral("ALTER TABLE messages ADD COLUMN refused_at INTEGER"),
        QStringLiteral("UPDATE messages SET refused_at = first_seen WHERE state = 3"),
        QStringLiteral("CREATE INDEX messages_first_seen ON messages (first_seen, kind, account)"),
        QStringLiteral(
            "CREATE INDEX messages_delivered_at ON messages (delivered_at, kind, account)"),
        QStringLiteral("CREATE INDEX messages_refused_at ON messages (refused_at, kind, account)"),
    };
}

} // namespace pollux
