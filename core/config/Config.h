#pragma once

#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pollux {

// The four server types of the documented account dialog.
enum class ServerType
{
    Pop3,
    Pop3Ssl,
    Imap,
    ImapSsl
};
// Type of mailbox / distribution.
enum class MailboxType
{
    SingleUser,
    CatchAll,
    CatchAllReroute
};
// Delete / keep email on the server.
enum class Retention
{
    Delete,
    Keep,
    KeepDays
};

// How an account signs in to its mailbox. Every method but Password is OAuth2: the keychain
// holds a refresh token ("oauth2-refresh/<name>", after an interactive sign-in) or, for
// app-only, the client secret ("oauth2-client/<name>") the tokens are asked for with.
enum class SignInMethod
{
    Password,        // the keychain's "account/<name>" (a password, or a pasted token)
    Microsoft365,    // Microsoft identity platform, delegated (the user signs in)
    Google,          // Google, delegated
    OAuth2,          // another provider: endpoints and scopes from the account's oauth2
    Microsoft365App, // Microsoft 365 app-only: client credentials, no user (*.AccessAsApp)
};
bool isOAuth2(SignInMethod method);

quint16 defaultPort(ServerType type); // 110, 995, 143, 993
bool isImap(ServerType type);
bool isImplicitTls(ServerType type); // TLS from the first byte (pop3-ssl, imap-ssl)

// The lowercase names the configuration file uses ("pop3-ssl", "catch-all", "keep-days").
QString configName(ServerType type);
QString configName(MailboxType type);
QString configName(Retention retention);
QString configName(SignInMethod method); // "password", "microsoft365", "google", "oauth2",
                                         // "microsoft365-app"

// The app registration and provider of an OAuth2 account (docs/OAUTH.md). The presets
// (core/oauth/Presets.h) derive endpoints and scopes from the method, the tenant and the
// server type; only "oauth2" (another provider) takes them from here.
struct OAuth2Config
{
    QString clientId; // the admin's own app registration
    // Microsoft: the directory (tenant) ID or a verified domain; "organizations" (any work
    // or school account) by default. App-only needs the real tenant.
    QString tenant = QStringLiteral("organizations");
    // The registration has a client secret (kept in the keychain, never here): required by
    // Google and by app-only, optional elsewhere.
    bool clientSecret = false;
    // "oauth2" only (https, or http on a loopback address for tests):
    QString authorizationUrl; // authorization code flow; empty: no browser sign-in
    QString tokenUrl;         // required
    QString deviceUrl;        // RFC 8628 device authorization; empty: none
    QStringList scopes;       // required for "oauth2"; the presets' otherwise
    // "oauth2" only: app-only access (client credentials, no user, like Microsoft 365
    // app-only); needs clientSecret.
    bool appOnly = false;
};

struct AccountConfig
{
    QString name; // unique, also the keychain key ("account/<name>")
    bool enabled = true;
    ServerType type = ServerType::Pop3;
    QString host;
    quint16 port = 110;
    QString username;
    int timeoutSecs = 180;
    MailboxType mailbox = MailboxType::SingleUser;
    QString recipient; // single-user mailbox: where all mail goes
    Retention retention = Retention::Delete;
    int keepDays = 7;
    bool allowApop = true;

    // --- beyond the documented page ("Advanced") ---
    // pop3/imap (not -ssl): upgrade with STLS/STARTTLS, required (never silently skipped).
    bool startTls = false;
    // "auto" (strongest the server offers), or one of: "user" (POP3 USER/PASS), "apop",
    // "login" (IMAP LOGIN / SASL LOGIN), "plain", "cram-md5", "scram-sha-1",
    // "scram-sha-256", "xoauth2", "oauthbearer" (the keychain entry holds the access token).
    QString authMethod = QStringLiteral("auto");
    // Password, or an OAuth2 sign-in (then "auto" chooses OAUTHBEARER or XOAUTH2, whichever
    // the server offers, and the token comes from core/oauth, not from "account/<name>").
    SignInMethod signIn = SignInMethod::Password;
    OAuth2Config oauth2; // read only when signIn is not Password
    // Plaintext passwords (USER/PASS, LOGIN, PLAIN) only over TLS unless this is set.
    bool allowPlaintextLogin = false;
    bool idle = false;                        // IMAP IDLE: a pass as soon as mail arrives
    QString folder = QStringLiteral("INBOX"); // IMAP folder to collect
    // SHA-256 fingerprint (hex, colons optional) of a certificate trusted for this account
    // although it does not verify (self-signed). Empty: only verified certificates.
    QString pinnedFingerprint;
    // Catch-all: envelope headers to trust, in order; the first present one is the authority.
    QStringList envelopeHeaders = defaultEnvelopeHeaders();
    // Catch-all: the provider's own hosts (names, or domains standing for every name below
    // them), so that envelope headers its internal hops wrote are trusted too. Empty: only
    // what stands above the topmost Received: (and that line's "for") is trusted.
    QStringList providerHosts;

    // App-only (client credentials): microsoft365-app, or oauth2 with oauth2.appOnly.
    bool isAppOnly() const;
    // An OAuth2 sign-in that a person performs (browser or device code) before the first
    // pass: every OAuth2 method but app-only.
    bool needsInteractiveSignIn() const { return isOAuth2(signIn) && !isAppOnly(); }

    static QStringList defaultEnvelopeHeaders();
    static QStringList authMethods(); // the valid values of authMethod
};

// The office mail server that receives what we collect.
struct SmtpConfig
{
    QString host;
    quint16 port = 25;
    bool startTls = false; // when set, STARTTLS is required, never silently skipped
    QString username;      // empty: no AUTH; password in the keychain ("smtp")
    QString heloName;      // empty: the local host name
    int timeoutSecs = 60;
    int retryIntervalSecs = 300;
};

// How unknown catch-all recipients are recognised (catch-all-reroute).
enum class DirectoryType
{
    None,      // every recipient in an accepted domain is taken as known
    Ldap,      // Active Directory or OpenLDAP
    SmtpProbe, // ask the office server with RCPT TO (550 5.1.1 = unknown)
};
QString configName(DirectoryType type);

struct DirectoryConfig
{
    DirectoryType type = DirectoryType::None;
    QString ldapUrl; // ldap://host:389 or ldaps://host:636
    bool ldapStartTls = false;
    QString baseDn;
    QString bindDn; // empty: anonymous; password in the keychain ("ldap")
    QString filter = QStringLiteral("(|(mail=%s)(proxyAddresses=smtp:%s))");
    int cacheTtlSecs = 3600;
    int timeoutSecs = 15; // for all the lookups of one message together (1-300)
};

// Alerts by e-mail (engine/AlertTracker, docs/RELIABILITY.md "Alerts"): to the postmaster
// and `extraAddress`, through the office server, in Config::language.
struct AlertsConfig
{
    bool enabled = true;
    QString extraAddress;              // also gets every alert; empty: the postmaster only
    QString from;                      // From: of alert mails; empty: the postmaster address
    int failingThresholdMinutes = 120; // a mailbox failing this long is reported (5-10080)
    int officeOutageMinutes = 15;      // office server outages from this long (0-1440)
};

struct Config
{
    QList<AccountConfig> accounts;
    SmtpConfig smtp;
    QString postmaster;
    QStringList acceptedDomains;
    int pollIntervalSecs = 300; // kMinPollIntervalSecs-kMaxPollIntervalSecs
    int maxPerPass = 200;
    // Most mail (MiB) the spool holds waiting for the office server. Past it, passes leave
    // new mail on the server (it stays there, safe) until deliveries make room.
    int spoolLimitMiB = 2048;
    QString dataDir; // spool + database; empty: the platform's app data location
    QString caFile;  // extra trusted CA certificates (PEM), for a private CA; empty: none
    QString logFile; // empty: the data dir's pollux.log
    qint64 logMaxBytes = 10 * 1024 * 1024; // the log is rotated to <file>.1 past this
    QString language;                      // "en", "de"; empty: the system's
    bool acceptSubdomains = false;         // sub.example.com counts as local when example.com is
    DirectoryConfig directory;
    int duplicateWindowDays = 7; // same Message-ID for the same recipient: delivered once
    AlertsConfig alerts;

    const AccountConfig *account(const QString &name) const;

    // Every problem names the field, e.g. "accounts[2].port: must be 1-65535". All problems
    // are reported, one per line, as ErrorCode::Config.
    Result validate() const;
    // What this configuration does, in plain words, one line per fact (accounts with server,
    // TLS, where their mail goes and what stays on the server; the office server; the
    // postmaster; the accepted domains): `pollux config check` prints it.
    QString describe() const;

    // Reads the JSON file described in docs/CONFIG.md. Missing keys take their defaults;
    // unknown keys (with the nearest known one suggested) and keys given twice are errors,
    // except notes ("comment", "x-..."); syntax errors name line and column, wrong types
    // name the field. Every problem found is reported, one per line, each line starting
    // with `source`. Does not validate(). A file that cannot be read is ErrorCode::Storage,
    // anything wrong with its content ErrorCode::Config.
    static Result load(const QString &path, Config &out);
    // The same, from the file's bytes (`source` names it in messages).
    static Result parse(const QByteArray &json, const QString &source, Config &out);
    QByteArray toJson() const;
    Result save(const QString &path) const; // atomic (QSaveFile)

    static constexpr int kFormatVersion = 1; // the file's "version" key
    static constexpr int kMinPollIntervalSecs = 60;
    static constexpr int kMaxPollIntervalSecs = 7 * 24 * 3600; // a week
};

} // namespace pollux
