#include "SmtpProbeDirectory.h"

#include "smtp/SmtpCommands.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslSocket>

namespace pollux::routing {

namespace {

DirectoryAnswer unavailable(ErrorCode code, const QString &detail)
{
    DirectoryAnswer a;
    a.status = DirectoryStatus::Unavailable;
    a.error = code;
    a.detail = detail;
    return a;
}

QString oneLine(const smtp::Reply &reply)
{
    return reply.toString().replace(QLatin1Char('\n'), QLatin1String(" / "));
}

} // namespace

SmtpProbeDirectory::SmtpProbeDirectory(const Options &options) : m_options(options) {}

SmtpProbeDirectory::~SmtpProbeDirectory()
{
    if (m_socket)
        m_socket->abort();
}

DirectoryAnswer SmtpProbeDirectory::classifyRcpt(const smtp::Reply &reply)
{
    static const QRegularExpression enhanced(
        QStringLiteral("^([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b"));
    DirectoryAnswer a;
    a.detail = oneLine(reply);
    if (reply.code >= 200 && reply.code < 300) {
        a.status = DirectoryStatus::Known;
        return a;
    }
    if (reply.isPermanent()) {
        const QRegularExpressionMatch m = enhanced.match(reply.text);
        const bool mailboxStatus = m.hasMatch() && m.captured(2) == QLatin1String("1");
        const bool bare =
            !m.hasMatch() && (reply.code == 550 || reply.code == 551 || reply.code == 553);
        if (mailboxStatus || bare) {
            a.status = DirectoryStatus::Unknown;
            return a;
        }
        a.error = ErrorCode::ServerError;
    } else {
        a.error = ErrorCode::TemporaryFailure;
    }
    a.status = DirectoryStatus::Unavailable;
    return a;
}

bool SmtpProbeDirectory::readReply(smtp::Reply &reply, DirectoryAnswer &failure)
{
    const QDeadlineTimer deadline(qint64(m_options.timeoutSecs) * 1000);
    while (!m_reader.next(reply)) {
        if (m_reader.hasError()) {
            failure = unavailable(ErrorCode::Protocol, m_reader.error().toResult().message());
            return false;
        }
        if (m_socket->bytesAvailable() == 0) {
            if (deadline.hasExpired() ||
                !m_socket->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
                const bool timedOut = m_socket->error() == QAbstractSocket::SocketTimeoutError ||
                                      deadline.hasExpired();
                failure = unavailable(timedOut ? ErrorCode::Timeout : ErrorCode::Network,
                                      QStringLiteral("%1:%2: %3")
                                          .arg(m_options.host)
                                          .arg(m_options.port)
                                          .arg(timedOut ? QStringLiteral("no reply in time")
                                                        : m_socket->errorString()));
                return false;
            }
        }
        m_reader.feed(m_socket->readAll());
    }
    return true;
}

bool SmtpProbeDirectory::command(const QByteArray &line, smtp::Reply &reply,
                                 DirectoryAnswer &failure)
{
    m_socket->write(line);
    if (!m_socket->waitForBytesWritten(m_options.timeoutSecs * 1000) &&
        m_socket->bytesToWrite() > 0) {
        failure = unavailable(ErrorCode::Network,
                              m_options.host + QStringLiteral(": ") + m_socket->errorString());
        return false;
    }
    return readReply(reply, failure);
}

DirectoryAnswer SmtpProbeDirectory::open()
{
    const QString where = QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.port);
    m_reader.clear();
    m_socket = std::make_unique<QSslSocket>();
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.addCaCertificates(m_options.extraCaCertificates);
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    m_socket->setSslConfiguration(ssl);
    m_socket->setPeerVerifyName(m_options.host);
    m_socket->connectToHost(m_options.host, m_options.port);
    if (!m_socket->waitForConnected(m_options.timeoutSecs * 1000)) {
        const auto e = m_socket->error();
        return unavailable(e == QAbstractSocket::ConnectionRefusedError
                               ? ErrorCode::ConnectionRefused
                           : e == QAbstractSocket::HostNotFoundError  ? ErrorCode::HostNotFound
                           : e == QAbstractSocket::SocketTimeoutError ? ErrorCode::Timeout
                                                                      : ErrorCode::Network,
                           where + QStringLiteral(": ") + m_socket->errorString());
    }
    DirectoryAnswer failure;
    smtp::Reply reply;
    if (!readReply(reply, failure))
        return failure;
    if (reply.code != 220)
        return unavailable(ErrorCode::ServerError, where + QStringLiteral(": ") + oneLine(reply));
    const QString helo = smtp::commands::heloName(m_options.heloName);
    if (!command(smtp::commands::ehlo(helo), reply, failure))
        return failure;
    if (!reply.isPositive())
        return unavailable(ErrorCode::ServerError, where + QStringLiteral(": ") + oneLine(reply));
    smtp::Capabilities caps = smtp::Capabilities::fromEhlo(reply);

    if (m_options.startTls) {
        if (!caps.startTls)
            return unavailable(ErrorCode::Tls, where + QStringLiteral(": STARTTLS not offered"));
        if (!command("STARTTLS\r\n", reply, failure))
            return failure;
        if (reply.code != 220)
            return unavailable(ErrorCode::Tls, where + QStringLiteral(": ") + oneLine(reply));
        m_reader.clear();
        m_socket->startClientEncryption();
        if (!m_socket->waitForEncrypted(m_options.timeoutSecs * 1000))
            return unavailable(ErrorCode::Tls,
                               where + QStringLiteral(": TLS: ") + m_socket->errorString());
        if (!command(smtp::commands::ehlo(helo), reply, failure))
            return failure;
        if (!reply.isPositive())
            return unavailable(ErrorCode::ServerError,
                               where + QStringLiteral(": ") + oneLine(reply));
        caps = smtp::Capabilities::fromEhlo(reply);
    }

    if (!m_options.username.isEmpty()) {
        if (!m_socket->isEncrypted() && !smtp::commands::isLoopbackHost(m_options.host))
            return unavailable(ErrorCode::Tls, where + QStringLiteral(": no AUTH without TLS"));
        if (!caps.hasAuth(QStringLiteral("PLAIN")))
            return unavailable(ErrorCode::AuthFailed, where + QStringLiteral(": no AUTH PLAIN"));
        if (!command(smtp::commands::authPlain(m_options.username, m_options.password), reply,
                     failure))
            return failure;
        if (reply.code != 235)
            return unavailable(ErrorCode::AuthFailed,
                               where + QStringLiteral(": ") + oneLine(reply));
    }
    DirectoryAnswer ok;
    ok.status = DirectoryStatus::Known;
    return ok;
}

void SmtpProbeDirectory::close()
{
    if (!m_socket)
        return;
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        smtp::Reply reply;
        DirectoryAnswer ignored;
        const int saved = m_options.timeoutSecs;
        m_options.timeoutSecs = qMin(saved, 5); // do not wait long for a goodbye
        (void)command("QUIT\r\n", reply, ignored);
        m_options.timeoutSecs = saved;
    }
    m_socket->abort();
    m_socket.reset();
}

DirectoryAnswer SmtpProbeDirectory::lookup(const QString &address)
{
    return lookupAll({address}).value(0);
}

QList<DirectoryAnswer> SmtpProbeDirectory::lookupAll(const QStringList &addresses)
{
    QList<DirectoryAnswer> out;
    bool anyToAsk = false;
    for (const QString &a : addresses) {
        if (!smtp::commands::isValidAddress(a) || a.isEmpty()) {
            DirectoryAnswer bad;
            bad.status = DirectoryStatus::Unknown;
            bad.detail = QStringLiteral("not an address that can be sent to");
            out << bad;
        } else {
            out << DirectoryAnswer{};
            anyToAsk = true;
        }
    }
    if (!anyToAsk)
        return out;

    DirectoryAnswer failure = open();
    for (int i = 0; i < out.size(); ++i) {
        if (out.at(i).status == DirectoryStatus::Unknown)
            continue;
        if (failure.status == DirectoryStatus::Unavailable) {
            out[i] = failure;
            continue;
        }
        smtp::Reply reply;
        if (!command(smtp::commands::mailFrom(QString(), -1, false), reply, failure)) {
            out[i] = failure;
            continue;
        }
        if (!reply.isPositive()) {
            failure = unavailable(reply.isTransient() ? ErrorCode::TemporaryFailure
                                                      : ErrorCode::ServerError,
                                  QStringLiteral("MAIL FROM:<> refused: ") + oneLine(reply));
            out[i] = failure;
            continue;
        }
        if (!command(smtp::commands::rcptTo(addresses.at(i)), reply, failure)) {
            out[i] = failure;
            continue;
        }
        out[i] = classifyRcpt(reply);
        smtp::Reply rset;
        if (!command("RSET\r\n", rset, failure))
            continue;
        if (!rset.isPositive())
            failure = unavailable(ErrorCode::ServerError,
                                  QStringLiteral("RSET refused: ") + oneLine(rset));
    }
    close();
    return out;
}

} // namespace pollux::routing
