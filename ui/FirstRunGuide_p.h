#pragma once

// Small helpers shared by FirstRunGuide.cpp and FirstRunGuideDryRun.cpp.
#include "config/Config.h"

#include <QLabel>
#include <QProgressBar>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace pollux::ui::firstrun {

inline bool isCatchAll(const AccountConfig &a)
{
    return a.enabled && a.mailbox != MailboxType::SingleUser;
}

inline bool hasCatchAll(const Config &config)
{
    return std::any_of(config.accounts.cbegin(), config.accounts.cend(), isCatchAll);
}

// A list typed in one line: commas, semicolons and spaces separate.
inline QStringList splitList(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

inline QLabel *wrapped(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    return label;
}

inline QProgressBar *busyBar()
{
    auto *bar = new QProgressBar;
    bar->setRange(0, 0);
    bar->setMaximumWidth(100);
    bar->hide();
    return bar;
}

} // namespace pollux::ui::firstrun
