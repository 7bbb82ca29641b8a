#pragma once

#include "support/ScriptedServer.h"

namespace pollux::test {

// A scripted IMAP server for the client tests; see ScriptedServer for the script steps.
class FakeImapServer : public ScriptedServer
{
public:
    explicit FakeImapServer(QObject *parent = nullptr) : ScriptedServer(Dialect::Imap, parent) {}
};

} // namespace pollux::test
