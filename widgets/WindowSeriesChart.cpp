#include "WindowSeriesChart.hpp"

#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>

#include "TimeAxisModel.hpp"

namespace imuwb::widgets {

WindowSeriesChart::WindowSeriesChart(TimeAxisModel* axis, Kind kind, QWidget* parent)
    : TimeChartView(axis, parent), kind_(kind) {
  // A little headroom so a probability of exactly 0 or 1 is not hidden by the plot edge.
  yAxis()->setRange(-0.04, 1.1);
  yAxis()->setTickType(QValueAxis::TicksDynamic);  // grid at 0, 0.5, 1
  yAxis()->setTickAnchor(0);
  yAxis()->setTickInterval(0.5);
  yAxis()->setLabelFormat("%.1f");
  setPlaceholder(tr("run a model to see its outputs here"));
  setTitleText(kind_ == Kind::Probabilities ? tr("class probabilities") : tr("motif scores"));
  setToolTip(kind_ == Kind::Probabilities
                 ? tr("Softmax class probabilities per window, at window centres")
                 : tr("Motif scores per window (sigmoid); dots mark upward threshold crossings"));
}

const WindowMatrix* WindowSeriesChart::matrix() const {
  if (!outputs_) return nullptr;
  const auto& m = kind_ == Kind::Probabilities ? outputs_->probabilities : outputs_->motifScores;
  return m.empty() ? nullptr : &m;
}

void WindowSeriesChart::clearSeries() {
  chart()->removeAllSeries();  // deletes them
  lines_.clear();
  thresholdLine_ = nullptr;
  crossingMarks_ = nullptr;
  traces_.clear();
  crossings_.clear();
}

void WindowSeriesChart::setThreshold(double threshold) {
  threshold_ = threshold;
  setOutputs(outputs_, nullptr);
}

void WindowSeriesChart::setOutputs(std::shared_ptr<const ModelOutputs> outputs,
                                   const ClassPalette* palette) {
  clearSeries();
  outputs_ = std::move(outputs);
  const WindowMatrix* m = matrix();
  if (!m) {
    setLegendEntries({});
    setPlaceholder(!outputs_ ? tr("run a model to see its outputs here")
                   : kind_ == Kind::Probabilities
                       ? tr("this model has no class outputs (logits or FSQ head)")
                       : tr("this model has no motif scores"));
    scheduleRefresh();
    return;
  }
  setPlaceholder({});
  traces_.reset(outputs_->windowCentres_s());
  const std::size_t rows = std::min(m->rows(), traces_.centres_s().size());
  QList<QPair<QString, QColor>> legend;
  for (std::size_t d = 0; d < m->width; ++d) {
    traces_.addChannel(analysis::StridedChannel{m->values.data() + d, rows, m->width});
    auto* series = new QLineSeries(this);
    const QString name = d < m->columnNames.size() ? QString::fromStdString(m->columnNames[d])
                                                   : QStringLiteral("%1").arg(d);
    series->setName(name);
    const QColor color = (kind_ == Kind::Probabilities && palette && d < m->columnNames.size())
                             ? palette->color(m->columnNames[d])
                             : categoricalColor(static_cast<int>(d));
    attachSeries(series, color);
    lines_.push_back(series);
    legend.append({name, color});
  }
  setLegendEntries(legend);
  if (kind_ == Kind::MotifScores) {
    thresholdLine_ = new QLineSeries(this);
    attachSeries(thresholdLine_, palette ? QColor(0x888888) : QColor(0x888888));
    QPen dashed = thresholdLine_->pen();
    dashed.setStyle(Qt::DashLine);
    thresholdLine_->setPen(dashed);
    crossingMarks_ = new QScatterSeries(this);
    crossingMarks_->setMarkerSize(6);
    crossingMarks_->setBorderColor(Qt::transparent);
    chart()->addSeries(crossingMarks_);
    crossingMarks_->attachAxis(xAxis());
    crossingMarks_->attachAxis(yAxis());
    crossingMarks_->setColor(QColor(0xe15759));
    for (std::size_t d = 0; d < m->width; ++d)
      for (std::size_t w = 1; w < rows; ++w)
        if (m->at(w - 1, d) < threshold_ && m->at(w, d) >= threshold_)
          crossings_.emplace_back(traces_.centres_s()[w], m->at(w, d));
    std::sort(crossings_.begin(), crossings_.end());
  }
  scheduleRefresh();
}

void WindowSeriesChart::refreshData() {
  const WindowMatrix* m = matrix();
  if (!m) return;
  const auto view = timeAxis()->view();
  const int columns = static_cast<int>(plotRect().width());
  for (std::size_t d = 0; d < lines_.size(); ++d)
    lines_[d]->replace(traces_.points(d, view.start_s, view.end_s, columns));
  if (thresholdLine_) {
    thresholdLine_->replace(QList<QPointF>{{view.start_s, threshold_}, {view.end_s, threshold_}});
    // Only the marks in view, and at most a few per pixel column so zoomed-out stays cheap.
    QList<QPointF> marks;
    auto it = std::lower_bound(crossings_.begin(), crossings_.end(),
                               std::pair<double, float>{view.start_s, -1.f});
    const std::size_t budget = static_cast<std::size_t>(columns) * 2;
    for (; it != crossings_.end() && it->first <= view.end_s && marks.size() < qsizetype(budget);
         ++it)
      marks.append(QPointF(it->first, it->second));
    crossingMarks_->replace(marks);
  }
}

}  // namespace imuwb::widgets
