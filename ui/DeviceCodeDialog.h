#pragma once

#include "oauth/TokenResponse.h"

#include <QDialog>

class QLabel;
class QPushButton;

namespace pollux::ui {

// "Sign in on another device": the address to open and the code to enter there, with Copy,
// while the sign-in waits in the background (the window stays usable). Cancel (or closing
// it) rejects the dialog; the account dialog then stops the sign-in.
class DeviceCodeDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DeviceCodeDialog(const oauth::DeviceCode &code, QWidget *parent = nullptr);

    QString userCode() const { return m_code; }
    QLabel *addressLabel() const { return m_address; }
    QLabel *codeLabel() const { return m_codeLabel; }
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    QString m_code;
    QLabel *m_address;
    QLabel *m_codeLabel;
    QPushButton *m_copy;
    QPushButton *m_cancel;
};

} // namespace pollux::ui
