#pragma once

#include "FakeImapServer.h"
#include "net/MailboxClient.h"
#include "support/SessionRun.h"
#include "unit/pop3/MemorySink.h"

#include <QList>

namespace pollux::test {

QByteArray imapMessage(int uid); // a small message, different per UID

// Greeting with capabilities, LOGIN "alice" "secret", SELECT "INBOX" with `exists` messages
// and UIDVALIDITY 42. Commands A1 and A2.
QList<QByteArray> imapOpenScript(const QByteArray &caps = "IMAP4rev1 UIDPLUS IDLE", int exists = 3);
// The answer to UID FETCH 1:* (UID RFC822.SIZE) for UIDs 1..n, tagged `tag`.
QList<QByteArray> imapListAnswer(const QByteArray &tag, int count);
// An untagged FETCH with the body of `uid` (sequence = uid); uidFirst: UID before BODY[].
QList<QByteArray> imapBodyAnswer(qint64 uid, bool uidFirst = true);

MailboxOptions imapOptionsFor(const FakeImapServer &server, int timeoutMs = 5000);

} // namespace pollux::test
