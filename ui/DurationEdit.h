#pragma once

#include <QList>
#include <QWidget>

class QComboBox;
class QSpinBox;

namespace pollux::ui {

// A length of time as people say it: a number and a unit (seconds, minutes, hours, days).
// The value is whole seconds, exactly as the configuration keeps it: setValue() shows it
// in the largest unit it is a whole number of (7200 -> "2 hours", 90 -> "90 seconds"), so
// value() gives back what was set. Changing the unit keeps the number ("5 minutes" ->
// "5 hours"), within the range.
class DurationEdit : public QWidget
{
    Q_OBJECT
public:
    enum Unit
    {
        Seconds = 1,
        Minutes = 60,
        Hours = 3600,
        Days = 86400,
    };

    // `smallest`: the finest unit offered (Minutes for values the file keeps in minutes).
    explicit DurationEdit(Unit smallest = Seconds, QWidget *parent = nullptr);

    void setRange(int minimumSecs, int maximumSecs); // offers the units that fit
    void setValue(int secs);
    int value() const; // seconds
    Unit unit() const;
    void setUnit(Unit unit); // keeps the number, within the range
    QList<Unit> units() const { return m_units; }
    // Shown instead of the number 0 (e.g. "off"), when the range starts at 0.
    void setSpecialValueText(const QString &text);
    // "2 hours", "90 seconds" (or the special text).
    QString text() const;
    // The unit's name for `count` of it ("minute", "minutes"): `count` picks the plural form.
    static QString unitName(Unit unit, int count);

    // A plain spin box of `unit`s: its suffix follows the number (" day", " days").
    static void nameUnitAfter(QSpinBox *spin, Unit unit);

    QSpinBox *number() const { return m_number; }
    QComboBox *unitBox() const { return m_unit; }

signals:
    void valueChanged(int secs);

private:
    void fillUnits();
    void updateNumberRange();
    void updateUnitNames();

    QSpinBox *m_number;
    QComboBox *m_unit;
    Unit m_smallest;
    int m_min = 0;
    int m_max = 0;
    QString m_special;
    QList<Unit> m_units;
};

} // namespace pollux::ui
