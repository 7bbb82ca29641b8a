#include "AlertMessage.h"

#include "routing/Notice.h"

#include <QLocale>
#include <QTimeZone>
#include <QUuid>

namespace pollux::alertmail {

namespace {

// An address without anything that could end or bend the header.
QByteArray addressOnly(const QString &address)
{
    QByteArray a;
    for (const QChar c : address) {
        if (c.unicode() > 0x20 && c.unicode() != 0x7f && c != QLatin1Char('<') &&
            c != QLatin1Char('>') && c != QLatin1Char(','))
            a += QString(c).toUtf8();
    }
    return a;
}

} // namespace

QByteArray rfc5322Date(const QDateTime &when)
{
    const QDateTime t = when.isValid() ? when : QDateTime::currentDateTime();
    const QDateTime local = t.toLocalTime();
    const int offset = local.offsetFromUtc() / 60;
    const int a = qAbs(offset);
    return QLocale::c().toString(local, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss")).toLatin1() +
           (offset < 0 ? " -" : " +") + QByteArray::number(a / 60).rightJustified(2, '0') +
           QByteArray::number(a % 60).rightJustified(2, '0');
}

QByteArray quotedPrintable(const QByteArray &utf8)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    // Line by line ('\n' or "\r\n" ends one); soft breaks keep each line at most 76 octets.
    const QList<QByteArray> lines = utf8.split('\n');
    for (qsizetype li = 0; li < lines.size(); ++li) {
        QByteArray line = lines.at(li);
        if (line.endsWith('\r'))
            line.chop(1);
        if (li == lines.size() - 1 && line.isEmpty())
            break; // the text's last '\n'
        QByteArray encoded;
        int column = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const auto b = static_cast<unsigned char>(line.at(i));
            const bool last = i == line.size() - 1;
            QByteArray piece;
            if ((b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last))
                piece = QByteArray(1, char(b));
            else
                piece = QByteArray("=") + hex[b >> 4] + hex[b & 15];
            if (column + piece.size() > 75) {
                encoded += "=\r\n";
                column = 0;
            }
            encoded += piece;
            column += int(piece.size());
        }
        out += encoded + "\r\n";
    }
    return out;
}

QByteArray compose(const AlertMail &mail)
{
    const QString host = mail.hostName.isEmpty() ? QStringLiteral("pollux.invalid") : mail.hostName;
    const QByteArray uuid = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    QByteArrayList to;
    for (const QString &address : mail.to)
        to << "<" + addressOnly(address) + ">";
    QByteArray m = "Return-Path: <>\r\n";
    m += "From: Pollux <" + addressOnly(mail.from) + ">\r\n";
    m += "To: " + to.join(", ") + "\r\n";
    m += "Subject: " + routing::headerText(mail.subject) + "\r\n";
    m += "Date: " + rfc5322Date(mail.when) + "\r\n";
    m += "Message-ID: <" + uuid + "@" + addressOnly(host) + ">\r\n";
    m += "Auto-Submitted: auto-generated\r\n";
    m += "X-Auto-Response-Suppress: All\r\n"; // Exchange: no out-of-office replies
    m += "Precedence: bulk\r\n";
    m += "X-Pollux-Alert: " + routing::headerText(mail.condition) + "\r\n";
    if (!mail.account.isEmpty())
        m += "X-Pollux-Account: " + routing::headerText(mail.account) + "\r\n";
    if (!mail.language.isEmpty())
        m += "Content-Language: " + addressOnly(mail.language) + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    m += quotedPrintable(mail.text.toUtf8());
    return m;
}

} // namespace pollux::alertmail
