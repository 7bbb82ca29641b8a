#include "DeliveryWorker.h"

#include "engine/Log.h"
#include "engine/OutcomeApplier.h"
#include "engine/PrefixedDevice.h"
#include "engine/RoutingStage.h"
#include "mail/MessageHeader.h"
#include "mail/TraceHeader.h"
#include "routing/DirectoryFactory.h"
#include "secrets/SecretStore.h"
#include "store/Spool.h"
#include "util/Clock.h"

#include <QHostInfo>
#include <QPointer>

namespace pollux {

DeliveryWorker::DeliveryWorker(const Settings &settings, SecretStore *secrets, Clock *clock,
                               QObject *parent)
    : QObject(parent), m_settings(settings), m_secrets(secrets), m_clock(clock),
      m_cancel(std::make_shared<std::atomic_bool>(false)),
      m_stopHandle(std::make_shared<StopHandle>()), m_retryTimer(this), m_idleTimer(this)
{
    m_stopHandle->m_worker = this;
    m_retryTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &DeliveryWorker::cycle);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_state != State::Idle || !m_client)
            return;
        m_state = State::Closing;
        m_client->close();
    });
}

DeliveryWorker::~DeliveryWorker()
{
    {
        QMutexLocker lock(&m_stopHandle->m_mutex);
        m_stopHandle->m_worker = nullptr;
    }
    resetClient();
}

void DeliveryWorker::StopHandle::stopNow()
{
    QMutexLocker lock(&m_mutex); // the worker cannot be deleted meanwhile
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &DeliveryWorker::stopNow, Qt::QueuedConnection);
}

qint64 DeliveryWorker::backoffSeconds(int retryIntervalSecs, int attempt)
{
    return OutcomeApplier::backoffSeconds(retryIntervalSecs, attempt);
}

void DeliveryWorker::nextMessage()
{
    QMetaObject::invokeMethod(this, &DeliveryWorker::sendNext, Qt::QueuedConnection);
}

void DeliveryWorker::interrupt()
{
    m_cancel->store(true);
}

void DeliveryWorker::start()
{
    m_store = std::make_unique<Store>(m_settings.databasePath, m_clock);
    m_spool = std::make_unique<Spool>(m_settings.spoolDir);
    Result r = m_store->open();
    if (r)
        r = m_spool->init();
    // After an interruption (a power cut): a queued message without its file is resolved
    // before the orphan sweep (Store::recoverMissingFiles).
    Store::Recovery recovery;
    if (r)
        r = m_store->recoverMissingFiles(*m_spool, recovery);
    if (r && !recovery.uids.isEmpty())
        qCWarning(lcDelivery).noquote()
            << QStringLiteral("%1 queued messages had no spool file at start (an interruption "
                              "kept a file's removal and lost the record before it): %2 are "
                              "collected again from the server, %3 count as delivered: %4")
                   .arg(recovery.uids.size())
                   .arg(recovery.collectAgain)
                   .arg(recovery.delivered)
                   .arg(recovery.uids.join(QStringLiteral(", ")));
    QSet<QString> live;
    if (r)
        r = m_store->liveSpoolPaths(live);
    if (!r) {
        qCCritical(lcDelivery).noquote()
            << QStringLiteral("delivery cannot start: %1").arg(r.message());
        emit storageError(r);
        return;
    }
    // Asked once: the machine's name does not change while we run (uname per message did).
    m_byName =
        m_settings.smtp.heloName.isEmpty() ? QHostInfo::localHostName() : m_settings.smtp.heloName;
    Config applied = m_settings.config;
    applied.smtp = m_settings.smtp; // the retry interval and HELO name in force
    m_applier = std::make_unique<OutcomeApplier>(applied, *m_store, *m_spool, m_clock);
    connect(m_applier.get(), &OutcomeApplier::delivered, this, &DeliveryWorker::delivered);
    connect(m_applier.get(), &OutcomeApplier::deferred, this, &DeliveryWorker::deferred);
    connect(m_applier.get(), &OutcomeApplier::quarantined, this, &DeliveryWorker::quarantined);
    connect(m_applier.get(), &OutcomeApplier::storageError, this, &DeliveryWorker::storageError);
    const int orphans = m_spool->removeOrphans(live);
    if (orphans > 0)
        qCInfo(lcDelivery) << "removed" << orphans << "spool files no message refers to";
    m_state = State::Idle;
    emit ready();
    prepareDirectory();
}

// The directory for catch-all-reroute needs its passwords from the keychain first.
void DeliveryWorker::prepareDirectory()
{
    const Config &config = m_settings.config;
    auto ready = [this](const QString &ldapPassword, const QString &smtpPassword) {
        m_directory = routing::makeDirectory(
            m_settings.config, routing::DirectorySecrets{ldapPassword, smtpPassword},
            m_settings.extraCaCertificates, m_clock, routing::DirectoryUse{m_cancel, true});
        m_routing =
            std::make_unique<RoutingStage>(m_settings.config, *m_store, m_clock, m_directory.get());
        m_directoryReady = true;
        cycle();
    };
    if (config.directory.type == DirectoryType::None) {
        ready({}, {});
        return;
    }
    const bool needLdap =
        config.directory.type == DirectoryType::Ldap && !config.directory.bindDn.isEmpty();
    const bool needSmtp =
        config.directory.type == DirectoryType::SmtpProbe && !config.smtp.username.isEmpty();
    if (!needLdap && !needSmtp) {
        ready({}, {});
        return;
    }
    QPointer<DeliveryWorker> self(this);
    m_secrets->read(secretKey(needLdap ? SecretKind::Ldap : SecretKind::Smtp),
                    [self, ready, needLdap](Result r, QString secret) {
                        if (!self)
                            return;
                        if (!r)
                            qCWarning(lcDelivery).noquote()
                                << QStringLiteral("directory: %1").arg(r.message());
                        if (needLdap)
                            ready(secret, {});
                        else
                            ready({}, secret);
                    });
}

void DeliveryWorker::wake()
{
    cycle();
}

void DeliveryWorker::requestDrainReport()
{
    if (m_state == State::Stopped) {
        emit drained(false); // could not start: nothing can be delivered
        return;
    }
    m_drainRequested = true;
    cycle();
}

void DeliveryWorker::retry(qint64 id)
{
    if (m_state == State::Stopped)
        return;
    if (Result r = m_store->requeue(id); !r) {
        emit storageError(r);
        return;
    }
    qCInfo(lcDelivery) << "message" << id << "queued again by request";
    cycle();
}

void DeliveryWorker::discard(qint64 id)
{
    if (m_state == State::Stopped)
        return;
    QString path;
    if (Result r = m_store->discard(id, path); !r) {
        emit storageError(r);
        return;
    }
    // The file goes only once the record no longer needs it is durable.
    if (Result r = m_applier->syncGroup(); !r) {
        emit storageError(r);
        return;
    }
    if (!path.isEmpty()) {
        if (Result r = m_spool->remove(path); !r)
            qCWarning(lcDelivery).noquote() << r.message();
    }
    qCInfo(lcDelivery) << "refused message" << id << "discarded by request";
}

void DeliveryWorker::syncMarks()
{
    if (!m_applier)
        return;
    if (Result r = m_applier->syncGroup(); !r) {
        qCCritical(lcDelivery).noquote() << r.message();
        emit storageError(r);
    }
}

void DeliveryWorker::stop()
{
    syncMarks();
    m_retryTimer.stop();
    m_idleTimer.stop();
    if (m_client && m_state == State::Idle) {
        // Polite QUIT is not awaited: nothing is lost by dropping an idle connection.
        m_client->close();
    }
    resetClient();
    m_state = State::Stopped;
}

bool DeliveryWorker::stopAfterReply()
{
    if (m_state != State::Sending || !m_client || !m_client->awaitingFinalReply() ||
        !m_current.id) {
        stop(); // nothing is delivered before the end of a message: nothing to wait for
        return true;
    }
    m_stopping = true;
    m_retryTimer.stop();
    m_idleTimer.stop();
    m_queue.clear();
    qCInfo(lcDelivery).noquote()
        << QStringLiteral("stopping: waiting up to %1 s for the office server's reply to "
                          "message %2 (%3 %4), so that it is not sent twice; stop again to "
                          "stop at once")
               .arg(m_settings.finalReplyTimeoutMs / 1000)
               .arg(m_current.id)
               .arg(m_current.account, m_current.uid);
    return false;
}

void DeliveryWorker::stopNow()
{
    if (!m_stopping)
        return;
    qCWarning(lcDelivery).noquote()
        << QStringLiteral("stopping at once without the office server's reply: message %1 "
                          "(%2 %3) stays queued and may reach the office server twice")
               .arg(m_current.id)
               .arg(m_current.account, m_current.uid);
    finishStop();
}

void DeliveryWorker::finishStop()
{
    m_stopping = false;
    stop();
    emit stopped();
}

void DeliveryWorker::resetClient()
{
    m_body.reset();
    m_file.reset();
    if (m_client) {
        m_client->disconnect(this);
        m_client->abort();
        m_client->deleteLater();
        m_client = nullptr;
    }
}

void DeliveryWorker::cycle()
{
    if (m_state == State::Stopped || !m_directoryReady)
        return;
    if (m_state != State::Idle) {
        m_wakePending = true;
        return;
    }
    m_wakePending = false;
    m_idleTimer.stop();
    m_queue.clear();
    m_handled.clear();
    if (Result r = m_store->dueDeliveries(100, m_queue); !r) {
        emit storageError(r);
        finishCycle();
        return;
    }
    if (m_queue.isEmpty()) {
        finishCycle();
        return;
    }
    if (m_client && m_client->isOpen()) {
        m_state = State::Sending;
        sendNext();
        return;
    }
    resetClient();
    if (m_settings.smtp.username.isEmpty()) {
        connectToServer({});
        return;
    }
    m_state = State::ReadingSecret;
    QPointer<DeliveryWorker> self(this);
    m_secrets->read(secretKey(SecretKind::Smtp), [self](Result r, QString password) {
        if (!self || self->m_state != State::ReadingSecret)
            return;
        if (!r) {
            self->onClientFailed(r);
            return;
        }
        self->connectToServer(password);
    });
}

void DeliveryWorker::connectToServer(const QString &password)
{
    const SmtpConfig &s = m_settings.smtp;
    smtp::Options o;
    o.endpoint.host = s.host;
    o.endpoint.port = s.port;
    o.endpoint.tls = s.startTls ? net::TlsMode::StartTls : net::TlsMode::None;
    o.endpoint.timeoutMs = s.timeoutSecs * 1000;
    o.endpoint.extraCaCertificates = m_settings.extraCaCertificates;
    o.heloName = s.heloName;
    o.username = s.username;
    o.password = password;
    o.label = QStringLiteral("office");
    o.finalReplyTimeoutMs = m_settings.finalReplyTimeoutMs;
    m_client = new smtp::SmtpClient(this);
    connect(m_client, &smtp::SmtpClient::opened, this, [this] {
        m_state = State::Sending;
        sendNext();
    });
    connect(m_client, &smtp::SmtpClient::sent, this, &DeliveryWorker::onSent);
    connect(m_client, &smtp::SmtpClient::failed, this, &DeliveryWorker::onClientFailed);
    connect(m_client, &smtp::SmtpClient::closed, this, [this] {
        resetClient();
        m_state = State::Idle;
        if (m_wakePending)
            cycle();
    });
    m_state = State::Connecting;
    m_client->open(o);
}

// One message per call; the next one is a queued call (nextMessage()), so a stop() or
// wake() queued meanwhile is seen between messages. A message handled in this cycle
// (deferred, quarantined, sent) is never picked up again by the re-read of the queue: a
// deferral whose retry time passed while later messages were routed waits for the next
// cycle instead of being routed twice in this one.
void DeliveryWorker::sendNext()
{
    if (m_state != State::Sending)
        return; // stopped, or the connection went, while this step was queued
    if (m_queue.isEmpty()) {
        if (Result r = m_store->dueDeliveries(100, m_queue); !r) {
            emit storageError(r);
            m_queue.clear();
        }
        m_queue.removeIf([this](const DeliveryItem &item) { return m_handled.contains(item.id); });
        if (m_queue.isEmpty()) {
            finishCycle();
            return;
        }
    }
    m_current = m_queue.takeFirst();
    m_handled.insert(m_current.id);
    m_file = std::make_unique<QFile>(m_spool->absolutePath(m_current.spoolPath));
    if (!m_file->open(QIODevice::ReadOnly)) {
        DeliveryOutcome lost = DeliveryOutcome::quarantine(
            QuarantineFolder::BadMail,
            QStringLiteral("spool file unreadable: %1").arg(m_file->errorString()));
        lost.keepInPlace = true;
        // A quarantine interrupted after the move: the file is there, record it.
        lost.foundAt = m_spool->findQuarantined(m_current.spoolPath);
        if (!lost.foundAt.isEmpty())
            lost.reason = QStringLiteral("found in quarantine after an interrupted move "
                                         "(%1)")
                              .arg(lost.foundAt);
        m_file.reset();
        m_applier->apply(m_current, QByteArray(), lost);
        nextMessage();
        return;
    }
    m_header = mail::readHeaderBlock(m_file.get());
    if (m_current.recipients.isEmpty()) {
        // spool -> route -> (send -> apply)
        const DeliveryOutcome route = m_routing->decide(m_current, m_header, m_file.get());
        if (m_cancel->load()) {
            // Stopping: a lookup that was cut short decides nothing. The message stays
            // unrouted and is routed at the next start; the queued stop() comes next.
            m_file.reset();
            m_current = DeliveryItem();
            return;
        }
        if (route.kind != DeliveryOutcome::Kind::Send) {
            m_file.reset();
            m_applier->apply(m_current, m_header, route);
            nextMessage();
            return;
        }
        if (!m_applier->apply(m_current, m_header, route)) {
            m_file.reset();
            nextMessage(); // not recorded: it stays unrouted, tried at the next cycle
            return;
        }
    }
    const QByteArray &header = m_header;
    m_envelope.sender = mail::envelopeSender(header);
    m_envelope.recipients = m_current.recipients;
    const QByteArray trace = mail::traceHeader(
        m_byName, m_settings.protocolByAccount.value(m_current.account, QStringLiteral("POP3")),
        m_current.account, m_current.uid, m_clock->now());
    // What DATA could not carry as it is picks BDAT + BINARYMIME where offered. Without
    // BINARYMIME every message goes over DATA whatever its shape: the spool file is read
    // again only if the server refuses it (onSent names a long line in the reason).
    m_shape = smtp::BodyShape();
    if (m_client->binaryMime() && !smtp::scanBody(m_file.get(), m_shape))
        m_shape = smtp::BodyShape(); // a read error shows when the body is sent
    m_body = std::make_unique<PrefixedDevice>(trace, m_file.get());
    m_client->send(m_envelope, m_body.get(), trace.size() + m_file->size(), m_shape);
}

void DeliveryWorker::onSent(const smtp::SendResult &result)
{
    DeliveryItem item = m_current;
    DeliveryOutcome outcome = classifySend(m_envelope, result);
    if (outcome.kind == DeliveryOutcome::Kind::Quarantine && !result.chunked && m_file &&
        m_file->seek(0) && !smtp::scanBody(m_file.get(), m_shape))
        m_shape = smtp::BodyShape();
    m_body.reset();
    m_file.reset();
    if (outcome.kind == DeliveryOutcome::Kind::Quarantine && m_shape.longLines() && !result.chunked)
        outcome.reason = QStringLiteral("line too long: the message has a line of %1 octets "
                                        "(SMTP allows %2) and the office server offers no "
                                        "BINARYMIME (RFC 3030) to take it as it is; %3")
                             .arg(m_shape.longestLine)
                             .arg(smtp::BodyShape::MaxLine)
                             .arg(outcome.reason);
    // Delivered to some, the rest refused for now (a server that takes only so many
    // recipients per transaction): once that is recorded, the rest go again in this cycle,
    // so a --once run ends with everyone delivered. Each round delivers to someone: it ends.
    bool restRecorded = false;
    QMetaObject::Connection watch;
    if (outcome.kind == DeliveryOutcome::Kind::Delivered && !outcome.retry.isEmpty())
        watch = connect(m_applier.get(), &OutcomeApplier::deferred, this,
                        [&restRecorded] { restRecorded = true; });
    m_applier->apply(item, m_header, outcome);
    disconnect(watch);
    if (restRecorded)
        m_handled.remove(item.id);
    if (m_stopping) {
        finishStop(); // the awaited reply is recorded
        return;
    }
    if (m_state == State::Sending)
        sendNext();
}

void DeliveryWorker::onClientFailed(const Result &error)
{
    if (m_state == State::Sending && m_current.id && m_body) {
        m_applier->apply(m_current, m_header, DeliveryOutcome::defer(error.message()));
    }
    if (m_stopping) {
        qCWarning(lcDelivery).noquote() << QStringLiteral("office server: %1: %2")
                                               .arg(errorCodeName(error.code()), error.message());
        finishStop();
        return;
    }
    m_current = DeliveryItem();
    resetClient();
    const bool wasClosing = m_state == State::Closing;
    m_state = State::Idle;
    if (wasClosing) {
        if (m_wakePending)
            cycle();
        return;
    }
    qCWarning(lcDelivery).noquote() << QStringLiteral("office server: %1: %2")
                                           .arg(errorCodeName(error.code()), error.message());
    syncMarks();
    emit serverError(error);
    m_wakePending = false;
    m_retryTimer.start(
        int(qMin<qint64>(backoffSeconds(m_settings.smtp.retryIntervalSecs, 1), 3600) * 1000));
    if (m_drainRequested) {
        m_drainRequested = false;
        emit drained(false);
    }
}

void DeliveryWorker::finishCycle()
{
    m_state = State::Idle;
    m_current = DeliveryItem();
    syncMarks(); // nothing more to send now: the group's marks to the disk, its files go
    if (m_wakePending) {
        QMetaObject::invokeMethod(this, &DeliveryWorker::cycle, Qt::QueuedConnection);
        return;
    }
    scheduleRetry();
    if (m_client)
        m_idleTimer.start(m_settings.idleCloseMs);
    if (m_drainRequested) {
        m_drainRequested = false;
        QDateTime next;
        if (Result r = m_store->nextDeferredAt(next); !r)
            emit storageError(r);
        emit drained(next.isNull());
    }
}

void DeliveryWorker::scheduleRetry()
{
    QDateTime next;
    if (Result r = m_store->nextDeferredAt(next); !r || next.isNull())
        return;
    const qint64 ms = qBound<qint64>(0, m_clock->now().msecsTo(next), qint64(3600) * 1000);
    m_retryTimer.start(int(ms) + 10);
}

} // namespace pollux
