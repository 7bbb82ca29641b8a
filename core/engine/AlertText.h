#pragma once

#include "util/Result.h"

#include <QDateTime>
#include <QString>

#include <memory>

class QTranslator;

namespace pollux {

// The words of the alert mails, in the configured language: Config::language ("en", "de";
// empty: the system's), from the program's catalogue (":/i18n/pollux_<lang>.qm", built
// from translations/*.ts; the context is "pollux::AlertText"). Without a catalogue for
// the language, English. The server's own words are never part of a translated sentence:
// they follow on their own line, "The server said: ...".
class AlertText
{
public:
    explicit AlertText(const QString &language);
    ~AlertText();
    AlertText(const AlertText &) = delete;
    AlertText &operator=(const AlertText &) = delete;

    QString language() const { return m_language; } // "en" or "de" (what the texts are in)

    struct Text
    {
        QString subject;
        QString body;
    };
    // now: for "since 09:40" (the date is shown when it is another day than `now`).
    Text mailboxFailing(const QString &account, const QDateTime &since, const QDateTime &now,
                        ErrorCode code, const QString &detail) const;
    Text mailboxRecovered(const QString &account, const QDateTime &since,
                          const QDateTime &now) const;
    Text signInNeeded(const QString &account, const QDateTime &since, const QDateTime &now,
                      const QString &detail) const;
    Text signInRecovered(const QString &account, const QDateTime &now) const;
    Text quarantined(const QString &account, const QString &folder, const QString &reply,
                     const QDateTime &now) const;
    Text spoolLimit(qint64 waitingBytes, qint64 limitBytes, const QString &account,
                    int leftOnServer, const QDateTime &now) const;
    Text spoolRecovered(const QDateTime &since, const QDateTime &now) const;
    Text officeOutage(const QDateTime &start, const QDateTime &end, ErrorCode code,
                      const QString &detail) const;

    Text test(const QDateTime &now) const; // "Send a test alert" on the General page

    // One sentence for an error code ("The server refused the connection.").
    QString sentence(ErrorCode code) const;
    // "09:40", or "1 Dec 09:40" / "1. Dez. 09:40" on another day than `now`.
    QString shortTime(const QDateTime &t, const QDateTime &now) const;
    QString longTime(const QDateTime &t) const; // date and time in full

private:
    QString tx(const char *source, int n = -1) const; // not "tr": lupdate reads the NOOPs
    QString evidence(ErrorCode code, const QString &detail) const;
    QString footer() const;

    QString m_language;
    std::unique_ptr<QTranslator> m_translator; // null: English
};

} // namespace pollux
