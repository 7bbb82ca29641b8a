#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace pollux::test {

// One message as the SMTP server received it.
struct ReceivedMessage
{
    QString from;
    QStringList recipients;
    QByteArray data;         // exactly the bytes after un-dot-stuffing, CRLF kept
    QStringList mailOptions; // e.g. "SIZE=123", "BODY=8BITMIME"
    QString authUser;        // empty unless the client authenticated
    bool tls = false;
};

// A real SMTP server (python3-aiosmtpd, tests/fixtures/smtp_sink.py) on a free 127.0.0.1 port
// that stores every accepted message in a temporary directory. Stopped by the destructor.
class SmtpSink
{
public:
    struct Options
    {
        QStringList rejectRecipients; // answered with rejectCode at RCPT
        QString rejectCode = QStringLiteral("550 5.1.1 No such user");
        int tempFailFirst = 0;                          // first N attempts get tempFailCode
        QString tempFailStage = QStringLiteral("data"); // "mail", "rcpt" or "data"
        QString tempFailCode = QStringLiteral("451 4.3.0 Try again later");
        qint64 maxSize = 33554432; // advertised SIZE, enforced with 552
        QString authUser;          // AUTH PLAIN/LOGIN if set
        QString authPassword;
        bool authRequired = false;
        bool startTls = false;        // offer STARTTLS with the TestCa certificate
        bool requireStartTls = false; // refuse MAIL before STARTTLS
        bool implicitTls = false;     // TLS from the first byte (port 465 style)
    };

    SmtpSink();
    explicit SmtpSink(const Options &options);
    ~SmtpSink();
    SmtpSink(const SmtpSink &) = delete;
    SmtpSink &operator=(const SmtpSink &) = delete;

    bool start(QString *error);
    bool stop(); // true if the process is gone
    bool isRunning() const;
    quint16 port() const { return m_port; }
    qint64 pid() const;

    // Accepted messages, in the order the server accepted them.
    QList<ReceivedMessage> messages() const;
    // Waits (event loop running) until at least count messages arrived.
    bool waitForMessages(int count, int timeoutMs = 10000) const;
    void clear();
    QString directory() const;

private:
    Options m_options;
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace pollux::test
