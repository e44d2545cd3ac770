#pragma once
// The agreement strip under the signals: where the model's prediction agrees with the label
// (green) or not (red), the colour the stronger the more confident the model is, unlabelled
// time left blank. Bands come precomputed (runs of windows with one state and confidence
// level); a paint visits only the bands in view, folding those that share a pixel column into
// one (a disagreement wins the column, so a single wrong window never hides when zoomed out).
#include <QWidget>
#include <vector>

#include "PlotGeometry.hpp"

namespace imuwb::widgets {

class TimeAxisModel;

struct AgreementBand {
  double start_s = 0, end_s = 0;  // sorted by start, not overlapping
  enum class State { Unlabelled, Agrees, Disagrees } state = State::Unlabelled;
  int level = 0;  // confidence level, 0 .. levels - 1
};

class AgreementStrip : public QWidget {
  Q_OBJECT
 public:
  explicit AgreementStrip(TimeAxisModel* axis, QWidget* parent = nullptr);
  // levels: how many equal confidence levels [0, 1] is cut into. Empty bands hide the strip.
  void setBands(std::vector<AgreementBand> bands, int levels);
  const std::vector<AgreementBand>& bands() const { return bands_; }
  // The stretch under review, outlined (an invalid range: none).
  void setHighlight(TimeRange range);
  TimeRange highlight() const { return highlight_; }
  QColor colour(AgreementBand::State state, int level) const;
  QSize sizeHint() const override { return {400, 18}; }
  QSize minimumSizeHint() const override { return {100, 18}; }
  QString describeAt(QPoint position) const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  TimeMapping mapping() const;
  TimeAxisModel* axis_;
  std::vector<AgreementBand> bands_;
  int levels_ = 4;
  TimeRange highlight_{};
};

}  // namespace imuwb::widgets
