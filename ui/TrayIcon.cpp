#include "TrayIcon.h"

#include "ErrorText.h"

#include <QAction>
#include <QApplication>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>

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
    if (m_paused)
        return State::Paused;
    if (!m_running.isEmpty())
        return State::Polling;
    if (!m_failing.isEmpty() || !m_globalError.isEmpty())
        return State::Error;
    return State::Idle;
}

QString TrayIcon::toolTip() const
{
    return m_tray->toolTip();
}

void TrayIcon::onPassStarted(const QString &account)
{
    m_running.insert(account, tr("Polling %1").arg(account));
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
    if (!result.ok()) {
        const bool wasFailing = m_failing.contains(account);
        m_failing.insert(account, result.message().isEmpty() ? ErrorText::sentence(result)
                                                             : result.message());
        if (!wasFailing)
            notify(tr("Pollux cannot collect mail from %1").arg(account),
                   ErrorText::describe(result), true);
    } else {
        m_lastSuccess = QDateTime::currentDateTime();
        m_globalError.clear();
        if (m_failing.remove(account) > 0)
            notify(tr("%1 works again").arg(account),
                   tr("Pollux collects mail from %1 again.").arg(account), false);
    }
    update();
}

void TrayIcon::onError(const pollux::Result &error)
{
    m_globalError = error.message().isEmpty() ? ErrorText::sentence(error) : error.message();
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
    m_globalError.clear();
    update();
}

void TrayIcon::notify(const QString &title, const QString &message, bool problem)
{
    if (m_tray->isVisible() && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(title, message,
                            problem ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
    emit notified(title, message);
}

void TrayIcon::update()
{
    const State s = state();
    m_tray->setIcon(trayStateIcon(s));
    QStringList lines;
    switch (s) {
    case State::Paused:
        lines << tr("Pollux: paused");
        break;
    case State::Idle:
        lines << (m_lastSuccess.isValid()
                      ? tr("Pollux: idle, last pass at %1")
                            .arg(
                                m_lastSuccess.date() == QDate::currentDate()
                                    ? QLocale().toString(m_lastSuccess.time(), QLocale::ShortFormat)
                                    : QLocale().toString(m_lastSuccess, QLocale::ShortFormat))
                      : tr("Pollux: idle"));
        break;
    case State::Polling:
        for (const QString &progress : std::as_const(m_running))
            lines << tr("Pollux: %1").arg(progress);
        break;
    case State::Error:
        break;
    }
    for (auto it = m_failing.cbegin(); it != m_failing.cend(); ++it)
        lines << tr("Pollux: error: %1").arg(tr("%1: %2").arg(it.key(), it.value()));
    if (!m_globalError.isEmpty())
        lines << tr("Pollux: error: %1").arg(m_globalError);
    m_tray->setToolTip(lines.join(QLatin1Char('\n')));
    m_pollNow->setEnabled(!m_paused);
}

} // namespace pollux::ui
