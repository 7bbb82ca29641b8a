#include "DeviceCodeDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace pollux::ui {

DeviceCodeDialog::DeviceCodeDialog(const oauth::DeviceCode &code, QWidget *parent)
    : QDialog(parent), m_code(code.userCode), m_address(new QLabel), m_codeLabel(new QLabel),
      m_copy(new QPushButton(tr("Copy code"))), m_cancel(new QPushButton(tr("Cancel")))
{
    setWindowTitle(tr("Sign in on another device"));
    m_address->setObjectName(QStringLiteral("deviceAddress"));
    m_codeLabel->setObjectName(QStringLiteral("deviceCode"));
    m_copy->setObjectName(QStringLiteral("deviceCopy"));
    m_cancel->setObjectName(QStringLiteral("deviceCancel"));

    // Only an http(s) address the server sent becomes a link; anything else is plain text.
    const auto web = [](const QUrl &u) {
        return u.isValid() &&
               (u.scheme() == QLatin1String("https") || u.scheme() == QLatin1String("http"));
    };
    // The complete address (code filled in) where the server sent one.
    const QUrl complete(code.verificationUriComplete);
    const QUrl uri = web(complete) ? complete : QUrl(code.verificationUri);
    const bool link = web(uri);
    const QString shown = code.verificationUri.toHtmlEscaped();
    m_address->setTextFormat(Qt::RichText);
    m_address->setOpenExternalLinks(link);
    m_address->setWordWrap(true);
    m_address->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_address->setText(
        tr("On any device (a phone or another computer), open %1 and enter this code:")
            .arg(link ? QStringLiteral("<a href=\"%1\">%2</a>")
                            .arg(QString::fromUtf8(uri.toEncoded()).toHtmlEscaped(), shown)
                      : shown));
    QFont big = m_codeLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    m_codeLabel->setFont(big);
    m_codeLabel->setText(m_code);
    m_codeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_codeLabel->setAlignment(Qt::AlignCenter);

    auto *busy = new QProgressBar;
    busy->setRange(0, 0);
    busy->setMaximumHeight(8);
    busy->setTextVisible(false);
    auto *waiting = new QLabel(tr("Waiting until you have signed in there…"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addStretch();
    buttons->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_address);
    layout->addWidget(m_codeLabel);
    layout->addWidget(waiting);
    layout->addWidget(busy);
    layout->addLayout(buttons);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_code);
        m_copy->setText(tr("Copied"));
    });
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
}

} // namespace pollux::ui
