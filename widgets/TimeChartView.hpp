#pragma once
// Base of every Qt Charts view on the shared time axis. It fixes the plot rectangle to the shared
// margins (so views line up column for column), follows the TimeAxisModel, installs the common
// navigation, and draws what Qt Charts does not: label bands behind the data, and the
// selection, cursor, title and legend keys over it. Subclasses only refill their series in
// refreshData(), which runs at most once per event-loop turn however many changes arrive.
#include <QChartView>
#include <QList>
#include <QPair>
#include <QTimer>
#include <vector>

#include "ClassPalette.hpp"
#include "PlotGeometry.hpp"
#include "session/Session.hpp"

QT_BEGIN_NAMESPACE
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
  void setLabelBands(std::vector<LabelInterval> labels, const ClassPalette* palette);
  QRectF plotRect() const;
  TimeMapping mapping() const;
  TimeAxisModel* timeAxis() const { return axis_; }
  QValueAxis* xAxis() const { return xAxis_; }
  QValueAxis* yAxis() const { return yAxis_; }
  // Recomputes series now instead of on the next event-loop turn (tests, benchmarks).
  void refreshNow();
  int refreshCount() const { return refreshCount_; }
  // Traces drawn straight with QPainter (see setTraces), in data coordinates.
  int traceCount() const { return static_cast<int>(traces_.size()); }
  const QList<QPointF>& tracePoints(int index) const {
    return traces_[static_cast<std::size_t>(index)].points;
  }

 protected:
  virtual void refreshData() = 0;
  void scheduleRefresh();
  // Adds a series on the shared x axis and the view's y axis, with the common look.
  void attachSeries(QXYSeries* series, QColor color);
  // Long signal traces: a polyline per trace painted over the chart's grid with the y axis'
  // range. Qt Charts' line items rebuild a stroked hit-test shape on every replace(), which
  // costs more than the whole paint at 1000+ points; the timeline's 18 traces skip that.
  struct Trace {
    QList<QPointF> points;  // (seconds, value)
    QColor color;
  };
  void setTraces(std::vector<Trace> traces);
  void resizeEvent(QResizeEvent* event) override;
  void drawBackground(QPainter* painter, const QRectF& rect) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;
  void changeEvent(QEvent* event) override;

 private:
  void applyView();
  void applyPalette();
  TimeAxisModel* axis_;
  TimeInteraction* interaction_;
  QValueAxis* xAxis_;
  QValueAxis* yAxis_;
  QTimer refreshTimer_;
  QString title_;
  QString placeholder_;
  QList<QPair<QString, QColor>> legend_;
  std::vector<LabelInterval> labels_;
  const ClassPalette* palette_ = nullptr;
  std::vector<Trace> traces_;
  int refreshCount_ = 0;
};

}  // namespace imuwb::widgets
