#include "DurationEdit.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSpinBox>

namespace pollux::ui {

namespace {
const QList<DurationEdit::Unit> kAllUnits = {DurationEdit::Seconds, DurationEdit::Minutes,
                                             DurationEdit::Hours, DurationEdit::Days};

int ceilDiv(int a, int b)
{
    return a <= 0 ? 0 : (a + b - 1) / b;
}
} // namespace

DurationEdit::DurationEdit(Unit smallest, QWidget *parent)
    : QWidget(parent), m_number(new QSpinBox), m_unit(new QComboBox), m_smallest(smallest)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    row->addWidget(m_number);
    row->addWidget(m_unit);
    m_number->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_unit->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_unit->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    QSizePolicy keepRoom = m_unit->sizePolicy();
    keepRoom.setRetainSizeWhenHidden(true); // no jump when the special text hides it
    m_unit->setSizePolicy(keepRoom);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setFocusProxy(m_number);
    setRange(int(smallest), 100 * int(smallest));
    connect(m_number, &QSpinBox::valueChanged, this, [this] {
        updateUnitNames();
        emit valueChanged(value());
    });
    connect(m_unit, &QComboBox::currentIndexChanged, this, [this] {
        const int number = m_number->value();
        updateNumberRange();
        m_number->setValue(number); // clamped to the new unit's range
        updateUnitNames();
        emit valueChanged(value());
    });
}

void DurationEdit::setRange(int minimumSecs, int maximumSecs)
{
    const int keep = m_units.isEmpty() ? minimumSecs : value();
    m_min = qMax(0, minimumSecs);
    m_max = qMax(m_min, maximumSecs);
    fillUnits();
    setValue(qBound(m_min, keep, m_max));
}

void DurationEdit::fillUnits()
{
    m_units.clear();
    for (Unit u : kAllUnits) {
        if (u < m_smallest)
            continue;
        // A unit is offered when at least one whole number of it is in the range.
        const int lo = ceilDiv(m_min, int(u));
        const int hi = m_max / int(u);
        if (u == m_smallest || (hi >= 1 && lo <= hi))
            m_units << u;
    }
    const QSignalBlocker block(m_unit);
    m_unit->clear();
    for (Unit u : std::as_const(m_units))
        m_unit->addItem(unitName(u, 2), int(u));
}

void DurationEdit::setValue(int secs)
{
    secs = qBound(m_min, secs, m_max);
    // The largest unit the value is a whole number of; 0 keeps the unit shown (or minutes).
    Unit chosen = m_smallest;
    if (secs == 0) {
        chosen = m_unit->currentIndex() >= 0 ? unit()
                 : m_units.contains(Minutes) ? Minutes
                                             : m_smallest;
    } else {
        for (Unit u : std::as_const(m_units)) {
            if (secs % int(u) == 0)
                chosen = u;
        }
    }
    {
        const QSignalBlocker blockUnit(m_unit);
        const QSignalBlocker blockNumber(m_number);
        m_unit->setCurrentIndex(int(m_units.indexOf(chosen)));
        updateNumberRange();
        m_number->setValue(secs / int(chosen));
        updateUnitNames();
    }
    emit valueChanged(value());
}

int DurationEdit::value() const
{
    return m_number->value() * int(unit());
}

DurationEdit::Unit DurationEdit::unit() const
{
    const int index = m_unit->currentIndex();
    return index >= 0 && index < m_units.size() ? m_units.at(index) : m_smallest;
}

void DurationEdit::setUnit(Unit unit)
{
    const int index = int(m_units.indexOf(unit));
    if (index >= 0)
        m_unit->setCurrentIndex(index);
}

void DurationEdit::setSpecialValueText(const QString &text)
{
    m_special = text;
    updateNumberRange();
}

QString DurationEdit::text() const
{
    if (!m_special.isEmpty() && m_number->value() == 0)
        return m_special;
    return QStringLiteral("%1 %2").arg(m_number->value()).arg(unitName(unit(), m_number->value()));
}

void DurationEdit::updateNumberRange()
{
    const int u = int(unit());
    const int lo = ceilDiv(m_min, u);
    const int hi = qMax(lo, m_max / u);
    m_number->setRange(lo, hi);
    m_number->setSpecialValueText(lo == 0 ? m_special : QString());
}

void DurationEdit::updateUnitNames()
{
    // "1 minute", "2 minutes": the names follow the number.
    const int n = m_number->value();
    for (int i = 0; i < m_units.size(); ++i)
        m_unit->setItemText(i, unitName(m_units.at(i), n));
    m_unit->setVisible(!(n == 0 && !m_special.isEmpty()));
}

void DurationEdit::nameUnitAfter(QSpinBox *spin, Unit unit)
{
    auto follow = [spin, unit](int n) { spin->setSuffix(QLatin1Char(' ') + unitName(unit, n)); };
    follow(spin->value());
    QObject::connect(spin, &QSpinBox::valueChanged, spin, follow);
}

QString DurationEdit::unitName(Unit unit, int count)
{
    switch (unit) {
    case Seconds:
        return tr("second(s)", "duration unit", count);
    case Minutes:
        return tr("minute(s)", "duration unit", count);
    case Hours:
        return tr("hour(s)", "duration unit", count);
    case Days:
        return tr("day(s)", "duration unit", count);
    }
    return {};
}

} // namespace pollux::ui
