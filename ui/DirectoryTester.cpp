#include "DirectoryTester.h"

#include "routing/DirectoryFactory.h"
#include "util/Clock.h"

#include <QThread>

#include <memory>

namespace pollux::ui {

namespace {
struct Outcome
{
    Result result;
    bool known = false;
    QString detail;
};
} // namespace

void DirectoryTester::start(const Config &config, const QString &ldapPassword,
                            const QString &smtpPassword,
                            const QList<QSslCertificate> &extraCaCertificates,
                            const QString &address)
{
    m_running = true;
    auto outcome = std::make_shared<Outcome>();
    routing::DirectorySecrets secrets;
    secrets.ldapPassword = ldapPassword;
    secrets.smtpPassword = smtpPassword;
    QThread *thread = QThread::create([config, secrets, extraCaCertificates, address, outcome] {
        std::unique_ptr<routing::RecipientDirectory> directory =
            routing::makeDirectory(config, secrets, extraCaCertificates, Clock::system());
        if (!directory) {
            outcome->known = true; // no directory: every local recipient counts as known
            return;
        }
        const routing::DirectoryAnswer answer = directory->lookup(address);
        outcome->detail = answer.detail;
        if (answer.status == routing::DirectoryStatus::Unavailable)
            outcome->result = Result::failure(
                answer.error == ErrorCode::None ? ErrorCode::Network : answer.error, answer.detail);
        outcome->known = answer.status == routing::DirectoryStatus::Known;
    });
    thread->setObjectName(QStringLiteral("directory-test"));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, outcome] {
        m_running = false;
        emit finished(outcome->result, outcome->known, outcome->detail);
    });
    thread->start();
}

} // namespace pollux::ui
