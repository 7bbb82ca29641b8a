#include "oauth/BrowserSignIn.h"

#include "oauth/Log.h"
#include "oauth/TokenClient.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QOAuth2AuthorizationCodeFlow>
#include <QOAuthOobReplyHandler>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <optional>

// The authorization code grant with PKCE, by Qt Network Authorization:
//  - QOAuth2AuthorizationCodeFlow builds the authorization URL (client_id, redirect_uri,
//    scope, state), checks the redirect's `state`, `code` and `error`, and sends the token
//    request (grant_type, code, redirect_uri, client_id, client_secret when there is one).
//    Qt 6.4 has no PKCE switch: code_challenge / code_challenge_method=S256 and code_verifier
//    go in through setModifyParametersFunction. Its `state` generator is a time-seeded
//    mt19937, so the state is set here from the system CSPRNG.
//  - The flow's reply handler is LoopbackReplyHandler below, a QOAuthOobReplyHandler with its
//    own loopback listener. Qt 6.4's QOAuthHttpServerReplyHandler (6.4.2 source) could not be
//    used as it is: it reads a request URL of any length into memory, logs the whole URL
//    (code included) at warning level for a request to another path, takes any path that
//    starts with the callback path, fails a request whose header arrives in two TCP segments,
//    has no timeout per connection, and always answers the same "received" page before the
//    outcome is known. Ours reads at most 8 KiB per request, 10 s per connection, at most
//    8 connections at a time, answers only GET on exactly /callback (404 elsewhere), and
//    answers the browser once the tokens have arrived or the sign-in failed.
//  - Qt's flow silently ignores a redirect it refuses (wrong state, no code) and leaves a
//    failed token request hanging; so every redirect is checked afterwards by the flow's
//    status, and the token answer goes to the handler's networkReplyFinished(), which reads
//    at most 64 KiB and parses it with parseTokenResponse() (OAuth2 errors -> OAuthError,
//    refresh_token_expires_in).
// A redirect with a wrong or missing state ends the sign-in with an error (a later right one
// is not taken): a stray or forged request to the port is visible at once, not a hang. No
// code, state, verifier or token is ever logged or put in a `detail`.

namespace pollux::oauth {

namespace {

constexpr qint64 maxRequestBytes = 8 * 1024;
constexpr int connectionTimeoutMs = 10000;
constexpr int maxConnections = 8;
const char callbackPath[] = "/callback";

QString base64Url(const QByteArray &bytes)
{
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray randomBytes(int words)
{
    QByteArray out(words * int(sizeof(quint32)), Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(out.data()), words);
    return out;
}

struct Page
{
    int status = 200;
    QByteArray reason = "OK";
    QString title;
    QString text;
    QString detail;
};

QByteArray httpAnswer(const Page &page)
{
    QString html = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                                  "<title>Pollux</title></head><body><h1>%1</h1><p>%2</p>")
                       .arg(page.title.toHtmlEscaped(), page.text.toHtmlEscaped());
    if (!page.detail.isEmpty())
        html += QStringLiteral("<p><small>%1</small></p>").arg(page.detail.toHtmlEscaped());
    html += QStringLiteral("</body></html>\n");
    const QByteArray body = html.toUtf8();
    return "HTTP/1.1 " + QByteArray::number(page.status) + ' ' + page.reason +
           "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
           QByteArray::number(body.size()) +
           "\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n"
           "Connection: close\r\n\r\n" +
           body;
}

Page plainPage(int status, const char *reason, const char *text)
{
    Page p;
    p.status = status;
    p.reason = reason;
    p.title = QStringLiteral("Pollux");
    p.text = QLatin1String(text);
    return p;
}

// Caps every answer of the provider (the flow's token request) at maxResponseBytes, bounds
// its time, never follows a redirect or uses a cache.
class BoundedNetworkAccessManager final : public QNetworkAccessManager
{
public:
    BoundedNetworkAccessManager(int timeoutSecs, QObject *parent)
        : QNetworkAccessManager(parent), m_timeoutMs(qMax(1, timeoutSecs) * 1000)
    {
    }

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &original,
                                 QIODevice *data) override
    {
        QNetworkRequest request(original);
        request.setRawHeader("Accept", "application/json");
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                             QNetworkRequest::AlwaysNetwork);
        request.setTransferTimeout(m_timeoutMs);
        QNetworkReply *reply = QNetworkAccessManager::createRequest(op, request, data);
        reply->setReadBufferSize(maxResponseBytes + 1);
        connect(reply, &QNetworkReply::readyRead, reply, [reply] {
            if (reply->bytesAvailable() > maxResponseBytes) {
                reply->setProperty("polluxTooLarge", true);
                reply->abort();
            }
        });
        lastReply = reply;
        return reply;
    }

public:
    QPointer<QNetworkReply> lastReply;

private:
    int m_timeoutMs;
};

// The loopback end of the redirect (RFC 8252 §7.3) as the flow's reply handler; see the
// comment at the top for why it is not QOAuthHttpServerReplyHandler.
class LoopbackReplyHandler final : public QOAuthOobReplyHandler
{
public:
    // The answer for a request to the callback path, or nullopt to hold the browser's
    // connection until answerPending().
    std::function<std::optional<Page>(const QVariantMap &query, bool repeated)> onCallback;
    std::function<void(QNetworkReply *)> onTokenReply;

    explicit LoopbackReplyHandler(QObject *parent) : QOAuthOobReplyHandler(parent)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] { acceptAll(); });
    }

    ~LoopbackReplyHandler() override
    {
        // The connections die with m_server, after this object's members: they must not
        // call back into it then.
        m_server.close();
        const auto sockets = m_server.findChildren<QTcpSocket *>();
        for (QTcpSocket *socket : sockets)
            disconnect(socket, nullptr, this, nullptr);
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString listenError() const { return m_server.errorString(); }
    void close() { m_server.close(); }
    quint16 port() const { return m_server.serverPort(); }

    QString callback() const override
    {
        return QStringLiteral("http://127.0.0.1:%1%2")
            .arg(m_server.serverPort())
            .arg(QLatin1String(callbackPath));
    }

    void networkReplyFinished(QNetworkReply *reply) override
    {
        if (onTokenReply)
            onTokenReply(reply);
        else
            reply->deleteLater();
    }

    void answerPending(const Page &page)
    {
        if (m_pending)
            answer(m_pending, page);
        m_pending = nullptr;
    }

private:
    void acceptAll()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            if (m_open >= maxConnections) {
                socket->abort();
                continue;
            }
            ++m_open;
            connect(socket, &QObject::destroyed, this, [this] { --m_open; });
            // Qt stops reading from the kernel once this much is buffered.
            socket->setReadBufferSize(maxRequestBytes + 1);
            auto head = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, this,
                    [this, socket, head] { readHead(socket, *head); });
            QTimer::singleShot(connectionTimeoutMs, socket, [this, socket] {
                if (socket != m_pending)
                    socket->abort();
            });
        }
    }

    void readHead(QTcpSocket *socket, QByteArray &head)
    {
        head += socket->read(maxRequestBytes + 1 - head.size());
        qsizetype end = head.indexOf("\r\n\r\n");
        if (end < 0)
            end = head.indexOf("\n\n");
        if (end < 0) {
            if (head.size() > maxRequestBytes)
                answer(socket, plainPage(431, "Request Header Fields Too Large",
                                         "This request is too large."));
            return;
        }
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        handleRequest(socket, head.left(end));
    }

    void handleRequest(QTcpSocket *socket, const QByteArray &head)
    {
        qsizetype lineEnd = head.indexOf('\n');
        const QByteArray line = (lineEnd < 0 ? head : head.left(lineEnd)).trimmed();
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() != 3 || !parts.at(1).startsWith('/') ||
            !parts.at(2).startsWith("HTTP/1.")) {
            answer(socket, plainPage(400, "Bad Request", "This is not an HTTP request."));
            return;
        }
        if (parts.at(0) != "GET") {
            answer(socket, plainPage(405, "Method Not Allowed", "Only GET is answered here."));
            return;
        }
        const QUrl url(QStringLiteral("http://127.0.0.1") + QString::fromUtf8(parts.at(1)),
                       QUrl::StrictMode);
        if (!url.isValid() || url.path() != QLatin1String(callbackPath)) {
            answer(socket, plainPage(404, "Not Found", "Nothing here."));
            return;
        }
        QVariantMap query;
        bool repeated = false;
        const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
        for (const auto &[key, value] : items) {
            if (query.contains(key))
                repeated = true;
            query.insert(key, value);
        }
        std::optional<Page> page;
        if (onCallback)
            page = onCallback(query, repeated);
        else
            page = plainPage(410, "Gone", "This sign-in has ended.");
        if (page) {
            answer(socket, *page);
        } else {
            if (m_pending)
                answer(m_pending, plainPage(409, "Conflict", "Another answer arrived."));
            m_pending = socket;
        }
    }

    void answer(QTcpSocket *socket, const Page &page)
    {
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        socket->write(httpAnswer(page));
        socket->flush(); // before a deletion of the sign-in could drop it
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QPointer<QTcpSocket> m_pending;
    int m_open = 0;
};

} // namespace

struct BrowserSignIn::Private
{
    enum class State
    {
        Idle,
        Waiting,    // for the browser's redirect
        Exchanging, // the code for tokens
        Done,
    };

    explicit Private(BrowserSignIn *owner) : q(owner) {}

    BrowserSignIn *q;
    Provider provider;
    Opener opener;
    int timeoutSecs = 300;
    int generation = 0; // of start() and cancel(): a finished() queued before is dropped
    bool pkce = true;
    QString successText = QStringLiteral("Pollux is signed in. You can close this tab.");
    QString failureText =
        QStringLiteral("Pollux could not sign in. You can close this tab and try again.");
    State state = State::Idle;
    QTimer timer;
    // Children of the BrowserSignIn; replaced at each start(), deleted in the destructor
    // before this struct.
    QPointer<BoundedNetworkAccessManager> network;
    QPointer<LoopbackReplyHandler> handler;
    QPointer<QOAuth2AuthorizationCodeFlow> flow;
    QPointer<QNetworkReply> tokenReply;

    std::optional<Page> onRedirect(const QVariantMap &query, bool repeated);
    void onTokenReply(QNetworkReply *reply);
    void finish(OAuthError error, const QString &detail, const TokenSet &tokens = {});
    Page failurePage(const QString &detail) const
    {
        Page page;
        page.status = 400;
        page.reason = "Bad Request";
        page.title = QStringLiteral("Pollux");
        page.text = failureText;
        page.detail = detail;
        return page;
    }

    void teardown()
    {
        if (handler) {
            handler->onCallback = nullptr;
            handler->onTokenReply = nullptr;
            handler->close();
        }
        // The flow's reply connection calls the handler without a context object: the reply
        // ends (and says so) while the handler still exists.
        if (tokenReply)
            tokenReply->abort();
        // Later: start() may run from a slot of browserOpened(), inside the flow. Deleted
        // replies first (children of the manager), and in the destructor with their parent.
        if (network)
            network->deleteLater();
        if (flow)
            flow->deleteLater();
        if (handler)
            handler->deleteLater();
        network = nullptr;
        flow = nullptr;
        handler = nullptr;
    }
};

// The browser's redirect to /callback. Qt's flow checks it (error, code, state) and, when it
// takes it, sends the token request; a redirect it does not take ends the sign-in here.
std::optional<Page> BrowserSignIn::Private::onRedirect(const QVariantMap &query, bool repeated)
{
    if (state != State::Waiting)
        return plainPage(410, "Gone", "This sign-in has ended; start it again in Pollux.");
    const QString stateKey = QStringLiteral("state");
    const QString codeKey = QStringLiteral("code");
    const QString errorKey = QStringLiteral("error");
    if (!query.contains(stateKey) && !query.contains(codeKey) && !query.contains(errorKey))
        return plainPage(400, "Bad Request", "This is not an answer to a sign-in.");
    if (repeated) {
        // RFC 6749 §3.1: no parameter more than once; which one would be meant?
        const QString why = QStringLiteral("the redirect repeats a parameter; refused");
        finish(OAuthError::Protocol, why);
        return failurePage(why);
    }
    QPointer<QOAuth2AuthorizationCodeFlow> f = flow;
    emit handler->callbackReceived(query); // Qt's flow, synchronously
    if (state != State::Waiting || !f)
        return plainPage(410, "Gone", "This sign-in has ended.");
    if (f->status() == QAbstractOAuth::Status::TemporaryCredentialsReceived) {
        // The state matched and the token request is on its way: answer the browser when
        // it is back.
        state = State::Exchanging;
        tokenReply = network ? network->lastReply : nullptr;
        return std::nullopt;
    }
    OAuthError error = OAuthError::Protocol;
    QString why;
    // The state first: an error redirect that is not this sign-in's is no answer either.
    if (query.value(stateKey).toString() != f->state()) {
        why = query.contains(stateKey)
                  ? QStringLiteral("the redirect carries a state that is not this sign-in's; "
                                   "refused")
                  : QStringLiteral("the redirect carries no state; refused");
    } else if (query.contains(errorKey)) {
        // The provider's error (the user said no: access_denied), mapped like a token
        // endpoint's error, its strings sanitized there.
        QJsonObject o;
        o.insert(errorKey, query.value(errorKey).toString());
        const QString description = query.value(QStringLiteral("error_description")).toString();
        if (!description.isEmpty())
            o.insert(QStringLiteral("error_description"), description);
        TokenSet none;
        error =
            parseTokenResponse(400, QJsonDocument(o).toJson(QJsonDocument::Compact), none, &why);
        why = QStringLiteral("the provider refused the sign-in: ") + why;
    } else {
        why = QStringLiteral("the redirect carries no authorization code");
    }
    finish(error, why);
    return failurePage(why);
}

// The answer of the token endpoint to the flow's code exchange (at most maxResponseBytes,
// see BoundedNetworkAccessManager).
void BrowserSignIn::Private::onTokenReply(QNetworkReply *reply)
{
    reply->deleteLater();
    if (state != State::Exchanging)
        return;
    const QString endpoint = reply->url().path();
    if (reply->property("polluxTooLarge").toBool()) {
        finish(OAuthError::TooLarge, QStringLiteral("the answer from %1 is larger than %2 bytes")
                                         .arg(endpoint)
                                         .arg(maxResponseBytes));
        return;
    }
    const QByteArray body = reply->read(maxResponseBytes + 1);
    // As in TokenClient: Qt's codes below 200 are transport failures; from 200 up they
    // restate the HTTP status, whose body holds the OAuth2 error.
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const bool transportError = reply->error() != QNetworkReply::NoError &&
                                int(reply->error()) < int(QNetworkReply::ContentAccessDenied);
    if (!status.isValid() || transportError) {
        const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError ||
                              reply->error() == QNetworkReply::TimeoutError;
        finish(timedOut ? OAuthError::Timeout : OAuthError::Network,
               QStringLiteral("%1: %2").arg(endpoint, reply->errorString()));
        return;
    }
    TokenSet tokens;
    QString why;
    const OAuthError e = parseTokenResponse(status.toInt(), body, tokens, &why);
    finish(e, e == OAuthError::None ? QString() : why, tokens);
}

void BrowserSignIn::Private::finish(OAuthError error, const QString &detail, const TokenSet &tokens)
{
    if (state == State::Done || state == State::Idle)
        return;
    state = State::Done;
    timer.stop();
    if (handler) {
        if (error == OAuthError::None) {
            Page page;
            page.title = QStringLiteral("Pollux");
            page.text = successText;
            handler->answerPending(page);
        } else {
            handler->answerPending(failurePage(detail));
        }
        handler->close();
    }
    if (tokenReply)
        tokenReply->abort();
    if (error == OAuthError::None)
        qCInfo(lcOAuth) << "browser sign-in: tokens received"
                        << (tokens.refreshToken.isEmpty() ? "(no refresh token)"
                                                          : "(with a refresh token)");
    else
        qCInfo(lcOAuth) << "browser sign-in failed:" << oauthErrorName(error) << detail;
    // From the event loop, not from inside the handler or the flow: a slot may delete this
    // object or start it again.
    QTimer::singleShot(0, q, [q = q, generation = generation, error, detail, tokens] {
        if (q->d->generation == generation)
            emit q->finished(error, detail, tokens);
    });
}

BrowserSignIn::BrowserSignIn(const Provider &provider, Opener opener, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(this))
{
    d->provider = provider;
    d->opener = std::move(opener);
    d->timer.setSingleShot(true);
    connect(&d->timer, &QTimer::timeout, this, [this] {
        d->finish(OAuthError::Timeout,
                  QStringLiteral("no answer from the browser within %1 s").arg(d->timeoutSecs));
    });
}

BrowserSignIn::~BrowserSignIn()
{
    d->state = Private::State::Done;
    d->teardown();
}

void BrowserSignIn::setTimeoutSecs(int secs)
{
    d->timeoutSecs = qMax(1, secs);
}

void BrowserSignIn::setPageTexts(const QString &success, const QString &failure)
{
    d->successText = success;
    d->failureText = failure;
}

void BrowserSignIn::setPkceForTesting(bool on)
{
    d->pkce = on;
}

QString BrowserSignIn::registeredRedirectUri()
{
    return QStringLiteral("http://127.0.0.1") + QLatin1String(callbackPath);
}

QUrl BrowserSignIn::redirectUri() const
{
    if (!d->handler || d->state == Private::State::Idle)
        return {};
    return QUrl(d->handler->callback());
}

void BrowserSignIn::cancel()
{
    ++d->generation;
    if (d->state == Private::State::Waiting || d->state == Private::State::Exchanging) {
        d->state = Private::State::Done;
        d->timer.stop();
        if (d->handler) {
            d->handler->answerPending(
                plainPage(410, "Gone", "This sign-in was cancelled in Pollux."));
            d->handler->close();
        }
        if (d->tokenReply)
            d->tokenReply->abort();
    }
}

void BrowserSignIn::start()
{
    if (d->state == Private::State::Waiting || d->state == Private::State::Exchanging)
        return;
    d->teardown();
    ++d->generation;
    d->state = Private::State::Waiting;
    d->timer.start(d->timeoutSecs * 1000);
    d->tokenReply = nullptr;
    const Provider &p = d->provider;
    QString problem;
    if (p.clientId.isEmpty())
        problem = QStringLiteral("no client ID");
    else if (!TokenClient::acceptableEndpoint(p.authorizationEndpoint))
        problem = QStringLiteral("the authorization endpoint is neither https nor a loopback "
                                 "address");
    else if (!TokenClient::acceptableEndpoint(p.tokenEndpoint))
        problem = QStringLiteral("the token endpoint is neither https nor a loopback address");
    if (!problem.isEmpty()) {
        QTimer::singleShot(0, this, [this, problem] { d->finish(OAuthError::Protocol, problem); });
        return;
    }

    d->network = new BoundedNetworkAccessManager(p.timeoutSecs, this);
    d->handler = new LoopbackReplyHandler(this);
    if (!d->handler->listen()) {
        const QString why = d->handler->listenError();
        QTimer::singleShot(0, this, [this, why] {
            d->finish(OAuthError::Network, QStringLiteral("cannot listen on 127.0.0.1: ") + why);
        });
        return;
    }
    d->flow = new QOAuth2AuthorizationCodeFlow(p.clientId, p.authorizationEndpoint, p.tokenEndpoint,
                                               d->network, this);
    d->flow->setReplyHandler(d->handler);
    d->flow->setScope(p.scopes.join(QLatin1Char(' ')));
    if (!p.clientSecret.isEmpty())
        d->flow->setClientIdentifierSharedKey(p.clientSecret); // client_secret_post
    d->flow->setState(base64Url(randomBytes(8)));              // 256 bits

    // PKCE (RFC 7636): a 64-character verifier from the system CSPRNG (48 bytes,
    // base64url), its SHA-256 as the challenge.
    const QString verifier = base64Url(randomBytes(12));
    const QString challenge =
        base64Url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256));
    const bool pkce = d->pkce;
    // A refresh token: OpenID Connect (§11) grants offline_access only with prompt=consent
    // (oidc-provider drops the scope otherwise); Google issues one only with
    // access_type=offline. Microsoft needs neither (and prompt=consent would fail where
    // users may not consent themselves), so neither is sent to other providers.
    const bool oidcOffline = p.scopes.contains(QLatin1String("openid")) &&
                             p.scopes.contains(QLatin1String("offline_access"));
    const bool google = p.authorizationEndpoint.host() == QLatin1String("accounts.google.com");
    // Qt replaces the endpoint's own query (Azure AD B2C's "?p=<policy>", say): kept here.
    const auto endpointQuery = QUrlQuery(p.authorizationEndpoint).queryItems(QUrl::FullyDecoded);
    d->flow->setModifyParametersFunction(
        [verifier, challenge, pkce, oidcOffline, google,
         endpointQuery](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *parameters) {
            if (stage == QAbstractOAuth::Stage::RequestingAuthorization) {
                for (const auto &[key, value] : endpointQuery) {
                    if (!parameters->contains(key))
                        parameters->insert(key, value);
                }
                if (oidcOffline)
                    parameters->insert(QStringLiteral("prompt"), QStringLiteral("consent"));
                if (google)
                    parameters->insert(QStringLiteral("access_type"), QStringLiteral("offline"));
            }
            if (!pkce)
                return;
            if (stage == QAbstractOAuth::Stage::RequestingAuthorization) {
                parameters->insert(QStringLiteral("code_challenge"), challenge);
                parameters->insert(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
            } else if (stage == QAbstractOAuth::Stage::RequestingAccessToken) {
                parameters->insert(QStringLiteral("code_verifier"), verifier);
            }
        });

    Private *priv = d.get();
    d->handler->onCallback = [priv](const QVariantMap &query, bool repeated) {
        return priv->onRedirect(query, repeated);
    };
    d->handler->onTokenReply = [priv](QNetworkReply *reply) { priv->onTokenReply(reply); };
    connect(d->flow, &QAbstractOAuth::authorizeWithBrowser, this, [this](const QUrl &url) {
        if (d->state != Private::State::Waiting)
            return;
        const bool opened = d->opener ? d->opener(url) : false;
        if (!opened) {
            QTimer::singleShot(0, this, [this] {
                d->finish(OAuthError::OtherError,
                          QStringLiteral("the system browser could not be opened"));
            });
            return;
        }
        emit browserOpened(url);
    });
    qCInfo(lcOAuth) << "browser sign-in: waiting for the redirect on port" << d->handler->port();
    // grant() emits authorizeWithBrowser synchronously; finished() must not come from
    // inside start().
    QTimer::singleShot(0, d->flow, [flow = d->flow] { flow->grant(); });
}

} // namespace pollux::oauth
