#pragma once
// Per-window model outputs ([W, D] matrix, one line per column) on the shared time axis, placed
// at window centres and decimated min/max per pixel column like the raw signals. Class
// probabilities and motif scores are both this, with different colours and decorations.
#include <QList>
#include <memory>
#include <vector>

#include "ModelOutputs.hpp"
#include "TimeChartView.hpp"
#include "WindowTraceSource.hpp"

QT_BEGIN_NAMESPACE
class QLineSeries;
class QScatterSeries;
QT_END_NAMESPACE

namespace imuwb::widgets {

class WindowSeriesChart : public TimeChartView {
  Q_OBJECT
 public:
  enum class Kind { Probabilities, MotifScores };
  WindowSeriesChart(TimeAxisModel* axis, Kind kind, QWidget* parent = nullptr);

  // nullptr clears. Keeps the outputs alive while shown.
  void setOutputs(std::shared_ptr<const ModelOutputs> outputs, const ClassPalette* palette);
  const WindowMatrix* matrix() const;
  int lineCount() const { return static_cast<int>(lines_.size()); }
  QLineSeries* line(int column) const { return lines_[static_cast<std::size_t>(column)]; }
  // Motif scores: the threshold whose upward crossings are marked.
  void setThreshold(double threshold);
  double threshold() const { return threshold_; }
  std::size_t crossingCount() const { return crossings_.size(); }

 protected:
  void refreshData() override;

 private:
  void clearSeries();
  Kind kind_;
  std::shared_ptr<const ModelOutputs> outputs_;
  WindowTraceSource traces_;  // one channel per column of the matrix
  std::vector<QLineSeries*> lines_;
  QLineSeries* thresholdLine_ = nullptr;
  QScatterSeries* crossingMarks_ = nullptr;
  std::vector<std::pair<double, float>> crossings_;  // (time, score) of upward crossings
  double threshold_ = 0.5;
};

}  // namespace imuwb::widgets
