#pragma once

#include "config/Config.h"
#include "oauth/Provider.h"

namespace pollux::oauth {

// What the sign-in methods of the account dialog mean: the endpoints and scopes of
// Microsoft 365 and Google (docs/OAUTH.md), and where their mailboxes are.

// The mailbox server of a known provider for POP3 or IMAP (always the -ssl type);
// host empty for Password and "oauth2" (another provider: the admin knows).
struct ServerPreset
{
    QString host;
    quint16 port = 0;
    ServerType type = ServerType::Pop3Ssl;
};
ServerPreset serverPreset(SignInMethod method, bool imap);

// The provider whose mailboxes a host name belongs to (outlook.office365.com,
// outlook.office.com -> Microsoft365; pop.gmail.com, imap.gmail.com -> Google); Password
// for any other host. The dialog offers the provider's sign-in when it sees one.
SignInMethod providerForHost(const QString &host);

// The authorization server as `account` uses it: endpoints and scopes from the preset (the
// tenant filled in) or, for "oauth2", from account.oauth2; the client ID from the account.
// clientSecret stays empty: the caller reads it from the keychain when
// account.oauth2.clientSecret is set. For Password, an empty Provider.
Provider providerFor(const AccountConfig &account);

// Microsoft 365 delegated scopes: POP.AccessAsUser.All or IMAP.AccessAsUser.All on
// https://outlook.office.com/, plus offline_access; app-only: the .default scope of
// https://outlook.office365.com/; Google: https://mail.google.com/.
QStringList presetScopes(SignInMethod method, bool imap);

} // namespace pollux::oauth
