#pragma once

#include <QString>

namespace pollux::test {

// A throw-away certificate authority and server certificates, made once per process with the
// openssl command line into a temporary directory that lives until the process exits.
// Keys are unencrypted EC P-256 (fast to make); all certificates are PEM.
class TestCa
{
public:
    // The process-wide instance; creates the files on first use. Check ok() before use.
    static const TestCa &instance();

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    QString caCertPath() const;
    // Valid server certificate for CN=localhost, SAN DNS:localhost and IP:127.0.0.1.
    QString certPath() const;
    QString keyPath() const;
    // Same key and names, signed by the CA, valid only in January 2020.
    QString expiredCertPath() const;
    // Signed by the CA for "wrong.example" only (no localhost, no IP).
    QString wrongHostCertPath() const;
    QString wrongHostKeyPath() const; // its key
    // The key that goes with one of the certificates above.
    QString keyPathFor(const QString &certPath) const;
    // Self-signed for localhost, not issued by the test CA.
    QString selfSignedCertPath() const;

private:
    TestCa();
    QString path(const QString &name) const;
    bool run(const QStringList &arguments);
    bool issue(const QString &csr, const QString &out, const QString &extensions,
               const QStringList &validity);

    QString m_dir;
    QString m_error;
};

} // namespace pollux::test
