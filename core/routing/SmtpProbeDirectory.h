#pragma once

#include "routing/Directory.h"
#include "smtp/SmtpParser.h"

#include <QList>
#include <QSslCertificate>
#include <QString>

namespace pollux::routing {

// Asks the office SMTP server whether a recipient exists, through smtp::SmtpClient (the one
// SMTP implementation: EHLO, STARTTLS, AUTH, certificate checks, address encoding):
// per address one probe - MAIL FROM:<>, RCPT TO:<addr>, RSET - never DATA, so nothing is
// delivered. One connection per lookupAll(), closed with QUIT. (One recipient per
// transaction on purpose: a server's verdict on one RCPT must not depend on the others,
// e.g. anti-backscatter rules for null-sender mail with several recipients.)
//
// Answers: RCPT 2xx -> Known. 5xx with an enhanced status 5.1.x (5.1.1 bad mailbox, 5.1.0,
// 5.1.6 moved, ...) or a bare 550/551/553 without enhanced status -> Unknown. Any other
// reply (4xx, other 5xx such as 5.7.1 "relay denied" which means a configuration problem,
// not an unknown user), a refused MAIL FROM:<>, a connection failure, TLS trouble or a
// timeout -> Unavailable (the message waits). An address that can never go on the wire
// (control characters, not local-part@domain, too long; non-ASCII when the server does
// not offer SMTPUTF8) is Unknown without asking.
//
// Synchronous, as RecipientDirectory is: the client runs in a short-lived thread of its
// own while the caller blocks - so the caller's thread (the delivery worker's, with its
// own SMTP session and timers) is never re-entered by a nested event loop. timeoutSecs
// bounds the whole lookupAll() (connect, TLS, AUTH, every probe, QUIT); addresses not
// answered by then are Unavailable (ErrorCode::Timeout); `cancel` is checked every 100 ms
// and ends the conversation the same way (ErrorCode::Cancelled). Never the GUI thread.
// Certificates are verified (system CAs + extraCaCertificates, host name); STARTTLS is
// required when set. AUTH only over TLS or to a loopback host. Nothing is logged; the
// password is never part of a detail.
class SmtpProbeDirectory : public RecipientDirectory
{
public:
    struct Options
    {
        QString host;
        quint16 port = 25;
        bool startTls = false;
        QString heloName; // empty: the local host name
        QString username; // empty: no AUTH
        QString password;
        QList<QSslCertificate> extraCaCertificates;
        int timeoutSecs = 30; // for one whole lookupAll()
        CancelFlag cancel;    // optional: set -> the conversation ends (Unavailable, Cancelled)
    };

    explicit SmtpProbeDirectory(const Options &options);
    ~SmtpProbeDirectory() override;

    DirectoryAnswer lookup(const QString &address) override;
    QList<DirectoryAnswer> lookupAll(const QStringList &addresses) override;

    // The fate of one RCPT reply (pure; exposed for tests). A synthetic reply (the client
    // refused the address itself) is Unknown.
    static DirectoryAnswer classifyRcpt(const smtp::Reply &reply);

private:
    Options m_options;
};

} // namespace pollux::routing
