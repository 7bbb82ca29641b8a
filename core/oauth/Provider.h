#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace pollux::oauth {

// An OAuth2 authorization server as an account uses it: where to get tokens and which
// scopes to ask for. The client (app registration) belongs to the office admin: its ID, and
// its secret where the provider requires one (confidential clients, app-only access). The
// secret comes from the keychain; it is held here in memory only.
struct Provider
{
    QUrl authorizationEndpoint;       // authorization code flow (browser); empty: none
    QUrl tokenEndpoint;
    QUrl deviceAuthorizationEndpoint; // RFC 8628; empty when the provider has none
    QUrl revocationEndpoint;          // RFC 7009; optional
    QStringList scopes;               // sent space-separated
    QString clientId;
    QString clientSecret; // empty for a public client (sent as client_secret_post otherwise)
    int timeoutSecs = 30; // every request to the provider
};

} // namespace pollux::oauth
