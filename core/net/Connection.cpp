#include "Connection.h"

#include "util/FileMode.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>

namespace pollux::net {

namespace {
QString colonHex(const QByteArray &bytes)
{
    const QByteArray digest = bytes.toHex().toUpper();
    QString out;
    for (int i = 0; i < digest.size(); i += 2) {
        if (i)
            out += QLatin1Char(':');
        out += QLatin1String(digest.mid(i, 2));
    }
    return out;
}

QString pinnedFingerprintText(const QByteArray &sha256)
{
    return colonHex(sha256);
}
} // namespace

QString sha256Fingerprint(const QSslCertificate &certificate)
{
    return colonHex(certificate.digest(QCryptographicHash::Sha256));
}

Connection::Connection(const QString &protocol, const QString &label, QObject *parent)
    : QObject(parent), m_protocol(protocol), m_label(label)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        fail(ErrorCode::Timeout,
             m_handshaking ? QStringLiteral("no answer from %1:%2 within %3 s (TLS handshake)")
                                 .arg(m_endpoint.host)
                                 .arg(m_endpoint.port)
                                 .arg(m_endpoint.timeoutMs / 1000)
                           : QStringLiteral("no answer from %1:%2 within %3 s")
                                 .arg(m_endpoint.host)
                                 .arg(m_endpoint.port)
                                 .arg(m_endpoint.timeoutMs / 1000));
    });
    m_probeDelay.setSingleShot(true);
    connect(&m_probeDelay, &QTimer::timeout, this, &Connection::startTlsProbe);
    m_probeTimer.setSingleShot(true);
    connect(&m_probeTimer, &QTimer::timeout, this, [this] {
        if (m_probeKind == Probe::Plain)
            finishPlainProbe();
        else
            endProbe(); // no answer to the TLS handshake: nothing learnt, the wait goes on
    });
}

Connection::~Connection()
{
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->abort();
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QString Connection::transcriptDirectory()
{
    return qEnvironmentVariable("POLLUX_TRANSCRIPT_DIR");
}

void Connection::setupSocket()
{
    m_socket = new QSslSocket(this);
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setProtocol(QSsl::TlsV1_2OrLater);
    conf.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!m_endpoint.extraCaCertificates.isEmpty()) {
        QList<QSslCertificate> cas = conf.caCertificates();
        cas += m_endpoint.extraCaCertificates;
        conf.setCaCertificates(cas);
    }
    m_socket->setSslConfiguration(conf);
    m_socket->setPeerVerifyName(m_endpoint.host);
    // Bounded memory whatever the peer sends: Qt stops reading from the kernel when this
    // much is waiting for us, and TCP flow control slows the sender down.
    m_socket->setReadBufferSize(kReadBufferSize);

    connect(m_socket, &QSslSocket::connected, this, [this] {
        // No Nagle: the last small segment of a message (SMTP's ".") or a lone command
        // would otherwise wait for the peer's delayed ACK, up to 40 ms each time.
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        touch();
        if (m_endpoint.tls != TlsMode::Implicit) {
            if (m_endpoint.timeoutMs > kTlsProbeDelayMs)
                m_probeDelay.start(kTlsProbeDelayMs);
            emit ready();
        }
    });
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_handshaking = false;
        m_peerFingerprint = sha256Fingerprint(m_socket->peerCertificate());
        touch();
        transcript("--", QByteArrayLiteral("TLS established: ") +
                             m_socket->sessionCipher().name().toUtf8());
        emit ready();
    });
    connect(m_socket, &QSslSocket::sslErrors, this, &Connection::onSslErrors);
    connect(m_socket, &QSslSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QSslSocket::bytesWritten, this, [this] {
        touch();
        emit bytesWritten();
    });
    // Under TLS, bytesWritten() fires when data is encrypted, not when it left: also report
    // the encrypted bytes leaving, so writers that watch bytesToWrite() see real progress.
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, [this] {
        touch();
        emit bytesWritten();
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (m_closing && e == QAbstractSocket::RemoteHostClosedError)
            return;
        ErrorCode code = ErrorCode::Network;
        switch (e) {
        case QAbstractSocket::HostNotFoundError:
            code = ErrorCode::HostNotFound;
            break;
        case QAbstractSocket::ConnectionRefusedError:
            code = ErrorCode::ConnectionRefused;
            break;
        case QAbstractSocket::SocketTimeoutError:
            code = ErrorCode::Timeout;
            break;
        case QAbstractSocket::SslHandshakeFailedError:
        case QAbstractSocket::SslInternalError:
        case QAbstractSocket::SslInvalidUserDataError:
            code = ErrorCode::Tls;
            break;
        default:
            break;
        }
        // Data that arrived together with the close is still delivered first.
        QPointer<Connection> self(this);
        if (m_socket->bytesAvailable() > 0)
            emit readyRead();
        if (!self || m_failed)
            return;
        const QString message = QStringLiteral("%1:%2: %3")
                                    .arg(m_endpoint.host)
                                    .arg(m_endpoint.port)
                                    .arg(m_socket->errorString());
        // The TLS handshake failed before any certificate was seen ("wrong version
        // number"): most likely a plain port. Look before saying so.
        if (e == QAbstractSocket::SslHandshakeFailedError && m_handshaking &&
            m_endpoint.tls == TlsMode::Implicit && m_peerFingerprint.isEmpty()) {
            startPlainProbe(message);
            return;
        }
        fail(code, message);
    });
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        m_timer.stop();
        if (m_closing) {
            emit closed();
        } else if (!m_failed) {
            fail(ErrorCode::Network, QStringLiteral("%1:%2 closed the connection")
                                         .arg(m_endpoint.host)
                                         .arg(m_endpoint.port));
        }
    });
}

void Connection::open(const Endpoint &endpoint)
{
    m_endpoint = endpoint;
    m_failed = false;
    m_closing = false;
    m_idle = false;
    m_firstBytesChecked = false;
    m_peerFingerprint.clear();
    m_probeDelay.stop();
    endProbe();
    if (!transcriptDirectory().isEmpty() && !m_transcript.isOpen()) {
        // Transcripts hold mail and addresses: 0600 files, a folder we create is 0700.
        filemode::makePrivatePath(transcriptDirectory());
        QString safeLabel = m_label;
        for (QChar &c : safeLabel)
            if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
                c = QLatin1Char('_');
        m_transcript.setFileName(transcriptDirectory() + QLatin1Char('/') + m_protocol +
                                 QLatin1Char('-') + safeLabel + QStringLiteral(".log"));
        if (!filemode::openPrivate(m_transcript, QIODevice::Append | QIODevice::Text))
            qWarning("cannot open transcript file %s", qPrintable(m_transcript.fileName()));
    }
    setupSocket();
    transcript("--",
               QStringLiteral("connect %1:%2").arg(endpoint.host).arg(endpoint.port).toUtf8());
    m_timer.start(m_endpoint.timeoutMs);
    if (endpoint.tls == TlsMode::Implicit) {
        m_handshaking = true;
        m_socket->connectToHostEncrypted(endpoint.host, endpoint.port);
    } else {
        m_socket->connectToHost(endpoint.host, endpoint.port);
    }
}

void Connection::startTls()
{
    if (!m_socket || m_failed)
        return;
    m_handshaking = true;
    m_idle = false;
    m_firstBytesChecked = true; // the server spoke plain text (or we chose to go on without)
    m_probeDelay.stop();
    endProbe();
    touch();
    m_socket->startClientEncryption();
}

void Connection::onSslErrors(const QList<QSslError> &errors)
{
    const QSslCertificate cert = m_socket->peerCertificate();
    if (!cert.isNull())
        m_peerFingerprint = sha256Fingerprint(cert);
    QStringList texts;
    for (const QSslError &e : errors)
        texts << e.errorString();
    const QString problems = texts.join(QStringLiteral("; "));
    // The one exception to verification: the user pinned exactly this leaf certificate.
    // Only the errors seen now are ignored, and only for this handshake.
    if (!m_endpoint.pinnedSha256.isEmpty() && !cert.isNull() &&
        cert.digest(QCryptographicHash::Sha256) == m_endpoint.pinnedSha256) {
        transcript("--", QByteArrayLiteral("certificate accepted by its pinned fingerprint "
                                           "despite: ") +
                             problems.toUtf8());
        m_socket->ignoreSslErrors(errors);
        return;
    }
    // Nothing else is ever accepted: every error fails the connection.
    const QString pinNote =
        m_endpoint.pinnedSha256.isEmpty()
            ? QString()
            : QStringLiteral(" (not the pinned certificate: that one has SHA-256 %1)")
                  .arg(pinnedFingerprintText(m_endpoint.pinnedSha256));
    fail(ErrorCode::Tls,
         QStringLiteral("%1:%2: certificate not trusted (%3); the server "
                        "presented SHA-256 %4%5")
             .arg(m_endpoint.host)
             .arg(m_endpoint.port)
             .arg(problems,
                  m_peerFingerprint.isEmpty() ? QStringLiteral("(none)") : m_peerFingerprint,
                  pinNote));
}

bool Connection::isEncrypted() const
{
    return m_socket && m_socket->isEncrypted();
}

bool Connection::isOpen() const
{
    return m_socket && !m_failed && m_socket->state() == QAbstractSocket::ConnectedState;
}

void Connection::setIdle(bool idle)
{
    m_idle = idle;
    if (idle)
        m_timer.stop();
    else
        touch();
}

void Connection::write(const QByteArray &data)
{
    setIdle(false);
    transcript("C:", data);
    if (m_socket && !m_failed)
        m_socket->write(data);
}

void Connection::writeSecret(const QByteArray &data, const QByteArray &shownInTranscript)
{
    setIdle(false);
    transcript("C:", shownInTranscript);
    if (m_socket && !m_failed)
        m_socket->write(data);
}

void Connection::writeBulk(const QByteArray &data)
{
    setIdle(false);
    if (m_transcript.isOpen())
        transcript("C:", QByteArrayLiteral("<") + QByteArray::number(data.size()) +
                             QByteArrayLiteral(" bytes of message data>"));
    if (m_socket && !m_failed)
        m_socket->write(data);
}

qint64 Connection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() : 0;
}

qint64 Connection::bytesAvailable() const
{
    return m_socket ? m_socket->bytesAvailable() : 0;
}

qint64 Connection::read(char *data, qint64 maxSize)
{
    return m_socket ? m_socket->read(data, maxSize) : -1;
}

QByteArray Connection::readAll()
{
    return m_socket ? m_socket->readAll() : QByteArray();
}

void Connection::noteReceived(const QByteArray &line)
{
    transcript("S:", line);
}

void Connection::abort()
{
    m_timer.stop();
    m_probeDelay.stop();
    endProbe();
    m_failed = true;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void Connection::close()
{
    if (!m_socket || m_failed) {
        m_probeDelay.stop();
        endProbe();
        emit closed();
        return;
    }
    m_closing = true;
    setIdle(false); // the close itself must finish within the timeout
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        m_timer.stop();
        emit closed();
        return;
    }
    m_socket->disconnectFromHost();
}

void Connection::fail(ErrorCode code, const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    m_timer.stop();
    m_probeDelay.stop();
    endProbe();
    transcript("--", QByteArrayLiteral("error: ") + message.toUtf8());
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    emit failed(Result::failure(code, message));
}

void Connection::onReadyRead()
{
    touch();
    // A plain connection's first bytes: a TLS record means the port speaks TLS (a server
    // that answers anything with an alert). Two bytes decide; one alone waits for the next.
    if (!m_firstBytesChecked && m_endpoint.tls != TlsMode::Implicit) {
        const QByteArray head = m_socket->peek(2);
        if (head.size() < 2)
            return;
        m_firstBytesChecked = true;
        m_probeDelay.stop();
        endProbe();
        if (looksLikeTlsRecord(head)) {
            fail(ErrorCode::Protocol,
                 speaksTlsMessage(QStringLiteral("its first bytes are a TLS record")));
            return;
        }
    }
    emit readyRead();
}

void Connection::touch()
{
    if (!m_failed && !m_idle)
        m_timer.start(m_endpoint.timeoutMs);
}

void Connection::transcript(const char *direction, const QByteArray &data)
{
    if (!m_transcript.isOpen())
        return;
    QByteArray line = data;
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    const QByteArray stamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8();
    m_transcript.write(stamp + ' ' + direction + ' ' + line + '\n');
    m_transcript.flush();
}

} // namespace pollux::net
