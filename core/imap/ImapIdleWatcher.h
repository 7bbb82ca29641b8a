#pragma once

#include "net/MailboxClient.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace pollux::imap {

class ImapClient;

// Keeps a second IMAP connection in IDLE (RFC 2177) on the account's folder and says when
// new mail arrives, so a pass can start at once. Renews IDLE (DONE + IDLE) before servers
// drop it (RFC 2177: 29 minutes), which also finds a dead connection (the renewal must be
// answered within the inactivity timeout); reconnects with backoff after any error. Gives up for
// good (unsupported()) only when the server does not offer IDLE. Lives in one thread.
class ImapIdleWatcher : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int renewMs = 25 * 60 * 1000;
        int retryMinMs = 5 * 1000;
        int retryMaxMs = 5 * 60 * 1000;
    };

    explicit ImapIdleWatcher(const Settings &settings, QObject *parent = nullptr);
    ~ImapIdleWatcher() override;

    void start(const MailboxOptions &options);
    void stop();
    bool isIdling() const { return m_idling; }
    int renewIntervalMs() const;

signals:
    void newMail();     // also once each time IDLE starts on a new connection
    void idling();      // IDLE runs (again), for logs and tests
    void unsupported(); // the server has no IDLE: the watcher stopped
    void connectionFailed(const pollux::Result &error); // a retry follows

private:
    void connectNow();
    void onOpened();
    void onFailed(const Result &error);
    void dropClient();

    Settings m_settings;
    MailboxOptions m_options;
    QPointer<ImapClient> m_client;
    QTimer m_renew;
    QTimer m_retry;
    int m_backoffMs = 0;
    bool m_stopped = true;
    bool m_idling = false;
    bool m_fresh = false; // connected, IDLE not yet confirmed
};

} // namespace pollux::imap
