#include "SetSizeStrip.hpp"

#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "TimeAxisModel.hpp"

namespace imuwb::widgets {

namespace {
const QColor kSetColor(0x7b5ea7);
}

SetSizeStrip::SetSizeStrip(TimeAxisModel* axis, QWidget* parent) : TimeChartView(axis, parent) {
  setMinimumHeight(70);
  setToolTip(
      tr("Conformal prediction-set size per window (Evaluation panel): how many classes the "
         "window's set holds at the calibrated threshold. Larger sets: the model is unsure."));
  clear(tr("evaluate the model (Evaluation panel) to see its prediction-set sizes here"));
}

void SetSizeStrip::clear(const QString& placeholder) {
  sizes_.clear();
  traces_.clear();
  setTitleText({});
  setLayerContent({});
  setPlaceholder(placeholder);
  scheduleRefresh();
}

void SetSizeStrip::setSizes(std::vector<double> centres_s, std::vector<int> sizes, int classes,
                            const QString& caption) {
  if (centres_s.empty() || centres_s.size() != sizes.size()) {
    clear(tr("no prediction sets"));
    return;
  }
  classes_ = std::max(1, classes);
  sizes_.assign(sizes.begin(), sizes.end());
  traces_.reset(std::move(centres_s));
  traces_.addChannel(analysis::StridedChannel{sizes_.data(), sizes_.size(), 1});
  setPlaceholder({});
  setTitleText(caption);
  yAxis()->setRange(-0.1, classes_ + 0.3);
  yAxis()->setTickType(QValueAxis::TicksDynamic);
  yAxis()->setTickAnchor(0);
  yAxis()->setTickInterval(std::max(1, classes_ / 3));
  yAxis()->setLabelFormat("%.0f");
  scheduleRefresh();
}

QString SetSizeStrip::describeAt(QPointF position) const {
  const auto& centres = traces_.centres_s();
  if (centres.empty() || !plotRect().contains(position)) return {};
  const double t = mapping().toTime(position.x());
  auto w = static_cast<std::size_t>(std::lower_bound(centres.begin(), centres.end(), t) -
                                    centres.begin());
  if (w >= centres.size()) w = centres.size() - 1;
  if (w > 0 && std::abs(centres[w - 1] - t) <= std::abs(centres[w] - t)) --w;
  const double spacing = centres.size() > 1 ? (centres.back() - centres.front()) /
                                                  static_cast<double>(centres.size() - 1)
                                            : 1.0;
  if (std::abs(centres[w] - t) > std::max(spacing, mapping().view.length() / 400)) return {};
  return tr("%1 · window %2: set of %3 of %4 classes")
      .arg(formatTime(centres[w], 0.01))
      .arg(w)
      .arg(static_cast<double>(sizes_[w]))
      .arg(classes_);
}

void SetSizeStrip::refreshData() {
  if (sizes_.empty()) return;
  const auto view = timeAxis()->view();
  const int columns = static_cast<int>(plotRect().width());
  PlotLayerContent content;
  auto points = traces_.points(0, view.start_s, view.end_s, columns);
  PlotLayerContent::Area area;
  area.color = kSetColor;
  area.color.setAlpha(90);
  for (const auto& p : points) {
    area.upper.append(p);
    area.lower.append(QPointF(p.x(), 0.0));
  }
  content.areas.push_back(std::move(area));
  content.traces.push_back({std::move(points), kSetColor});
  setLayerContent(std::move(content));
}

}  // namespace imuwb::widgets
