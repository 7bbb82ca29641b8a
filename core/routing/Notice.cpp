#include "Notice.h"

#include <QLocale>
#include <QUuid>

namespace pollux::routing {

namespace {

bool isPlainAscii(const QByteArray &bytes, int maxLine)
{
    int column = 0;
    for (const char c : bytes) {
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\0')
            return false;
        column = (c == '\n' || c == '\r') ? 0 : column + 1;
        if (column > maxLine)
            return false;
    }
    return true;
}

QByteArray addressOnly(const QString &address)
{
    QByteArray a;
    for (const QChar c : address) {
        if (c.unicode() > 0x20 && c != QLatin1Char('<') && c != QLatin1Char('>'))
            a += QString(c).toUtf8();
    }
    return a;
}

QByteArray crlf(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size() + text.size() / 20);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text.at(i + 1) == '\n')
                ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

QByteArray base64Lines(const QByteArray &data)
{
    const QByteArray b64 = data.toBase64();
    QByteArray out;
    for (qsizetype i = 0; i < b64.size(); i += 76)
        out += b64.mid(i, 76) + "\r\n";
    return out;
}

// A body part: 7bit when it is short-lined ASCII, base64 otherwise.
QByteArray part(const QByteArray &contentType, const QByteArray &content)
{
    const QByteArray body = crlf(content);
    if (isPlainAscii(body, 998))
        return "Content-Type: " + contentType + "\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" +
               body + "\r\n"; // this CRLF belongs to the boundary line that follows
    return "Content-Type: " + contentType + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           base64Lines(body);
}

QString describeMessage(const NoticeContext &c)
{
    return QStringLiteral("Account: %1\nMessage: %2\n").arg(c.account, c.uid);
}

} // namespace

QByteArray headerText(const QString &text)
{
    QString clean = text;
    for (QChar &c : clean) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    }
    const QByteArray utf8 = clean.simplified().toUtf8().left(600);
    if (isPlainAscii(utf8, 900))
        return utf8;
    QByteArray out;
    qsizetype pos = 0;
    while (pos < utf8.size()) {
        qsizetype len = qMin<qsizetype>(45, utf8.size() - pos);
        while (pos + len < utf8.size() && (utf8.at(pos + len) & 0xC0) == 0x80)
            --len;
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + utf8.mid(pos, len).toBase64() + "?=";
        pos += len;
    }
    return out;
}

QByteArray noticeMessage(const NoticeContext &context, const QString &subject, const QString &text,
                         const QByteArray &originalHeader)
{
    const QString host =
        context.hostName.isEmpty() ? QStringLiteral("pollux.invalid") : context.hostName;
    const QByteArray uuid = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    const QByteArray boundary = "=_pollux_" + uuid;
    const QByteArray from = addressOnly(context.from.isEmpty() ? context.postmaster : context.from);
    const QDateTime when = context.when.isValid() ? context.when : QDateTime::currentDateTimeUtc();
    const QByteArray date = QLocale::c()
                                .toString(when.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
                                .toLatin1() +
                            " +0000";

    QByteArray m;
    m += "From: Pollux Mail Delivery <" + from + ">\r\n";
    m += "To: <" + addressOnly(context.postmaster) + ">\r\n";
    m += "Subject: " + headerText(subject) + "\r\n";
    m += "Date: " + date + "\r\n";
    m += "Message-ID: <" + uuid + "@" + addressOnly(host) + ">\r\n";
    m += "Auto-Submitted: auto-generated\r\n";
    m += "X-Pollux-Notice: " + headerText(context.account) + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    m += "This is a notice from Pollux in MIME format.\r\n";
    m += "--" + boundary + "\r\n";
    m += part("text/plain; charset=utf-8", text.toUtf8());
    m += "--" + boundary + "\r\n";
    QByteArray header = originalHeader.left(1024 * 1024);
    header.replace('\0', ' ');
    m += part("text/rfc822-headers", header);
    m += "--" + boundary + "--\r\n";
    return m;
}

QByteArray rejectedRecipientsNotice(const NoticeContext &context,
                                    const QList<RejectedRecipient> &rejected,
                                    const QStringList &accepted, const QByteArray &originalHeader)
{
    QString text = QStringLiteral("The office mail server refused some recipients of a "
                                  "collected message.\n\n") +
                   describeMessage(context) + QStringLiteral("\nRefused:\n");
    for (const RejectedRecipient &r : rejected)
        text += QStringLiteral("  %1: %2\n")
                    .arg(r.address, QString(r.reply).replace(QLatin1Char('\n'), QLatin1Char(' ')));
    if (!accepted.isEmpty())
        text += QStringLiteral("\nDelivered to:\n  ") + accepted.join(QStringLiteral("\n  ")) +
                QLatin1Char('\n');
    else
        text += QStringLiteral("\nNo recipient received the message.\n");
    text += QStringLiteral("\nThe header of the message is attached.\n");
    const QString subject = QStringLiteral("Pollux: %1 recipient(s) refused (account %2)")
                                .arg(rejected.size())
                                .arg(context.account);
    return noticeMessage(context, subject, text, originalHeader);
}

QByteArray quarantineNotice(const NoticeContext &context, const QString &folder,
                            const QString &reason, const QByteArray &originalHeader)
{
    const QString text =
        QStringLiteral("A collected message was not delivered; it was put in quarantine.\n\n") +
        describeMessage(context) + QStringLiteral("Folder: %1\nReason: %2\n").arg(folder, reason) +
        QStringLiteral("\nThe message is kept in the quarantine folder; the header is "
                       "attached.\n");
    const QString subject = QStringLiteral("Pollux: message quarantined in %1 (account %2)")
                                .arg(folder, context.account);
    return noticeMessage(context, subject, text, originalHeader);
}

} // namespace pollux::routing
