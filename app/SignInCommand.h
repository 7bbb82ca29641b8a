#pragma once

#include "Cli.h"

namespace pollux::app {

// `pollux account signin NAME [--browser]`: the interactive OAuth2 sign-in of one account.
// The device flow (an address and a code to enter on any device) when the provider has one
// and --browser is not given; otherwise the browser sign-in, which answers on 127.0.0.1 and
// opens the system browser when there is a display (the address is printed either way, for
// a browser elsewhere with the port forwarded). The refresh token goes to the keychain
// (oauth2-refresh/NAME); no token is ever printed. 0 signed in, 1 the sign-in failed,
// 2 the configuration or the account does not allow it.
int runAccountSignIn(const Invocation &invocation);

// `pollux password set NAME --client-secret`: the client secret of the account's app
// registration from standard input into the keychain (oauth2-client/NAME).
int runClientSecretSet(const Invocation &invocation);

} // namespace pollux::app
