#pragma once

#include <QCoreApplication>
#include <QMessageBox>
#include <QString>

namespace pollux::ui {

// Modal questions go through here, so tests can answer them in advance.
class MessageBox
{
    Q_DECLARE_TR_FUNCTIONS(MessageBox)
public:
    // The next question returns `answer` at once, without showing anything.
    static void setNextAnswer(QMessageBox::StandardButton answer);
    // Yes/No question; returns Yes or No.
    static QMessageBox::StandardButton question(QWidget *parent, const QString &title,
                                                const QString &text);
    static void warning(QWidget *parent, const QString &title, const QString &text);
    // How many questions and warnings were answered in advance (tests).
    static int answeredInAdvance();

private:
    static QMessageBox::StandardButton s_next;
    static int s_answered;
};

} // namespace pollux::ui
