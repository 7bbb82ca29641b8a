#include "TrayIcon.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QStyle>
#include <QSystemTrayIcon>

namespace pollux::ui {

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent), m_tray(new QSystemTrayIcon(this)), m_menu(new QMenu)
{
    m_pollNow = m_menu->addAction(tr("Poll now"));
    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("Quit"));
    connect(m_pollNow, &QAction::triggered, this, &TrayIcon::pollNowRequested);
    connect(m_quit, &QAction::triggered, this, &TrayIcon::quitRequested);
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

QString TrayIcon::toolTip() const
{
    return m_tray->toolTip();
}

void TrayIcon::onPassStarted(const QString &account)
{
    ++m_running;
    m_state = State::Polling;
    m_detail = tr("Polling %1").arg(account);
    update();
}

void TrayIcon::onPassProgress(const QString &account, int done, int total)
{
    if (total > 0)
        m_detail = tr("Polling %1: %2 of %3 messages").arg(account).arg(done).arg(total);
    update();
}

void TrayIcon::onPassFinished(const QString &account, const pollux::Result &result, int)
{
    m_running = qMax(0, m_running - 1);
    if (!result.ok()) {
        m_state = State::Error;
        m_detail = tr("%1: %2").arg(account, result.message());
    } else if (m_state != State::Error || m_running == 0) {
        m_lastSuccess = QDateTime::currentDateTime();
        m_state = m_running > 0 ? State::Polling : State::Idle;
        if (m_state == State::Idle)
            m_detail.clear();
    }
    update();
}

void TrayIcon::onError(const pollux::Result &error)
{
    m_state = State::Error;
    m_detail = error.message();
    update();
}

void TrayIcon::update()
{
    QStyle *style = QApplication::style();
    switch (m_state) {
    case State::Idle:
        m_tray->setIcon(style->standardIcon(QStyle::SP_DialogApplyButton));
        m_tray->setToolTip(
            m_lastSuccess.isValid()
                ? tr("Pollux: idle, last pass at %1")
                      .arg(QLocale().toString(m_lastSuccess.time(), QLocale::ShortFormat))
                : tr("Pollux: idle"));
        break;
    case State::Polling:
        m_tray->setIcon(style->standardIcon(QStyle::SP_BrowserReload));
        m_tray->setToolTip(tr("Pollux: %1").arg(m_detail));
        break;
    case State::Error:
        m_tray->setIcon(style->standardIcon(QStyle::SP_MessageBoxWarning));
        m_tray->setToolTip(tr("Pollux: error: %1").arg(m_detail));
        break;
    }
}

} // namespace pollux::ui
