#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QStringList>
#include <QTcpServer>

// A scripted SMTP (or any line-based) server for unit tests, on 127.0.0.1 and a free port.
// It accepts one connection and plays a script of steps, one per string:
//   "S: 250 ok"    send the line (CRLF appended)
//   "C: MAIL FROM:<a@b>"  wait for this client line; a trailing '*' matches a prefix
//   "C: <DATA>"    read a message up to the "." line; its wire bytes (dot-stuffing kept,
//                  without the terminator) go to bodies()
//   "C: <BDAT>"    read BDAT chunks (RFC 3030) up to the LAST one, each command line in
//                  receivedLines(), its octets appended to the body; chunks before the LAST
//                  are answered "250 2.0.0 chunk ok" at once, the LAST is answered by the
//                  next step; the body, exactly as sent, goes to bodies()
//   "S: <HOLD>"    send nothing until release() is called (a reply withheld)
//   "S: <CLOSE>"   close the connection
//   "S: <PAUSE 500>" wait 500 ms before the next step (slow servers)
//   "S: <STARTTLS>" start TLS as the server (setTlsIdentity() first); the script goes on
//                  once the handshake is done
// Steps run in order. An "S:" step while client lines are still unread means the client
// did not wait for a reply: recorded as an error (lockstep checks). A client line that does
// not match the script is an error too; the server then stops following the script.
// Hands out QSslSocket connections so that a script can switch to TLS.
class SslTcpServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr descriptor) override;
};

class FakeSmtpServer : public QObject
{
    Q_OBJECT
public:
    explicit FakeSmtpServer(QObject *parent = nullptr);

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    void setScript(const QStringList &script);
    // Lockstep violations are not errors when the client is expected to pipeline.
    void setStrictLockstep(bool strict) { m_strict = strict; }
    void setTlsIdentity(const QSslCertificate &certificate, const QSslKey &key);

    bool scriptDone() const { return m_step >= m_script.size(); }
    QStringList errors() const { return m_errors; }
    QList<QByteArray> receivedLines() const { return m_lines; } // command lines, no CRLF
    QList<QByteArray> bodies() const { return m_bodies; }
    QByteArray received() const { return m_received; } // everything, raw
    qint64 bodyBytesReceived() const { return m_bodyBytes; }
    bool clientDisconnected() const { return m_disconnected; }
    bool holding() const { return m_holding; } // at a "<HOLD>" step
    void release();                            // go on after "<HOLD>"

signals:
    void finished(); // the script has run to its end

private:
    void onNewConnection();
    void onReadyRead();
    void run();
    bool takeLine(QByteArray &line);
    bool readBody();
    bool readBdat();

    SslTcpServer m_server;
    QPointer<QSslSocket> m_socket;
    QSslCertificate m_certificate;
    QSslKey m_key;
    bool m_handshaking = false;
    bool m_pausing = false;
    bool m_holding = false;
    qint64 m_chunkLeft = -1; // octets of the BDAT chunk still to come; -1: none open
    bool m_chunkLast = false;
    QStringList m_script;
    int m_step = 0;
    bool m_strict = true;
    bool m_broken = false;
    QByteArray m_buffer;
    qsizetype m_pos = 0; // start of the unread part of m_buffer
    QByteArray m_body;
    qint64 m_bodyBytes = 0;
    bool m_disconnected = false;
    QStringList m_errors;
    QList<QByteArray> m_lines;
    QList<QByteArray> m_bodies;
    QByteArray m_received;
};
