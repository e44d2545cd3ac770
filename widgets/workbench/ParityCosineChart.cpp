#include "ParityCosineChart.hpp"

#include <QPainter>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>

#include "ClassPalette.hpp"
#include "TimeAxisModel.hpp"
#include "common/Channels.hpp"

namespace imuwb::widgets {

namespace {
constexpr double kWindowLength_s = kContractWindowLength / kContractSampleRateHz;
}

ParityCosineChart::ParityCosineChart(TimeAxisModel* axis, QWidget* parent)
    : TimeChartView(axis, parent) {
  setTitleText(tr("cosine per window (A vs B)"));
  setPlaceholder(tr("Run > Parity (cpu vs int8) to compare here"));
  setToolTip(
      tr("Cosine of A and B per window, at window centres. Zoomed out, each pixel column shows "
         "the lowest and highest cosine of its windows. Dashed: each output's gate, on its "
         "cosine mean (the mark in the right margin)."));
  yAxis()->setLabelFormat("%.3f");
  yAxis()->setRange(0.9, 1.0);
}

void ParityCosineChart::showResult(const analysis::ParityResult* r) {
  colors_.clear();
  traces_.clear();
  result_ = r;
  if (!r) {
    setPlaceholder(tr("Run > Parity (cpu vs int8) to compare here"));
    setLegendEntries({});
    setLayerContent({});
    scheduleRefresh();
    return;
  }
  std::vector<double> centres_s(r->windowTime_s.size());
  for (std::size_t w = 0; w < centres_s.size(); ++w)
    centres_s[w] = r->windowTime_s[w] + kWindowLength_s / 2;
  // Time -> window is a binary search; unordered times (not produced by today's ParityJob)
  // would decimate wrongly, so say so instead of drawing something misleading.
  const bool ordered = std::is_sorted(centres_s.begin(), centres_s.end());
  setPlaceholder(ordered ? QString()
                         : tr("window times are not in order: cosine over time cannot be drawn "
                              "(the table and lists still hold)"));
  traces_.reset(ordered ? std::move(centres_s) : std::vector<double>{});
  QList<QPair<QString, QColor>> legend;
  for (std::size_t o = 0; o < r->outputs.size(); ++o) {
    const auto& out = r->outputs[o];
    const QColor color = categoricalColor(static_cast<int>(o));
    traces_.addChannel(
        analysis::StridedChannel{out.cosinePerWindow.data(), out.cosinePerWindow.size(), 1});
    colors_.push_back(color);
    legend.append({QString::fromStdString(out.output), color});
  }
  legend.append({tr("- - gate on the mean"), QColor(0x888888)});
  setLegendEntries(legend);
  scheduleRefresh();
}

QStringList ParityCosineChart::toleranceLabels() const {
  QStringList labels;
  if (!result_) return labels;
  std::map<double, QStringList> byValue;  // outputs sharing a tolerance share its label
  for (const auto& out : result_->outputs)
    byValue[out.tolerance.minCosine] << QString::fromStdString(out.output);
  for (auto it = byValue.rbegin(); it != byValue.rend(); ++it)
    labels << tr("gate: cosine mean ≥ %1 — %2")
                  .arg(it->first, 0, 'f', 3)
                  .arg(it->second.join(QStringLiteral(", ")));
  return labels;
}

void ParityCosineChart::refreshData() {
  PlotLayerContent content;
  if (result_) {
    const auto view = timeAxis()->view();
    const int columns = static_cast<int>(plotRect().width());
    for (std::size_t o = 0; o < colors_.size(); ++o) {
      content.traces.push_back({traces_.points(o, view.start_s, view.end_s, columns), colors_[o]});
      content.guides.push_back({result_->outputs[o].tolerance.minCosine, colors_[o]});
    }
  }
  setLayerContent(std::move(content));
}

void ParityCosineChart::drawForeground(QPainter* painter, const QRectF& rect) {
  TimeChartView::drawForeground(painter, rect);
  if (!result_) return;
  const auto plot = plotRect();
  const double low = yAxis()->min(), high = yAxis()->max();
  if (!(high > low)) return;
  auto toY = [&](double v) { return plot.top() + (high - v) / (high - low) * plot.height(); };
  // Each output's cosine mean, the value its gate checks: a mark in the right margin.
  for (std::size_t o = 0; o < colors_.size(); ++o) {
    const double y = std::clamp(toY(result_->outputs[o].cosineMean), plot.top(), plot.bottom());
    const QPointF tip(plot.right() + 2, y);
    const QPolygonF mark{tip, tip + QPointF(7, -4), tip + QPointF(7, 4)};
    painter->setPen(Qt::NoPen);
    painter->setBrush(colors_[o]);
    painter->drawPolygon(mark);
  }
  // What each dashed line gates, above it at the right.
  const QFontMetrics metrics(painter->font());
  std::map<double, QStringList> byValue;
  for (const auto& out : result_->outputs)
    byValue[out.tolerance.minCosine] << QString::fromStdString(out.output);
  const QStringList labels = toleranceLabels();
  int k = 0;
  for (auto it = byValue.rbegin(); it != byValue.rend(); ++it, ++k) {
    const double y = toY(it->first);
    if (y < plot.top() || y > plot.bottom()) continue;
    const QString text = metrics.elidedText(labels[k], Qt::ElideRight, int(plot.width() - 8));
    const double width = metrics.horizontalAdvance(text);
    const QRectF box(plot.right() - width - 6, y - metrics.height() - 1, width + 4,
                     metrics.height());
    QColor plate = palette().color(QPalette::Base);
    plate.setAlpha(210);
    painter->fillRect(box, plate);
    painter->setPen(palette().color(QPalette::Text));
    painter->drawText(box, Qt::AlignCenter, text);
  }
}

QString ParityCosineChart::describeAt(QPointF position) const {
  if (!result_ || traces_.centres_s().empty() || !plotRect().contains(position)) return {};
  const double t = mapping().toTime(position.x());
  const auto& centres = traces_.centres_s();
  auto it = std::lower_bound(centres.begin(), centres.end(), t);
  std::size_t w = static_cast<std::size_t>(it - centres.begin());
  if (w >= centres.size()) w = centres.size() - 1;
  if (w > 0 && std::abs(centres[w - 1] - t) <= std::abs(centres[w] - t)) --w;
  if (std::abs(centres[w] - t) > std::max(kWindowLength_s / 2, mapping().view.length() / 400))
    return {};
  QStringList lines;
  lines << tr("%1 · window %2 (centre %3)")
               .arg(formatTime(t, 0.01))
               .arg(w)
               .arg(formatTime(centres[w], 0.01));
  for (const auto& out : result_->outputs) {
    if (w >= out.cosinePerWindow.size()) continue;
    lines << tr("%1: cosine %2 (gate: mean %3 ≥ %4)")
                 .arg(QString::fromStdString(out.output))
                 .arg(static_cast<double>(out.cosinePerWindow[w]), 0, 'f', 4)
                 .arg(out.cosineMean, 0, 'f', 4)
                 .arg(out.tolerance.minCosine, 0, 'f', 3);
  }
  return lines.join('\n');
}

}  // namespace imuwb::widgets
