#include "LatentHeatmapView.hpp"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ClassPalette.hpp"
#include "TimeAxisModel.hpp"
#include "TimeInteraction.hpp"
#include "ZoomPresets.hpp"
#include "analysis/Decimation.hpp"

namespace imuwb::widgets {

namespace {
constexpr int kTop = 4, kBottom = 4;
}

LatentHeatmapView::LatentHeatmapView(TimeAxisModel* axis, QWidget* parent)
    : QWidget(parent), axis_(axis) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumHeight(80);
  auto* interaction = new TimeInteraction(
      axis_,
      [this] {
        return std::pair{plotRect().left(), plotRect().width()};
      },
      this);
  installEventFilter(interaction);
  connect(axis_, &TimeAxisModel::viewChanged, this, [this] {
    imageStale_ = true;
    update();
  });
  connect(axis_, &TimeAxisModel::cursorChanged, this, qOverload<>(&QWidget::update));
  connect(axis_, &TimeAxisModel::selectionChanged, this, qOverload<>(&QWidget::update));
  setToolTip(
      tr("Latent dimensions (rows) over windows (columns); hover for values, "
         "right-click for the colour scale"));
}

void LatentHeatmapView::setOutputs(std::shared_ptr<const ModelOutputs> outputs) {
  outputs_ = std::move(outputs);
  centres_s_.clear();
  if (hasData()) {
    centres_s_ = outputs_->windowCentres_s();
    const auto [mn, mx] =
        std::minmax_element(outputs_->latent.values.begin(), outputs_->latent.values.end());
    lo_ = *mn;
    hi_ = *mx;
    if (!(hi_ > lo_)) hi_ = lo_ + 1;
    const auto& latent = outputs_->latent;
    rowLo_.assign(latent.width, 0.f);
    rowHi_.assign(latent.width, 1.f);
    const std::size_t rows = latent.rows();
    const std::size_t rowStep = std::max<std::size_t>(1, rows / 20000);
    std::vector<float> column;
    for (std::size_t d = 0; d < latent.width; ++d) {
      column.clear();
      for (std::size_t w = 0; w < rows; w += rowStep)
        if (std::isfinite(latent.at(w, d))) column.push_back(latent.at(w, d));
      if (column.empty()) continue;
      std::sort(column.begin(), column.end());
      rowLo_[d] = column[column.size() / 100];
      rowHi_[d] = column[column.size() - 1 - column.size() / 100];
      if (!(rowHi_[d] > rowLo_[d])) rowHi_[d] = rowLo_[d] + 1e-6f;
    }
  }
  imageStale_ = true;
  update();
}

bool LatentHeatmapView::hasData() const {
  return outputs_ && !outputs_->latent.empty() && outputs_->latent.rows() > 0;
}

QRectF LatentHeatmapView::plotRect() const {
  return QRectF(kPlotLeftMargin, kTop, std::max(1, width() - kPlotLeftMargin - kPlotRightMargin),
                std::max(1, height() - kTop - kBottom));
}

TimeMapping LatentHeatmapView::mapping() const {
  const auto r = plotRect();
  return TimeMapping{axis_->view(), r.left(), r.width()};
}

void LatentHeatmapView::renderImage() {
  imageStale_ = false;
  if (!hasData()) {
    image_ = QImage();
    return;
  }
  const auto& latent = outputs_->latent;
  const int columns = static_cast<int>(plotRect().width());
  const int rows = static_cast<int>(latent.width);
  const std::size_t windows = std::min(latent.rows(), centres_s_.size());
  image_ = QImage(columns, rows, QImage::Format_RGB32);
  const QRgb empty = palette().color(QPalette::Base).rgb();
  const auto map = mapping();
  // A window covers its stride around its centre; columns outside every window stay empty.
  const double half = outputs_->strideSamples > 0 && windows > 1
                          ? (centres_s_[1] - centres_s_[0]) / 2
                          : outputs_->windowLength_s / 2;
  // One window has no per-dimension spread to show: fall back to the common scale.
  const bool perDimension = perDimension_ && windows > 1;
  for (int x = 0; x < columns; ++x) {
    const double t = map.toTime(x + map.left + 0.5);
    std::size_t w = analysis::indexAt(t, centres_s_);
    if (w > 0 && (w == windows || t - centres_s_[w - 1] < centres_s_[w] - t)) --w;
    const bool inside = w < windows && std::abs(centres_s_[w] - t) <= half + 1e-9;
    for (int d = 0; d < rows; ++d) {
      const auto dim = static_cast<std::size_t>(d);
      const double lo = perDimension ? rowLo_[dim] : lo_;
      const double hi = perDimension ? rowHi_[dim] : hi_;
      auto* line = reinterpret_cast<QRgb*>(image_.scanLine(d));
      line[x] = inside ? heatColor((latent.at(w, dim) - lo) / (hi - lo)) : empty;
    }
  }
}

HeatmapReadout LatentHeatmapView::readoutAt(QPointF position) const {
  HeatmapReadout out;
  const auto r = plotRect();
  if (!hasData() || !r.contains(position)) return out;
  out.time_s = mapping().toTime(position.x());
  out.window = outputs_->nearestWindow(out.time_s);
  const auto& latent = outputs_->latent;
  out.dimension = std::clamp(static_cast<int>((position.y() - r.top()) / r.height() * latent.width),
                             0, static_cast<int>(latent.width) - 1);
  if (out.window < 0 || static_cast<std::size_t>(out.window) >= latent.rows()) return out;
  out.value =
      latent.at(static_cast<std::size_t>(out.window), static_cast<std::size_t>(out.dimension));
  out.valid = true;
  return out;
}

void LatentHeatmapView::mouseMoveEvent(QMouseEvent* event) {
  const auto readout = readoutAt(event->position());
  readoutText_ = readout.valid ? tr("%1 · window %2 · dim %3 = %4")
                                     .arg(formatTime(readout.time_s, 0.1))
                                     .arg(readout.window)
                                     .arg(readout.dimension)
                                     .arg(readout.value, 0, 'f', 3)
                               : QString();
  emit hovered(readout);
  update();
  QWidget::mouseMoveEvent(event);
}

void LatentHeatmapView::setScalePerDimension(bool perDimension) {
  perDimension_ = perDimension;
  imageStale_ = true;
  update();
}

void LatentHeatmapView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  auto* perDim = menu.addAction(tr("Colour scale per dimension"));
  perDim->setCheckable(true);
  perDim->setChecked(perDimension_);
  connect(perDim, &QAction::toggled, this, &LatentHeatmapView::setScalePerDimension);
  menu.addSeparator();
  addZoomActions(&menu, axis_, &menu, false);
  menu.exec(event->globalPos());
}

void LatentHeatmapView::leaveEvent(QEvent* event) {
  readoutText_.clear();
  update();
  QWidget::leaveEvent(event);
}

void LatentHeatmapView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Base));
  const auto r = plotRect();
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.8);
  painter.setFont(small);
  painter.setPen(palette().color(QPalette::Text));
  if (!hasData()) {
    painter.drawText(r, Qt::AlignCenter, tr("latent: run a model to see it here"));
    return;
  }
  if (imageStale_ || image_.width() != static_cast<int>(r.width())) renderImage();
  painter.drawImage(r, image_);
  // Colour scale in the left margin: bar plus its two ends, and the dimension axis.
  const QRectF bar(6, r.top(), 8, r.height());
  for (int y = 0; y < static_cast<int>(bar.height()); ++y)
    painter.fillRect(QRectF(bar.left(), bar.bottom() - y - 1, bar.width(), 1),
                     QColor(heatColor(y / std::max(1.0, bar.height() - 1))));
  painter.drawText(QRectF(16, r.top(), kPlotLeftMargin - 18, 12), Qt::AlignLeft,
                   perDimension_ ? tr("99 %") : QString::number(hi_, 'f', 1));
  painter.drawText(QRectF(16, r.bottom() - 12, kPlotLeftMargin - 18, 12), Qt::AlignLeft,
                   perDimension_ ? tr("1 %") : QString::number(lo_, 'f', 1));
  painter.drawText(QRectF(16, r.center().y() - 6, kPlotLeftMargin - 18, 12), Qt::AlignLeft,
                   tr("%1 dims").arg(outputs_->latent.width));
  const auto map = mapping();
  const auto selection = axis_->selection();
  const QColor highlight = palette().color(QPalette::Highlight);
  if (selection.valid()) {
    const double x0 = std::max(r.left(), map.toX(selection.start_s));
    const double x1 = std::min(r.right(), map.toX(selection.end_s));
    painter.setPen(QPen(highlight, 1));
    if (x1 > x0) painter.drawRect(QRectF(x0, r.top(), x1 - x0, r.height()));
  }
  const double cx = map.toX(axis_->cursor());
  if (cx >= r.left() && cx <= r.right()) {
    painter.setPen(QPen(Qt::white, 1.5));
    painter.drawLine(QPointF(cx, r.top()), QPointF(cx, r.bottom()));
  }
  if (!readoutText_.isEmpty()) {
    const QFontMetrics metrics(small);
    const QRectF box(r.right() - metrics.horizontalAdvance(readoutText_) - 10, r.top() + 2,
                     metrics.horizontalAdvance(readoutText_) + 8, metrics.height() + 2);
    painter.fillRect(box, QColor(0, 0, 0, 160));
    painter.setPen(Qt::white);
    painter.drawText(box, Qt::AlignCenter, readoutText_);
  }
}

}  // namespace imuwb::widgets
