// SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677), without channel binding ("n,,").
//
// SASLprep (RFC 4013) of user name and password is simplified to Unicode NFKC
// normalisation: the mapping of non-ASCII spaces and soft hyphens and the prohibited-
// character checks are left out. ASCII credentials, by far the common case, are unaffected.

#include "SaslMechanisms_p.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QRandomGenerator>

#include <array>

namespace pollux::sasl::detail {

namespace {

// Far above any sane setting (RFC 7677 suggests 4096): a hostile server must not make us
// spin for minutes.
constexpr int MaxIterations = 1000000;
constexpr int NonceWords = 6; // 24 random bytes, 32 base64 characters

QByteArray saslPrep(const QString &s)
{
    return s.normalized(QString::NormalizationForm_KC).toUtf8();
}

// RFC 5802 saslname: ',' and '=' escaped.
QByteArray saslName(const QString &user)
{
    QByteArray out = saslPrep(user);
    out.replace('=', "=3D").replace(',', "=2C");
    return out;
}

bool isPrintableNonce(const QByteArray &nonce)
{
    for (char c : nonce)
        if (c < 0x21 || c > 0x7e || c == ',')
            return false;
    return !nonce.isEmpty();
}

bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

class ScramAuthenticator : public Authenticator
{
public:
    ScramAuthenticator(Mechanism m, const QString &user, const QString &password,
                       const QByteArray &clientNonce)
        : m_mechanism(m), m_user(user), m_password(password), m_clientNonce(clientNonce)
    {
        if (m_clientNonce.isEmpty()) {
            std::array<quint32, NonceWords> random;
            QRandomGenerator::system()->fillRange(random.data(), NonceWords);
            m_clientNonce =
                QByteArray(reinterpret_cast<const char *>(random.data()), qsizetype(sizeof(random)))
                    .toBase64();
        }
    }

    Mechanism mechanism() const override { return m_mechanism; }

    bool initialResponse(QByteArray &out) override
    {
        m_clientFirstBare = "n=" + saslName(m_user) + ",r=" + m_clientNonce;
        out = "n,," + m_clientFirstBare;
        m_state = State::SentFirst;
        return true;
    }

    Result respond(const QByteArray &challenge, QByteArray &out) override
    {
        switch (m_state) {
        case State::Start:
            if (!challenge.isEmpty())
                return malformed(m_mechanism, QStringLiteral("unexpected server challenge"));
            initialResponse(out);
            return Result::success();
        case State::SentFirst:
            return onServerFirst(challenge, out);
        case State::SentFinal:
            out.clear(); // the server-final message comes as a challenge: answer empty
            return onServerFinal(challenge);
        case State::Verified:
            break;
        }
        return malformed(m_mechanism, QStringLiteral("unexpected challenge after the server "
                                                     "final message"));
    }

    Result verifySuccess(const QByteArray &additionalData) override
    {
        if (m_state == State::Verified)
            return Result::success();
        if (m_state == State::SentFinal && !additionalData.isEmpty())
            return onServerFinal(additionalData);
        return Result::failure(ErrorCode::AuthFailed,
                               QStringLiteral("%1: the server reported success without proving "
                                              "that it knows the password (no server "
                                              "signature); possible impostor")
                                   .arg(QLatin1String(mechanismName(m_mechanism))));
    }

private:
    enum class State
    {
        Start,
        SentFirst,
        SentFinal,
        Verified
    };

    QCryptographicHash::Algorithm algorithm() const
    {
        return m_mechanism == Mechanism::ScramSha1 ? QCryptographicHash::Sha1
                                                   : QCryptographicHash::Sha256;
    }
    QByteArray hmac(const QByteArray &key, const QByteArray &data) const
    {
        return QMessageAuthenticationCode::hash(data, key, algorithm());
    }

    // r=<client+server nonce>,s=<base64 salt>,i=<iterations>[,extensions]
    Result onServerFirst(const QByteArray &message, QByteArray &out)
    {
        const QList<QByteArray> parts = message.split(',');
        if (parts.size() < 3)
            return malformed(m_mechanism, QStringLiteral("the server-first message is incomplete"));
        if (parts.at(0).startsWith("m="))
            return malformed(m_mechanism,
                             QStringLiteral("the server requires an unsupported extension"));
        if (!parts.at(0).startsWith("r=") || !parts.at(1).startsWith("s=") ||
            !parts.at(2).startsWith("i="))
            return malformed(m_mechanism,
                             QStringLiteral("the server-first message is not r=,s=,i="));
        const QByteArray nonce = parts.at(0).mid(2);
        if (!isPrintableNonce(nonce) || !nonce.startsWith(m_clientNonce) ||
            nonce.size() == m_clientNonce.size())
            return malformed(m_mechanism, QStringLiteral("the server nonce does not extend ours"));
        const auto salt = QByteArray::fromBase64Encoding(parts.at(1).mid(2),
                                                         QByteArray::AbortOnBase64DecodingErrors);
        if (!salt || salt.decoded.isEmpty())
            return malformed(m_mechanism, QStringLiteral("the salt is not base64"));
        bool numeric = false;
        const QByteArray iterText = parts.at(2).mid(2);
        const int iterations = iterText.toInt(&numeric);
        if (!numeric || iterations < 1 || iterations > MaxIterations || iterText.startsWith('+'))
            return malformed(m_mechanism,
                             QStringLiteral("the iteration count is not 1-%1").arg(MaxIterations));

        const int hashLength = QCryptographicHash::hashLength(algorithm());
        const QByteArray salted = QPasswordDigestor::deriveKeyPbkdf2(
            algorithm(), saslPrep(m_password), salt.decoded, iterations, quint64(hashLength));
        const QByteArray clientKey = hmac(salted, "Client Key");
        const QByteArray storedKey = QCryptographicHash::hash(clientKey, algorithm());
        const QByteArray finalWithoutProof = "c=biws,r=" + nonce; // biws = base64("n,,")
        const QByteArray authMessage = m_clientFirstBare + ',' + message + ',' + finalWithoutProof;
        const QByteArray clientSignature = hmac(storedKey, authMessage);
        QByteArray proof = clientKey;
        for (qsizetype i = 0; i < proof.size(); ++i)
            proof[i] = char(proof.at(i) ^ clientSignature.at(i));
        m_serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
        out = finalWithoutProof + ",p=" + proof.toBase64();
        m_state = State::SentFinal;
        return Result::success();
    }

    // v=<base64 server signature> or e=<error>
    Result onServerFinal(const QByteArray &message)
    {
        const QByteArray first = message.split(',').value(0);
        if (first.startsWith("e="))
            return Result::failure(ErrorCode::AuthFailed,
                                   QStringLiteral("%1: the server refused: %2")
                                       .arg(QLatin1String(mechanismName(m_mechanism)),
                                            QString::fromUtf8(first.mid(2).left(200))));
        const auto signature =
            QByteArray::fromBase64Encoding(first.mid(2), QByteArray::AbortOnBase64DecodingErrors);
        if (!first.startsWith("v=") || !signature)
            return malformed(m_mechanism, QStringLiteral("the server-final message is not v="));
        if (!sameBytes(signature.decoded, m_serverSignature))
            return Result::failure(ErrorCode::AuthFailed,
                                   QStringLiteral("%1: the server signature does not match: the "
                                                  "server does not know the password; possible "
                                                  "impostor")
                                       .arg(QLatin1String(mechanismName(m_mechanism))));
        m_state = State::Verified;
        return Result::success();
    }

    Mechanism m_mechanism;
    QString m_user;
    QString m_password;
    QByteArray m_clientNonce;
    QByteArray m_clientFirstBare;
    QByteArray m_serverSignature;
    State m_state = State::Start;
};

} // namespace

std::unique_ptr<Authenticator> makeScram(Mechanism m, const QString &user, const QString &password,
                                         const QByteArray &clientNonce)
{
    return std::make_unique<ScramAuthenticator>(m, user, password, clientNonce);
}

} // namespace pollux::sasl::detail
