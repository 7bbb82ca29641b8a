#include "oauth/BrowserSignIn.h"

#include <QTimer>

// PLACEHOLDER of the foundation commit, replaced by the real flow (Qt Network
// Authorization) in the next change: it fails every sign-in.
namespace pollux::oauth {

struct BrowserSignIn::Private
{
    Provider provider;
    Opener opener;
    int timeoutSecs = 300;
    bool active = false;
};

BrowserSignIn::BrowserSignIn(const Provider &provider, Opener opener, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->provider = provider;
    d->opener = std::move(opener);
}

BrowserSignIn::~BrowserSignIn() = default;

void BrowserSignIn::setTimeoutSecs(int secs)
{
    d->timeoutSecs = secs;
}

void BrowserSignIn::start()
{
    d->active = true;
    QTimer::singleShot(0, this, [this] {
        if (d->active)
            emit finished(OAuthError::Protocol, QStringLiteral("browser sign-in is not built yet"),
                          {});
    });
}

void BrowserSignIn::cancel()
{
    d->active = false;
}

QUrl BrowserSignIn::redirectUri() const
{
    return {};
}

} // namespace pollux::oauth
