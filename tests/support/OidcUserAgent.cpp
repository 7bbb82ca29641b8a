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

} // namespace pollux::test
