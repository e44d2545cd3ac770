#include "ReliabilityDiagramView.hpp"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace imuwb::widgets {

namespace {
const QColor kBefore(0x4e79a7);
const QColor kAfter(0xf28e2b);
constexpr int kLeft = 40, kTop = 22, kRight = 10, kBottom = 30, kCountStrip = 46;
}  // namespace

ReliabilityDiagramView::ReliabilityDiagramView(QWidget* parent) : QWidget(parent) {
  setToolTip(
      tr("Reliability diagram on the test split: accuracy per confidence bin (filled: as "
         "deployed, outlined: after temperature scaling); the dashed diagonal is perfect "
         "calibration. Below: windows per bin."));
}

void ReliabilityDiagramView::setCalibration(const eval::CalibrationError& before,
                                            const eval::CalibrationError& after) {
  before_ = before;
  after_ = after;
  update();
}

void ReliabilityDiagramView::clear() {
  before_ = {};
  after_ = {};
  update();
}

void ReliabilityDiagramView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(rect(), palette().color(QPalette::Window));
  const QColor text = palette().color(QPalette::WindowText);
  if (before_.bins.empty()) {
    painter.setPen(text);
    painter.drawText(rect(), Qt::AlignCenter, tr("evaluate a model to see its reliability"));
    return;
  }
  const QRect plot(kLeft, kTop, std::max(10, width() - kLeft - kRight),
                   std::max(10, height() - kTop - kBottom - kCountStrip));
  const auto x = [&](double v) { return plot.left() + v * plot.width(); };
  const auto y = [&](double v) { return plot.bottom() - v * plot.height(); };
  painter.fillRect(plot, palette().color(QPalette::Base));
  for (const auto& bin : before_.bins) {
    if (!bin.count) continue;
    painter.fillRect(QRectF(QPointF(x(bin.lo) + 1, y(bin.accuracy)), QPointF(x(bin.hi) - 1, y(0))),
                     kBefore);
  }
  painter.setPen(QPen(kAfter, 2));
  painter.setBrush(Qt::NoBrush);
  for (const auto& bin : after_.bins)
    if (bin.count)
      painter.drawRect(
          QRectF(QPointF(x(bin.lo) + 2, y(bin.accuracy)), QPointF(x(bin.hi) - 2, y(0))));
  painter.setPen(QPen(text, 1, Qt::DashLine));
  painter.drawLine(QPointF(x(0), y(0)), QPointF(x(1), y(1)));
  painter.setPen(QPen(palette().color(QPalette::Mid), 1));
  painter.drawRect(plot);
  painter.setPen(text);
  for (double v : {0.0, 0.5, 1.0}) {
    painter.drawText(QRectF(0, y(v) - 8, kLeft - 4, 16), Qt::AlignRight | Qt::AlignVCenter,
                     QString::number(v, 'f', 1));
    painter.drawText(QRectF(x(v) - 20, plot.bottom() + 2, 40, 14), Qt::AlignCenter,
                     QString::number(v, 'f', 1));
  }
  painter.drawText(QRect(kLeft, 2, plot.width(), kTop - 4), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("accuracy vs confidence — ■ as deployed  □ temperature-scaled"));
  paintCounts(painter,
              QRect(plot.left(), plot.bottom() + 18, plot.width(), kCountStrip + kBottom - 24));
}

void ReliabilityDiagramView::paintCounts(QPainter& painter, const QRect& strip) const {
  std::size_t most = 1;
  for (const auto& bin : before_.bins) most = std::max(most, bin.count);
  QFont small = font();
  small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.75));
  painter.setFont(small);
  const auto x = [&](double v) { return strip.left() + v * strip.width(); };
  const int barSpace = strip.height() - 12;
  for (const auto& bin : before_.bins) {
    const double h = barSpace * static_cast<double>(bin.count) / static_cast<double>(most);
    const QRectF bar(QPointF(x(bin.lo) + 1, strip.bottom() - h),
                     QPointF(x(bin.hi) - 1, strip.bottom()));
    painter.fillRect(bar, palette().color(QPalette::Mid));
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRectF(x(bin.lo) - 6, bar.top() - 12, x(bin.hi) - x(bin.lo) + 12, 12),
                     Qt::AlignCenter, QString::number(bin.count));
  }
  painter.setFont(font());
}

}  // namespace imuwb::widgets
