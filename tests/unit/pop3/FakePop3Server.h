#pragma once

#include "support/ScriptedServer.h"

namespace pollux::test {

// A scripted POP3 server for the client tests; see ScriptedServer for the script steps.
class FakePop3Server : public ScriptedServer
{
public:
    explicit FakePop3Server(QObject *parent = nullptr) : ScriptedServer(Dialect::Pop3, parent) {}
};

} // namespace pollux::test
