#include "SmtpCommands.h"

#include <QHostAddress>
#include <QHostInfo>

namespace pollux::smtp::commands {

bool isValidAddress(const QString &address)
{
    const QByteArray bytes = address.toUtf8();
    if (bytes.size() > 254)
        return false;
    for (const char c : bytes) {
        if (c == '\r' || c == '\n' || c == '\0' || c == '<' || c == '>' || c == ' ' || c == '\t')
            return false;
    }
    return true;
}

QByteArray mailFrom(const QString &sender, qint64 size, bool eightBitMime)
{
    QByteArray line = QByteArrayLiteral("MAIL FROM:<") + sender.toUtf8() + '>';
    if (size >= 0)
        line += QByteArrayLiteral(" SIZE=") + QByteArray::number(size);
    if (eightBitMime)
        line += QByteArrayLiteral(" BODY=8BITMIME");
    return line + "\r\n";
}

QByteArray rcptTo(const QString &recipient)
{
    return QByteArrayLiteral("RCPT TO:<") + recipient.toUtf8() + QByteArrayLiteral(">\r\n");
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

QByteArray authPlain(const QString &username, const QString &password)
{
    const QByteArray token = '\0' + username.toUtf8() + '\0' + password.toUtf8();
    return QByteArrayLiteral("AUTH PLAIN ") + token.toBase64() + "\r\n";
}

QByteArray base64Line(const QString &text)
{
    return text.toUtf8().toBase64() + "\r\n";
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
