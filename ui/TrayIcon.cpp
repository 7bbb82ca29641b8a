#include "TrayIcon.h"

#include "AccountsModel.h"
#include "ErrorText.h"

#include "control/ControlClient.h"
#include "engine/Engine.h"

#include <QAction>
#include <QApplication>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QTextBoundaryFinder>

namespace pollux::ui {

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent), m_tray(new QSystemTrayIcon(this)), m_menu(new QMenu)
{
    m_pollNow = m_menu->addAction(tr("Poll now"));
    m_pause = m_menu->addAction(tr("Pause"));
    m_menu->addSeparator();
    m_settings = m_menu->addAction(tr("Settings…"));
    m_activity = m_menu->addAction(tr("Activity…"));
    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("Quit"));
    connect(m_pollNow, &QAction::triggered, this, &TrayIcon::pollNowRequested);
    connect(m_pause, &QAction::triggered, this, [this] { emit pauseRequested(!m_paused); });
    connect(m_settings, &QAction::triggered, this, &TrayIcon::settingsRequested);
    connect(m_activity, &QAction::triggered, this, &TrayIcon::activityRequested);
    connect(m_quit, &QAction::triggered, this, &TrayIcon::quitRequested);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                    emit settingsRequested();
            });
    m_tray->setContextMenu(m_menu);
    update();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

void TrayIcon::show()
{
    m_tray->show();
}

bool TrayIcon::isVisible() const
{
    return m_tray->isVisible();
}

TrayIcon::State TrayIcon::state() const
{
    if (m_service == Service::Down)
        return State::Error;
    if (m_paused)
        return State::Paused;
    if (!m_running.isEmpty())
        return State::Polling;
    if (!m_failing.isEmpty() || !m_officeError.isEmpty() || !m_storageError.isEmpty() ||
        !m_otherError.isEmpty() || !m_spoolLimit.isEmpty() || !m_signInNeeded.isEmpty())
        return State::Error;
    return State::Idle;
}

void TrayIcon::watch(Engine *engine)
{
    connect(engine, &Engine::passStarted, this, &TrayIcon::onPassStarted);
    connect(engine, &Engine::passProgress, this, &TrayIcon::onPassProgress);
    connect(engine, &Engine::passFinished, this, &TrayIcon::onPassFinished);
    connect(engine, &Engine::deliveryError, this, &TrayIcon::onDeliveryError);
    connect(engine, &Engine::storageError, this, &TrayIcon::onStorageError);
    connect(engine, &Engine::delivered, this, &TrayIcon::onDelivered);
    connect(engine, &Engine::deferred, this, &TrayIcon::onDeferred);
    connect(engine, &Engine::quarantined, this, &TrayIcon::onQuarantined);
    connect(engine, &Engine::spoolLimitReached, this, &TrayIcon::onSpoolLimitReached);
    connect(engine, &Engine::signInState, this, &TrayIcon::onSignInState);
    connect(engine, &Engine::waitingCounted, this, &TrayIcon::setWaitingCounts);
}

void TrayIcon::watch(control::ControlClient *service)
{
    using control::ControlClient;
    connect(service, &ControlClient::passStarted, this, &TrayIcon::onPassStarted);
    connect(service, &ControlClient::passProgress, this, &TrayIcon::onPassProgress);
    connect(service, &ControlClient::passFinished, this, &TrayIcon::onPassFinished);
    connect(service, &ControlClient::deliveryError, this, &TrayIcon::onDeliveryError);
    connect(service, &ControlClient::storageError, this, &TrayIcon::onStorageError);
    connect(service, &ControlClient::delivered, this, &TrayIcon::onDelivered);
    connect(service, &ControlClient::deferred, this, &TrayIcon::onDeferred);
    connect(service, &ControlClient::quarantined, this, &TrayIcon::onQuarantined);
    connect(service, &ControlClient::spoolLimitReached, this, &TrayIcon::onSpoolLimitReached);
    connect(service, &ControlClient::signInState, this, &TrayIcon::onSignInState);
}

void TrayIcon::setService(Service service)
{
    if (service == m_service)
        return;
    const Service was = m_service;
    m_service = service;
    if (service == Service::Down)
        notify(tr("Pollux service not running"),
               tr("The Pollux service stopped answering. The tray attaches again when it is "
                  "back."),
               true);
    else if (was == Service::Down && service == Service::Attached)
        notify(tr("Pollux service running again"), tr("The tray is attached to it again."), false);
    update();
}

namespace {
// The plain sentence for the code, with the technical detail after it.
QString problemText(const Result &result)
{
    if (result.message().isEmpty())
        return ErrorText::sentence(result);
    return TrayIcon::tr("%1 (%2)").arg(ErrorText::sentence(result), ErrorText::detail(result));
}
} // namespace

void TrayIcon::onPassStarted(const QString &account)
{
    m_running.insert(account, tr("Polling %1").arg(account));
    m_spoolLimit.remove(account); // this pass tells again if the spool is still full
    update();
}

void TrayIcon::onPassProgress(const QString &account, int done, int total)
{
    if (total > 0)
        m_running.insert(account,
                         tr("Polling %1: %2 of %3 messages").arg(account).arg(done).arg(total));
    update();
}

void TrayIcon::onPassFinished(const QString &account, const pollux::Result &result, int)
{
    m_running.remove(account);
    if (!m_spoolLimit.contains(account))
        m_spoolLimitNotified.remove(account);
    if (result.code() == ErrorCode::SignInNeeded) {
        // Told (and notified) as "Sign-in needed", not as a failing pass too.
        m_failing.remove(account);
        m_failingResult.remove(account);
        setSignInNeeded(account, true, result.message());
    } else if (!result.ok()) {
        const bool wasFailing = m_failing.contains(account);
        m_failing.insert(account, problemText(result));
        m_failingResult.insert(account, result);
        if (!wasFailing)
            notify(tr("Pollux cannot collect mail from %1").arg(account),
                   ErrorText::describe(result), true);
    } else {
        setSignInNeeded(account, false, {});
        m_lastSuccess = QDateTime::currentDateTime();
        m_otherError.clear();
        m_storageError.clear(); // the pass wrote the store
        m_failingResult.remove(account);
        if (m_failing.remove(account) > 0)
            notify(tr("%1 works again").arg(account),
                   tr("Pollux collects mail from %1 again.").arg(account), false);
    }
    update();
}

void TrayIcon::onDeliveryError(const pollux::Result &error)
{
    const bool wasFailing = !m_officeError.isEmpty();
    m_officeError = problemText(error);
    m_officeCode = error.code();
    if (!wasFailing) {
        m_officeSince = QDateTime::currentDateTime();
        notify(tr("Pollux cannot deliver mail to the office server"), ErrorText::describe(error),
               true);
    }
    update();
}

void TrayIcon::onStorageError(const pollux::Result &error)
{
    const bool wasFailing = !m_storageError.isEmpty();
    m_storageError = problemText(error);
    if (!wasFailing)
        notify(tr("Pollux cannot store mail on this computer"), ErrorText::describe(error), true);
    update();
}

void TrayIcon::onDelivered(const QString &account, const QString &uid, const QString &)
{
    const MessageKey key(account, uid);
    if (!m_seeded)
        m_deliveredSinceStart.insert(key);
    if (!m_refused.contains(key))
        countOneLess(account); // a refused message retried was not counted as waiting
    m_waiting.remove(key);
    m_refused.remove(key);  // a refused message retried from the activity window
    m_storageError.clear(); // the delivery wrote the store
    if (!m_officeError.isEmpty()) {
        m_officeError.clear();
        m_officeSince = QDateTime();
        notify(tr("The office server works again"),
               tr("Mail is delivered to the office server again."), false);
    }
    update();
}

void TrayIcon::onDeferred(const QString &account, const QString &uid, const QString &reply)
{
    const MessageKey key(account, uid);
    m_refused.remove(key);
    m_waiting.insert(key);
    m_lastDeferReply = reply;
    update();
}

void TrayIcon::onQuarantined(const QString &account, const QString &uid, const QString &reply)
{
    const MessageKey key(account, uid);
    if (!m_seeded)
        m_quarantinedSinceStart.insert(key);
    if (!m_refused.contains(key))
        countOneLess(account);
    m_waiting.remove(key);
    m_refused.insert(key);
    notify(
        tr("The office server refused a message from %1").arg(account),
        tr("It answered: %1\nThe message is kept; see Activity to retry or discard it.").arg(reply),
        true);
    update();
}

void TrayIcon::onSpoolLimitReached(const QString &account, int leftOnServer, qint64,
                                   qint64 limitBytes)
{
    m_spoolLimit.insert(account, SpoolLimit{leftOnServer, limitBytes});
    if (!m_spoolLimitNotified.contains(account)) {
        m_spoolLimitNotified.insert(account);
        notify(tr("The spool of Pollux is full"),
               tr("New mail of %1 stays on its server until the office server takes the "
                  "waiting mail.")
                   .arg(account),
               true);
    }
    update();
}

void TrayIcon::onSignInState(const QString &account, bool needed, const QDateTime &refreshExpiresAt,
                             const QString &detail)
{
    if (refreshExpiresAt.isValid())
        m_signInExpiry.insert(account, refreshExpiresAt);
    else
        m_signInExpiry.remove(account);
    setSignInNeeded(account, needed, detail);
    update();
}

void TrayIcon::setSignInNeeded(const QString &account, bool needed, const QString &detail)
{
    const bool was = m_signInNeeded.contains(account);
    if (needed) {
        m_signInNeeded.insert(account, detail);
        if (!was)
            notify(tr("Sign-in needed for %1").arg(account),
                   tr("The provider no longer accepts the sign-in of %1. Choose “Sign in "
                      "again” in the Pollux menu; its mail stays on the server until then. "
                      "The other accounts go on as before.")
                       .arg(account),
                   true);
    } else if (was) {
        m_signInNeeded.remove(account);
        notify(tr("%1 is signed in again").arg(account),
               tr("Pollux collects mail from %1 again.").arg(account), false);
    }
    if (was != needed)
        updateSignInActions();
}

void TrayIcon::updateSignInActions()
{
    qDeleteAll(m_signInActions);
    m_signInActions.clear();
    for (const QString &account : m_signInNeeded.keys()) {
        auto *action = new QAction(tr("Sign in again: %1").arg(account), m_menu);
        connect(action, &QAction::triggered, this,
                [this, account] { emit signInRequested(account); });
        m_menu->insertAction(m_settings, action);
        m_signInActions << action;
    }
}

void TrayIcon::onError(const pollux::Result &error)
{
    m_otherError = problemText(error);
    update();
}

void TrayIcon::setPaused(bool paused)
{
    m_paused = paused;
    if (paused)
        m_running.clear();
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    update();
}

void TrayIcon::reset()
{
    m_running.clear();
    m_failing.clear();
    m_failingResult.clear();
    m_officeError.clear();
    m_officeSince = QDateTime();
    m_countsKnown = false;
    m_waitingCounts.clear();
    m_storageError.clear();
    m_otherError.clear();
    m_spoolLimit.clear();
    m_spoolLimitNotified.clear();
    m_waiting.clear();
    m_lastDeferReply.clear();
    m_refused.clear();
    m_signInNeeded.clear();
    m_signInExpiry.clear();
    updateSignInActions();
    update();
}

void TrayIcon::seedBacklog(const QList<QPair<QString, QString>> &deferred,
                           const QList<QPair<QString, QString>> &refused)
{
    if (m_seeded)
        return;
    m_seeded = true;
    for (const MessageKey &key : deferred)
        if (!m_deliveredSinceStart.contains(key) && !m_quarantinedSinceStart.contains(key))
            m_waiting.insert(key);
    for (const MessageKey &key : refused)
        if (!m_deliveredSinceStart.contains(key) && !m_waiting.contains(key))
            m_refused.insert(key);
    m_deliveredSinceStart.clear();
    m_quarantinedSinceStart.clear();
    update();
}

void TrayIcon::restarted(const QStringList &accounts)
{
    m_running.clear();
    m_otherError.clear(); // the start itself reports again if it fails
    for (const QString &account : m_failing.keys())
        if (!accounts.contains(account))
            m_failing.remove(account);
    for (const QString &account : m_failingResult.keys())
        if (!accounts.contains(account))
            m_failingResult.remove(account);
    for (const QString &account : m_spoolLimit.keys())
        if (!accounts.contains(account))
            m_spoolLimit.remove(account);
    bool signInChanged = false;
    for (const QString &account : m_signInNeeded.keys())
        if (!accounts.contains(account))
            signInChanged = m_signInNeeded.remove(account) > 0 || signInChanged;
    for (const QString &account : m_signInExpiry.keys())
        if (!accounts.contains(account))
            m_signInExpiry.remove(account);
    if (signInChanged)
        updateSignInActions();
    update();
}

void TrayIcon::replaceBacklog(const QList<QPair<QString, QString>> &deferred,
                              const QList<QPair<QString, QString>> &refused)
{
    m_seeded = true;
    m_deliveredSinceStart.clear();
    m_quarantinedSinceStart.clear();
    m_waiting = QSet<MessageKey>(deferred.cbegin(), deferred.cend());
    m_refused = QSet<MessageKey>(refused.cbegin(), refused.cend());
    update();
}

QStringList TrayIcon::problems() const
{
    QStringList lines;
    if (m_service == Service::Down)
        lines << tr("Pollux: service not running (waiting for it to start again)");
    for (auto it = m_failing.cbegin(); it != m_failing.cend(); ++it)
        lines << tr("Pollux: error: %1").arg(tr("%1: %2").arg(it.key(), it.value()));
    if (!m_officeError.isEmpty())
        lines << tr("Pollux: error: mail cannot be delivered to the office server: %1")
                     .arg(m_officeError);
    if (!m_storageError.isEmpty())
        lines << tr("Pollux: error: %1").arg(m_storageError);
    for (auto it = m_spoolLimit.cbegin(); it != m_spoolLimit.cend(); ++it) {
        const qint64 mib = it.value().limitBytes / (1024 * 1024);
        lines << tr("Pollux: error: the spool limit (%1 MiB) is reached: %n new message(s) stay "
                    "on the server of %2 until the office server takes the waiting mail",
                    "", it.value().leftOnServer)
                     .arg(QLocale().toString(mib), it.key());
    }
    for (auto it = m_signInNeeded.cbegin(); it != m_signInNeeded.cend(); ++it)
        lines
            << tr("Pollux: sign-in needed: %1 (choose “Sign in again” in the menu)").arg(it.key());
    if (!m_otherError.isEmpty())
        lines << tr("Pollux: error: %1").arg(m_otherError);
    return lines;
}

QStringList TrayIcon::notes() const
{
    QStringList lines;
    const int waiting = waitingCount();
    if (waiting > 0)
        lines << (m_lastDeferReply.isEmpty()
                      ? tr("%n message(s) wait for the office server", "", waiting)
                      : tr("%n message(s) wait for the office server (last answer: %1)", "",
                           waiting)
                            .arg(m_lastDeferReply));
    const int refused = int(m_refused.size());
    if (refused > 0)
        lines << tr("%n message(s) refused by the office server; see Activity", "", refused);
    const QDateTime soon = QDateTime::currentDateTimeUtc().addDays(14);
    for (auto it = m_signInExpiry.cbegin(); it != m_signInExpiry.cend(); ++it) {
        if (!m_signInNeeded.contains(it.key()) && it.value() <= soon)
            lines << tr("The sign-in of %1 expires on %2: sign in again before then")
                         .arg(it.key(), QLocale().toString(it.value().toLocalTime().date(),
                                                           QLocale::ShortFormat));
    }
    return lines;
}

void TrayIcon::notify(const QString &title, const QString &message, bool problem)
{
    if (m_tray->isVisible() && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(title, message,
                            problem ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
    emit notified(title, message);
}

QString TrayIcon::stateLine() const
{
    switch (state()) {
    case State::Paused:
        return tr("Pollux: paused");
    case State::Idle:
        return m_lastSuccess.isValid()
                   ? tr("Pollux: idle, last pass at %1")
                         .arg(m_lastSuccess.date() == QDate::currentDate()
                                  ? QLocale().toString(m_lastSuccess.time(), QLocale::ShortFormat)
                                  : QLocale().toString(m_lastSuccess, QLocale::ShortFormat))
                   : tr("Pollux: idle");
    case State::Polling: {
        QStringList lines;
        for (const QString &progress : std::as_const(m_running))
            lines << tr("Pollux: %1").arg(progress);
        return lines.join(QLatin1Char('\n'));
    }
    case State::Error:
        break;
    }
    return {};
}

QString TrayIcon::details() const
{
    QStringList lines;
    if (const QString first = stateLine(); !first.isEmpty())
        lines << first;
    lines << problems() << notes();
    if (m_service == Service::Attached)
        lines << tr("Attached to the Pollux service");
    return lines.join(QLatin1Char('\n'));
}

// The engine's count, but never fewer than the messages known to wait after a 4xx (a
// deferral since the last count).
int TrayIcon::waitingCount() const
{
    QSet<QString> accounts;
    for (const MessageKey &key : m_waiting)
        accounts.insert(key.first);
    for (auto it = m_waitingCounts.cbegin(); it != m_waitingCounts.cend(); ++it)
        accounts.insert(it.key());
    int n = 0;
    for (const QString &account : std::as_const(accounts))
        n += waitingCount(account);
    return n;
}

int TrayIcon::waitingCount(const QString &account) const
{
    int deferred = 0;
    for (const MessageKey &key : m_waiting)
        deferred += key.first == account ? 1 : 0;
    return m_countsKnown ? qMax(deferred, m_waitingCounts.value(account)) : deferred;
}

void TrayIcon::countOneLess(const QString &account)
{
    auto it = m_waitingCounts.find(account);
    if (it != m_waitingCounts.end() && --it.value() <= 0)
        m_waitingCounts.erase(it);
}

void TrayIcon::setWaitingCounts(const QMap<QString, int> &waitingByAccount)
{
    m_countsKnown = true;
    m_waitingCounts.clear();
    for (auto it = waitingByAccount.cbegin(); it != waitingByAccount.cend(); ++it)
        if (it.value() > 0)
            m_waitingCounts.insert(it.key(), it.value());
    update();
}

void TrayIcon::setConfig(const Config &config)
{
    m_configKnown = true;
    m_mailboxes = 0;
    for (const AccountConfig &a : config.accounts)
        m_mailboxes += a.enabled ? 1 : 0;
    m_setUp = !config.smtp.host.trimmed().isEmpty() && !config.accounts.isEmpty();
    update();
}

void TrayIcon::setOfficeServerFailingSince(const QDateTime &since)
{
    if (m_officeError.isEmpty())
        return;
    m_officeSince = since;
    update();
}

bool TrayIcon::officeServerUnreachable() const
{
    switch (m_officeCode) {
    case ErrorCode::HostNotFound:
    case ErrorCode::ConnectionRefused:
    case ErrorCode::Network:
    case ErrorCode::Timeout:
        return true;
    default:
        return false;
    }
}

namespace {
// A name shortened to at most `max` characters, never inside a character.
QString shortName(const QString &name, int max = 40)
{
    if (name.size() <= max)
        return name;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, name);
    finder.setPosition(max - 1);
    if (!finder.isAtBoundary())
        finder.toPreviousBoundary();
    return name.left(qMax<qsizetype>(0, finder.position())) + QChar(0x2026);
}

QString timeText(const QDateTime &when)
{
    return when.date() == QDate::currentDate()
               ? QLocale().toString(when.time(), QLocale::ShortFormat)
               : QLocale().toString(when, QLocale::ShortFormat);
}
} // namespace

// The mailboxes with a problem, grouped by their short state, most urgent first.
QString TrayIcon::problemSummary() const
{
    using AS = AccountsModel::State;
    QMap<QString, QString> signIn = m_signInNeeded;
    QList<QPair<AS, QStringList>> groups;
    const auto add = [&groups](AS state, const QString &account) {
        for (auto &g : groups) {
            if (g.first == state) {
                g.second << account;
                return;
            }
        }
        groups.append({state, QStringList{account}});
    };
    for (auto it = signIn.cbegin(); it != signIn.cend(); ++it)
        add(AS::SignInNeeded, it.key());
    for (auto it = m_failingResult.cbegin(); it != m_failingResult.cend(); ++it)
        add(AccountsModel::stateFor(it.value()), it.key());
    std::stable_sort(groups.begin(), groups.end(),
                     [](const auto &a, const auto &b) { return int(a.first) < int(b.first); });
    QStringList parts;
    for (const auto &[state, accounts] : std::as_const(groups)) {
        const QString what = AccountsModel::stateText(state);
        parts << (accounts.size() == 1
                      ? tr("%1: %2").arg(what, shortName(accounts.first(), 50))
                      : tr("%1: %n mailboxes", "", int(accounts.size())).arg(what));
    }
    return parts.join(QStringLiteral("; "));
}

QString TrayIcon::summary() const
{
    QString line;
    const int waiting = waitingCount();
    if (m_service == Service::Down) {
        line = tr("Pollux service not running");
    } else if (m_configKnown && !m_setUp) {
        line = tr("Not set up yet");
    } else if (m_configKnown && m_mailboxes == 0) {
        line = tr("No mailbox is enabled");
    } else if (m_paused) {
        line = waiting > 0 ? tr("Paused — %n message(s) waiting", "", waiting) : tr("Paused");
    } else if (!m_storageError.isEmpty()) {
        line = tr("Cannot store mail on this computer");
    } else if (!m_officeError.isEmpty()) {
        const QString since = m_officeSince.isValid() ? timeText(m_officeSince) : QString();
        const QString office =
            officeServerUnreachable()
                ? (since.isEmpty() ? tr("office server unreachable")
                                   : tr("office server unreachable since %1").arg(since))
                : (since.isEmpty() ? tr("office server not accepting mail")
                                   : tr("office server not accepting mail since %1").arg(since));
        line = waiting > 0 ? tr("%n message(s) waiting: %1", "", waiting).arg(office)
                           : tr("Office server: %1").arg(office);
    } else if (!m_otherError.isEmpty()) {
        line = m_otherError;
    } else if (const QString problems = problemSummary(); !problems.isEmpty()) {
        line = problems;
    } else if (!m_spoolLimit.isEmpty()) {
        line = tr("Spool full: new mail stays on the servers");
    } else if (!m_refused.isEmpty()) {
        line = tr("%n message(s) refused by the office server; see Activity", "",
                  int(m_refused.size()));
    } else if (!m_running.isEmpty()) {
        line = m_running.size() == 1 ? m_running.first()
                                     : tr("Polling %n mailboxes", "", int(m_running.size()));
    } else {
        QString ok;
        if (!m_configKnown)
            ok = tr("Idle");
        else
            ok = tr("All %n mailbox(es) OK", "", m_mailboxes);
        if (m_lastSuccess.isValid())
            ok = tr("%1 — last pass %2").arg(ok, timeText(m_lastSuccess));
        if (waiting > 0)
            ok = tr("%1 — %n message(s) waiting", "", waiting).arg(ok);
        line = ok;
    }
    return tr("Pollux: %1").arg(line);
}

QString TrayIcon::toolTip() const
{
    return m_tray->toolTip();
}

void TrayIcon::update()
{
    const State s = state();
    m_tray->setIcon(trayStateIcon(s));
    QString tip = summary();
    if (tip.size() > kMaxToolTipLength) {
        QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, tip);
        finder.setPosition(kMaxToolTipLength - 1);
        if (!finder.isAtBoundary())
            finder.toPreviousBoundary();
        tip = tip.left(qMax<qsizetype>(0, finder.position())) + QChar(0x2026);
    }
    m_tray->setToolTip(tip);
    m_pollNow->setEnabled(!m_paused && m_service != Service::Down);
    m_pause->setEnabled(m_service != Service::Down);
    emit changed();
}

} // namespace pollux::ui
