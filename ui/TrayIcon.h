#pragma once

#include "util/Result.h"

#include <QDateTime>
#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace pollux::ui {

// The tray icon: its icon and tooltip show the engine's state; its menu has Poll now and
// Quit. It only shows state; it owns no logic of the engine.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Idle,
        Polling,
        Error
    };

    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    void show();
    State state() const { return m_state; }
    QString toolTip() const;
    QAction *pollNowAction() const { return m_pollNow; }
    QAction *quitAction() const { return m_quit; }

public slots:
    void onPassStarted(const QString &account);
    void onPassProgress(const QString &account, int done, int total);
    void onPassFinished(const QString &account, const pollux::Result &result, int collected);
    void onError(const pollux::Result &error);

signals:
    void pollNowRequested();
    void quitRequested();

private:
    void update();

    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    QAction *m_pollNow;
    QAction *m_quit;
    State m_state = State::Idle;
    QString m_detail;
    QDateTime m_lastSuccess;
    int m_running = 0;
};

// Runs the tray application until Quit; returns the exit status.
int runTrayApp(const QString &configPath, const QString &keychainService);

} // namespace pollux::ui
