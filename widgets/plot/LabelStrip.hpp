#pragma once
// The band above the signals: a clock-time ruler, the session's labelled intervals as coloured
// bands, and (after a run) the predicted class per window as a second band, so label and
// prediction can be compared at a glance. Same margins as every other time view.
#include <QWidget>
#include <vector>

#include "ClassPalette.hpp"
#include "PlotGeometry.hpp"
#include "TimeBand.hpp"

namespace imuwb::widgets {

class TimeAxisModel;

class LabelStrip : public QWidget {
  Q_OBJECT
 public:
  LabelStrip(TimeAxisModel* axis, const ClassPalette* palette, QWidget* parent = nullptr);
  void setLabels(std::vector<TimeBand> labels);
  void setPredicted(std::vector<TimeBand> predicted);  // empty hides the row
  const std::vector<TimeBand>& predicted() const { return predicted_; }
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override { return sizeHint(); }
  // The label (or prediction) under x in the given row; empty when none.
  QString describeAt(QPoint position) const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  TimeMapping mapping() const;
  void drawBand(QPainter& painter, const std::vector<TimeBand>& intervals, QRectF row);
  TimeAxisModel* axis_;
  const ClassPalette* palette_;
  std::vector<TimeBand> labels_;
  std::vector<TimeBand> predicted_;
};

}  // namespace imuwb::widgets
