#include "Connection.h"

// Telling the admin that the server type and the port do not agree: a plain type aimed at a
// TLS port (silence, until the inactivity timeout), a TLS type aimed at a plain port
// ("wrong version number"). Each case is checked on a second connection, so the first one
// is never disturbed by the check; each check is bounded by kProbeTimeoutMs.

#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

namespace pollux::net {

bool looksLikeTlsRecord(const QByteArray &head)
{
    return head.size() >= 2 && (head.at(0) == '\x16' || head.at(0) == '\x15') &&
           head.at(1) == '\x03';
}

QString sanitisedGreeting(const QByteArray &data, int maxChars)
{
    QByteArray line = data;
    const qsizetype end = line.indexOf('\n');
    if (end >= 0)
        line.truncate(end);
    while (line.endsWith('\r'))
        line.chop(1);
    QString out;
    for (const char c : line) {
        if (out.size() >= maxChars) {
            out += QStringLiteral("...");
            break;
        }
        out += (c >= 0x20 && c < 0x7f) ? QLatin1Char(c) : QLatin1Char('?');
    }
    return out;
}

QString Connection::tlsChoice() const
{
    if (m_protocol == QLatin1String("pop3"))
        return QStringLiteral("choose the server type POP3-SSL (or, for POP3 and POP3 with "
                              "STARTTLS, the server's POP3 port, usually 110)");
    if (m_protocol == QLatin1String("imap"))
        return QStringLiteral("choose the server type IMAP-SSL (or, for IMAP and IMAP with "
                              "STARTTLS, the server's IMAP port, usually 143)");
    if (m_protocol == QLatin1String("smtp"))
        return QStringLiteral("Pollux speaks plain SMTP or STARTTLS to the office server: "
                              "choose its SMTP port (usually 25 or 587)");
    return QStringLiteral("choose a server type with SSL");
}

QString Connection::plainChoice() const
{
    if (m_protocol == QLatin1String("pop3"))
        return QStringLiteral("choose the server type POP3 or POP3 with STARTTLS (or, for "
                              "POP3-SSL, the server's POP3-SSL port, usually 995)");
    if (m_protocol == QLatin1String("imap"))
        return QStringLiteral("choose the server type IMAP or IMAP with STARTTLS (or, for "
                              "IMAP-SSL, the server's IMAP-SSL port, usually 993)");
    return QStringLiteral("choose a server type without SSL");
}

QString Connection::speaksTlsMessage(const QString &evidence) const
{
    return QStringLiteral("%1:%2 speaks TLS (%3): %4")
        .arg(m_endpoint.host)
        .arg(m_endpoint.port)
        .arg(evidence, tlsChoice());
}

// Plain endpoint, no greeting yet: a TLS port waits for our handshake in silence, which
// would last until the inactivity timeout. A second connection tries a handshake there
// (sends nothing else: no verification is needed to learn that the port speaks TLS).
void Connection::startTlsProbe()
{
    if (m_failed || !m_socket || m_firstBytesChecked || m_idle || m_handshaking || m_probe)
        return;
    auto *probe = new QSslSocket(this);
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    probe->setSslConfiguration(conf);
    m_probe = probe;
    m_probeKind = Probe::Tls;
    connect(probe, &QSslSocket::encrypted, this, [this] {
        endProbe();
        fail(ErrorCode::Protocol,
             speaksTlsMessage(QStringLiteral("it sent no greeting in %1 s, but answers a TLS "
                                             "handshake")
                                  .arg(kTlsProbeDelayMs / 1000)));
    });
    // Anything else proves nothing (a slow plain server): the first connection waits on.
    connect(probe, &QSslSocket::errorOccurred, this, [this] { endProbe(); });
    transcript("--", QByteArrayLiteral("no greeting yet: is this a TLS port? (a second "
                                       "connection tries a TLS handshake)"));
    m_probeTimer.start(kProbeTimeoutMs);
    probe->connectToHostEncrypted(m_endpoint.host, m_endpoint.port);
}

// TLS endpoint, handshake failed before any certificate: a plain port's greeting was taken
// for a TLS record. A second, plain connection reads what the port says first.
void Connection::startPlainProbe(const QString &tlsError)
{
    m_timer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    endProbe();
    m_probeFallback = tlsError;
    m_probeReceived.clear();
    auto *probe = new QTcpSocket(this);
    m_probe = probe;
    m_probeKind = Probe::Plain;
    connect(probe, &QTcpSocket::readyRead, this, [this, probe] {
        m_probeReceived += probe->read(512 - m_probeReceived.size());
        if (m_probeReceived.contains('\n') || m_probeReceived.size() >= 512)
            finishPlainProbe();
    });
    connect(probe, &QTcpSocket::errorOccurred, this, [this, probe] {
        m_probeReceived += probe->read(512 - m_probeReceived.size()); // came with the close
        finishPlainProbe();
    });
    transcript("--", QByteArrayLiteral("TLS handshake failed (") + tlsError.toUtf8() +
                         QByteArrayLiteral("): does this port speak plain text? (a second "
                                           "connection reads its greeting)"));
    m_probeTimer.start(kProbeTimeoutMs);
    probe->connectToHost(m_endpoint.host, m_endpoint.port);
}

void Connection::finishPlainProbe()
{
    const QByteArray got = m_probeReceived;
    endProbe();
    if (!got.isEmpty() && !looksLikeTlsRecord(got)) {
        fail(ErrorCode::Protocol, QStringLiteral("%1:%2 does not speak TLS (the server sent: "
                                                 "\"%3\"): %4")
                                      .arg(m_endpoint.host)
                                      .arg(m_endpoint.port)
                                      .arg(sanitisedGreeting(got), plainChoice()));
        return;
    }
    fail(ErrorCode::Tls, m_probeFallback);
}

void Connection::endProbe()
{
    m_probeTimer.stop();
    m_probeKind = Probe::None;
    m_probeReceived.clear();
    if (!m_probe)
        return;
    m_probe->disconnect(this);
    m_probe->abort();
    m_probe->deleteLater(); // we may be inside one of its signals
    m_probe = nullptr;
}

} // namespace pollux::net
