#pragma once
// The parity view's cosine chart: cosine per window of every output on the shared time axis, at
// window centres like the other per-window views, with each output's own gate. The pyramids are
// built once per result; every view change or resize re-decimates each line to at most two
// points per pixel column (exact min/max, so the worst window is never lost). Lines are the base
// class' traces, not Qt Charts series (a QLineSeries rebuilds a stroked hit-test shape on every
// replace(), most of a frame at 3 x 3000 points).
//
// Every output gets a dashed tolerance line in its colour, labelled with what it gates (the
// cosine mean, not each window) and a mark in the right margin at its cosine mean, so a window
// below the line on an output that passes is explained where it is seen.
#include <vector>

#include "TimeChartView.hpp"
#include "WindowTraceSource.hpp"
#include "analysis/ParityResult.hpp"

namespace imuwb::widgets {

class ParityCosineChart : public TimeChartView {
  Q_OBJECT
 public:
  explicit ParityCosineChart(TimeAxisModel* axis, QWidget* parent = nullptr);

  // nullptr clears. The result must outlive the lines (the pyramids view its cosine vectors).
  void showResult(const analysis::ParityResult* result);
  int lineCount() const { return static_cast<int>(colors_.size()); }
  // One label per distinct tolerance: "gate: cosine mean ≥ 0.950 — a, b", as drawn.
  QStringList toleranceLabels() const;
  // The window nearest the pointer: its time and each output's cosine there.
  QString describeAt(QPointF position) const override;

 protected:
  void refreshData() override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

 private:
  const analysis::ParityResult* result_ = nullptr;
  WindowTraceSource traces_;  // one channel per output: its cosine per window
  std::vector<QColor> colors_;
};

}  // namespace imuwb::widgets
