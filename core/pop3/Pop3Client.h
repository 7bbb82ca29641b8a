#pragma once

#include "net/MailboxClient.h"

#include <memory>

namespace pollux::pop3 {

// POP3 (RFC 1939) with CAPA and PIPELINING (RFC 2449): greeting, CAPA, [STLS (RFC 2595),
// CAPA], login (SASL AUTH (RFC 5034), APOP or USER/PASS, see chooseLogin()), CAPA again
// after login, UIDL + LIST, RETR, DELE, QUIT. Pipelined with a bounded window of commands
// in flight when the server advertises PIPELINING, lockstep otherwise. A -ERR to one RETR
// or DELE (a status line alone, so the stream stays in step) is reported for that message
// (messageRefused(), removalRefused()) and the session goes on with the others.
// Implicit TLS (POP3-SSL) comes from the endpoint; with TlsMode::StartTls the session
// upgrades with STLS or fails (ErrorCode::Tls) before any credential is sent.
class Pop3Client : public MailboxClient
{
    Q_OBJECT
public:
    explicit Pop3Client(QObject *parent = nullptr);
    ~Pop3Client() override;

    void open(const MailboxOptions &options) override;
    void list() override;
    void retrieve(const QList<RemoteMessage> &messages, MessageSink *sink) override;
    // The header blocks by "TOP n 0" (pipelined like RETR); nothing is marked or removed.
    // canFetchIdentities() stays false: POP3 has no UIDVALIDITY, so a pass never needs
    // this; it serves the routing dry run. A -ERR (TOP is optional in RFC 1939) fails.
    void fetchIdentities(const QList<RemoteMessage> &messages) override;
    void remove(const QList<RemoteMessage> &messages) override;
    void close() override;
    void abort() override;
    bool pipelined() const override;
    QString peerFingerprint() const override;

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pollux::pop3
