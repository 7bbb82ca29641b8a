#pragma once

#include "config/Config.h"
#include "util/Result.h"

#include <QObject>
#include <QSslCertificate>

#include <memory>

namespace pollux {

class MailboxClient;
class SecretStore;

// "Test access": connects, authenticates and counts the messages waiting, then logs out
// without changing anything. Asynchronous (safe to use from the GUI thread): every wait
// is on the network or the keychain, never blocking.
class AccessTester : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        Result result;    // ok, or the precise error (code + detail)
        int messages = 0; // waiting on the server (when ok)
        qint64 bytes = 0; // their total size (when ok)
        // The SHA-256 fingerprint the server presented (hex with colons), whenever known:
        // with ErrorCode::Tls the UI offers "trust this certificate?".
        QString presentedFingerprint;
    };

    AccessTester(SecretStore *secrets, QObject *parent = nullptr);
    ~AccessTester() override;

    // Tests `account`. With `password` set it is used instead of the keychain's (the
    // dialog tests what the user typed before saving). finished() comes exactly once per
    // start(), never from inside start(); a start() while running cancels the running one.
    void start(const AccountConfig &account, const QList<QSslCertificate> &extraCaCertificates,
               const QString &password = QString());
    // Stops a running test; finished() follows with ErrorCode::Cancelled.
    void cancel();

    // An error of `account` in English words an admin can act on (the command line, logs):
    // the code and the server's words (Result::serverSaid()) are kept, the technical detail
    // follows in parentheses; a mailbox locked by another client ([IN-USE]) has its own
    // sentence. Used for finished(); public for the command line and tests. The UI shows
    // the code and the server's words in its own language (ui::ErrorText), not this message.
    static Result describe(const AccountConfig &account, const Result &error,
                           const QString &fingerprint);

signals:
    void finished(const pollux::AccessTester::Outcome &outcome);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pollux

Q_DECLARE_METATYPE(pollux::AccessTester::Outcome)
