#pragma once

#include "util/Result.h"

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;

namespace pollux {
class SecretStore;
}

namespace pollux::ui {

// A password edit backed by the keychain: loads and stores asynchronously (showing
// "loading…" meanwhile, never blocking), and says plainly when no keychain is available.
// There is no plaintext fallback: without a keychain the password can only be used for a
// test, or set later with the headless command shown in the message.
class PasswordField : public QWidget
{
    Q_OBJECT
public:
    PasswordField(SecretStore *secrets, QWidget *parent = nullptr);

    // Reads `key` ("account/<name>", "smtp", "ldap"); empty key: a new entry, nothing to load.
    // `commandHint`: the headless command that sets this password, shown when there is
    // no keychain.
    void load(const QString &key, const QString &commandHint = QString());
    bool isLoading() const { return m_loading; }
    bool keychainAvailable() const { return m_available; }

    QString password() const;
    void setPassword(const QString &password); // as if typed
    bool isModified() const { return m_modified; }
    QLineEdit *lineEdit() const { return m_edit; }
    QString statusText() const;

    // Stores the password under `key` when it was typed, or when the key changed (a
    // renamed account keeps its password). Nothing to store: done(success) at once.
    void store(const QString &key, std::function<void(Result)> done);

signals:
    void loaded();
    void statusChanged(); // the message below the field appeared, changed or went away

private:
    void setStatus(const QString &text, bool problem);

    SecretStore *m_secrets;
    QLineEdit *m_edit;
    QLabel *m_status;
    QString m_key;
    QString m_hint;
    bool m_loading = false;
    bool m_available = true;
    bool m_modified = false;
    bool m_haveStored = false; // the keychain had a password for m_key
};

} // namespace pollux::ui
