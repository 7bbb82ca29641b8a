#include "SmtpCommands.h"

#include <QHostAddress>
#include <QHostInfo>

namespace pollux::smtp::commands {

QByteArray mailFrom(const QByteArray &mailbox, qint64 size, bool eightBitMime, bool smtpUtf8)
{
    return mailFrom(mailbox, size, eightBitMime, smtpUtf8, false);
}

QByteArray bdat(qint64 size, bool last)
{
    return QByteArrayLiteral("BDAT ") + QByteArray::number(size) +
           (last ? QByteArrayLiteral(" LAST\r\n") : QByteArrayLiteral("\r\n"));
}

QByteArray mailFrom(const QByteArray &mailbox, qint64 size, bool eightBitMime, bool smtpUtf8,
                    bool binaryMime)
{
    QByteArray line = QByteArrayLiteral("MAIL FROM:<") + mailbox + '>';
    if (size >= 0)
        line += QByteArrayLiteral(" SIZE=") + QByteArray::number(size);
    if (binaryMime)
        line += QByteArrayLiteral(" BODY=BINARYMIME");
    else if (eightBitMime)
        line += QByteArrayLiteral(" BODY=8BITMIME");
    if (smtpUtf8)
        line += QByteArrayLiteral(" SMTPUTF8");
    return line + "\r\n";
}

QByteArray rcptTo(const QByteArray &mailbox)
{
    return QByteArrayLiteral("RCPT TO:<") + mailbox + QByteArrayLiteral(">\r\n");
}

QByteArray ehlo(const QString &name)
{
    return QByteArrayLiteral("EHLO ") + name.toUtf8() + "\r\n";
}

QByteArray helo(const QString &name)
{
    return QByteArrayLiteral("HELO ") + name.toUtf8() + "\r\n";
}

static bool isPlausibleName(const QString &name)
{
    if (name.isEmpty() || name.size() > 255)
        return false;
    if (name.startsWith(QLatin1Char('[')) && name.endsWith(QLatin1Char(']')))
        return !QHostAddress(name.mid(1, name.size() - 2)).isNull();
    for (const QChar c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 0x80) && c != QLatin1Char('.') &&
            c != QLatin1Char('-'))
            return false;
    }
    return true;
}

QString heloName(const QString &configured)
{
    if (isPlausibleName(configured))
        return configured;
    const QString local = QHostInfo::localHostName();
    if (isPlausibleName(local))
        return local;
    return QStringLiteral("localhost");
}

QByteArray authCommand(const QByteArray &mechanism, bool hasInitial, const QByteArray &initial)
{
    QByteArray line = QByteArrayLiteral("AUTH ") + mechanism;
    if (hasInitial)
        line += ' ' + (initial.isEmpty() ? QByteArray("=") : initial.toBase64());
    line += "\r\n";
    return line.size() <= 512 ? line : QByteArray();
}

QByteArray authResponse(const QByteArray &response)
{
    return response.toBase64() + "\r\n";
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QString address = host;
    if (address.startsWith(QLatin1Char('[')) && address.endsWith(QLatin1Char(']')))
        address = address.mid(1, address.size() - 2);
    const QHostAddress parsed(address);
    return !parsed.isNull() && parsed.isLoopback();
}

} // namespace pollux::smtp::commands
