#pragma once
// The reliability diagram of one backend (Guo et al. 2017): per confidence bin (lo, hi], the
// accuracy of the windows whose top-class confidence falls in it, against the diagonal a
// perfectly calibrated model would follow. Filled bars: as deployed; outlined bars: after
// temperature scaling (both on the test split). Under the plot, each bin's window count as a
// bar with its number, so an empty or nearly empty bin is never mistaken for a calibrated one.
#include <QString>
#include <QWidget>

#include "eval/Ece.hpp"

namespace imuwb::widgets {

class ReliabilityDiagramView : public QWidget {
  Q_OBJECT
 public:
  explicit ReliabilityDiagramView(QWidget* parent = nullptr);

  void setCalibration(const eval::CalibrationError& before, const eval::CalibrationError& after);
  void clear();
  const eval::CalibrationError& before() const { return before_; }
  const eval::CalibrationError& after() const { return after_; }

  QSize sizeHint() const override { return {360, 300}; }
  QSize minimumSizeHint() const override { return {220, 200}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void paintCounts(QPainter& painter, const QRect& strip) const;
  eval::CalibrationError before_, after_;
};

}  // namespace imuwb::widgets
