#include "ImapIdleWatcher.h"

#include "ImapClient.h"
#include "ImapClient_p.h"

namespace pollux::imap {

ImapIdleWatcher::ImapIdleWatcher(const Settings &settings, QObject *parent)
    : QObject(parent), m_settings(settings), m_renew(this), m_retry(this)
{
    m_renew.setSingleShot(true);
    m_retry.setSingleShot(true);
    connect(&m_renew, &QTimer::timeout, this, [this] {
        if (m_client && m_idling)
            m_client->stopIdle(); // -> idleStopped -> IDLE again
    });
    connect(&m_retry, &QTimer::timeout, this, &ImapIdleWatcher::connectNow);
}

ImapIdleWatcher::~ImapIdleWatcher()
{
    stop();
}

int ImapIdleWatcher::renewIntervalMs() const
{
    return qMax(100, m_settings.renewMs);
}

void ImapIdleWatcher::start(const MailboxOptions &options)
{
    m_options = options;
    m_stopped = false;
    m_backoffMs = m_settings.retryMinMs;
    connectNow();
}

void ImapIdleWatcher::stop()
{
    m_stopped = true;
    m_renew.stop();
    m_retry.stop();
    dropClient();
}

void ImapIdleWatcher::dropClient()
{
    m_idling = false;
    if (m_client) {
        m_client->disconnect(this);
        m_client->abort();
        m_client->deleteLater();
        m_client = nullptr;
    }
}

void ImapIdleWatcher::connectNow()
{
    if (m_stopped)
        return;
    dropClient();
    m_client = new ImapClient(this);
    connect(m_client, &ImapClient::opened, this, &ImapIdleWatcher::onOpened);
    connect(m_client, &ImapClient::failed, this, &ImapIdleWatcher::onFailed);
    connect(m_client, &ImapClient::idling, this, [this] {
        m_idling = true;
        m_backoffMs = m_settings.retryMinMs;
        m_renew.start(renewIntervalMs());
        const bool fresh = m_fresh;
        m_fresh = false;
        emit idling();
        // Mail that came before IDLE began (or while disconnected) raised no notification.
        if (fresh)
            emit newMail();
    });
    connect(m_client, &ImapClient::idleStopped, this, [this] {
        m_idling = false;
        if (m_client)
            m_client->idle();
    });
    connect(m_client, &ImapClient::mailboxGrew, this, [this] { emit newMail(); });
    m_client->open(m_options);
}

void ImapIdleWatcher::onOpened()
{
    if (!m_client->hasCapability("IDLE")) {
        qCInfo(lcImap).noquote() << m_options.label
                                 << QStringLiteral("the server does not offer IDLE; polling only");
        stop();
        emit unsupported();
        return;
    }
    m_fresh = true;
    m_client->idle();
}

void ImapIdleWatcher::onFailed(const Result &error)
{
    m_idling = false;
    m_renew.stop();
    qCWarning(lcImap).noquote() << QStringLiteral("%1: IDLE connection: %2; retrying in %3 s")
                                       .arg(m_options.label, error.message())
                                       .arg(m_backoffMs / 1000.0);
    if (m_client) {
        m_client->disconnect(this);
        m_client->deleteLater();
        m_client = nullptr;
    }
    emit connectionFailed(error);
    if (m_stopped)
        return;
    m_retry.start(m_backoffMs);
    m_backoffMs = qMin(m_backoffMs * 2, m_settings.retryMaxMs);
}

} // namespace pollux::imap
