#pragma once

#include "config/Config.h"
#include "net/MailboxClient.h"
#include "store/Store.h"
#include "util/Result.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QSslCertificate>

#include <memory>

namespace pollux {

class OAuthAccess;
class SecretStore;
class Spool;
class SpoolSink;

// One pass of one account: connect and authenticate -> list what is new (by UID) ->
// retrieve, pipelined, streaming into the spool -> make each batch durable -> apply the
// retention policy on the server -> leave. Runs in the account's worker thread.
class PollPass : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        AccountConfig account;
        int maxPerPass = 200;
        QList<QSslCertificate> extraCaCertificates;
        int pipelineWindow = 32;
        // Most bytes the spool may hold waiting for delivery (Config::spoolLimitMiB); a pass
        // collects no message that would take it past the limit. 0: no limit.
        qint64 spoolLimitBytes = 0;
        // How far apart passes are (Config::pollIntervalSecs): the unit of the backoff for a
        // message the server refuses (Store::refusalDelayMs).
        int pollIntervalSecs = 300;
    };

    PollPass(const Settings &settings, Spool &spool, Store &store, SecretStore *secrets,
             QObject *parent = nullptr);
    ~PollPass() override;

    // OAuth2 accounts: the access token comes from `access` (the poller's, which outlives the
    // pass) instead of the keychain entry "account/<name>".
    void setOAuthAccess(OAuthAccess *access) { m_oauth = access; }
    void start(); // -> finished()
    // OAuth2: an access token came this pass (the stored sign-in works).
    bool gotAccessToken() const { return m_gotToken; }
    void cancel(); // drops the connection; finished(Cancelled)

    // The client for a server type; null (with error) for a type not supported yet.
    static MailboxClient *createClient(ServerType type, Result &error);
    static MailboxOptions mailboxOptions(const Settings &settings, const QString &password);

signals:
    void progress(int done, int total);
    void batchCommitted(int messages); // durable in the spool: delivery may start
    // The spool limit left `leftOnServer` new messages on the server (before finished()).
    void spoolLimitReached(int leftOnServer, qint64 waitingBytes, qint64 limitBytes);
    // more: messages beyond the per-pass maximum are waiting on the server.
    void finished(const pollux::Result &result, int collected, bool more);

private:
    enum class State
    {
        Idle,
        ReadingSecret,
        Opening,
        Listing,
        Identifying,
        Retrieving,
        Removing,
        Closing,
        Done
    };
    void onSecret(const Result &result, const QString &password);
    Result makeClient();
    void requestToken();
    void onToken(const Result &result, const QString &token, bool cached);
    bool retryLogin(const Result &error); // true: a new login is under way
    void onOpened();
    // IMAP: the same UIDVALIDITY, UIDNEXT and EXISTS as after the last complete pass, and
    // nothing due for removal: nothing to list, collect or remove.
    bool unchangedSinceLastPass();
    void rememberMailboxState(bool ok);
    void onListed(const QList<RemoteMessage> &messages);
    void onIdentities(const QList<RemoteIdentity> &identities);
    void proceed(const QList<RemoteMessage> &messages); // after the listing: what is new
    // `newCount`: every new message listed (fresh may be cut to the per-pass maximum).
    // Drops from `fresh` what would take the spool past its limit; false on a store error.
    bool applySpoolLimit(QList<RemoteMessage> &fresh, qsizetype newCount);
    void onRefused(const RemoteMessage &message, const Result &reason);
    void onRemovalRefused(const RemoteMessage &message, const Result &reason);
    void onRetrieved();
    void applyRetention();
    bool keepChangedMessages(); // drops from m_removing what is not the collected message
    void onClosed(bool removalsCommitted);
    void onFailed(const Result &error);
    void finish(const Result &result); // refused messages, if any, make it an error
    Result withRefusals(const Result &result) const;

    Settings m_settings;
    Spool &m_spool;
    Store &m_store;
    SecretStore *m_secrets;
    State m_state = State::Idle;
    MailboxClient *m_client = nullptr;
    std::unique_ptr<SpoolSink> m_sink;
    qint64 m_passId = 0;
    int m_total = 0;
    int m_done = 0;
    bool m_more = false;
    QHash<QString, RemoteMessage> m_onServer;
    QList<RemoteMessage> m_listed;
    QHash<QString, QString> m_stale;   // fingerprint -> known UID no longer listed (IMAP)
    QStringList m_refused;             // UIDs refused as not provably complete, this pass
    QStringList m_unreturned;          // UIDs the server would not return, this pass
    QList<RetrievalRefusal> m_waiting; // refused before, not asked for this pass (backoff)
    QStringList m_removing;
    QStringList m_removalRefused; // of m_removing: the server would not remove them
    QString m_mailboxState;       // IMAP, see Store::mailboxState(); empty: not known
    bool m_skipped = false;       // unchanged since the last pass: nothing listed
    OAuthAccess *m_oauth = nullptr;
    bool m_gotToken = false;
    bool m_tokenCached = false;  // the access token of this login came from the cache
    bool m_loginRetried = false; // with a new token after a refusal (once a pass)
};

} // namespace pollux
