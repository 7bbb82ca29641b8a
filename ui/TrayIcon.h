#pragma once

#include "TrayIcons.h"
#include "util/Result.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace pollux::ui {

// The tray icon: its icon and tooltip show the engine's state (idle with the last
// successful pass, polling with progress, error with the account and what went wrong,
// paused); its menu has Poll now, Pause/Resume, Settings..., Activity... and Quit.
// A desktop notification tells when an account starts failing and when it recovers -
// not on every pass. It only shows state; it owns no logic of the engine.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    using State = TrayState;

    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    void show();
    bool isVisible() const;
    State state() const;
    QString toolTip() const;
    QAction *pollNowAction() const { return m_pollNow; }
    QAction *pauseAction() const { return m_pause; }
    QAction *settingsAction() const { return m_settings; }
    QAction *activityAction() const { return m_activity; }
    QAction *quitAction() const { return m_quit; }
    QMenu *menu() const { return m_menu; }
    // Accounts whose last pass failed.
    QStringList failingAccounts() const { return m_failing.keys(); }

public slots:
    void onPassStarted(const QString &account);
    void onPassProgress(const QString &account, int done, int total);
    void onPassFinished(const QString &account, const pollux::Result &result, int collected);
    void onError(const pollux::Result &error);
    void setPaused(bool paused);
    // A pass of an account that no longer exists will not finish: forget it.
    void reset();

signals:
    void pollNowRequested();
    void pauseRequested(bool paused);
    void settingsRequested();
    void activityRequested();
    void quitRequested();
    // Emitted with every desktop notification (also where no tray can show it).
    void notified(const QString &title, const QString &message);

private:
    void update();
    void notify(const QString &title, const QString &message, bool problem);

    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    QAction *m_pollNow;
    QAction *m_pause;
    QAction *m_settings;
    QAction *m_activity;
    QAction *m_quit;
    bool m_paused = false;
    QMap<QString, QString> m_running; // account -> progress text
    QMap<QString, QString> m_failing; // account -> what went wrong
    QString m_globalError;            // delivery or storage trouble
    QDateTime m_lastSuccess;
};

// Runs the tray application until Quit; returns the exit status.
int runTrayApp(const QString &configPath, const QString &keychainService);

} // namespace pollux::ui
