#pragma once

#include "store/ActivityQueries.h"
#include "store/Spool.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

class QThread;

namespace pollux::ui {

struct ActivityMessage
{
    MessageRecord record;
    // As recorded at collection (schema 9); for a message recorded before, from the spool
    // file's header while it is waiting or refused. Empty when neither is known.
    QString from;
    QString subject;
};

struct QuarantineEntry
{
    QuarantineFolder folder = QuarantineFolder::BadMail;
    qint64 messageId = 0; // the store's id of the refused message; 0: not in the store
    QString absolutePath; // the file
    qint64 size = 0;
    QDateTime modified;
    QString from;
    QString subject;
};

struct ActivitySnapshot
{
    Result result; // a failed query; what could be read is still filled in
    QList<PassRecord> passes;
    QList<ActivityMessage> messages;
    QList<QuarantineEntry> quarantine;
    // (account, uid) of every message waiting after a 4xx, and of every refused one.
    QList<ActivityQueries::MessageKey> deferredKeys;
    QList<ActivityQueries::MessageKey> refusedKeys;
    // Collected, delivered and refused per local day, the last kHistoryDays days to today.
    ActivityHistory history;
};

// Reads the activity (passes, recent messages with their From and Subject, the quarantine
// folders, the history of the last days) in its own thread, so the GUI never waits on the database
// or the disk. Requests made while one runs are folded into one more.
class ActivityLoader : public QObject
{
    Q_OBJECT
public:
    explicit ActivityLoader(QObject *parent = nullptr);
    ~ActivityLoader() override;

    void setLocation(const QString &databasePath, const QString &spoolDir);
    void setLimits(int passes, int messages);
    void refresh();
    bool isBusy() const { return m_busy; }

signals:
    void loaded(const pollux::ui::ActivitySnapshot &snapshot);

private:
    void onDone(const ActivitySnapshot &snapshot);

    QThread *m_thread;
    QObject *m_worker;
    QString m_db;
    QString m_spool;
    int m_passLimit = 200;
    int m_messageLimit = 500;
    bool m_busy = false;
    bool m_again = false;
};

// "=?utf-8?q?Gr=C3=BC=C3=9Fe?=" -> "Grüße"; anything else is kept as it is.
QString decodeHeaderText(const QByteArray &value);

} // namespace pollux::ui

Q_DECLARE_METATYPE(pollux::ui::ActivitySnapshot)
