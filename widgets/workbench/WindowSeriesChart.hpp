#pragma once
// Per-window model outputs ([W, D] matrix, one line per column) on the shared time axis, placed
// at window centres and decimated per pixel column like the raw signals, and painted into the
// data layer (see PlotLayer.hpp). Class probabilities show as lines or stacked areas; motif
// scores as lines or a heatmap (one row per motif), with upward threshold crossings marked.
#include <QStringList>
#include <memory>
#include <vector>

#include "ColumnMeans.hpp"
#include "ModelOutputs.hpp"
#include "TimeChartView.hpp"
#include "WindowTraceSource.hpp"

namespace imuwb::widgets {

class WindowSeriesChart : public TimeChartView {
  Q_OBJECT
 public:
  enum class Kind { Probabilities, MotifScores };
  // Lines for both kinds; StackedAreas for probabilities; Heatmap for motif scores.
  enum class Style { Lines, StackedAreas, Heatmap };
  WindowSeriesChart(TimeAxisModel* axis, Kind kind, QWidget* parent = nullptr);

  // nullptr clears. Keeps the outputs alive while shown.
  void setOutputs(std::shared_ptr<const ModelOutputs> outputs, const ClassPalette* palette);
  const WindowMatrix* matrix() const;
  Kind kind() const { return kind_; }
  // A style the kind does not offer falls back to Lines.
  void setStyle(Style style);
  Style style() const { return style_; }
  static QString styleName(Style style);  // "lines", "stacked", "heatmap"
  // Motif scores: the threshold whose upward crossings are marked.
  void setThreshold(double threshold);
  double threshold() const { return threshold_; }
  std::size_t crossingCount() const { return crossings_.size(); }
  // The hover readout at `position` (viewport pixels); empty outside the data. Lines and
  // stacked areas: the window whose centre is nearest the pointer's time, its time and every
  // column's value. Motif heatmap: the cell under the pointer.
  QString describeAt(QPointF position) const override;

 signals:
  void styleChanged(imuwb::widgets::WindowSeriesChart::Style style);

 protected:
  void refreshData() override;
  void fillContextMenu(QMenu& menu) override;

 private:
  struct Crossing {
    double time_s;
    float score;
    std::size_t motif;
    bool operator<(const Crossing& other) const { return time_s < other.time_s; }
  };
  void applyStyleAxes();
  PlotLayerContent lines(TimeRange view, int columns) const;
  PlotLayerContent stackedAreas(TimeRange view, int columns) const;
  PlotLayerContent heatmap(TimeRange view, int columns) const;
  PlotLayerContent::Marks crossingMarks(TimeRange view, int columns) const;
  QString describeWindowAt(QPointF position) const;
  QString describeCellAt(QPointF position) const;

  Kind kind_;
  Style style_ = Style::Lines;
  std::shared_ptr<const ModelOutputs> outputs_;
  const ClassPalette* palette_ = nullptr;
  WindowTraceSource traces_;  // one channel per column of the matrix
  ColumnMeans means_;         // stacked areas
  std::vector<QColor> colors_;
  QStringList names_;
  QList<QPair<QString, QColor>> legend_;
  std::vector<Crossing> crossings_;
  double threshold_ = 0.5;
};

}  // namespace imuwb::widgets
