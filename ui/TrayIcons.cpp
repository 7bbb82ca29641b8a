#include "TrayIcons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace pollux::ui {

namespace {

QPixmap draw(TrayState state, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;
    const qreal pen = qMax<qreal>(1.0, s / 16);

    // The envelope.
    const QRectF body(s * 0.06, s * 0.2, s * 0.78, s * 0.56);
    p.setPen(QPen(QColor(0x33, 0x3b, 0x46), pen));
    p.setBrush(QColor(0xf4, 0xf6, 0xf8));
    p.drawRoundedRect(body, s * 0.06, s * 0.06);
    QPainterPath flap;
    flap.moveTo(body.topLeft() + QPointF(pen, pen));
    flap.lineTo(body.center().x(), body.top() + body.height() * 0.55);
    flap.lineTo(body.topRight() + QPointF(-pen, pen));
    p.setBrush(Qt::NoBrush);
    p.drawPath(flap);

    // The badge.
    QColor badge;
    switch (state) {
    case TrayState::Idle:
        badge = QColor(0x2e, 0x9e, 0x44);
        break;
    case TrayState::Polling:
        badge = QColor(0x1f, 0x6f, 0xd1);
        break;
    case TrayState::Error:
        badge = QColor(0xd0, 0x2b, 0x2b);
        break;
    case TrayState::Paused:
        badge = QColor(0x80, 0x80, 0x80);
        break;
    }
    const QRectF circle(s * 0.48, s * 0.48, s * 0.5, s * 0.5);
    p.setPen(QPen(Qt::white, pen));
    p.setBrush(badge);
    p.drawEllipse(circle);

    p.setPen(QPen(Qt::white, qMax<qreal>(1.5, s / 12), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    const QPointF c = circle.center();
    const qreal r = circle.width() * 0.24;
    switch (state) {
    case TrayState::Idle: { // a check mark
        QPainterPath tick;
        tick.moveTo(c + QPointF(-r, 0));
        tick.lineTo(c + QPointF(-r * 0.3, r * 0.7));
        tick.lineTo(c + QPointF(r, -r * 0.7));
        p.drawPath(tick);
        break;
    }
    case TrayState::Polling: // a down arrow
        p.drawLine(c + QPointF(0, -r), c + QPointF(0, r));
        p.drawLine(c + QPointF(-r * 0.7, r * 0.3), c + QPointF(0, r));
        p.drawLine(c + QPointF(r * 0.7, r * 0.3), c + QPointF(0, r));
        break;
    case TrayState::Error: // an exclamation mark
        p.drawLine(c + QPointF(0, -r), c + QPointF(0, r * 0.25));
        p.drawPoint(c + QPointF(0, r * 0.85));
        break;
    case TrayState::Paused: // two bars
        p.drawLine(c + QPointF(-r * 0.45, -r * 0.8), c + QPointF(-r * 0.45, r * 0.8));
        p.drawLine(c + QPointF(r * 0.45, -r * 0.8), c + QPointF(r * 0.45, r * 0.8));
        break;
    }
    return pixmap;
}

} // namespace

QIcon trayStateIcon(TrayState state)
{
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128})
        icon.addPixmap(draw(state, size));
    return icon;
}

} // namespace pollux::ui
