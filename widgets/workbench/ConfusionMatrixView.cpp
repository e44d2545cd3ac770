#include "ConfusionMatrixView.hpp"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace imuwb::widgets {

namespace {
constexpr int kAxisTitle = 18;  // "label" / "prediction"
constexpr int kMargin = 6;

QColor mix(QColor a, QColor b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}
}  // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(false);
  setToolTip(
      tr("Rows: the label; columns: the model's prediction. Click a cell to list its "
         "windows."));
}

void ConfusionMatrixView::setMatrix(QStringList classes, std::vector<long long> values,
                                    bool difference) {
  classes_ = std::move(classes);
  values_ = std::move(values);
  values_.resize(static_cast<std::size_t>(classes_.size() * classes_.size()), 0);
  difference_ = difference;
  scale_ = 1;
  for (long long v : values_) scale_ = std::max(scale_, std::llabs(v));
  updateGeometry();
  update();
}

void ConfusionMatrixView::clear() {
  setMatrix({}, {}, false);
  selectedLabel_ = selectedPrediction_ = -1;
}

long long ConfusionMatrixView::value(int label, int prediction) const {
  const int k = classCount();
  if (label < 0 || prediction < 0 || label >= k || prediction >= k) return 0;
  return values_[static_cast<std::size_t>(label * k + prediction)];
}

void ConfusionMatrixView::setSelectedCell(int label, int prediction) {
  selectedLabel_ = label;
  selectedPrediction_ = prediction;
  update();
}

QSize ConfusionMatrixView::sizeHint() const {
  const int k = std::max(1, classCount());
  return {140 + 44 * k, 110 + 34 * k};
}

ConfusionMatrixView::Layout ConfusionMatrixView::layout() const {
  const int k = classCount();
  if (k == 0) return {};
  const QFontMetrics metrics(font());
  int nameWidth = 0;
  for (const auto& name : classes_)
    nameWidth = std::max(nameWidth, metrics.horizontalAdvance(name));
  const int left = kAxisTitle + nameWidth + kMargin * 2;
  const int top = kAxisTitle + nameWidth + kMargin * 2;  // column names are drawn rotated
  const int cell =
      std::max(12, std::min((width() - left - kMargin) / k, (height() - top - kMargin) / k));
  return {QRect(left, top, cell * k, cell * k), cell};
}

QRect ConfusionMatrixView::cellRect(int label, int prediction) const {
  const auto l = layout();
  if (l.cell == 0 || label < 0 || prediction < 0 || label >= classCount() ||
      prediction >= classCount())
    return {};
  return {l.grid.left() + prediction * l.cell, l.grid.top() + label * l.cell, l.cell, l.cell};
}

bool ConfusionMatrixView::cellAt(QPoint position, int* label, int* prediction) const {
  const auto l = layout();
  if (l.cell == 0 || !l.grid.contains(position)) return false;
  *prediction = std::min(classCount() - 1, (position.x() - l.grid.left()) / l.cell);
  *label = std::min(classCount() - 1, (position.y() - l.grid.top()) / l.cell);
  return true;
}

QColor ConfusionMatrixView::cellColor(long long value) const {
  const QColor base = palette().color(QPalette::Base);
  const double t = std::sqrt(static_cast<double>(std::llabs(value)) / static_cast<double>(scale_));
  if (!difference_) return mix(base, QColor(0x1f4e9c), t);
  return mix(base, value >= 0 ? QColor(0x2166ac) : QColor(0xb2182b), t);
}

void ConfusionMatrixView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Window));
  const auto l = layout();
  const int k = classCount();
  if (l.cell == 0) {
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
    return;
  }
  const QColor text = palette().color(QPalette::WindowText);
  painter.setPen(text);
  for (int c = 0; c < k; ++c) {
    const QRect row = cellRect(c, 0);
    painter.drawText(QRect(kAxisTitle, row.top(), l.grid.left() - kAxisTitle - kMargin, l.cell),
                     Qt::AlignRight | Qt::AlignVCenter, classes_[c]);
    const QRect column = cellRect(0, c);
    painter.save();
    painter.translate(column.center().x(), l.grid.top() - kMargin);
    painter.rotate(-90);
    painter.drawText(QRect(0, -l.cell / 2, l.grid.top() - kAxisTitle - kMargin, l.cell),
                     Qt::AlignLeft | Qt::AlignVCenter, classes_[c]);
    painter.restore();
  }
  painter.drawText(QRect(l.grid.left(), 0, l.grid.width(), kAxisTitle), Qt::AlignCenter,
                   difference_ ? tr("prediction (B − A)") : tr("prediction"));
  painter.save();
  painter.translate(0, l.grid.center().y());
  painter.rotate(-90);
  painter.drawText(QRect(-l.grid.height() / 2, 0, l.grid.height(), kAxisTitle), Qt::AlignCenter,
                   tr("label"));
  painter.restore();
  for (int t = 0; t < k; ++t)
    for (int p = 0; p < k; ++p) {
      const QRect cell = cellRect(t, p);
      const long long v = value(t, p);
      const QColor fill = cellColor(v);
      painter.fillRect(cell, fill);
      painter.setPen(fill.lightnessF() < 0.55 ? Qt::white : Qt::black);
      const QString number =
          difference_ && v > 0 ? QStringLiteral("+%1").arg(v) : QString::number(v);
      painter.drawText(cell, Qt::AlignCenter, number);
    }
  painter.setPen(QPen(palette().color(QPalette::Mid), 1));
  painter.drawRect(l.grid.adjusted(0, 0, -1, -1));
  if (selectedLabel_ >= 0) {
    painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
    painter.drawRect(cellRect(selectedLabel_, selectedPrediction_).adjusted(1, 1, -2, -2));
  }
}

void ConfusionMatrixView::mousePressEvent(QMouseEvent* event) {
  int label = -1, prediction = -1;
  if (event->button() == Qt::LeftButton &&
      cellAt(event->position().toPoint(), &label, &prediction)) {
    setSelectedCell(label, prediction);
    emit cellClicked(label, prediction);
    return;
  }
  QWidget::mousePressEvent(event);
}

}  // namespace imuwb::widgets
