#pragma once

#include <QByteArray>
#include <QRandomGenerator>
#include <QStringBuilder>

namespace pollux::test {

// A test message with CRLF line endings, about `size` bytes, numbered `seq`, with the
// content that trips up careless code: lines starting with dots, a line that is only a
// dot, a very long line, 8-bit bytes.
inline QByteArray makeMessage(int seq, qint64 size, quint32 seed = 1)
{
    QRandomGenerator rng(seed + quint32(seq));
    QByteArray m;
    m += QByteArray("Return-Path: <sender") + QByteArray::number(seq) +
         QByteArray("@example.org>\r\n");
    m += QByteArray("From: Sender ") + QByteArray::number(seq) + QByteArray(" <sender") +
         QByteArray::number(seq) + QByteArray("@example.org>\r\n");
    m += QByteArray("To: Office <office@example.com>\r\n");
    m += QByteArray("Subject: Test message ") + QByteArray::number(seq) + QByteArray("\r\n");
    m += QByteArray("Message-ID: <") + QByteArray::number(seq) +
         QByteArray(".pollux-test@example.org>\r\n");
    m += QByteArray("X-Pollux-Seq: ") + QByteArray::number(seq) + QByteArray("\r\n");
    m += QByteArray("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n");
    m += QByteArray("Content-Transfer-Encoding: 8bit\r\n\r\n");
    m += "Hello,\r\n.\r\n..two dots\r\n.leading dot\r\nGr\xc3\xbc\xc3\x9f"
         "e aus K\xc3\xb6ln\r\n";
    if (seq % 7 == 0)
        m += QByteArray(990, 'L') + QByteArray("\r\n"); // near RFC 5322's limit of 998
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789 .,-";
    while (m.size() < size) {
        const int len = 1 + int(rng.bounded(76));
        QByteArray line;
        line.reserve(len + 2);
        for (int i = 0; i < len; ++i)
            line += alphabet[rng.bounded(int(sizeof alphabet - 1))];
        m += line + QByteArray("\r\n");
    }
    m += QByteArray("-- \r\nend of ") + QByteArray::number(seq) + QByteArray("\r\n");
    return m;
}

// Removes our own trace header (the first field, "Received: by ... (Pollux)", folded).
inline QByteArray withoutTrace(const QByteArray &data)
{
    if (!data.startsWith("Received: by ") || !data.left(300).contains("(Pollux)"))
        return data;
    qsizetype pos = 0;
    while (true) {
        const qsizetype eol = data.indexOf("\r\n", pos);
        if (eol < 0)
            return data;
        pos = eol + 2;
        if (pos >= data.size() || (data.at(pos) != ' ' && data.at(pos) != '\t'))
            return data.mid(pos);
    }
}

} // namespace pollux::test
