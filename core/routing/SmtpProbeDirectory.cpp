#include "SmtpProbeDirectory.h"

#include "smtp/SmtpAddress.h"
#include "smtp/SmtpClient.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

#include <functional>

namespace pollux::routing {

namespace {

constexpr int QuitWaitMs = 5000; // do not wait long for a goodbye

DirectoryAnswer unavailable(ErrorCode code, const QString &detail)
{
    DirectoryAnswer a;
    a.status = DirectoryStatus::Unavailable;
    a.error = code;
    a.detail = detail;
    return a;
}

DirectoryAnswer unsendable(const QString &why)
{
    DirectoryAnswer a;
    a.status = DirectoryStatus::Unknown;
    a.detail = QStringLiteral("not an address that can be sent to: ") + why;
    return a;
}

QString oneLine(const smtp::Reply &reply)
{
    return reply.toString().replace(QLatin1Char('\n'), QLatin1String(" / "));
}

// One lookupAll() conversation. Everything it creates lives and dies in this thread.
class ProbeThread : public QThread
{
public:
    ProbeThread(const SmtpProbeDirectory::Options &options, const QStringList &addresses,
                const QList<int> &toAsk, QList<DirectoryAnswer> &answers)
        : m_options(options), m_addresses(addresses), m_toAsk(toAsk), m_answers(answers)
    {
    }

protected:
    void run() override;

private:
    DirectoryAnswer answerFor(const smtp::ProbeResult &result) const;
    QString where() const
    {
        return QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.port);
    }

    const SmtpProbeDirectory::Options &m_options;
    const QStringList &m_addresses;
    const QList<int> &m_toAsk;
    QList<DirectoryAnswer> &m_answers;
};

DirectoryAnswer ProbeThread::answerFor(const smtp::ProbeResult &result) const
{
    const smtp::Reply &mail = result.mailReply;
    // Code 0: nothing was sent, the client refused the address itself (synthetic 553).
    if (mail.code != 0 && !mail.isSuccess())
        return unavailable(mail.isTransient() ? ErrorCode::TemporaryFailure
                                              : ErrorCode::ServerError,
                           QStringLiteral("MAIL FROM:<> refused: ") + oneLine(mail));
    return SmtpProbeDirectory::classifyRcpt(result.recipientReplies.value(0));
}

void ProbeThread::run()
{
    smtp::Options o;
    o.endpoint.host = m_options.host;
    o.endpoint.port = m_options.port;
    o.endpoint.tls = m_options.startTls ? net::TlsMode::StartTls : net::TlsMode::None;
    o.endpoint.timeoutMs = m_options.timeoutSecs * 1000;
    o.endpoint.extraCaCertificates = m_options.extraCaCertificates;
    o.heloName = m_options.heloName;
    o.username = m_options.username;
    o.password = m_options.password;
    o.label = QStringLiteral("probe");

    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QTimer quitWait;
    quitWait.setSingleShot(true);
    auto *client = new smtp::SmtpClient;
    qsizetype next = 0;
    DirectoryAnswer failure =
        unavailable(ErrorCode::Timeout,
                    where() + QStringLiteral(": no answer within %1 s").arg(m_options.timeoutSecs));

    const std::function<void()> askNext = [&] {
        if (next < m_toAsk.size()) {
            client->probe(QString(), {m_addresses.at(m_toAsk.at(next))});
            return;
        }
        quitWait.start(qBound(0, deadline.remainingTime(), QuitWaitMs));
        client->close(); // -> closed()
    };
    QObject::connect(client, &smtp::SmtpClient::opened, &loop, askNext);
    QObject::connect(client, &smtp::SmtpClient::probed, &loop,
                     [&](const smtp::ProbeResult &result) {
                         m_answers[m_toAsk.at(next++)] = answerFor(result);
                         askNext();
                     });
    QObject::connect(client, &smtp::SmtpClient::failed, &loop, [&](const Result &error) {
        failure = unavailable(error.code(), where() + QStringLiteral(": ") + error.message());
        loop.quit();
    });
    QObject::connect(client, &smtp::SmtpClient::closed, &loop, &QEventLoop::quit);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&quitWait, &QTimer::timeout, &loop, &QEventLoop::quit);
    QTimer cancelCheck;
    QObject::connect(&cancelCheck, &QTimer::timeout, &loop, [&] {
        if (!m_options.cancel || !m_options.cancel->load())
            return;
        failure = unavailable(ErrorCode::Cancelled, where() + QStringLiteral(": lookup cancelled "
                                                                             "(stopping)"));
        loop.quit();
    });
    cancelCheck.start(100);

    deadline.start(m_options.timeoutSecs * 1000);
    client->open(o);
    loop.exec();

    client->abort();
    delete client; // not inside one of its signals: exec() has returned
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    for (qsizetype i = next; i < m_toAsk.size(); ++i)
        m_answers[m_toAsk.at(i)] = failure;
}

} // namespace

SmtpProbeDirectory::SmtpProbeDirectory(const Options &options) : m_options(options) {}

SmtpProbeDirectory::~SmtpProbeDirectory() = default;

DirectoryAnswer SmtpProbeDirectory::classifyRcpt(const smtp::Reply &reply)
{
    static const QRegularExpression enhanced(
        QStringLiteral("^([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b"));
    if (reply.synthetic)
        return unsendable(oneLine(reply));
    DirectoryAnswer a;
    a.detail = oneLine(reply);
    if (reply.isSuccess()) {
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

DirectoryAnswer SmtpProbeDirectory::lookup(const QString &address)
{
    return lookupAll({address}).value(0);
}

QList<DirectoryAnswer> SmtpProbeDirectory::lookupAll(const QStringList &addresses)
{
    QList<DirectoryAnswer> out(addresses.size());
    if (m_options.cancel && m_options.cancel->load())
        return QList<DirectoryAnswer>(
            addresses.size(), unavailable(ErrorCode::Cancelled, QStringLiteral("lookup cancelled "
                                                                               "(stopping)")));
    QList<int> toAsk;
    for (int i = 0; i < addresses.size(); ++i) {
        // What can never go on the wire is not asked; whether a non-ASCII address can
        // depends on the server's SMTPUTF8, which the client checks.
        const smtp::WireAddress wire = smtp::encodeMailbox(addresses.at(i));
        if (wire.ok())
            toAsk << i;
        else
            out[i] = unsendable(smtp::problemText(wire.problem));
    }
    if (toAsk.isEmpty())
        return out;
    ProbeThread thread(m_options, addresses, toAsk, out);
    thread.start();
    thread.wait(); // bounded: the thread's own deadline ends its conversation
    return out;
}

} // namespace pollux::routing
