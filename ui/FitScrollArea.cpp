#include "FitScrollArea.h"

#include <QEvent>
#include <QGuiApplication>
#include <QLayout>
#include <QScreen>
#include <QScrollBar>

#include <algorithm>

namespace pollux::ui {

FitScrollArea::FitScrollArea(QWidget *content, int maximumHintHeight, QWidget *parent)
    : QScrollArea(parent), m_maxHeight(maximumHintHeight)
{
    setFrameShape(QFrame::NoFrame);
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWidget(content);
    // The content's hint changes (a section opened, a message appeared): ask again.
    content->installEventFilter(this);
}

void FitScrollArea::setMaximumHintHeight(int height)
{
    m_maxHeight = height;
    updateGeometry();
}

void FitScrollArea::refit()
{
    if (!widget())
        return;
    // Innermost first: each activation tells the widget's parent layout the new size,
    // which otherwise takes one posted layout request per level.
    const QList<QWidget *> children = widget()->findChildren<QWidget *>();
    for (auto it = children.crbegin(); it != children.crend(); ++it) {
        if (QLayout *layout = (*it)->layout())
            layout->activate();
    }
    if (QLayout *layout = widget()->layout())
        layout->activate();
    updateGeometry();
}

void FitScrollArea::reveal(QWidget *child)
{
    if (child && widget() && widget()->isAncestorOf(child))
        ensureWidgetVisible(child, 0, 8);
}

QSize FitScrollArea::sizeHint() const
{
    if (!widget())
        return QScrollArea::sizeHint();
    const QSize content = widget()->sizeHint();
    // Room for the vertical scroll bar, so that scrolling never needs a horizontal one.
    const int bar = verticalScrollBar()->sizeHint().width();
    return {content.width() + bar, qMin(content.height(), m_maxHeight)};
}

QSize FitScrollArea::minimumSizeHint() const
{
    if (!widget())
        return QScrollArea::minimumSizeHint();
    const int bar = verticalScrollBar()->sizeHint().width();
    // A few lines high at least; the rest scrolls.
    const int lines = fontMetrics().height() * 8;
    return {widget()->minimumSizeHint().width() + bar,
            std::min({widget()->minimumSizeHint().height(), m_maxHeight, lines})};
}

bool FitScrollArea::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == widget() && event->type() == QEvent::LayoutRequest)
        updateGeometry();
    return QScrollArea::eventFilter(watched, event);
}

void resizeWithinScreen(QWidget *window, const QSize &wanted)
{
    QSize size = wanted;
    if (const QScreen *screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size() - QSize(24, 48));
    window->resize(size);
}

} // namespace pollux::ui
