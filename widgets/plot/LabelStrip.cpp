#include "LabelStrip.hpp"

#include <QHelpEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "TimeAxisModel.hpp"
#include "TimeInteraction.hpp"
#include "ToolTip.hpp"

namespace imuwb::widgets {

namespace {
constexpr int kRulerHeight = 18;
constexpr int kRowHeight = 16;
constexpr int kGap = 2;
}  // namespace

LabelStrip::LabelStrip(TimeAxisModel* axis, const ClassPalette* palette, QWidget* parent)
    : QWidget(parent), axis_(axis), palette_(palette) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  auto* interaction = new TimeInteraction(
      axis_, [this] { return std::pair<double, double>(mapping().left, mapping().width); }, this);
  installEventFilter(interaction);
  connect(axis_, &TimeAxisModel::viewChanged, this, qOverload<>(&QWidget::update));
  connect(axis_, &TimeAxisModel::cursorChanged, this, qOverload<>(&QWidget::update));
  connect(axis_, &TimeAxisModel::selectionChanged, this, qOverload<>(&QWidget::update));
  setToolTip(tr("Labels (top) and predicted class (bottom)"));
}

void LabelStrip::setLabels(std::vector<TimeBand> labels) {
  labels_ = std::move(labels);
  if (selected_ >= static_cast<int>(labels_.size())) selected_ = -1;
  update();
}

void LabelStrip::setSelectedIndex(int index) {
  selected_ = index >= 0 && index < static_cast<int>(labels_.size()) ? index : -1;
  update();
}

void LabelStrip::setPreview(std::optional<TimeBand> preview) {
  preview_ = std::move(preview);
  update();
}

QRectF LabelStrip::labelRow() const {
  const auto map = mapping();
  return QRectF(map.left, kRulerHeight + kGap, map.width, kRowHeight);
}

QRectF LabelStrip::predictedRow() const {
  if (predicted_.empty()) return {};
  return labelRow().translated(0, kRowHeight + kGap);
}

void LabelStrip::setPredicted(std::vector<TimeBand> predicted) {
  predicted_ = std::move(predicted);
  updateGeometry();
  update();
}

QSize LabelStrip::sizeHint() const {
  const int rows = predicted_.empty() ? 1 : 2;
  return QSize(400, kRulerHeight + rows * (kRowHeight + kGap) + kGap);
}

TimeMapping LabelStrip::mapping() const {
  return TimeMapping{axis_->view(), double(kPlotLeftMargin),
                     double(std::max(1, width() - kPlotLeftMargin - kPlotRightMargin))};
}

void LabelStrip::drawBand(QPainter& painter, const std::vector<TimeBand>& intervals, QRectF row) {
  const auto map = mapping();
  const auto view = axis_->view();
  painter.fillRect(row, palette().color(QPalette::AlternateBase));
  const QFontMetrics metrics(painter.font());
  // Intervals are sorted by start; skip straight to the view.
  auto it = std::lower_bound(intervals.begin(), intervals.end(), view.start_s,
                             [](const TimeBand& l, double t) { return l.end_s < t; });
  double lastLabelEnd = -1e9;
  double lastPixel = -1;
  for (; it != intervals.end() && it->start_s <= view.end_s; ++it) {
    const double x0 = std::max(row.left(), map.toX(it->start_s));
    const double x1 = std::min(row.right(), map.toX(it->end_s));
    if (x1 < x0 || std::floor(x1) <= lastPixel) continue;  // one interval per pixel column
    lastPixel = std::floor(std::max(x1, x0 + 1));
    const QRectF box(x0, row.top(), std::max(1.0, x1 - x0), row.height());
    painter.fillRect(box, palette_->color(it->label));
    if (box.width() < 24 || x0 <= lastLabelEnd) continue;
    const QString text = QString::fromStdString(it->label);
    if (box.width() > metrics.horizontalAdvance(text) + 4) {
      painter.setPen(Qt::white);
      painter.drawText(box.adjusted(2, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
      lastLabelEnd = x0 + metrics.horizontalAdvance(text);
    }
  }
}

void LabelStrip::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Window));
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.8);
  painter.setFont(small);
  const auto map = mapping();
  const auto view = axis_->view();
  // Ruler: clock time from session start.
  const double step = niceTickStep(view.length(), std::max(2, width() / 110));
  painter.setPen(palette().color(QPalette::Text));
  for (double t : tickPositions(view, step)) {
    const double x = map.toX(t);
    painter.drawLine(QPointF(x, kRulerHeight - 4), QPointF(x, kRulerHeight));
    painter.drawText(QPointF(x + 2, kRulerHeight - 5), formatTime(t, step));
  }
  const double right = map.left + map.width;
  QRectF row(map.left, kRulerHeight + kGap, right - map.left, kRowHeight);
  painter.drawText(QRectF(0, row.top(), kPlotLeftMargin - 4, row.height()),
                   Qt::AlignRight | Qt::AlignVCenter, tr("labels"));
  drawBand(painter, labels_, row);
  drawEditMarks(painter, row);
  if (!predicted_.empty()) {
    row.translate(0, kRowHeight + kGap);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRectF(0, row.top(), kPlotLeftMargin - 4, row.height()),
                     Qt::AlignRight | Qt::AlignVCenter, tr("predicted"));
    drawBand(painter, predicted_, row);
  }
  // Selection and cursor, as in every other view.
  const auto selection = axis_->selection();
  QColor highlight = palette().color(QPalette::Highlight);
  if (selection.valid()) {
    QColor fill = highlight;
    fill.setAlpha(60);
    const double x0 = std::max(map.left, map.toX(selection.start_s));
    const double x1 = std::min(right, map.toX(selection.end_s));
    if (x1 > x0) painter.fillRect(QRectF(x0, kRulerHeight, x1 - x0, height() - kRulerHeight), fill);
  }
  const double cx = map.toX(axis_->cursor());
  if (cx >= map.left && cx <= right) {
    painter.setPen(QPen(highlight, 1.5));
    painter.drawLine(QPointF(cx, 0), QPointF(cx, height()));
  }
}

void LabelStrip::drawEditMarks(QPainter& painter, QRectF row) {
  const auto map = mapping();
  const QColor text = palette().color(QPalette::Text);
  if (preview_) {
    QColor fill = palette_->color(preview_->label);
    fill.setAlpha(150);
    const double x0 = std::max(row.left(), map.toX(std::min(preview_->start_s, preview_->end_s)));
    const double x1 = std::min(row.right(), map.toX(std::max(preview_->start_s, preview_->end_s)));
    if (x1 >= x0) {
      const QRectF box(x0, row.top(), std::max(1.0, x1 - x0), row.height());
      painter.fillRect(box, fill);
      painter.setPen(QPen(text, 1, Qt::DashLine));
      painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5));
    }
  }
  if (selected_ < 0) return;
  const auto& band = labels_[static_cast<std::size_t>(selected_)];
  const double x0 = map.toX(band.start_s), x1 = map.toX(band.end_s);
  if (x1 < row.left() || x0 > row.right()) return;
  const QRectF box(std::max(row.left(), x0), row.top(),
                   std::max(1.0, std::min(row.right(), x1) - std::max(row.left(), x0)),
                   row.height());
  painter.setPen(QPen(text, 2));
  painter.drawRect(box.adjusted(1, 1, -1, -1));
  // Grips on the edges that are in view: the places a drag moves.
  for (const double x : {x0, x1})
    if (x >= row.left() && x <= row.right())
      painter.fillRect(QRectF(x - 2, row.top() - 1, 4, row.height() + 2), text);
}

QString LabelStrip::describeAt(QPoint position) const {
  const double t = mapping().toTime(position.x());
  const bool predictedRow = !predicted_.empty() && position.y() > kRulerHeight + kRowHeight + kGap;
  const auto& intervals = predictedRow ? predicted_ : labels_;
  for (const auto& interval : intervals)
    if (t >= interval.start_s && t < interval.end_s)
      return QStringLiteral("%1: %2 (%3 – %4)")
          .arg(predictedRow ? tr("predicted") : tr("label"), QString::fromStdString(interval.label),
               formatTime(interval.start_s, 0.1), formatTime(interval.end_s, 0.1));
  return {};
}

bool LabelStrip::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = describeAt(help->pos());
    answerToolTip(*help, text, this);
    return true;
  }
  return QWidget::event(event);
}

}  // namespace imuwb::widgets
