#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

// The control socket's protocol (docs/SERVICE.md, "The control socket"): one JSON object
// per line, UTF-8, at most kMaxLineBytes. Pure functions over bytes: nothing here sees a
// socket.
namespace pollux::control {

constexpr int kProtocolVersion = 1;
constexpr qsizetype kMaxLineBytes = 4 * 1024 * 1024; // a configuration fits many times
constexpr int kMaxActivityLines = 50;
constexpr int kMaxBacklogEntries = 1000; // waiting / refused messages in a snapshot

// Why a line was not accepted (sent back as the error reply's "code").
enum class ParseError
{
    None,
    TooLong, // the line exceeds kMaxLineBytes
    NotJson, // not a JSON object
    NoType,  // no string "type"
};
QString parseErrorName(ParseError e);

// Splits a byte stream into lines, never holding more than kMaxLineBytes (+ one chunk) of
// an unfinished line. After TooLong the reader is spent: the connection is to be closed.
class LineReader
{
public:
    explicit LineReader(qsizetype maxLine = kMaxLineBytes) : m_max(maxLine) {}
    void feed(const QByteArray &bytes);
    // The next complete line (without "\n", a trailing "\r" removed); false when none.
    bool next(QByteArray &line);
    bool overflowed() const { return m_overflow; }

private:
    qsizetype m_max;
    QByteArray m_buffer;
    bool m_overflow = false;
};

// Parses one line into an object with a string "type".
ParseError parseMessage(const QByteArray &line, QJsonObject &out);
// One line to send (compact JSON + "\n").
QByteArray encode(const QJsonObject &message);

QJsonObject resultToJson(const Result &r);
Result resultFromJson(const QJsonObject &o); // unknown codes become ErrorCode::Protocol

// What the service is doing, as sent in "snapshot".
struct AccountState
{
    QString name;
    QString state = QStringLiteral("idle"); // idle | polling | error
    QDateTime lastPass;                     // invalid: none since the service started
    ErrorCode code = ErrorCode::None;       // of the last pass
    QString errorText;                      // its English message
    QString serverSaid;                     // the server's own words, if any
    QString serverHost;
    quint16 serverPort = 0;
    int collected = 0;
    int done = 0; // polling: progress
    int total = 0;
    QDateTime lastSuccess; // the last pass that succeeded; invalid: none since the service started
    QDateTime nextPass;    // the next scheduled pass; invalid: none scheduled

    // The last pass's outcome as one Result, and back (all the fields above it).
    Result result() const;
    void setResult(const Result &r);
};

struct Snapshot
{
    bool paused = false;
    bool running = false;
    QList<AccountState> accounts;
    QString officeState = QStringLiteral("ok"); // ok | failing
    QString officeError;
    ErrorCode officeCode = ErrorCode::None; // failing: of the last error
    QDateTime officeSince;                  // failing: since when (invalid: not known)
    QString storageError;
    QList<QPair<QString, QString>> waiting; // account, uid: deferred after a 4xx
    QList<QPair<QString, QString>> refused; // account, uid: quarantined
    // Every message waiting for the office server, tried or not yet, per account
    // (Engine::waitingCounted); absent: none. waitingKnown: the service has counted them.
    QMap<QString, int> waitingByAccount;
    bool waitingKnown = false;
    QStringList activity; // newest last

    QJsonObject toJson() const;
    static Snapshot fromJson(const QJsonObject &o); // tolerant: bad fields take defaults
};

} // namespace pollux::control
