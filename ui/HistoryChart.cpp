#include "HistoryChart.h"

#include <QEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace pollux::ui {

namespace {

constexpr int kGap = 8; // pixels between the parts (legend, axes, plot)

// The step between two lines of the count axis for a top of `maximum`: 1, 2 or 5 times a
// power of ten, about four lines high.
int tickStep(int maximum)
{
    const double raw = qMax(1.0, maximum / 4.0);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (factor * power >= raw)
            return qMax(1, int(factor * power));
    }
    return qMax(1, int(10 * power));
}

} // namespace

HistoryChart::HistoryChart(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void HistoryChart::setDays(const QDate &firstDay, const QList<DayCounts> &days)
{
    m_firstDay = firstDay;
    m_days = days;
    update();
}

QString HistoryChart::seriesName(Series series)
{
    switch (series) {
    case Collected:
        return tr("Collected");
    case Delivered:
        return tr("Delivered");
    case Refused:
        return tr("Refused");
    case SeriesCount:
        break;
    }
    return {};
}

QColor HistoryChart::seriesColor(Series series)
{
    switch (series) {
    case Collected:
        return QColor(0x3b, 0x6f, 0xb6);
    case Delivered:
        return QColor(0x2e, 0x8b, 0x57);
    case Refused:
        return QColor(0xc0, 0x39, 0x2b);
    case SeriesCount:
        break;
    }
    return {};
}

int HistoryChart::count(const DayCounts &day, Series series)
{
    switch (series) {
    case Collected:
        return day.collected;
    case Delivered:
        return day.delivered;
    case Refused:
        return day.refused;
    case SeriesCount:
        break;
    }
    return 0;
}

QString HistoryChart::dateLabel(const QDate &date)
{
    //: Date format of the chart's axis (QDate format: d = day, MMM = short month name)
    return QLocale().toString(date, tr("d MMM"));
}

QString HistoryChart::dayText(int index) const
{
    if (index < 0 || index >= m_days.size())
        return {};
    const DayCounts &day = m_days.at(index);
    return tr("%1\nCollected: %2\nDelivered: %3\nRefused: %4")
        .arg(QLocale().toString(m_firstDay.addDays(index), QLocale::LongFormat))
        .arg(day.collected)
        .arg(day.delivered)
        .arg(day.refused);
}

int HistoryChart::scaleMaximum() const
{
    int largest = 0;
    for (const DayCounts &day : m_days)
        largest = qMax(largest, qMax(day.collected, qMax(day.delivered, day.refused)));
    const int step = tickStep(largest);
    return qMax(step, (largest + step - 1) / step * step);
}

QRect HistoryChart::plotArea() const
{
    const QFontMetrics fm = fontMetrics();
    const int left = fm.horizontalAdvance(QLocale().toString(scaleMaximum())) + 2 * kGap;
    const int top = fm.height() * 3 / 2 + 2 * kGap; // the legend, half the top count
    const int bottom = fm.height() + 2 * kGap;      // the dates
    return rect().adjusted(left, top, -kGap, -bottom);
}

int HistoryChart::dayAt(const QPoint &pos) const
{
    const QRect plot = plotArea();
    if (m_days.isEmpty() || plot.width() <= 0 || pos.x() < plot.left() || pos.x() > plot.right() ||
        pos.y() < plot.top() - kGap || pos.y() > rect().bottom())
        return -1;
    const double slot = double(plot.width()) / m_days.size();
    return qBound(0, int((pos.x() - plot.left()) / slot), int(m_days.size()) - 1);
}

QSize HistoryChart::sizeHint() const
{
    return QSize(720, 300);
}

QSize HistoryChart::minimumSizeHint() const
{
    return QSize(240, 140);
}

void HistoryChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const QFontMetrics fm = fontMetrics();
    const QColor text = palette().color(QPalette::WindowText);
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(120);

    // The legend, top left.
    int x = kGap;
    const int legendY = kGap;
    for (int s = 0; s < SeriesCount; ++s) {
        const auto series = Series(s);
        const int box = fm.height() - 4;
        p.fillRect(QRect(x, legendY + 2, box, box), seriesColor(series));
        x += box + kGap / 2;
        p.setPen(text);
        const QString name = seriesName(series);
        p.drawText(QRect(x, legendY, fm.horizontalAdvance(name) + 2, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, name);
        x += fm.horizontalAdvance(name) + 2 * kGap;
    }

    const QRect plot = plotArea();
    if (plot.width() <= 0 || plot.height() <= 0)
        return;
    const int maximum = scaleMaximum();
    const int step = tickStep(maximum);

    // The count axis: a line per step, labelled.
    for (int value = 0; value <= maximum; value += step) {
        const int y = plot.bottom() - int(double(value) / maximum * plot.height());
        p.setPen(value == 0 ? text : grid);
        p.drawLine(plot.left(), y, plot.right(), y);
        p.setPen(text);
        p.drawText(QRect(0, y - fm.height() / 2, plot.left() - kGap, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, QLocale().toString(value));
    }

    const int n = int(m_days.size());
    if (n == 0)
        return;
    const double slot = double(plot.width()) / n;
    const double barWidth = slot * 0.8 / SeriesCount;
    bool any = false;
    for (int i = 0; i < n; ++i) {
        const double left = plot.left() + i * slot + slot * 0.1;
        for (int s = 0; s < SeriesCount; ++s) {
            const int value = count(m_days.at(i), Series(s));
            if (value <= 0)
                continue;
            any = true;
            const int height = qMax(1, int(double(value) / maximum * plot.height()));
            const QRectF bar(left + s * barWidth, plot.bottom() - height + 1,
                             qMax(1.0, barWidth - 1), height);
            p.fillRect(bar, seriesColor(Series(s)));
        }
    }
    if (!any) {
        p.setPen(text);
        p.drawText(plot, Qt::AlignCenter, tr("No messages in these days."));
    }

    // The dates: as many as fit, counted back from today, which is always labelled.
    const int labelWidth = fm.horizontalAdvance(dateLabel(QDate(2000, 9, 28))) + 2 * kGap;
    const int every = qMax(1, int(std::ceil(labelWidth / slot)));
    p.setPen(text);
    for (int i = n - 1; i >= 0; i -= every) {
        const int centre = plot.left() + int((i + 0.5) * slot);
        p.drawLine(centre, plot.bottom(), centre, plot.bottom() + kGap / 2);
        QRect label(centre - labelWidth / 2, plot.bottom() + kGap / 2, labelWidth,
                    fm.height() + kGap);
        if (label.right() > rect().right())
            label.moveRight(rect().right());
        if (label.left() < 0)
            label.moveLeft(0);
        p.drawText(label, Qt::AlignHCenter | Qt::AlignTop, dateLabel(m_firstDay.addDays(i)));
    }
}

bool HistoryChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int day = dayAt(help->pos());
        if (day >= 0)
            QToolTip::showText(help->globalPos(), dayText(day), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace pollux::ui
