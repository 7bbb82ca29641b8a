// The account dialog's "Detect" (issue 11, defect 9): EnvelopeDetector and the dialog's
// part of it.
#include "AccountDialogDetect.h"

#include "AccountAdvanced.h"
#include "AccountDialog.h"
#include "ErrorText.h"
#include "PasswordField.h"

#include "engine/RouteDryRun.h"
#include "util/Clock.h"

#include <QEventLoop>
#include <QThread>

#include <memory>

namespace pollux::ui {

namespace {
struct Outcome
{
    Result result;
    routing::EnvelopeDetection detection;
};
} // namespace

void EnvelopeDetector::start(const Config &config, const AccountConfig &account,
                             const QString &password,
                             const QList<QSslCertificate> &extraCaCertificates, int limit)
{
    m_running = true;
    auto outcome = std::make_shared<Outcome>();
    QThread *thread =
        QThread::create([config, account, password, extraCaCertificates, limit, outcome] {
            QEventLoop loop;
            RouteDryRun dryRun(nullptr, Clock::system());
            QObject::connect(&dryRun, &RouteDryRun::finished, &loop,
                             [&](const Result &r, const QList<routing::DryRunResult> &) {
                                 outcome->result = r;
                                 outcome->detection = dryRun.detection();
                                 loop.quit();
                             });
            dryRun.startWith(config, account, password, extraCaCertificates, limit);
            loop.exec();
        });
    thread->setObjectName(QStringLiteral("envelope-detect"));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, outcome] {
        m_running = false;
        emit finished(outcome->result, outcome->detection);
    });
    thread->start();
}

void AccountDialog::detectEnvelope()
{
    if (m_detector && m_detector->isRunning())
        return;
    if (!m_detector) {
        m_detector = new EnvelopeDetector(this);
        connect(m_detector, &EnvelopeDetector::finished, this, &AccountDialog::onDetectFinished);
    }
    Config config;
    config.acceptedDomains = m_context.acceptedDomains;
    config.acceptSubdomains = m_context.acceptSubdomains;
    const AccountConfig a = account();
    m_advanced->setDetecting(true, tr("Reading the headers of the newest %n message(s) on %1…", "",
                                      RouteDryRun::kDefaultLimit)
                                       .arg(a.host));
    m_detector->start(config, a, m_password->password(), m_context.extraCaCertificates,
                      RouteDryRun::kDefaultLimit);
}

void AccountDialog::onDetectFinished(const Result &result,
                                     const routing::EnvelopeDetection &detection)
{
    if (!result) {
        m_advanced->setDetecting(false,
                                 tr("Detection failed: %1").arg(ErrorText::describe(result)));
    } else if (detection.messages == 0) {
        m_advanced->setDetecting(false, tr("The mailbox is empty: there is nothing to detect "
                                           "from yet. Nothing was changed."));
    } else {
        m_advanced->applyDetection(detection.envelopeHeaders, detection.providerHosts);
        QStringList found;
        for (const routing::EnvelopeDetection::Field &f : detection.fields) {
            if (f.local > 0)
                found << tr("%1 (in %2 of %3)").arg(f.name).arg(f.local).arg(detection.messages);
        }
        const QString hosts = detection.providerHosts.isEmpty()
                                  ? tr("none found")
                                  : detection.providerHosts.join(QStringLiteral(", "));
        m_advanced->setDetecting(
            false,
            detection.found
                ? tr("Your provider writes the recipient in: %1. Provider's mail servers: %2. "
                     "Check the lists and press OK to keep them.")
                      .arg(found.join(QStringLiteral(", ")), hosts)
                : tr("No envelope header of your provider names a local recipient in the newest "
                     "%n message(s); the visible headers (To, Cc) would be used. Provider's "
                     "mail servers: %1.",
                     "", detection.messages)
                      .arg(hosts));
    }
    growToFit();
    emit detectFinished(result);
}

} // namespace pollux::ui
