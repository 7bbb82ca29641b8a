#include "AlertText.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace pollux {

namespace {
constexpr const char *kContext = "pollux::AlertText";
} // namespace

AlertText::AlertText(const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    m_language = locale.language() == QLocale::German ? QStringLiteral("de") : QStringLiteral("en");
    if (m_language != QLatin1String("en")) {
        auto translator = std::make_unique<QTranslator>();
        if (translator->load(QStringLiteral("pollux_") + m_language, QStringLiteral(":/i18n")))
            m_translator = std::move(translator);
    }
}

AlertText::~AlertText() = default;

QString AlertText::tx(const char *source, int n) const
{
    QString out;
    if (m_translator)
        out = m_translator->translate(kContext, source, nullptr, n);
    if (out.isEmpty())
        out = QString::fromUtf8(source);
    if (n >= 0)
        out.replace(QStringLiteral("%n"), QString::number(n));
    return out;
}

QString AlertText::shortTime(const QDateTime &t, const QDateTime &now) const
{
    const QLocale locale(m_language);
    const QDateTime local = t.toLocalTime();
    const QString time = locale.toString(local.time(), QStringLiteral("HH:mm"));
    if (local.date() == now.toLocalTime().date())
        return time;
    const QString day = m_language == QLatin1String("de")
                            ? locale.toString(local.date(), QStringLiteral("d. MMM"))
                            : locale.toString(local.date(), QStringLiteral("d MMM"));
    return day + QLatin1Char(' ') + time;
}

QString AlertText::longTime(const QDateTime &t) const
{
    const QLocale locale(m_language);
    const QDateTime local = t.toLocalTime();
    return locale.toString(local.date(), QLocale::LongFormat) + QLatin1Char(' ') +
           locale.toString(local.time(), QStringLiteral("HH:mm"));
}

QString AlertText::sentence(ErrorCode code) const
{
    switch (code) {
    case ErrorCode::None:
        return {};
    case ErrorCode::HostNotFound:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The server's name could not be found."));
    case ErrorCode::ConnectionRefused:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The server refused the connection."));
    case ErrorCode::Network:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The network connection failed."));
    case ErrorCode::Timeout:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The server did not answer in time."));
    case ErrorCode::Tls:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                    "The secure connection (TLS) could not be established."));
    case ErrorCode::Protocol:
    case ErrorCode::LineTooLong:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                    "The server answered in a way Pollux does not understand."));
    case ErrorCode::AuthFailed:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                    "The server refused the user name or password."));
    case ErrorCode::ServerError:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The server reported an error."));
    case ErrorCode::TemporaryFailure:
        return tx(
            QT_TRANSLATE_NOOP("pollux::AlertText", "The server is temporarily unable to serve."));
    case ErrorCode::Storage:
        return tx(
            QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux could not write to its data folder."));
    case ErrorCode::Config:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The settings are not valid."));
    case ErrorCode::Secrets:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                    "The password could not be read from the keychain."));
    case ErrorCode::Cancelled:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The work was cancelled."));
    case ErrorCode::Integrity:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                    "A message arrived incomplete and was not collected."));
    case ErrorCode::SignInNeeded:
        return tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The sign-in must be renewed."));
    }
    return {};
}

// The translated sentence, then the evidence apart: the words of the server (or of the
// connection) as they came, never translated.
QString AlertText::evidence(ErrorCode code, const QString &detail) const
{
    QString out = tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Last error: %1 (code: %2)"))
                      .arg(sentence(code), errorCodeName(code)) +
                  QLatin1Char('\n');
    // The engine's messages end in "server said: <reply>" where the server answered.
    QString ours = detail;
    QString server;
    const qsizetype said = detail.lastIndexOf(QLatin1String("server said: "));
    if (said >= 0) {
        server = detail.mid(said + 13).trimmed();
        ours = detail.left(said).trimmed();
        while (ours.endsWith(QLatin1Char(';')) || ours.endsWith(QLatin1Char(',')))
            ours.chop(1);
    } else if (code == ErrorCode::AuthFailed || code == ErrorCode::ServerError ||
               code == ErrorCode::TemporaryFailure || code == ErrorCode::Protocol ||
               code == ErrorCode::SignInNeeded || code == ErrorCode::LineTooLong) {
        server = detail; // a reply passed on as it came
        ours.clear();
    }
    if (!ours.isEmpty())
        out +=
            tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Details: %1")).arg(ours) + QLatin1Char('\n');
    if (!server.isEmpty())
        out += tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The server said: %1")).arg(server) +
               QLatin1Char('\n');
    return out;
}

QString AlertText::footer() const
{
    return QStringLiteral("\n-- \n") +
           tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                "This alert was sent by Pollux at most once a day for each "
                                "condition. Alerts are set on the General page of the "
                                "settings.")) +
           QLatin1Char('\n');
}

AlertText::Text AlertText::mailboxFailing(const QString &account, const QDateTime &since,
                                          const QDateTime &now, ErrorCode code,
                                          const QString &detail) const
{
    Text t;
    t.subject = tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux: mailbox '%1' failing since %2"))
                    .arg(account, shortTime(since, now));
    t.body = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "Pollux has not been able to collect mail from the mailbox "
                                  "'%1' since %2."))
                 .arg(account, longTime(since)) +
             QStringLiteral("\n\n") + evidence(code, detail) + QLatin1Char('\n') +
             tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "Mail for this mailbox stays at the provider and is not lost. "
                                  "What to do: open Pollux, select the mailbox and use \"Test "
                                  "access\"; check the server name, the user name and the "
                                  "password, and whether the provider reports a fault.")) +
             QLatin1Char('\n') + footer();
    return t;
}

AlertText::Text AlertText::mailboxRecovered(const QString &account, const QDateTime &since,
                                            const QDateTime &now) const
{
    Text t;
    t.subject =
        tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux: mailbox '%1' works again")).arg(account);
    t.body = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "The mailbox '%1' works again: mail was collected at %2. It "
                                  "had been failing since %3."))
                 .arg(account, longTime(now), longTime(since)) +
             QStringLiteral("\n") + footer();
    return t;
}

AlertText::Text AlertText::signInNeeded(const QString &account, const QDateTime &since,
                                        const QDateTime &now, const QString &detail) const
{
    Text t;
    t.subject =
        tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux: sign-in needed for '%1'")).arg(account);
    t.body = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "The mail provider no longer accepts the stored sign-in of the "
                                  "mailbox '%1' (since %2). Pollux collects no mail from it until "
                                  "someone signs in again."))
                 .arg(account, shortTime(since, now)) +
             QStringLiteral("\n\n") +
             (detail.isEmpty()
                  ? QString()
                  : tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The server said: %1")).arg(detail) +
                        QStringLiteral("\n\n")) +
             tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "What to do: open Pollux on this computer, select the mailbox "
                                  "and choose \"Sign in again\". Mail waits at the provider "
                                  "meanwhile.")) +
             QLatin1Char('\n') + footer();
    return t;
}

AlertText::Text AlertText::signInRecovered(const QString &account, const QDateTime &now) const
{
    Text t;
    t.subject =
        tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux: '%1' is signed in again")).arg(account);
    t.body = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "The mailbox '%1' is signed in again (%2); Pollux collects its "
                                  "mail again."))
                 .arg(account, longTime(now)) +
             QLatin1Char('\n') + footer();
    return t;
}

AlertText::Text AlertText::quarantined(const QString &account, const QString &folder,
                                       const QString &reply, const QDateTime &now) const
{
    Text t;
    t.subject =
        tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux: a message of '%1' was quarantined"))
            .arg(account);
    t.body =
        tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                             "A message collected from the mailbox '%1' was not delivered "
                             "(%2); it is kept in quarantine%3."))
            .arg(account, longTime(now),
                 folder.isEmpty() ? QString() : QStringLiteral(" (") + folder + QLatin1Char(')')) +
        QStringLiteral("\n\n") +
        (reply.isEmpty()
             ? QString()
             : tx(QT_TRANSLATE_NOOP("pollux::AlertText", "The server said: %1")).arg(reply) +
                   QStringLiteral("\n\n")) +
        tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                             "What to do: open the activity window of Pollux, look at the "
                             "refused messages, and deliver them again or discard them. "
                             "Further quarantined messages today are not alerted again; "
                             "the postmaster gets a notice for each one.")) +
        QLatin1Char('\n') + footer();
    return t;
}

AlertText::Text AlertText::spoolLimit(qint64 waitingBytes, qint64 limitBytes,
                                      const QString &account, int leftOnServer,
                                      const QDateTime &now) const
{
    const QLocale locale(m_language);
    Text t;
    t.subject = tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux: mail queue full"));
    t.body = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "Pollux holds %1 of mail waiting for the office mail server; "
                                  "the limit is %2 (%3). New mail is left at the provider until "
                                  "deliveries make room."))
                 .arg(locale.formattedDataSize(waitingBytes), locale.formattedDataSize(limitBytes),
                      longTime(now)) +
             QLatin1Char('\n');
    if (!account.isEmpty())
        t.body += tx(QT_TRANSLATE_N_NOOP("pollux::AlertText",
                                         "Mailbox '%1': %n new message(s) left at the provider."),
                     leftOnServer)
                      .arg(account) +
                  QLatin1Char('\n');
    t.body += QLatin1Char('\n') +
              tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                   "What to do: check that the office mail server accepts mail "
                                   "(Pollux shows its state), or raise the spool limit.")) +
              QLatin1Char('\n') + footer();
    return t;
}

AlertText::Text AlertText::spoolRecovered(const QDateTime &since, const QDateTime &now) const
{
    Text t;
    t.subject = tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux: mail queue has room again"));
    t.body = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "The mail waiting for the office mail server is below the "
                                  "limit again (%1; full since %2). New mail is collected "
                                  "again."))
                 .arg(longTime(now), longTime(since)) +
             QLatin1Char('\n') + footer();
    return t;
}

AlertText::Text AlertText::officeOutage(const QDateTime &start, const QDateTime &end,
                                        ErrorCode code, const QString &detail) const
{
    Text t;
    t.subject = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                     "Pollux: office mail server was unreachable %1 to %2"))
                    .arg(shortTime(start, end), shortTime(end, end));
    t.body = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "Pollux could not deliver to the office mail server from %1 "
                                  "to %2. It works again: this message came through it."))
                 .arg(longTime(start), longTime(end)) +
             QStringLiteral("\n\n") + evidence(code, detail) + QLatin1Char('\n') +
             tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "Mail collected meanwhile waited in Pollux and is being "
                                  "delivered now; nothing was lost. If this happens often, "
                                  "check the office mail server and the network between.")) +
             QLatin1Char('\n') + footer();
    return t;
}

AlertText::Text AlertText::test(const QDateTime &now) const
{
    Text t;
    t.subject = tx(QT_TRANSLATE_NOOP("pollux::AlertText", "Pollux: test alert"));
    t.body = tx(QT_TRANSLATE_NOOP("pollux::AlertText",
                                  "This is a test of the alerts by e-mail, sent at %1. If it "
                                  "reached you, Pollux can tell you when a mailbox fails, a "
                                  "sign-in is needed, a message is quarantined, the mail queue "
                                  "is full or the office mail server was unreachable."))
                 .arg(longTime(now)) +
             QLatin1Char('\n') + footer();
    return t;
}

} // namespace pollux
