#pragma once

// The mechanism implementations behind Authenticator::create(). Private to core/sasl.

#include "Sasl.h"

namespace pollux::sasl::detail {

Result malformed(Mechanism m, const QString &what); // ErrorCode::Protocol naming the mechanism

class PlainAuthenticator : public Authenticator
{
public:
    PlainAuthenticator(const QString &user, const QString &password)
        : m_user(user), m_password(password)
    {
    }
    Mechanism mechanism() const override { return Mechanism::Plain; }
    bool initialResponse(QByteArray &out) override;
    Result respond(const QByteArray &challenge, QByteArray &out) override;
    Result verifySuccess(const QByteArray &) override { return Result::success(); }

private:
    QString m_user;
    QString m_password;
    bool m_sent = false;
};

class LoginAuthenticator : public Authenticator
{
public:
    LoginAuthenticator(const QString &user, const QString &password)
        : m_user(user), m_password(password)
    {
    }
    Mechanism mechanism() const override { return Mechanism::Login; }
    bool initialResponse(QByteArray &) override { return false; }
    Result respond(const QByteArray &challenge, QByteArray &out) override;
    Result verifySuccess(const QByteArray &) override { return Result::success(); }

private:
    QString m_user;
    QString m_password;
    int m_step = 0;
};

class CramMd5Authenticator : public Authenticator
{
public:
    CramMd5Authenticator(const QString &user, const QString &password)
        : m_user(user), m_password(password)
    {
    }
    Mechanism mechanism() const override { return Mechanism::CramMd5; }
    bool initialResponse(QByteArray &) override { return false; }
    Result respond(const QByteArray &challenge, QByteArray &out) override;
    Result verifySuccess(const QByteArray &) override { return Result::success(); }

private:
    QString m_user;
    QString m_password;
    bool m_done = false;
};

class BearerAuthenticator : public Authenticator
{
public:
    BearerAuthenticator(Mechanism m, const QString &user, const QString &token, const QString &host)
        : m_mechanism(m), m_user(user), m_token(token), m_host(host)
    {
    }
    Mechanism mechanism() const override { return m_mechanism; }
    bool initialResponse(QByteArray &out) override;
    Result respond(const QByteArray &challenge, QByteArray &out) override;
    Result verifySuccess(const QByteArray &) override { return Result::success(); }

private:
    Mechanism m_mechanism;
    QString m_user;
    QString m_token;
    QString m_host;
    bool m_sent = false;
    bool m_acknowledged = false;
};

// SCRAM-SHA-1 / SCRAM-SHA-256; an empty clientNonce means a random one.
std::unique_ptr<Authenticator> makeScram(Mechanism m, const QString &user, const QString &password,
                                         const QByteArray &clientNonce);

} // namespace pollux::sasl::detail
