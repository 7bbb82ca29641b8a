#include "AlertTracker.h"

#include "engine/AlertMessage.h"
#include "engine/Log.h"
#include "engine/OutcomeApplier.h"
#include "store/Spool.h"
#include "util/Clock.h"

#include <QHostInfo>

namespace pollux {

namespace {
const QString kFailing = QStringLiteral("failing");
const QString kSignIn = QStringLiteral("sign-in");
const QString kQuarantine = QStringLiteral("quarantine");
const QString kSpool = QStringLiteral("spool");
const QString kOffice = QStringLiteral("office");
} // namespace

AlertTracker::AlertTracker(const Settings &settings, Clock *clock, QObject *parent)
    : QObject(parent), m_settings(settings), m_clock(clock ? clock : Clock::system()), m_timer(this)
{
    connect(&m_timer, &QTimer::timeout, this, &AlertTracker::evaluate);
}

AlertTracker::~AlertTracker() = default;

Result AlertTracker::start()
{
    if (m_store)
        return Result::success();
    auto store = std::make_unique<Store>(m_settings.databasePath, m_clock);
    auto spool = std::make_unique<Spool>(m_settings.spoolDir);
    Result r = store->open(Store::Check::Quick);
    if (r)
        r = spool->init();
    QList<Store::AlertState> states;
    if (r)
        r = store->alertStates(states);
    if (!r) {
        qCCritical(lcEngine).noquote() << QStringLiteral("alerts: %1").arg(r.message());
        return r;
    }
    m_states.clear();
    for (const Store::AlertState &s : std::as_const(states))
        m_states.insert({s.condition, s.account}, s);
    m_store = std::move(store);
    m_text = std::make_unique<AlertText>(m_settings.config.language);
    // A mailbox removed or disabled since is no longer watched: its conditions end without a
    // mail (no daily reminder about an account that is gone).
    for (auto it = m_states.begin(); it != m_states.end(); ++it) {
        Store::AlertState &s = it.value();
        const AccountConfig *a = m_settings.config.account(s.account);
        if (s.active && !s.account.isEmpty() && (!a || !a->enabled)) {
            clear(s);
            save(s);
        }
    }
    m_spool = std::move(spool);
    if (m_settings.tickMs > 0)
        m_timer.start(m_settings.tickMs);
    evaluate();
    return Result::success();
}

void AlertTracker::stop()
{
    m_timer.stop();
    m_spool.reset();
    m_store.reset();
}

Store::AlertState AlertTracker::state(const QString &condition, const QString &account) const
{
    Store::AlertState s = m_states.value({condition, account});
    s.condition = condition;
    s.account = account;
    return s;
}

Store::AlertState &AlertTracker::at(const QString &condition, const QString &account)
{
    Store::AlertState &s = m_states[{condition, account}];
    s.condition = condition;
    s.account = account;
    return s;
}

bool AlertTracker::mayMail(const Store::AlertState &s) const
{
    if (!s.lastAlert.isValid())
        return true;
    const qint64 ago = s.lastAlert.msecsTo(m_clock->now());
    // A last alert far in the future: the clock was set back since; it holds nothing back.
    return ago >= kOncePerMs || ago < -3600 * 1000;
}

QString AlertTracker::encodeDetail(ErrorCode code, const QString &message)
{
    return QString::number(int(code)) + QLatin1Char('\n') + message;
}

ErrorCode AlertTracker::detailCode(const QString &detail)
{
    return ErrorCode(detail.section(QLatin1Char('\n'), 0, 0).toInt());
}

QString AlertTracker::detailMessage(const QString &detail)
{
    return detail.section(QLatin1Char('\n'), 1);
}

QStringList AlertTracker::recipients() const
{
    QStringList to;
    const Config &c = m_settings.config;
    if (!c.postmaster.isEmpty())
        to << c.postmaster;
    if (!c.alerts.extraAddress.isEmpty() &&
        !to.contains(c.alerts.extraAddress, Qt::CaseInsensitive))
        to << c.alerts.extraAddress;
    return to;
}

void AlertTracker::save(const Store::AlertState &s)
{
    if (!m_store)
        return;
    // Logged only: the stages that own the mail report storage problems to the user.
    if (Result r = m_store->saveAlertState(s); !r)
        qCWarning(lcEngine).noquote() << QStringLiteral("alerts: %1").arg(r.message());
}

void AlertTracker::clear(Store::AlertState &s)
{
    s.active = false;
    s.since = QDateTime();
    s.sent = 0;
    s.detail.clear();
}

bool AlertTracker::mail(const Store::AlertState &s, const QString &suffix,
                        const AlertText::Text &text)
{
    const QStringList to = recipients();
    if (to.isEmpty()) {
        if (!m_warnedNoAddress)
            qCWarning(lcEngine) << "alerts: no postmaster and no extra address; not mailed:"
                                << text.subject;
        m_warnedNoAddress = true;
        return false;
    }
    const QDateTime now = m_clock->now();
    const qint64 episode = (s.since.isValid() ? s.since : now).toMSecsSinceEpoch();
    const QString uid = OutcomeApplier::derivedUid(
        QStringLiteral("alert"),
        s.condition + QLatin1Char('-') + QString::number(episode) + QLatin1Char('-') + suffix);
    // The whole program's conditions are recorded under the account "" (not NULL).
    const QString account = s.account.isNull() ? QStringLiteral("") : s.account;
    QSet<QString> known;
    Result r = m_store->knownUids(account, known);
    if (r && known.contains(uid))
        return true; // made before a crash
    const Config &c = m_settings.config;
    AlertMail m;
    m.from = !c.alerts.from.isEmpty()  ? c.alerts.from
             : !c.postmaster.isEmpty() ? c.postmaster
                                       : to.first();
    m.to = to;
    m.subject = text.subject;
    m.text = text.body;
    m.hostName = c.smtp.heloName.isEmpty() ? QHostInfo::localHostName() : c.smtp.heloName;
    m.when = now;
    m.condition = s.condition +
                  (suffix == QLatin1String("recovered") ? QStringLiteral("-recovered") : QString());
    m.account = s.account;
    m.language = m_text->language();
    const QByteArray bytes = alertmail::compose(m);
    std::unique_ptr<Spool::Writer> writer;
    if (r)
        writer = m_spool->create(account, r);
    if (writer)
        r = writer->write(bytes.constData(), bytes.size());
    if (writer && r)
        r = writer->finish();
    if (writer && r)
        r = m_spool->makeDurable({writer->relativePath()});
    if (writer && r) {
        SpooledMessage message;
        message.uid = uid;
        message.size = writer->size();
        message.spoolPath = writer->relativePath();
        message.recipients = to;
        message.kind = MessageKind::Alert;
        r = m_store->recordSpooled(account, {message});
    }
    if (!r) {
        // An unrecorded file is an orphan the next start removes.
        qCWarning(lcEngine).noquote()
            << QStringLiteral("alerts: cannot queue \"%1\": %2").arg(text.subject, r.message());
        return false;
    }
    qCInfo(lcEngine).noquote() << QStringLiteral("alert queued for %1: %2")
                                      .arg(to.join(QStringLiteral(", ")), text.subject);
    emit queued();
    return true;
}

void AlertTracker::checkFailing(Store::AlertState &s)
{
    const QDateTime now = m_clock->now();
    const qint64 threshold = qint64(m_settings.config.alerts.failingThresholdMinutes) * 60 * 1000;
    if (!s.active || s.since.msecsTo(now) < threshold || !mayMail(s))
        return;
    if (mail(s, QString::number(s.sent + 1),
             m_text->mailboxFailing(s.account, s.since, now, detailCode(s.detail),
                                    detailMessage(s.detail)))) {
        ++s.sent;
        s.lastAlert = now;
    }
}

void AlertTracker::passFinished(const QString &account, const Result &result)
{
    if (!m_store || result.code() == ErrorCode::Cancelled)
        return;
    const QDateTime now = m_clock->now();
    if (result.ok()) {
        if (!m_states.contains({kFailing, account}))
            return;
        Store::AlertState &s = at(kFailing, account);
        if (!s.active)
            return;
        if (s.sent > 0)
            mail(s, QStringLiteral("recovered"), m_text->mailboxRecovered(account, s.since, now));
        clear(s);
        save(s);
        return;
    }
    // The sign-in condition says it; and a database that cannot be written is no fault of
    // the mailbox (nor could an alert be queued: the stages report it themselves).
    if (result.code() == ErrorCode::SignInNeeded || result.code() == ErrorCode::Storage)
        return;
    Store::AlertState &s = at(kFailing, account);
    if (!s.active) {
        s.active = true;
        s.since = now;
        s.sent = 0;
    }
    s.detail = encodeDetail(result.code(), result.message());
    checkFailing(s);
    save(s);
}

void AlertTracker::signInState(const QString &account, bool needed, const QString &detail)
{
    if (!m_store)
        return;
    const QDateTime now = m_clock->now();
    if (!needed) {
        if (!m_states.contains({kSignIn, account}))
            return;
        Store::AlertState &s = at(kSignIn, account);
        if (!s.active)
            return;
        if (s.sent > 0)
            mail(s, QStringLiteral("recovered"), m_text->signInRecovered(account, now));
        clear(s);
        save(s);
        return;
    }
    Store::AlertState &s = at(kSignIn, account);
    const bool begins = !s.active;
    if (begins) {
        s.active = true;
        s.since = now;
        s.sent = 0;
    }
    const QString encoded = encodeDetail(ErrorCode::SignInNeeded, detail);
    if (!begins && s.detail == encoded && !mayMail(s))
        return; // the same state again (every start reports it): nothing to write
    s.detail = encoded;
    if (mayMail(s) &&
        mail(s, QString::number(s.sent + 1), m_text->signInNeeded(account, s.since, now, detail))) {
        ++s.sent;
        s.lastAlert = now;
    }
    save(s);
}

void AlertTracker::quarantined(const QString &account, const QString &uid, const QString &reply,
                               const QString &folder)
{
    // Only collected mail: a copy, notice or alert of ours refused is no news (and an alert
    // about an alert could go round).
    if (!m_store || uid.contains(QLatin1String(" #")))
        return;
    Store::AlertState &s = at(kQuarantine, account);
    if (!mayMail(s))
        return;
    const QDateTime now = m_clock->now();
    if (mail(s, QStringLiteral("1"), m_text->quarantined(account, folder, reply, now))) {
        s.lastAlert = now;
        save(s);
    }
}

void AlertTracker::spoolLimitReached(const QString &account, int leftOnServer, qint64 waitingBytes,
                                     qint64 limitBytes)
{
    if (!m_store)
        return;
    m_lastSpoolLimit = limitBytes;
    const QDateTime now = m_clock->now();
    Store::AlertState &s = at(kSpool, QString());
    const bool begins = !s.active;
    if (begins) {
        s.active = true;
        s.since = now;
        s.sent = 0;
    }
    s.detail = encodeDetail(ErrorCode::None, QString::number(limitBytes));
    if (mayMail(s) &&
        mail(s, QString::number(s.sent + 1),
             m_text->spoolLimit(waitingBytes, limitBytes, account, leftOnServer, now))) {
        ++s.sent;
        s.lastAlert = now;
    } else if (!begins) {
        return; // nothing changed that is worth a write
    }
    save(s);
}

void AlertTracker::checkSpoolRoom()
{
    if (!m_states.contains({kSpool, QString()}))
        return;
    Store::AlertState &s = at(kSpool, QString());
    if (!s.active)
        return;
    qint64 limit = m_lastSpoolLimit;
    if (limit <= 0)
        limit = detailMessage(s.detail).toLongLong();
    if (limit <= 0)
        limit = qint64(m_settings.config.spoolLimitMiB) * 1024 * 1024;
    qint64 waiting = 0;
    if (Result r = m_store->waitingBytes(waiting); !r) {
        qCWarning(lcEngine).noquote() << QStringLiteral("alerts: %1").arg(r.message());
        return;
    }
    if (double(waiting) >= double(limit) * kSpoolRoomShare)
        return;
    if (s.sent > 0)
        mail(s, QStringLiteral("recovered"), m_text->spoolRecovered(s.since, m_clock->now()));
    clear(s);
    save(s);
}

void AlertTracker::deliveryError(const Result &error)
{
    if (!m_store || error.code() == ErrorCode::Cancelled)
        return;
    Store::AlertState &s = at(kOffice, QString());
    const QString encoded = encodeDetail(error.code(), error.message());
    if (s.active && s.detail == encoded)
        return;
    if (!s.active) {
        s.active = true;
        s.since = m_clock->now();
        s.sent = 0;
        qCInfo(lcEngine) << "alerts: office server outage begins";
    }
    s.detail = encoded; // nothing is mailed while it is down
    save(s);
}

void AlertTracker::delivered(const QString &, const QString &)
{
    if (!m_store)
        return;
    if (m_states.contains({kOffice, QString()})) {
        Store::AlertState &s = at(kOffice, QString());
        if (s.active) {
            const QDateTime end = m_clock->now();
            const qint64 least = qint64(m_settings.config.alerts.officeOutageMinutes) * 60 * 1000;
            if (s.since.msecsTo(end) >= least && mayMail(s) &&
                mail(s, QStringLiteral("1"),
                     m_text->officeOutage(s.since, end, detailCode(s.detail),
                                          detailMessage(s.detail))))
                s.lastAlert = end;
            clear(s);
            save(s);
        }
    }
    checkSpoolRoom();
}

bool AlertTracker::sendTest()
{
    if (!m_store)
        return false;
    Store::AlertState s;
    s.condition = QStringLiteral("test");
    s.account = QStringLiteral("");
    s.since = m_clock->now();
    return mail(s, QStringLiteral("1"), m_text->test(s.since));
}

void AlertTracker::evaluate()
{
    if (!m_store)
        return;
    const QDateTime now = m_clock->now();
    for (auto it = m_states.begin(); it != m_states.end(); ++it) {
        Store::AlertState &s = it.value();
        if (!s.active)
            continue;
        if (s.condition == kFailing) {
            const int before = s.sent;
            checkFailing(s);
            if (s.sent != before)
                save(s);
        } else if (s.condition == kSignIn && mayMail(s)) {
            if (mail(s, QString::number(s.sent + 1),
                     m_text->signInNeeded(s.account, s.since, now, detailMessage(s.detail)))) {
                ++s.sent;
                s.lastAlert = now;
                save(s);
            }
        }
    }
    checkSpoolRoom();
}

} // namespace pollux
