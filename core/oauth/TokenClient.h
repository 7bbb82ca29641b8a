#pragma once

#include "oauth/Provider.h"
#include "oauth/TokenResponse.h"

#include <QObject>
#include <QPointer>
#include <QUrlQuery>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace pollux::oauth {

// The requests of RFC 6749 and RFC 8628 to one provider's endpoints, one POST each, with a
// timeout and a size limit on every answer. Callbacks run in the thread that owns this object
// (which needs an event loop). No token or secret reaches a log line or a `detail`.
// Endpoints must be https, or http on a loopback address (test servers).
class TokenClient : public QObject
{
    Q_OBJECT

public:
    explicit TokenClient(Provider provider, QObject *parent = nullptr);
    ~TokenClient() override;

    using TokenCallback =
        std::function<void(OAuthError error, const TokenSet &tokens, const QString &detail)>;
    using DeviceCallback =
        std::function<void(OAuthError error, const DeviceCode &code, const QString &detail)>;

    const Provider &provider() const { return m_provider; }

    void requestDeviceCode(DeviceCallback done);
    void pollDeviceToken(const QString &deviceCode, TokenCallback done);
    void refresh(const QString &refreshToken, TokenCallback done);
    void clientCredentials(TokenCallback done);
    // RFC 7009, for tests and "sign out": the answer's error, if any.
    void revoke(const QString &token, const QString &typeHint,
                std::function<void(OAuthError, const QString &detail)> done);

    // Whether the endpoint may be used (https, or http to loopback).
    static bool acceptableEndpoint(const QUrl &url);

private:
    using RawCallback =
        std::function<void(OAuthError, int status, const QByteArray &body, const QString &detail)>;
    void post(const QUrl &url, QUrlQuery form, RawCallback done);
    void tokenRequest(QUrlQuery form, TokenCallback done);

    Provider m_provider;
    QNetworkAccessManager *m_network;
};

} // namespace pollux::oauth
