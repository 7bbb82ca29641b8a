#pragma once

#include "config/Config.h"
#include "routing/EnvelopeDetect.h"
#include "util/Result.h"

#include <QList>
#include <QObject>
#include <QSslCertificate>

namespace pollux::ui {

// The account dialog's "Detect": runs engine/RouteDryRun (RouteDryRun::startWith, the
// password as typed, no directory) with its own event loop in a worker thread, so neither
// the mailbox nor the header parsing ever holds up the GUI; reports in the GUI thread.
class EnvelopeDetector : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    void start(const Config &config, const AccountConfig &account, const QString &password,
               const QList<QSslCertificate> &extraCaCertificates, int limit);
    bool isRunning() const { return m_running; }

signals:
    void finished(const pollux::Result &result,
                  const pollux::routing::EnvelopeDetection &detection);

private:
    bool m_running = false;
};

} // namespace pollux::ui
