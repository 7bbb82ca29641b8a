#pragma once

// The retrieval checks shared by tst_server_types (Dovecot) and tst_second_server (GNU
// Mailutils): each server type, plain or upgraded with STLS/STARTTLS, through the Engine to
// the real SMTP sink, with every retention mode on a ManualClock.
#include "MessageFactory.h"
#include "TestDoubles.h"
#include "support/SmtpSink.h"
#include "support/TestCa.h"

#include "config/Config.h"
#include "engine/Engine.h"

#include <QFile>
#include <QHash>
#include <QSignalSpy>
#include <QTest>

#include <functional>

namespace pollux::test {

// What a test needs to know about the server under test.
struct MailServerAccess
{
    std::function<quint16(ServerType)> port;
    std::function<QString(const QString &user)> loginName;
    std::function<bool(const QString &user, const QByteArray &message)> deliver;
    std::function<int(const QString &user)> messageCount;
    // The delivered bytes with what the server itself adds removed (e.g. an X-UIDL header);
    // returns false if the server's addition is not what it should be.
    std::function<bool(ServerType, QByteArray &data)> normalise;
};

// Rows: {pop3, pop3-ssl, pop3+starttls, imap, imap-ssl, imap+starttls} x retention.
inline void addServerTypeRows(const QList<Retention> &retentions)
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("startTls");
    QTest::addColumn<int>("retention");
    struct TypeRow
    {
        const char *name;
        ServerType type;
        bool startTls;
    };
    const TypeRow types[] = {
        {"pop3", ServerType::Pop3, false},         {"pop3-ssl", ServerType::Pop3Ssl, false},
        {"pop3+starttls", ServerType::Pop3, true}, {"imap", ServerType::Imap, false},
        {"imap-ssl", ServerType::ImapSsl, false},  {"imap+starttls", ServerType::Imap, true},
    };
    for (const TypeRow &t : types) {
        for (Retention r : retentions) {
            const char *mode = r == Retention::Delete ? "delete"
                               : r == Retention::Keep ? "keep"
                                                      : "keep-days";
            QTest::newRow(
                qPrintable(QLatin1String(t.name) + QLatin1Char('-') + QLatin1String(mode)))
                << int(t.type) << t.startTls << int(r);
        }
    }
}

inline QString officeRecipient(const QString &user)
{
    return user + QStringLiteral("@office.example.com");
}

inline Config retrievalConfig(const MailServerAccess &server, const SmtpSink &sink,
                              const QString &dataDir, const QString &user, ServerType type,
                              bool startTls)
{
    Config c;
    AccountConfig a;
    a.name = user;
    a.type = type;
    a.host = QStringLiteral("localhost"); // a name in the TestCa certificate
    a.port = server.port(type);
    a.username = server.loginName(user);
    a.startTls = startTls;
    // Plain POP3/IMAP on loopback may log in in the clear; STARTTLS rows must not need to.
    a.allowPlaintextLogin = !startTls && (type == ServerType::Pop3 || type == ServerType::Imap);
    a.timeoutSecs = 30;
    a.mailbox = MailboxType::SingleUser;
    a.recipient = officeRecipient(user);
    a.keepDays = 3;
    c.accounts << a;
    c.smtp.host = QStringLiteral("127.0.0.1");
    c.smtp.port = sink.port();
    c.smtp.timeoutSecs = 30;
    c.postmaster = QStringLiteral("postmaster@office.example.com");
    c.dataDir = dataDir;
    c.caFile = TestCa::instance().caCertPath();
    c.maxPerPass = 5000;
    return c;
}

// One pass; false if it did not finish in time. *ok: the pass succeeded.
inline bool runOnePass(Engine &engine, bool *ok, QString *message)
{
    QSignalSpy passes(&engine, &Engine::passFinished);
    QSignalSpy done(&engine, &Engine::onceFinished);
    engine.runOnce();
    if (!done.wait(300000))
        return false;
    *ok = done.first().first().toBool();
    if (!passes.isEmpty())
        *message = passes.first().at(1).value<Result>().message();
    return true;
}

// The messages the sink got for recipient, by their X-Pollux-Seq; a duplicate shows as -seq.
inline QHash<int, QByteArray> sinkBySeq(const SmtpSink &sink, const QString &recipient)
{
    QHash<int, QByteArray> out;
    const QList<ReceivedMessage> all = sink.messages();
    for (const ReceivedMessage &m : all) {
        if (!m.recipients.contains(recipient))
            continue;
        const qsizetype at = m.data.indexOf("X-Pollux-Seq: ");
        if (at < 0)
            continue;
        const int seq = m.data.mid(at + 14, m.data.indexOf('\r', at) - at - 14).toInt();
        out.insert(out.contains(seq) ? -seq : seq, m.data);
    }
    return out;
}

// Mixed messages: tiny, dot-stuffing, a 990-byte line (every 7th), 8-bit, 200 KB.
inline QByteArray mixedMessage(int seq, quint32 seed)
{
    const qint64 sizes[] = {400, 2500, 12000, 200 * 1024, 700, 64 * 1024, 1500};
    return makeMessage(seq, sizes[(seq - 1) % 7], seed);
}

// The whole check, for one row: 6 messages arrive byte-exact; two days later one more, and
// nothing twice; a day after that "keep 3 days" removes the first six. Server state is
// checked after every pass. Fails through QTest; callers return if QTest::currentTestFailed().
inline void checkRetrieval(const MailServerAccess &server, const SmtpSink &sink,
                           const QString &dataDir, SecretStore *secrets, const QString &user,
                           ServerType type, bool startTls, Retention retention,
                           const QString &transcriptDir)
{
    QHash<int, QByteArray> originals;
    const quint32 seed = quint32(qHash(user));
    for (int i = 1; i <= 6; ++i) {
        originals.insert(i, mixedMessage(i, seed));
        QVERIFY(server.deliver(user, originals.value(i)));
    }
    Config config = retrievalConfig(server, sink, dataDir, user, type, startTls);
    config.accounts[0].retention = retention;
    ManualClock clock;
    Engine engine(secrets, &clock);
    QVERIFY(engine.start(config, {false, 0}).ok());
    bool ok = false;
    QString message;
    const auto expectKept = [&](int all) { return retention == Retention::Delete ? 0 : all; };

    QVERIFY(runOnePass(engine, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QHash<int, QByteArray> got = sinkBySeq(sink, officeRecipient(user));
    QCOMPARE(got.size(), 6);
    for (int i = 1; i <= 6; ++i) {
        QByteArray data = withoutTrace(got.value(i));
        QVERIFY2(server.normalise(type, data), qPrintable(QString::number(i)));
        QVERIFY2(data == originals.value(i),
                 qPrintable(QStringLiteral("message %1 differs").arg(i)));
    }
    QCOMPARE(server.messageCount(user), expectKept(6));

    clock.advance(2 * 86400);
    originals.insert(7, mixedMessage(7, seed));
    QVERIFY(server.deliver(user, originals.value(7)));
    QVERIFY(runOnePass(engine, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    got = sinkBySeq(sink, officeRecipient(user));
    QCOMPARE(got.size(), 7); // a duplicate would be a negative key
    QVERIFY(got.contains(7));
    QCOMPARE(server.messageCount(user), expectKept(7));

    clock.advance(86400); // three days after the first six
    QVERIFY(runOnePass(engine, &ok, &message));
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(sinkBySeq(sink, officeRecipient(user)).size(), 7);
    QCOMPARE(server.messageCount(user), retention == Retention::Keep       ? 7
                                        : retention == Retention::KeepDays ? 1
                                                                           : 0);
    engine.stop();

    if (!transcriptDir.isEmpty() && startTls) {
        const bool imap = type == ServerType::Imap;
        QFile log(transcriptDir + (imap ? QStringLiteral("/imap-") : QStringLiteral("/pop3-")) +
                  user + QStringLiteral(".log"));
        QVERIFY2(log.open(QIODevice::ReadOnly), qPrintable(log.fileName()));
        const QByteArray text = log.readAll();
        const qsizetype tls = text.indexOf("TLS established");
        bool upgraded = false;
        for (const QByteArray &line : text.split('\n'))
            upgraded = upgraded ||
                       (line.contains(" C: ") && line.endsWith(imap ? " STARTTLS" : " C: STLS"));
        QVERIFY2(upgraded && tls > 0, text.constData());
        const qsizetype login = text.indexOf(imap ? QByteArray(" LOGIN ") : QByteArray("C: USER"));
        const qsizetype auth = text.indexOf(imap ? " AUTHENTICATE " : "C: AUTH ");
        const qsizetype apop = text.indexOf("C: APOP ");
        for (qsizetype at : {login, auth, apop})
            QVERIFY2(at < 0 || at > tls, "a credential before TLS");
    }
}

} // namespace pollux::test
