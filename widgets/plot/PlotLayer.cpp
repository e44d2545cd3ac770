#include "PlotLayer.hpp"

#include <QPainter>
#include <QPen>
#include <QPolygonF>
#include <QThreadPool>
#include <memory>

namespace imuwb::widgets {

namespace {

QPolygonF toPixels(const QList<QPointF>& points, const PlotLayerScene& scene) {
  QPolygonF out(points.size());
  for (qsizetype i = 0; i < points.size(); ++i)
    out[i] = QPointF(points[i].x() * scene.xScale + scene.xOffset,
                     points[i].y() * scene.yScale + scene.yOffset);
  return out;
}

QPen cosmeticPen(QColor color, Qt::PenStyle style = Qt::SolidLine) {
  QPen pen(color, 1.0, style);
  pen.setCosmetic(true);
  return pen;
}

}  // namespace

QImage renderPlotLayer(const PlotLayerScene& scene) {
  const QSize pixels = (QSizeF(scene.size) * scene.devicePixelRatio).toSize();
  if (pixels.isEmpty()) return {};
  QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(scene.devicePixelRatio);
  image.fill(scene.base);
  QPainter painter(&image);
  const auto& content = scene.content;
  const double width = scene.size.width(), height = scene.size.height();
  for (const auto& band : scene.bands)
    painter.fillRect(QRectF(band.x0, 0, std::max(1.0, band.x1 - band.x0), height), band.color);
  if (!content.heat.isNull())  // nearest neighbour: each cell keeps its exact colour
    painter.drawImage(QRectF(0, 0, width, height), content.heat);
  painter.setPen(Qt::NoPen);
  for (const auto& area : content.areas) {
    QPolygonF polygon = toPixels(area.upper, scene);
    const QPolygonF lower = toPixels(area.lower, scene);
    for (auto it = lower.rbegin(); it != lower.rend(); ++it) polygon.append(*it);
    painter.setBrush(area.color);
    painter.drawPolygon(polygon);
  }
  painter.setBrush(Qt::NoBrush);
  painter.setPen(cosmeticPen(scene.grid));
  for (double x : scene.gridX) painter.drawLine(QPointF(x, 0), QPointF(x, height));
  for (double y : scene.gridY) painter.drawLine(QPointF(0, y), QPointF(width, y));
  for (const auto& trace : content.traces) {
    painter.setPen(cosmeticPen(trace.color));
    painter.drawPolyline(toPixels(trace.points, scene));
  }
  for (const auto& guide : content.guides) {
    const double y = guide.value * scene.yScale + scene.yOffset;
    painter.setPen(cosmeticPen(guide.color, Qt::DashLine));
    painter.drawLine(QPointF(0, y), QPointF(width, y));
  }
  painter.setPen(Qt::NoPen);
  for (const auto& marks : content.marks) {
    painter.setBrush(marks.color);
    for (const QPointF& centre : toPixels(marks.points, scene))
      painter.drawEllipse(centre, marks.radius_px, marks.radius_px);
  }
  return image;
}

PlotLayer::~PlotLayer() {
  if (pending_.valid()) pending_.wait();  // the task holds no reference to us, but be tidy
}

void PlotLayer::start(PlotLayerScene scene) {
  auto task = std::make_shared<std::packaged_task<QImage()>>(
      [scene = std::move(scene)] { return renderPlotLayer(scene); });
  pending_ = task->get_future();
  // Queued if both pool threads are busy: the global pool only carries short paint work (long
  // jobs run on BackgroundJob's own pool), so the wait is a few milliseconds at most.
  QThreadPool::globalInstance()->start([task] { (*task)(); });
}

const QImage& PlotLayer::image() {
  if (pending_.valid()) image_ = pending_.get();
  return image_;
}

}  // namespace imuwb::widgets
