#pragma once

#include "store/ActivityQueries.h"

#include <QColor>
#include <QDate>
#include <QList>
#include <QWidget>

namespace pollux::ui {

// A bar chart of the last days: per day, messages collected, delivered and refused, side
// by side, with a legend, the counts up the left and dates along the bottom (today always
// labelled). Hovering a day shows its date and counts. Paints what it is given; the
// activity window hands it ActivityHistory::days() of the chosen account.
class HistoryChart : public QWidget
{
    Q_OBJECT
public:
    enum Series
    {
        Collected,
        Delivered,
        Refused,
        SeriesCount
    };

    explicit HistoryChart(QWidget *parent = nullptr);

    // Day i of `days` is firstDay.addDays(i).
    void setDays(const QDate &firstDay, const QList<DayCounts> &days);
    QDate firstDay() const { return m_firstDay; }
    const QList<DayCounts> &days() const { return m_days; }

    static QString seriesName(Series series); // translated, as in the legend
    static QColor seriesColor(Series series);
    static int count(const DayCounts &day, Series series);
    // The date as the bottom axis labels it ("2 Dec"; German "2. Dez.").
    static QString dateLabel(const QDate &date);
    // What hovering day `index` shows: the date, then one line per series.
    QString dayText(int index) const;
    // The day under `pos` (widget coordinates), -1 if none.
    int dayAt(const QPoint &pos) const;
    // The top of the count axis: a round number at least the largest count (at least 1).
    int scaleMaximum() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRect plotArea() const;

    QDate m_firstDay;
    QList<DayCounts> m_days;
};

} // namespace pollux::ui
