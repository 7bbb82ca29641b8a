#pragma once

#include "FakePop3Server.h"
#include "MemorySink.h"
#include "pop3/Pop3Client.h"
#include "support/SessionRun.h"

#include <QList>

namespace pollux::test {

extern const QByteArray Message1;
extern const QByteArray Message2; // has lines starting with "." and a "." alone on a line
extern const QByteArray Message3;

QByteArray dotStuff(const QByteArray &content);
// "+OK n octets" and the dot-stuffed content with its terminator.
QList<QByteArray> retrAnswer(const QByteArray &content);
// Greeting, CAPA, USER alice / PASS secret, CAPA again; `capa` is sent for both CAPAs.
QList<QByteArray> loginScript(const QList<QByteArray> &capa,
                              const QByteArray &greeting = "+OK POP3 ready");
// UIDL and LIST answers for messages 1..n ("uid-1", size of MessageN).
QList<QByteArray> uidlAnswer(int count);
QList<QByteArray> listAnswer(int count);
QByteArray message(int number); // Message1..Message3, then generated ones

MailboxOptions optionsFor(const FakePop3Server &server, int timeoutMs = 5000);

} // namespace pollux::test
