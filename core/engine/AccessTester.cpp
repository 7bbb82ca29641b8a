#include "AccessTester.h"

#include "engine/OAuthAccess.h"
#include "engine/PollPass.h"
#include "net/MailboxClient.h"
#include "secrets/SecretStore.h"

#include <QPointer>

namespace pollux {

namespace {

// [IN-USE] (RFC 2449) as the POP3 client reports it; IMAP servers say "[INUSE]" (RFC 5530).
bool saysMailboxLocked(const QString &message)
{
    return message.contains(QLatin1String("mailbox is locked"), Qt::CaseInsensitive) ||
           message.contains(QLatin1String("[IN-USE]"), Qt::CaseInsensitive) ||
           message.contains(QLatin1String("[INUSE]"), Qt::CaseInsensitive);
}

} // namespace

// What went wrong in words a user can act on, keeping the code and the technical detail.
Result AccessTester::describe(const AccountConfig &account, const Result &error,
                              const QString &fingerprint)
{
    const QString where = QStringLiteral("%1:%2").arg(account.host).arg(account.port);
    const QString detail = QStringLiteral(" (") + error.message() + QLatin1Char(')');
    QString text;
    if (isOAuth2(account.signIn)) {
        // Which step failed: getting a token (token endpoint), the stored sign-in (consent
        // revoked, expired), or the mailbox taking the token (mailbox login).
        const QString message = error.message();
        if (error.code() == ErrorCode::SignInNeeded)
            return error.withMessage(QStringLiteral("Sign-in needed: the provider no longer "
                                                    "accepts the stored sign-in of \"%1\" (it was "
                                                    "revoked, expired or never made); sign in "
                                                    "again.")
                                         .arg(account.name) +
                                     detail);
        if (message.startsWith(QLatin1String("token endpoint")))
            return error.withMessage(QStringLiteral("Token endpoint: no access token came from "
                                                    "the provider; check the network, the client "
                                                    "ID and secret, and the endpoints.") +
                                     detail);
        if (error.code() == ErrorCode::AuthFailed)
            return error.withMessage(QStringLiteral("Mailbox login: %1 refused the access token "
                                                    "(the provider gave one); check the user name "
                                                    "and that the app registration has the mail "
                                                    "permission for POP3/IMAP.")
                                         .arg(where) +
                                     detail);
        if (error.code() == ErrorCode::Secrets)
            return error.withMessage(QStringLiteral("The keychain could not give the sign-in of "
                                                    "\"%1\" (its client secret or refresh "
                                                    "token).")
                                         .arg(account.name) +
                                     detail);
    }
    switch (error.code()) {
    case ErrorCode::HostNotFound:
        text = QStringLiteral("The server name \"%1\" was not found (DNS lookup failed); check "
                              "the server name.")
                   .arg(account.host);
        break;
    case ErrorCode::ConnectionRefused:
        text = QStringLiteral("%1 refused the connection: no mail server listens on that port, "
                              "or a firewall rejects it; check the server type and port.")
                   .arg(where);
        break;
    case ErrorCode::Timeout:
        text = QStringLiteral("%1 did not answer within %2 s; check the server name, port and "
                              "firewall.")
                   .arg(where)
                   .arg(account.timeoutSecs);
        break;
    case ErrorCode::Tls:
        text = fingerprint.isEmpty()
                   ? QStringLiteral("Secure connection to %1 failed.").arg(where)
                   : QStringLiteral("The certificate of %1 is not trusted. Its SHA-256 "
                                    "fingerprint is %2; trust it only if the server's "
                                    "administrator confirms this fingerprint.")
                         .arg(where, fingerprint);
        break;
    case ErrorCode::AuthFailed:
        text = QStringLiteral("The server rejected the login; check the user name and password.");
        break;
    case ErrorCode::TemporaryFailure:
        text = saysMailboxLocked(error.message())
                   ? QStringLiteral("The mailbox is locked: another program is collecting its "
                                    "mail right now; try again in a few minutes.")
                   : QStringLiteral("The server reported a temporary problem; try again later.");
        break;
    case ErrorCode::Secrets:
        // A missing password keeps its own words: they say where to store it, and the UI
        // knows it by them (ui::ErrorText::isMissingSecret()).
        if (error.message().startsWith(QLatin1String("no password stored")))
            return error;
        text = QStringLiteral("The password could not be read from the keychain.");
        break;
    default:
        return error;
    }
    return error.withMessage(text + detail);
}

class AccessTester::Private
{
public:
    explicit Private(AccessTester *tester, SecretStore *store) : q(tester), secrets(store) {}

    void begin(const QString &password);
    void onListed(const QList<RemoteMessage> &messages);
    void finish(const Result &result);
    void dropClient();

    AccessTester *q;
    SecretStore *secrets;
    AccountConfig account;
    QList<QSslCertificate> extraCaCertificates;
    QPointer<MailboxClient> client;
    std::unique_ptr<OAuthAccess> oauth; // OAuth2 accounts, for one start()
    quint64 generation = 0;             // a keychain answer for an earlier start() is ignored
    bool running = false;
    Outcome outcome;
};

void AccessTester::Private::begin(const QString &password)
{
    Result error;
    client = PollPass::createClient(account.type, error);
    if (!client) {
        finish(error);
        return;
    }
    client->setParent(q);
    QObject::connect(client, &MailboxClient::opened, q, [this] { client->list(); });
    QObject::connect(client, &MailboxClient::listed, q,
                     [this](const QList<RemoteMessage> &messages) { onListed(messages); });
    QObject::connect(client, &MailboxClient::closed, q,
                     [this](bool) { finish(Result::success()); });
    QObject::connect(client, &MailboxClient::failed, q, [this](const Result &e) { finish(e); });

    PollPass::Settings settings;
    settings.account = account;
    settings.extraCaCertificates = extraCaCertificates;
    client->open(PollPass::mailboxOptions(settings, password));
}

void AccessTester::Private::onListed(const QList<RemoteMessage> &messages)
{
    outcome.messages = int(messages.size());
    outcome.bytes = 0;
    for (const RemoteMessage &m : messages)
        outcome.bytes += m.size;
    client->close(); // nothing was marked: the mailbox stays as it was
}

void AccessTester::Private::finish(const Result &result)
{
    if (!running)
        return;
    running = false;
    if (client)
        outcome.presentedFingerprint = client->peerFingerprint();
    outcome.result = result.ok() ? result : describe(account, result, outcome.presentedFingerprint);
    if (!result.ok()) {
        outcome.messages = 0;
        outcome.bytes = 0;
    }
    dropClient();
    emit q->finished(outcome);
}

void AccessTester::Private::dropClient()
{
    if (!client)
        return;
    client->disconnect(q);
    client->abort();
    client->deleteLater(); // we may be inside one of its signals
    client = nullptr;
}

AccessTester::AccessTester(SecretStore *secrets, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(this, secrets))
{
}

AccessTester::~AccessTester()
{
    if (d->client) {
        d->client->disconnect(this);
        d->client->abort();
    }
}

void AccessTester::start(const AccountConfig &account,
                         const QList<QSslCertificate> &extraCaCertificates, const QString &password)
{
    if (d->running)
        cancel();
    ++d->generation;
    d->account = account;
    d->extraCaCertificates = extraCaCertificates;
    d->outcome = Outcome();
    d->running = true;
    if (!password.isEmpty() || !d->secrets) {
        // Asynchronous like every other path, so finished() never comes from inside start().
        QMetaObject::invokeMethod(
            this,
            [this, generation = d->generation, password] {
                if (d->running && generation == d->generation)
                    d->begin(password);
            },
            Qt::QueuedConnection);
        return;
    }
    QPointer<AccessTester> self(this);
    if (isOAuth2(account.signIn)) {
        // The token as a pass gets it: from the stored sign-in (or app-only credentials).
        d->oauth = std::make_unique<OAuthAccess>(account, d->secrets);
        d->oauth->accessToken(
            [self, generation = d->generation](const Result &r, const QString &token, bool) {
                if (!self || !self->d->running || generation != self->d->generation)
                    return;
                if (!r)
                    self->d->finish(r);
                else
                    self->d->begin(token);
            });
        return;
    }
    d->secrets->read(secretKey(SecretKind::Account, account.name),
                     [self, generation = d->generation](Result r, QString secret) {
                         if (!self || !self->d->running || generation != self->d->generation)
                             return;
                         if (!r)
                             self->d->finish(r);
                         else
                             self->d->begin(secret);
                     });
}

void AccessTester::cancel()
{
    if (!d->running)
        return;
    ++d->generation;
    d->dropClient();
    d->finish(Result::failure(ErrorCode::Cancelled, QStringLiteral("test cancelled")));
}

} // namespace pollux
