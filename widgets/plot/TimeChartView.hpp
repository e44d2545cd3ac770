#pragma once
// Base of every Qt Charts view on the shared time axis. It fixes the plot rectangle to the shared
// margins (so views line up column for column), follows the TimeAxisModel, installs the common
// navigation, and draws what Qt Charts does not: a data layer behind the series (background,
// label bands, grid and long signal traces, painted on a pool thread: see PlotLayer.hpp), and
// the selection, cursor, title and legend keys over it. Subclasses only refill their series in
// refreshData(), which runs at most once per event-loop turn however many changes arrive; the
// layer is repainted after every refresh.
#include <QChartView>
#include <QList>
#include <QPair>
#include <QStringList>
#include <QTimer>
#include <vector>

#include "ClassPalette.hpp"
#include "PlotGeometry.hpp"
#include "PlotLayer.hpp"
#include "TimeBand.hpp"

QT_BEGIN_NAMESPACE
class QMenu;
class QValueAxis;
class QXYSeries;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;
class TimeInteraction;

class TimeChartView : public QChartView {
  Q_OBJECT
 public:
  TimeChartView(TimeAxisModel* axis, QWidget* parent = nullptr);

  void setTitleText(const QString& title);
  void setPlaceholder(const QString& text);  // shown centred when non-empty (no data)
  void setLegendEntries(QList<QPair<QString, QColor>> entries);
  const QList<QPair<QString, QColor>>& legendEntries() const { return legend_; }
  const QString& titleText() const { return title_; }
  void setLabelBands(std::vector<TimeBand> labels, const ClassPalette* palette);
  const std::vector<TimeBand>& labelBands() const { return labels_; }
  // Names for evenly spaced rows (a heatmap's), first at the top, drawn in the left margin.
  void setRowLabels(QStringList labels);
  // The y axis' values at its grid lines, in the left margin (on by default; off for heatmaps).
  void setValueLabelsVisible(bool visible);
  QRectF plotRect() const;
  // Where the title and legend keys are drawn: a strip above the plot, never over the data
  // (empty when the chart has neither).
  QRectF legendRect() const;
  // The hover readout at `position` (viewport pixels): the time and the values drawn there;
  // empty outside the data (the chart's help tooltip shows then).
  virtual QString describeAt(QPointF position) const;
  TimeMapping mapping() const;
  TimeAxisModel* timeAxis() const { return axis_; }
  QValueAxis* xAxis() const { return xAxis_; }
  QValueAxis* yAxis() const { return yAxis_; }
  // Recomputes series now instead of on the next event-loop turn (tests, benchmarks).
  void refreshNow();
  int refreshCount() const { return refreshCount_; }
  TimeRange layerView() const { return layerView_; }  // the view the data layer was painted for
  // Traces painted into the data layer (see setTraces), in data coordinates.
  int traceCount() const { return static_cast<int>(content_.traces.size()); }
  const QList<QPointF>& tracePoints(int index) const {
    return content_.traces[static_cast<std::size_t>(index)].points;
  }
  const PlotLayerContent& layerContent() const { return content_; }

 protected:
  virtual void refreshData() = 0;
  // Entries a chart puts at the top of its right-click menu; the zoom presets follow.
  virtual void fillContextMenu(QMenu& menu);
  void scheduleRefresh();
  // Adds a series on the shared x axis and the view's y axis, with the common look.
  void attachSeries(QXYSeries* series, QColor color);
  // Long signal traces: a polyline per trace painted into the data layer with the y axis'
  // range. Qt Charts' line items rebuild a stroked hit-test shape on every replace(), which
  // costs more than the whole paint at 1000+ points; the timeline's 18 traces skip that.
  using Trace = PlotLayerContent::Trace;
  void setTraces(std::vector<Trace> traces);
  // Everything the layer paints over the bands and under the cursor (traces, stacked areas,
  // heat rows, guides, marks). Like setTraces, painted by the layer that follows the refresh.
  void setLayerContent(PlotLayerContent content);
  void resizeEvent(QResizeEvent* event) override;
  void drawBackground(QPainter* painter, const QRectF& rect) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;
  void changeEvent(QEvent* event) override;
  bool viewportEvent(QEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  QFont legendFont() const;
  int headerHeight() const;
  void relayout();
  void drawLegend(QPainter* painter) const;
  void applyView();
  void applyPalette();
  void runRefresh();
  void startLayer();
  std::vector<double> yGridValues() const;
  void drawValueLabels(QPainter* painter, const QRectF& plot) const;
  TimeAxisModel* axis_;
  TimeInteraction* interaction_;
  QValueAxis* xAxis_;
  QValueAxis* yAxis_;
  QTimer refreshTimer_;
  QString title_;
  QString placeholder_;
  QList<QPair<QString, QColor>> legend_;
  QStringList rowLabels_;
  bool valueLabels_ = true;
  std::vector<TimeBand> labels_;
  const ClassPalette* palette_ = nullptr;
  PlotLayerContent content_;
  PlotLayer layer_;
  TimeRange layerView_;
  bool refreshing_ = false;
  int refreshCount_ = 0;
};

}  // namespace imuwb::widgets
