#pragma once

#include "config/Config.h"
#include "routing/DryRun.h"
#include "routing/EnvelopeDetect.h"
#include "util/Result.h"

#include <QList>
#include <QObject>
#include <QSslCertificate>

#include <memory>

namespace pollux {

class Clock;
class SecretStore;

// The routing dry run (`pollux account route NAME --dry-run`): reads the header of the last
// `limit` messages in the account's mailbox without deleting or marking anything (POP3
// "TOP n 0" and no DELE; IMAP BODY.PEEK[HEADER], so \Seen stays as it was), and routes each
// as delivery would (routing::dryRun, asking the configured directory for
// catch-all-reroute), delivering nothing. Asynchronous for the mailbox and the keychain;
// the directory lookups at the end run in the calling thread (LDAP and the SMTP probe
// block up to their timeouts), so a GUI runs this object in a worker thread.
class RouteDryRun : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultLimit = 20;

    RouteDryRun(SecretStore *secrets, Clock *clock, QObject *parent = nullptr);
    ~RouteDryRun() override;

    // finished() comes exactly once, never from inside start(). An unknown account is
    // ErrorCode::Config; mailbox errors are worded like AccessTester::describe().
    void start(const Config &config, const QString &account, int limit = kDefaultLimit);
    // The same for an account that need not be in `config` or the keychain yet (the account
    // dialog's "Detect"): `password` is used as given, and no directory is asked (local
    // recipients count as known). `config` gives the accepted domains; the certificates are
    // the extra CAs to trust (as AccessTester takes them).
    void startWith(const Config &config, const AccountConfig &account, const QString &password,
                   const QList<QSslCertificate> &extraCaCertificates, int limit = kDefaultLimit);

    // After finished() with success: which envelope header the provider writes and which
    // hosts form its trace, learned from the messages read (routing::detectEnvelope).
    routing::EnvelopeDetection detection() const;

signals:
    // `results`: the newest `limit` messages, oldest first (empty mailbox: none).
    void finished(const pollux::Result &result,
                  const QList<pollux::routing::DryRunResult> &results);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pollux
