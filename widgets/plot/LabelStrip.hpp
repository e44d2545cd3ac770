#pragma once
// The band above the signals: a clock-time ruler, the session's labelled intervals as coloured
// bands, and (after a run) the predicted class per window as a second band, so label and
// prediction can be compared at a glance. Same margins as every other time view.
// For editing, it outlines a selected label interval (with grips on its edges) and draws a
// preview band while a new interval is dragged out; the edit gestures themselves belong to the
// workbench (an event filter that reads the geometry below), as the labels' meaning does.
#include <QWidget>
#include <optional>
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

  const std::vector<TimeBand>& labels() const { return labels_; }
  // Index into labels() outlined as selected; -1 for none.
  void setSelectedIndex(int index);
  int selectedIndex() const { return selected_; }
  // A band drawn translucently over the labels row (an interval being dragged out); nullopt
  // hides it.
  void setPreview(std::optional<TimeBand> preview);
  const std::optional<TimeBand>& preview() const { return preview_; }
  // Where things are, in widget coordinates: times <-> x, and the two rows.
  TimeMapping timeMapping() const { return mapping(); }
  QRectF labelRow() const;
  QRectF predictedRow() const;  // empty when no prediction is shown

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  TimeMapping mapping() const;
  void drawBand(QPainter& painter, const std::vector<TimeBand>& intervals, QRectF row);
  void drawEditMarks(QPainter& painter, QRectF row);
  TimeAxisModel* axis_;
  const ClassPalette* palette_;
  std::vector<TimeBand> labels_;
  std::vector<TimeBand> predicted_;
  int selected_ = -1;
  std::optional<TimeBand> preview_;
};

}  // namespace imuwb::widgets
