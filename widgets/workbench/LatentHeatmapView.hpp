#pragma once
// The latent vector over time as a heatmap: one row per latent dimension, one pixel column per
// screen column (the window nearest that column's centre time), coloured per dimension or on one
// scale for the run (1st..99th percentile; beyond saturates). A custom QWidget painting a QImage:
// Qt Charts has no heatmap, and a 64 x 1000 image repaints in well under a millisecond. Hovering
// reads out time, window, dimension and value.
#include <QImage>
#include <QWidget>
#include <memory>

#include "ModelOutputs.hpp"
#include "PlotGeometry.hpp"

namespace imuwb::widgets {

class TimeAxisModel;

struct HeatmapReadout {
  bool valid = false;
  long window = -1;
  int dimension = -1;
  double time_s = 0;
  float value = 0;
};

class LatentHeatmapView : public QWidget {
  Q_OBJECT
 public:
  LatentHeatmapView(TimeAxisModel* axis, QWidget* parent = nullptr);
  void setOutputs(std::shared_ptr<const ModelOutputs> outputs);
  bool hasData() const;
  HeatmapReadout readoutAt(QPointF position) const;
  QString readoutText() const { return readoutText_; }
  std::pair<float, float> colourRange() const { return {lo_, hi_}; }
  // Per dimension: each row spans its own 1..99 % range, which shows how each dimension moves
  // over time; global: one scale for all rows, which shows which dimensions are large.
  void setScalePerDimension(bool perDimension);
  bool scalePerDimension() const { return perDimension_; }
  const QImage& image() const { return image_; }  // last rendered, one column per pixel
  QSize sizeHint() const override { return QSize(600, 160); }

 signals:
  void hovered(imuwb::widgets::HeatmapReadout readout);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  QRectF plotRect() const;
  TimeMapping mapping() const;
  void renderImage();
  TimeAxisModel* axis_;
  std::shared_ptr<const ModelOutputs> outputs_;
  std::vector<double> centres_s_;
  QImage image_;
  bool imageStale_ = true;
  float lo_ = -4, hi_ = 4;
  bool perDimension_ = true;
  std::vector<float> rowLo_, rowHi_;
  QString readoutText_;
};

}  // namespace imuwb::widgets
