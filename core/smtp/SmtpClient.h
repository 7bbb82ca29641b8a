#pragma once

#include "net/Connection.h"
#include "smtp/SmtpParser.h"
#include "util/Result.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QIODevice;

namespace pollux::smtp {

struct Options
{
    net::Endpoint endpoint; // TlsMode::StartTls: STARTTLS required, never skipped
    QString heloName;       // empty: the local host name
    QString username;       // empty: no AUTH
    QString password;
    QString label;          // for the transcript
};

struct Envelope
{
    QString sender;         // MAIL FROM; may be empty (null sender)
    QStringList recipients; // RCPT TO, one each
};

// What the server said about one message.
struct SendResult
{
    QList<Reply> recipientReplies; // one per envelope recipient, in order
    Reply mailReply;               // reply to MAIL FROM
    Reply finalReply;              // reply to the end of DATA (code 0 if DATA not reached)
    bool sizeRefused = false;      // refused as too large (SIZE or 552)
    // Accepted recipients, i.e. those whose RCPT got 2xx, when finalReply is 2xx.
    QStringList acceptedRecipients(const Envelope &envelope) const;
};

// An ESMTP client for delivering to the office server: EHLO (HELO fallback), STARTTLS,
// AUTH PLAIN/LOGIN, SIZE, 8BITMIME, PIPELINING, one connection reused for many
// messages (RSET between them after a failure). The body is read from a QIODevice in
// chunks, its line endings normalised to CRLF and dot-stuffed on the way out, so no bare
// CR or LF ever reaches the server and memory stays bounded.
class SmtpClient : public QObject
{
    Q_OBJECT
public:
    explicit SmtpClient(QObject *parent = nullptr);
    ~SmtpClient() override;

    void open(const Options &options);    // connect, EHLO, STARTTLS, AUTH -> opened()
    bool isOpen() const;
    // One message -> sent(result). `body` must stay valid until sent() or failed().
    // A message refused by MAIL/RCPT/DATA replies is a normal sent() with those replies;
    // failed() is only for a broken connection or protocol error.
    void send(const Envelope &envelope, QIODevice *body, qint64 size);
    void close();                          // QUIT -> closed()
    void abort();

    bool pipelining() const; // the server advertised PIPELINING
    qint64 maxSize() const;  // the server's SIZE limit, 0 if none

signals:
    void opened();
    void sent(const pollux::smtp::SendResult &result);
    void closed();
    void failed(const pollux::Result &error);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pollux::smtp

Q_DECLARE_METATYPE(pollux::smtp::SendResult)
