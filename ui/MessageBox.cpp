#include "MessageBox.h"

#include <QPushButton>

namespace pollux::ui {

QMessageBox::StandardButton MessageBox::s_next = QMessageBox::NoButton;
int MessageBox::s_answered = 0;

void MessageBox::setNextAnswer(QMessageBox::StandardButton answer)
{
    s_next = answer;
}

int MessageBox::answeredInAdvance()
{
    return s_answered;
}

QMessageBox::StandardButton MessageBox::question(QWidget *parent, const QString &title,
                                                 const QString &text)
{
    if (s_next != QMessageBox::NoButton) {
        const QMessageBox::StandardButton answer = s_next;
        s_next = QMessageBox::NoButton;
        ++s_answered;
        return answer;
    }
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::No, parent);
    box.setDefaultButton(QMessageBox::No);
    box.button(QMessageBox::Yes)->setText(tr("&Yes"));
    box.button(QMessageBox::No)->setText(tr("&No"));
    return static_cast<QMessageBox::StandardButton>(box.exec());
}

void MessageBox::warning(QWidget *parent, const QString &title, const QString &text)
{
    if (s_next != QMessageBox::NoButton) {
        s_next = QMessageBox::NoButton;
        ++s_answered;
        return;
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
    box.exec();
}

} // namespace pollux::ui
