#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace pollux::test {

// A real OAuth2 authorization server, oidc-provider (tests/fixtures/oidc/server.js) on
// Debian's nodejs, on a free 127.0.0.1 port: PKCE required, refresh tokens rotated (reuse
// refused, and it ends the grant), device flow, client credentials, revocation, and
// introspection for Dovecot (client "dovecot", see DovecotServer::setOAuth2Introspection).
// oidc-provider is found in $POLLUX_OIDC_MODULES, /var/cache/pollux-test/oidc/node_modules
// (deploy/install-deps.sh puts it there) or tests/fixtures/oidc/node_modules.
// Clients: "pollux-public" (no secret) and "pollux-confidential" (device flow, refresh),
// "pollux-app" (client credentials; its tokens open appMailbox()). State is in memory: a
// restart forgets every token. The destructor stops the server.
class OidcServer
{
public:
    OidcServer();
    ~OidcServer();
    OidcServer(const OidcServer &) = delete;
    OidcServer &operator=(const OidcServer &) = delete;

    // Options, before start().
    void setAccessTokenLifetime(int secs) { m_accessTtl = secs; }
    void setRefreshTokenLifetime(int secs) { m_refreshTtl = secs; }
    void setDeviceCodeLifetime(int secs) { m_deviceTtl = secs; }
    // How long a rotated refresh token stays usable (server.js OIDC_ROTATION_GRACE); 0, the
    // default: strict, presenting it again is reuse and ends the grant.
    void setRotationGrace(int secs) { m_rotationGrace = secs; }
    int refreshTokenLifetime() const { return m_refreshTtl; }
    void setUsers(const QStringList &users) { m_users = users; } // default {"oidcuser"}

    bool start(QString *error);
    bool stop(); // SIGTERM, then SIGKILL; true when the process is gone
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    qint64 pid() const { return m_process.processId(); }

    QString issuer() const { return m_issuer; }
    QString nodeVersion() const { return m_nodeVersion; } // "v18.20.4", as the server says
    quint16 port() const { return m_port; }
    QUrl tokenEndpoint() const { return endpoint(QStringLiteral("/token")); }
    QUrl deviceAuthorizationEndpoint() const { return endpoint(QStringLiteral("/device/auth")); }
    QUrl introspectionEndpoint() const { return endpoint(QStringLiteral("/token/introspection")); }
    QUrl revocationEndpoint() const { return endpoint(QStringLiteral("/token/revocation")); }

    static QString publicClient() { return QStringLiteral("pollux-public"); }
    static QString confidentialClient() { return QStringLiteral("pollux-confidential"); }
    static QString confidentialSecret() { return QStringLiteral("confidential-secret"); }
    static QString appClient() { return QStringLiteral("pollux-app"); }
    static QString appSecret() { return QStringLiteral("app-secret"); }
    static QString appMailbox() { return QStringLiteral("appmailbox"); }
    static QString dovecotClient() { return QStringLiteral("dovecot"); }
    static QString dovecotSecret() { return QStringLiteral("dovecot-secret"); }

    // What the server wrote to stderr (warnings, grant events; never token values).
    QString logPath() const;
    QString logTail() const;

    static QString modulesDir();

private:
    QUrl endpoint(const QString &path) const { return QUrl(m_issuer + path); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
    QString m_issuer;
    QString m_nodeVersion;
    quint16 m_port = 0;
    int m_accessTtl = 60;
    int m_refreshTtl = 3600;
    int m_deviceTtl = 120;
    int m_rotationGrace = 0;
    QStringList m_users{QStringLiteral("oidcuser")};
};

} // namespace pollux::test
