#include "WindowSeriesChart.hpp"

#include <QMenu>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "HeatRows.hpp"
#include "TimeAxisModel.hpp"

namespace imuwb::widgets {

namespace {
const QColor kThresholdColor(0x888888);
const QColor kCrossingColor(0xe15759);
}  // namespace

WindowSeriesChart::WindowSeriesChart(TimeAxisModel* axis, Kind kind, QWidget* parent)
    : TimeChartView(axis, parent), kind_(kind) {
  applyStyleAxes();
  setPlaceholder(tr("run a model to see its outputs here"));
  setToolTip(kind_ == Kind::Probabilities
                 ? tr("Softmax class probabilities per window, at window centres. "
                      "Right-click: lines or stacked areas")
                 : tr("Motif scores per window (sigmoid); dots mark upward threshold crossings. "
                      "Heatmap: one row per motif, dark = 0, yellow = 1, the highest score in "
                      "each pixel column. Right-click: lines or heatmap"));
}

QString WindowSeriesChart::styleName(Style style) {
  switch (style) {
    case Style::Lines:
      return QStringLiteral("lines");
    case Style::StackedAreas:
      return QStringLiteral("stacked");
    case Style::Heatmap:
      return QStringLiteral("heatmap");
  }
  return {};
}

const WindowMatrix* WindowSeriesChart::matrix() const {
  if (!outputs_) return nullptr;
  const auto& m = kind_ == Kind::Probabilities ? outputs_->probabilities : outputs_->motifScores;
  return m.empty() ? nullptr : &m;
}

void WindowSeriesChart::setStyle(Style style) {
  const bool offered = style == Style::Lines ||
                       (style == Style::StackedAreas && kind_ == Kind::Probabilities) ||
                       (style == Style::Heatmap && kind_ == Kind::MotifScores);
  if (!offered) style = Style::Lines;
  if (style == style_) return;
  style_ = style;
  applyStyleAxes();
  scheduleRefresh();
  emit styleChanged(style_);
}

void WindowSeriesChart::applyStyleAxes() {
  if (style_ == Style::Heatmap) {
    // One row per motif, named in the margin; the value axis would only mislead, and the title
    // plate and colour keys would hide cells (the dock title says what this is).
    yAxis()->setRange(0, std::max<double>(1, names_.size()));
    setValueLabelsVisible(false);
    setRowLabels(names_);
    setTitleText({});
    setLegendEntries({});
    return;
  }
  setRowLabels({});
  setTitleText(kind_ == Kind::Probabilities ? tr("class probabilities") : tr("motif scores"));
  setLegendEntries(legend_);
  setValueLabelsVisible(true);
  // A little headroom so a probability of exactly 0 or 1 is not hidden by the plot edge.
  yAxis()->setRange(-0.04, 1.1);
  yAxis()->setTickType(QValueAxis::TicksDynamic);  // grid at 0, 0.5, 1
  yAxis()->setTickAnchor(0);
  yAxis()->setTickInterval(0.5);
  yAxis()->setLabelFormat("%.1f");
}

void WindowSeriesChart::setThreshold(double threshold) {
  threshold_ = threshold;
  setOutputs(outputs_, palette_);
}

void WindowSeriesChart::setOutputs(std::shared_ptr<const ModelOutputs> outputs,
                                   const ClassPalette* palette) {
  outputs_ = std::move(outputs);
  palette_ = palette;
  traces_.clear();
  means_.clear();
  colors_.clear();
  names_.clear();
  crossings_.clear();
  const WindowMatrix* m = matrix();
  if (!m) {
    legend_.clear();
    setLayerContent({});
    setPlaceholder(!outputs_ ? tr("run a model to see its outputs here")
                   : kind_ == Kind::Probabilities
                       ? tr("this model has no class outputs (logits or FSQ head)")
                       : tr("this model has no motif scores"));
    applyStyleAxes();
    scheduleRefresh();
    return;
  }
  setPlaceholder({});
  traces_.reset(outputs_->windowCentres_s());
  const std::size_t rows = std::min(m->rows(), traces_.centres_s().size());
  QList<QPair<QString, QColor>> legend;
  for (std::size_t d = 0; d < m->width; ++d) {
    traces_.addChannel(analysis::StridedChannel{m->values.data() + d, rows, m->width});
    const QString name = d < m->columnNames.size() ? QString::fromStdString(m->columnNames[d])
                                                   : QStringLiteral("%1").arg(d);
    const QColor color = (kind_ == Kind::Probabilities && palette && d < m->columnNames.size())
                             ? palette->color(m->columnNames[d])
                             : categoricalColor(static_cast<int>(d));
    names_ << name;
    colors_.push_back(color);
    legend.append({name, color});
  }
  legend_ = std::move(legend);  // shown by applyStyleAxes() for the styles that have keys
  if (kind_ == Kind::Probabilities)
    means_.reset(traces_.centres_s(), m->values.data(), rows, m->width);
  if (kind_ == Kind::MotifScores) {
    for (std::size_t d = 0; d < m->width; ++d)
      for (std::size_t w = 1; w < rows; ++w)
        if (m->at(w - 1, d) < threshold_ && m->at(w, d) >= threshold_)
          crossings_.push_back({traces_.centres_s()[w], m->at(w, d), d});
    std::sort(crossings_.begin(), crossings_.end());
  }
  applyStyleAxes();
  scheduleRefresh();
}

void WindowSeriesChart::refreshData() {
  if (!matrix()) return;
  const auto view = timeAxis()->view();
  const int columns = static_cast<int>(plotRect().width());
  switch (style_) {
    case Style::Lines:
      setLayerContent(lines(view, columns));
      break;
    case Style::StackedAreas:
      setLayerContent(stackedAreas(view, columns));
      break;
    case Style::Heatmap:
      setLayerContent(heatmap(view, columns));
      break;
  }
}

PlotLayerContent WindowSeriesChart::lines(TimeRange view, int columns) const {
  PlotLayerContent content;
  for (std::size_t d = 0; d < traces_.channelCount(); ++d)
    content.traces.push_back({traces_.points(d, view.start_s, view.end_s, columns), colors_[d]});
  if (kind_ == Kind::MotifScores) {
    content.guides.push_back({threshold_, kThresholdColor});
    content.marks.push_back(crossingMarks(view, columns));
  }
  return content;
}

PlotLayerContent WindowSeriesChart::stackedAreas(TimeRange view, int columns) const {
  PlotLayerContent content;
  const auto rows = means_.rows(view.start_s, view.end_s, columns);
  const std::size_t width = rows.width;
  std::vector<double> below(rows.time_s.size(), 0.0);
  for (std::size_t d = 0; d < width; ++d) {
    PlotLayerContent::Area area;
    area.color = colors_[d];
    area.color.setAlpha(200);
    area.upper.reserve(static_cast<qsizetype>(rows.time_s.size()));
    area.lower.reserve(static_cast<qsizetype>(rows.time_s.size()));
    for (std::size_t i = 0; i < rows.time_s.size(); ++i) {
      const double value = rows.at(i, d);
      const double top = below[i] + (std::isfinite(value) ? value : 0.0);
      area.lower.append(QPointF(rows.time_s[i], below[i]));
      area.upper.append(QPointF(rows.time_s[i], top));
      below[i] = top;
    }
    content.areas.push_back(std::move(area));
  }
  return content;
}

PlotLayerContent WindowSeriesChart::heatmap(TimeRange view, int columns) const {
  PlotLayerContent content;
  content.heat = heatRows(traces_, view.start_s, view.end_s, columns, &heatColor);
  content.marks.push_back(crossingMarks(view, columns));
  return content;
}

PlotLayerContent::Marks WindowSeriesChart::crossingMarks(TimeRange view, int columns) const {
  // Only the marks in view, and at most a few per pixel column so zoomed-out stays cheap.
  PlotLayerContent::Marks marks{{}, kCrossingColor, style_ == Style::Heatmap ? 2.0 : 3.0};
  const double rows = static_cast<double>(traces_.channelCount());
  auto it = std::lower_bound(crossings_.begin(), crossings_.end(), Crossing{view.start_s, 0, 0});
  const qsizetype budget = static_cast<qsizetype>(columns) * 2;
  for (; it != crossings_.end() && it->time_s <= view.end_s && marks.points.size() < budget; ++it) {
    // In the heatmap, a mark sits on its motif's row (row 0 at the top).
    const double y = style_ == Style::Heatmap ? rows - static_cast<double>(it->motif) - 0.5
                                              : static_cast<double>(it->score);
    marks.points.append(QPointF(it->time_s, y));
  }
  return marks;
}

QString WindowSeriesChart::describeAt(QPointF position) const {
  if (!matrix() || !plotRect().contains(position)) return {};
  return style_ == Style::Heatmap ? describeCellAt(position) : describeWindowAt(position);
}

QString WindowSeriesChart::describeWindowAt(QPointF position) const {
  const double t = mapping().toTime(position.x());
  const long window = outputs_->nearestWindow(t);
  const WindowMatrix& m = *matrix();
  if (window < 0 || static_cast<std::size_t>(window) >= m.rows()) return {};
  const auto w = static_cast<std::size_t>(window);
  // Only near a window: past the ends, or in a gap in the windows, there is nothing to read.
  const double centre = outputs_->windowCentre_s(w);
  const double reach = std::max(outputs_->windowLength_s / 2, mapping().view.length() / 400);
  if (std::abs(centre - t) > reach) return {};
  QStringList lines;
  lines << tr("%1 · window %2 (centre %3)")
               .arg(formatTime(t, 0.01))
               .arg(w)
               .arg(formatTime(centre, 0.01));
  for (std::size_t d = 0; d < m.width; ++d)
    lines << QStringLiteral("%1: %2")
                 .arg(names_.value(static_cast<qsizetype>(d)))
                 .arg(static_cast<double>(m.at(w, d)), 0, 'f', 3);
  return lines.join('\n');
}

QString WindowSeriesChart::describeCellAt(QPointF position) const {
  const auto plot = plotRect();
  const int rows = static_cast<int>(traces_.channelCount());
  const int row =
      std::clamp(static_cast<int>((position.y() - plot.top()) / plot.height() * rows), 0, rows - 1);
  const auto view = timeAxis()->view();
  const int columns = static_cast<int>(plot.width());
  const int column = std::clamp(static_cast<int>(position.x() - plot.left()), 0, columns - 1);
  const double value =
      heatValue(traces_, static_cast<std::size_t>(row), view.start_s, view.end_s, columns, column);
  if (std::isnan(value)) return {};
  return tr("%1 at %2: %3 (highest in this pixel column)")
      .arg(names_.value(row), formatTime(mapping().toTime(position.x()), 0.1))
      .arg(value, 0, 'f', 3);
}

void WindowSeriesChart::fillContextMenu(QMenu& menu) {
  auto add = [&](const QString& text, Style style) {
    auto* action = menu.addAction(text, this, [this, style] { setStyle(style); });
    action->setCheckable(true);
    action->setChecked(style_ == style);
  };
  add(tr("Lines"), Style::Lines);
  if (kind_ == Kind::Probabilities) add(tr("Stacked Areas"), Style::StackedAreas);
  if (kind_ == Kind::MotifScores) add(tr("Heatmap"), Style::Heatmap);
}

}  // namespace imuwb::widgets
