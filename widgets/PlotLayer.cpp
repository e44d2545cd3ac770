#include "PlotLayer.hpp"

#include <QPainter>
#include <QPen>
#include <QPolygonF>
#include <QThreadPool>
#include <memory>

namespace imuwb::widgets {

QImage renderPlotLayer(const PlotLayerScene& scene) {
  const QSize pixels = (QSizeF(scene.size) * scene.devicePixelRatio).toSize();
  if (pixels.isEmpty()) return {};
  QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(scene.devicePixelRatio);
  image.fill(scene.base);
  QPainter painter(&image);
  const double height = scene.size.height();
  for (const auto& band : scene.bands)
    painter.fillRect(QRectF(band.x0, 0, std::max(1.0, band.x1 - band.x0), height), band.color);
  QPen gridPen(scene.grid, 1.0);
  gridPen.setCosmetic(true);
  painter.setPen(gridPen);
  for (double x : scene.gridX) painter.drawLine(QPointF(x, 0), QPointF(x, height));
  for (double y : scene.gridY) painter.drawLine(QPointF(0, y), QPointF(scene.size.width(), y));
  QPolygonF polyline;
  for (const auto& trace : scene.traces) {
    polyline.resize(trace.points.size());
    for (qsizetype i = 0; i < trace.points.size(); ++i)
      polyline[i] = QPointF(trace.points[i].x() * scene.xScale + scene.xOffset,
                            trace.points[i].y() * scene.yScale + scene.yOffset);
    QPen pen(trace.color, 1.0);
    pen.setCosmetic(true);
    painter.setPen(pen);
    painter.drawPolyline(polyline);
  }
  return image;
}

PlotLayer::~PlotLayer() {
  if (pending_.valid()) pending_.wait();  // the task holds no reference to us, but be tidy
}

void PlotLayer::start(PlotLayerScene scene) {
  ++renders_;
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
