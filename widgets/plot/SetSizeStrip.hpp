#pragma once
// Conformal prediction-set size over time: a short strip on the shared time axis, under the class
// probabilities. One value per window at its centre (how many classes the window's set holds at
// the evaluation's threshold), drawn as a filled step profile decimated like every window trace
// (exact min/max per pixel column, so a single large set is never averaged away). Where the
// model is unsure the set grows; an empty set (the model is confidently wrong or the threshold
// is tight) reads as 0.
#include <QString>
#include <vector>

#include "TimeChartView.hpp"
#include "WindowTraceSource.hpp"

namespace imuwb::widgets {

class SetSizeStrip : public TimeChartView {
  Q_OBJECT
 public:
  explicit SetSizeStrip(TimeAxisModel* axis, QWidget* parent = nullptr);

  // centres_s ascending, one set size per window; classes = the largest possible size.
  // Empty clears (the placeholder says why).
  void setSizes(std::vector<double> centres_s, std::vector<int> sizes, int classes,
                const QString& caption);
  void clear(const QString& placeholder);
  const std::vector<double>& centres_s() const { return traces_.centres_s(); }
  const std::vector<float>& sizes() const { return sizes_; }
  QSize sizeHint() const override { return {400, 90}; }
  // The window nearest the pointer: its time and set size.
  QString describeAt(QPointF position) const override;

 protected:
  void refreshData() override;

 private:
  std::vector<float> sizes_;
  WindowTraceSource traces_;
  int classes_ = 1;
};

}  // namespace imuwb::widgets
