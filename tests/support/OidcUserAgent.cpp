#include "support/OidcUserAgent.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

namespace pollux::test {

namespace {

constexpr int requestTimeoutMs = 15000;

struct Form
{
    QUrl action;
    QList<QPair<QString, QString>> hidden;
    bool hasLogin = false;
    bool hasAbort = false;
};

QString unescaped(QString s)
{
    s.replace(QLatin1String("&quot;"), QLatin1String("\""));
    s.replace(QLatin1String("&#39;"), QLatin1String("'"));
    s.replace(QLatin1String("&lt;"), QLatin1String("<"));
    s.replace(QLatin1String("&gt;"), QLatin1String(">"));
    s.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return s;
}

// The first <form method="post"> of the page and its hidden inputs.
bool firstForm(const QByteArray &page, const QUrl &base, Form &out)
{
    const QString html = QString::fromUtf8(page);
    static const QRegularExpression formRe(QStringLiteral("<form\\b([^>]*)>(.*?)</form>"),
                                           QRegularExpression::DotMatchesEverythingOption |
                                               QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression actionRe(QStringLiteral("action=\"([^\"]*)\""));
    static const QRegularExpression inputRe(QStringLiteral("<input\\b([^>]*)>"),
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression attrRe(QStringLiteral("(\\w+)=\"([^\"]*)\""));
    const QRegularExpressionMatch form = formRe.match(html);
    if (!form.hasMatch())
        return false;
    const QRegularExpressionMatch action = actionRe.match(form.captured(1));
    out.action = base.resolved(QUrl(action.hasMatch() ? unescaped(action.captured(1)) : QString()));
    auto inputs = inputRe.globalMatch(form.captured(2));
    while (inputs.hasNext()) {
        QHash<QString, QString> attrs;
        auto it = attrRe.globalMatch(inputs.next().captured(1));
        while (it.hasNext()) {
            const auto a = it.next();
            attrs.insert(a.captured(1).toLower(), unescaped(a.captured(2)));
        }
        if (attrs.value(QStringLiteral("type")) == QLatin1String("hidden"))
            out.hidden.append(
                {attrs.value(QStringLiteral("name")), attrs.value(QStringLiteral("value"))});
        if (attrs.value(QStringLiteral("name")) == QLatin1String("login"))
            out.hasLogin = true;
    }
    // The abort button of the device confirmation page sits after the form, tied to it by id.
    out.hasAbort = html.contains(QLatin1String("name=\"abort\""));
    return true;
}

QByteArray encoded(const QList<QPair<QString, QString>> &fields)
{
    QByteArray out;
    for (const auto &[key, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace

OidcUserAgent::OidcUserAgent() : m_network(new QNetworkAccessManager)
{
    m_network->setCookieJar(new QNetworkCookieJar(m_network));
    m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

OidcUserAgent::~OidcUserAgent()
{
    delete m_network;
}

bool OidcUserAgent::finish(QNetworkReply *reply, QString *error)
{
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(requestTimeoutMs);
    if (!reply->isFinished())
        loop.exec();
    const bool done = reply->isFinished();
    m_page = done ? reply->readAll() : QByteArray();
    m_url = reply->url();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->abort();
    reply->deleteLater();
    if (!done || status != 200) {
        *error = QStringLiteral("%1: %2").arg(m_url.toString(),
                                              done ? QStringLiteral("HTTP %1").arg(status)
                                                   : QStringLiteral("no answer"));
        return false;
    }
    return true;
}

bool OidcUserAgent::get(const QUrl &url, QString *error)
{
    QNetworkRequest request(url);
    return finish(m_network->get(request), error);
}

bool OidcUserAgent::post(const QUrl &url, const QByteArray &form, QString *error)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArray("application/x-www-form-urlencoded"));
    return finish(m_network->post(request, form), error);
}

bool OidcUserAgent::completeDeviceSignIn(const QUrl &verificationUriComplete, const QString &login,
                                         const QString &password, Decision decision, QString *error)
{
    if (!get(verificationUriComplete, error))
        return false;
    for (int step = 0; step < 8; ++step) {
        if (m_page.contains("<title>Sign-in Success</title>"))
            return decision == Decision::Approve;
        Form form;
        if (!firstForm(m_page, m_url, form)) {
            // After an abort the server shows its error page, which has no form.
            if (decision == Decision::Abort && step > 0)
                return true;
            *error = QStringLiteral("no form on %1").arg(m_url.toString());
            return false;
        }
        QList<QPair<QString, QString>> fields = form.hidden;
        if (form.hasLogin) {
            fields.append({QStringLiteral("login"), login});
            fields.append({QStringLiteral("password"), password});
        }
        if (form.hasAbort && decision == Decision::Abort) {
            fields.append({QStringLiteral("abort"), QStringLiteral("yes")});
            if (!post(form.action, encoded(fields), error))
                return false;
            return !m_page.contains("Sign-in Success");
        }
        if (!post(form.action, encoded(fields), error))
            return false;
    }
    *error = QStringLiteral("no end after 8 pages; last %1").arg(m_url.toString());
    return false;
}

bool OidcUserAgent::send(const QUrl &url, const QByteArray *form, int *status, QUrl *location,
                         QString *error)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = nullptr;
    if (form) {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArray("application/x-www-form-urlencoded"));
        reply = m_network->post(request, *form);
    } else {
        reply = m_network->get(request);
    }
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(requestTimeoutMs);
    if (!reply->isFinished())
        loop.exec();
    const bool done = reply->isFinished();
    const QVariant code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    m_page = done ? reply->readAll() : QByteArray();
    m_url = url;
    *status = code.toInt();
    *location = QUrl(QString::fromUtf8(reply->rawHeader("Location")));
    const QString why = reply->errorString();
    reply->abort();
    reply->deleteLater();
    if (!done || !code.isValid()) {
        *error = QStringLiteral("%1%2: %3")
                     .arg(url.toString(QUrl::RemoveQuery),
                          url.hasQuery() ? QStringLiteral("?...") : QString(),
                          done ? why : QStringLiteral("no answer"));
        return false;
    }
    return true;
}

bool OidcUserAgent::completeBrowserSignIn(const QUrl &authorizationUrl, const QString &login,
                                          const QString &password, Decision decision,
                                          const Tamper &tamper, QString *error)
{
    static const QRegularExpression abortRe(QStringLiteral("href=\"([^\"]*/abort)\""));
    m_redirect = QUrl();
    m_callbackStatus = 0;
    QUrl next = authorizationUrl;
    QByteArray form;
    bool isPost = false;
    for (int step = 0; step < 16; ++step) {
        const bool isCallback = next.scheme() == QLatin1String("http") &&
                                next.host() == QLatin1String("127.0.0.1") &&
                                next.path() == QLatin1String("/callback");
        if (isCallback) {
            m_redirect = next;
            QUrl target = next;
            QUrlQuery query(target);
            if (tamper.dropState || !tamper.state.isEmpty())
                query.removeAllQueryItems(QStringLiteral("state"));
            if (!tamper.state.isEmpty())
                query.addQueryItem(QStringLiteral("state"), tamper.state);
            target.setQuery(query);
            if (tamper.redirectPort != 0)
                target.setPort(tamper.redirectPort);
            int status = 0;
            QUrl location;
            if (!send(target, nullptr, &status, &location, error))
                return false;
            m_callbackStatus = status;
            return true;
        }
        int status = 0;
        QUrl location;
        if (!send(next, isPost ? &form : nullptr, &status, &location, error))
            return false;
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            next = m_url.resolved(location);
            isPost = false;
            continue;
        }
        if (status != 200) {
            *error = QStringLiteral("%1: HTTP %2").arg(m_url.path()).arg(status);
            return false;
        }
        Form f;
        if (!firstForm(m_page, m_url, f)) {
            *error = QStringLiteral("no form on %1").arg(m_url.path());
            return false;
        }
        if (!f.hasLogin && decision == Decision::Abort) {
            // The consent page: press its Cancel link.
            const QRegularExpressionMatch abort = abortRe.match(QString::fromUtf8(m_page));
            if (!abort.hasMatch()) {
                *error = QStringLiteral("no Cancel link on %1").arg(m_url.path());
                return false;
            }
            next = m_url.resolved(QUrl(unescaped(abort.captured(1))));
            isPost = false;
            continue;
        }
        QList<QPair<QString, QString>> fields = f.hidden;
        if (f.hasLogin) {
            fields.append({QStringLiteral("login"), login});
            fields.append({QStringLiteral("password"), password});
        }
        next = f.action;
        form = encoded(fields);
        isPost = true;
    }
    *error =
        QStringLiteral("no redirect to the callback after 16 steps; last %1").arg(m_url.path());
    return false;
}

} // namespace pollux::test
