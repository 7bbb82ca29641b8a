#include "support/TestCa.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

namespace pollux::test {

namespace {

const char caConfig[] = R"([ ca ]
default_ca = test
[ test ]
database = index.txt
new_certs_dir = issued
serial = serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[ any ]
commonName = supplied
[ localhost ]
subjectAltName = DNS:localhost,IP:127.0.0.1
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
[ wronghost ]
subjectAltName = DNS:wrong.example
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
)";

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

QTemporaryDir &caDir()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/pollux-test-ca-XXXXXX"));
    return dir;
}

const QStringList ecKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                        QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};

} // namespace

const TestCa &TestCa::instance()
{
    static const TestCa ca;
    return ca;
}

TestCa::TestCa()
{
    if (!caDir().isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory for the test CA");
        return;
    }
    m_dir = caDir().path();
    // Readable by Dovecot's unprivileged processes when the tests run as root.
    QFile::setPermissions(m_dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                     QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup |
                                     QFile::ExeGroup);
    QDir(m_dir).mkpath(QStringLiteral("issued"));
    if (!writeFile(path(QStringLiteral("ca.cnf")), caConfig) ||
        !writeFile(path(QStringLiteral("index.txt")), QByteArray()) ||
        !writeFile(path(QStringLiteral("serial")), "1000\n")) {
        m_error = QStringLiteral("cannot write the test CA configuration in ") + m_dir;
        return;
    }
    const QStringList days{QStringLiteral("-days"), QStringLiteral("3650")};
    const bool made =
        run(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey +
            QStringList{QStringLiteral("-keyout"), path(QStringLiteral("ca.key")),
                        QStringLiteral("-out"), caCertPath(), QStringLiteral("-subj"),
                        QStringLiteral("/CN=Pollux Test CA"), QStringLiteral("-addext"),
                        QStringLiteral("basicConstraints=critical,CA:TRUE"),
                        QStringLiteral("-addext"),
                        QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")} +
            days) &&
        run(QStringList{QStringLiteral("req")} + ecKey +
            QStringList{QStringLiteral("-keyout"), keyPath(), QStringLiteral("-out"),
                        path(QStringLiteral("server.csr")), QStringLiteral("-subj"),
                        QStringLiteral("/CN=localhost")}) &&
        run(QStringList{QStringLiteral("req")} + ecKey +
            QStringList{QStringLiteral("-keyout"), path(QStringLiteral("wrong.key")),
                        QStringLiteral("-out"), path(QStringLiteral("wrong.csr")),
                        QStringLiteral("-subj"), QStringLiteral("/CN=wrong.example")}) &&
        issue(QStringLiteral("server.csr"), certPath(), QStringLiteral("localhost"), days) &&
        issue(QStringLiteral("server.csr"), expiredCertPath(), QStringLiteral("localhost"),
              {QStringLiteral("-startdate"), QStringLiteral("20200101000000Z"),
               QStringLiteral("-enddate"), QStringLiteral("20200201000000Z")}) &&
        issue(QStringLiteral("wrong.csr"), wrongHostCertPath(), QStringLiteral("wronghost"),
              days) &&
        run(QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-key"),
                        keyPath(), QStringLiteral("-out"), selfSignedCertPath(),
                        QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                        QStringLiteral("-addext"),
                        QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")} +
            days);
    if (made) {
        // The server keys must be readable by Dovecot when it drops privileges.
        for (const QString &key : {keyPath(), wrongHostKeyPath()})
            QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther |
                                           QFile::ReadGroup);
    }
}

QString TestCa::caCertPath() const
{
    return path(QStringLiteral("ca.pem"));
}
QString TestCa::certPath() const
{
    return path(QStringLiteral("server.pem"));
}
QString TestCa::keyPath() const
{
    return path(QStringLiteral("server.key"));
}
QString TestCa::expiredCertPath() const
{
    return path(QStringLiteral("expired.pem"));
}
QString TestCa::wrongHostCertPath() const
{
    return path(QStringLiteral("wronghost.pem"));
}
QString TestCa::wrongHostKeyPath() const
{
    return path(QStringLiteral("wrong.key"));
}
QString TestCa::keyPathFor(const QString &certPath) const
{
    return certPath == wrongHostCertPath() ? wrongHostKeyPath() : keyPath();
}
QString TestCa::selfSignedCertPath() const
{
    return path(QStringLiteral("selfsigned.pem"));
}

QString TestCa::path(const QString &name) const
{
    return m_dir + QLatin1Char('/') + name;
}

bool TestCa::run(const QStringList &arguments)
{
    QProcess openssl;
    openssl.setWorkingDirectory(m_dir);
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"), arguments);
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        m_error = QStringLiteral("openssl ") + arguments.join(QLatin1Char(' ')) +
                  QStringLiteral(" failed: ") + openssl.errorString() + QLatin1Char('\n') +
                  QString::fromLocal8Bit(openssl.readAll());
        if (openssl.state() != QProcess::NotRunning) {
            openssl.kill();
            openssl.waitForFinished();
        }
        return false;
    }
    return true;
}

bool TestCa::issue(const QString &csr, const QString &out, const QString &extensions,
                   const QStringList &validity)
{
    return run(QStringList{QStringLiteral("ca"), QStringLiteral("-batch"),
                           QStringLiteral("-notext"), QStringLiteral("-config"),
                           path(QStringLiteral("ca.cnf")), QStringLiteral("-cert"), caCertPath(),
                           QStringLiteral("-keyfile"), path(QStringLiteral("ca.key")),
                           QStringLiteral("-in"), path(csr), QStringLiteral("-out"), out,
                           QStringLiteral("-extensions"), extensions} +
               validity);
}

} // namespace pollux::test
