#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

namespace pollux::ui {

// One running instance per user: the first listens on a local socket, a later launch
// connects, asks it to come to the front, and exits.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    // `name`: the per-user socket name, e.g. defaultName(service).
    explicit SingleInstance(const QString &name, QObject *parent = nullptr);
    ~SingleInstance() override;

    static QString defaultName(const QString &keychainService);

    // True: this is the first instance (now listening). False: another instance was told
    // to come to the front; this one should exit. Waits at most a second on the local
    // socket, and only at start-up, before any window exists.
    bool claim();

signals:
    void activationRequested();

private:
    QString m_name;
    QLocalServer *m_server = nullptr;
};

} // namespace pollux::ui
