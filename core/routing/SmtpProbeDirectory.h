#pragma once

#include "routing/Directory.h"
#include "smtp/SmtpParser.h"

#include <QList>
#include <QSslCertificate>
#include <QString>

#include <memory>

class QSslSocket;

namespace pollux::routing {

// Asks the office SMTP server whether a recipient exists: EHLO, (STARTTLS), (AUTH), then
// per address MAIL FROM:<> + RCPT TO:<addr> + RSET - never DATA, so nothing is delivered.
// One connection per lookupAll(), closed with QUIT.
//
// Answers: RCPT 2xx -> Known. 5xx with an enhanced status 5.1.x (5.1.1 bad mailbox, 5.1.0,
// 5.1.6 moved, ...) or a bare 550/551/553 without enhanced status -> Unknown. Any other
// reply (4xx, other 5xx such as 5.7.1 "relay denied" which means a configuration problem,
// not an unknown user), a refused MAIL FROM:<>, a connection failure, TLS trouble or a
// timeout -> Unavailable (the message waits). An address that cannot go on the wire is
// Unknown without asking.
//
// Blocking socket calls (bounded by timeoutSecs each) in the calling thread; for the
// delivery worker's thread, never the GUI thread. Certificates are verified (system CAs +
// extraCaCertificates, host name); STARTTLS is required when set. AUTH PLAIN only over TLS
// or to a loopback host. Nothing is logged; the password is never part of a detail.
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
        int timeoutSecs = 30;
    };

    explicit SmtpProbeDirectory(const Options &options);
    ~SmtpProbeDirectory() override;

    DirectoryAnswer lookup(const QString &address) override;
    QList<DirectoryAnswer> lookupAll(const QStringList &addresses) override;

    // The fate of one RCPT reply (pure; exposed for tests).
    static DirectoryAnswer classifyRcpt(const smtp::Reply &reply);

private:
    DirectoryAnswer open();
    bool command(const QByteArray &line, smtp::Reply &reply, DirectoryAnswer &failure);
    bool readReply(smtp::Reply &reply, DirectoryAnswer &failure);
    void close();

    Options m_options;
    std::unique_ptr<QSslSocket> m_socket;
    smtp::ReplyReader m_reader;
};

} // namespace pollux::routing
