#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace pollux::test {

// A scripted POP3 or IMAP server on 127.0.0.1, port 0, for one connection (the fakes of
// the client tests: FakePop3Server, FakeImapServer). Script steps:
//   "S: text"  send text + CRLF (an answer to a command counts as one, see Dialect)
//   "R: bytes" send the bytes as they are (message data; counts as no answer)
//   "C: text"  wait for the client to send this line (CRLF removed); a mismatch is
//              recorded in error() and the connection is dropped
//   "C: text*" the same, matching any line that starts with "text"
//   "T:"       start TLS (server side) with the certificate of setTlsCertificate(); the
//              script goes on once the handshake is done (or stops if it fails)
//   "X:"       drop the connection (after what was sent is flushed)
// When the script ends the server keeps the connection open and only records.
// It records every line the client sent and how many commands the client had
// outstanding (sent but not answered) when each arrived.
class ScriptedServer : public QObject
{
    Q_OBJECT
public:
    enum class Dialect
    {
        Pop3, // a "+OK"/"-ERR" line answers a command; the greeting is one of them
        Imap, // a tagged line answers a command; untagged data and continuations do not
    };
    explicit ScriptedServer(Dialect dialect, QObject *parent = nullptr);

    quint16 port() const { return m_server.serverPort(); }
    void setScript(const QList<QByteArray> &script) { m_script = script; }
    // Sends every byte in its own write, one per event loop turn.
    void setOneBytePerWrite(bool on) { m_oneByte = on; }
    // PEM files for "T:"; false when they cannot be loaded.
    bool setTlsCertificate(const QString &certPath, const QString &keyPath);
    bool encrypted() const { return m_encrypted; }

    QList<QByteArray> received() const { return m_received; }
    int maxOutstanding() const { return m_maxOutstanding; }
    int connections() const { return m_connections; }
    bool scriptFinished() const { return m_step >= m_script.size(); }
    bool clientGone() const { return m_clientGone; }
    // Waits (events processed) until the client has hung up; false after `ms`.
    bool waitForClientGone(int ms = 5000);
    QString error() const { return m_error; }

signals:
    void clientDisconnected();

private:
    bool isAnswer(const QByteArray &line) const;
    void onNewConnection();
    void onReadyRead();
    void run();
    void sendBytes(const QByteArray &bytes);
    void drainOneByte();
    void startTls();

    class Listener;
    Listener *m_listener;
    QTcpServer &m_server;
    QPointer<QTcpSocket> m_socket;
    QList<QByteArray> m_script;
    qsizetype m_step = 0;
    QByteArray m_inBuffer;
    QList<QByteArray> m_pendingLines; // received, not yet matched by a "C:" step
    QList<QByteArray> m_received;
    QByteArray m_outQueue; // one-byte mode
    bool m_oneByte = false;
    bool m_draining = false;
    int m_connections = 0;
    int m_commands = 0;
    Dialect m_dialect;
    int m_answers = 0; // POP3: the greeting included
    int m_maxOutstanding = 0;
    bool m_clientGone = false;
    bool m_handshaking = false;
    bool m_encrypted = false;
    QByteArray m_certPem;
    QByteArray m_keyPem;
    QString m_error;
};

} // namespace pollux::test
