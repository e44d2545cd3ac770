#include "SetSizeStrip.hpp"

#include <QValueAxis>
#include <algorithm>

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
