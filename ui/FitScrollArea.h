#pragma once

#include <QScrollArea>

namespace pollux::ui {

// A frameless scroll area that asks for its content's full width (no horizontal scrolling)
// and for its content's height up to `maximumHintHeight`; past that the content scrolls.
// A plain QScrollArea asks for at most 36 x 24 lines, too narrow for a two-column page.
class FitScrollArea : public QScrollArea
{
    Q_OBJECT
public:
    explicit FitScrollArea(QWidget *content, int maximumHintHeight, QWidget *parent = nullptr);

    void setMaximumHintHeight(int height);
    int maximumHintHeight() const { return m_maxHeight; }
    // The content just changed (a section shown or hidden): lay it out and let the
    // window ask again now, not when the posted layout request arrives.
    void refit();
    // Shows `child` (inside the content), e.g. the field a problem is about.
    void reveal(QWidget *child);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    int m_maxHeight;
};

// Resizes the top-level `window` to `wanted`, but never larger than the screen has (960x540
// logical at 200 %) with a title bar and borders around it.
void resizeWithinScreen(QWidget *window, const QSize &wanted);

} // namespace pollux::ui
