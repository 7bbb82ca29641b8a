#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

// Notices to the postmaster: nothing is ever dropped silently. Each notice is a complete
// RFC 5322 message (CRLF line endings), multipart/mixed with a text/plain part saying what
// happened and the original message's header as a text/rfc822-headers part (RFC 6522).
// Send it with the null sender (MAIL FROM:<>) so that it can never cause a bounce loop;
// it carries "Auto-Submitted: auto-generated" (RFC 3834).
namespace pollux::routing {

struct NoticeContext
{
    QString postmaster; // To:
    // From: address; empty: the postmaster address, shown as "Pollux Mail Delivery".
    QString from;
    QString hostName; // right side of the notice's Message-ID; empty: "pollux.invalid"
    QString account;
    QString uid;
    QDateTime when; // Date: (from the injected Clock)
};

struct RejectedRecipient
{
    QString address;
    QString reply; // the server's reply, e.g. "550 5.1.1 <x@y>: Recipient address rejected"
};

// The office server refused some recipients (5xx); `accepted` got the message.
QByteArray rejectedRecipientsNotice(const NoticeContext &context,
                                    const QList<RejectedRecipient> &rejected,
                                    const QStringList &accepted, const QByteArray &originalHeader);

// The message was not delivered but quarantined (TOOLARGE, BADMAIL, loop, ...).
QByteArray quarantineNotice(const NoticeContext &context, const QString &folder,
                            const QString &reason, const QByteArray &originalHeader);

// Any notice: the subject and text are free (UTF-8 allowed; encoded as needed).
// A header-safe unstructured value (Subject and the like): control characters become
// spaces, ASCII stays as it is, anything else becomes RFC 2047 encoded words (folded).
QByteArray headerText(const QString &text);

QByteArray noticeMessage(const NoticeContext &context, const QString &subject, const QString &text,
                         const QByteArray &originalHeader);

} // namespace pollux::routing
