#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QTimer>

class QAbstractSocket;

class QSslSocket;

namespace pollux::net {

enum class TlsMode
{
    None,     // plain text
    Implicit, // TLS from the first byte (POP3-SSL 995, IMAP-SSL 993, SMTPS 465)
    StartTls, // plain, upgraded by the protocol's STARTTLS/STLS; required once chosen
};

struct Endpoint
{
    QString host;
    quint16 port = 0;
    TlsMode tls = TlsMode::None;
    int timeoutMs = 180000;                     // inactivity timeout for every wait
    QList<QSslCertificate> extraCaCertificates; // trusted in addition to the system CAs
    // SHA-256 digest (32 bytes) of a leaf certificate trusted although it does not verify
    // (self-signed): the one exception to verification, chosen by the user per account.
    QByteArray pinnedSha256;
};

// One TCP/TLS connection to a mail server, created in (and used from) one thread.
// Wraps QSslSocket with: certificate verification (system CAs + extra CAs, host name,
// TLS 1.2 at least), an inactivity timeout on every wait (the TLS handshake included),
// errors mapped to Result, and an opt-in protocol transcript with secrets redacted.
//
// The protocol clients read bytes with read() after readyRead() and never touch the
// socket themselves.
class Connection : public QObject
{
    Q_OBJECT
public:
    // protocol: "pop3", "smtp", "imap" (names the transcript); label: account name etc.
    Connection(const QString &protocol, const QString &label, QObject *parent = nullptr);
    ~Connection() override;

    void open(const Endpoint &endpoint); // -> ready() (after the handshake for Implicit)
    void startTls();                     // -> ready() again once encrypted
    bool isEncrypted() const;
    bool isOpen() const;

    void write(const QByteArray &data);
    // Writes data but puts `shownInTranscript` in the transcript (for credentials).
    void writeSecret(const QByteArray &data, const QByteArray &shownInTranscript);
    // Body data: written, but only its size reaches the transcript.
    void writeBulk(const QByteArray &data);
    qint64 bytesToWrite() const;

    qint64 bytesAvailable() const;
    qint64 read(char *data, qint64 maxSize);
    QByteArray readAll();

    // A protocol line the client received, for the transcript (the client decides what is
    // a protocol line and what is message content, which is never logged).
    void noteReceived(const QByteArray &line);

    // The client has nothing outstanding (e.g. a logged-in session waiting for the next
    // call): the inactivity timer stops until the next write, which re-arms it. A session
    // left idle by its owner is then not failed for the owner's own slowness.
    void setIdle(bool idle);
    bool isIdle() const { return m_idle; }

    // Closes and stops all timers; emits nothing.
    void abort();
    // Polite close: flushes what was written, then disconnects -> closed().
    void close();

    // The SHA-256 fingerprint (hex, colon-separated) of the certificate the server presented
    // (known once the TLS handshake got that far; kept after a failure), for errors and for
    // the UI's "trust this certificate?".
    QString peerFingerprint() const { return m_peerFingerprint; }

    // Where transcripts go: the directory named by POLLUX_TRANSCRIPT_DIR, if set.
    static QString transcriptDirectory();

    static constexpr qint64 kReadBufferSize = 256 * 1024;
    // A plain connection whose server has said nothing this long (POP3, IMAP and SMTP
    // servers greet at once) is checked for a TLS port: a second connection tries a TLS
    // handshake there, sends nothing else and is closed. The first one goes on waiting.
    static constexpr int kTlsProbeDelayMs = 3000;
    // How long a probe (that TLS handshake, or the wait for a plain greeting after a failed
    // one) may take.
    static constexpr int kProbeTimeoutMs = 5000;

signals:
    void ready();
    void readyRead();
    void bytesWritten();
    void failed(const pollux::Result &error); // the connection is unusable afterwards
    void closed();

private:
    void setupSocket();
    void fail(ErrorCode code, const QString &message);
    void touch(); // restart the inactivity timer
    void transcript(const char *direction, const QByteArray &data);
    void onSslErrors(const QList<QSslError> &errors);
    void onReadyRead();
    void startTlsProbe();
    void startPlainProbe(const QString &tlsError);
    void finishPlainProbe();
    void endProbe();
    QString speaksTlsMessage(const QString &evidence) const;
    QString plainChoice() const; // "POP3 or POP3 with STARTTLS"
    QString tlsChoice() const;   // "POP3-SSL"

    QString m_protocol;
    QString m_label;
    Endpoint m_endpoint;
    QSslSocket *m_socket = nullptr;
    QTimer m_timer;
    // Telling the admin that the type and port do not agree (plain against a TLS port, TLS
    // against a plain one) instead of a silent wait or "wrong version number".
    QTimer m_probeDelay; // plain, nothing received yet: probe for TLS when it fires
    QTimer m_probeTimer; // the probe's own deadline
    enum class Probe
    {
        None,
        Tls,   // plain endpoint, no greeting: does the port answer a TLS handshake?
        Plain, // TLS endpoint, handshake failed: does the port greet in plain text?
    };
    Probe m_probeKind = Probe::None;
    QAbstractSocket *m_probe = nullptr;
    QByteArray m_probeReceived; // what a plain probe got: the server's greeting
    QString m_probeFallback;    // the TLS error reported when a plain probe proves nothing
    bool m_firstBytesChecked = false;
    QFile m_transcript;
    QString m_peerFingerprint;
    bool m_failed = false;
    bool m_handshaking = false;
    bool m_closing = false;
    bool m_idle = false;
};

QString sha256Fingerprint(const QSslCertificate &certificate);

// Whether `head` (the first bytes a peer sent) is a TLS record: a handshake (0x16) or an
// alert (0x15) of TLS 1.x (0x03). A plain mail server greets with text.
bool looksLikeTlsRecord(const QByteArray &head);
// The first line of what a server sent, for an error message: printable ASCII only (other
// bytes become '?'), at most `maxChars` characters ("..." when cut).
QString sanitisedGreeting(const QByteArray &data, int maxChars = 80);

} // namespace pollux::net
