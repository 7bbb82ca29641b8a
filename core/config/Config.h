#pragma once

#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pollux {

// The four server types of the documented account dialog.
enum class ServerType { Pop3, Pop3Ssl, Imap, ImapSsl };
// Type of mailbox / distribution.
enum class MailboxType { SingleUser, CatchAll, CatchAllReroute };
// Delete / keep email on the server.
enum class Retention { Delete, Keep, KeepDays };

quint16 defaultPort(ServerType type);
bool isImap(ServerType type);
bool isImplicitTls(ServerType type);

struct AccountConfig
{
    QString name; // unique, also the keychain key ("account/<name>")
    bool enabled = true;
    ServerType type = ServerType::Pop3;
    QString host;
    quint16 port = 110;
    QString username;
    int timeoutSecs = 180;
    MailboxType mailbox = MailboxType::SingleUser;
    QString recipient; // single-user mailbox: where all mail goes
    Retention retention = Retention::Delete;
    int keepDays = 7;
    bool allowApop = true;
};

// The office mail server that receives what we collect.
struct SmtpConfig
{
    QString host;
    quint16 port = 25;
    bool startTls = false; // when set, STARTTLS is required, never silently skipped
    QString username;      // empty: no AUTH; password in the keychain ("smtp")
    QString heloName;      // empty: the local host name
    int timeoutSecs = 60;
    int retryIntervalSecs = 300;
};

struct Config
{
    QList<AccountConfig> accounts;
    SmtpConfig smtp;
    QString postmaster;
    QStringList acceptedDomains;
    int pollIntervalSecs = 300; // minimum 60
    int maxPerPass = 200;
    QString dataDir;  // spool + database; empty: the platform's app data location
    QString caFile;   // extra trusted CA certificates (PEM), for a private CA; empty: none
    QString logFile;  // empty: the data dir's pollux.log

    const AccountConfig *account(const QString &name) const;

    // Every problem names the field, e.g. "accounts[2].port: must be 1-65535".
    Result validate() const;

    static Result load(const QString &path, Config &out);
    Result save(const QString &path) const; // atomic (QSaveFile)
};

} // namespace pollux
