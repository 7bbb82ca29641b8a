#include "RouteDryRun.h"

#include "engine/AccessTester.h"
#include "engine/Engine.h"
#include "engine/OAuthAccess.h"
#include "engine/PollPass.h"
#include "net/MailboxClient.h"
#include "routing/AcceptedDomains.h"
#include "routing/DirectoryFactory.h"
#include "secrets/SecretStore.h"
#include "util/Clock.h"

#include <QPointer>

namespace pollux {

class RouteDryRun::Private
{
public:
    Private(RouteDryRun *owner, SecretStore *store, Clock *c) : q(owner), secrets(store), clock(c)
    {
    }

    void open(const QString &password);
    void onListed(const QList<RemoteMessage> &messages);
    void onIdentities(const QList<RemoteIdentity> &identities);
    void readDirectorySecret();
    void route(const QString &ldapPassword, const QString &smtpPassword);
    void finish(const Result &result);
    void dropClient();

    RouteDryRun *q;
    SecretStore *secrets;
    Clock *clock;
    Config config;
    AccountConfig account;
    QList<QSslCertificate> cas;
    int limit = kDefaultLimit;
    QPointer<MailboxClient> client;
    std::unique_ptr<OAuthAccess> oauth; // OAuth2 accounts: the token as a pass gets it
    QList<routing::DryRunInput> inputs;
    routing::EnvelopeDetection detection;
    bool running = false;
    bool askDirectory = true;
};

void RouteDryRun::Private::open(const QString &password)
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
    QObject::connect(client, &MailboxClient::identitiesFetched, q,
                     [this](const QList<RemoteIdentity> &ids) { onIdentities(ids); });
    // Nothing was marked: closing changes nothing on the server.
    QObject::connect(client, &MailboxClient::closed, q, [this](bool) { readDirectorySecret(); });
    QObject::connect(client, &MailboxClient::failed, q, [this](const Result &e) {
        finish(AccessTester::describe(account, e, client ? client->peerFingerprint() : QString()));
    });
    PollPass::Settings settings;
    settings.account = account;
    settings.extraCaCertificates = cas;
    client->open(PollPass::mailboxOptions(settings, password));
}

void RouteDryRun::Private::onListed(const QList<RemoteMessage> &messages)
{
    // The newest are listed last (POP3 message numbers, IMAP UIDs ascend).
    const QList<RemoteMessage> last = messages.mid(qMax<qsizetype>(0, messages.size() - limit));
    if (last.isEmpty()) {
        client->close();
        return;
    }
    client->fetchIdentities(last);
}

void RouteDryRun::Private::onIdentities(const QList<RemoteIdentity> &identities)
{
    for (const RemoteIdentity &id : identities) {
        const QString label =
            isImap(account.type)
                ? QStringLiteral("UID %1").arg(id.message.index)
                : QStringLiteral("%1 (UID %2)").arg(id.message.index).arg(id.message.uid);
        inputs.append({label, id.header});
    }
    client->close();
}

void RouteDryRun::Private::readDirectorySecret()
{
    dropClient();
    const DirectoryType type = account.mailbox == MailboxType::CatchAllReroute && askDirectory
                                   ? config.directory.type
                                   : DirectoryType::None;
    const bool needLdap = type == DirectoryType::Ldap && !config.directory.bindDn.isEmpty();
    const bool needSmtp = type == DirectoryType::SmtpProbe && !config.smtp.username.isEmpty();
    if ((!needLdap && !needSmtp) || !secrets) {
        route({}, {});
        return;
    }
    QPointer<RouteDryRun> self(q);
    secrets->read(secretKey(needLdap ? SecretKind::Ldap : SecretKind::Smtp),
                  [self, needLdap](Result r, QString secret) {
                      if (!self || !self->d->running)
                          return;
                      if (!r) {
                          self->d->finish(r);
                          return;
                      }
                      if (needLdap)
                          self->d->route(secret, {});
                      else
                          self->d->route({}, secret);
                  });
}

void RouteDryRun::Private::route(const QString &ldapPassword, const QString &smtpPassword)
{
    std::unique_ptr<routing::RecipientDirectory> directory;
    if (account.mailbox == MailboxType::CatchAllReroute && askDirectory)
        directory = routing::makeDirectory(config, {ldapPassword, smtpPassword}, cas, clock);
    const QList<routing::DryRunResult> results =
        routing::dryRun(account, config, inputs, directory.get());
    QList<QByteArray> headers;
    for (const routing::DryRunInput &in : inputs)
        headers << in.header;
    const routing::AcceptedDomains domains(config.acceptedDomains, config.acceptSubdomains);
    routing::LocalPredicate isLocal;
    if (!domains.isEmpty())
        isLocal = [domains](const QString &a) { return domains.isLocal(a); };
    detection = routing::detectEnvelope(headers, isLocal, account.envelopeHeaders);
    running = false;
    emit q->finished(Result::success(), results);
}

void RouteDryRun::Private::finish(const Result &result)
{
    if (!running)
        return;
    running = false;
    dropClient();
    emit q->finished(result, {});
}

void RouteDryRun::Private::dropClient()
{
    if (!client)
        return;
    client->disconnect(q);
    client->abort();
    client->deleteLater(); // we may be inside one of its signals
    client = nullptr;
}

RouteDryRun::RouteDryRun(SecretStore *secrets, Clock *clock, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(this, secrets, clock ? clock : Clock::system()))
{
}

RouteDryRun::~RouteDryRun()
{
    if (d->client) {
        d->client->disconnect(this);
        d->client->abort();
    }
}

routing::EnvelopeDetection RouteDryRun::detection() const
{
    return d->detection;
}

void RouteDryRun::startWith(const Config &config, const AccountConfig &account,
                            const QString &password,
                            const QList<QSslCertificate> &extraCaCertificates, int limit)
{
    d->dropClient();
    d->config = config;
    d->limit = qMax(1, limit);
    d->inputs.clear();
    d->detection = {};
    d->askDirectory = false;
    d->running = true;
    d->account = account;
    d->cas = extraCaCertificates;
    QMetaObject::invokeMethod(
        this,
        [this, password] {
            if (d->running)
                d->open(password);
        },
        Qt::QueuedConnection);
}

void RouteDryRun::start(const Config &config, const QString &accountName, int limit)
{
    d->dropClient();
    d->config = config;
    d->limit = qMax(1, limit);
    d->inputs.clear();
    d->detection = {};
    d->askDirectory = true;
    d->running = true;
    const AccountConfig *account = config.account(accountName);
    // The whole configuration first, as a pass would see it: a dry run of a configuration
    // that cannot run (e.g. "@example.com" in the accepted domains makes every recipient
    // foreign) would show routes that never happen.
    Result error = config.validate();
    if (error && !account)
        error = Result::failure(ErrorCode::Config,
                                QStringLiteral("no account named \"%1\"").arg(accountName));
    if (error)
        error = Engine::loadCaCertificates(config, d->cas);
    if (!error) {
        QMetaObject::invokeMethod(
            this, [this, error] { d->finish(error); }, Qt::QueuedConnection);
        return;
    }
    d->account = *account;
    QPointer<RouteDryRun> self(this);
    if (isOAuth2(account->signIn)) {
        d->oauth = std::make_unique<OAuthAccess>(*account, d->secrets);
        d->oauth->accessToken([self](const Result &r, const QString &token, bool) {
            if (!self || !self->d->running)
                return;
            if (!r)
                self->d->finish(r);
            else
                self->d->open(token);
        });
        return;
    }
    d->secrets->read(secretKey(SecretKind::Account, account->name),
                     [self](Result r, QString secret) {
                         if (!self || !self->d->running)
                             return;
                         if (!r)
                             self->d->finish(r);
                         else
                             self->d->open(secret);
                     });
}

} // namespace pollux
