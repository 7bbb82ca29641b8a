#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QThread>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace pollux {

namespace {

enum class Operation
{
    Read,
    Write,
    Remove
};

// One request, shared by its job, its retry and the hop back to the caller's thread.
struct Request
{
    Operation operation = Operation::Read;
    QString service;
    QString key;
    QString secret; // only for Write
    int retryDelayMs = 0;
    bool retried = false;
    SecretStore::ReadCallback readDone;
    SecretStore::WriteCallback writeDone;
};

Result mapError(const Request &request, QKeychain::Error error, const QString &detail)
{
    switch (error) {
    case QKeychain::NoError:
        return Result::success();
    case QKeychain::EntryNotFound:
        if (request.operation == Operation::Remove)
            return Result::success();
        return missingSecret(request.key, request.service);
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("access to the keychain was denied: ") + detail);
    case QKeychain::NoBackendAvailable:
    case QKeychain::OtherError:
        return Result::failure(ErrorCode::Secrets,
                               QStringLiteral("no keychain is available: ") + detail);
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NotImplemented:
        break;
    }
    return Result::failure(ErrorCode::Secrets, QStringLiteral("keychain error: ") + detail);
}

void finish(const std::shared_ptr<Request> &request, const Result &result, const QString &secret)
{
    if (request->operation == Operation::Read)
        request->readDone(result, secret);
    else
        request->writeDone(result);
}

void startJob(const std::shared_ptr<Request> &request, int delayMs);

void jobFinished(const std::shared_ptr<Request> &request, QKeychain::Job *job)
{
    const QKeychain::Error error = job->error();
    if ((error == QKeychain::NoBackendAvailable || error == QKeychain::OtherError) &&
        !request->retried) {
        // The Secret Service may still be starting (cf. Nextcloud's keychainchunk).
        request->retried = true;
        startJob(request, request->retryDelayMs);
        return;
    }
    const Result result = mapError(*request, error, job->errorString());
    QString secret;
    if (result.ok() && request->operation == Operation::Read)
        secret = static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
    request->secret.clear();
    finish(request, result, secret);
}

// Runs in the main thread.
void startJob(const std::shared_ptr<Request> &request, int delayMs)
{
    QKeychain::Job *job = nullptr;
    switch (request->operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(request->service);
        break;
    case Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(request->service);
        write->setTextData(request->secret);
        job = write;
        break;
    }
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(request->service);
        break;
    }
    job->setAutoDelete(true); // deleted after finished(), never while running
    job->setInsecureFallback(false);
    job->setKey(request->key);
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [request](QKeychain::Job *finished) { jobFinished(request, finished); });
    if (delayMs > 0)
        QTimer::singleShot(delayMs, job, [job] { job->start(); });
    else
        job->start();
}

// Runs the request's job in the main thread and its callback in the calling thread.
void dispatch(const std::shared_ptr<Request> &request)
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app) {
        finish(request,
               Result::failure(ErrorCode::Secrets,
                               QStringLiteral("no keychain is available: no application object")),
               QString());
        return;
    }
    if (QThread::currentThread() == app->thread()) {
        startJob(request, 0);
        return;
    }
    // A receiver in the calling thread brings the result back there.
    QObject *receiver = new QObject;
    auto readDone = std::move(request->readDone);
    auto writeDone = std::move(request->writeDone);
    request->readDone = [receiver, readDone](Result result, QString secret) {
        QMetaObject::invokeMethod(receiver, [receiver, readDone, result, secret] {
            readDone(result, secret);
            receiver->deleteLater();
        });
    };
    request->writeDone = [receiver, writeDone](Result result) {
        QMetaObject::invokeMethod(receiver, [receiver, writeDone, result] {
            writeDone(result);
            receiver->deleteLater();
        });
    };
    QMetaObject::invokeMethod(app, [request] { startJob(request, 0); });
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString &service) : m_service(service) {}

void KeychainSecretStore::read(const QString &key, ReadCallback done)
{
    auto request = std::make_shared<Request>();
    request->operation = Operation::Read;
    request->service = m_service;
    request->key = key;
    request->retryDelayMs = m_retryDelayMs;
    request->readDone = std::move(done);
    dispatch(request);
}

void KeychainSecretStore::write(const QString &key, const QString &secret, WriteCallback done)
{
    auto request = std::make_shared<Request>();
    request->operation = Operation::Write;
    request->service = m_service;
    request->key = key;
    request->secret = secret;
    request->retryDelayMs = m_retryDelayMs;
    request->writeDone = std::move(done);
    dispatch(request);
}

void KeychainSecretStore::remove(const QString &key, WriteCallback done)
{
    auto request = std::make_shared<Request>();
    request->operation = Operation::Remove;
    request->service = m_service;
    request->key = key;
    request->retryDelayMs = m_retryDelayMs;
    request->writeDone = std::move(done);
    dispatch(request);
}

} // namespace pollux
